from __future__ import annotations

import pytest

from conveyor.actions.base import ActionFailed
from conveyor.actions.codecov import Codecov
from conveyor.actions.registry import builtin

from .conftest import Job, run_main

XML = '<?xml version="1.0" ?><coverage line-rate="0.8"></coverage>\n'


def kept(job: Job) -> list[str]:
    root = job.repo.path / ".conveyor" / "reports" / "coverage"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_search_finds_coverage_xml_and_keeps_it_for_gates(job: Job) -> None:
    assert isinstance(builtin("codecov/codecov-action"), Codecov)
    (job.workspace / "coverage.xml").write_text(XML)
    (job.workspace / ".venv").mkdir()
    (job.workspace / ".venv" / "coverage.xml").write_text("not ours")
    io = run_main(
        Codecov(),
        job.call("codecov/codecov-action@v5", {"token": "secret"}, github={"job": "test"}),
    )
    assert kept(job) == ["1/test/coverage.xml"]
    assert "not uploaded" in io.notices[0]
    assert any("`token`" in line for line in io.debug)


def test_files_input_and_two_legs_of_one_job(job: Job) -> None:
    (job.workspace / "reports").mkdir()
    (job.workspace / "reports" / "cov.xml").write_text(XML)
    call = job.call(
        "codecov/codecov-action@v4", {"files": "./reports/cov.xml"}, github={"job": "t"}
    )
    run_main(Codecov(), call)
    run_main(Codecov(), call)
    assert kept(job) == ["1/t-2/reports_cov.xml", "1/t/reports_cov.xml"]


def test_missing_report_warns_or_fails(job: Job) -> None:
    io = run_main(Codecov(), job.call("codecov/codecov-action@v5"))
    assert "no coverage report found" in io.warnings[0]
    assert kept(job) == []
    call = job.call("codecov/codecov-action@v5", {"files": "cov.xml", "fail_ci_if_error": "true"})
    with pytest.raises(ActionFailed, match=r"not found: cov\.xml"):
        run_main(Codecov(), call)
