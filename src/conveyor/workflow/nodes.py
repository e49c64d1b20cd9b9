"""Reading ruamel's tree into plain values, the way GitHub reads a workflow.

Each helper takes a YAML value and the `Position` where it was written, and returns one
normalised form or raises a `WorkflowError` that points there. Scalars that GitHub turns
into strings (`env`, `with`, `if`, …) are stringified as GitHub does: `true` → `"true"`,
`3.10` → `"3.1"` (YAML reads it as the float 3.1 before GitHub sees it), `~` → `""`.
"""

from __future__ import annotations

import contextlib
import datetime
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from ruamel.yaml.comments import CommentedMap, TaggedScalar
from ruamel.yaml.scalarbool import ScalarBoolean

from conveyor.errors import WorkflowError
from conveyor.workflow.model import Positions, Raw, Template
from conveyor.workflow.yaml import Position, item_position, key_position, value_position

MAX_RAW_NODES = 100_000
"""A bound on values built from aliases, so `&a [*b, *b, …]` chains cannot exhaust memory."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One `key: value` of a mapping, with where the key and the value are written.

    A null value has no place of its own; `pos` is then the key's.
    """

    key: str
    value: Any
    key_pos: Position
    pos: Position


def fail(message: str, pos: Position, *, rule: str = "syntax", hint: str | None = None) -> NoReturn:
    raise WorkflowError(
        message, file=pos.file, line=pos.line, column=pos.column, rule=rule, hint=hint
    )


SCALARS = (str, int, float, bool, datetime.date, TaggedScalar, ScalarBoolean)


def kind(value: Any) -> str:
    """The YAML name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a sequence"
    if isinstance(value, bool | ScalarBoolean):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, SCALARS):
        return "a string"
    return f"a value GitHub does not read ({type(value).__name__})"


def is_scalar(value: Any) -> bool:
    """null, a string, a number or a boolean (dates and tagged scalars read as strings)."""
    return value is None or isinstance(value, SCALARS)


def plain(value: Any) -> Any:
    """Unwrap ruamel's scalar subclasses and tags into str, int, float, bool or None."""
    if isinstance(value, TaggedScalar):
        return "" if value.value is None else str(value.value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, ScalarBoolean):  # an anchored `true`: an int subclass, not a bool
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


def scalar_text(value: Any) -> str:
    """A scalar as the string GitHub makes of it (`true`, `3.1`, `""` for null)."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(as_double(value))
    return str(value)


def as_double(value: float) -> float:
    """A YAML number as GitHub holds it, a double; beyond its range, ±infinity as .NET reads it."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def number_text(value: float) -> str:
    """A double written as GitHub writes it (.NET's `G15`): `3.1`, `1000`, `1E-07`, `1E+20`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    mantissa, exponent_text = f"{value:.14e}".split("e")
    exponent = int(exponent_text)
    if exponent >= 15 or exponent < -4:  # fixed only for -5 < exponent < 15, as .NET does
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}E{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"
    fixed = f"{value:.{14 - exponent}f}"
    return fixed.rstrip("0").rstrip(".") if "." in fixed else fixed


def is_whole_expression(text: str) -> bool:
    """`${{ … }}` and nothing else around it (so it may evaluate to a list or an object)."""
    stripped = text.strip()
    return stripped.startswith("${{") and stripped.endswith("}}") and stripped.count("${{") == 1


def whole_expression(value: Any) -> Template | None:
    """The value when it is one `${{ }}` standing for a whole mapping, list or object."""
    return value if isinstance(value, str) and is_whole_expression(value) else None


def entries(mapping: Any, pos: Position, what: str) -> Iterator[Entry]:
    """The entries of a mapping (null is an empty mapping); keys become strings."""
    if mapping is None:
        return
    if not isinstance(mapping, Mapping):
        fail(f"{what} must be a mapping, not {kind(mapping)}", pos)
    for key, value in mapping.items():
        if not is_scalar(key):
            fail(f"{what} has a key that is {kind(key)}", key_position(mapping, key, pos.file))
        key_pos = key_position(mapping, key, pos.file)
        yield Entry(
            key=scalar_text(key),
            value=plain(value) if is_scalar(value) else value,
            key_pos=key_pos,
            pos=key_pos if value is None else value_position(mapping, key, pos.file),
        )


def items(seq: Any, pos: Position, what: str) -> Iterator[tuple[Any, Position]]:
    """The items of a sequence (null is an empty sequence), each with its position."""
    if seq is None:
        return
    if not isinstance(seq, list | tuple):
        fail(f"{what} must be a sequence, not {kind(seq)}", pos)
    for index, item in enumerate(seq):
        yield plain(item) if is_scalar(item) else item, item_position(seq, index, pos.file)


def positions_of(mapping: Any, file: str) -> Positions:
    """Each key as written → where its value starts (the key itself when the value is null)."""
    if not isinstance(mapping, CommentedMap):
        return {}
    return {
        scalar_text(key): (
            key_position(mapping, key, file)
            if value is None
            else value_position(mapping, key, file)
        )
        for key, value in mapping.items()
        if is_scalar(key)
    }


# ----------------------------------------------------------------- scalars ---


def template(value: Any, pos: Position, what: str) -> Template:
    """A scalar as a string (`if: false` → `"false"`); a mapping or sequence is an error."""
    if not is_scalar(value):
        fail(f"{what} must be a string, not {kind(value)}", pos)
    return scalar_text(value)


def optional_template(value: Any, pos: Position, what: str) -> Template | None:
    return None if value is None else template(value, pos, what)


def flag(value: Any, pos: Position, what: str) -> bool | Template:
    """A boolean, or a `${{ }}` template left for run time."""
    value = plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if "${{" in value:
            return value
    fail(
        f"{what} must be `true`, `false` or a `${{{{ }}}}` expression, not {kind(value)}",
        pos,
        hint=f"got {scalar_text(value)!r}" if is_scalar(value) else None,
    )


def boolean(value: Any, pos: Position, what: str, *, default: bool = False) -> bool:
    """A plain boolean (`'true'` and `'false'` as strings too, as action.yml files write)."""
    if value is None:
        return default
    result = flag(value, pos, what)
    if isinstance(result, str):
        fail(f"{what} must be `true` or `false`, not an expression", pos)
    return result


def number(value: Any, pos: Position, what: str) -> float | Template:
    """A finite number, or a `${{ }}` template left for run time."""
    value = plain(value)
    if isinstance(value, str) and "${{" in value:
        return value
    found: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        found = as_double(value)
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            found = float(value)
    if found is None or not math.isfinite(found):
        shown = f" ({scalar_text(value)!r})" if is_scalar(value) else ""
        fail(f"{what} must be a number or a `${{{{ }}}}` expression, not {kind(value)}{shown}", pos)
    return found


def integer(value: Any, pos: Position, what: str) -> int | Template:
    result = number(value, pos, what)
    if isinstance(result, float):
        if not result.is_integer():
            fail(f"{what} must be a whole number, not {scalar_text(result)}", pos)
        return int(result)
    return result


# ------------------------------------------------------------- collections ---


def string_list(value: Any, pos: Position, what: str) -> tuple[str, ...]:
    """A string or a sequence of strings (a single string is a one-item list)."""
    if is_scalar(value) and value is not None:
        return (scalar_text(value),)
    return tuple(
        template(item, item_pos, f"an item of {what}") for item, item_pos in items(value, pos, what)
    )


def string_map(value: Any, pos: Position, what: str) -> dict[str, Template]:
    """A mapping of names to strings (`env`, a step's `with`, `outputs`)."""
    return {
        entry.key: template(entry.value, entry.pos, f"`{entry.key}` in {what}")
        for entry in entries(value, pos, what)
    }


def raw(value: Any, pos: Position, *, budget: list[int] | None = None) -> Raw:
    """A YAML value as plain data: tuples for sequences, dicts for mappings, typed scalars."""
    budget = [MAX_RAW_NODES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        fail(
            f"value is too large (aliases expand to more than {MAX_RAW_NODES} nodes)",
            pos,
            hint="write the value out instead of nesting aliases",
        )
    if isinstance(value, Mapping):
        return {
            entry.key: raw(entry.value, entry.pos, budget=budget)
            for entry in entries(value, pos, "a value")
        }
    if isinstance(value, list | tuple):
        return tuple(
            raw(item, item_pos, budget=budget) for item, item_pos in items(value, pos, "a value")
        )
    if not is_scalar(value):
        fail(
            f"a value must be a string, number, boolean, sequence or mapping, not {kind(value)}",
            pos,
        )
    result = plain(value)
    if isinstance(result, str | int | float | bool) or result is None:
        return result
    return scalar_text(result)
