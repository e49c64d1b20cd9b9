"""Run a step's process on this machine.

Each process starts in its own session (so in its own process group), with stdin
from /dev/null and its output streamed line by line. On timeout or cancel the whole
tree is stopped with SIGINT → SIGTERM → SIGKILL (see `tree`). When the process ends
by itself, what it started in the background keeps running for later steps of the
job, as on GitHub, until `close()`.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from typing import Literal

from conveyor.executors.base import (
    EXIT_NOT_EXECUTABLE,
    EXIT_NOT_FOUND,
    OutputCallback,
    ProcessResult,
    ProcessSpec,
    Stream,
)
from conveyor.executors.lines import pump
from conveyor.executors.tree import TRACKING_VAR, KillGrace, TreeQuery, stop_tree

Ending = Literal["exited", "timed_out", "cancelled"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HostOptions:
    """How the host executor stops processes and reads their output.

    `drain`: seconds to keep reading output after the process exits while processes
    it started in the background still hold its output open. `max_line`: longest
    line, in characters, before it is cut.
    """

    grace: KillGrace = field(default_factory=KillGrace)
    drain: float = 1.0
    max_line: int = 1024 * 1024


class _Relay:
    """Passes output on until the step is over; background output is then dropped."""

    def __init__(self, callback: OutputCallback, stream: Stream) -> None:
        self._callback = callback
        self._stream = stream
        self.open = True

    def __call__(self, line: str) -> None:
        if self.open:
            self._callback(self._stream, line)


class HostExecutor:
    """Runs processes on this host; one instance per job."""

    def __init__(self, options: HostOptions | None = None) -> None:
        self._options = options or HostOptions()
        self._job = uuid.uuid4().hex
        self._steps = 0
        self._background: set[asyncio.Task[None]] = set()
        self._open: list[asyncio.SubprocessTransport] = []

    async def run(
        self, spec: ProcessSpec, *, on_output: OutputCallback, cancel: asyncio.Event
    ) -> ProcessResult:
        started = time.monotonic()
        if cancel.is_set():
            return ProcessResult(exit_code=1, duration=0.0, cancelled=True)
        self._steps += 1
        tracking = f"{self._job}:{self._steps}"
        try:
            proc, exited, transport = await _start(spec, {**spec.env, TRACKING_VAR: tracking})
        except OSError as exc:
            return _not_started(spec, exc, on_output, started)
        query = TreeQuery(tracking=tracking.__eq__, leader=proc.pid)
        assert proc.stdout is not None
        assert proc.stderr is not None
        relays = (_Relay(on_output, "stdout"), _Relay(on_output, "stderr"))
        readers = [
            asyncio.create_task(pump(proc.stdout, relays[0], max_line=self._options.max_line)),
            asyncio.create_task(pump(proc.stderr, relays[1], max_line=self._options.max_line)),
        ]
        try:
            ending = await _wait(exited, spec.timeout, cancel)
        except asyncio.CancelledError:
            await stop_tree(query, self._options.grace)
            await asyncio.shield(exited)
            for relay in relays:
                relay.open = False
            self._background.update(readers)
            self._open.append(transport)
            raise
        if ending != "exited":
            await stop_tree(query, self._options.grace)
        returncode = await exited
        if not await self._drained(readers):
            self._open.append(transport)
        for relay in relays:
            relay.open = False
        return _result(returncode, ending, time.monotonic() - started)

    async def close(self) -> None:
        """Stop every process this executor's steps left behind, then stop reading."""
        prefix = f"{self._job}:"
        await stop_tree(TreeQuery(tracking=lambda v: v.startswith(prefix)), self._options.grace)
        background = list(self._background)
        if background:
            await asyncio.wait(background, timeout=self._options.drain)
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        self._background.clear()
        for transport in self._open:
            transport.close()
        self._open.clear()

    async def __aenter__(self) -> HostExecutor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _drained(self, readers: list[asyncio.Task[None]]) -> bool:
        """Read to the end, unless background processes keep the output open.

        Waiting is bounded even when no such process is known: one that escaped
        every search (a daemon that cleared its environment) must not hang the job.
        """
        done, pending = await asyncio.wait(readers, timeout=self._options.drain)
        for task in done:
            task.result()  # an exception in `on_output` is the caller's bug: surface it
        self._background.update(pending)
        for task in pending:
            task.add_done_callback(self._background.discard)
        return not pending


class _Protocol(asyncio.subprocess.SubprocessStreamProtocol):
    """Also tells when the process exits, even while its children hold its output open.

    (`Process.wait()` also waits for the pipes to close, which a background child
    can put off for ever.)
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(limit=2**16, loop=loop)
        self.exited: asyncio.Future[int] = loop.create_future()

    def process_exited(self) -> None:
        transport = self._transport  # type: ignore[attr-defined]
        if not self.exited.done():
            self.exited.set_result(transport.get_returncode())
        super().process_exited()


async def _start(
    spec: ProcessSpec, env: dict[str, str]
) -> tuple[asyncio.subprocess.Process, asyncio.Future[int], asyncio.SubprocessTransport]:
    loop = asyncio.get_running_loop()
    protocol = _Protocol(loop)
    transport, _ = await loop.subprocess_exec(
        lambda: protocol,
        *spec.argv,
        cwd=spec.cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    return asyncio.subprocess.Process(transport, protocol, loop), protocol.exited, transport


async def _wait(
    exited: asyncio.Future[int], timeout: float | None, cancel: asyncio.Event
) -> Ending:
    cancelled = asyncio.ensure_future(cancel.wait())
    waiting: set[asyncio.Future[object]] = {exited, cancelled}  # type: ignore[arg-type]
    try:
        done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        cancelled.cancel()
    if exited in done:
        return "exited"
    return "cancelled" if cancelled in done else "timed_out"


def _result(returncode: int, ending: Ending, duration: float) -> ProcessResult:
    signal = -returncode if returncode < 0 else None
    return ProcessResult(
        exit_code=128 + signal if signal is not None else returncode,
        duration=duration,
        timed_out=ending == "timed_out",
        cancelled=ending == "cancelled",
        signal=signal,
    )


def _not_started(
    spec: ProcessSpec, exc: OSError, on_output: OutputCallback, started: float
) -> ProcessResult:
    program = spec.argv[0]
    if not spec.cwd.is_dir():
        message, code = f"working directory {spec.cwd} does not exist", EXIT_NOT_FOUND
    elif isinstance(exc, FileNotFoundError):
        message, code = f"{program}: command not found", EXIT_NOT_FOUND
    elif isinstance(exc, PermissionError):
        message, code = f"{program}: permission denied (is it executable?)", EXIT_NOT_EXECUTABLE
    else:
        message, code = f"{program}: cannot start: {exc.strerror or exc}", EXIT_NOT_EXECUTABLE
    if spec.label:
        message = f"{spec.label}: {message}"
    on_output("stderr", message)
    return ProcessResult(exit_code=code, duration=time.monotonic() - started, error=message)
