"""What the store hands out: frozen records, never ORM objects.

Gate results and test outcomes use `GateRecord` and `TestOutcome` from
`conveyor.gates.history`, the seam the store implements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

RunStatus = Literal["queued", "running", "success", "failure", "cancelled", "interrupted"]
JobStatus = Literal[
    "queued", "running", "success", "failure", "cancelled", "skipped", "interrupted"
]
RunConclusion = Literal["success", "failure", "cancelled", "interrupted"]
JobConclusion = Literal["success", "failure", "cancelled", "skipped", "interrupted"]
StepStatus = Literal["success", "failure", "cancelled", "skipped"]
Level = Literal["error", "warning", "notice"]
GroupState = Literal["running", "pending", "cancelled"]
SlotState = Literal["running", "pending"]

FINISHED_RUN: frozenset[str] = frozenset({"success", "failure", "cancelled", "interrupted"})
FINISHED_JOB: frozenset[str] = frozenset(
    {"success", "failure", "cancelled", "skipped", "interrupted"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    """An `::error::`/`::warning::`/`::notice::` a step raised."""

    level: Level
    message: str
    step_index: int | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRecord:
    """One step of a job. `outcome` is before `continue-on-error`, `conclusion` after it;
    both are None while the step runs. `log_start`/`log_end` are byte offsets in the job log."""

    index: int
    step_id: str | None
    name: str
    outcome: StepStatus | None
    conclusion: StepStatus | None
    started_at: datetime | None
    finished_at: datetime | None
    outputs: Mapping[str, Any]
    log_start: int | None
    log_end: int | None
    summary: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class JobRecord:
    """One job, or one leg of a matrix job. `id` is the store's; `job_id` is the YAML key."""

    id: int
    run_id: int
    job_id: str
    name: str
    matrix: Mapping[str, Any] | None
    status: JobStatus
    conclusion: str | None
    started_at: datetime | None
    finished_at: datetime | None
    outputs: Mapping[str, Any]
    log_path: Path | None
    steps: tuple[StepRecord, ...] = ()
    annotations: tuple[Annotation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRecord:
    """One run of one workflow. `id` is the `github.run_id` users see."""

    id: int
    workflow_file: str
    workflow_name: str
    event_name: str
    ref: str
    sha: str
    branch: str | None
    run_number: int
    run_attempt: int
    parent_run_id: int | None
    status: RunStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    owner_pid: int
    owner_host: str
    actor: str | None
    inputs: Mapping[str, Any]
    event: Mapping[str, Any]
    jobs: tuple[JobRecord, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupHolder:
    """Who holds a place in a concurrency group: a whole run (`job` None) or one job."""

    run_id: int
    job: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Acquire:
    """The answer to `acquire_group`.

    `state` is "running" (go) or "pending" (poll `group_state` until it says "running").
    `cancelled` lists the holders this call displaced: the older pending one, and with
    cancel-in-progress the running one (which learns it from `group_state`).
    """

    group: str
    state: SlotState
    cancelled: tuple[GroupHolder, ...] = ()
