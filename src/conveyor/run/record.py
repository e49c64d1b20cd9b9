"""Keep a run in the store as it happens: jobs, steps, logs, annotations, summaries.

A listener on the run's events. Output reaches it already masked, so neither log files
nor the database ever hold a secret. Each job's log is one file; each step's part of it
is kept as a byte range, so `conveyor logs RUN JOB --step N` can show one step.
Writes are few and short: a job row when a job starts, a step row when a step starts and
again when it ends, the annotations and result when the job ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from conveyor.run.events import (
    AnnotationAdded,
    JobFinished,
    JobStarted,
    OutputLine,
    RunEvent,
    StepFinished,
    StepStarted,
)
from conveyor.run.results import StepResult
from conveyor.store import Store
from conveyor.store.records import Annotation as StoredAnnotation


@dataclass
class _OpenJob:
    db_id: int
    log: IO[bytes]
    step_start: dict[int, int] = field(default_factory=dict)
    annotations: list[StoredAnnotation] = field(default_factory=list)
    current_step: int = -1


class StoreRecorder:
    """Writes what it hears to the store; `runs` maps workflow file → run id.

    Steps are written as they start and end, and log lines as they come, so a run killed
    mid-way still shows the steps it got through and their output.
    """

    def __init__(self, store: Store, runs: dict[str, int]) -> None:
        self.store = store
        self.runs = runs
        self.jobs: dict[tuple[str, str], _OpenJob] = {}

    def _open(
        self,
        workflow: str,
        job: str,
        job_id: str = "",
        matrix: Mapping[str, Any] | None = None,
        *,
        started: bool = False,
    ) -> _OpenJob:
        """The job's row and log, made on first mention (`running` already if `started`)."""
        key = (workflow, job)
        if key not in self.jobs:
            run_id = self.runs[workflow]
            db_id = self.store.add_job_id(
                run_id, job_id=job_id or job, name=job, matrix=matrix, started=started
            )
            path = self.store.job_log_path(run_id, db_id)
            self.jobs[key] = _OpenJob(db_id=db_id, log=path.open("ab"))
        elif started:
            self.store.start_job(self.jobs[key].db_id)
        return self.jobs[key]

    def __call__(self, event: RunEvent) -> None:
        match event:
            case JobStarted(workflow=workflow, job=job, job_id=job_id, matrix=matrix):
                self._open(workflow, job, job_id, matrix, started=True)
            case StepStarted(nested=True) | StepFinished(nested=True):
                pass  # a composite action's steps are logged within its own step
            case StepStarted(workflow=workflow, job=job, index=index, name=name):
                opened = self._open(workflow, job)
                opened.current_step = index
                opened.step_start[index] = opened.log.tell()
                self._write(opened, f"##[step {index}] {name}")
                self.store.record_step(
                    opened.db_id,
                    index=index,
                    name=name,
                    started_at=datetime.now(UTC),
                    log_start=opened.step_start[index],
                )
            case OutputLine(workflow=workflow, job=job, text=text):
                self._write(self._open(workflow, job), text)
            case AnnotationAdded(workflow=workflow, job=job, annotation=a):
                opened = self._open(workflow, job)
                opened.annotations.append(
                    StoredAnnotation(
                        level=a.level,
                        message=a.message,
                        step_index=opened.current_step if opened.current_step >= 0 else None,
                        file=a.file,
                        line=a.line,
                        column=a.column,
                        title=a.title,
                    )
                )
            case StepFinished(workflow=workflow, job=job, result=step):
                self._record_step(self._open(workflow, job), step)
            case JobFinished(workflow=workflow, result=result):
                opened = self._open(workflow, result.name, result.id, result.matrix)
                self._close(opened, result.status, dict(result.outputs), workflow, result.name)

    @staticmethod
    def _write(opened: _OpenJob, text: str) -> None:
        opened.log.write(text.encode("utf-8", "replace") + b"\n")
        opened.log.flush()  # a killed run keeps its output up to the last line

    def _record_step(self, opened: _OpenJob, step: StepResult) -> None:
        now = datetime.now(UTC)
        start = opened.step_start.get(step.index, opened.log.tell())
        self.store.record_step(
            opened.db_id,
            index=step.index,
            name=step.name,
            step_id=step.id,
            outcome=step.outcome,
            conclusion=step.conclusion,
            started_at=now - timedelta(seconds=step.duration),
            finished_at=now,
            outputs=dict(step.outputs),
            log_start=start,
            log_end=opened.log.tell(),
            summary=step.summary or None,
        )

    def _close(
        self, opened: _OpenJob, status: str, outputs: dict[str, str], workflow: str, job: str
    ) -> None:
        opened.log.close()
        if opened.annotations:
            self.store.add_annotations(opened.db_id, opened.annotations)
        self.store.finish_job(opened.db_id, status=status, outputs=outputs)  # type: ignore[arg-type]
        del self.jobs[(workflow, job)]

    def close(self) -> None:
        for opened in self.jobs.values():
            opened.log.close()
