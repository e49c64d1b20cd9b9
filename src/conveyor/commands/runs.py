"""`conveyor runs`: the run history of this repository, newest first."""

from __future__ import annotations

from pathlib import Path

import click

from conveyor.errors import EXIT_OK


@click.command(name="runs")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=20, help="How many runs.")
@click.option("-W", "--workflow", help="Only runs of this workflow (file or name).")
@click.option("--branch", help="Only runs on this branch.")
@click.option(
    "-C", "directory", type=click.Path(path_type=Path, file_okay=False, exists=True), default="."
)
def command(limit: int, workflow: str | None, branch: str | None, directory: Path) -> int:
    """List past runs: id, workflow, event, branch, status, duration."""
    from rich.console import Console
    from rich.table import Table

    from conveyor.run.pipeline import find_repo
    from conveyor.store import open_store

    repo = find_repo(directory.resolve())
    with open_store(repo) as store:
        store.mark_interrupted()
        runs = store.list_runs(limit, workflow=workflow, branch=branch)
    if not runs:
        click.echo("No runs yet. Start one with `conveyor run`.")
        return EXIT_OK
    table = Table()
    for column in ("run", "#", "workflow", "event", "branch", "sha", "status", "started", "time"):
        table.add_column(column)
    for run in runs:
        took = ""
        if run.started_at and run.finished_at:
            took = f"{(run.finished_at - run.started_at).total_seconds():.1f}s"
        number = f"{run.run_number}" + (f".{run.run_attempt}" if run.run_attempt > 1 else "")
        table.add_row(
            str(run.id),
            number,
            run.workflow_name,
            run.event_name,
            run.branch or "",
            run.sha[:8],
            run.status,
            run.created_at.strftime("%Y-%m-%d %H:%M"),
            took,
        )
    console = Console()
    if not console.is_terminal:  # piped: whole rows, for grep and awk
        console.width = 1000
    console.print(table)
    return EXIT_OK
