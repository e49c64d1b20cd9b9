from __future__ import annotations

from textwrap import dedent, indent

import pytest

from conveyor.errors import WorkflowError
from conveyor.workflow.load import load_workflow_text
from conveyor.workflow.model import Container, Environment, Job, RunsOn


def job(body: str) -> Job:
    text = "on: push\njobs:\n  build:\n" + indent(dedent(body).strip("\n"), "    ") + "\n"
    return load_workflow_text(text, file="ci.yml").jobs["build"]


@pytest.mark.parametrize(
    ("body", "needs"),
    [
        ("needs: lint", ("lint",)),
        ("needs: [lint, test]", ("lint", "test")),
        ("needs: []", ()),
        ("runs-on: x", ()),
    ],
)
def test_needs_as_string_or_list(body: str, needs: tuple[str, ...]) -> None:
    assert job(body).needs == needs


@pytest.mark.parametrize(
    ("body", "runs_on"),
    [
        ("runs-on: ubuntu-latest", RunsOn(labels=("ubuntu-latest",))),
        ("runs-on: [self-hosted, linux]", RunsOn(labels=("self-hosted", "linux"))),
        ("runs-on: ${{ matrix.os }}", RunsOn(expression="${{ matrix.os }}")),
        ("runs-on: ubuntu-${{ matrix.v }}", RunsOn(labels=("ubuntu-${{ matrix.v }}",))),
        ("runs-on: {group: big, labels: gpu}", RunsOn(group="big", labels=("gpu",))),
        ("runs-on:\n  group: big", RunsOn(group="big")),
    ],
)
def test_runs_on_shapes(body: str, runs_on: RunsOn) -> None:
    assert job(body).runs_on == runs_on


@pytest.mark.parametrize(
    ("body", "environment"),
    [
        ("environment: production", Environment(name="production")),
        (
            "environment: {name: staging, url: '${{ steps.d.outputs.url }}'}",
            Environment(name="staging", url="${{ steps.d.outputs.url }}"),
        ),
    ],
)
def test_environment_as_name_or_mapping(body: str, environment: Environment) -> None:
    assert job(body).environment == environment


def test_every_job_key() -> None:
    found = job(
        """
        name: Build ${{ matrix.python }}
        runs-on: ubuntu-latest
        if: false
        outputs:
          version: ${{ steps.v.outputs.version }}
        env:
          DEBUG: true
          PY: 3.10
        defaults:
          run:
            shell: bash
        timeout-minutes: 30
        continue-on-error: true
        permissions: write-all
        concurrency:
          group: build
          cancel-in-progress: true
        steps:
          - run: make
        """
    )

    assert found.name == "Build ${{ matrix.python }}"
    assert found.if_ == "false"
    assert found.outputs == {"version": "${{ steps.v.outputs.version }}"}
    assert found.env == {"DEBUG": "true", "PY": "3.1"}
    assert found.defaults is not None
    assert found.defaults.shell == "bash"
    assert found.timeout_minutes == 30
    assert found.continue_on_error is True
    assert found.permissions is not None
    assert found.permissions.all == "write-all"
    assert found.concurrency is not None
    assert found.concurrency.cancel_in_progress is True
    assert [step.run for step in found.steps] == ["make"]
    assert str(found.pos) == "ci.yml:3:3"
    assert str(found.positions["timeout-minutes"]) == "ci.yml:15:22"


def test_defaults_when_keys_are_absent() -> None:
    found = job("runs-on: x")

    assert (found.timeout_minutes, found.continue_on_error, found.if_, found.steps) == (
        360,
        False,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("timeout-minutes: ${{ inputs.minutes }}", "${{ inputs.minutes }}"),
        ("timeout-minutes: 2.5", 2.5),
        ("continue-on-error: ${{ matrix.experimental }}", "${{ matrix.experimental }}"),
    ],
)
def test_numbers_and_flags_may_be_expressions(body: str, expected: object) -> None:
    found = job(body)

    assert expected in (found.timeout_minutes, found.continue_on_error)


def test_container_and_services() -> None:
    found = job(
        """
        runs-on: ubuntu-latest
        container:
          image: python:3.12
          credentials:
            username: me
            password: ${{ secrets.PASSWORD }}
          env:
            A: 1
          ports: [80, '8080:80']
          volumes: /data
          options: --cpus 1
        services:
          redis: redis:7
          postgres:
            image: postgres:16
            ports: ['5432:5432']
        """
    )

    assert found.container == Container(
        image="python:3.12",
        credentials={"username": "me", "password": "${{ secrets.PASSWORD }}"},
        env={"A": "1"},
        ports=("80", "8080:80"),
        volumes=("/data",),
        options="--cpus 1",
    )
    assert found.services == {
        "redis": Container(image="redis:7"),
        "postgres": Container(image="postgres:16", ports=("5432:5432",)),
    }


def test_container_as_a_string() -> None:
    assert job("container: node:20").container == Container(image="node:20")


def test_reusable_workflow_call_keeps_input_types() -> None:
    found = job(
        """
        uses: ./.github/workflows/build.yml
        with:
          python: 3.12
          upload: true
          name: dist
          list: [a, b]
        secrets: inherit
        """
    )

    assert found.uses == "./.github/workflows/build.yml"
    assert found.with_ == {"python": 3.12, "upload": True, "name": "dist", "list": ("a", "b")}
    assert found.secrets == "inherit"
    assert found.steps == ()


def test_reusable_workflow_secrets_as_a_mapping() -> None:
    found = job("uses: o/r/.github/workflows/x.yml@v1\nsecrets:\n  token: ${{ secrets.T }}")

    assert found.secrets == {"token": "${{ secrets.T }}"}


def test_null_values_are_as_if_absent() -> None:
    found = job("runs-on: x\nenv:\nsteps:\nneeds:\nif:")

    assert (found.env, found.steps, found.needs, found.if_) == ({}, (), (), None)


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("needs: {a: 1}", "`needs` of job `build` must be a sequence, not a mapping", 4),
        ("needs: [[a]]", "an item of `needs` of job `build` must be a string", 4),
        ("env: [A=1]", "`env` of job `build` must be a mapping, not a sequence", 4),
        ("env:\n  A: [1]", "`A` in `env` of job `build` must be a string, not a sequence", 5),
        ("environment: {url: x}", "`environment` needs a `name`", 4),
        ("container: {options: x}", "`container` needs an `image`", 4),
        ("secrets: all", "must be `inherit` or a mapping, not 'all'", 4),
        ("permissions: read", "`permissions` must be `read-all`, `write-all`", 4),
        (
            "permissions: {contents: admin}",
            "permission `contents` must be `read`, `write` or `none`",
            4,
        ),
        ("concurrency: {cancel-in-progress: true}", "`concurrency` needs a `group`", 4),
        (
            "continue-on-error: maybe",
            "`continue-on-error` of job `build` must be `true`, `false`",
            4,
        ),
        ("timeout-minutes: true", "`timeout-minutes` of job `build` must be a number", 4),
        ("with: [a]", "`with` of job `build` must be a mapping, not a sequence", 4),
    ],
)
def test_values_that_cannot_be_normalised_are_errors(body: str, message: str, line: int) -> None:
    with pytest.raises(WorkflowError) as caught:
        job(body)

    assert message in caught.value.message
    assert caught.value.line == line


def test_whole_mappings_given_as_one_expression() -> None:
    text = (
        "on: push\nenv: ${{ fromJSON(vars.ENV) }}\njobs:\n  build:\n"
        "    strategy: ${{ fromJSON(needs.setup.outputs.strategy) }}\n"
        "    env: ${{ matrix.env }}\n    services: ${{ fromJSON(inputs.services) }}\n"
        "    container: ${{ matrix.container }}\n"
        "    steps:\n      - uses: a/b@v1\n        with: ${{ matrix.with }}\n"
        "        env: ${{ matrix.step-env }}\n"
    )

    workflow = load_workflow_text(text, file="ci.yml")

    job = workflow.jobs["build"]
    assert (workflow.env_expression, workflow.env) == ("${{ fromJSON(vars.ENV) }}", {})
    assert job.strategy is not None
    assert job.strategy.expression == "${{ fromJSON(needs.setup.outputs.strategy) }}"
    assert (job.env_expression, job.env) == ("${{ matrix.env }}", {})
    assert (job.services_expression, job.services) == ("${{ fromJSON(inputs.services) }}", {})
    assert job.container == Container(image="${{ matrix.container }}")
    step = job.steps[0]
    assert (step.with_expression, step.with_) == ("${{ matrix.with }}", {})
    assert (step.env_expression, step.env) == ("${{ matrix.step-env }}", {})


def test_a_string_with_text_around_an_expression_is_not_a_mapping() -> None:
    with pytest.raises(WorkflowError, match="`env` of job `build` must be a mapping"):
        job("env: prefix-${{ matrix.env }}")
