"""Running programs from built-in actions.

Programs whose output belongs in the step's log (git checkout, uv, pip, pre-commit) go
through `call.run` (the job's executor: streamed, masked, killed on cancel). Short queries
whose answer the action needs (`git rev-parse`, `uv --version`) are read with `capture`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from conveyor.actions.base import ActionCall, ActionFailed

QUERY_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Captured:
    returncode: int
    stdout: str
    stderr: str


async def run(
    call: ActionCall, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None
) -> int:
    """Run `argv` through the job's executor (`call.run`); its output goes to the step's log."""
    extra = dict(env or {})
    if call.run is not None:
        return await call.run(list(argv), cwd, extra)
    process = await asyncio.create_subprocess_exec(
        *argv, cwd=cwd, env={**call.env, **extra}, stdin=asyncio.subprocess.DEVNULL
    )
    return await process.wait()


async def run_checked(
    call: ActionCall,
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    hint: str | None = None,
) -> None:
    """`run`, failing the step with the command line when it exits non-zero."""
    code = await run(call, argv, cwd=cwd, env=env)
    if code != 0:
        raise ActionFailed(f"`{' '.join(argv)}` failed with exit code {code}", hint=hint)


async def capture(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None
) -> Captured:
    """Run a short query and return its output (never a traceback for a missing program)."""
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as exc:
        return Captured(returncode=127, stdout="", stderr=str(exc))
    try:
        out, err = await asyncio.wait_for(process.communicate(), QUERY_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        return Captured(returncode=124, stdout="", stderr=f"timed out after {QUERY_TIMEOUT:.0f}s")
    returncode = process.returncode if process.returncode is not None else 1
    return Captured(
        returncode=returncode,
        stdout=out.decode(errors="replace"),
        stderr=err.decode(errors="replace"),
    )


def which(program: str, env: Mapping[str, str]) -> Path | None:
    """`program` as the step's PATH finds it."""
    found = shutil.which(program, path=env.get("PATH", os.defpath))
    return Path(found) if found else None
