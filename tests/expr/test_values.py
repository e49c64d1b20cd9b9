from __future__ import annotations

import math
from typing import Any

import pytest

from conveyor.expr import to_string, truthy
from conveyor.expr.values import (
    compare,
    format_number,
    loose_equal,
    normalize_number,
    parse_number,
    to_number,
)


@pytest.mark.parametrize("value", [False, 0, 0.0, -0.0, "", None, math.nan], ids=repr)
def test_githubs_falsy_values(value: Any) -> None:
    assert truthy(value) is False


@pytest.mark.parametrize("value", [True, 1, -1, 0.5, "0", "false", " ", [], {}, math.inf], ids=repr)
def test_everything_else_is_truthy(value: Any) -> None:
    assert truthy(value) is True


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("", 0.0),
        ("  ", 0.0),
        (" 42 ", 42.0),
        ("-1.5e3", -1500.0),
        ("0x1F", 31.0),
        ("0xffffffff", -1.0),  # .NET reads hex as a signed 32-bit integer
        ("0o17", 15.0),
        ("Infinity", math.inf),
        ("-Infinity", -math.inf),
        ("1e400", math.inf),
    ],
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1,000", "1_000", "inf", "nan", "0x", "1e", "--1"])
def test_strings_that_are_not_numbers_are_nan(text: str) -> None:
    assert math.isnan(parse_number(text))


@pytest.mark.parametrize(
    ("value", "number"),
    [(None, 0.0), (True, 1.0), (False, 0.0), (7, 7.0), ("3", 3.0), (10**400, math.inf)],
)
def test_to_number(value: Any, number: float) -> None:
    assert to_number(value) == number


@pytest.mark.parametrize("value", [[], {}, "x"])
def test_collections_and_words_are_nan(value: Any) -> None:
    assert math.isnan(to_number(value))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1"),
        (1.0, "1"),
        (-3.14, "-3.14"),
        (0.1 + 0.2, "0.3"),  # 15 significant digits
        (1234567890.0, "1234567890"),
        (123456789012345.0, "123456789012345"),
        (12345678901234567890.0, "1.23456789012346E+19"),
        (1e-5, "1E-05"),
        (0.0001, "0.0001"),
        (-0.0, "0"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
    ],
)
def test_numbers_print_like_github(value: float, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (2.0, "2"),
        ("x", "x"),
        ({"a": [1]}, '{\n  "a": [\n    1\n  ]\n}'),
        ([], "[]"),
    ],
)
def test_to_string_for_interpolation(value: Any, text: str) -> None:
    assert to_string(value) == text


def test_normalize_number_keeps_ints_ints_and_fractions_floats() -> None:
    assert type(normalize_number(3.0)) is int
    assert type(normalize_number(3.5)) is float
    assert type(normalize_number(2.0**60)) is float  # beyond exact integers
    assert math.copysign(1, normalize_number(-0.0)) == -1


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (None, 0),
        (True, 1),
        ("", 0),
        ("3", 3),
        ("TEST", "test"),
        (None, None),
        (None, ""),
        (False, "0"),
        (" 3 ", 3),
        ("straße", "STRAßE"),
        ("éclair", "ÉCLAIR"),
    ],
    ids=repr,
)
def test_loose_equality(left: Any, right: Any) -> None:
    assert loose_equal(left, right)
    assert loose_equal(right, left)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (math.nan, math.nan),
        ("a", 0),
        ({}, {}),
        ([], []),
        (None, "x"),
        (True, "true"),
        ([], 0),
        ("ı", "I"),  # the dotless i is not folded, as in .NET's OrdinalIgnoreCase
    ],
    ids=repr,
)
def test_not_equal(left: Any, right: Any) -> None:
    assert not loose_equal(left, right)


def test_objects_are_equal_only_to_themselves() -> None:
    obj: dict[str, Any] = {}
    assert loose_equal(obj, obj)


@pytest.mark.parametrize(
    ("left", "right", "order"),
    [
        (1, 2, -1),
        ("b", "a", 1),
        ("B", "a", 1),  # case-insensitive
        (True, False, 1),
        ("10", 9, 1),  # numeric coercion
        (None, -1, 1),
        (math.nan, 1, None),
        ({}, 2, None),
        ({}, [], None),
    ],
)
def test_ordering(left: Any, right: Any, order: int | None) -> None:
    assert compare(left, right) == order
