"""Values of the expression language and GitHub's rules for converting and comparing them.

Values are plain Python: None, bool, int/float (one "number" kind, compared as doubles),
str, list (array) and dict (object). Arrays and objects are compared by reference, as
GitHub does. String comparison and property lookup ignore case.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Final, Literal

Kind = Literal["null", "boolean", "number", "string", "array", "object"]

MISSING: Final = object()
"""Returned by `lookup` when an object has no such key."""

_MAX_SAFE_INTEGER: Final = 2**53
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCTAL = re.compile(r"0o[0-7]+")


class FilteredArray(list[Any]):
    """The result of a `.*` filter: further property access applies to each item."""


def kind(value: Any) -> Kind:
    """The expression-language kind of a Python value (unknown types count as strings)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return "string"


def is_primitive(value: Any) -> bool:
    return kind(value) not in ("array", "object")


def normalize_number(number: float) -> int | float:
    """A number as the friendliest Python value: integral doubles become ints."""
    negative_zero = number == 0 and math.copysign(1.0, number) < 0
    if (
        math.isfinite(number)
        and number.is_integer()
        and abs(number) < _MAX_SAFE_INTEGER
        and not negative_zero
    ):
        return int(number)
    return number


def as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an int too large for a double
        return math.inf if value > 0 else -math.inf


def parse_number(text: str) -> float:
    """GitHub's string-to-number rule: decimal, 0x hex, 0o octal, ±Infinity, '' is 0, else NaN."""
    text = text.strip()
    if not text:
        return 0.0
    if _DECIMAL.fullmatch(text):
        return float(text)
    if _HEX.fullmatch(text):
        value = int(text[2:], 16)
        if value > 0xFFFFFFFF:
            return math.nan
        # a 32-bit signed integer, as .NET parses hex
        return float(value - 2**32 if value >= 2**31 else value)
    if _OCTAL.fullmatch(text):
        value = int(text[2:], 8)
        return float(value) if value < 2**31 else math.nan
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    return math.nan


def to_number(value: Any) -> float:
    """Coerce any value to a double: null 0, booleans 1/0, strings parsed, collections NaN."""
    match kind(value):
        case "null":
            return 0.0
        case "boolean":
            return 1.0 if value else 0.0
        case "number":
            return as_float(value)
        case "string":
            return parse_number(str(value))
        case _:
            return math.nan


def truthy(value: Any) -> bool:
    """GitHub's truthiness: false, 0, -0, '', null and NaN are falsy; everything else is truthy."""
    match kind(value):
        case "null":
            return False
        case "boolean":
            return bool(value)
        case "number":
            number = as_float(value)
            return not (number == 0 or math.isnan(number))
        case "string":
            return str(value) != ""
        case _:
            return True


def format_number(value: int | float) -> str:
    """A number as GitHub prints it (.NET "G15"): `1`, `1.5`, `1E+20`, `NaN`, `-Infinity`."""
    number = as_float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"  # -0 too
    return format(number, ".15g").replace("e", "E")


def coerce_string(value: Any) -> str:
    """GitHub's string conversion inside functions: collections become 'Array' / 'Object'."""
    match kind(value):
        case "null":
            return ""
        case "boolean":
            return "true" if value else "false"
        case "number":
            return format_number(value)
        case "string":
            return str(value)
        case "array":
            return "Array"
        case _:
            return "Object"


def _fold_char(char: str) -> str:
    upper = char.upper()
    # one character for one, and the dotless ı stays itself, as .NET's OrdinalIgnoreCase
    return upper if len(upper) == 1 and char != "\u0131" else char


def fold(text: str) -> str:
    """Upper-case one character at a time, like .NET's OrdinalIgnoreCase."""
    if text.isascii():
        return text.upper()
    return "".join(map(_fold_char, text))


def lookup(obj: Mapping[str, Any], key: str) -> Any:
    """`obj[key]`, ignoring case; MISSING when absent."""
    if key in obj:
        return obj[key]
    folded = fold(key)
    for candidate, value in obj.items():
        if isinstance(candidate, str) and fold(candidate) == folded:
            return value
    return MISSING


def _coerce_pair(left: Any, right: Any) -> tuple[Any, Kind, Any, Kind]:
    """Bring two values to one kind where GitHub's loose comparison does."""
    left_kind, right_kind = kind(left), kind(right)
    while left_kind != right_kind:
        if (left_kind, right_kind) == ("number", "string"):
            right, right_kind = to_number(right), "number"
        elif (left_kind, right_kind) == ("string", "number") or left_kind in ("boolean", "null"):
            left, left_kind = to_number(left), "number"
        elif right_kind in ("boolean", "null"):
            right, right_kind = to_number(right), "number"
        else:
            break  # an array or object is never coerced
    return left, left_kind, right, right_kind


def loose_equal(left: Any, right: Any) -> bool:
    """`==`: loose equality with numeric coercion; strings ignore case; collections by reference."""
    left, left_kind, right, right_kind = _coerce_pair(left, right)
    if left_kind != right_kind:
        return False
    match left_kind:
        case "null":
            return True
        case "number":
            a, b = as_float(left), as_float(right)
            return not (math.isnan(a) or math.isnan(b)) and a == b
        case "string":
            return fold(str(left)) == fold(str(right))
        case "boolean":
            return bool(left) == bool(right)
        case _:
            return left is right


def compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 for orderable values of one kind after coercion; None when unordered (NaN, collections)."""
    left, left_kind, right, right_kind = _coerce_pair(left, right)
    if left_kind != right_kind:
        return None
    match left_kind:
        case "number":
            a, b = as_float(left), as_float(right)
            if math.isnan(a) or math.isnan(b):
                return None
            return (a > b) - (a < b)
        case "string":
            x, y = fold(str(left)), fold(str(right))
            return (x > y) - (x < y)
        case "boolean":
            return int(bool(left)) - int(bool(right))
        case _:
            return None
