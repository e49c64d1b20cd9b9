from __future__ import annotations

import json

import pytest

from conveyor.actions.alls_green import AllsGreen
from conveyor.actions.base import ActionFailed
from conveyor.actions.registry import builtin

from .conftest import Job, run_main


def needs(**results: str) -> str:
    return json.dumps({name: {"result": r, "outputs": {}} for name, r in results.items()})


def judge(job: Job, **inputs: str) -> dict[str, str]:
    call = job.call("re-actors/alls-green@release/v1", inputs)
    return run_main(AllsGreen(), call).outputs


def test_all_succeeded(job: Job) -> None:
    assert isinstance(builtin("re-actors/alls-green"), AllsGreen)
    outputs = judge(job, jobs=needs(test="success", lint="success"))
    assert outputs == {"failure": "false", "success": "true", "result": "success"}


@pytest.mark.parametrize("result", ["failure", "skipped", "cancelled"])
def test_required_job_not_succeeding_fails_the_step(job: Job, result: str) -> None:
    with pytest.raises(ActionFailed, match=f"lint \\({result}\\)"):
        judge(job, jobs=needs(test="success", lint=result))


def test_allowed_failures_and_skips(job: Job) -> None:
    jobs = needs(test="success", docs="failure", deploy="skipped")
    outputs = judge(job, jobs=jobs, **{"allowed-failures": "docs", "allowed-skips": '["deploy"]'})
    assert outputs["result"] == "success"
    with pytest.raises(ActionFailed, match="docs \\(failure\\)"):
        judge(job, jobs=jobs, **{"allowed-skips": "docs, deploy"})


def test_empty_or_broken_jobs_input(job: Job) -> None:
    with pytest.raises(ActionFailed, match="non-empty `needs`"):
        judge(job, jobs="{}")
    with pytest.raises(ActionFailed, match="not JSON"):
        judge(job, jobs="{test: success}")
