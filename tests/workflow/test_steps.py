from __future__ import annotations

from textwrap import dedent, indent

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import load_workflow_text
from conveyor.workflow.model import Step


def steps(body: str) -> tuple[Step, ...]:
    text = (
        "on: push\njobs:\n  build:\n    runs-on: x\n    steps:\n"
        + indent(dedent(body).strip("\n"), "      ")
        + "\n"
    )
    return load_workflow_text(text, file="ci.yml").jobs["build"].steps


def test_every_step_key() -> None:
    first, second = steps(
        """
        - id: setup
          name: Set up ${{ matrix.python }}
          uses: actions/setup-python@v5
          with:
            python-version: 3.10
            cache: true
            token: ~
          if: ${{ always() }}
          continue-on-error: true
          timeout-minutes: 5
          env:
            FORCE_COLOR: 1
        - run: |
            make test
          shell: bash
          working-directory: src
          if: false
          continue-on-error: ${{ matrix.experimental }}
          timeout-minutes: ${{ inputs.t }}
        """
    )

    assert (first.index, first.id, first.name, first.uses) == (
        0,
        "setup",
        "Set up ${{ matrix.python }}",
        "actions/setup-python@v5",
    )
    # GitHub passes `3.10` to the action as "3.1": YAML made it a number first.
    assert first.with_ == {"python-version": "3.1", "cache": "true", "token": ""}
    assert first.env == {"FORCE_COLOR": "1"}
    assert first.if_ == "${{ always() }}"
    assert first.continue_on_error is True
    assert first.timeout_minutes == 5
    assert (second.index, second.run, second.shell, second.working_directory) == (
        1,
        "make test\n",
        "bash",
        "src",
    )
    assert second.if_ == "false"
    assert second.continue_on_error == "${{ matrix.experimental }}"
    assert second.timeout_minutes == "${{ inputs.t }}"


def test_step_positions() -> None:
    (step,) = steps("- name: hi\n  run: echo hi")

    assert str(step.pos) == "ci.yml:6:9"
    assert str(step.positions["run"]) == "ci.yml:7:14"
    assert set(step.positions) == {"name", "run"}


def test_defaults_of_a_bare_step() -> None:
    (step,) = steps("- uses: ./local")

    assert step == Step(index=0, uses="./local", pos=step.pos, positions=step.positions)


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("- echo hi", "step 1 must be a mapping, not a string", 6),
        ("- run: a\n- [b]", "step 2 must be a mapping, not a sequence", 7),
        ("- uses: a\n  with: [x]", "`with` of step 1 must be a mapping, not a sequence", 7),
        ("- uses: a\n  with:\n    x: [1]", "`x` in `with` of step 1 must be a string", 8),
        (
            "- run: a\n  env: {A: {B: 1}}",
            "`A` in `env` of step 1 must be a string, not a mapping",
            7,
        ),
        ("- run: {a: 1}", "`run` of step 1 must be a string, not a mapping", 6),
        ("- run: a\n  timeout-minutes: later", "`timeout-minutes` of step 1 must be a number", 7),
    ],
)
def test_step_values_that_cannot_be_normalised(body: str, message: str, line: int) -> None:
    with pytest.raises(WorkflowError) as caught:
        steps(body)

    assert message in caught.value.message
    assert caught.value.line == line


def test_steps_must_be_a_sequence() -> None:
    text = "on: push\njobs:\n  a:\n    steps: {run: x}\n"

    with pytest.raises(WorkflowError, match="`steps` must be a sequence, not a mapping"):
        load_workflow_text(text, file="ci.yml")
