"""`conveyor gate`: judge coverage, tests, security, performance and lint reports.

load policy → (git) changed lines → run the gates → record history → render. Exit 0 on
pass or warn, 1 on fail, 2 on a bad policy or an unreadable report (JSON too with
`--format json`).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import click

from conveyor.errors import EXIT_FAILED, EXIT_OK, UserError
from conveyor.gates import render
from conveyor.gates.context import Context
from conveyor.gates.engine import record, run_gates
from conveyor.gates.git import branch_name, changed_lines, revision
from conveyor.gates.history import GateHistory
from conveyor.gates.policy import GATES, Policy, load_policy
from conveyor.gates.storage import open_history

FORMATS = ("text", "json", "markdown")


@click.command(name="gate")
@click.option(
    "--config",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A TOML file with the gate tables (default: .conveyor.toml or pyproject.toml).",
)
@click.option(
    "--base",
    metavar="REF",
    help="Base ref: changed lines for patch coverage, and the branch to compare figures with.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Project (or its .conveyor directory) whose history to use.",
)
@click.option(
    "--record/--no-record",
    default=True,
    show_default=True,
    help="Keep this run's figures in the store.",
)
@click.option(
    "--history", "show_history", is_flag=True, help="Show each gate's stored figures, newest first."
)
@click.option("--branch", help="With --history: only this branch.")
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="With --history: records per gate.",
)
def command(
    *,
    config: Path | None,
    base: str | None,
    fmt: str,
    store: Path | None,
    record: bool,
    show_history: bool,
    branch: str | None,
    limit: int,
) -> int:
    """Judge coverage, tests, security, performance and lint reports against [tool.conveyor.gates]."""
    root = Path.cwd()
    try:
        policy = load_policy(root, config)
        with open_history(root, store) as history:
            if show_history:
                return _history(policy, history, fmt, branch, limit)
            return _gate(root=root, policy=policy, history=history, base=base, fmt=fmt, keep=record)
    except UserError as exc:
        if fmt != "json":
            raise
        click.echo(json.dumps({"status": "error", "error": str(exc)}, indent=2))
        return exc.exit_code


def _gate(
    *,
    root: Path,
    policy: Policy,
    history: GateHistory | None,
    base: str | None,
    fmt: str,
    keep: bool,
) -> int:
    changed = changed_lines(root, base) if base and policy.coverage else None
    ctx = Context(
        root=root,
        today=date.today(),
        history=history,
        base_branch=branch_name(base) if base else None,
        changed=changed,
        waivers=policy.waivers,
    )
    outcome = run_gates(policy, ctx, base=base)
    if history is not None and keep and outcome.report.gates:
        record(history, outcome, revision(root))
    report = outcome.report
    if fmt == "json":
        click.echo(render.to_json(report))
    elif fmt == "markdown":
        click.echo(render.to_markdown(report), nl=False)
    else:
        render.to_console(report, render.console())
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and report.gates:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(render.to_markdown(report))
    return EXIT_FAILED if report.status == "fail" else EXIT_OK


def _history(
    policy: Policy, history: GateHistory | None, fmt: str, branch: str | None, limit: int
) -> int:
    if history is None:
        raise UserError(
            "no gate history: this project has no .conveyor/ store",
            hint="run `conveyor gate` in a project with a .conveyor/ directory, or pass --store DIR",
        )
    names = policy.configured or GATES
    trends = {g: history.gate_trend(gate=g, branch=branch, limit=limit) for g in names}
    if fmt == "json":
        click.echo(render.trend_json(trends))
    else:
        render.trend_console(trends, render.console())
    return EXIT_OK
