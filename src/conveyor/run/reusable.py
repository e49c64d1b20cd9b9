"""Local reusable workflows: `jobs.<id>.uses: ./.github/workflows/x.yml`.

The called workflow's jobs run inside the caller's run, named `caller / callee` as
GitHub shows them, with `inputs` from `with:` (defaults and types from
`on.workflow_call.inputs`), secrets passed by name or with `secrets: inherit`, and the
caller's `needs.<id>.outputs` taken from `on.workflow_call.outputs`. Calls nest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from conveyor.errors import ExpressionError, UserError
from conveyor.plan.filters import Decision
from conveyor.plan.graph import order_jobs
from conveyor.plan.planner import PlannedWorkflow
from conveyor.run.results import JobResult
from conveyor.run.scheduler import JobOutcome, run_graph
from conveyor.workflow.model import InputSpec, Job

MAX_DEPTH = 10  # GitHub allows four levels; a loop of calls must still end


def _failure(run: Any, job: Job, message: str) -> JobOutcome:
    from conveyor.run.job import announce, job_label

    result = JobResult(id=job.id, name=job_label(run, job), status="failure", message=message)
    return JobOutcome(id=job.id, legs=(announce(run, result),), declared_outputs={})


def _coerce(spec: InputSpec, value: Any) -> Any:
    if spec.type == "boolean":
        if isinstance(value, str):
            if value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise UserError(f"input `{spec.name}` must be a boolean, got {value!r}")
        return bool(value)
    if spec.type == "number":
        try:
            return float(value) if not isinstance(value, int | float) else value
        except (TypeError, ValueError):
            raise UserError(f"input `{spec.name}` must be a number, got {value!r}") from None
    return value


def call_inputs(
    job: Job, specs: Mapping[str, InputSpec], contexts: Mapping[str, Any]
) -> dict[str, Any]:
    from conveyor.expr import evaluate_template
    from conveyor.plan.legs import plain

    given = {
        key: evaluate_template(value, contexts) if isinstance(value, str) else plain(value)
        for key, value in job.with_.items()
    }
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise UserError(f"the called workflow has no input `{unknown[0]}`")
    inputs: dict[str, Any] = {}
    for name, spec in specs.items():
        if name in given:
            inputs[name] = _coerce(spec, given[name])
        elif spec.required and spec.default is None:
            raise UserError(f"required input `{name}` is not passed in `with:`")
        elif spec.default is not None:
            default = spec.default
            if isinstance(default, str) and "${{" in default:
                default = evaluate_template(default, contexts)
            inputs[name] = _coerce(spec, default)
        else:
            inputs[name] = False if spec.type == "boolean" else ""
    return inputs


def call_secrets(
    job: Job, secrets: Mapping[str, str], contexts: Mapping[str, Any]
) -> dict[str, str]:
    from conveyor.expr import interpolate

    if job.secrets == "inherit":
        return dict(secrets)
    passed = {key: interpolate(value, contexts) for key, value in job.secrets.items()}
    if "GITHUB_TOKEN" in secrets:
        passed.setdefault("GITHUB_TOKEN", secrets["GITHUB_TOKEN"])
    return passed


async def run_reusable(
    run: Any, job: Job, contexts: Mapping[str, Any], needed: Mapping[str, JobOutcome]
) -> JobOutcome:
    from conveyor.expr import interpolate
    from conveyor.run.job import WorkflowRun, job_label, run_job
    from conveyor.workflow.load import load_workflow

    assert isinstance(run, WorkflowRun)
    uses = job.uses or ""
    if not uses.startswith("./"):
        return _failure(
            run,
            job,
            f"`uses: {uses}` calls a workflow in another repository; conveyor runs local "
            "reusable workflows (`./.github/workflows/…`) only",
        )
    if run.name_prefix.count(" / ") >= MAX_DEPTH:
        return _failure(run, job, f"reusable workflows nest deeper than {MAX_DEPTH} levels")
    path = run.settings.repo / uses[2:]
    try:
        called = load_workflow(path, root=run.settings.repo)
    except UserError as exc:
        return _failure(run, job, str(exc))
    trigger = called.triggers.get("workflow_call")
    if trigger is None:
        return _failure(run, job, f"{uses} has no `on: workflow_call`, so it cannot be called")
    try:
        inputs = call_inputs(job, trigger.inputs, contexts)
        secrets = call_secrets(job, run.settings.secrets, contexts)
        order = order_jobs({jid: j.needs for jid, j in called.jobs.items()})
    except (UserError, ExpressionError) as exc:
        return _failure(run, job, str(exc))
    nested = WorkflowRun(
        planned=PlannedWorkflow(
            workflow=called,
            file=run.planned.file,
            order=tuple(order),
            decision=Decision(matches=True, reason=f"called by job `{job.id}`"),
        ),
        event=run.event,
        info=run.info,
        settings=replace(run.settings, secrets=secrets),
        inputs=inputs,
        name_prefix=f"{job_label(run, job)} / ",
    )
    needs = {jid: called.jobs[jid].needs for jid in order}
    outcomes = await run_graph(order, needs, lambda jid, got: run_job(nested, jid, got))
    legs = tuple(leg for outcome in outcomes.values() for leg in outcome.legs)
    jobs_ctx = {jid: {"result": o.result, "outputs": o.outputs} for jid, o in outcomes.items()}
    outputs: dict[str, str] = {}
    for name, spec in trigger.outputs.items():
        try:
            outputs[name] = interpolate(
                spec.value or "", {**contexts, "jobs": jobs_ctx, "inputs": inputs}
            )
        except ExpressionError:
            outputs[name] = ""
    return JobOutcome(id=job.id, legs=legs, declared_outputs=outputs)
