"""Run one job: decide `if:`, expand its legs, run each leg's steps in its own workspace.

Called by the scheduler once the job's needs are done. A job that should not run comes
back as one `skipped` result; a job conveyor cannot run on this host (another OS, a
container) comes back with the reason, so the summary says what happened and why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from conveyor.errors import ExpressionError, UserError, WorkflowError
from conveyor.events.model import Event
from conveyor.executors import Executor, HostExecutor
from conveyor.plan.legs import Leg, expand_legs
from conveyor.plan.planner import MatrixFilter, PlannedWorkflow
from conveyor.run import contexts as ctxs
from conveyor.run.events import JobFinished, JobStarted, Listener, OutputLine
from conveyor.run.groups import GroupStore
from conveyor.run.hooks import run_posts
from conveyor.run.mask import Masker
from conveyor.run.node import run_pres
from conveyor.run.results import JobResult, Status, StepResult
from conveyor.run.scheduler import JobOutcome, run_legs
from conveyor.run.state import ActionSettings, LegContext, LegState
from conveyor.run.step import Scope, run_step
from conveyor.run.workspace import Workspaces, slug
from conveyor.workflow.model import Job

# GitHub's `cancel-timeout-minutes`: how long the steps that run after a cancel (or a job
# timeout) may take before they are stopped too
CANCEL_TIMEOUT_MINUTES = 5.0

OTHER_OS_LABELS = {
    "windows": "Windows",
    "macos": "macOS",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSettings:
    """What every job of one `conveyor run` shares."""

    repo: Path
    run_dir: Path  # where job directories go
    slots: asyncio.Semaphore
    cancel: asyncio.Event
    listener: Listener
    masker: Masker
    secrets: Mapping[str, str]
    force: asyncio.Event = field(default_factory=asyncio.Event)  # second Ctrl-C: stop at once
    vars: Mapping[str, str]
    matrix_filter: MatrixFilter = field(default_factory=MatrixFilter)
    executor_factory: Callable[[], Executor] = HostExecutor
    host_env: Mapping[str, str] = field(default_factory=ctxs.host_env)
    groups: GroupStore | None = None  # the store, for `concurrency:` across processes
    workspaces: Workspaces  # the run's job directories (made ahead, removed at job end)
    actions: ActionSettings | None = None  # what built-in actions may use (run_id per workflow)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkflowRun:
    """One triggered workflow within a run."""

    planned: PlannedWorkflow
    event: Event
    info: ctxs.RunInfo
    settings: RunSettings
    inputs: Mapping[str, Any] = field(default_factory=dict)
    name_prefix: str = ""  # `caller / ` for the jobs of a called workflow


def _needs_context(needed: Mapping[str, JobOutcome]) -> dict[str, Any]:
    return {name: {"result": o.result, "outputs": o.outputs} for name, o in needed.items()}


def _needs_status(needed: Mapping[str, JobOutcome], cancel: asyncio.Event) -> str:
    if cancel.is_set():
        return "cancelled"
    if any(o.failed_here_or_upstream for o in needed.values()):
        return "failure"  # also when a job further up failed (GitHub's `failure()` for jobs)
    return "success"


def base_contexts(run: WorkflowRun, needed: Mapping[str, JobOutcome]) -> dict[str, Any]:
    """The contexts available to job-level keys (`if`, `name`, `strategy`, `runs-on`)."""
    github = ctxs.github_context(
        run.event,
        run.info,
        None,  # no workspace yet: job-level keys are evaluated before it exists
        workflow_name=run.planned.workflow.display_name,
        workflow_file=run.planned.file,
        job_id="",
        token=run.settings.secrets.get("GITHUB_TOKEN", ""),
    )
    return {
        "github": github,
        "inputs": dict(run.inputs),
        "vars": dict(run.settings.vars),
        "secrets": dict(run.settings.secrets),
        "needs": _needs_context(needed),
        "env": {},
    }


def announce(run: WorkflowRun, result: JobResult) -> JobResult:
    """Tell the listeners about a job that ends without running (skipped, refused), so
    the console shows why and the store keeps it."""
    run.settings.listener(JobFinished(workflow=run.planned.file, result=result))
    return result


def _skipped(run: WorkflowRun, job: Job, message: str) -> JobResult:
    return announce(
        run, JobResult(id=job.id, name=job_label(run, job), status="skipped", message=message)
    )


def job_label(run: WorkflowRun, job: Job) -> str:
    return run.name_prefix + (job.name or job.id)


def _host_mismatch(labels: list[str]) -> str | None:
    """Why this host cannot run a job with these `runs-on` labels, or None."""
    this_os = ctxs.runner_os()
    for label in labels:
        lowered = label.lower()
        for prefix, os_name in OTHER_OS_LABELS.items():
            if lowered.startswith(prefix) and os_name != this_os:
                return f"runs-on `{label}` needs a {os_name} runner; this host runs {this_os}"
    return None


def _runs_on_labels(job: Job, contexts: Mapping[str, Any]) -> list[str]:
    from conveyor.expr import evaluate_template, interpolate

    if job.runs_on is None:
        return []
    if job.runs_on.expression is not None:
        value = evaluate_template(job.runs_on.expression, contexts)
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)] if value not in (None, "") else []
    return [interpolate(label, contexts) for label in job.runs_on.labels]


async def run_job(
    run: WorkflowRun, job_id: str, needed: Mapping[str, JobOutcome]
) -> tuple[JobResult, ...] | JobOutcome:
    """The scheduler's entry point for one job of `run`."""
    from conveyor.expr import EvalEnv, calls_status_function, evaluate_if

    job = run.planned.job(job_id)
    contexts = base_contexts(run, needed)
    status = _needs_status(needed, run.settings.cancel)
    try:
        skipped_needs = [n for n, o in needed.items() if o.result == "skipped"]
        if skipped_needs and not calls_status_function(job.if_ or ""):
            return (_skipped(run, job, f"needed job `{skipped_needs[0]}` was skipped"),)
        env = EvalEnv(status=status)  # type: ignore[arg-type]
        if not evaluate_if(job.if_ or "", contexts, env=env):
            why = (
                "a needed job did not succeed"
                if status != "success" and not job.if_
                else "`if` is false"
            )
            if status == "cancelled" and not job.if_:
                why = "the run was cancelled"
            return (_skipped(run, job, why),)
        legs = [
            leg
            for leg in expand_legs(job, contexts)
            if leg.matrix is None or run.settings.matrix_filter.keeps(leg.matrix)
        ]
    except (ExpressionError, WorkflowError, UserError) as exc:
        failed = JobResult(id=job.id, name=job_label(run, job), status="failure", message=str(exc))
        return (announce(run, failed),)
    if not legs:
        return (_skipped(run, job, "no matrix leg matches --matrix"),)
    if job.uses is not None:
        from conveyor.run.reusable import run_reusable

        return await run_reusable(run, job, contexts, needed)
    fail_fast, max_parallel = _strategy(job, contexts)
    # A job whose `if:` holds although the run was already cancelled (`always()`,
    # `cancelled()`) runs, as on GitHub; only a forced stop ends it.
    settings = run.settings
    cancel = settings.force if settings.cancel.is_set() else settings.cancel
    for leg in legs:  # made while the legs wait for a slot
        if _runs_here(job, leg, contexts):
            settings.workspaces.reserve(run.event.sha, _leg_root(run, leg))
    return await run_legs(
        len(legs),
        lambda index, cancel: _leg_in_group(run, job, legs[index], contexts, cancel),
        slots=settings.slots,
        cancel=cancel,
        max_parallel=max_parallel,
        fail_fast=fail_fast,
    )


def _leg_root(run: WorkflowRun, leg: Leg) -> Path:
    """The leg's job directory (its workspace, temp and step files)."""
    return run.settings.run_dir / slug(run.planned.file) / slug(run.name_prefix + leg.name)


def _runs_here(job: Job, leg: Leg, base: Mapping[str, Any]) -> bool:
    """Whether the leg, once it has a slot, will want a workspace on this host."""
    try:
        labels = _runs_on_labels(job, {**base, "matrix": leg.matrix or {}})
    except ExpressionError:
        return False
    return _cannot_run_here(job, labels) is None


def _strategy(job: Job, contexts: Mapping[str, Any]) -> tuple[bool, int | None]:
    from conveyor.expr import evaluate_template, truthy

    if job.strategy is None:
        return True, None
    fail_fast = job.strategy.fail_fast
    if isinstance(fail_fast, str):
        fail_fast = truthy(evaluate_template(fail_fast, contexts))
    max_parallel = job.strategy.max_parallel
    if isinstance(max_parallel, str):
        value = evaluate_template(max_parallel, contexts)
        max_parallel = int(value) if isinstance(value, int | float) and value >= 1 else None
    return bool(fail_fast), max_parallel


def _strategy_context(job: Job, leg: Leg, base: Mapping[str, Any]) -> dict[str, Any]:
    fail_fast, max_parallel = _strategy(job, base)
    return {
        "fail-fast": fail_fast,
        "job-index": leg.index,
        "job-total": leg.total,
        "max-parallel": max_parallel or leg.total,
    }


def _leg_contexts(
    run: WorkflowRun, job: Job, leg: Leg, base: Mapping[str, Any], ws: Any
) -> dict[str, Any]:
    contexts = dict(base)
    contexts["github"] = ctxs.github_context(
        run.event,
        run.info,
        ws,
        workflow_name=run.planned.workflow.display_name,
        workflow_file=run.planned.file,
        job_id=job.id,
        token=run.settings.secrets.get("GITHUB_TOKEN", ""),
    )
    contexts["runner"] = ctxs.runner_context(ws, run.info)
    contexts["matrix"] = dict(leg.matrix or {})
    contexts["strategy"] = _strategy_context(job, leg, base)
    contexts["job"] = {"status": "success", "container": {}, "services": {}}
    return contexts


async def _leg_in_group(
    run: WorkflowRun, job: Job, leg: Leg, base: Mapping[str, Any], cancel: asyncio.Event
) -> JobResult:
    """A leg under its job's `concurrency:` group, its failure judged by the job's
    `continue-on-error` (both evaluated with the leg's matrix)."""
    result = await _leg_under_group(run, job, leg, base, cancel)
    if result.status == "failure" and _continues_on_error(run, job, leg, base):
        return replace(result, allowed_failure=True)
    return result


def _continues_on_error(run: WorkflowRun, job: Job, leg: Leg, base: Mapping[str, Any]) -> bool:
    """The job's `continue-on-error` for this leg (`${{ matrix.experimental }}` is common)."""
    from conveyor.expr import evaluate_template, truthy

    value = job.continue_on_error
    if isinstance(value, bool):
        return value
    contexts = {
        **base,
        "matrix": dict(leg.matrix or {}),
        "strategy": _strategy_context(job, leg, base),
    }
    try:
        return truthy(evaluate_template(value, contexts))
    except ExpressionError as exc:
        _Leg(run, job, leg).say(f"continue-on-error: {exc}; the failure counts")
        return False


async def _leg_under_group(
    run: WorkflowRun, job: Job, leg: Leg, base: Mapping[str, Any], cancel: asyncio.Event
) -> JobResult:
    from conveyor.run.groups import evaluate_group, hold

    if job.concurrency is None:
        return await run_leg(run, job, leg, base, cancel)
    report = _Leg(run, job, leg)
    try:
        group = evaluate_group(job.concurrency, {**base, "matrix": leg.matrix or {}})
    except ExpressionError as exc:
        run.settings.workspaces.drop(_leg_root(run, leg))
        return report.finish("failure", f"concurrency: {exc}")
    async with hold(
        run.settings.groups,
        group,
        run_id=run.info.run_id,
        job=report.name,
        cancel=cancel,
        say=report.say,
    ) as turn:
        if not turn:
            run.settings.workspaces.drop(_leg_root(run, leg))
            return report.finish("cancelled", "cancelled while waiting for its concurrency group")
        return await run_leg(run, job, leg, base, cancel)


class _Leg:
    """Reports one leg's start and end; knows its name, workflow and clock."""

    def __init__(self, run: WorkflowRun, job: Job, leg: Leg) -> None:
        self.run, self.job, self.leg = run, job, leg
        self.name = run.name_prefix + leg.name
        self.workflow = run.planned.file
        self.started = time.monotonic()

    def say(self, text: str) -> None:
        self.run.settings.listener(
            OutputLine(workflow=self.workflow, job=self.name, step=-1, stream="conveyor", text=text)
        )

    def finish(
        self,
        status: Status,
        message: str = "",
        *,
        steps: tuple[StepResult, ...] = (),
        outputs: Mapping[str, str] | None = None,
        state: LegState | None = None,
    ) -> JobResult:
        result = JobResult(
            id=self.job.id,
            name=self.name,
            matrix=self.leg.matrix,
            status=status,
            outputs=dict(outputs or {}),
            steps=steps,
            annotations=tuple(state.annotations) if state else (),
            duration=time.monotonic() - self.started,
            message=self.run.settings.masker.mask(message),
        )
        self.run.settings.listener(JobFinished(workflow=self.workflow, result=result))
        return result


def _cannot_run_here(job: Job, labels: list[str]) -> str | None:
    mismatch = _host_mismatch(labels)
    if mismatch:
        return mismatch
    if job.container is not None or job.services or job.services_expression:
        feature = "container:" if job.container is not None else "services:"
        return (
            f"job uses `{feature}`, which needs a Docker engine; conveyor runs jobs on the host "
            "and does not run containers yet (see docs/compatibility.md)"
        )
    return None


def _leg_state(run: WorkflowRun, job: Job, contexts: dict[str, Any]) -> LegState:
    """Workflow and job `env`, evaluated in order (job env sees workflow env)."""
    from conveyor.run.step import evaluate_mapping

    workflow = run.planned.workflow
    wf_env = evaluate_mapping(workflow.env, workflow.env_expression, contexts)
    contexts["env"] = wf_env
    job_env = evaluate_mapping(job.env, job.env_expression, contexts)
    return LegState(env={**wf_env, **job_env})


def _defaults(run: WorkflowRun, job: Job) -> tuple[str | None, str | None]:
    """`defaults.run.shell` and `.working-directory`: the job's, else the workflow's."""
    shell = workdir = None
    for defaults in (run.planned.workflow.defaults, job.defaults):
        if defaults is not None:
            shell = defaults.shell or shell
            workdir = defaults.working_directory or workdir
    return shell, workdir


async def run_leg(
    run: WorkflowRun, job: Job, leg: Leg, base: Mapping[str, Any], cancel: asyncio.Event
) -> JobResult:
    settings = run.settings
    report = _Leg(run, job, leg)
    root = _leg_root(run, leg)
    if cancel.is_set():
        settings.workspaces.drop(root)
        return announce(
            run,
            JobResult(
                id=job.id,
                name=report.name,
                matrix=leg.matrix,
                status="cancelled",
                message="cancelled before it started",
            ),
        )
    settings.listener(
        JobStarted(workflow=report.workflow, job=report.name, job_id=job.id, matrix=leg.matrix)
    )
    try:
        labels = _runs_on_labels(job, {**base, "matrix": leg.matrix or {}})
    except ExpressionError as exc:
        return report.finish("failure", f"runs-on: {exc}")
    why_not = _cannot_run_here(job, labels)
    if why_not:
        report.say(why_not)
        return report.finish("skipped" if _host_mismatch(labels) else "failure", why_not)
    try:
        ws = await settings.workspaces.take(run.event.sha, root)
    except UserError as exc:
        report.say(str(exc))
        return report.finish("failure", f"workspace: {exc}")
    contexts = _leg_contexts(run, job, leg, base, ws)
    try:
        state = _leg_state(run, job, contexts)
    except UserError as exc:  # a bad expression, or an `env` that is not an object
        settings.workspaces.release(ws)
        return report.finish("failure", f"env: {exc}")
    shell, workdir = _defaults(run, job)
    leg_ctx = LegContext(
        workflow=report.workflow,
        job_name=report.name,
        workspace=ws,
        base_env={**settings.host_env, **ctxs.default_env(contexts["github"], contexts["runner"])},
        contexts=contexts,
        executor=settings.executor_factory(),
        listener=settings.listener,
        masker=settings.masker,
        cancel=cancel,
        force=asyncio.Event(),
        repo=settings.repo,
        default_shell=shell,
        default_working_directory=workdir,
        actions=replace(settings.actions, run_id=run.info.run_id) if settings.actions else None,
    )
    scope = Scope(ctx=leg_ctx, state=state)
    timeout = _job_timeout(job, contexts)
    try:
        return await _run_steps(report, scope, timeout, run_force=settings.force)
    finally:
        settings.workspaces.release(ws)


async def _forced_stop(
    cancel: asyncio.Event,
    run_force: asyncio.Event,
    force: asyncio.Event,
    say: Callable[[str], None],
) -> None:
    """Set the leg's `force`: with the run's, or GitHub's cancel timeout after the leg
    was cancelled, so a cleanup step that hangs cannot hold the run for ever."""
    await cancel.wait()
    try:
        await asyncio.wait_for(run_force.wait(), timeout=CANCEL_TIMEOUT_MINUTES * 60)
    except TimeoutError:
        say(
            f"the steps that run after the cancel took over {CANCEL_TIMEOUT_MINUTES:g} minutes; "
            "stopping them"
        )
    force.set()


async def _run_steps(
    report: _Leg, scope: Scope, timeout_minutes: float | None, *, run_force: asyncio.Event
) -> JobResult:
    """Run the leg's steps under the job's timeout; close the executor; build the result."""
    cancel = scope.ctx.cancel
    timed_out = asyncio.Event()

    async def watchdog() -> None:
        if timeout_minutes is None:
            return
        await asyncio.sleep(timeout_minutes * 60)
        timed_out.set()
        cancel.set()

    dog = asyncio.create_task(watchdog())
    stopper = asyncio.create_task(_forced_stop(cancel, run_force, scope.ctx.force, report.say))
    results: list[StepResult] = []
    try:
        # node actions' pre steps, before any step, as GitHub's runner sets up a job
        results.extend(await run_pres(scope, report.job.steps))
        for step in report.job.steps:
            results.append(await run_step(step, scope))
        # built-ins' post steps (cache save, …), in reverse order, before processes stop
        results.extend(await run_posts(scope, len(report.job.steps)))
    finally:
        dog.cancel()
        stopper.cancel()
        await scope.ctx.executor.close()
    contexts = {**scope.ctx.contexts, "steps": scope.steps, "env": scope.state.env}
    outputs = _job_outputs(report.job, contexts, report.run.settings.masker, report.say)
    steps = tuple(results)
    if timed_out.is_set():
        message = f"the job exceeded its timeout of {timeout_minutes:g} minutes"
        return report.finish("failure", message, steps=steps, outputs=outputs, state=scope.state)
    status: Status = "cancelled" if cancel.is_set() else scope.state.status
    failed = next((r for r in results if r.conclusion == "failure"), None)
    message = ""
    if failed is not None:
        message = f"step `{failed.name}` failed" + (f": {failed.message}" if failed.message else "")
    return report.finish(status, message, steps=steps, outputs=outputs, state=scope.state)


def _job_timeout(job: Job, contexts: Mapping[str, Any]) -> float | None:
    from conveyor.expr import evaluate_template

    value: Any = job.timeout_minutes
    if isinstance(value, str):
        try:
            value = evaluate_template(value, contexts)
        except ExpressionError:
            return 360.0
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        return 360.0
    return minutes if minutes > 0 else None


def _job_outputs(
    job: Job, contexts: Mapping[str, Any], masker: Masker, say: Callable[[str], None]
) -> dict[str, str]:
    """Evaluate `outputs:`; like GitHub, an output holding a secret is left out."""
    from conveyor.expr import interpolate

    outputs: dict[str, str] = {}
    for key, template in job.outputs.items():
        try:
            value = interpolate(template, contexts)
        except ExpressionError as exc:
            say(f"output `{key}`: {exc}")
            continue
        if masker.mask(value) != value:
            say(f"Skip output '{key}' since it may contain secret.")
            continue
        outputs[key] = value
    return outputs
