"""`conveyor run [EVENT]`: run what EVENT would trigger on GitHub, on this host."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from conveyor.errors import EXIT_OK
from conveyor.run.pipeline import PlanRequest


def event_options(func: Callable[..., int]) -> Callable[..., int]:
    """Options that choose the event and the jobs, shared with `conveyor list`.

    The command receives them as one `request: PlanRequest`.
    """

    @functools.wraps(func)
    def with_request(
        *,
        event: str,
        base: str | None,
        tag: str | None,
        inputs: tuple[str, ...],
        cron: str | None,
        event_path: Path | None,
        workflow_files: tuple[str, ...],
        jobs: tuple[str, ...],
        with_needs: bool,
        matrix: tuple[str, ...],
        **rest: Any,
    ) -> int:
        from conveyor.run.pipeline import EventRequest, PlanRequest

        request = PlanRequest(
            event=EventRequest(
                name=event, base=base, tag=tag, inputs=inputs, event_path=event_path, cron=cron
            ),
            workflow_files=workflow_files,
            jobs=jobs,
            with_needs=with_needs,
            matrix=matrix,
        )
        return func(request=request, **rest)

    wrapped: Any = with_request
    for decorator in reversed(
        [
            click.argument("event", default="push"),
            click.option("--base", metavar="REF", help="Base branch of a pull_request event."),
            click.option(
                "--tag", metavar="NAME", help="Push (or release) this tag instead of the branch."
            ),
            click.option(
                "--input",
                "inputs",
                multiple=True,
                metavar="NAME=VALUE",
                help="workflow_dispatch input (repeatable).",
            ),
            click.option(
                "--cron",
                metavar="EXPR",
                help="schedule: the cron that fired (`github.event.schedule`); "
                "only workflows with it run.",
            ),
            click.option(
                "--event-path",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Webhook payload JSON for EVENT.",
            ),
            click.option(
                "-W",
                "--workflow",
                "workflow_files",
                multiple=True,
                metavar="FILE",
                help="Only this workflow file (repeatable).",
            ),
            click.option(
                "-j",
                "--job",
                "jobs",
                multiple=True,
                metavar="JOB",
                help="Only this job (repeatable).",
            ),
            click.option("--with-needs", is_flag=True, help="With -j: also run the jobs it needs."),
            click.option(
                "--matrix",
                multiple=True,
                metavar="KEY:VALUE",
                help="Only matrix legs with this value (repeatable).",
            ),
            click.option(
                "-C",
                "directory",
                type=click.Path(path_type=Path, file_okay=False, exists=True),
                default=".",
                help="Run in this directory.",
            ),
        ]
    ):
        wrapped = decorator(wrapped)
    result: Callable[..., int] = wrapped
    return result


@click.command(name="run")
@event_options
@click.option("--dry-run", is_flag=True, help="Print the plan; run nothing.")
@click.option(
    "--jobs",
    "slots",
    type=click.IntRange(min=1),
    default=None,
    help="Jobs running at once (default: CPU count).",
)
@click.option("--dirty", is_flag=True, help="Include uncommitted changes in job workspaces.")
@click.option(
    "--secret",
    "secrets",
    multiple=True,
    metavar="NAME[=VALUE]",
    help="A secret; NAME alone reads it from the environment.",
)
@click.option(
    "--secret-file",
    "secret_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=".env file of secrets.",
)
@click.option(
    "--var",
    "vars_",
    multiple=True,
    metavar="NAME=VALUE",
    help="A configuration variable (`vars` context).",
)
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=".env file of variables.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the result as JSON to FILE.",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Print every output line, prefixed with its job."
)
@click.option("--keep-workspaces", is_flag=True, help="Keep job workspaces under .conveyor/work.")
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let actions download: uv python install, pip install uv, and git fetches of "
    "actions missing from the action cache.",
)
@click.option(
    "--allow-publish", is_flag=True, help="Let pypa/gh-action-pypi-publish pass (it never uploads)."
)
def command(
    *,
    request: PlanRequest,
    directory: Path,
    dry_run: bool,
    slots: int | None,
    dirty: bool,
    secrets: tuple[str, ...],
    secret_files: tuple[Path, ...],
    vars_: tuple[str, ...],
    var_files: tuple[Path, ...],
    json_path: Path | None,
    verbose: bool,
    keep_workspaces: bool,
    allow_network: bool,
    allow_publish: bool,
) -> int:
    """Run the workflows EVENT (default: push) would trigger, in parallel, on this host."""
    from conveyor.run import pipeline as p

    repo = p.find_repo(directory.resolve())
    plan = p.plan_run(repo, request)
    typed = p.typed_inputs(plan)
    if dry_run:  # before the engine and the store are imported: a plan is read quickly
        problems = p.host_problems(repo, allow_network=allow_network)
        click.echo("\n".join(p.describe_plan(plan, problems)))
        return EXIT_OK
    from conveyor.run.engine import RunOptions
    from conveyor.run.reap import reap, run_status
    from conveyor.run.secrets import load_secrets, load_values
    from conveyor.store import open_store
    from conveyor.store.db import state_dir

    if not plan.workflows:
        click.echo("\n".join(p.describe_plan(plan)))
        click.echo(f"No workflow is triggered by `{request.event.name}`.", err=True)
        return EXIT_OK
    secret_values = load_secrets(secrets, secret_files)
    masker = p.masker_for(secret_values)
    options = RunOptions(
        repo=repo,
        state_dir=state_dir(repo),
        tool_cache=p.tool_cache(),
        jobs=slots or p.default_jobs(),
        dirty=dirty,
        keep_workspaces=keep_workspaces,
        secrets=secret_values,
        vars=load_values(vars_, var_files, "var"),
        inputs=typed,
        cache_dir=p.cache_dir(),
        allow_network=allow_network,
        allow_publish=allow_publish,
    )
    with open_store(repo) as store:
        store.mark_interrupted()
        reap(options.state_dir / "work", run_status(store))
        return p.execute_and_report(
            plan, options, store=store, masker=masker, verbose=verbose, json_path=json_path
        )
