"""`conveyor logs RUN [JOB] [--step N]`: the (masked) output of a run's jobs."""

from __future__ import annotations

from pathlib import Path

import click

from conveyor.errors import EXIT_OK, UsageError


@click.command(name="logs")
@click.argument("run_id", type=int)
@click.argument("job", required=False)
@click.option("--step", "step_index", type=int, help="Only this step (its index in the job).")
@click.option(
    "-C", "directory", type=click.Path(path_type=Path, file_okay=False, exists=True), default="."
)
def command(run_id: int, job: str | None, step_index: int | None, directory: Path) -> int:
    """Print the logs of run RUN_ID (one JOB, by id or display name, and one --step)."""
    from conveyor.run.pipeline import find_repo
    from conveyor.store import open_store

    repo = find_repo(directory.resolve())
    with open_store(repo) as store:
        run = store.get_run(run_id)
    jobs = [j for j in run.jobs if job in (None, j.job_id, j.name)]
    if job and not jobs:
        names = ", ".join(j.name for j in run.jobs) or "none"
        raise UsageError(f"run {run_id} has no job `{job}`", hint=f"its jobs: {names}")
    for record in jobs:
        if record.log_path is None or not record.log_path.exists():
            continue
        data = record.log_path.read_bytes()
        if step_index is not None:
            step = next((s for s in record.steps if s.index == step_index), None)
            if step is None or step.log_start is None or step.log_end is None:
                raise UsageError(f"job `{record.name}` has no log for step {step_index}")
            data = data[step.log_start : step.log_end]
        if len(jobs) > 1:
            click.echo(f"=== {record.name} ===")
        click.echo(data.decode("utf-8", "replace"), nl=False)
    return EXIT_OK
