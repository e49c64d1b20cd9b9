"""An executor that runs no process: scripted results, recorded calls.

It ships in the package so that the job runner's tests, and users' own tests, can
drive the real scheduler without starting processes::

    fake = FakeExecutor().when("pytest", Scripted(exit_code=1, stdout=("1 failed",)))
    result = await fake.run(spec, on_output=print, cancel=asyncio.Event())
    assert fake.calls[0].script == "pytest -q\\n"

A rule's pattern is a regular expression searched in the command's text: its argv
joined by spaces, then the text of the script file the argv names (a step's `run:`
is written to such a file by the shell templates), so a rule can name what the
step runs. Rules are tried in the order they were added; the first match wins.
"""

from __future__ import annotations

import asyncio
import math
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from conveyor.executors.base import OutputCallback, ProcessResult, ProcessSpec

_MAX_SCRIPT = 1024 * 1024
_QUOTED_PATH = re.compile(r"'([^']+)'")


@dataclass(frozen=True, slots=True, kw_only=True)
class Scripted:
    """What the fake does for a spec: its output, then its ending.

    `delay` seconds pass (really, on the event loop) before it ends; with `hang` it
    runs until it is cancelled or times out. `error` makes it a process that could
    not start (like a program not found).
    """

    exit_code: int = 0
    stdout: tuple[str, ...] = ()
    stderr: tuple[str, ...] = ()
    delay: float = 0.0
    hang: bool = False
    error: str | None = None


Responder: TypeAlias = Scripted | Callable[[ProcessSpec], Scripted]
Matcher: TypeAlias = str | Callable[[ProcessSpec], bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class FakeCall:
    """One `run` the fake was asked for; `script` is the text of its script file, if any."""

    spec: ProcessSpec
    script: str | None


class FakeExecutor:
    """Answers each `run` from its rules, and records every call."""

    def __init__(self, default: Responder | None = None) -> None:
        self._rules: list[tuple[Matcher, Responder]] = []
        self._default: Responder = default or Scripted()
        self.calls: list[FakeCall] = []
        self.closed = False

    def when(self, match: Matcher, then: Responder) -> FakeExecutor:
        """Answer specs that `match` with `then`; returns self so rules chain."""
        self._rules.append((match, then))
        return self

    async def run(
        self, spec: ProcessSpec, *, on_output: OutputCallback, cancel: asyncio.Event
    ) -> ProcessResult:
        script = script_text(spec)
        self.calls.append(FakeCall(spec=spec, script=script))
        scripted = self._respond(spec, script)
        if scripted.error is not None:
            on_output("stderr", scripted.error)
            return ProcessResult(exit_code=127, duration=0.0, error=scripted.error)
        for line in scripted.stdout:
            on_output("stdout", line)
        for line in scripted.stderr:
            on_output("stderr", line)
        return await _finish(scripted, spec.timeout, cancel)

    async def close(self) -> None:
        self.closed = True

    def _respond(self, spec: ProcessSpec, script: str | None) -> Scripted:
        text = " ".join(spec.argv) + "\n" + (script or "")
        for match, then in self._rules:
            hit = re.search(match, text) if isinstance(match, str) else match(spec)
            if hit:
                return then if isinstance(then, Scripted) else then(spec)
        default = self._default
        return default if isinstance(default, Scripted) else default(spec)


async def _finish(
    scripted: Scripted, timeout: float | None, cancel: asyncio.Event
) -> ProcessResult:
    loop = asyncio.get_running_loop()
    started = loop.time()
    runs_for = math.inf if scripted.hang else scripted.delay
    limit = min(runs_for, timeout if timeout is not None else math.inf)
    stopped = cancel.is_set()
    if not stopped and limit > 0:
        try:
            await asyncio.wait_for(cancel.wait(), None if math.isinf(limit) else limit)
            stopped = True
        except TimeoutError:
            stopped = False
    duration = loop.time() - started
    if stopped or limit < runs_for:
        interrupted = int(signal.SIGINT)
        return ProcessResult(
            exit_code=128 + interrupted,
            duration=duration,
            cancelled=stopped,
            timed_out=not stopped,
            signal=interrupted,
        )
    return ProcessResult(exit_code=scripted.exit_code, duration=duration)


def script_text(spec: ProcessSpec) -> str | None:
    """The text of the first script file named in `spec.argv` after the program."""
    for arg in spec.argv[1:]:
        quoted = _QUOTED_PATH.search(arg)
        candidate = Path(quoted.group(1) if quoted else arg)
        if not candidate.is_absolute():
            candidate = spec.cwd / candidate
        try:
            if candidate.is_file() and candidate.stat().st_size <= _MAX_SCRIPT:
                return candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return None
