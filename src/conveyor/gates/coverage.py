"""The coverage gate: total, patch, per-module minimums and the drop against the base."""

from __future__ import annotations

import json
from collections.abc import Mapping

from wcmatch import glob as wglob

from conveyor.gates.cobertura import MISSED, Coverage, merge, parse_cobertura
from conveyor.gates.context import Context, read_reports
from conveyor.gates.model import GateResult, Status
from conveyor.gates.policy import CoveragePolicy

_GLOB = wglob.GLOBSTAR | wglob.DOTGLOB


def evaluate(policy: CoveragePolicy, ctx: Context) -> GateResult:
    reports = read_reports(ctx, policy.reports, ("cobertura",), "coverage")
    if reports.missing:
        return GateResult(name="coverage", status="fail", reasons=tuple(reports.reasons()))
    data = merge(parse_cobertura(r.path, r.name, ctx.root) for r in reports.found)
    return judge(data, policy, ctx)


def judge(data: Coverage, policy: CoveragePolicy, ctx: Context) -> GateResult:
    totals = data.totals()
    percent = round(totals.percent, 2)
    checks: list[tuple[Status, str]] = []
    figures: dict[str, float | int | str | None] = {
        "line_rate": percent,
        "lines_valid": totals.statements,
        "lines_covered": totals.covered,
        "files": len(data.lines),
    }
    checks += _threshold("total coverage", percent, policy.fail_under, policy.warn_under)
    patch_files: dict[str, list[int]] = {}
    checks += _patch(data, policy, ctx, figures, patch_files)
    checks += _drop(percent, policy, ctx, figures)
    checks += _modules(data, policy)
    detail: dict[str, object] = {"files": {f.path: round(f.percent, 2) for f in data.files()}}
    if patch_files:
        detail["patch_files"] = patch_files  # path -> [covered, measured] changed lines
    return GateResult.of(name="coverage", checks=checks, figures=figures, detail=detail)


def _threshold(
    what: str, value: float, fail: float | None, warn: float | None
) -> list[tuple[Status, str]]:
    if fail is not None and value < fail:
        return [("fail", f"{what} {value:.2f}% is under fail_under {fail:g}%")]
    if warn is not None and value < warn:
        return [("warn", f"{what} {value:.2f}% is under warn_under {warn:g}%")]
    return []


def _patch(
    data: Coverage,
    policy: CoveragePolicy,
    ctx: Context,
    figures: dict[str, float | int | str | None],
    per_file: dict[str, list[int]],
) -> list[tuple[Status, str]]:
    if ctx.changed is None:
        if policy.patch_fail_under is not None or policy.patch_warn_under is not None:
            return [("pass", "patch coverage not checked: no --base given")]
        return []
    measured = covered = 0
    for path, numbers in ctx.changed.items():
        states = data.lines.get(path)
        if states is None:
            continue
        states_of = [states[n] if n < len(states) else 0 for n in numbers]
        file_measured = sum(state >= MISSED for state in states_of)
        file_covered = sum(state > MISSED for state in states_of)
        if file_measured:
            per_file[path] = [file_covered, file_measured]
        measured += file_measured
        covered += file_covered
    figures["patch_lines"] = measured
    figures["patch_covered"] = covered
    if not measured:
        figures["patch_rate"] = None
        return [("pass", "patch coverage: no measured line changed")]
    rate = round(100.0 * covered / measured, 2)
    figures["patch_rate"] = rate
    if policy.patch_fail_under is not None and rate < policy.patch_fail_under:
        return [
            (
                "fail",
                f"patch coverage {rate:.2f}% ({covered}/{measured} changed lines) is under patch_fail_under {policy.patch_fail_under:g}%",
            )
        ]
    if policy.patch_warn_under is not None and rate < policy.patch_warn_under:
        return [
            (
                "warn",
                f"patch coverage {rate:.2f}% ({covered}/{measured} changed lines) is under patch_warn_under {policy.patch_warn_under:g}%",
            )
        ]
    return []


def _drop(
    percent: float,
    policy: CoveragePolicy,
    ctx: Context,
    figures: dict[str, float | int | str | None],
) -> list[tuple[Status, str]]:
    base = ctx.base_record("coverage")
    base_rate = base.figures.get("line_rate") if base else None
    if not isinstance(base_rate, int | float):
        if policy.max_drop is not None:
            where = f"branch `{ctx.base_branch}`" if ctx.base_branch else "a base branch (--base)"
            return [("pass", f"max_drop not checked: no base figure for {where}")]
        return []
    drop = round(float(base_rate) - percent, 2)
    figures["base_line_rate"] = float(base_rate)
    figures["drop"] = drop
    if policy.max_drop is not None and drop > policy.max_drop:
        return [
            (
                "fail",
                f"coverage dropped {drop:.2f} points against `{ctx.base_branch}` ({base_rate:.2f}% → {percent:.2f}%), more than max_drop {policy.max_drop:g}",
            )
        ]
    return []


def _modules(data: Coverage, policy: CoveragePolicy) -> list[tuple[Status, str]]:
    checks: list[tuple[Status, str]] = []
    for pattern, minimum in policy.modules:
        matched = [p for p in sorted(data.lines) if wglob.globmatch(p, pattern, flags=_GLOB)]
        if not matched:
            checks.append(("warn", f"modules `{pattern}` matches no file in the coverage report"))
        for path in matched:
            file = data.file(path)
            if file.percent < minimum:
                checks.append(
                    (
                        "fail",
                        f"`{path}` coverage {file.percent:.2f}% is under its minimum {minimum:g}% (modules `{pattern}`)",
                    )
                )
    return checks


def file_deltas(detail: Mapping[str, object], base_detail: str | None) -> dict[str, float]:
    """Per-file ± against the base record's per-file figures (files in both)."""
    if not base_detail:
        return {}
    try:
        base_files = json.loads(base_detail).get("files", {})
    except (ValueError, AttributeError):
        return {}
    mine = detail.get("files", {})
    assert isinstance(mine, Mapping)
    return {
        path: round(float(mine[path]) - float(base_files[path]), 2)
        for path in mine
        if path in base_files and mine[path] != base_files[path]
    }
