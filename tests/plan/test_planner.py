from __future__ import annotations

import pytest

from conveyor.errors import UsageError
from conveyor.events.model import Event
from conveyor.plan.planner import MatrixFilter, make_plan
from conveyor.workflow.load import load_workflow_text
from conveyor.workflow.model import Workflow

CI = """
name: CI
on:
  push:
    branches: [main]
    paths-ignore: ['docs/**']
jobs:
  lint: {runs-on: ubuntu-latest, steps: [{run: ruff check}]}
  test: {runs-on: ubuntu-latest, needs: lint, steps: [{run: pytest}]}
  build: {runs-on: ubuntu-latest, needs: [test], steps: [{run: build}]}
  docs: {runs-on: ubuntu-latest, steps: [{run: mkdocs}]}
"""
RELEASE = """
on: {push: {tags: ['v*']}}
jobs:
  publish: {runs-on: ubuntu-latest, steps: [{run: twine upload}]}
"""
NIGHTLY = """
on: {schedule: [{cron: '0 3 * * *'}]}
jobs:
  slow: {runs-on: ubuntu-latest, steps: [{run: pytest -m slow}]}
"""


def workflows() -> list[tuple[Workflow, str]]:
    return [
        (load_workflow_text(text, file=name), name)
        for name, text in [
            (".github/workflows/ci.yml", CI),
            (".github/workflows/release.yml", RELEASE),
            (".github/workflows/nightly.yml", NIGHTLY),
        ]
    ]


def push(branch: str = "main", paths: tuple[str, ...] | None = ("src/app.py",)) -> Event:
    return Event(
        name="push",
        ref=f"refs/heads/{branch}",
        ref_name=branch,
        ref_type="branch",
        sha="a" * 40,
        changed_paths=paths,
    )


def test_a_push_plans_the_triggered_workflow_in_needs_order() -> None:
    plan = make_plan(workflows(), push())
    assert [wf.file for wf in plan.workflows] == [".github/workflows/ci.yml"]
    assert plan.workflows[0].order == ("lint", "test", "build", "docs")
    reasons = {nt.file: nt.reason for nt in plan.not_triggered}
    assert "tags" in reasons[".github/workflows/release.yml"]
    assert reasons[".github/workflows/nightly.yml"] == "not triggered by `push` (on: schedule)"


def test_branch_and_path_filters_decide_and_say_why() -> None:
    assert make_plan(workflows(), push(branch="dev")).workflows == ()
    docs_only = make_plan(workflows(), push(paths=("docs/index.md",)))
    assert docs_only.workflows == ()
    assert "paths-ignore" in docs_only.not_triggered[0].reason


def test_one_job_runs_alone_unless_its_needs_are_asked_for() -> None:
    alone = make_plan(workflows(), push(), only_jobs=["build"])
    assert alone.workflows[0].order == ("build",)
    assert alone.workflows[0].job("build").needs == ()
    chained = make_plan(workflows(), push(), only_jobs=["build"], with_needs=True)
    assert chained.workflows[0].order == ("lint", "test", "build")
    assert chained.workflows[0].job("build").needs == ("test",)


def test_an_unknown_job_names_the_jobs_there_are() -> None:
    with pytest.raises(UsageError, match="no triggered workflow has job `deploy`") as info:
        make_plan(workflows(), push(), only_jobs=["deploy"])
    assert "build, docs, lint, publish, slow, test" in str(info.value)


@pytest.mark.parametrize(
    ("items", "combo", "kept"),
    [
        (["python:3.11"], {"python": "3.11", "os": "ubuntu"}, True),
        (["python:3.11"], {"python": "3.12", "os": "ubuntu"}, False),
        (["python:3.11", "python:3.12"], {"python": "3.12"}, True),
        (["python:3.11", "os:mac"], {"python": "3.11", "os": "ubuntu"}, False),
        (["python:3.1"], {"python": 3.1}, True),
        (["tox:py3"], {"python": "3.11"}, False),
    ],
)
def test_matrix_filter(items: list[str], combo: dict[str, object], kept: bool) -> None:
    assert MatrixFilter.parse(items).keeps(combo) is kept


def test_matrix_filter_needs_key_and_value() -> None:
    with pytest.raises(UsageError, match="expected KEY:VALUE"):
        MatrixFilter.parse(["python"])
