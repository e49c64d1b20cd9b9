"""Diagnostics for people: `file:line:col: message [rule]`, coloured on a terminal."""

from __future__ import annotations

from collections.abc import Sequence

import click

from conveyor.workflow.checks.diagnostic import Diagnostic


def render_text(diagnostics: Sequence[Diagnostic], *, err: bool = False) -> None:
    """`file:line:col: message [rule]` per diagnostic (coloured on a terminal), hints, a summary."""
    for d in diagnostics:
        where = f"{d.file}:{d.line}:{d.column}" if d.line else d.file
        colour = "red" if d.is_error else "yellow"
        suffix = "" if d.is_error else click.style(" (warning)", fg=colour)
        rule = click.style(f"[{d.rule}]", dim=True)
        click.echo(
            f"{click.style(where, bold=True)}: {click.style(d.message, fg=colour)} {rule}{suffix}",
            err=err,
        )
        if d.hint:
            click.echo(f"  {click.style('hint', fg='cyan')}: {d.hint}", err=err)
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        click.echo(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
            err=True,
        )
    else:
        click.echo("All workflows are valid.", err=True)
