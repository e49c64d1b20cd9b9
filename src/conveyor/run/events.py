"""What the runner tells the world while it works: a stream of small frozen events.

The console, the log files, the store and (later) the web app each listen to the same
stream through `Listener`; the runner knows none of them. Output lines are masked before
an event is built, so no listener ever sees a secret.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from conveyor.run.results import Annotation, JobResult, RunResult, StepResult


@dataclass(frozen=True, slots=True, kw_only=True)
class RunStarted:
    run_id: int | None
    event: str
    workflows: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class JobStarted:
    workflow: str
    job: str  # display name, unique within the run: `build (3.11)`
    job_id: str = ""  # the job's key in YAML (`build`); the display name when not given
    matrix: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepStarted:
    workflow: str
    job: str
    index: int
    name: str
    nested: bool = False  # a step of a composite action, part of the job's step `index`


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputLine:
    workflow: str
    job: str
    step: int
    stream: str  # "stdout" | "stderr" | "conveyor"
    text: str  # already masked, without the newline


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnotationAdded:
    workflow: str
    job: str
    annotation: Annotation


@dataclass(frozen=True, slots=True, kw_only=True)
class StepFinished:
    workflow: str
    job: str
    result: StepResult
    nested: bool = False  # a step of a composite action (its index is within the action)


@dataclass(frozen=True, slots=True, kw_only=True)
class JobFinished:
    workflow: str
    result: JobResult


@dataclass(frozen=True, slots=True, kw_only=True)
class RunFinished:
    result: RunResult


RunEvent = (
    RunStarted
    | JobStarted
    | StepStarted
    | OutputLine
    | AnnotationAdded
    | StepFinished
    | JobFinished
    | RunFinished
)


class Listener(Protocol):
    def __call__(self, event: RunEvent) -> None: ...


class Fanout:
    """Hands each event to several listeners, in order."""

    def __init__(self, listeners: Sequence[Listener]) -> None:
        self._listeners = tuple(listeners)

    def __call__(self, event: RunEvent) -> None:
        for listener in self._listeners:
            listener(event)


class Recorder:
    """Keeps every event: the fake listener that ships for tests."""

    def __init__(self) -> None:
        self.events: list[RunEvent] = []

    def __call__(self, event: RunEvent) -> None:
        self.events.append(event)

    def lines(self, job: str | None = None) -> list[str]:
        return [e.text for e in self.events if isinstance(e, OutputLine) and job in (None, e.job)]
