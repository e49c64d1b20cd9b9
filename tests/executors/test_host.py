"""The host executor, with real processes."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import psutil
import pytest

from conveyor.executors import (
    EXIT_NOT_FOUND,
    HostExecutor,
    HostOptions,
    KillGrace,
    ProcessResult,
    ProcessSpec,
)

FAST = HostOptions(grace=KillGrace(sigint=0.5, sigterm=0.5, sigkill=5.0), drain=0.3)


class Log:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def __call__(self, stream: str, line: str) -> None:
        self.lines.append((stream, line))

    def of(self, stream: str) -> list[str]:
        return [line for s, line in self.lines if s == stream]


def spec(tmp_path: Path, *argv: str, timeout: float | None = None) -> ProcessSpec:
    return ProcessSpec(
        argv=argv,
        cwd=tmp_path,
        env={"PATH": os.environ["PATH"]},
        timeout=timeout,
        label="job / step",
    )


def bash(tmp_path: Path, script: str, timeout: float | None = None) -> ProcessSpec:
    return spec(tmp_path, shutil.which("bash") or "bash", "-c", script, timeout=timeout)


def run(coro: Coroutine[Any, Any, ProcessResult]) -> ProcessResult:
    return asyncio.run(coro)


async def run_once(
    the_spec: ProcessSpec,
    log: Log,
    options: HostOptions = FAST,
    cancel: asyncio.Event | None = None,
) -> ProcessResult:
    async with HostExecutor(options) as executor:
        return await executor.run(the_spec, on_output=log, cancel=cancel or asyncio.Event())


def alive(pids: list[int]) -> list[int]:
    living = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                living.append(pid)
        except psutil.NoSuchProcess:
            continue
    return living


def test_streams_stdout_and_stderr_line_by_line(tmp_path: Path) -> None:
    log = Log()
    result = run(run_once(bash(tmp_path, "echo one; echo two >&2; printf 'three'; exit 3"), log))
    assert log.of("stdout") == ["one", "three"]
    assert log.of("stderr") == ["two"]
    assert result.exit_code == 3
    assert not result.succeeded
    assert not result.timed_out
    assert not result.cancelled


def test_env_is_exactly_the_spec_env_and_cwd_is_used(tmp_path: Path) -> None:
    os.environ["CONVEYOR_TEST_LEAK"] = "leaked"
    try:
        the_spec = ProcessSpec(
            argv=(sys.executable, "-c", "import os; print(sorted(os.environ)); print(os.getcwd())"),
            cwd=tmp_path,
            env={"ONLY": "this"},
        )
        log = Log()
        result = run(run_once(the_spec, log))
    finally:
        del os.environ["CONVEYOR_TEST_LEAK"]
    assert result.succeeded
    names = log.of("stdout")[0]
    assert "ONLY" in names
    assert "CONVEYOR_TEST_LEAK" not in names
    assert "PATH" not in names
    assert log.of("stdout")[1] == str(tmp_path)


def test_stdin_is_empty(tmp_path: Path) -> None:
    log = Log()
    result = run(run_once(bash(tmp_path, "cat; echo done"), log))
    assert result.succeeded
    assert log.of("stdout") == ["done"]


def test_undecodable_bytes_become_replacement_characters(tmp_path: Path) -> None:
    log = Log()
    run(run_once(bash(tmp_path, r"printf 'caf\xe9 ok\r\n'"), log))
    assert log.of("stdout") == ["caf\ufffd ok"]


def test_a_very_long_line_arrives_whole(tmp_path: Path) -> None:
    log = Log()
    run(run_once(spec(tmp_path, sys.executable, "-c", "print('x' * 300_000 + 'end')"), log))
    assert log.of("stdout") == ["x" * 300_000 + "end"]


def test_a_line_over_the_limit_is_cut(tmp_path: Path) -> None:
    log = Log()
    options = HostOptions(grace=FAST.grace, max_line=1000)
    run(run_once(spec(tmp_path, sys.executable, "-c", "print('y' * 2500)"), log, options))
    assert log.of("stdout") == ["y" * 1000, "y" * 1000, "y" * 500]


def test_command_not_found_is_a_result_not_a_traceback(tmp_path: Path) -> None:
    log = Log()
    result = run(run_once(spec(tmp_path, "no-such-program-xyz", "--flag"), log))
    assert result.exit_code == EXIT_NOT_FOUND
    assert result.error is not None
    assert "no-such-program-xyz: command not found" in result.error
    assert any("no-such-program-xyz" in line for line in log.of("stderr"))


def test_missing_working_directory_is_named(tmp_path: Path) -> None:
    the_spec = ProcessSpec(argv=("true",), cwd=tmp_path / "gone", env={})
    result = run(run_once(the_spec, Log()))
    assert result.error is not None
    assert "gone" in result.error
    assert not result.succeeded


def test_killed_by_a_signal_reports_it(tmp_path: Path) -> None:
    result = run(run_once(bash(tmp_path, "kill -TERM $$"), Log()))
    assert result.signal == 15
    assert result.exit_code == 128 + 15


def test_timeout_stops_a_process_that_ignores_sigint(tmp_path: Path) -> None:
    log = Log()
    script = "trap 'echo got-int' INT; echo started; while true; do sleep 0.1; done"
    began = time.monotonic()
    result = run(run_once(bash(tmp_path, script, timeout=1.0), log))
    assert result.timed_out
    assert not result.cancelled
    assert not result.succeeded
    assert "started" in log.of("stdout")
    assert time.monotonic() - began < 15


def test_a_cancelled_step_does_not_start(tmp_path: Path) -> None:
    cancel = asyncio.Event()
    cancel.set()
    marker = tmp_path / "ran"
    result = run(run_once(bash(tmp_path, f"touch {marker}"), Log(), cancel=cancel))
    assert result.cancelled
    assert not marker.exists()


ORPHANS = r"""
record() { echo "$1" >> pids; }
sleep 300 & record $!
( sleep 301 & echo $! >> pids; trap '' INT TERM; wait ) & record $!
if command -v setsid > /dev/null; then setsid sleep 302 & record $!; else sleep 302 & record $!; fi
nohup sleep 303 > /dev/null 2>&1 & record $!
"$PYTHON" -c '
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        open("pids", "a").write(f"{os.getpid()}\n")
        time.sleep(300)
    os._exit(0)
' &
trap '' INT TERM
echo ready
wait
"""
EXPECTED_PIDS = 6


def orphan_spec(tmp_path: Path, timeout: float | None) -> ProcessSpec:
    env = {"PATH": os.environ["PATH"], "PYTHON": sys.executable}
    return ProcessSpec(argv=("bash", "-c", ORPHANS), cwd=tmp_path, env=env, timeout=timeout)


def recorded_pids(tmp_path: Path) -> list[int]:
    path = tmp_path / "pids"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


async def wait_for_pids(tmp_path: Path) -> list[int]:
    for _ in range(200):
        pids = recorded_pids(tmp_path)
        if len(pids) >= EXPECTED_PIDS:
            return pids
        await asyncio.sleep(0.05)
    raise AssertionError(f"the step never started its children: {recorded_pids(tmp_path)}")


def test_cancel_kills_children_grandchildren_and_escaped_sessions(tmp_path: Path) -> None:
    async def scenario() -> tuple[ProcessResult, list[int], int]:
        cancel = asyncio.Event()
        async with HostExecutor(FAST) as executor:
            step = asyncio.create_task(
                executor.run(orphan_spec(tmp_path, None), on_output=Log(), cancel=cancel)
            )
            pids = await wait_for_pids(tmp_path)
            assert len(alive(pids)) == EXPECTED_PIDS
            cancel.set()
            result = await step
            leader_gone = len(alive(pids))
        return result, pids, leader_gone

    result, pids, left_after_step = asyncio.run(scenario())
    assert result.cancelled
    assert left_after_step == 0
    assert alive(pids) == []


def test_timeout_kills_the_whole_tree(tmp_path: Path) -> None:
    async def scenario() -> tuple[ProcessResult, list[int]]:
        async with HostExecutor(FAST) as executor:
            result = await executor.run(
                orphan_spec(tmp_path, 2.0), on_output=Log(), cancel=asyncio.Event()
            )
            return result, recorded_pids(tmp_path)

    result, pids = asyncio.run(scenario())
    assert result.timed_out
    assert len(pids) == EXPECTED_PIDS
    assert alive(pids) == []


def test_background_processes_outlive_the_step_until_close(tmp_path: Path) -> None:
    script = (
        "sleep 300 & echo $! > bg;"
        ' "$PYTHON" -c "import os, time; os.setsid(); print(os.getpid(), flush=True); time.sleep(300)"'
        " > daemon &"
        " while [ ! -s daemon ]; do sleep 0.05; done; echo started"
    )

    async def scenario() -> tuple[ProcessResult, list[int], list[int]]:
        executor = HostExecutor(FAST)
        log = Log()
        env = {"PATH": os.environ["PATH"], "PYTHON": sys.executable}
        the_spec = ProcessSpec(argv=("bash", "-c", script), cwd=tmp_path, env=env)
        result = await executor.run(the_spec, on_output=log, cancel=asyncio.Event())
        pids = [int((tmp_path / name).read_text()) for name in ("bg", "daemon")]
        during = alive(pids)
        await executor.close()
        return result, during, alive(pids)

    result, during, after = asyncio.run(scenario())
    assert result.succeeded
    assert len(during) == 2
    assert after == []


def test_cancelling_the_task_kills_the_tree(tmp_path: Path) -> None:
    async def scenario() -> list[int]:
        async with HostExecutor(FAST) as executor:
            step = asyncio.create_task(
                executor.run(
                    bash(tmp_path, "sleep 300 & echo $! > bg; wait"),
                    on_output=Log(),
                    cancel=asyncio.Event(),
                )
            )
            while not (tmp_path / "bg").exists() or not (tmp_path / "bg").read_text():
                await asyncio.sleep(0.05)
            step.cancel()
            with pytest.raises(asyncio.CancelledError):
                await step
            return alive([int((tmp_path / "bg").read_text())])

    assert asyncio.run(scenario()) == []


def test_output_of_background_processes_after_the_step_is_not_the_steps(tmp_path: Path) -> None:
    script = "(sleep 0.6; echo late; sleep 300) & echo early"

    async def scenario() -> tuple[ProcessResult, list[str], list[str]]:
        log = Log()
        async with HostExecutor(FAST) as executor:
            result = await executor.run(
                bash(tmp_path, script), on_output=log, cancel=asyncio.Event()
            )
            at_end = log.of("stdout")
            await asyncio.sleep(1.0)
        return result, at_end, log.of("stdout")

    result, at_end, later = asyncio.run(scenario())
    assert result.succeeded
    assert at_end == ["early"]
    assert later == ["early"]
