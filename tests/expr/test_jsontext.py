from __future__ import annotations

import pytest

from conveyor.expr.jsontext import from_json, quote, to_json


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("tab\tnew\nline\r", '"tab\\tnew\\nline\\r"'),
        ("\x01\x1f", '"\\u0001\\u001f"'),
        ("\u2028\u2029\u0085", '"\\u2028\\u2029\\u0085"'),
        ("é ✓ <>&'", '"é ✓ <>&\'"'),  # not escaped, as GitHub's serializer leaves them
    ],
)
def test_strings_are_escaped_like_github(text: str, quoted: str) -> None:
    assert quote(text) == quoted


def test_nested_indentation() -> None:
    assert to_json({"a": {"b": [1, {"c": None}]}}) == (
        '{\n  "a": {\n    "b": [\n      1,\n      {\n        "c": null\n      }\n    ]\n  }\n}'
    )


def test_keys_keep_their_order() -> None:
    assert to_json({"z": 1, "a": 2}).index('"z"') < to_json({"z": 1, "a": 2}).index('"a"')


def test_from_json_numbers_are_doubles_shown_as_ints_when_whole() -> None:
    value = from_json("[1, 1.0, 1.5, 1e2, 12345678901234567890]")
    assert value == [1, 1, 1.5, 100, 1.2345678901234567e19]
    assert [type(v) for v in value] == [int, int, float, int, float]


def test_from_json_refuses_bad_json() -> None:
    with pytest.raises(ValueError, match="Expecting"):
        from_json("{")
