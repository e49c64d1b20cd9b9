"""The fake executor: scripted results, recorded calls, no processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conveyor.executors import Executor, FakeExecutor, ProcessResult, ProcessSpec, Scripted


def spec(tmp_path: Path, *argv: str, timeout: float | None = None) -> ProcessSpec:
    return ProcessSpec(argv=argv, cwd=tmp_path, env={"A": "1"}, timeout=timeout)


def run(
    executor: Executor, the_spec: ProcessSpec, cancel: asyncio.Event | None = None
) -> tuple[ProcessResult, list[tuple[str, str]]]:
    lines: list[tuple[str, str]] = []

    async def go() -> ProcessResult:
        return await executor.run(
            the_spec,
            on_output=lambda s, line: lines.append((s, line)),
            cancel=cancel or asyncio.Event(),
        )

    return asyncio.run(go()), lines


def test_rules_match_the_script_text_and_emit_output(tmp_path: Path) -> None:
    script = tmp_path / "step.sh"
    script.write_text("python -m pytest -q\n")
    fake = (
        FakeExecutor()
        .when("ruff", Scripted(exit_code=2))
        .when(r"pytest\b", Scripted(exit_code=1, stdout=("1 failed",), stderr=("warn",)))
    )
    result, lines = run(fake, spec(tmp_path, "bash", "-e", str(script)))
    assert result.exit_code == 1
    assert lines == [("stdout", "1 failed"), ("stderr", "warn")]
    assert fake.calls[0].script == "python -m pytest -q\n"
    assert fake.calls[0].spec.env == {"A": "1"}


def test_unmatched_specs_get_the_default(tmp_path: Path) -> None:
    fake = FakeExecutor(default=Scripted(exit_code=5)).when("never", Scripted())
    result, _ = run(fake, spec(tmp_path, "echo", "hi"))
    assert result.exit_code == 5
    assert FakeExecutor().calls == []


def test_a_callable_rule_and_responder(tmp_path: Path) -> None:
    fake = FakeExecutor().when(
        lambda s: s.argv[0] == "make",
        lambda s: Scripted(exit_code=len(s.argv), stdout=(" ".join(s.argv),)),
    )
    result, lines = run(fake, spec(tmp_path, "make", "all", "check"))
    assert result.exit_code == 3
    assert lines == [("stdout", "make all check")]


def test_a_hanging_step_times_out(tmp_path: Path) -> None:
    fake = FakeExecutor(default=Scripted(hang=True))
    result, _ = run(fake, spec(tmp_path, "serve", timeout=0.05))
    assert result.timed_out
    assert not result.succeeded


def test_a_hanging_step_is_cancelled(tmp_path: Path) -> None:
    async def go() -> ProcessResult:
        fake = FakeExecutor(default=Scripted(hang=True))
        cancel = asyncio.Event()
        asyncio.get_running_loop().call_later(0.05, cancel.set)
        return await fake.run(spec(tmp_path, "serve"), on_output=lambda s, x: None, cancel=cancel)

    result = asyncio.run(go())
    assert result.cancelled
    assert not result.timed_out


def test_a_program_that_cannot_start(tmp_path: Path) -> None:
    fake = FakeExecutor(default=Scripted(error="nope: command not found"))
    result, lines = run(fake, spec(tmp_path, "nope"))
    assert result.exit_code == 127
    assert result.error == "nope: command not found"
    assert lines == [("stderr", "nope: command not found")]


def test_close_is_recorded(tmp_path: Path) -> None:
    fake = FakeExecutor()
    assert not fake.closed
    asyncio.run(fake.close())
    assert fake.closed
