"""What a run produces: frozen results, shaped like the `--json` contract in DESIGN.md.

    {"status", "event", "workflows": [{"name", "file", "status", "jobs": [{"id", "name",
     "matrix", "status", "outputs", "steps": [{"id", "name", "outcome", "conclusion",
     "outputs"}]}]}]}

Statuses are `success | failure | cancelled | skipped`. Results are built once, when the
thing they describe is over; nothing here changes afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["success", "failure", "cancelled", "skipped"]

# The order in which statuses "win" when several are combined (a run with one failed
# and one cancelled workflow is a failure, as GitHub shows it).
_PRECEDENCE: tuple[Status, ...] = ("failure", "cancelled", "success", "skipped")


def combine(statuses: Iterable[Status]) -> Status:
    """The overall status of several results: failure > cancelled > success > skipped."""
    seen = set(statuses)
    for status in _PRECEDENCE:
        if status in seen:
            return status
    return "skipped"


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    """An `::error::`/`::warning::`/`::notice::` shown in the summary as `file:line`."""

    level: Literal["error", "warning", "notice"]
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    title: str | None = None
    job: str = ""

    def where(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StepResult:
    """`outcome` is before `continue-on-error`; `conclusion` after it (GitHub's `steps` context)."""

    index: int
    id: str
    name: str
    outcome: Status
    conclusion: Status
    outputs: Mapping[str, str] = field(default_factory=dict)
    duration: float = 0.0
    message: str = ""  # why it failed or was skipped, for people
    summary: str = ""  # what it wrote to GITHUB_STEP_SUMMARY (Markdown), masked

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "outcome": self.outcome,
            "conclusion": self.conclusion,
            "outputs": dict(self.outputs),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class JobResult:
    """One job, or one leg of a matrix job. `id` is the job's key in YAML."""

    id: str
    name: str
    status: Status
    matrix: Mapping[str, Any] | None = None
    outputs: Mapping[str, str] = field(default_factory=dict)
    steps: tuple[StepResult, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    duration: float = 0.0
    message: str = ""
    # it failed and the job's `continue-on-error` (evaluated for this leg) lets it: as on
    # GitHub, the leg shows failed, but `needs.<id>.result` says success, fail-fast leaves
    # the other legs alone and the workflow does not fail
    allowed_failure: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "matrix": dict(self.matrix) if self.matrix is not None else None,
            "status": self.status,
            "outputs": dict(self.outputs),
            "steps": [step.to_json() for step in self.steps],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowResult:
    name: str
    file: str
    status: Status
    jobs: tuple[JobResult, ...] = ()
    duration: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "status": self.status,
            "jobs": [job.to_json() for job in self.jobs],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RunResult:
    event: str
    status: Status
    workflows: tuple[WorkflowResult, ...] = ()
    run_id: int | None = None
    duration: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "event": self.event,
            "run_id": self.run_id,
            "workflows": [wf.to_json() for wf in self.workflows],
        }
