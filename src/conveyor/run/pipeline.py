"""`conveyor run` and `conveyor list` as a pipeline of small functions.

    find_repo ─▶ load_workflows (validated) ─▶ build_event ─▶ make_plan ─▶ execute ─▶ report

Each function returns data for the next; the commands only parse arguments and call them.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from conveyor.errors import UsageError, UserError, WorkflowError
from conveyor.events.model import Event
from conveyor.git import Git
from conveyor.plan.planner import MatrixFilter, Plan, make_plan
from conveyor.run.results import RunResult
from conveyor.workflow.model import Job, Workflow

if TYPE_CHECKING:
    from conveyor.run.console import LiveConsole, PlainConsole
    from conveyor.run.engine import RunOptions
    from conveyor.run.mask import Masker
    from conveyor.store import Store

EVENTS_FROM_GIT = (
    "push",
    "pull_request",
    "pull_request_target",
    "workflow_dispatch",
    "schedule",
    "release",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRequest:
    name: str = "push"
    base: str | None = None
    tag: str | None = None
    inputs: Sequence[str] = ()
    event_path: Path | None = None
    cron: str | None = None  # schedule: the cron that fired


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanRequest:
    event: EventRequest = field(default_factory=EventRequest)
    workflow_files: Sequence[str] = ()
    jobs: Sequence[str] = ()
    with_needs: bool = False
    matrix: Sequence[str] = ()


def find_repo(start: Path) -> Path:
    git = Git(start)
    try:
        return Path(git.run("rev-parse", "--show-toplevel").strip())
    except UsageError:
        raise UsageError(
            f"{start} is not inside a git repository",
            hint="conveyor runs the workflows of a git repository: `cd` into one (or `git init`)",
        ) from None


def load_workflows(repo: Path, files: Sequence[str] = ()) -> list[tuple[Workflow, str]]:
    """Validate, then load, the repository's workflows (or the files named with -W)."""
    from conveyor.workflow.checks import check_paths
    from conveyor.workflow.load import discover_workflows, load_workflow

    if files:
        paths = []
        for name in files:
            path = (repo / name) if not Path(name).is_absolute() else Path(name)
            if not path.is_file():
                path = repo / ".github" / "workflows" / name
            if not path.is_file():
                raise UsageError(
                    f"-W {name}: no such workflow file", hint="give a path under .github/workflows/"
                )
            paths.append(path.resolve())
    else:
        paths = discover_workflows(repo)
        if not paths:
            raise UsageError(
                f"no workflows in {repo / '.github' / 'workflows'}",
                hint="add a workflow file there, or pass -W FILE",
            )
    from conveyor.actions.sources import cached_folders

    checked = check_paths(paths, root=repo, remote=cached_folders())
    errors = [d for d in checked if d.severity == "error"]
    if errors:
        from conveyor.workflow.checks.render import render_text

        render_text(errors, err=True)
        first = errors[0]
        raise WorkflowError(
            f"{len(errors)} error(s) in workflows; fix them first (`conveyor validate` lists them)",
            file=first.file,
            line=first.line,
            column=first.column,
            rule=first.rule,
        )
    return [(load_workflow(p, root=repo), p.relative_to(repo).as_posix()) for p in paths]


def parse_inputs(items: Sequence[str]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--input {item!r}: expected NAME=VALUE")
        inputs[key] = value
    return inputs


def build_event(repo: Path, request: EventRequest) -> Event:
    from conveyor import events

    git = Git(repo)
    name = request.name
    if request.inputs and name != "workflow_dispatch":
        raise UsageError(
            f"--input is for `workflow_dispatch`, not `{name}`",
            hint="conveyor run workflow_dispatch --input NAME=VALUE",
        )
    if request.inputs and request.event_path is not None:
        raise UsageError(
            "--input and --event-path together: the payload's `inputs` would be ignored",
            hint="put the inputs in the payload file's `inputs` object",
        )
    if request.cron is not None and name != "schedule":
        raise UsageError(f"--cron is for `schedule`, not `{name}`")
    if request.event_path is not None:
        return events.from_payload_file(git, name, request.event_path)
    if name == "push":
        return events.push(git, tag=request.tag)
    if name in ("pull_request", "pull_request_target"):
        if not request.base:
            raise UsageError(
                f"`{name}` needs a base branch", hint=f"conveyor run {name} --base main"
            )
        return events.pull_request(git, base=request.base, event_name=name)
    if name == "workflow_dispatch":
        return events.workflow_dispatch(git, inputs=parse_inputs(request.inputs))
    if name == "schedule":
        return events.schedule(git, cron=request.cron)
    if name == "release":
        if not request.tag:
            raise UsageError("`release` needs a tag", hint="conveyor run release --tag v1.2.0")
        return events.release(git, tag=request.tag)
    return events.default_branch_event(git, name)


def plan_run(repo: Path, request: PlanRequest) -> Plan:
    workflows = load_workflows(repo, request.workflow_files)
    event = build_event(repo, request.event)
    return make_plan(
        workflows,
        event,
        only_jobs=request.jobs,
        with_needs=request.with_needs,
        matrix_filter=MatrixFilter.parse(request.matrix),
    )


def typed_inputs(plan: Plan) -> dict[str, dict[str, Any]]:
    """Per workflow: dispatch inputs checked and typed against what it declares."""
    from conveyor.events import check_dispatch_inputs

    if plan.event.name != "workflow_dispatch":
        return {}
    result = {}
    for planned in plan.workflows:
        specs = planned.workflow.triggers["workflow_dispatch"].inputs
        try:
            result[planned.file] = check_dispatch_inputs(specs, plan.event.inputs)
        except UserError as exc:
            raise UsageError(f"{planned.file}: {exc.message}", hint=exc.hint) from None
    return result


def describe_plan(plan: Plan, problems: Callable[[Job], list[str]] | None = None) -> list[str]:
    """What `--dry-run` and `conveyor list` print; `problems` says, under each job, what in
    it cannot run on this host (`conveyor.run.preflight`)."""
    from conveyor.plan.legs import expand_legs, references_needs

    lines = [f"event: {plan.event.name} {plan.event.ref} {plan.event.sha[:12]}"]
    for planned in plan.workflows:
        lines.append(
            f"✓ {planned.file} ({planned.workflow.display_name}): {planned.decision.reason}"
        )
        for job_id in planned.order:
            job = planned.job(job_id)
            needs = f"  needs: {', '.join(job.needs)}" if job.needs else ""
            if job.uses:
                lines.append(f"    {job_id}  calls {job.uses}{needs}")
                continue
            if references_needs(job):
                lines.append(f"    {job_id}  (matrix from needs, expanded when ready){needs}")
                continue
            try:
                legs = expand_legs(job, {"github": {}, "inputs": {}, "vars": {}, "needs": {}})
                names = [
                    leg.name
                    for leg in legs
                    if leg.matrix is None or plan.matrix_filter.keeps(leg.matrix)
                ]
            except UserError as exc:  # a plan listing shows the problem in place
                names = [f"{job_id} (cannot expand yet: {exc})"]
            for name in names:
                lines.append(f"    {name}{needs}")
            lines.extend(f"      ! {problem}" for problem in (problems(job) if problems else ()))
    for skipped in plan.not_triggered:
        lines.append(f"✗ {skipped.file} ({skipped.name}): {skipped.reason}")
    return lines


def write_json(path: Path, result: RunResult) -> None:
    try:
        path.write_text(json.dumps(result.to_json(), indent=2) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write --json file {path}: {exc.strerror}") from None


def run_until_done(coro: Any, cancel: asyncio.Event, force: asyncio.Event | None = None) -> Any:
    """Run the engine, with Ctrl-C (or SIGTERM) as the way to stop it.

    The first cancels the run: running steps are stopped as a tree (SIGINT, SIGTERM,
    SIGKILL), then the `always()`/`cancelled()` steps and jobs run. The second sets
    `force`: those are stopped too and nothing more starts. The third kills every
    process the steps started at once, so the run ends now and is still recorded. Only
    a fourth gives up on recording it.
    """

    async def main() -> Any:
        loop = asyncio.get_running_loop()
        interrupts = 0

        def on_interrupt() -> None:
            nonlocal interrupts
            interrupts += 1
            if interrupts == 1:
                click.echo("\nCancelling the run (Ctrl-C again to stop at once)…", err=True)
                cancel.set()
            elif interrupts == 2 and force is not None:
                click.echo("\nStopping every step now (Ctrl-C again to kill them)…", err=True)
                force.set()
            elif interrupts <= 3:
                click.echo("\nKilling every step process…", err=True)
                cancel.set()
                if force is not None:
                    force.set()
                kill_descendants()
            else:
                raise KeyboardInterrupt

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, on_interrupt)
        try:
            return await coro
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    watch_children_with_pidfds()
    return asyncio.run(main())


def watch_children_with_pidfds() -> None:
    """On Python 3.11, learn of step processes' exits through pidfds in the event loop,
    as 3.12 does by default, instead of one waiting thread per process (whose start
    holds up the loop for every step, workspace copy and git command)."""
    if sys.version_info < (3, 12) and hasattr(os, "pidfd_open"):
        try:
            os.close(os.pidfd_open(os.getpid()))
        except OSError:  # a kernel or sandbox without pidfds: keep the threads
            return
        asyncio.set_child_watcher(asyncio.PidfdChildWatcher())


def kill_descendants() -> None:
    """SIGKILL every process this one started, and theirs (steps run in sessions of
    their own, so a terminal's Ctrl-C never reaches them)."""
    import psutil

    for proc in psutil.Process().children(recursive=True):
        try:
            proc.kill()
        except psutil.Error:
            continue


def default_jobs() -> int:
    return os.cpu_count() or 2


def cache_dir() -> Path:
    """User-level shared caches: `$CONVEYOR_CACHE_DIR`, else the platform's cache dir."""
    from conveyor.userdirs import cache_base

    return cache_base()


def tool_cache() -> Path:
    return cache_dir() / "tool-cache"


def masker_for(secrets: Mapping[str, str]) -> Any:
    from conveyor.run.mask import Masker

    masker = Masker()
    for value in secrets.values():
        masker.add(value)
    return masker


def console_for(verbose: bool) -> PlainConsole | LiveConsole:
    """The live view on a terminal; prefixed lines with `-v` or when piped."""
    from conveyor.run.console import LiveConsole, PlainConsole

    if verbose or not sys.stdout.isatty():
        return PlainConsole()
    return LiveConsole()


def execute_and_report(
    plan: Plan,
    options: RunOptions,
    *,
    store: Store,
    masker: Masker,
    verbose: bool,
    json_path: Path | None,
) -> int:
    """Run `plan` with a console, write `--json`, and return the exit code.

    0 when every workflow succeeded (or was skipped), 1 when one failed or was cancelled by
    a concurrency group, 130 when the user interrupted the run.
    """
    from conveyor.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK
    from conveyor.run.engine import execute

    listener = console_for(verbose)
    cancel, force = asyncio.Event(), asyncio.Event()
    try:
        result = run_until_done(
            execute(
                plan,
                options,
                store=store,
                listener=listener,
                masker=masker,
                cancel=cancel,
                force=force,
            ),
            cancel,
            force,
        )
    finally:
        listener.close()
    if json_path is not None:
        write_json(json_path, result)
    if cancel.is_set():
        return EXIT_INTERRUPTED
    return EXIT_OK if result.status in ("success", "skipped") else EXIT_FAILED


def host_problems(repo: Path, *, allow_network: bool) -> Callable[[Job], list[str]]:
    """For `describe_plan`: what of a job cannot run on this host, read from files only."""
    from conveyor.actions.sources import ActionCache
    from conveyor.run.preflight import job_problems

    cache = ActionCache()  # the one `conveyor run` and `conveyor actions` use
    return lambda job: job_problems(job, repo=repo, cache=cache, allow_network=allow_network)
