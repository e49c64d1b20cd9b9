"""A small declarative schema for YAML trees, and the walk that checks a tree against it.

A spec says what a node may be: a scalar of some kinds, a sequence, a mapping with known
keys (and maybe free-form ones), or one of several shapes. The walk reports unknown keys
(with "did you mean"), missing required keys and wrong types, each at the place it is
written. A `${{ }}` string is accepted wherever a value is: GitHub evaluates it at run time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from conveyor.workflow.checks.diagnostic import Diagnostic, at, did_you_mean
from conveyor.workflow.checks.tree import PathKey
from conveyor.workflow.nodes import whole_expression
from conveyor.workflow.yaml import Position, item_position, key_position, value_position

STRING = "string"
BOOL = "boolean"
NUMBER = "number"
NULL = "null"


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar of one of `kinds`; or, when `choices` is set, one of those strings."""

    kinds: frozenset[str]
    choices: tuple[str, ...] = ()
    rule: str = "type"


@dataclass(frozen=True, slots=True)
class Seq:
    item: Spec


@dataclass(frozen=True, slots=True)
class Map:
    """A mapping. `keys` are the known ones; `values` checks free-form keys when set.

    `what` names a key of this mapping in messages ("job key", "event").
    """

    what: str
    keys: Mapping[str, Spec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    values: Spec | None = None
    rule: str = "unknown-key"


@dataclass(frozen=True, slots=True)
class OneOf:
    """One of several shapes: the value passes when it passes any option of its shape."""

    options: tuple[Spec, ...]
    rule: str = "type"


@dataclass(frozen=True, slots=True)
class AnyValue:
    pass


Spec: TypeAlias = Scalar | Seq | Map | OneOf | AnyValue

ANY = AnyValue()
STR = Scalar(frozenset({STRING}))
BOOL_ = Scalar(frozenset({BOOL}))
NUM = Scalar(frozenset({NUMBER}))
SCALAR = Scalar(frozenset({STRING, BOOL, NUMBER, NULL}))
STR_OR_LIST = OneOf((STR, Seq(STR)))


def str_map(what: str) -> Map:
    """A free-form mapping of scalar values (`env`, `with`, `outputs`)."""
    return Map(what, values=SCALAR)


def is_expression(value: Any) -> bool:
    """True for a string that is one whole `${{ … }}` (the loader's rule)."""
    return whole_expression(value) is not None


def kind_of(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "sequence"
    return STRING


def describe_path(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def check(value: Any, spec: Spec, *, path: PathKey, pos: Position) -> Iterator[Diagnostic]:
    """Check `value` (found at `pos`, reached by `path`) against `spec`."""
    if isinstance(spec, AnyValue):
        return
    if isinstance(spec, OneOf):
        yield from _check_one_of(value, spec, path=path, pos=pos)
    elif isinstance(spec, Scalar):
        if isinstance(value, dict | list) or not _scalar_ok(spec, value):
            yield _type_error(value, spec, path, pos)
    elif isinstance(value, list) and isinstance(spec, Seq):
        for index, item in enumerate(value):
            item_pos = item_position(value, index, pos.file)
            yield from check(item, spec.item, path=(*path, index), pos=item_pos)
    elif isinstance(value, dict) and isinstance(spec, Map):
        yield from _check_map(value, spec, path=path, pos=pos)
    elif not is_expression(value):
        yield _type_error(value, spec, path, pos)


def _check_one_of(value: Any, spec: OneOf, *, path: PathKey, pos: Position) -> Iterator[Diagnostic]:
    candidates = [o for o in spec.options if _shape_matches(o, value)]
    if not candidates:
        if not is_expression(value):
            yield _type_error(value, spec, path, pos)
        return
    if len(candidates) == 1:
        yield from check(value, candidates[0], path=path, pos=pos)
        return
    results = [list(check(value, c, path=path, pos=pos)) for c in candidates]
    if all(results):
        yield _type_error(value, spec, path, pos)


def _check_map(
    value: dict[Any, Any], spec: Map, *, path: PathKey, pos: Position
) -> Iterator[Diagnostic]:
    for key, item in value.items():
        name = str(key)
        sub = spec.keys.get(name, spec.values)
        if sub is None:
            where = f" in `{describe_path(path)}`" if path else ""
            yield at(
                key_position(value, key, pos.file),
                spec.rule,
                f"unknown {spec.what} `{name}`{where}",
                hint=did_you_mean(name, spec.keys),
            )
            continue
        yield from check(item, sub, path=(*path, name), pos=value_position(value, key, pos.file))
    for name in spec.required:
        if name not in value:
            where = f"`{describe_path(path)}`" if path else "the file"
            yield at(
                pos,
                "missing-key",
                f"{where} is missing required key `{name}`",
                hint=f"add `{name}:`",
            )


def _shape_matches(spec: Spec, value: Any) -> bool:
    if isinstance(spec, Seq):
        return isinstance(value, list)
    if isinstance(spec, Map):
        return isinstance(value, dict)
    if isinstance(spec, Scalar):
        return not isinstance(value, dict | list)
    return True


def _scalar_ok(spec: Scalar, value: Any) -> bool:
    kind = STRING if isinstance(value, datetime.date) else kind_of(value)
    if kind == STRING and is_expression(value):
        return True
    if spec.choices:
        return kind == STRING and str(value) in spec.choices
    if STRING in spec.kinds and kind in (BOOL, NUMBER):
        return True  # GitHub reads a scalar as a string where a string is expected
    return kind in spec.kinds


def _article(kind: str) -> str:
    return {"mapping": "a mapping", "sequence": "a list", NULL: "empty"}.get(kind, f"a {kind}")


def _expected(spec: Spec) -> str:
    if isinstance(spec, Scalar):
        if spec.choices:
            return " or ".join(f"`{c}`" for c in spec.choices)
        return " or ".join(_article(k) for k in sorted(spec.kinds - {NULL}) or [NULL])
    if isinstance(spec, Seq):
        return "a list"
    if isinstance(spec, Map):
        return "a mapping"
    if isinstance(spec, OneOf):
        return " or ".join(_expected(o) for o in spec.options)
    return "a value"


def _shown(value: Any) -> str:
    kind = kind_of(value)
    if kind == BOOL:
        return "`true`" if value else "`false`"
    if kind in (STRING, NUMBER) and len(str(value)) <= 40:
        return f"`{value}`"
    return _article(kind)


def _type_error(value: Any, spec: Spec, path: PathKey, pos: Position) -> Diagnostic:
    name = describe_path(path) or "the file"
    rule = spec.rule if isinstance(spec, Scalar | OneOf) else "type"
    return at(pos, rule, f"`{name}` must be {_expected(spec)}, not {_shown(value)}")
