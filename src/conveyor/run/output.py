"""Run a step's process, and make sense of what it says and writes.

Each output line goes through the workflow-command processor first (`::add-mask::`
registers a secret before the line itself could show it), then the masker, then to the
listeners. After the process ends, the step's files are read back: `GITHUB_OUTPUT` into
the step's outputs, `GITHUB_ENV` and `GITHUB_PATH` into the job's state for later steps,
`GITHUB_STEP_SUMMARY` into the job's summaries. A malformed file fails the step with the
file and line, as GitHub's runner does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from conveyor.executors import ProcessSpec
from conveyor.run import commands as cmd
from conveyor.run.envfiles import (
    FileCommandError,
    create_step_files,
    prepend_path,
    read_env,
    read_key_values,
    read_path,
    read_summary,
)
from conveyor.run.events import AnnotationAdded, OutputLine
from conveyor.run.results import Annotation, Status

if TYPE_CHECKING:
    from conveyor.run.step import Scope


def step_environment(
    scope: Scope, step_env: Mapping[str, str], files_env: Mapping[str, str]
) -> dict[str, str]:
    """Host ⊕ defaults ⊕ workflow/job/GITHUB_ENV ⊕ step env ⊕ file paths; PATH with GITHUB_PATH first."""
    ctx, state = scope.ctx, scope.state
    env = {**ctx.base_env, **state.env, **step_env, **files_env}
    if scope.action_path and "GITHUB_ACTION_PATH" not in step_env:
        env["GITHUB_ACTION_PATH"] = scope.action_path
    base_path = tuple(p for p in env.get("PATH", os.defpath).split(os.pathsep) if p)
    env["PATH"] = os.pathsep.join(prepend_path(tuple(state.path), base_path))
    return env


def _annotation(scope: Scope, found: cmd.Annotation) -> Annotation:
    mask = scope.ctx.masker.mask
    return Annotation(
        level=found.level,
        message=mask(found.message),
        file=found.file,
        line=found.line,
        column=found.col,
        title=mask(found.title) if found.title else None,
        job=scope.ctx.job_name,
    )


class _Lines:
    """The output callback of one step."""

    def __init__(
        self,
        scope: Scope,
        index: int,
        outputs: dict[str, str],
        debug: bool,
        unsecure: bool,
        *,
        state: dict[str, str] | None = None,
    ) -> None:
        self.scope = scope
        self.index = index
        self.outputs = outputs
        self.state = state
        self.debug = debug
        self.processor = cmd.CommandProcessor(allow_unsecure=unsecure)

    def emit(self, stream: str, text: str) -> None:
        ctx = self.scope.ctx
        ctx.listener(
            OutputLine(
                workflow=ctx.workflow,
                job=ctx.job_name,
                step=self.index,
                stream=stream,
                text=ctx.masker.mask(text),
            )
        )

    def __call__(self, stream: str, line: str) -> None:
        processed = self.processor.feed(line)
        ctx, state = self.scope.ctx, self.scope.state
        for found in processed.commands:
            match found:
                case cmd.Mask(value=value):
                    ctx.masker.add(value)
                case cmd.Annotation():
                    note = _annotation(self.scope, found)
                    state.annotations.append(note)
                    ctx.listener(
                        AnnotationAdded(workflow=ctx.workflow, job=ctx.job_name, annotation=note)
                    )
                    where = f" {note.where()}:" if note.where() else ""
                    self.emit(stream, f"{note.level.capitalize()}:{where} {found.message}")
                case cmd.SetOutput(name=name, value=value):
                    self.outputs[name] = value
                case cmd.SaveState(name=name, value=value) if self.state is not None:
                    self.state[name] = value
                case cmd.SetEnv(name=name, value=value):
                    state.env[name] = value
                case cmd.AddPath(path=path):
                    state.path.insert(0, path)
                case cmd.Group(title=title):
                    self.emit(stream, f"▸ {title}")
                case cmd.Debug(message=message) if self.debug:
                    self.emit(stream, f"##[debug]{message}")
                case _:
                    pass
        if processed.show:
            self.emit(stream, processed.line)


def _read_back(
    scope: Scope, files: object, outputs: dict[str, str], saved: dict[str, str] | None
) -> str | None:
    """Apply what the step wrote to its files; the first problem, or None."""
    from conveyor.run.envfiles import StepFiles

    assert isinstance(files, StepFiles)
    state = scope.state
    written = read_key_values(files.output)
    outputs.update(written.values)
    kept_error = None
    if saved is not None:  # only an action's main step keeps state, for its post step
        kept = read_key_values(files.state)
        saved.update(kept.values)
        kept_error = kept.error
    env = read_env(files.env)
    state.env.update(env.values)
    state.path[:0] = list(read_path(files.path))
    summary = read_summary(files.summary)
    if isinstance(summary, FileCommandError):
        return str(summary)
    if summary:
        state.summaries.append(scope.ctx.masker.mask(summary))
    for problem in (written.error, env.error, kept_error):
        if problem is not None:
            return str(problem)
    return None


async def run_process(
    scope: Scope,
    index: int,
    *,
    argv: tuple[str, ...],
    cwd: Path,
    step_env: Mapping[str, str],
    timeout: float | None,
    outputs: dict[str, str],
    label: str,
    state: dict[str, str] | None = None,
) -> tuple[Status, str]:
    """Run one step process; its outcome and, when it did not succeed, why.

    `state`, when given, receives what the process saved for its post step
    (`GITHUB_STATE`, `::save-state::`), as an action's main step does.
    """
    ctx = scope.ctx
    scope.state.step_counter += 1
    files = create_step_files(ctx.workspace.files / str(scope.state.step_counter))
    env = step_environment(scope, step_env, files.environment())
    lines = _Lines(
        scope,
        index,
        outputs,
        debug=bool(ctx.contexts.get("runner", {}).get("debug")),
        unsecure=env.get("ACTIONS_ALLOW_UNSECURE_COMMANDS", "").lower() == "true",
        state=state,
    )
    spec = ProcessSpec(argv=argv, cwd=cwd, env=env, timeout=timeout, label=label)
    # A step that starts after the leg was cancelled runs because its `if:` asked to
    # (always(), cancelled()): as on GitHub, only a forced stop ends it early.
    stop = ctx.force if ctx.cancel.is_set() else ctx.cancel
    result = await ctx.executor.run(spec, on_output=lines, cancel=stop)
    problem = _read_back(scope, files, outputs, state)
    if result.cancelled:
        return "cancelled", "The operation was canceled."
    if result.timed_out:
        minutes = (timeout or 0) / 60
        return "failure", f"The step timed out after {minutes:g} minutes."
    if result.error:
        lines.emit("conveyor", result.error)
        return "failure", result.error
    if result.exit_code != 0:
        return "failure", f"Process completed with exit code {result.exit_code}."
    if problem:
        lines.emit("conveyor", problem)
        return "failure", problem
    return "success", ""


async def run_plain(
    scope: Scope, index: int, *, argv: tuple[str, ...], cwd: Path, env: Mapping[str, str]
) -> int:
    """A process a built-in action runs (git, uv, pip): logged, masked, stopped on cancel.

    Workflow commands in its output are honoured as in any step; its exit code is returned,
    128 + N when signal N ended it, 127 when the program is missing.
    """
    ctx = scope.ctx
    lines = _Lines(scope, index, {}, debug=False, unsecure=False)
    spec = ProcessSpec(argv=argv, cwd=cwd, env=dict(env), label=f"{ctx.job_name} / {argv[0]}")
    result = await ctx.executor.run(spec, on_output=lines, cancel=ctx.cancel)
    if result.error:
        lines.emit("conveyor", result.error)
    return result.exit_code
