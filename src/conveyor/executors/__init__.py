"""Where a step's processes run: the `Executor` seam and its implementations.

- `HostExecutor` runs processes on this machine, each in its own session, and stops
  a whole process tree with SIGINT → SIGTERM → SIGKILL on timeout or cancel.
- `FakeExecutor` runs nothing: scripted results and recorded calls, for tests.
"""

from conveyor.executors.base import (
    EXIT_NOT_EXECUTABLE,
    EXIT_NOT_FOUND,
    Executor,
    OutputCallback,
    ProcessResult,
    ProcessSpec,
    Stream,
)
from conveyor.executors.fake import FakeCall, FakeExecutor, Scripted
from conveyor.executors.host import HostExecutor, HostOptions
from conveyor.executors.tree import TRACKING_VAR, KillGrace

__all__ = [
    "EXIT_NOT_EXECUTABLE",
    "EXIT_NOT_FOUND",
    "TRACKING_VAR",
    "Executor",
    "FakeCall",
    "FakeExecutor",
    "HostExecutor",
    "HostOptions",
    "KillGrace",
    "OutputCallback",
    "ProcessResult",
    "ProcessSpec",
    "Scripted",
    "Stream",
]
