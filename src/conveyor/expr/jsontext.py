"""`toJSON` and `fromJSON` with GitHub's output: two-space indentation, `"key": value`,
empty collections as `{}` / `[]`, numbers printed like every other number (`1`, `1.5`,
`1E+20`, `NaN`). Written without recursion, so any depth of data is fine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from conveyor.expr.values import format_number, kind, normalize_number

_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_ALSO_ESCAPED: Final = frozenset("\u0085\u2028\u2029")


def quote(text: str) -> str:
    """A JSON string literal, escaped the way GitHub's serializer escapes it."""
    out = ['"']
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char < " " or char in _ALSO_ESCAPED:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _scalar(value: Any) -> str:
    match kind(value):
        case "null":
            return "null"
        case "boolean":
            return "true" if value else "false"
        case "number":
            return format_number(value)
        case _:
            return quote(str(value))


def _entries(value: Any) -> Iterator[tuple[str | None, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key), item
    else:
        for item in value:
            yield None, item


@dataclass(slots=True)
class _Frame:
    """An open array or object: its remaining entries and how to close it."""

    entries: Iterator[tuple[str | None, Any]]
    closer: str
    identity: int
    first: bool = True


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[_Frame] = []
        self.open_ids: set[int] = set()

    def value(self, value: Any) -> None:
        value_kind = kind(value)
        if value_kind not in ("array", "object"):
            self.out.append(_scalar(value))
            return
        opener, closer = ("{", "}") if value_kind == "object" else ("[", "]")
        if not value:
            self.out.append(opener + closer)
            return
        if id(value) in self.open_ids:
            raise ValueError("the value contains itself")
        self.out.append(opener)
        self.open_ids.add(id(value))
        self.stack.append(_Frame(entries=_entries(value), closer=closer, identity=id(value)))

    def step(self) -> None:
        """Write the next entry of the innermost open collection, or close it."""
        frame = self.stack[-1]
        indent = "  " * len(self.stack)
        entry = next(frame.entries, None)
        if entry is None:
            self.stack.pop()
            self.open_ids.discard(frame.identity)
            self.out.append("\n" + indent[2:] + frame.closer)
            return
        key, item = entry
        self.out.append(("\n" if frame.first else ",\n") + indent)
        frame.first = False
        if key is not None:
            self.out.append(quote(key) + ": ")
        self.value(item)


def to_json(value: Any) -> str:
    """`toJSON(value)`: GitHub's pretty-printed JSON; ValueError for a value that contains itself."""
    writer = _Writer()
    writer.value(value)
    while writer.stack:
        writer.step()
    return "".join(writer.out)


def _number(text: str) -> int | float:
    return normalize_number(float(text))


def from_json(text: str) -> Any:
    """`fromJSON(text)`: JSON to values (all numbers are doubles); raises ValueError."""
    try:
        return json.loads(text, parse_int=_number, parse_float=_number)
    except RecursionError:
        raise ValueError("the JSON nests too deeply") from None
