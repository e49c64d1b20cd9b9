"""The tests gate: pass rate of non-skipped tests, a minimum count, quarantine, flakiness."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from conveyor.gates.context import Context, exemption_for, expired_reason, read_reports
from conveyor.gates.flaky import outcomes_of, release_candidates
from conveyor.gates.history import GateHistory
from conveyor.gates.junit import TestCase, merge_cases, parse_junit
from conveyor.gates.model import GateResult, Status
from conveyor.gates.policy import Exemption, TestsPolicy

_FAILED = ("failed", "error")


def read_tests(policy: TestsPolicy, ctx: Context) -> tuple[list[TestCase], tuple[str, ...]]:
    """Every test in the gate's reports (one per id, reruns as attempts) and missing patterns."""
    reports = read_reports(ctx, policy.reports, ("junit",), "tests")
    cases = [c for r in reports.found for c in parse_junit(r.path, r.name, ctx.root)]
    return merge_cases(cases), reports.missing


def judge(
    cases: Sequence[TestCase], missing: Sequence[str], policy: TestsPolicy, ctx: Context
) -> GateResult:
    checks: list[tuple[Status, str]] = [
        ("fail", f"missing report: expected a file at `{p}`, none found") for p in missing
    ]
    checks += [
        ("fail", expired_reason(q, "quarantine of"))
        for q in policy.quarantine
        if q.expired(ctx.today)
    ]
    listed: list[str] = []
    entries = (*policy.quarantine, *ctx.waivers)
    ran = [c for c in cases if c.outcome != "skipped"]
    judged: list[TestCase] = []
    for case in ran:
        live, expired = exemption_for(
            (case.id, case.alt_id, case.id.partition("[")[0]), entries, ctx.today
        )
        if expired is not None and live is None and expired in ctx.waivers:
            checks.append(("fail", expired_reason(expired, "waiver")))
        if live is None:
            judged.append(case)
            continue
        note = f"quarantined {case.id}: {case.outcome}"
        listed.append(f"{note} — {live.reason}" + (f" ({live.owner})" if live.owner else ""))
        if _release_due(case, live, policy.release_after, ctx.history):
            listed.append(
                f"{case.id} passed {policy.release_after} runs in a row: consider releasing it from quarantine"
            )
    failed = [c for c in judged if c.outcome in _FAILED]
    flaky = [c for c in cases if c.flaky]
    rate = round(100.0 * (len(judged) - len(failed)) / len(judged), 2) if judged else 100.0
    too_low = policy.min_pass_rate is not None and rate < policy.min_pass_rate
    # within the allowed pass rate a failure is a warning; otherwise each one fails
    level: Status = "fail" if too_low or policy.min_pass_rate is None else "warn"
    checks += [
        (level, f"{c.id} {c.outcome}" + (f": {c.message}" if c.message else ""))
        for c in failed[:20]
    ]
    if len(failed) > 20:
        checks.append((level, f"… and {len(failed) - 20} more failed tests"))
    if too_low:
        checks.append(
            ("fail", f"pass rate {rate:.2f}% is under min_pass_rate {policy.min_pass_rate:g}%")
        )
    if policy.min_tests is not None and len(ran) < policy.min_tests:
        checks.append(("fail", f"{len(ran)} test(s) ran, fewer than min_tests {policy.min_tests}"))
    checks += [("warn", f"flaky: {c.id} both passed and failed ({_attempts(c)})") for c in flaky]
    checks += [
        ("pass", f"quarantine entry `{q.id}` matches no test in the reports")
        for q in policy.quarantine
        if not any(c.known_as(q.id) for c in cases)
    ]
    return GateResult.of(
        name="tests",
        checks=checks,
        figures={
            "tests": len(cases),
            "ran": len(ran),
            "passed": sum(c.outcome == "passed" for c in ran),
            "failed": sum(c.outcome in _FAILED for c in ran),
            "skipped": len(cases) - len(ran),
            "quarantined": len(ran) - len(judged),
            "flaky": len(flaky),
            "pass_rate": rate,
        },
        listed=tuple(listed),
    )


def _attempts(case: TestCase) -> str:
    return ", ".join(case.attempts)


def _release_due(case: TestCase, entry: Exemption, runs: int, history: GateHistory | None) -> bool:
    """Whether the quarantined test passed its last `runs` runs, this one included."""
    past = history.test_outcomes(test_id=case.id) if history is not None else []
    now = outcomes_of([case], commit="(this run)", when=datetime.now(UTC))
    as_node_id = Exemption(id=case.id, reason=entry.reason)  # the entry may use classname::name
    return bool(release_candidates([*past, *now], [as_node_id], runs))
