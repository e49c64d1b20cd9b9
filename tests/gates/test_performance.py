from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conveyor.gates.context import Context
from conveyor.gates.history import GateRecord, MemoryHistory
from conveyor.gates.performance import evaluate
from conveyor.gates.policy import PerformancePolicy

from .conftest import Sample

TODAY = date(2026, 6, 1)


def _variant(
    source: Path, target: Path, factor: float, *, samples: bool = True, noise: float = 0.0
) -> None:
    """The real pytest-benchmark report with every timing scaled by `factor`."""
    data = json.loads(source.read_text())
    rng = random.Random(7)
    for bench in data["benchmarks"]:
        stats = bench["stats"]
        raw = [x * factor * (1 + rng.uniform(-noise, noise)) for x in stats["data"]]
        stats["mean"] = sum(raw) / len(raw)
        if samples:
            stats["data"] = raw
        else:
            del stats["data"]
    target.write_text(json.dumps(data))


def _policy(**kwargs: object) -> PerformancePolicy:
    kwargs.setdefault("baseline", "baseline.json")
    return PerformancePolicy(reports=("current.json",), **kwargs)  # type: ignore[arg-type]


def _ctx(root: Path, **kwargs: object) -> Context:
    return Context(root=root, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_same_run_against_itself_passes(sample: Sample, tmp_path: Path) -> None:
    _variant(sample.bench_json, tmp_path / "baseline.json", 1.0)
    _variant(sample.bench_json, tmp_path / "current.json", 1.0)
    result = evaluate(_policy(), _ctx(tmp_path))
    assert result.status == "pass"
    assert result.figures["compared"] == 1
    assert result.figures["worst_change_pct"] == 0.0


def test_significant_regression_on_raw_samples_fails(sample: Sample, tmp_path: Path) -> None:
    _variant(sample.bench_json, tmp_path / "baseline.json", 1.0, noise=0.01)
    _variant(sample.bench_json, tmp_path / "current.json", 1.5, noise=0.01)
    result = evaluate(_policy(max_regression=0.10), _ctx(tmp_path))
    assert result.status == "fail"
    assert result.reasons[0].startswith("regression: bench/test_bench.py::test_sum: mean")
    assert "Mann-Whitney U p=" in result.reasons[0]


def test_mean_over_the_limit_without_samples_fails(sample: Sample, tmp_path: Path) -> None:
    _variant(sample.bench_json, tmp_path / "baseline.json", 1.0, samples=False)
    _variant(sample.bench_json, tmp_path / "current.json", 1.2, samples=False)
    assert evaluate(_policy(max_regression=0.10), _ctx(tmp_path)).status == "fail"
    assert evaluate(_policy(max_regression=0.25), _ctx(tmp_path)).status == "pass"


def _bench_file(path: Path, samples: list[float]) -> None:
    stats = {"mean": sum(samples) / len(samples), "data": samples}
    path.write_text(
        json.dumps({"benchmarks": [{"name": "test_x", "fullname": "t.py::test_x", "stats": stats}]})
    )


def test_noisy_mean_shift_is_inconclusive_not_a_failure(tmp_path: Path) -> None:
    # one outlier lifts the mean 30 %, but the samples are otherwise the same
    _bench_file(tmp_path / "baseline.json", [1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.02, 0.98])
    _bench_file(tmp_path / "current.json", [1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.02, 3.38])
    result = evaluate(_policy(), _ctx(tmp_path))
    assert result.status == "warn"
    assert result.figures["inconclusive"] == 1
    assert result.reasons[0].startswith("inconclusive: t.py::test_x")


def test_missing_baseline_file_fails_naming_it(sample: Sample, tmp_path: Path) -> None:
    _variant(sample.bench_json, tmp_path / "current.json", 1.0)
    result = evaluate(_policy(), _ctx(tmp_path))
    assert result.status == "fail"
    assert result.reasons == ("missing baseline: expected a file at `baseline.json`, none found",)


def test_branch_baseline_comes_from_history(tmp_path: Path) -> None:
    _bench_file(tmp_path / "current.json", [2.0] * 3)
    detail = json.dumps({"benchmarks": {"t.py::test_x": {"mean": 1.0, "samples": []}}})
    history = MemoryHistory(
        gates=[
            GateRecord(gate="performance", status="pass", figures={}, commit="a", branch="main",
                       recorded_at=datetime(2026, 5, 1, tzinfo=UTC), detail=detail)
        ]
    )  # fmt: skip
    result = evaluate(_policy(baseline="branch:main"), _ctx(tmp_path, history=history))
    assert result.status == "fail"
    assert result.figures["worst_change_pct"] == 100.0


def test_branch_baseline_without_history_passes_and_says_so(tmp_path: Path) -> None:
    _bench_file(tmp_path / "current.json", [2.0] * 3)
    result = evaluate(_policy(baseline="branch:main"), _ctx(tmp_path))
    assert result.status == "pass"
    assert result.reasons == ("no base figure: no stored run of branch `main`",)


@pytest.mark.parametrize("stats", [{}, {"mean": "fast"}])
def test_benchmark_without_a_mean_is_a_report_error(
    tmp_path: Path, stats: dict[str, object]
) -> None:
    from conveyor.errors import ReportError

    (tmp_path / "current.json").write_text(
        json.dumps({"benchmarks": [{"name": "x", "stats": stats}]})
    )
    with pytest.raises(ReportError, match=r"stats\.mean"):
        evaluate(_policy(baseline=None), _ctx(tmp_path))


def test_min_samples_and_significance_decide_when_the_test_applies(tmp_path: Path) -> None:
    _bench_file(tmp_path / "baseline.json", [1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.02, 0.98])
    _bench_file(tmp_path / "current.json", [1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.02, 3.38])
    too_few = evaluate(_policy(min_samples=9), _ctx(tmp_path))  # 8 samples: the mean decides
    assert (too_few.status, too_few.figures["regressed"]) == ("fail", 1)
    lenient = evaluate(_policy(significance=0.5), _ctx(tmp_path))  # p ≈ 0.36 now counts as real
    assert (lenient.status, lenient.figures["regressed"]) == ("fail", 1)
