"""`conveyor flaky`: tests that both passed and failed on the same commit.

From the store's history when the project has one; otherwise from this run's JUnit
reports (`[tool.conveyor.gates.tests] reports`), where reruns show flakiness.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from rich.table import Table

from conveyor.errors import EXIT_OK, UsageError, UserError
from conveyor.gates import render
from conveyor.gates.context import Context
from conveyor.gates.flaky import FlakyTest, find_flaky, outcomes_of, release_candidates
from conveyor.gates.history import TestOutcome
from conveyor.gates.policy import Policy, load_policy
from conveyor.gates.storage import open_history
from conveyor.gates.testsuite import read_tests


@click.command(name="flaky")
@click.option(
    "--config",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A TOML file with the gate tables.",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Project (or its .conveyor directory) whose history to read.",
)
@click.option(
    "--days",
    type=click.IntRange(1),
    default=30,
    show_default=True,
    help="How far back to look in the history.",
)
@click.option(
    "--release-after",
    type=click.IntRange(1),
    help="Passes in a row before a quarantined test is suggested for release (default: the policy's, 10).",
)
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
def command(
    *, config: Path | None, store: Path | None, days: int, release_after: int | None, fmt: str
) -> int:
    """List flaky tests with their failure rate and when they were last seen."""
    root = Path.cwd()
    try:
        policy = load_policy(root, config)
        outcomes, source = _outcomes(root, policy, store, days)
    except UserError as exc:
        if fmt != "json":
            raise
        click.echo(json.dumps({"status": "error", "error": str(exc)}, indent=2))
        return exc.exit_code
    quarantine = policy.tests.quarantine if policy.tests else ()
    runs = release_after or (policy.tests.release_after if policy.tests else 10)
    flaky = find_flaky(outcomes, quarantine)
    release = release_candidates(outcomes, quarantine, runs)
    if fmt == "json":
        payload = {"source": source, "flaky": [f.as_json() for f in flaky], "release": release}
        click.echo(json.dumps(payload, indent=2))
    else:
        _print(flaky, release, runs, source)
    return EXIT_OK


def _outcomes(
    root: Path, policy: Policy, store: Path | None, days: int
) -> tuple[list[TestOutcome], str]:
    with open_history(root, store) as history:
        if history is not None:
            since = datetime.now(UTC) - timedelta(days=days)
            return history.test_outcomes(since=since), "history"
    if policy.tests is None:
        raise UsageError(
            "nothing to read: no .conveyor/ store and no [tool.conveyor.gates.tests] reports",
            hint="run `conveyor gate` with a store to build history, or configure the tests gate",
        )
    ctx = Context(root=root, today=datetime.now(UTC).date())
    cases, missing = read_tests(policy.tests, ctx)
    if missing and not cases:
        raise UsageError(f"no JUnit report found at {', '.join(f'`{m}`' for m in missing)}")
    return outcomes_of(cases, commit="(this run)", when=datetime.now(UTC)), "reports"


def _print(flaky: list[FlakyTest], release: list[str], runs: int, source: str) -> None:
    console = render.console()
    if not flaky:
        console.print(f"no flaky tests in the {source}")
    else:
        table = Table(title=f"flaky tests ({source})", title_justify="left")
        for column in ("test", "failure rate", "runs", "last seen", "quarantined"):
            table.add_column(column)
        for f in flaky:
            seen = f.last_seen.strftime("%Y-%m-%d %H:%M") if f.last_seen else "-"
            table.add_row(
                f.id,
                f"{f.failure_rate:.1f}%",
                str(f.attempts),
                seen,
                "yes" if f.quarantined else "",
            )
        console.print(table)
    for test_id in release:
        console.print(
            f"{test_id}: passed its last {runs} runs; consider releasing it from quarantine"
        )
