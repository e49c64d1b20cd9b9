"""Inputs found while fuzzing the loader, kept so they stay a record or a clear error."""

from __future__ import annotations

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import load_workflow_text

LAUGHS = (
    "on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    + "".join(
        f"        {name}: &{name} [{', '.join([f'*{prev}'] * 10)}]\n"
        for prev, name in zip("abcde", "bcdef", strict=True)
    )
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(LAUGHS, "value is too large (aliases expand", id="billion-laughs"),
        pytest.param(
            "on: push\njobs:\n  a:\n    with: " + "[" * 400 + "]" * 400 + "\n",
            "maximum recursion depth",
            id="deep-nesting",
        ),
        pytest.param(
            "on: push\njobs:\n  ? [a]\n  : {}\n",
            "`jobs` has a key that is a sequence",
            id="complex-key",
        ),
        pytest.param(
            "on: push\njobs:\n  a:\n    env: !!set {a, b}\n",
            "`env` of job `a` must be a mapping, not a value GitHub does not read",
            id="set",
        ),
        pytest.param(
            "on: push\njobs:\n  a:\n    env: {A: !!binary aGVsbG8=}\n",
            "`A` in `env` of job `a` must be a string",
            id="binary",
        ),
        pytest.param(
            "on: push\njobs: &j\n  a: *j\n", "job `a` must be a mapping", id="alias-to-itself"
        ),
        pytest.param(b"on: push\njobs: {a: {name: \xe9}}\n", "not valid UTF-8", id="latin-1"),
        pytest.param("on: push\x00\njobs: {}\n", "NUL character", id="nul"),
    ],
)
def test_hostile_input_is_a_workflow_error(text: str | bytes, message: str) -> None:
    with pytest.raises(WorkflowError) as caught:
        load_workflow_text(text, file="ci.yml")

    assert message in caught.value.message


def test_an_anchored_boolean_stays_a_boolean() -> None:
    # ruamel gives an anchored `true` as an int subclass; GitHub still reads a boolean.
    text = (
        "on: push\nenv: {A: &yes true, B: *yes}\njobs:\n  a:\n"
        "    continue-on-error: *yes\n    strategy: {matrix: {x: [*yes]}}\n"
    )

    workflow = load_workflow_text(text, file="ci.yml")

    assert workflow.env == {"A": "true", "B": "true"}
    assert workflow.jobs["a"].continue_on_error is True
    strategy = workflow.jobs["a"].strategy
    assert strategy is not None
    assert strategy.matrix is not None
    assert strategy.matrix.axes["x"] == (True,)


@pytest.mark.parametrize("minutes", [".inf", ".nan", "nan", "'inf'", "1" + "0" * 400])
def test_timeout_must_be_finite(minutes: str) -> None:
    text = f"on: push\njobs:\n  a:\n    timeout-minutes: {minutes}\n"

    with pytest.raises(WorkflowError, match="`timeout-minutes` of job `a` must be a number"):
        load_workflow_text(text, file="ci.yml")


def test_merge_keys_tags_and_odd_keys_load() -> None:
    text = (
        "on: !event push\n"
        "base: &base {runs-on: x, env: {A: 1}}\n"
        "jobs:\n"
        "  a:\n    <<: *base\n    steps: [{run: !!str 5}]\n"
        "  1: {runs-on: !label y}\n"
        "  b: !!omap [{runs-on: z}]\n"
    )

    workflow = load_workflow_text(text, file="ci.yml")

    assert list(workflow.triggers) == ["push"]
    assert list(workflow.jobs) == ["a", "1", "b"]
    assert workflow.jobs["a"].env == {"A": "1"}
    assert workflow.jobs["a"].steps[0].run == "5"
    assert workflow.jobs["1"].runs_on is not None
    assert workflow.jobs["1"].runs_on.labels == ("y",)


@pytest.mark.parametrize(
    ("written", "string"),
    [
        ("3.10", "3.1"),
        ("1.0", "1"),
        ("1e3", "1000"),
        ("0x10", "16"),
        ("0o17", "15"),
        ("010", "10"),
        ("true", "true"),
        ("yes", "yes"),
        ("~", ""),
        ("'3.10'", "3.10"),
        (".inf", "Infinity"),
        ("2024-01-31", "2024-01-31"),
        # GitHub holds every YAML number as a double and writes it with .NET's "G15".
        ("12345678901234567890", "1.23456789012346E+19"),
        ("0.1e-6", "1E-07"),
        ("0.00001", "1E-05"),
        ("0.0001", "0.0001"),
        ("1e20", "1E+20"),
        ("-2.50", "-2.5"),
        ("1" + "0" * 400, "Infinity"),
    ],
)
def test_env_scalars_become_the_strings_github_makes(written: str, string: str) -> None:
    workflow = load_workflow_text(f"on: push\nenv:\n  V: {written}\njobs: {{}}\n", file="ci.yml")

    assert workflow.env == {"V": string}
