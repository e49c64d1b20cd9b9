from __future__ import annotations

from typing import Any

import pytest

from conveyor.errors import WorkflowError
from conveyor.plan.legs import expand_legs, references_needs
from conveyor.workflow.load import load_workflow_text
from conveyor.workflow.model import Job


def job(text: str) -> Job:
    wf = load_workflow_text(f"on: push\njobs:\n  build:\n{text}", file="ci.yml")
    return wf.jobs["build"]


def names(j: Job, contexts: dict[str, Any] | None = None) -> list[str]:
    return [leg.name for leg in expand_legs(j, contexts or {})]


def test_a_job_without_matrix_has_one_leg_named_after_it() -> None:
    assert names(job("    runs-on: x\n    steps: [{run: a}]\n")) == ["build"]
    named = job("    name: Build ${{ github.ref_name }}\n    runs-on: x\n    steps: [{run: a}]\n")
    assert names(named, {"github": {"ref_name": "main"}}) == ["Build main"]


def test_matrix_legs_get_githubs_default_names() -> None:
    j = job(
        "    runs-on: x\n    strategy:\n      matrix:\n"
        "        python: ['3.11', '3.12']\n        os: [ubuntu-latest]\n"
        "    steps: [{run: a}]\n"
    )
    legs = expand_legs(j, {})
    assert [leg.name for leg in legs] == [
        "build (3.11, ubuntu-latest)",
        "build (3.12, ubuntu-latest)",
    ]
    assert legs[1].matrix == {"python": "3.12", "os": "ubuntu-latest"}
    assert (legs[1].index, legs[1].total) == (1, 2)


def test_a_name_that_uses_the_matrix_gets_no_suffix() -> None:
    j = job(
        "    name: ${{ matrix.name || matrix.python }}\n    runs-on: x\n"
        "    strategy:\n      matrix:\n        include:\n"
        "          - {python: '3.14'}\n          - {name: Windows, python: '3.14'}\n"
        "    steps: [{run: a}]\n"
    )
    assert names(j) == ["3.14", "Windows"]


def test_a_matrix_from_a_needed_jobs_output_is_expanded_when_ready() -> None:
    j = job(
        "    runs-on: x\n    needs: setup\n"
        "    strategy:\n      matrix: ${{ fromJSON(needs.setup.outputs.matrix) }}\n"
        "    steps: [{run: a}]\n"
    )
    assert references_needs(j)
    contexts = {"needs": {"setup": {"outputs": {"matrix": '{"py": ["3.11", "3.12"]}'}}}}
    assert names(j, contexts) == ["build (3.11)", "build (3.12)"]


def test_an_axis_from_an_expression() -> None:
    j = job(
        "    runs-on: x\n    strategy:\n      matrix:\n"
        "        py: ${{ fromJSON(inputs.versions) }}\n    steps: [{run: a}]\n"
    )
    assert not references_needs(j)
    assert names(j, {"inputs": {"versions": '["3.10", "3.11"]'}}) == [
        "build (3.10)",
        "build (3.11)",
    ]


def test_a_matrix_that_is_not_an_object_is_a_clear_error() -> None:
    j = job(
        "    runs-on: x\n    strategy:\n      matrix: ${{ fromJSON('[1, 2]') }}\n"
        "    steps: [{run: a}]\n"
    )
    with pytest.raises(WorkflowError, match="`matrix` must evaluate to an object"):
        expand_legs(j, {})


def test_every_combination_excluded_runs_the_job_once() -> None:
    j = job(
        "    runs-on: x\n    strategy:\n      matrix:\n        py: ['3.11']\n"
        "        exclude: [{py: '3.11'}]\n    steps: [{run: a}]\n"
    )
    legs = expand_legs(j, {})
    assert [(leg.name, leg.matrix) for leg in legs] == [("build", None)]
