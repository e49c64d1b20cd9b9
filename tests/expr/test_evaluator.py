from __future__ import annotations

import math
from typing import Any

import pytest

from conveyor.errors import ExpressionError
from conveyor.expr import EvalEnv, evaluate, parse

CONTEXTS: dict[str, Any] = {
    "github": {
        "event_name": "push",
        "ref": "refs/heads/main",
        "event": {
            "commits": [
                {"author": {"username": "someone"}, "message": "one"},
                {"author": {"username": "someone-else"}, "message": "two"},
            ],
            "labels": {"bug": {"name": "Bug"}, "docs": {"name": "Docs"}},
        },
    },
    "env": {"MY_VAR": "value", "EMPTY": ""},
    "matrix": {"python": "3.12", "os": "ubuntu-latest"},
    "steps": {"build-it": {"outputs": {"sha-256": "abc"}, "outcome": "success"}},
    "needs": {
        "lint": {"result": "success", "outputs": {}},
        "test": {"result": "failure", "outputs": {}},
    },
}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("github.event_name", "push"),
        ("GITHUB.EVENT_NAME", "push"),  # context and property names ignore case
        ("env.my_var", "value"),
        ("github['ref']", "refs/heads/main"),
        ("github['REF']", "refs/heads/main"),
        ("steps.build-it.outputs.sha-256", "abc"),
        ("steps['build-it'].outputs['sha-256']", "abc"),
        ("github.event.commits[1].message", "two"),
        ("github.event.commits['1'].message", "two"),  # a numeric string indexes an array
        ("github.event.commits[0].author.username", "someone"),
        ("github.nope", None),
        ("github.nope.deeper", None),
        ("github.event.commits[5]", None),
        ("github.event.commits[-1]", None),
        ("github.event.commits[1.5]", None),
        ("github.event.commits.message", None),  # arrays have no properties
        ("github.ref[0]", None),  # strings are not indexable
        ("vars.anything", None),  # a documented context the runner did not supply
    ],
)
def test_property_and_index_access(text: str, value: Any) -> None:
    assert evaluate(text, CONTEXTS) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("github.event.commits.*.author.username", ["someone", "someone-else"]),
        ("github.event.commits[*].message", ["one", "two"]),
        ("github.event.labels.*.name", ["Bug", "Docs"]),
        ("needs.*.result", ["success", "failure"]),
        ("github.event.commits.*.nope", []),
        ("(github.event.commits.*.message)[1]", "two"),
        ("github.event.commits.*.author.*", ["someone", "someone-else"]),
        ("github.nope.*", None),
    ],
)
def test_object_filters(text: str, value: Any) -> None:
    assert evaluate(text, CONTEXTS) == value


def test_filters_flatten_one_level() -> None:
    contexts = {"inputs": {"groups": [{"items": [1, 2]}, {"items": [3]}]}}
    assert evaluate("inputs.groups.*.items", contexts) == [[1, 2], [3]]
    assert evaluate("inputs.groups.*.items.*", contexts) == [1, 2, 3]


def test_contains_over_a_filter() -> None:
    assert evaluate("contains(needs.*.result, 'FAILURE')", CONTEXTS) is True
    assert evaluate("contains(needs.*.result, 'cancelled')", CONTEXTS) is False


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("env.MY_VAR && 'yes'", "yes"),
        ("env.EMPTY && 'yes'", ""),
        ("env.EMPTY || 'fallback'", "fallback"),
        ("env.MY_VAR || 'fallback'", "value"),
        ("null || 0 || ''", ""),  # the last operand when none is truthy
        ("1 && 2 && 3", 3),
        ("matrix.python == '3.12' && 'new' || 'old'", "new"),
    ],
)
def test_and_or_return_an_operand(text: str, value: Any) -> None:
    assert evaluate(text, CONTEXTS) == value


def test_and_or_short_circuit_runtime_errors() -> None:
    assert evaluate("false && fromJSON('not json')", {}) is False
    assert evaluate("true || fromJSON('not json')", {}) is True


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'TEST' == 'test'", True),
        ("null == 0", True),
        ("'' == 0", True),
        ("'3' == 3", True),
        ("true == 1", True),
        ("NaN == NaN", False),
        ("NaN != NaN", True),
        ("github == github", True),  # the same object
        ("fromJSON('{}') == fromJSON('{}')", False),  # two objects
        ("'b' >= 'a'", True),
        ("'a' <= 'A'", True),
        ("null <= null", True),
        ("null < null", False),
        ("1 < 'abc'", False),
        ("Infinity > 1e308", True),
        ("-Infinity < -1e308", True),
        ("!NaN", True),
        ("!fromJSON('[]')", False),
    ],
)
def test_comparisons(text: str, value: bool) -> None:
    assert evaluate(text, CONTEXTS) is value


def test_arrays_and_objects_come_back_by_reference() -> None:
    contexts = {"github": {"event": {"list": [1, 2]}}}
    assert evaluate("github.event.list", contexts) is contexts["github"]["event"]["list"]


def test_numbers_come_back_as_python_numbers() -> None:
    assert evaluate("0xff", {}) == 255
    assert isinstance(evaluate("1.0", {}), int)
    assert isinstance(evaluate("1.5", {}), float)
    assert math.isnan(evaluate("NaN", {}))


def test_a_parsed_tree_can_be_evaluated_many_times() -> None:
    node = parse("matrix.python")
    assert evaluate(node, {"matrix": {"python": "3.11"}}) == "3.11"
    assert evaluate(node, {"matrix": {"python": "3.13"}}) == "3.13"


@pytest.mark.parametrize(
    ("text", "column", "says"),
    [
        ("foo.bar", 1, "unknown context `foo`"),
        ("gihub.ref", 1, "did you mean `github`?"),
        ("1 == tojsn(1)", 6, "did you mean `toJSON`?"),
        ("false && nope()", 10, "unknown function `nope`"),  # even where never evaluated
        ("contains('a')", 1, "`contains` takes 2 arguments, got 1"),
        ("join()", 1, "`join` takes at least 1 argument, got 0"),
        ("join(1, 2, 3)", 1, "`join` takes at most 2 arguments, got 3"),
        ("success(1)", 1, "`success` takes no arguments, got 1"),
        ("case(true, 1, false, 2)", 1, "odd number of arguments"),
        ("x == fromJSON('{')", 6, "not valid JSON"),
    ],
)
def test_evaluation_errors_carry_the_column(text: str, column: int, says: str) -> None:
    contexts = {"x": 1}
    with pytest.raises(ExpressionError) as info:
        evaluate(text, contexts)
    assert info.value.column == column
    assert says in info.value.message


def test_status_functions_see_the_status_the_runner_supplies() -> None:
    failed = EvalEnv(status="failure")
    assert evaluate("success()", {}) is True
    assert evaluate("failure()", {}, env=failed) is True
    assert evaluate("success()", {}, env=failed) is False
    assert evaluate("cancelled()", {}, env=EvalEnv(status="cancelled")) is True
    assert evaluate("always()", {}, env=failed) is True
    assert evaluate("SUCCESS()", {}) is True  # function names ignore case
