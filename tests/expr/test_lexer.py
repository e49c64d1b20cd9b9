from __future__ import annotations

import pytest

from conveyor.errors import ExpressionError
from conveyor.expr.lexer import tokenize


def kinds(text: str) -> list[str]:
    return [token.kind for token in tokenize(text)]


def test_tokens_carry_their_columns() -> None:
    tokens = tokenize("a.b == 'x'")
    assert [(t.kind, t.text, t.column) for t in tokens] == [
        ("name", "a", 1),
        (".", ".", 2),
        ("name", "b", 3),
        ("op", "==", 5),
        ("literal", "'x'", 8),
        ("end", "", 11),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a.b", ["name", ".", "name", "end"]),
        ("1 == .5", ["literal", "op", "literal", "end"]),  # `.` after no value starts a number
        ("a .b", ["name", ".", "name", "end"]),  # after a value it is access, spaces or not
        ("f(.5)", ["name", "(", "literal", ")", "end"]),
        ("a[0].b", ["name", "[", "literal", "]", ".", "name", "end"]),
        ("(a).b", ["(", "name", ")", ".", "name", "end"]),
        ("a.*.b", ["name", ".", "*", ".", "name", "end"]),
        ("!a<=b", ["!", "name", "op", "name", "end"]),
        ("a!=b&&c||d", ["name", "op", "name", "&&", "name", "||", "name", "end"]),
        ("a.true", ["name", ".", "name", "end"]),  # a keyword after `.` is a name
    ],
)
def test_token_kinds(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


def test_string_escapes_and_values() -> None:
    (token, _) = tokenize("'it''s ${{ x }}'")
    assert token.value == "it's ${{ x }}"


@pytest.mark.parametrize(("text", "column"), [("a ~ b", 3), ("1 + ", 3), ("a = b", 3)])
def test_unknown_symbols_are_errors_at_their_column(text: str, column: int) -> None:
    with pytest.raises(ExpressionError) as info:
        tokenize(text)
    assert info.value.column == column
