"""`conveyor list [EVENT]`: which workflows and jobs EVENT would run, and why not the rest."""

from __future__ import annotations

from pathlib import Path

import click

from conveyor.commands.run import event_options
from conveyor.errors import EXIT_OK
from conveyor.run.pipeline import PlanRequest


@click.command(name="list")
@event_options
def command(*, request: PlanRequest, directory: Path) -> int:
    """Show which workflows and jobs EVENT (default: push) would run, and why not the others."""
    from conveyor.run import pipeline as p

    repo = p.find_repo(directory.resolve())
    problems = p.host_problems(repo, allow_network=False)
    click.echo("\n".join(p.describe_plan(p.plan_run(repo, request), problems)))
    return EXIT_OK
