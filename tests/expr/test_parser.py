from __future__ import annotations

import math

import pytest

from conveyor.errors import ExpressionError
from conveyor.expr import MAX_DEPTH, evaluate, parse
from conveyor.expr.nodes import (
    Compare,
    ContextName,
    FunctionCall,
    Index,
    Literal,
    Logical,
    Not,
    Property,
    Star,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("null", None),
        ("true", True),
        ("false", False),
        ("123", 123),
        ("-9.7", -9.7),
        ("+5", 5),
        (".5", 0.5),
        ("1.", 1),
        ("0xff", 255),
        ("0xFF", 255),
        ("0o17", 15),
        ("-2.99e-2", -0.0299),
        ("1E3", 1000),
        ("Infinity", math.inf),
        ("-Infinity", -math.inf),
        ("'foo'", "foo"),
        ("'it''s foo'", "it's foo"),
        ("''''", "'"),
        ("''", ""),
        ("'}}'", "}}"),
    ],
)
def test_literals(text: str, value: object) -> None:
    node = parse(text)
    assert isinstance(node, Literal)
    assert node.value == value
    assert type(node.value) is type(value)


def test_nan_literal() -> None:
    node = parse("NaN")
    assert isinstance(node, Literal)
    assert math.isnan(node.value)


def test_keywords_are_case_sensitive_so_TRUE_is_a_context_name() -> None:
    assert isinstance(parse("TRUE"), ContextName)


def test_identifiers_may_contain_dashes() -> None:
    node = parse("steps.my-step.outputs.foo-bar")
    assert isinstance(node, Property)
    assert node.name == "foo-bar"


def test_keywords_after_a_dot_are_property_names() -> None:
    node = parse("github.event.null")
    assert isinstance(node, Property)
    assert node.name == "null"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true || false && false", True),  # && binds tighter than ||
        ("(true || false) && false", False),
        ("!false == true", True),  # ! binds tighter than ==
        ("1 < 2 == true", True),  # < binds tighter than ==
        ("1 == 1 && 2 > 1", True),
        ("!(1 == 2)", True),
        ("3 > 2 > 1", False),  # (3 > 2) > 1 is true > 1, which is 1 > 1
    ],
)
def test_precedence(text: str, expected: bool) -> None:
    assert evaluate(text, {}) is expected


def test_and_or_chains_become_one_node() -> None:
    node = parse("a.x && a.y && a.z")
    assert isinstance(node, Logical)
    assert len(node.operands) == 3


def test_tree_shape_of_access_and_calls() -> None:
    node = parse("contains(github.event.*.name, 'x') != !matrix['os']")
    assert isinstance(node, Compare)
    assert node.op == "!="
    call, negation = node.left, node.right
    assert isinstance(call, FunctionCall)
    assert call.name == "contains"
    assert isinstance(call.args[0], Property)
    assert isinstance(call.args[0].target, Star)
    assert isinstance(negation, Not)
    assert isinstance(negation.operand, Index)


def test_whitespace_and_newlines_are_allowed_between_tokens() -> None:
    assert evaluate("(\n  1 ==\t1\n)", {}) is True


def test_function_name_may_be_followed_by_spaces() -> None:
    assert isinstance(parse("format ('x')"), FunctionCall)


@pytest.mark.parametrize(
    ("text", "column", "says"),
    [
        ("", 1, "expected an expression"),
        ("   ", 1, "expected an expression"),
        ("1 ==", 5, "expected a value"),
        ("(1 == 1", 8, "`)` to close `(` at column 1"),
        ("a[0", 4, "`]` to close `[` at column 2"),
        ("a[]", 3, "expected an index"),
        ("github.", 8, "property name or `*`"),
        ("github.(", 8, "property name or `*`"),
        ("'abc", 1, "unterminated string"),
        ("1 = 1", 3, "expected `==`"),
        ("a & b", 3, "expected `&&`"),
        ("a | b", 3, "expected `||`"),
        ("1 2", 3, "expected an operator or the end"),
        ("github.ref github.sha", 12, "expected an operator or the end"),
        ("format('a' 'b')", 12, "`,` or `)` in the arguments of `format(`"),
        ("1-2", 1, "expected a number"),
        ("0xZZ", 1, "expected a number"),
        ("a$b", 1, "unexpected `a$b`"),
        ('"text" == 1', 1, "expected a string in single quotes"),
        ("${{ 1 }}", 1, "`${{ }}` cannot be nested"),
        ("*", 1, "expected a value"),
        ("'a'.length", 4, "expected a number"),
        (")", 1, "expected a value"),
        ("!", 2, "expected a value"),
    ],
)
def test_syntax_errors_name_the_column_and_what_was_expected(
    text: str, column: int, says: str
) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert info.value.column == column
    assert says in info.value.message
    assert info.value.expression == text


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    assert evaluate("(" * depth + "1" + ")" * depth, {}) == 1


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10_000 + "1" + ")" * 10_000,
        "!" * 10_000 + "true",
        "format(" * 2_000 + "'x'" + ")" * 2_000,
        "a" + "[0]" * 60,
        " == ".join(["1"] * 100),
        "a[" * 3_000,
    ],
    ids=["parentheses", "nots", "calls", "indexes", "comparisons", "unclosed-indexes"],
)
def test_very_deep_nesting_is_a_clean_error(text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert "nests more than 50 levels" in info.value.message


def test_an_expression_longer_than_githubs_limit_is_refused() -> None:
    with pytest.raises(ExpressionError, match="at most 21000"):
        parse("'" + "x" * 21_000 + "'")
