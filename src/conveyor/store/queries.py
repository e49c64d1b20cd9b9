"""Reading runs back as frozen records, jobs, steps and annotations included."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from conveyor.store.records import (
    Annotation,
    JobRecord,
    JobStatus,
    Level,
    RunRecord,
    RunStatus,
    StepRecord,
    StepStatus,
)
from conveyor.store.runs import get_run_row
from conveyor.store.tables import Annotation as AnnotationRow
from conveyor.store.tables import Job, Run, Step

_LOAD = (
    selectinload(Run.jobs).selectinload(Job.steps),
    selectinload(Run.jobs).selectinload(Job.annotations),
)


def get_run(session: Session, run_id: int, *, state_dir: Path) -> RunRecord:
    get_run_row(session, run_id)  # a clear error for an unknown id
    run = session.scalars(select(Run).where(Run.id == run_id).options(*_LOAD)).one()
    return run_record(run, state_dir=state_dir)


def list_runs(
    session: Session,
    *,
    limit: int,
    workflow: str | None,
    branch: str | None,
    state_dir: Path,
) -> list[RunRecord]:
    """Newest first. `workflow` matches the workflow's file or its name."""
    query = select(Run).options(*_LOAD).order_by(Run.id.desc()).limit(max(limit, 0))
    if workflow is not None:
        query = query.where(or_(Run.workflow_file == workflow, Run.workflow_name == workflow))
    if branch is not None:
        query = query.where(Run.branch == branch)
    return [run_record(run, state_dir=state_dir) for run in session.scalars(query)]


def run_record(run: Run, *, state_dir: Path) -> RunRecord:
    return RunRecord(
        id=run.id,
        workflow_file=run.workflow_file,
        workflow_name=run.workflow_name,
        event_name=run.event_name,
        ref=run.ref,
        sha=run.sha,
        branch=run.branch,
        run_number=run.run_number,
        run_attempt=run.run_attempt,
        parent_run_id=run.parent_run_id,
        status=cast(RunStatus, run.status),
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        owner_pid=run.owner_pid,
        owner_host=run.owner_host,
        actor=run.actor,
        inputs=dict(run.inputs),
        event=dict(run.event),
        jobs=tuple(job_record(job, state_dir=state_dir) for job in run.jobs),
    )


def job_record(job: Job, *, state_dir: Path) -> JobRecord:
    return JobRecord(
        id=job.id,
        run_id=job.run_id,
        job_id=job.job_id,
        name=job.name,
        matrix=dict(job.matrix) if job.matrix is not None else None,
        status=cast(JobStatus, job.status),
        conclusion=job.conclusion,
        started_at=job.started_at,
        finished_at=job.finished_at,
        outputs=dict(job.outputs),
        log_path=state_dir / job.log_path if job.log_path else None,
        steps=tuple(_step(step) for step in job.steps),
        annotations=tuple(_annotation(a) for a in job.annotations),
    )


def _step(step: Step) -> StepRecord:
    return StepRecord(
        index=step.index,
        step_id=step.step_id,
        name=step.name,
        outcome=cast(StepStatus | None, step.outcome),
        conclusion=cast(StepStatus | None, step.conclusion),
        started_at=step.started_at,
        finished_at=step.finished_at,
        outputs=dict(step.outputs),
        log_start=step.log_start,
        log_end=step.log_end,
        summary=step.summary,
    )


def _annotation(row: AnnotationRow) -> Annotation:
    return Annotation(
        level=cast(Level, row.level),
        message=row.message,
        step_index=row.step_index,
        file=row.file,
        line=row.line,
        column=row.column,
        title=row.title,
    )
