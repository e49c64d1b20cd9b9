"""`conveyor rerun RUN [--failed]`: run a past run again, as a new attempt of it.

The event is the one stored with the run (same ref, sha, payload, inputs). With
`--failed`, jobs that succeeded keep their earlier result and outputs, and only the
failed or cancelled jobs run again, with every job that depends on them — as GitHub's
"Re-run failed jobs".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from conveyor.errors import EXIT_OK, UsageError

if TYPE_CHECKING:
    from conveyor.workflow.model import Workflow


@click.command(name="rerun")
@click.argument("run_id", type=int)
@click.option("--failed", is_flag=True, help="Only the failed jobs and the jobs depending on them.")
@click.option(
    "--jobs", "slots", type=click.IntRange(min=1), default=None, help="Jobs running at once."
)
@click.option("--secret", "secrets", multiple=True, metavar="NAME[=VALUE]")
@click.option(
    "--secret-file", "secret_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option("--var", "vars_", multiple=True, metavar="NAME=VALUE")
@click.option(
    "--var-file", "var_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option("--json", "json_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-v", "--verbose", is_flag=True)
@click.option(
    "-C", "directory", type=click.Path(path_type=Path, file_okay=False, exists=True), default="."
)
def command(
    *,
    run_id: int,
    failed: bool,
    slots: int | None,
    secrets: tuple[str, ...],
    secret_files: tuple[Path, ...],
    vars_: tuple[str, ...],
    var_files: tuple[Path, ...],
    json_path: Path | None,
    verbose: bool,
    directory: Path,
) -> int:
    """Run run RUN_ID again (a new attempt with the same run number)."""
    from conveyor.plan.filters import Decision
    from conveyor.plan.graph import order_jobs
    from conveyor.plan.planner import Plan, PlannedWorkflow
    from conveyor.run import pipeline as p
    from conveyor.run.engine import RunOptions, event_from_json
    from conveyor.run.reap import reap, run_status
    from conveyor.run.results import JobResult
    from conveyor.run.scheduler import JobOutcome
    from conveyor.run.secrets import load_secrets, load_values
    from conveyor.store import open_store
    from conveyor.store.db import state_dir

    repo = p.find_repo(directory.resolve())
    with open_store(repo) as store:
        store.mark_interrupted()
        reap(state_dir(repo) / "work", run_status(store))
        previous = store.get_run(run_id)
        if previous.status in ("queued", "running"):
            raise UsageError(f"run {run_id} is still {previous.status}", hint="wait for it to end")
        event = event_from_json(previous.event)
        ((workflow, file),) = p.load_workflows(repo, [previous.workflow_file])
        order = order_jobs({jid: job.needs for jid, job in workflow.jobs.items()})
        kept: dict[str, JobOutcome] = {}
        if failed:
            owner = {j.name: _top_level(workflow, j.job_id, j.name) for j in previous.jobs}
            redo = {
                owner[j.name]
                for j in previous.jobs
                if j.status in ("failure", "cancelled", "interrupted")
            }
            if not redo:
                click.echo(f"Run {run_id} has no failed job; nothing to run again.")
                return EXIT_OK
            for job_id in order:  # dependants of a job run again also run again
                if any(need in redo for need in workflow.jobs[job_id].needs):
                    redo.add(job_id)
            for job_id in order:  # a called workflow's outputs are not kept: call it again
                if workflow.jobs[job_id].uses and any(
                    job_id in workflow.jobs[other].needs for other in redo
                ):
                    redo.add(job_id)
            for job_id in order:
                if job_id not in redo:
                    legs = tuple(
                        JobResult(
                            id=j.job_id,
                            name=j.name,
                            status=j.status if j.status in ("success", "skipped") else "skipped",
                            matrix=j.matrix,
                            outputs={k: str(v) for k, v in j.outputs.items()},
                        )
                        for j in previous.jobs
                        if owner[j.name] == job_id
                    )
                    kept[job_id] = JobOutcome(id=job_id, legs=legs)
        plan = Plan(
            event=event,
            workflows=(
                PlannedWorkflow(
                    workflow=workflow,
                    file=file,
                    order=tuple(order),
                    decision=Decision(matches=True, reason=f"re-run of run {run_id}"),
                ),
            ),
        )
        secret_values = load_secrets(secrets, secret_files)
        options = RunOptions(
            repo=repo,
            state_dir=state_dir(repo),
            tool_cache=p.tool_cache(),
            jobs=slots or p.default_jobs(),
            secrets=secret_values,
            vars=load_values(vars_, var_files, "var"),
            inputs={file: dict(previous.inputs)},
            rerun_of=run_id,
            cache_dir=p.cache_dir(),
            kept={file: kept},
        )
        return p.execute_and_report(
            plan,
            options,
            store=store,
            masker=p.masker_for(secret_values),
            verbose=verbose,
            json_path=json_path,
        )


def _top_level(workflow: Workflow, job_id: str, name: str) -> str:
    """The workflow's own job a recorded job belongs to: a called workflow's jobs are
    recorded as `caller / callee`, under the callee's id."""
    for key, job in workflow.jobs.items():
        if job.uses and name.startswith(f"{job.name or key} / "):
            return key
    return job_id
