"""`conveyor show RUN`: one run's jobs, steps and annotations."""

from __future__ import annotations

from pathlib import Path

import click

from conveyor.errors import EXIT_OK


@click.command(name="show")
@click.argument("run_id", type=int)
@click.option(
    "-C", "directory", type=click.Path(path_type=Path, file_okay=False, exists=True), default="."
)
def command(run_id: int, directory: Path) -> int:
    """Show run RUN_ID: each job and step with its result, and the annotations."""
    from conveyor.run.pipeline import find_repo
    from conveyor.store import open_store

    repo = find_repo(directory.resolve())
    with open_store(repo) as store:
        run = store.get_run(run_id)
    click.echo(
        f"run {run.id} · {run.workflow_name} #{run.run_number} (attempt {run.run_attempt}) · "
        f"{run.event_name} {run.ref} {run.sha[:12]} · {run.status}"
    )
    for job in run.jobs:
        click.echo(f"  {job.name}: {job.status}")
        unfinished = "interrupted" if job.status == "interrupted" else "running"
        for step in job.steps:
            click.echo(
                f"    {step.index}. {step.name}: {step.conclusion or step.outcome or unfinished}"
            )
            if step.summary:
                click.echo("       summary:")
                for line in step.summary.rstrip("\n").splitlines():
                    click.echo(f"       │ {line}")
        for note in job.annotations:
            where = f"{note.file}:{note.line}: " if note.file and note.line else ""
            click.echo(f"    {note.level}: {where}{note.message}")
        for key, value in job.outputs.items():
            click.echo(f"    output {key} = {value}")
    return EXIT_OK
