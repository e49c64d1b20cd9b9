"""`Store`: the one object the rest of conveyor holds. Each method is one short transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine

from conveyor.gates.history import GateHistory, GateRecord, TestOutcome
from conveyor.store import concurrency, history, queries, runs
from conveyor.store.db import reading, with_retry, writing
from conveyor.store.owners import this_host, this_process
from conveyor.store.records import (
    Acquire,
    Annotation,
    GroupState,
    JobConclusion,
    JobRecord,
    RunConclusion,
    RunRecord,
    StepStatus,
)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Run history, gate history and concurrency groups over one database.

    Use `open_store()` rather than this constructor: it migrates the database and marks
    runs of dead processes interrupted.
    """

    def __init__(self, engine: Engine, *, state_dir: Path, clock: Clock = utc_now) -> None:
        self._engine = engine
        self.state_dir = state_dir
        self._clock = clock

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- runs ------------------------------------------------------------------------------

    def create_run(
        self,
        *,
        workflow_file: str,
        workflow_name: str,
        event_name: str,
        ref: str,
        sha: str,
        branch: str | None = None,
        actor: str | None = None,
        inputs: Mapping[str, Any] | None = None,
        event: Mapping[str, Any] | None = None,
        rerun_of: int | None = None,
    ) -> RunRecord:
        """A `queued` run owned by this process; `rerun_of` keeps that run's number."""
        now, owner = self._clock(), this_process()
        run_id = with_retry(
            self._engine,
            lambda session: runs.create_run(
                session,
                now=now,
                owner=owner,
                workflow_file=workflow_file,
                workflow_name=workflow_name,
                event_name=event_name,
                ref=ref,
                sha=sha,
                branch=branch,
                actor=actor,
                inputs=inputs or {},
                event=event or {},
                rerun_of=rerun_of,
            ),
        )
        return self.get_run(run_id)

    def start_run(self, run_id: int) -> None:
        with writing(self._engine) as session:
            runs.start_run(session, run_id, now=self._clock())

    def finish_run(self, run_id: int, status: RunConclusion) -> None:
        """`success | failure | cancelled | interrupted`; frees its concurrency places."""
        with writing(self._engine) as session:
            runs.finish_run(session, run_id, status=status, now=self._clock())

    def add_job(
        self, run_id: int, *, job_id: str, name: str, matrix: Mapping[str, Any] | None = None
    ) -> JobRecord:
        return self.get_job(self.add_job_id(run_id, job_id=job_id, name=name, matrix=matrix))

    def add_job_id(
        self,
        run_id: int,
        *,
        job_id: str,
        name: str,
        matrix: Mapping[str, Any] | None = None,
        started: bool = False,
    ) -> int:
        """`add_job` in one transaction, `running` from now if `started`; the job's id."""
        now = self._clock() if started else None
        with writing(self._engine) as session:
            return runs.add_job(
                session, run_id, job_id=job_id, name=name, matrix=matrix, started_at=now
            )

    def start_job(self, job_db_id: int) -> None:
        with writing(self._engine) as session:
            runs.start_job(session, job_db_id, now=self._clock())

    def finish_job(
        self,
        job_db_id: int,
        *,
        status: JobConclusion,
        conclusion: str | None = None,
        outputs: Mapping[str, Any] | None = None,
    ) -> None:
        """Close a job; `conclusion` defaults to its status."""
        with writing(self._engine) as session:
            runs.finish_job(
                session,
                job_db_id,
                status=status,
                conclusion=conclusion,
                outputs=outputs,
                now=self._clock(),
            )

    def record_step(
        self,
        job_db_id: int,
        *,
        index: int,
        name: str,
        step_id: str | None = None,
        outcome: StepStatus | None = None,
        conclusion: StepStatus | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        outputs: Mapping[str, Any] | None = None,
        log_start: int | None = None,
        log_end: int | None = None,
        summary: str | None = None,
    ) -> None:
        """Insert or update step `index`: once when it starts, again with its result."""
        with writing(self._engine) as session:
            runs.record_step(
                session,
                job_db_id,
                index=index,
                name=name,
                step_id=step_id,
                outcome=outcome,
                conclusion=conclusion,
                started_at=started_at,
                finished_at=finished_at,
                outputs=outputs,
                log_start=log_start,
                log_end=log_end,
                summary=summary,
            )

    def add_annotations(self, job_db_id: int, annotations: Sequence[Annotation]) -> None:
        with writing(self._engine) as session:
            runs.add_annotations(session, job_db_id, annotations)

    def mark_interrupted(self) -> list[int]:
        """Runs on this host whose owning process is gone become `interrupted`; their ids."""
        with writing(self._engine) as session:
            return runs.mark_interrupted(session, host=this_host(), now=self._clock())

    # -- reading ---------------------------------------------------------------------------

    def get_run(self, run_id: int) -> RunRecord:
        with reading(self._engine) as session:
            return queries.get_run(session, run_id, state_dir=self.state_dir)

    def get_job(self, job_db_id: int) -> JobRecord:
        with reading(self._engine) as session:
            return queries.job_record(
                runs.get_job_row(session, job_db_id), state_dir=self.state_dir
            )

    def list_runs(
        self, limit: int = 20, *, workflow: str | None = None, branch: str | None = None
    ) -> list[RunRecord]:
        """Newest first; `workflow` is a workflow file or name."""
        with reading(self._engine) as session:
            return queries.list_runs(
                session, limit=limit, workflow=workflow, branch=branch, state_dir=self.state_dir
            )

    def job_log_path(self, run_id: int, job_db_id: int) -> Path:
        """Where the runner writes a job's log (masked before writing); its folder exists."""
        path = self.state_dir / runs.log_relpath(run_id, job_db_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    # -- concurrency groups ----------------------------------------------------------------

    def acquire_group(
        self, group: str, run_id: int, job: str | None = None, *, cancel_in_progress: bool = False
    ) -> Acquire:
        """Take a place in `group` for a run (or one of its jobs), by GitHub's rule.

        "running": go. "pending": poll `group_state` until it says "running". The answer
        lists whom this displaced; they learn it from their own `group_state`.
        """
        now = self._clock()
        return with_retry(
            self._engine,
            lambda session: concurrency.acquire(
                session,
                group=group,
                run_id=run_id,
                job=job,
                cancel_in_progress=cancel_in_progress,
                now=now,
            ),
        )

    def group_state(self, group: str, run_id: int, job: str | None = None) -> GroupState:
        """ "running" (go), "pending" (wait) or "cancelled" (stop: displaced, or told to cancel)."""
        return with_retry(
            self._engine,
            lambda session: concurrency.state(session, group=group, run_id=run_id, job=job),
        )

    def release_group(self, group: str, run_id: int, job: str | None = None) -> None:
        """Leave `group`; the pending one, if any, may run. Harmless if not held."""
        with_retry(
            self._engine,
            lambda session: concurrency.release(session, group=group, run_id=run_id, job=job),
        )

    # -- GateHistory -----------------------------------------------------------------------

    def record_gates(self, records: Sequence[GateRecord]) -> None:
        history.record_gates(self._engine, records)

    def last_gate(self, *, gate: str, branch: str) -> GateRecord | None:
        return history.last_gate(self._engine, gate=gate, branch=branch)

    def gate_trend(self, *, gate: str, branch: str | None, limit: int) -> list[GateRecord]:
        return history.gate_trend(self._engine, gate=gate, branch=branch, limit=limit)

    def record_tests(self, outcomes: Sequence[TestOutcome]) -> None:
        history.record_tests(self._engine, outcomes)

    def test_outcomes(
        self, *, test_id: str | None = None, since: datetime | None = None
    ) -> list[TestOutcome]:
        return history.outcomes(self._engine, test_id=test_id, since=since)


def _is_gate_history(store: Store) -> GateHistory:
    return store  # mypy checks here that Store satisfies the GateHistory protocol
