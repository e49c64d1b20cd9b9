"""Command-line entry point: `main(argv) -> int`.

Each verb lives in its own module under `conveyor.commands` and is imported only when it
is invoked, so `conveyor --help` stays fast. This module maps errors to exit codes in one
place (see `conveyor.errors`): a user mistake is a message and exit 2, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from typing import Any

import click

from conveyor import __version__
from conveyor.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USER_ERROR,
    ConveyorError,
    UserError,
)

# verb -> (module under conveyor.commands, one-line help). One explicit table, no registry.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "Check workflows and local actions: file:line:col, rule, fix."),
    "expr": ("expr", "Evaluate a ${{ }} expression and print its value as JSON."),
    "gate": ("gate", "Judge coverage, tests, security, performance and lint reports."),
    "flaky": ("flaky", "List flaky tests seen in the run history."),
    "run": ("run", "Run the workflows an event would trigger, in parallel, on this host."),
    "list": ("list", "Show which workflows and jobs an event would run, and why not the rest."),
    "runs": ("runs", "List past runs of this repository."),
    "show": ("show", "Show one run: jobs, steps, annotations, outputs."),
    "logs": ("logs", "Print the logs of a run, a job or one step."),
    "rerun": ("rerun", "Run a past run again (all jobs, or only the failed ones)."),
    "artifacts": ("artifacts", "List a run's artifacts, or extract one."),
    "cache": ("cache", "List and remove the entries actions/cache saved on this machine."),
    "actions": ("actions", "Keep the code of actions that are not built in, for offline runs."),
    # more verbs are added here, one line each, as they land
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"conveyor.commands.{entry[0]}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, COMMANDS, n=1)
            hint = f" Did you mean `{close[0]}`?" if close else ""
            raise click.UsageError(f"unknown command `{name}`.{hint}", ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="conveyor")
def cli() -> None:
    """Run your GitHub Actions workflows on this machine, and gate their results."""


def _crash_report(exc: BaseException) -> str:
    fd, path = tempfile.mkstemp(prefix="conveyor-crash-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"conveyor {__version__}, Python {sys.version}\n")
        fh.write(f"argv: {sys.argv!r}\n\n")
        fh.write("".join(traceback.format_exception(exc)))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 failed, 2 user error, 3 bug, 130 ^C)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result: Any = cli.main(args=args, prog_name="conveyor", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except ConveyorError as exc:
        if exc.exit_code != EXIT_INTERNAL:
            click.echo(f"error: {exc}", err=True)
            return exc.exit_code
        path = _crash_report(exc)
        click.echo(f"internal error: {exc}\n  crash report: {path}", err=True)
        return EXIT_INTERNAL
    except Exception as exc:  # the one place that turns bugs into exit 3
        path = _crash_report(exc)
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            f"  This is a bug in conveyor. Crash report: {path}",
            err=True,
        )
        return EXIT_INTERNAL
    return int(result) if isinstance(result, int) else EXIT_OK
