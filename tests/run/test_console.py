from __future__ import annotations

import io

from conveyor.run.console import PlainConsole
from conveyor.run.events import (
    AnnotationAdded,
    JobFinished,
    JobStarted,
    OutputLine,
    RunFinished,
    StepFinished,
    StepStarted,
)
from conveyor.run.results import (
    Annotation,
    JobResult,
    RunResult,
    StepResult,
    WorkflowResult,
)


def test_plain_console_prefixes_lines_and_ends_with_a_summary() -> None:
    out = io.StringIO()
    console = PlainConsole(stream=out)
    failed = StepResult(index=0, id="t", name="pytest", outcome="failure", conclusion="failure")
    job = JobResult(id="test", name="test (3.11)", status="failure", steps=(failed,), duration=2.5)
    note = Annotation(
        level="error", message="assert 1 == 2", file="tests/t.py", line=7, job=job.name
    )
    for event in [
        JobStarted(workflow="CI", job="test (3.11)"),
        StepStarted(workflow="CI", job="test (3.11)", index=0, name="pytest"),
        OutputLine(workflow="CI", job="test (3.11)", step=0, stream="stdout", text="1 failed"),
        AnnotationAdded(workflow="CI", job="test (3.11)", annotation=note),
        StepFinished(workflow="CI", job="test (3.11)", result=failed),
        JobFinished(workflow="CI", result=job),
        RunFinished(
            result=RunResult(
                event="push",
                status="failure",
                workflows=(
                    WorkflowResult(name="CI", file="ci.yml", status="failure", jobs=(job,)),
                ),
            )
        ),
    ]:
        console(event)
    text = out.getvalue()
    assert "[test (3.11)] ▶ pytest" in text
    assert "[test (3.11)]   1 failed" in text
    assert "[test (3.11)] ✗ failure (2.5s)" in text
    assert "tests/t.py:7: assert 1 == 2" in text
    assert "push: failure" in text


def test_live_console_prints_a_failed_jobs_last_lines_in_place() -> None:
    from rich.console import Console

    from conveyor.run.console import TAIL_LINES, LiveConsole

    out = io.StringIO()
    live = LiveConsole(Console(file=out, force_terminal=True, width=100))
    try:
        live(JobStarted(workflow="CI", job="lint"))
        for n in range(TAIL_LINES + 5):
            live(OutputLine(workflow="CI", job="lint", step=0, stream="stdout", text=f"line {n}"))
        job = JobResult(id="lint", name="lint", status="failure", message="step `ruff` failed")
        live(JobFinished(workflow="CI", result=job))
        live(
            RunFinished(
                result=RunResult(
                    event="push",
                    status="failure",
                    workflows=(
                        WorkflowResult(name="CI", file="ci.yml", status="failure", jobs=(job,)),
                    ),
                )
            )
        )
    finally:
        live.close()
    text = out.getvalue()
    assert "lint failed: step `ruff` failed" in text
    assert f"line {TAIL_LINES + 4}" in text
    assert "line 4\n" not in text  # only the last lines are kept
