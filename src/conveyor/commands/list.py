"""`conveyor list [EVENT]`: which workflows and jobs EVENT would run, and why not the rest."""

from __future__ import annotations

from pathlib import Path

import click

from conveyor.commands.run import event_options
from conveyor.errors import EXIT_OK


@click.command(name="list")
@event_options
def command(
    *,
    event: str,
    base: str | None,
    tag: str | None,
    inputs: tuple[str, ...],
    event_path: Path | None,
    cron: str | None,
    workflow_files: tuple[str, ...],
    jobs: tuple[str, ...],
    with_needs: bool,
    matrix: tuple[str, ...],
    directory: Path,
) -> int:
    """Show which workflows and jobs EVENT (default: push) would run, and why not the others."""
    from conveyor.run import pipeline as p

    repo = p.find_repo(directory.resolve())
    request = p.PlanRequest(
        event=p.EventRequest(
            name=event, base=base, tag=tag, inputs=inputs, event_path=event_path, cron=cron
        ),
        workflow_files=workflow_files,
        jobs=jobs,
        with_needs=with_needs,
        matrix=matrix,
    )
    click.echo("\n".join(p.describe_plan(p.plan_run(repo, request))))
    return EXIT_OK
