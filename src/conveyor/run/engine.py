"""Execute a plan: every triggered workflow at once, sharing one pool of job slots.

    plan ─▶ (store run per workflow) ─▶ concurrency group ─▶ run_graph(jobs) ─▶ RunResult

Each triggered workflow is its own run in the store (its own `github.run_id` and
`run_number`, as on GitHub). A workflow with `concurrency:` waits for its group in the
store, so two `conveyor run` processes in one repository follow GitHub's rule: one
running, one pending, `cancel-in-progress` cancels the running one.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from conveyor.errors import ExpressionError
from conveyor.events.model import Event
from conveyor.executors import Executor, HostExecutor
from conveyor.plan.planner import Plan, PlannedWorkflow
from conveyor.run.contexts import RunInfo, host_env
from conveyor.run.events import Listener, OutputLine, RunFinished, RunStarted
from conveyor.run.job import RunSettings, WorkflowRun, announce, run_job
from conveyor.run.mask import Masker
from conveyor.run.results import JobResult, RunResult, Status, WorkflowResult, combine
from conveyor.run.scheduler import JobOutcome, run_graph
from conveyor.run.state import ActionSettings
from conveyor.run.workspace import Workspaces
from conveyor.store import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    repo: Path
    state_dir: Path  # the repository's .conveyor/
    tool_cache: Path
    jobs: int = 2
    dirty: bool = False
    keep_workspaces: bool = False
    secrets: Mapping[str, str] = field(default_factory=dict)
    vars: Mapping[str, str] = field(default_factory=dict)
    inputs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # per workflow file
    executor_factory: Callable[[], Executor] = HostExecutor
    host_env: Mapping[str, str] = field(default_factory=host_env)
    rerun_of: int | None = None
    cache_dir: Path | None = None  # user-level shared caches; None: built-in actions off
    allow_network: bool = False  # built-ins may download (uv python install, pip install uv)
    allow_publish: bool = False  # pypa/gh-action-pypi-publish may pass
    # jobs not run again by `rerun --failed`: their earlier outcome, per workflow file
    kept: Mapping[str, Mapping[str, JobOutcome]] = field(default_factory=dict)


def event_to_json(event: Event) -> dict[str, Any]:
    """The whole event, as kept in the store so a run can be run again."""
    data = {f: getattr(event, f) for f in event.__dataclass_fields__}
    data["changed_paths"] = list(event.changed_paths) if event.changed_paths is not None else None
    data["inputs"] = dict(event.inputs)
    data["payload"] = dict(event.payload)
    return data


def event_from_json(data: Mapping[str, Any]) -> Event:
    fields = {k: v for k, v in data.items() if k in Event.__dataclass_fields__}
    if fields.get("changed_paths") is not None:
        fields["changed_paths"] = tuple(fields["changed_paths"])
    return Event(**fields)


def _first_attempt(store: Store, parent: int | None) -> int | None:
    """The id of a rerun's first attempt (GitHub keeps `run_id` across attempts)."""
    first = None
    while parent is not None:
        first = parent
        parent = store.get_run(parent).parent_run_id
    return first


def _branch(event: Event) -> str | None:
    """The branch a run is filed under: a pull request's head branch, else the pushed one."""
    if event.head_ref:
        return event.head_ref
    return event.ref_name if event.ref_type == "branch" else None


def workflow_status(jobs: tuple[JobResult, ...]) -> Status:
    """A workflow fails when a job fails that may not (`continue-on-error`)."""
    counted = [j.status for j in jobs if not (j.status == "failure" and j.allowed_failure)]
    status = combine(counted)
    return "success" if status == "skipped" and jobs else status


async def run_workflow(
    planned: PlannedWorkflow,
    plan: Plan,
    settings: RunSettings,
    *,
    info: RunInfo,
    store: Store | None,
    inputs: Mapping[str, Any],
    options_kept: Mapping[str, Mapping[str, JobOutcome]],
) -> WorkflowResult:
    started = time.monotonic()
    cancel = asyncio.Event()

    async def forward_cancel() -> None:
        await settings.cancel.wait()
        cancel.set()

    forwarder = asyncio.create_task(forward_cancel())
    wf_settings = replace(settings, cancel=cancel)

    def say(text: str) -> None:
        settings.listener(
            OutputLine(workflow=planned.file, job="", step=-1, stream="conveyor", text=text)
        )

    run = WorkflowRun(
        planned=planned, event=plan.event, info=info, settings=wf_settings, inputs=inputs
    )
    from conveyor.run.groups import evaluate_group, hold
    from conveyor.run.job import base_contexts

    group = None
    try:
        group = evaluate_group(planned.workflow.concurrency, base_contexts(run, {}))
    except ExpressionError as exc:
        say(f"concurrency: {exc}")
    kept = options_kept.get(planned.file, {})

    async def one(
        job_id: str, needed: Mapping[str, JobOutcome]
    ) -> tuple[JobResult, ...] | JobOutcome:
        if job_id in kept:  # `rerun --failed`: this job keeps its earlier result
            for leg in kept[job_id].legs:
                announce(run, leg)  # recorded in this attempt too, as GitHub shows it
            return kept[job_id]
        return await run_job(run, job_id, needed)

    try:
        async with hold(store, group, run_id=info.run_id, job=None, cancel=cancel, say=say) as turn:
            if not turn:
                return WorkflowResult(
                    name=planned.workflow.display_name, file=planned.file, status="cancelled"
                )
            outcomes = await run_graph(planned.order, planned.needs, one)
    finally:
        forwarder.cancel()
    jobs = tuple(leg for outcome in outcomes.values() for leg in outcome.legs)
    status = workflow_status(jobs)
    if cancel.is_set() and status == "success":
        status = "cancelled"
    return WorkflowResult(
        name=planned.workflow.display_name,
        file=planned.file,
        status=status,
        jobs=jobs,
        duration=time.monotonic() - started,
    )


async def execute(
    plan: Plan,
    options: RunOptions,
    *,
    store: Store | None,
    listener: Listener,
    masker: Masker,
    cancel: asyncio.Event | None = None,
    force: asyncio.Event | None = None,
) -> RunResult:
    """Run every workflow of `plan`; the result is in plan order.

    `cancel` cancels the run (steps with `always()`/`cancelled()` still run); `force`
    also stops those.
    """
    started = time.monotonic()
    cancel = cancel or asyncio.Event()
    force = force or asyncio.Event()
    event = plan.event
    infos: list[RunInfo] = []
    work_root = options.state_dir / "work"
    for index, planned in enumerate(plan.workflows):
        if store is not None:
            record = store.create_run(
                workflow_file=planned.file,
                workflow_name=planned.workflow.display_name,
                event_name=event.name,
                ref=event.ref,
                sha=event.sha,
                branch=_branch(event),
                actor=event.actor,
                inputs=dict(options.inputs.get(planned.file, {})),
                event=event_to_json(event),
                rerun_of=options.rerun_of,
            )
            store.start_run(record.id)
            run_id, run_number, attempt = record.id, record.run_number, record.run_attempt
            first = _first_attempt(store, record.parent_run_id) or run_id
        else:
            run_id, run_number, attempt = index + 1, 1, 1
            first = run_id
        run_dir = work_root / str(run_id)
        run_dir.mkdir(parents=True, exist_ok=True)
        event_path = run_dir / "event.json"
        event_path.write_text(json.dumps(dict(event.payload), indent=2, default=str))
        infos.append(
            RunInfo(
                run_id=run_id,
                run_number=run_number,
                run_attempt=attempt,
                first_attempt=first,
                repo=options.repo,
                event_path=event_path,
            )
        )
    from conveyor.run.events import Fanout
    from conveyor.run.record import StoreRecorder

    recorder = (
        StoreRecorder(store, {p.file: i.run_id for p, i in zip(plan.workflows, infos, strict=True)})
        if store
        else None
    )
    events = Fanout([listener, recorder] if recorder else [listener])
    events(
        RunStarted(
            run_id=infos[0].run_id if infos else None,
            event=event.name,
            workflows=tuple(p.file for p in plan.workflows),
        )
    )
    run_dir = work_root / (str(infos[0].run_id) if infos else "none")
    workspaces = Workspaces(
        options.repo,
        tool_cache=options.tool_cache,
        checkouts=run_dir / ".checkouts",
        dirty=options.dirty,
        ahead=max(1, options.jobs),
        keep=options.keep_workspaces,
    )
    settings = RunSettings(
        repo=options.repo,
        run_dir=run_dir,
        slots=asyncio.Semaphore(max(1, options.jobs)),
        cancel=cancel,
        force=force,
        listener=events,
        masker=masker,
        secrets=options.secrets,
        vars=options.vars,
        matrix_filter=plan.matrix_filter,
        executor_factory=options.executor_factory,
        host_env=options.host_env,
        groups=store,
        workspaces=workspaces,
        actions=ActionSettings(
            state_dir=options.state_dir,
            cache_dir=options.cache_dir,
            allow_network=options.allow_network,
            allow_publish=options.allow_publish,
        )
        if options.cache_dir is not None
        else None,
    )
    try:
        results = await asyncio.gather(
            *(
                run_workflow(
                    planned,
                    plan,
                    settings,
                    info=info,
                    store=store,
                    inputs=options.inputs.get(planned.file, {}),
                    options_kept=options.kept,
                )
                for planned, info in zip(plan.workflows, infos, strict=True)
            )
        )
    finally:
        await workspaces.close()
        if recorder:
            recorder.close()
        if not options.keep_workspaces:
            for info in infos:
                shutil.rmtree(work_root / str(info.run_id), ignore_errors=True)
    status = combine(r.status for r in results) if results else "skipped"
    if store is not None:
        for info, result in zip(infos, results, strict=True):
            store.finish_run(
                info.run_id, "success" if result.status == "skipped" else result.status
            )
    run_result = RunResult(
        event=event.name,
        status=status,
        workflows=tuple(results),
        run_id=infos[0].run_id if infos else None,
        duration=time.monotonic() - started,
    )
    events(RunFinished(result=run_result))
    return run_result
