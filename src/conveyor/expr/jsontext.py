"""`toJSON` and `fromJSON` with GitHub's output: two-space indentation, `"key": value`,
empty collections as `{}` / `[]`, numbers printed like every other number (`1`, `1.5`,
`1E+20`, `NaN`). Written without recursion, so any depth of data is fine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
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


Frame = tuple[Iterator[tuple[str | None, Any]], str]


def _open(value: Any, out: list[str], stack: list[Frame]) -> None:
    value_kind = kind(value)
    if value_kind not in ("array", "object"):
        out.append(_scalar(value))
        return
    opener, closer = ("{", "}") if value_kind == "object" else ("[", "]")
    if not value:
        out.append(opener + closer)
        return
    out.append(opener)
    stack.append((_entries(value), closer))


def to_json(value: Any) -> str:
    """`toJSON(value)`: GitHub's pretty-printed JSON."""
    out: list[str] = []
    stack: list[Frame] = []
    first: list[bool] = []
    _open(value, out, stack)
    first.extend(True for _ in stack)
    while stack:
        entries, closer = stack[-1]
        entry = next(entries, None)
        indent = "  " * len(stack)
        if entry is None:
            stack.pop()
            first.pop()
            out.append("\n" + indent[2:] + closer)
            continue
        key, item = entry
        out.append(("\n" if first[-1] else ",\n") + indent)
        first[-1] = False
        if key is not None:
            out.append(quote(key) + ": ")
        before = len(stack)
        _open(item, out, stack)
        if len(stack) > before:
            first.append(True)
    return "".join(out)


def _number(text: str) -> int | float:
    return normalize_number(float(text))


def from_json(text: str) -> Any:
    """`fromJSON(text)`: JSON to values (all numbers are doubles); raises ValueError."""
    try:
        return json.loads(text, parse_int=_number, parse_float=_number)
    except RecursionError:
        raise ValueError("the JSON nests too deeply") from None
