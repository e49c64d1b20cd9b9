"""The one seam for the programs this package runs (interpreters, `uv`), and its fake."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandResult:
    """What a finished program left: exit status and its output as text."""

    returncode: int
    stdout: str = ""
    stderr: str = ""


class CommandRunner(Protocol):
    """Run `argv` to completion; raise OSError when it cannot start."""

    def __call__(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult: ...


def run_command(argv: Sequence[str], *, timeout: float | None = None) -> CommandResult:
    """The real runner: a subprocess with no stdin; a timeout counts as a failure (124)."""
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return CommandResult(returncode=124, stderr=f"timed out after {timeout} s")
    return CommandResult(returncode=done.returncode, stdout=done.stdout, stderr=done.stderr)


Handler = Callable[[Sequence[str]], CommandResult]


@dataclass(slots=True)
class FakeRunner:
    """Answers chosen programs (by file name) with handlers and records every call.

    Programs without a handler go to `fallback` (the real runner by default), so a test
    can fake `uv` while real interpreters still answer their probes.
    """

    handlers: Mapping[str, Handler]
    fallback: CommandRunner | None = run_command
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def __call__(self, argv: Sequence[str], *, timeout: float | None = None) -> CommandResult:
        self.calls.append(tuple(argv))
        handler = self.handlers.get(Path(argv[0]).name)
        if handler is not None:
            return handler(argv)
        if self.fallback is None:
            raise FileNotFoundError(argv[0])
        return self.fallback(argv, timeout=timeout)
