from __future__ import annotations

from textwrap import dedent, indent

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import load_workflow_text
from conveyor.workflow.model import InputSpec, OutputSpec, SecretSpec, Trigger


def triggers(on: str) -> dict[str, Trigger]:
    if on.startswith("\n"):
        text = f"on:\n{indent(dedent(on).strip(chr(10)), '  ')}\njobs: {{}}\n"
    else:
        text = f"on: {on}\njobs: {{}}\n"
    return dict(load_workflow_text(text, file="ci.yml").triggers)


@pytest.mark.parametrize(
    ("on", "events"),
    [
        ("push", ["push"]),
        ("[push, pull_request]", ["push", "pull_request"]),
        ("{push: null}", ["push"]),
        ("{push: {}}", ["push"]),
        ("\n  pull_request:\n  push:\n", ["pull_request", "push"]),
        ("\n  - workflow_dispatch\n  - push\n", ["workflow_dispatch", "push"]),
    ],
)
def test_every_shape_of_on_lists_events_in_written_order(on: str, events: list[str]) -> None:
    found = triggers(on)

    assert list(found) == events
    assert all(trigger.branches is None and trigger.paths is None for trigger in found.values())


def test_on_string_trigger_points_at_the_value() -> None:
    found = triggers("push")

    assert str(found["push"].pos) == "ci.yml:1:5"


def test_filters_as_lists_and_single_strings() -> None:
    found = triggers(
        """
          push:
            branches: main
            branches-ignore: [wip/**]
            tags: ['v*']
            tags-ignore: v0*
            paths: ['src/**', '!docs/**']
            paths-ignore: '*.md'
          pull_request:
            types: [opened, synchronize]
          workflow_run:
            workflows: CI
            types: completed
        """
    )

    push = found["push"]
    assert push.branches == ("main",)
    assert push.branches_ignore == ("wip/**",)
    assert push.tags == ("v*",)
    assert push.tags_ignore == ("v0*",)
    assert push.paths == ("src/**", "!docs/**")
    assert push.paths_ignore == ("*.md",)
    assert push.types is None
    assert found["pull_request"].types == ("opened", "synchronize")
    assert found["workflow_run"].workflows == ("CI",)
    assert found["workflow_run"].types == ("completed",)
    assert str(push.pos) == "ci.yml:2:3"
    assert str(push.positions["paths"]) == "ci.yml:7:12"


def test_schedule_crons() -> None:
    found = triggers(
        """
          schedule:
            - cron: '0 6 * * *'
            - cron: '30 5 * * 1'
        """
    )

    assert found["schedule"].crons == ("0 6 * * *", "30 5 * * 1")


def test_workflow_dispatch_inputs_keep_their_types() -> None:
    found = triggers(
        """
          workflow_dispatch:
            inputs:
              level:
                description: Log level
                required: true
                default: warning
                type: choice
                options: [info, warning]
              dry-run:
                type: boolean
                default: false
              count:
                type: number
                default: 3
              plain:
        """
    )

    inputs = found["workflow_dispatch"].inputs
    assert list(inputs) == ["level", "dry-run", "count", "plain"]
    level = inputs["level"]
    assert (level.description, level.required, level.default, level.type, level.options) == (
        "Log level",
        True,
        "warning",
        "choice",
        ("info", "warning"),
    )
    assert inputs["dry-run"].default is False
    assert inputs["count"].default == 3
    assert inputs["plain"] == InputSpec(name="plain", pos=inputs["plain"].pos)
    assert str(inputs["plain"].pos) == "ci.yml:16:7"


def test_workflow_call_inputs_outputs_and_secrets() -> None:
    found = triggers(
        """
          workflow_call:
            inputs:
              python:
                type: string
                required: true
            outputs:
              version:
                description: The version built
                value: ${{ jobs.build.outputs.version }}
            secrets:
              token:
                required: true
              optional:
        """
    )

    call = found["workflow_call"]
    assert call.inputs["python"].required is True
    assert call.outputs["version"] == OutputSpec(
        name="version",
        description="The version built",
        value="${{ jobs.build.outputs.version }}",
        pos=call.outputs["version"].pos,
    )
    assert call.secrets["token"].required is True
    assert call.secrets["optional"] == SecretSpec(name="optional", pos=call.secrets["optional"].pos)


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("[push, {pull_request: {}}]", "an event in the `on` list must be a name, not a mapping"),
        ("{push: [main]}", "event `push` must be a mapping of filters (or empty), not a sequence"),
        ("{push: {branches: {a: 1}}}", "`branches` must be a sequence, not a mapping"),
        ("{schedule: ['0 * * * *']}", "each `schedule` item must be a mapping with `cron`"),
        (
            "{workflow_dispatch: {inputs: {a: {type: text}}}}",
            "`type` of input `a` must be one of string, boolean, number, choice, environment",
        ),
        ("{workflow_call: {secrets: {a: {required: maybe}}}}", "`required` of secret `a`"),
        ("3", "`on` must be an event name, a list of events or a mapping, not a number"),
    ],
)
def test_shapes_github_rejects_are_errors(on: str, message: str) -> None:
    with pytest.raises(WorkflowError) as caught:
        triggers(on)

    assert message in caught.value.message
    assert caught.value.line == 1
