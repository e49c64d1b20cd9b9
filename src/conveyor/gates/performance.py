"""The performance gate: pytest-benchmark means against a baseline file or branch.

A mean that regressed by more than `max_regression` fails — unless raw samples are
present on both sides, in which case the regression must also be significant under a
one-sided Mann-Whitney U test; if it is not, the result is "inconclusive" (a warning),
so noise does not fail builds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conveyor.errors import ReportError
from conveyor.gates.context import Context, read_reports
from conveyor.gates.files import detect, expect, shown
from conveyor.gates.model import GateResult, Status
from conveyor.gates.policy import PerformancePolicy
from conveyor.gates.stats import mann_whitney_greater

_KEPT_SAMPLES = 200  # raw samples kept in history per benchmark


@dataclass(frozen=True, slots=True, kw_only=True)
class Bench:
    name: str
    mean: float
    samples: tuple[float, ...] = ()


def benchmarks(data: object, name: str) -> dict[str, Bench]:
    items = data.get("benchmarks") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        raise ReportError("`benchmarks` must be a list", file=name)
    result = {}
    for item in items:
        stats = item.get("stats") if isinstance(item, Mapping) else None
        mean = stats.get("mean") if isinstance(stats, Mapping) else None
        if not isinstance(mean, int | float) or isinstance(mean, bool):
            raise ReportError("a benchmark has no numeric `stats.mean`", file=name)
        key = str(item.get("fullname") or item.get("name"))
        raw = stats.get("data") if isinstance(stats, Mapping) else None
        samples = (
            tuple(float(x) for x in raw if isinstance(x, int | float))
            if isinstance(raw, list)
            else ()
        )
        result[key] = Bench(name=key, mean=float(mean), samples=samples)
    return result


def evaluate(policy: PerformancePolicy, ctx: Context) -> GateResult:
    reports = read_reports(ctx, policy.reports, ("pytest-benchmark",), "performance")
    if reports.missing:
        return GateResult(name="performance", status="fail", reasons=tuple(reports.reasons()))
    current: dict[str, Bench] = {}
    for r in reports.found:
        current.update(benchmarks(r.data, r.name))
    baseline, note = _baseline(policy, ctx)
    return judge(current, baseline, note, policy)


def _baseline(
    policy: PerformancePolicy, ctx: Context
) -> tuple[dict[str, Bench] | None, tuple[Status, str] | None]:
    if policy.baseline is None:
        return None, ("pass", "no baseline configured: figures only")
    if policy.baseline.startswith("branch:"):
        branch = policy.baseline[7:].strip()
        record = ctx.history.last_gate(gate="performance", branch=branch) if ctx.history else None
        if record is None or not record.detail:
            return None, ("pass", f"no base figure: no stored run of branch `{branch}`")
        stored = json.loads(record.detail).get("benchmarks", {})
        return {
            k: Bench(name=k, mean=v["mean"], samples=tuple(v.get("samples", ())))
            for k, v in stored.items()
        }, None
    path = Path(policy.baseline)
    path = path if path.is_absolute() else ctx.root / path
    name = shown(path, ctx.root)
    if not path.is_file():
        return None, (
            "fail",
            f"missing baseline: expected a file at `{policy.baseline}`, none found",
        )
    kind, data = detect(path, name)
    expect(kind, ("pytest-benchmark",), name, "performance")
    return benchmarks(data, name), None


def judge(
    current: Mapping[str, Bench],
    baseline: Mapping[str, Bench] | None,
    note: tuple[Status, str] | None,
    policy: PerformancePolicy,
) -> GateResult:
    checks: list[tuple[Status, str]] = [note] if note else []
    regressed = inconclusive = 0
    changes: dict[str, float] = {}
    for name in sorted(current):
        base = baseline.get(name) if baseline else None
        if base is None or base.mean <= 0:
            continue
        bench = current[name]
        change = bench.mean / base.mean - 1
        changes[name] = round(100 * change, 2)
        if change <= policy.max_regression:
            continue
        what = f"{name}: mean {_t(base.mean)} → {_t(bench.mean)} (+{100 * change:.1f}%, limit {100 * policy.max_regression:g}%)"
        if min(len(bench.samples), len(base.samples)) >= policy.min_samples:
            p = mann_whitney_greater(bench.samples, base.samples)
            if p >= policy.significance:
                inconclusive += 1
                checks.append(
                    (
                        "warn",
                        f"inconclusive: {what}; Mann-Whitney U p={p:.3f} ≥ {policy.significance:g}, could be noise",
                    )
                )
                continue
            what += f"; Mann-Whitney U p={p:.3g}"
        regressed += 1
        checks.append(("fail", f"regression: {what}"))
    if baseline is not None:
        checks += [
            ("pass", f"new benchmark (no baseline): {n}")
            for n in sorted(set(current) - set(baseline))
        ]
    return GateResult.of(
        name="performance",
        checks=checks,
        figures={
            "benchmarks": len(current),
            "compared": len(changes),
            "regressed": regressed,
            "inconclusive": inconclusive,
            "worst_change_pct": max(changes.values(), default=None),
        },
        detail={
            "benchmarks": {
                k: {"mean": b.mean, "samples": list(b.samples[:_KEPT_SAMPLES])}
                for k, b in sorted(current.items())
            },
            "changes": changes,
        },
    )


def _t(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"
