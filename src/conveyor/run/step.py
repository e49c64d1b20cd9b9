"""Run one step: decide `if:`, lay out its environment, run it, read what it wrote.

A step's life, as GitHub's runner lives it:

1. `if:` is evaluated with the job's status so far (`success() && …` when no status
   function is named); a skipped step has outcome and conclusion `skipped`.
2. Its environment is the host's, then the default `GITHUB_*`/`RUNNER_*` variables, then
   workflow, job, `GITHUB_ENV` and step `env` (the most specific wins).
3. `run:` goes through its shell's template (`conveyor.run.output`); `uses:` goes to
   `conveyor.run.uses`.
4. `outcome` is what happened; `conclusion` is after `continue-on-error`. A failed
   conclusion makes the job's status `failure`, which later steps' `if:` see.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conveyor.errors import ExpressionError, UserError
from conveyor.run.events import OutputLine, StepFinished, StepStarted
from conveyor.run.results import Status, StepResult
from conveyor.run.state import JobStatus, LegContext, LegState
from conveyor.workflow.model import Step


class StepFailed(UserError):
    """A step that cannot run as written (bad value, missing directory)."""


@dataclass
class StatusCell:
    """A composite action's own status: its failed step fails the action's step, and
    the job only if that step's `continue-on-error` does not say otherwise."""

    value: JobStatus = "success"


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """Where a step runs: its job leg, and the `steps` context it records into.

    A composite action's steps run in a scope of their own (their own `steps`, the
    action's `inputs`, `github.action_path`, their own status), sharing the leg's state.
    """

    ctx: LegContext
    state: LegState
    steps: dict[str, Any] = field(default_factory=dict)
    prefix: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    action_path: str = ""
    own_status: StatusCell | None = None  # None: the job's status (`state.status`)

    def status(self) -> str:
        if self.ctx.cancel.is_set():
            return "cancelled"
        return self.own_status.value if self.own_status else self.state.status

    def fail(self) -> None:
        if self.own_status is not None:
            self.own_status.value = "failure"
        else:
            self.state.status = "failure"

    def nested(self, **changes: Any) -> Scope:
        """A scope for a composite action's steps, starting from this scope's status."""
        status = self.own_status.value if self.own_status else self.state.status
        return Scope(ctx=self.ctx, state=self.state, own_status=StatusCell(value=status), **changes)

    def contexts(self, env: Mapping[str, str]) -> dict[str, Any]:
        contexts = dict(self.ctx.contexts)
        contexts["env"] = dict(env)
        contexts["steps"] = dict(self.steps)
        contexts["job"] = {**contexts.get("job", {}), "status": self.status()}
        contexts.update(self.extra)
        return contexts

    def eval_env(self) -> Any:
        from conveyor.expr import EvalEnv

        status = self.status()
        return EvalEnv(
            workspace=self.ctx.workspace.workspace,
            status="cancelled"
            if status == "cancelled"
            else ("failure" if status == "failure" else "success"),
        )

    def say(self, index: int, text: str) -> None:
        self.ctx.listener(
            OutputLine(
                workflow=self.ctx.workflow,
                job=self.ctx.job_name,
                step=index,
                stream="conveyor",
                text=self.ctx.masker.mask(text),
            )
        )


def display_name(step: Step, contexts: Mapping[str, Any]) -> str:
    from conveyor.expr import interpolate

    if step.name:
        try:
            return interpolate(step.name, contexts)
        except ExpressionError:
            return step.name
    if step.run is not None:
        lines = step.run.strip().splitlines()
        return f"Run {lines[0]}" if lines else "Run"
    return f"Run {step.uses}"


def evaluate_mapping(
    values: Mapping[str, Any],
    expression: str | None,
    contexts: Mapping[str, Any],
    *,
    env: Any = None,
    what: str = "env",
) -> dict[str, str]:
    """An `env:`/`with:` mapping, or one `${{ }}` giving the whole mapping, as strings."""
    from conveyor.expr import evaluate_template, interpolate, to_string

    if expression is not None:
        value = evaluate_template(expression, contexts, env=env)
        if not isinstance(value, dict):
            raise StepFailed(f"`{what}` must evaluate to an object, got {to_string(value)!r}")
        return {str(k): to_string(v) for k, v in value.items()}
    return {key: interpolate(str(value), contexts, env=env) for key, value in values.items()}


def _flag(value: bool | str, contexts: Mapping[str, Any], scope: Scope) -> bool:
    from conveyor.expr import evaluate_template, truthy

    if isinstance(value, bool):
        return value
    return truthy(evaluate_template(value, contexts, env=scope.eval_env()))


def _timeout(value: float | str | None, contexts: Mapping[str, Any], scope: Scope) -> float | None:
    from conveyor.expr import evaluate_template

    if value is None:
        return None
    minutes = (
        value
        if isinstance(value, int | float)
        else evaluate_template(value, contexts, env=scope.eval_env())
    )
    try:
        number = float(minutes)
    except (TypeError, ValueError):
        raise StepFailed(f"timeout-minutes must be a number, got {minutes!r}") from None
    if number <= 0:
        raise StepFailed(f"timeout-minutes must be positive, got {minutes!r}")
    return number * 60


async def run_step(step: Step, scope: Scope) -> StepResult:
    """Run `step` in `scope` and record it in the scope's `steps` context."""
    from conveyor.expr import evaluate_if

    started = time.monotonic()
    contexts = scope.contexts(scope.state.env)
    name = scope.prefix + display_name(step, contexts)
    try:
        run_it = evaluate_if(step.if_ or "", contexts, env=scope.eval_env())
    except ExpressionError as exc:
        return _finish(scope, step, name, started, outcome="failure", message=f"if: {exc}")
    if not run_it:
        return _finish(scope, step, name, started, outcome="skipped")
    ctx = scope.ctx
    ctx.listener(
        StepStarted(
            workflow=ctx.workflow,
            job=ctx.job_name,
            index=step.index,
            name=name,
            nested=bool(scope.prefix),
        )
    )
    summaries_before = len(scope.state.summaries)
    outputs: dict[str, str] = {}
    continue_on_error = False
    try:
        continue_on_error = _flag(step.continue_on_error, contexts, scope)
        step_env = evaluate_mapping(step.env, step.env_expression, contexts, env=scope.eval_env())
        contexts["env"] = {**scope.state.env, **step_env}
        timeout = _timeout(step.timeout_minutes, contexts, scope)
        if step.run is not None:
            outcome, message = await _run_script(
                step, scope, contexts=contexts, step_env=step_env, timeout=timeout, outputs=outputs
            )
        else:
            from conveyor.run.uses import run_uses

            outcome, message = await run_uses(
                step, scope, contexts=contexts, outputs=outputs, name=name, timeout=timeout
            )
    except (ExpressionError, UserError) as exc:
        scope.say(step.index, f"Error: {exc}")
        outcome, message = "failure", str(exc)
    return _finish(
        scope,
        step,
        name,
        started,
        outcome=outcome,
        message=message,
        outputs=outputs,
        continue_on_error=continue_on_error,
        summary="".join(scope.state.summaries[summaries_before:]),
    )


def _finish(
    scope: Scope,
    step: Step,
    name: str,
    started: float,
    *,
    outcome: Status,
    message: str = "",
    outputs: Mapping[str, str] | None = None,
    continue_on_error: bool = False,
    summary: str = "",
) -> StepResult:
    conclusion: Status = "success" if continue_on_error and outcome == "failure" else outcome
    if conclusion == "failure":
        scope.fail()
    step_id = step.id or f"__{step.index}"
    outputs = dict(outputs or {})
    scope.steps[step_id] = {"outputs": outputs, "outcome": outcome, "conclusion": conclusion}
    result = StepResult(
        index=step.index,
        id=step_id,
        name=name,
        outcome=outcome,
        conclusion=conclusion,
        outputs={k: scope.ctx.masker.mask(v) for k, v in outputs.items()},
        duration=time.monotonic() - started,
        message=scope.ctx.masker.mask(message),
        summary=scope.ctx.masker.mask(summary),
    )
    if outcome != "skipped":
        scope.ctx.listener(
            StepFinished(
                workflow=scope.ctx.workflow,
                job=scope.ctx.job_name,
                result=result,
                nested=bool(scope.prefix),
            )
        )
    return result


async def _run_script(
    step: Step,
    scope: Scope,
    *,
    contexts: dict[str, Any],
    step_env: Mapping[str, str],
    timeout: float | None,
    outputs: dict[str, str],
) -> tuple[Status, str]:
    from conveyor.expr import interpolate
    from conveyor.run.output import run_process, step_environment
    from conveyor.run.shells import shell_command

    ctx = scope.ctx
    env_eval = scope.eval_env()
    script = interpolate(step.run or "", contexts, env=env_eval)
    shell = interpolate(step.shell, contexts, env=env_eval) if step.shell else ctx.default_shell
    workdir = (
        interpolate(step.working_directory, contexts, env=env_eval)
        if step.working_directory
        else ctx.default_working_directory
    )
    cwd = ctx.workspace.workspace / workdir if workdir else ctx.workspace.workspace
    if not cwd.is_dir():
        raise StepFailed(f"working-directory `{workdir}` does not exist in the workspace")
    path = step_environment(scope, step_env, {})["PATH"]
    command = shell_command(
        shell, script, temp_dir=ctx.workspace.temp, path=path, step=step.name or ""
    )
    return await run_process(
        scope,
        step.index,
        argv=command.argv,
        cwd=cwd,
        step_env=step_env,
        timeout=timeout,
        outputs=outputs,
        label=f"{ctx.job_name} / {step.name or step.index}",
    )
