from __future__ import annotations

from typing import Any

import pytest

from conveyor.errors import ExpressionError
from conveyor.expr import (
    EvalEnv,
    TemplateSpan,
    calls_status_function,
    evaluate_if,
    evaluate_template,
    find_templates,
    interpolate,
    parse,
)

CONTEXTS: dict[str, Any] = {
    "github": {"ref": "refs/heads/main", "event_name": "push"},
    "env": {"TRUE": "true", "FALSE": "false", "EMPTY": ""},
    "matrix": {"python": "3.12", "include": [{"os": "linux"}]},
    "steps": {"build": {"outcome": "failure"}},
}
FAILED = EvalEnv(status="failure")


def test_find_templates_gives_offsets_and_inner_text() -> None:
    text = "a ${{ github.ref }} b ${{1}}"
    assert find_templates(text) == [
        TemplateSpan(start=2, end=19, expression=" github.ref "),
        TemplateSpan(start=22, end=28, expression="1"),
    ]
    assert text[find_templates(text)[0].inner_start :].startswith(" github.ref")


def test_closing_braces_inside_a_string_literal_do_not_end_the_expression() -> None:
    text = "${{ format('}}{0}', 'x') }} tail"
    (span,) = find_templates(text)
    assert span.expression == " format('}}{0}', 'x') "
    assert interpolate(text, {}) == "}x tail"


def test_unclosed_template_points_at_its_start() -> None:
    with pytest.raises(ExpressionError) as info:
        find_templates("echo ok && ${{ github.ref")
    assert info.value.column == 12
    assert "expected `}}`" in info.value.message


def test_text_without_templates_has_none() -> None:
    assert find_templates("just $text and ${ var } and {{ x }}") == []


@pytest.mark.parametrize(
    ("text", "result"),
    [
        (" text ", " text "),
        (" ${{          1                         }} to ${{2}} ", " 1 to 2 "),
        ("${{ github.ref }}", "refs/heads/main"),
        ("${{ env.NOPE }}", ""),
        ("${{ env.FALSE && true }}", "true"),  # 'false' is a non-empty string
        ("${{ !env.TRUE }}", "false"),
        ("v${{ 1.50 }}", "v1.5"),
        ("${{ 3 }}", "3"),
        ("${{ matrix.include }}", '[\n  {\n    "os": "linux"\n  }\n]'),
        ("${{ null }}|${{ true }}", "|true"),
    ],
)
def test_interpolate(text: str, result: str) -> None:
    assert interpolate(text, CONTEXTS) == result


def test_interpolation_errors_name_the_inner_expression_and_column() -> None:
    with pytest.raises(ExpressionError) as info:
        interpolate("run: ${{ github.ref == }}", CONTEXTS)
    assert info.value.expression == " github.ref == "
    assert info.value.column == 16


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("${{ matrix.include }}", [{"os": "linux"}]),
        ("  ${{ 1 }}\n", 1),
        ("${{ fromJSON('[1, 2]') }}", [1, 2]),
        ("${{ true }}", True),
        ("${{ null }}", None),
        ("x${{ 1 }}", "x1"),
        ("${{ 1 }}${{ 2 }}", "12"),
        ("plain", "plain"),
    ],
)
def test_evaluate_template_keeps_the_value_when_the_text_is_one_expression(
    text: str, value: Any
) -> None:
    assert evaluate_template(text, CONTEXTS) == value


@pytest.mark.parametrize(
    ("condition", "on_success", "on_failure"),
    [
        ("github.ref == 'refs/heads/main'", True, False),  # implicit success() &&
        ("${{ github.ref == 'refs/heads/main' }}", True, False),
        ("  ${{ github.event_name == 'push' }}  ", True, False),
        ("always()", True, True),
        ("${{ always() }}", True, True),
        ("failure()", False, True),
        ("failure() && steps.build.outcome == 'failure'", False, True),
        ("!cancelled()", True, True),
        ("cancelled()", False, False),
        ("success() || failure()", True, True),
        ("github.ref == 'refs/heads/dev'", False, False),
        ("", True, False),
        ("${{ }}", True, False),
        ("env.EMPTY", False, False),
        ("steps.build.outcome", True, False),
        # text around `${{ }}` makes a non-empty string: true whenever the job is fine
        ("${{ github.ref }} == 'refs/heads/dev'", True, False),
        ("${{ always() }} && false", True, True),
    ],
)
def test_evaluate_if(condition: str, on_success: bool, on_failure: bool) -> None:
    assert evaluate_if(condition, CONTEXTS) is on_success
    assert evaluate_if(condition, CONTEXTS, env=FAILED) is on_failure


def test_if_does_not_evaluate_the_condition_once_the_job_failed() -> None:
    assert evaluate_if("fromJSON('not json')", {}, env=FAILED) is False


def test_if_errors_point_into_the_condition_as_written() -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate_if("${{ github.ref == }}", CONTEXTS)
    assert info.value.column == 16
    with pytest.raises(ExpressionError) as info:
        evaluate_if("github.ref == nope()", CONTEXTS)
    assert info.value.column == 15
    assert info.value.expression == "github.ref == nope()"


@pytest.mark.parametrize(
    ("condition", "calls"),
    [
        ("always()", True),
        ("${{ !cancelled() }}", True),
        ("${{ github.ref }} && ${{ FAILURE() }}", True),
        ("github.ref == 'x'", False),
        ("${{ contains(github.ref, 'success()') }}", False),
        ("", False),
        ("${{ }}", False),
    ],
)
def test_calls_status_function_reads_if_conditions(condition: str, calls: bool) -> None:
    assert calls_status_function(condition) is calls


def test_calls_status_function_on_a_parsed_tree() -> None:
    assert calls_status_function(parse("a.b || success()")) is True


def test_interpolating_a_value_that_contains_itself_is_an_expression_error() -> None:
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(ExpressionError, match="contains itself"):
        interpolate("x ${{ env.loop }}", {"env": {"loop": looped}})
