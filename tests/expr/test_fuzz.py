"""Any input gives a value or an ExpressionError, never another exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conveyor.errors import ExpressionError
from conveyor.expr import EvalEnv, evaluate, evaluate_if, find_templates, interpolate, parse
from conveyor.expr.jsontext import to_json

CONTEXTS: dict[str, Any] = {
    "github": {"ref": "refs/heads/main", "event": {"list": [1, "two", None, {"a": True}]}},
    "env": {"A": "1", "B": ""},
    "matrix": {"n": 3.5, "neg": -0.0},
    "needs": {"x": {"result": "success"}},
}

TOKENS = [
    "(", ")", "[", "]", ",", ".", "*", "!", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
    "'a'", "''", "'it''s'", "'}}'", "0", "1", "-1.5", "0xff", "1e3", ".5", "NaN", "Infinity",
    "true", "false", "null", "github", "env", "matrix", "needs", "ref", "event", "list", "A",
    "contains", "startsWith", "endsWith", "format", "join", "toJSON", "fromJSON", "case",
    "success", "failure", "always", "cancelled", "hashFiles", "'{0}'", "'[1,{\"a\":2}]'",
    "'{{'", "' '", "nope", "'**'",
]  # fmt: skip


def _error_of(text: str, *, workspace: Path | None = None) -> ExpressionError | None:
    try:
        evaluate(text, CONTEXTS, env=EvalEnv(workspace=workspace))
    except ExpressionError as exc:
        return exc
    return None


def _settled(text: str, *, workspace: Path | None = None) -> None:
    error = _error_of(text, workspace=workspace)
    if error is not None:
        assert error.column >= 1
        assert error.message


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    _settled(text)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_any_token_soup_evaluates_or_raises_expression_error(text: str) -> None:
    _settled(text)


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(
        ["1", "0", "'x'", "''", "null", "true", "NaN", "github", "env.A", "github.event.list",
         "matrix.n", "needs.*.result", "fromJSON('[1,2]')", "github.event.list.*.a"]
    )  # fmt: skip

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["==", "!=", "<", ">=", "&&", "||"]), inner)
        return st.one_of(
            binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"!{e}"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
            st.tuples(st.sampled_from(["contains", "startsWith", "endsWith"]), inner, inner).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
            st.tuples(inner, inner).map(lambda t: f"format('{{0}}-{{1}}', {t[0]}, {t[1]})"),
            inner.map(lambda e: f"join({e}, '-')"),
            inner.map(lambda e: f"toJSON({e})"),
            inner.map(lambda e: f"fromJSON(toJSON({e}))"),
            st.tuples(inner, inner).map(lambda t: f"case(!!{t[0]}, {t[1]}, 'd')"),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=500, deadline=None)
@given(_expressions())
def test_well_formed_expressions_parse_and_evaluate(text: str) -> None:
    parse(text)  # never a syntax error
    assert _error_of(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="${}' ab.()=!", max_size=40))
def test_templates_in_any_text(text: str) -> None:
    try:
        spans = find_templates(text)
        interpolate(text, CONTEXTS)
        evaluate_if(text, CONTEXTS)
    except ExpressionError:
        return
    for span in spans:
        assert text[span.start : span.start + 3] == "${{"
        assert text[span.end - 2 : span.end] == "}}"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_to_json_is_json_that_reads_back(value: Any) -> None:
    assert json.loads(to_json(value)) == value
    assert evaluate("fromJSON(toJSON(env.v))", {"env": {"v": value}}) == value


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(alphabet="*!/.a-[]?\\\n#", max_size=8), min_size=1, max_size=3))
def test_hash_files_with_any_patterns(tmp_path: Path, patterns: list[str]) -> None:
    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "a" / "x").write_text("x")
    args = ", ".join("'" + p.replace("'", "''") + "'" for p in patterns)
    _settled(f"hashFiles({args})", workspace=tmp_path)


# Cases the fuzzers found or that sit on an edge, kept as regressions.
@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("github.event.list[matrix.n]", None),  # a fractional index
        ("github.event.list[1e400]", None),  # an infinite index
        ("github.event.list[-0]", 1),
        ("matrix.neg", -0.0),
        ("!matrix.neg", True),
        ("github[github]", None),  # an object as an index
        ("needs.*[0]", {"result": "success"}),  # a number indexes the filter result itself
        ("format('{0}', needs.*.result)", "Array"),
        ("toJSON(needs.*.result)", '[\n  "success"\n]'),
        ("join(needs.*.result)", "success"),
        ("fromJSON('1e400')", float("inf")),
        ("fromJSON('123456789012345678901234567890')", 1.2345678901234568e29),
        ("contains(github.event.list, null)", True),
        ("case(true, 1, 2) == 1", True),
        ("0x7fffffff", 2147483647),
        ("0x100000000 == 1", ExpressionError),  # beyond 32 bits is not a number
        ("'a' < 'B'", True),
        ("1 == 1 == 1", True),
        ("github..ref", ExpressionError),
        ("github.*.*", [[1, "two", None, {"a": True}]]),  # strings have no values to filter
    ],
)
def test_regressions(text: str, outcome: Any) -> None:
    if outcome is ExpressionError:
        with pytest.raises(ExpressionError):
            evaluate(text, CONTEXTS)
    else:
        assert evaluate(text, CONTEXTS) == outcome
