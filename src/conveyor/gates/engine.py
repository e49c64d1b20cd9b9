"""Run every configured gate and return one `GateReport`; keep figures in history.

The pipeline: policy → each gate reads its reports and judges them → deltas against the
base branch's last stored figures → (with a store) records for this commit and branch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from conveyor.gates import coverage, lint, performance, security, testsuite
from conveyor.gates.context import Context, expired_reason
from conveyor.gates.git import Revision
from conveyor.gates.history import GateHistory, GateRecord, TestOutcome
from conveyor.gates.junit import TestCase
from conveyor.gates.model import GateReport, GateResult
from conveyor.gates.policy import GATES, Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    report: GateReport
    tests: tuple[TestCase, ...] = ()


def run_gates(policy: Policy, ctx: Context, *, base: str | None = None) -> Outcome:
    results: list[GateResult] = []
    cases: list[TestCase] = []
    if policy.coverage:
        results.append(coverage.evaluate(policy.coverage, ctx))
    if policy.tests:
        cases, missing = testsuite.read_tests(policy.tests, ctx)
        results.append(testsuite.judge(cases, missing, policy.tests, ctx))
    if policy.security:
        results.append(security.evaluate(policy.security, ctx))
    if policy.performance:
        results.append(performance.evaluate(policy.performance, ctx))
    if policy.lint:
        results.append(lint.evaluate(policy.lint, ctx))
    stale = _unmatched_expired_waivers(policy, ctx, results)
    if stale is not None:
        results.append(stale)
    deltas, file_deltas = _deltas(results, ctx)
    report = GateReport(
        gates=tuple(results),
        base=base,
        base_branch=ctx.base_branch,
        deltas=deltas,
        file_deltas=file_deltas,
    )
    return Outcome(report=report, tests=tuple(cases))


def _unmatched_expired_waivers(
    policy: Policy, ctx: Context, results: Sequence[GateResult]
) -> GateResult | None:
    said = {r for g in results for r in g.reasons}
    reasons = [
        expired_reason(w, "waiver") + " (it matches nothing in this run)"
        for w in policy.waivers
        if w.expired(ctx.today) and expired_reason(w, "waiver") not in said
    ]
    return GateResult(name="waivers", status="fail", reasons=tuple(reasons)) if reasons else None


def _deltas(
    results: Sequence[GateResult], ctx: Context
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    deltas: dict[str, dict[str, float]] = {}
    file_deltas: dict[str, float] = {}
    for result in results:
        base = ctx.base_record(result.name)
        if base is None:
            continue
        deltas[result.name] = {
            key: round(float(value) - float(old), 4)
            for key, value in result.figures.items()
            if isinstance(value, int | float)
            and isinstance(old := base.figures.get(key), int | float)
            and not isinstance(value, bool)
        }
        if result.name == "coverage":
            file_deltas = coverage.file_deltas(result.detail, base.detail)
    return deltas, file_deltas


def record(
    history: GateHistory,
    outcome: Outcome,
    rev: Revision,
    *,
    now: datetime | None = None,
    run_id: int | None = None,
) -> None:
    """Keep this run's figures and test outcomes for `rev` (commit and branch)."""
    when = now or datetime.now(UTC)
    history.record_gates(
        [
            GateRecord(
                gate=g.name,
                status=g.status,
                figures={k: v for k, v in g.figures.items() if v is not None},
                commit=rev.commit,
                branch=rev.branch,
                recorded_at=when,
                run_id=run_id,
                detail=json.dumps(g.detail, sort_keys=True) if g.detail else None,
            )
            for g in outcome.report.gates
            if g.name in GATES  # not the `waivers` entry: it has no figures to follow
        ]
    )
    history.record_tests(
        [
            TestOutcome(
                test_id=case.id,
                outcome=attempt,
                commit=rev.commit,
                branch=rev.branch,
                recorded_at=when,
                run_id=run_id,
                attempt=number,
                duration=case.duration if number == len(case.attempts) else None,
            )
            for case in outcome.tests
            for number, attempt in enumerate(case.attempts, start=1)
        ]
    )
