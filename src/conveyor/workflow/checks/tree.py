"""Safe access to a raw YAML tree that may have any shape, and the document being checked.

Checks run on the tree as written, even when parts of it are malformed (the schema reports
those), so every accessor here returns an empty value instead of failing on a wrong shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from conveyor.workflow.yaml import Position, item_position, key_position, value_position

PathKey: TypeAlias = tuple[str | int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A parsed workflow or action file: its tree, its text, and the repository root."""

    file: str
    path: Path
    root: Path
    tree: Any
    lines: tuple[str, ...]
    kind: str  # "workflow" | "action"

    def key_pos(self, mapping: Any, key: Any) -> Position:
        return key_position(mapping, key, self.file)

    def value_pos(self, mapping: Any, key: Any) -> Position:
        return value_position(mapping, key, self.file)

    def item_pos(self, seq: Any, index: int) -> Position:
        return item_position(seq, index, self.file)


def as_map(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str_list(value: Any) -> list[str]:
    """A string or a list of strings as a list (other shapes give nothing)."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in as_list(value) if isinstance(v, str | int | float)]


def written_strings(doc: Document, mapping: Any, key: str) -> Iterator[tuple[str, Position]]:
    """Each item of `mapping[key]`, written as one scalar or a list of them, with its place."""
    value = as_map(mapping).get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                yield str(item), doc.item_pos(value, index)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield str(value), doc.value_pos(mapping, key)


@dataclass(frozen=True, slots=True)
class Scalar:
    """A string scalar in the tree, with its path and where its text starts."""

    path: PathKey
    text: str
    pos: Position


def strings(doc: Document, node: Any, path: PathKey = ()) -> Iterator[Scalar]:
    """Every string value under `node` (not keys), depth first in written order."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = (*path, str(key))
            if isinstance(value, str):
                yield Scalar(sub, value, doc.value_pos(node, key))
            else:
                yield from strings(doc, value, sub)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                yield Scalar((*path, index), value, doc.item_pos(node, index))
            else:
                yield from strings(doc, value, (*path, index))
