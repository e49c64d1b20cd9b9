"""The security gate: bandit, pip-audit and SARIF findings against a budget per severity."""

from __future__ import annotations

import json

from conveyor.gates.context import Context, read_reports
from conveyor.gates.findings import bandit_findings, pip_audit_findings, sarif_findings
from conveyor.gates.model import Finding, GateResult, Status
from conveyor.gates.policy import SEVERITIES, SecurityPolicy
from conveyor.gates.waivers import apply_waivers


def read_findings(policy: SecurityPolicy, ctx: Context) -> tuple[list[Finding], tuple[str, ...]]:
    reports = read_reports(ctx, policy.reports, ("bandit", "pip-audit", "sarif"), "security")
    findings: list[Finding] = []
    for r in reports.found:
        if r.kind == "bandit":
            findings += bandit_findings(r.data, r.name)
        elif r.kind == "pip-audit":
            findings += pip_audit_findings(r.data, r.name, policy.unknown_severity)
        else:
            findings += sarif_findings(r.data, r.name, "security", str(ctx.root.resolve()))
    return findings, reports.missing


def evaluate(policy: SecurityPolicy, ctx: Context) -> GateResult:
    findings, missing = read_findings(policy, ctx)
    return judge(findings, missing, policy, ctx)


def judge(
    findings: list[Finding], missing: tuple[str, ...], policy: SecurityPolicy, ctx: Context
) -> GateResult:
    checks: list[tuple[Status, str]] = [
        ("fail", f"missing report: expected a file at `{p}`, none found") for p in missing
    ]
    waived = apply_waivers(findings, ctx)
    checks += [("fail", reason) for reason in waived.expired]
    counted = list(waived.counted)
    if policy.new_only:
        counted, note = _new_only(counted, ctx)
        checks.append(("pass", note))
    counts = {s: sum(f.severity == s for f in counted) for s in SEVERITIES}
    for severity, limit in policy.max.items():
        if counts[severity] > limit:
            worst_ones = [f for f in counted if f.severity == severity][:10]
            listing = "; ".join(f"{f.rule} at {f.location}" for f in worst_ones)
            checks.append(
                (
                    "fail",
                    f"{counts[severity]} {severity} finding(s), more than max {limit}: {listing}",
                )
            )
    figures: dict[str, float | int | str | None] = {s: counts[s] for s in SEVERITIES}
    figures["total"] = len(counted)
    figures["waived"] = len(waived.listed)
    return GateResult.of(
        name="security",
        checks=checks,
        figures=figures,
        listed=waived.listed,
        detail={"fingerprints": sorted({f.fingerprint for f in findings})},
    )


def _new_only(findings: list[Finding], ctx: Context) -> tuple[list[Finding], str]:
    base = ctx.base_record("security")
    if base is None or not base.detail:
        return findings, "new_only: no base figure, so every finding counts"
    try:
        known = set(json.loads(base.detail).get("fingerprints", []))
    except (ValueError, AttributeError):
        return findings, "new_only: the base record is unreadable, so every finding counts"
    new = [f for f in findings if f.fingerprint not in known]
    return (
        new,
        f"new_only: {len(findings) - len(new)} finding(s) also on `{ctx.base_branch}` not counted",
    )
