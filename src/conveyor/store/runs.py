"""Writing runs, jobs, steps and annotations, one short transaction per call.

Each function takes a `Session` already inside a write transaction (see `Store`), so a
crash between two calls leaves whole rows behind: a run still `running`, which the next
open marks `interrupted`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from conveyor.errors import InternalError, UserError
from conveyor.store import concurrency
from conveyor.store.owners import Owner, is_alive
from conveyor.store.records import FINISHED_JOB, FINISHED_RUN, Annotation
from conveyor.store.tables import Annotation as AnnotationRow
from conveyor.store.tables import Job, Run, Step

if TYPE_CHECKING:
    from sqlalchemy import CursorResult, Result

UNFINISHED = ("queued", "running")
STEP_RESULTS = ("success", "failure", "cancelled", "skipped")


def _check(value: str, allowed: frozenset[str] | tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InternalError(f"{what} {value!r} is not one of {', '.join(sorted(allowed))}")


def _no_run(run_id: int) -> UserError:
    return UserError(f"there is no run {run_id}", hint="`conveyor runs` lists the runs kept")


def _no_job(job_db_id: int) -> UserError:
    return UserError(f"there is no job {job_db_id}")


def get_run_row(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id)
    if run is None:
        raise _no_run(run_id)
    return run


def get_job_row(session: Session, job_db_id: int) -> Job:
    job = session.get(Job, job_db_id)
    if job is None:
        raise _no_job(job_db_id)
    return job


def create_run(
    session: Session,
    *,
    now: datetime,
    owner: Owner,
    workflow_file: str,
    workflow_name: str,
    event_name: str,
    ref: str,
    sha: str,
    branch: str | None,
    actor: str | None,
    inputs: Mapping[str, Any],
    event: Mapping[str, Any],
    rerun_of: int | None,
) -> int:
    """A new `queued` run; its number counts per workflow file, a rerun keeps the number."""
    if rerun_of is None:
        latest = session.scalar(
            select(func.max(Run.run_number)).where(Run.workflow_file == workflow_file)
        )
        run_number, run_attempt = (latest or 0) + 1, 1
    else:
        parent = get_run_row(session, rerun_of)
        if parent.workflow_file != workflow_file:
            raise UserError(
                f"run {rerun_of} is of {parent.workflow_file}, not {workflow_file}",
                hint="rerun a run with its own workflow",
            )
        run_number = parent.run_number
        latest = session.scalar(
            select(func.max(Run.run_attempt)).where(
                Run.workflow_file == workflow_file, Run.run_number == run_number
            )
        )
        run_attempt = (latest or 0) + 1
    run = Run(
        workflow_file=workflow_file,
        workflow_name=workflow_name,
        event_name=event_name,
        ref=ref,
        sha=sha,
        branch=branch,
        run_number=run_number,
        run_attempt=run_attempt,
        parent_run_id=rerun_of,
        status="queued",
        created_at=now,
        owner_pid=owner.pid,
        owner_host=owner.host,
        owner_started=owner.started,
        actor=actor,
        inputs=dict(inputs),
        event=dict(event),
    )
    session.add(run)
    session.flush()
    return run.id


def start_run(session: Session, run_id: int, *, now: datetime) -> None:
    run = get_run_row(session, run_id)
    run.status = "running"
    run.started_at = run.started_at or now


def finish_run(session: Session, run_id: int, *, status: str, now: datetime) -> None:
    """Close a run; jobs still queued or running are closed with it (cancelled or interrupted)."""
    _check(status, FINISHED_RUN, "run status")
    run = get_run_row(session, run_id)
    run.status = status
    run.finished_at = now
    leftover = "interrupted" if status == "interrupted" else "cancelled"
    session.execute(
        update(Job)
        .where(Job.run_id == run_id, Job.status.in_(UNFINISHED))
        .values(status=leftover, finished_at=now)
    )
    concurrency.release_run(session, run_id)


def add_job(
    session: Session,
    run_id: int,
    *,
    job_id: str,
    name: str,
    matrix: Mapping[str, Any] | None,
    started_at: datetime | None = None,
) -> int:
    """A `queued` job (`running` from `started_at` if given); its log goes to
    `logs/<run id>/<job db id>.log` in the state dir."""
    _check_run(session, run_id)
    inserted = session.execute(
        insert(Job).values(
            run_id=run_id,
            job_id=job_id,
            name=name,
            matrix=dict(matrix) if matrix is not None else None,
            status="queued" if started_at is None else "running",
            started_at=started_at,
            outputs={},
        )
    )
    key = cast("CursorResult[Any]", inserted).inserted_primary_key
    if key is None:
        raise InternalError("the database gave no id for a new job")
    job_db_id = int(key[0])
    session.execute(
        update(Job).where(Job.id == job_db_id).values(log_path=str(log_relpath(run_id, job_db_id)))
    )
    return job_db_id


def log_relpath(run_id: int, job_db_id: int) -> PurePosixPath:
    return PurePosixPath("logs", str(run_id), f"{job_db_id}.log")


def start_job(session: Session, job_db_id: int, *, now: datetime) -> None:
    _update_job(
        session,
        job_db_id,
        status="running",
        started_at=func.coalesce(Job.started_at, now),
    )


def finish_job(
    session: Session,
    job_db_id: int,
    *,
    status: str,
    conclusion: str | None,
    outputs: Mapping[str, Any] | None,
    now: datetime,
) -> None:
    _check(status, FINISHED_JOB, "job status")
    values: dict[str, Any] = {
        "status": status,
        "conclusion": conclusion if conclusion is not None else status,
        "finished_at": now,
    }
    if outputs is not None:
        values["outputs"] = dict(outputs)
    _update_job(session, job_db_id, **values)


def _update_job(session: Session, job_db_id: int, **values: Any) -> None:
    """One UPDATE of a job's row (no read first: these run for every job and step)."""
    done = session.execute(update(Job).where(Job.id == job_db_id).values(**values))
    if _rowcount(done) == 0:
        raise _no_job(job_db_id)


def _rowcount(result: Result[Any]) -> int:
    return int(cast("CursorResult[Any]", result).rowcount)


def _check_run(session: Session, run_id: int) -> None:
    if session.scalar(select(Run.id).where(Run.id == run_id)) is None:
        raise _no_run(run_id)


def record_step(
    session: Session,
    job_db_id: int,
    *,
    index: int,
    name: str,
    step_id: str | None,
    outcome: str | None,
    conclusion: str | None,
    started_at: datetime | None,
    finished_at: datetime | None,
    outputs: Mapping[str, Any] | None,
    log_start: int | None,
    log_end: int | None,
    summary: str | None,
) -> None:
    """Insert or update step `index` of a job: call it when the step starts and again when it ends."""
    for value in (outcome, conclusion):
        if value is not None:
            _check(value, STEP_RESULTS, "step result")
    values: dict[str, Any] = {
        "name": name,
        "step_id": step_id,
        "outcome": outcome,
        "conclusion": conclusion,
    }
    kept_unless_given = {
        "started_at": started_at,
        "finished_at": finished_at,
        "outputs": dict(outputs) if outputs is not None else None,
        "log_start": log_start,
        "log_end": log_end,
        "summary": summary,
    }
    values.update({key: value for key, value in kept_unless_given.items() if value is not None})
    done = session.execute(
        update(Step).where(Step.job_id == job_db_id, Step.index == index).values(**values)
    )
    if _rowcount(done) == 0:
        if session.scalar(select(Job.id).where(Job.id == job_db_id)) is None:
            raise _no_job(job_db_id)
        session.execute(
            insert(Step).values(job_id=job_db_id, index=index, **{"outputs": {}, **values})
        )


def add_annotations(session: Session, job_db_id: int, annotations: Sequence[Annotation]) -> None:
    get_job_row(session, job_db_id)
    session.add_all(
        AnnotationRow(
            job_id=job_db_id,
            step_index=a.step_index,
            level=a.level,
            message=a.message,
            file=a.file,
            line=a.line,
            column=a.column,
            title=a.title,
        )
        for a in annotations
    )


def mark_interrupted(session: Session, *, host: str, now: datetime) -> list[int]:
    """Runs on `host` left queued or running by a process that is gone: `interrupted`.

    Their unfinished jobs become `interrupted` too and their concurrency places are freed
    (promoting whoever was pending). Also frees places still held by finished runs.
    """
    stale = [
        run.id
        for run in session.scalars(
            select(Run).where(Run.status.in_(UNFINISHED), Run.owner_host == host).order_by(Run.id)
        )
        if not is_alive(run.owner_pid, run.owner_started)
    ]
    for run_id in stale:
        finish_run(session, run_id, status="interrupted", now=now)
    concurrency.release_finished(session)
    return stale
