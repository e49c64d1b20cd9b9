"""The lint gate: ruff JSON or SARIF; errors against `max_errors`, warnings only counted."""

from __future__ import annotations

from conveyor.gates.context import Context, read_reports
from conveyor.gates.findings import ruff_findings, sarif_findings
from conveyor.gates.model import Finding, GateResult, Status
from conveyor.gates.policy import LintPolicy
from conveyor.gates.waivers import apply_waivers


def evaluate(policy: LintPolicy, ctx: Context) -> GateResult:
    reports = read_reports(ctx, policy.reports, ("ruff", "sarif"), "lint")
    findings: list[Finding] = []
    for r in reports.found:
        if r.kind == "ruff":
            findings += ruff_findings(r.data, r.name, str(ctx.root.resolve()))
        else:
            findings += sarif_findings(r.data, r.name, "lint", str(ctx.root.resolve()))
    return judge(findings, reports.missing, policy, ctx)


def judge(
    findings: list[Finding], missing: tuple[str, ...], policy: LintPolicy, ctx: Context
) -> GateResult:
    checks: list[tuple[Status, str]] = [
        ("fail", f"missing report: expected a file at `{p}`, none found") for p in missing
    ]
    waived = apply_waivers(findings, ctx)
    checks += [("fail", reason) for reason in waived.expired]
    errors = [f for f in waived.counted if f.severity == "error"]
    warnings = len(waived.counted) - len(errors)
    if policy.max_errors is not None and len(errors) > policy.max_errors:
        listing = "; ".join(f"{f.rule} at {f.location}" for f in errors[:10])
        checks.append(
            (
                "fail",
                f"{len(errors)} lint error(s), more than max_errors {policy.max_errors}: {listing}",
            )
        )
    if policy.max_warnings is not None and warnings > policy.max_warnings:
        checks.append(
            ("warn", f"{warnings} lint warning(s), more than max_warnings {policy.max_warnings}")
        )
    rules: dict[str, int] = {}
    for f in waived.counted:
        rules[f.rule] = rules.get(f.rule, 0) + 1
    return GateResult.of(
        name="lint",
        checks=checks,
        figures={"errors": len(errors), "warnings": warnings, "waived": len(waived.listed)},
        listed=waived.listed,
        detail={"rules": dict(sorted(rules.items()))},
    )
