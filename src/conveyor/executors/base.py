"""The executor seam: what a step asks for (`ProcessSpec`) and what it gets back.

An `Executor` runs one process to completion, streams its output line by line, and
stops it on timeout or on a cooperative cancel `Event`. The job runner owns one
executor per job and calls `close()` when the job ends, so processes a step left
running in the background (`server &`) live on for later steps, as on GitHub, and
are then killed like GitHub's "Cleaning up orphan processes".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TypeAlias

Stream: TypeAlias = Literal["stdout", "stderr"]

OutputCallback: TypeAlias = Callable[[Stream, str], None]
"""Called with each line of output, without its line ending, in the order read."""

EXIT_NOT_FOUND = 127
EXIT_NOT_EXECUTABLE = 126


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessSpec:
    """One process to run.

    `env` is the complete environment: an executor does not merge it with its own
    `os.environ`. `timeout` is in seconds (`timeout-minutes` × 60), None for none.
    `label` names the step in messages (`build / Run tests`).
    """

    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]
    timeout: float | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if not self.argv:
            raise ValueError("ProcessSpec.argv must name a program")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError(f"ProcessSpec.timeout must be positive, got {self.timeout}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessResult:
    """How a process ended.

    `exit_code` is what a shell would report: the process's own code, or 128 + N
    when signal N ended it (`signal` is then N). `timed_out` and `cancelled` say
    that conveyor stopped it; `error` explains a process that could not start
    (exit 127 for a program not found, 126 for one not executable).
    """

    exit_code: int
    duration: float
    timed_out: bool = False
    cancelled: bool = False
    signal: int | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and not self.cancelled


class Executor(Protocol):
    """Runs processes for one job."""

    async def run(
        self, spec: ProcessSpec, *, on_output: OutputCallback, cancel: asyncio.Event
    ) -> ProcessResult:
        """Run `spec` to completion, or stop it when it times out or `cancel` is set."""
        ...

    async def close(self) -> None:
        """Stop whatever the job's steps left running in the background."""
        ...
