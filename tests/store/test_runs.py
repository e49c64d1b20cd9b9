from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conveyor.errors import InternalError, UserError
from conveyor.store import Annotation, RunRecord, Store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_run_numbers_count_per_workflow_file(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    ci = [new_run(store) for _ in range(3)]
    docs = new_run(store, ".github/workflows/docs.yml")
    assert [r.run_number for r in ci] == [1, 2, 3]
    assert docs.run_number == 1
    assert [r.run_attempt for r in [*ci, docs]] == [1, 1, 1, 1]
    assert len({r.id for r in [*ci, docs]}) == 4


def test_a_rerun_keeps_the_run_number_and_counts_attempts(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    first = new_run(store)
    new_run(store)
    again = new_run(store, rerun_of=first.id)
    third = new_run(store, rerun_of=again.id)
    assert (again.run_number, again.run_attempt, again.parent_run_id) == (1, 2, first.id)
    assert (third.run_number, third.run_attempt) == (1, 3)
    assert new_run(store).run_number == 3


def test_a_rerun_of_another_workflow_or_a_missing_run_is_refused(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    with pytest.raises(UserError, match=re.escape("not .github/workflows/docs.yml")):
        new_run(store, ".github/workflows/docs.yml", rerun_of=run.id)
    with pytest.raises(UserError, match="there is no run 999"):
        new_run(store, rerun_of=999)


def test_a_new_run_is_queued_and_owned_by_this_process(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store, actor="octocat", inputs={"level": "debug"}, event={"forced": False})
    assert run.status == "queued"
    assert run.owner_pid == os.getpid()
    assert (run.actor, dict(run.inputs), dict(run.event)) == (
        "octocat",
        {"level": "debug"},
        {"forced": False},
    )
    assert run.started_at is None
    assert run.created_at.tzinfo is not None


def test_a_run_with_jobs_steps_and_annotations_reads_back_whole(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    store.start_run(run.id)
    build = store.add_job(
        run.id, job_id="build", name="build (3.11, ubuntu-latest)", matrix={"python": "3.11"}
    )
    lint = store.add_job(run.id, job_id="lint", name="lint")
    store.start_job(build.id)
    store.record_step(build.id, index=0, name="Run actions/checkout@v4", started_at=T0)
    store.record_step(
        build.id,
        index=0,
        name="Run actions/checkout@v4",
        outcome="success",
        conclusion="success",
        finished_at=T0,
        log_start=0,
        log_end=120,
    )
    store.record_step(
        build.id,
        index=1,
        step_id="test",
        name="pytest",
        outcome="failure",
        conclusion="success",
        outputs={"passed": "12"},
        summary="## 12 passed",
    )
    store.add_annotations(
        build.id,
        [
            Annotation(level="error", message="boom", step_index=1, file="a.py", line=3, column=7),
            Annotation(level="warning", message="slow", title="perf"),
        ],
    )
    store.finish_job(build.id, status="success", outputs={"wheel": "dist/x.whl"})
    store.finish_job(lint.id, status="skipped")
    store.finish_run(run.id, "success")

    got = store.get_run(run.id)
    assert got.status == "success"
    assert got.started_at is not None
    assert got.finished_at is not None
    assert [(j.job_id, j.name, j.status) for j in got.jobs] == [
        ("build", "build (3.11, ubuntu-latest)", "success"),
        ("lint", "lint", "skipped"),
    ]
    job = got.jobs[0]
    assert job.matrix == {"python": "3.11"}
    assert job.outputs == {"wheel": "dist/x.whl"}
    assert job.conclusion == "success"
    assert [(s.index, s.name, s.outcome, s.conclusion) for s in job.steps] == [
        (0, "Run actions/checkout@v4", "success", "success"),
        (1, "pytest", "failure", "success"),
    ]
    checkout, pytest_step = job.steps
    assert (checkout.started_at, checkout.finished_at) == (T0, T0)
    assert (checkout.log_start, checkout.log_end) == (0, 120)
    assert (pytest_step.step_id, pytest_step.outputs, pytest_step.summary) == (
        "test",
        {"passed": "12"},
        "## 12 passed",
    )
    assert [(a.level, a.message, a.file, a.line, a.column) for a in job.annotations] == [
        ("error", "boom", "a.py", 3, 7),
        ("warning", "slow", None, None, None),
    ]


def test_finishing_a_run_closes_jobs_left_unfinished(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    running = store.add_job(run.id, job_id="a", name="a")
    store.start_job(running.id)
    queued = store.add_job(run.id, job_id="b", name="b")
    done = store.add_job(run.id, job_id="c", name="c")
    store.finish_job(done.id, status="failure")
    store.finish_run(run.id, "cancelled")
    statuses = {j.job_id: j.status for j in store.get_run(run.id).jobs}
    assert statuses == {"a": "cancelled", "b": "cancelled", "c": "failure"}
    assert queued.status == "queued"  # records are snapshots


def test_a_job_added_as_started_is_running_from_then(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    queued = store.add_job_id(run.id, job_id="a", name="a")
    started = store.add_job_id(run.id, job_id="b", name="b", matrix={"n": 1}, started=True)
    jobs = {j.id: j for j in store.get_run(run.id).jobs}
    assert (jobs[queued].status, jobs[queued].started_at) == ("queued", None)
    assert jobs[started].status == "running"
    assert jobs[started].started_at is not None
    assert jobs[started].matrix == {"n": 1}
    assert jobs[started].log_path == store.job_log_path(run.id, started)


def test_logs_live_under_the_state_directory_by_run_and_job(
    store: Store, repo: Path, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    job = store.add_job(run.id, job_id="build", name="build")
    path = store.job_log_path(run.id, job.id)
    assert path == repo.resolve() / ".conveyor" / "logs" / str(run.id) / f"{job.id}.log"
    assert path.parent.is_dir()
    assert job.log_path == path
    assert store.get_run(run.id).jobs[0].log_path == path


def test_list_runs_is_newest_first_and_filters(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    a = new_run(store)
    b = new_run(store, ".github/workflows/docs.yml", workflow_name="Docs")
    c = new_run(store, branch="feature")
    assert [r.id for r in store.list_runs()] == [c.id, b.id, a.id]
    assert [r.id for r in store.list_runs(2)] == [c.id, b.id]
    assert [r.id for r in store.list_runs(workflow="Docs")] == [b.id]
    assert [r.id for r in store.list_runs(workflow=".github/workflows/ci.yml")] == [c.id, a.id]
    assert [r.id for r in store.list_runs(branch="feature")] == [c.id]
    assert store.list_runs(workflow="nope") == []


def test_unknown_ids_are_user_errors(store: Store) -> None:
    with pytest.raises(UserError, match="there is no run 42"):
        store.get_run(42)
    with pytest.raises(UserError, match="there is no job 7"):
        store.finish_job(7, status="success")


def test_a_status_outside_the_model_is_a_bug_not_a_row(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    with pytest.raises(InternalError, match="run status 'done'"):
        store.finish_run(run.id, "done")  # type: ignore[arg-type]
    assert store.get_run(run.id).status == "queued"
