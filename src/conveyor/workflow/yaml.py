"""YAML 1.2 with source positions.

GitHub reads workflows as YAML 1.2 (`on:` is a key, `yes`/`no` are strings). ruamel.yaml's
round-trip loader keeps the line and column of every mapping key, value and sequence item;
the helpers here turn them into 1-based positions so every later error can point at the
exact place. Parse errors become `WorkflowError`s, never tracebacks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from conveyor.errors import WorkflowError


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A 1-based place in a file (line 0 means "the whole file")."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


def parse_yaml(source: str | bytes, *, file: str) -> Any:
    """Parse one YAML document; return ruamel's round-trip tree (CommentedMap/Seq, scalars)."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise WorkflowError(
                f"file is not valid UTF-8 (byte {exc.start})",
                file=file,
                rule="yaml-syntax",
                hint="save the file as UTF-8",
            ) from None
    try:
        return _parse_text(source)
    except WorkflowError as exc:
        exc.file = file  # the text is parsed once, whatever name each caller gives it
        raise


@functools.lru_cache(maxsize=64)
def _parse_text(source: str) -> Any:
    """Parse once per text: `conveyor run` validates, then loads, the same files.

    The tree is shared between callers, so nobody may change it (none does: the loader
    and the validator only read it). Errors are raised with an empty `file`.
    """
    file = ""
    if "\x00" in source:
        raise WorkflowError(
            "file contains a NUL character",
            file=file,
            rule="yaml-syntax",
            hint="is this a binary file?",
        )
    yaml = YAML(typ="rt", pure=True)
    try:
        docs = list(yaml.load_all(source))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        column = mark.column + 1 if mark is not None else 0
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "check indentation and quoting near this place"
        if "found duplicate key" in problem or "duplicate key" in str(exc):
            problem = problem.replace("\n", " ")
            hint = "each key may appear once in a mapping; remove or rename the repeated one"
        raise WorkflowError(
            f"invalid YAML: {problem}",
            file=file,
            line=line,
            column=column,
            rule="yaml-syntax",
            hint=hint,
        ) from None
    except (YAMLError, ValueError, RecursionError) as exc:
        raise WorkflowError(f"invalid YAML: {exc}", file=file, rule="yaml-syntax") from None
    if len(docs) > 1:
        raise WorkflowError(
            "a workflow file must hold exactly one YAML document",
            file=file,
            rule="yaml-syntax",
            hint="remove the extra `---` separator",
        )
    return docs[0] if docs else None


def node_position(node: Any, file: str) -> Position:
    """Where a mapping or sequence node starts (scalars carry no position: ask their parent)."""
    if isinstance(node, CommentedMap | CommentedSeq):
        return Position(file=file, line=node.lc.line + 1, column=node.lc.col + 1)
    return Position(file=file)


def key_position(mapping: Any, key: Any, file: str) -> Position:
    """Where `key` is written in `mapping`."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.key(key)
        except (KeyError, TypeError):
            return node_position(mapping, file)
        return Position(file=file, line=line + 1, column=col + 1)
    return Position(file=file)


def value_position(mapping: Any, key: Any, file: str) -> Position:
    """Where the value of `key` in `mapping` starts."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.value(key)
        except (KeyError, TypeError):
            return key_position(mapping, key, file)
        return Position(file=file, line=line + 1, column=col + 1)
    return Position(file=file)


def item_position(seq: Any, index: int, file: str) -> Position:
    """Where item `index` of a sequence starts."""
    if isinstance(seq, CommentedSeq):
        try:
            line, col = seq.lc.item(index)
        except (KeyError, IndexError, TypeError):
            return node_position(seq, file)
        return Position(file=file, line=line + 1, column=col + 1)
    return Position(file=file)
