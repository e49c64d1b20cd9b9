"""`conveyor validate [PATH…]`: check workflows and the local actions they use.

Parses arguments, calls `conveyor.workflow.checks.check_paths`, renders the diagnostics.
Exit 1 when there is an error (or a warning with `--strict`), 2 for a path that does not
exist, 0 otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from conveyor.errors import EXIT_FAILED, EXIT_OK, UsageError
from conveyor.workflow.checks import check_paths, discover
from conveyor.workflow.checks.render import render_text


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Diagnostics as `file:line:col: message [rule]` lines, or as a JSON list.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def command(paths: tuple[Path, ...], output_format: str, strict: bool) -> int:
    """Check workflows and local actions: file:line:col, rule, fix.

    PATH is a workflow file, an action file, a workflows folder or a repository root
    (default: the current directory's .github/workflows/).
    """
    root = Path.cwd()
    from conveyor.actions.sources import cached_folders

    diagnostics = check_paths(_targets(paths, root), root=root, remote=cached_folders())
    if output_format == "json":
        click.echo(json.dumps([d.to_json() for d in diagnostics], indent=2))
    else:
        render_text(diagnostics)
    failing = [d for d in diagnostics if d.is_error or strict]
    return EXIT_FAILED if failing else EXIT_OK


def _targets(paths: Sequence[Path], root: Path) -> list[Path]:
    """The paths to check; a usage error (exit 2) when they name no workflow file."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(
            f"no such file or directory: {missing[0]}",
            hint="give a workflow file, a workflows folder or a repository root",
        )
    if not paths and not (root / ".github" / "workflows").is_dir():
        raise UsageError(
            f"no .github/workflows/ folder in {root}",
            hint="run this from a repository root, or name the files to check",
        )
    targets = list(paths) or [root]
    if not discover(targets):
        raise UsageError(
            f"no workflow files in {', '.join(map(str, targets))}",
            hint="give .yml files, a workflows folder or a repository root with .github/workflows/",
        )
    return targets
