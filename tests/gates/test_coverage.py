from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conveyor.gates.context import Context
from conveyor.gates.coverage import evaluate
from conveyor.gates.history import GateRecord, MemoryHistory
from conveyor.gates.policy import CoveragePolicy

from .conftest import Sample

TODAY = date(2026, 6, 1)


def _report(files: dict[str, tuple[int, int]]) -> str:
    """Cobertura with `covered` of `statements` lines hit in each file."""
    classes = []
    for name, (statements, covered) in files.items():
        lines = "".join(
            f'<line number="{n}" hits="{1 if n <= covered else 0}"/>'
            for n in range(1, statements + 1)
        )
        classes.append(f'<class filename="{name}"><lines>{lines}</lines></class>')
    return (
        "<coverage><sources><source>.</source></sources><packages><package><classes>"
        + "".join(classes)
        + "</classes></package></packages></coverage>"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "coverage.xml").write_text(
        _report(
            {
                "src/app/config.py": (10, 6),
                "src/app/core/a.py": (10, 9),
                "src/app/core/sub/b.py": (10, 5),
            }
        )
    )
    return tmp_path  # 20 of 30 lines: 66.67 %


def _ctx(root: Path, **kwargs: object) -> Context:
    return Context(root=root, today=TODAY, **kwargs)  # type: ignore[arg-type]


def _policy(**kwargs: object) -> CoveragePolicy:
    return CoveragePolicy(reports=("coverage.xml",), **kwargs)  # type: ignore[arg-type]


def test_real_report_figures(sample: Sample) -> None:
    result = evaluate(CoveragePolicy(reports=("coverage.xml",)), _ctx(sample.root))
    text = sample.coverage_xml.read_text()
    rate = float(text.split('line-rate="')[1].split('"')[0]) * 100
    assert result.status == "pass"
    assert result.figures["line_rate"] == pytest.approx(rate, abs=0.01)


@pytest.mark.parametrize(
    ("fail_under", "warn_under", "status"),
    [
        (60, 80, "warn"),
        (70, 80, "fail"),
        (60, 60, "pass"),
        (None, 66.67, "pass"),
        (None, 66.68, "warn"),
    ],
)
def test_thresholds(
    project: Path, fail_under: float | None, warn_under: float | None, status: str
) -> None:
    result = evaluate(_policy(fail_under=fail_under, warn_under=warn_under), _ctx(project))
    assert result.status == status


def test_exactly_the_threshold_passes(tmp_path: Path) -> None:
    (tmp_path / "coverage.xml").write_text(_report({"a.py": (5, 3)}))  # 60.0 %
    assert evaluate(_policy(fail_under=60), _ctx(tmp_path)).status == "pass"
    failed = evaluate(_policy(fail_under=60.01), _ctx(tmp_path))
    assert failed.status == "fail"
    assert "total coverage 60.00% is under fail_under 60.01%" in failed.reasons


def test_missing_report_fails_naming_the_path(tmp_path: Path) -> None:
    result = evaluate(_policy(), _ctx(tmp_path))
    assert result.status == "fail"
    assert result.reasons == ("missing report: expected a file at `coverage.xml`, none found",)


def test_modules_star_stays_in_a_directory_and_each_file_counts(project: Path) -> None:
    result = evaluate(_policy(modules=(("src/app/core/*", 90.0),)), _ctx(project))
    assert result.status == "pass"  # sub/b.py (50 %) is not matched by `*`
    result = evaluate(_policy(modules=(("src/app/core/**", 90.0),)), _ctx(project))
    assert result.status == "fail"
    assert any(
        "`src/app/core/sub/b.py` coverage 50.00% is under its minimum 90%" in r
        for r in result.reasons
    )


def test_module_pattern_matching_nothing_warns(project: Path) -> None:
    result = evaluate(_policy(modules=(("src/nope.py", 100.0),)), _ctx(project))
    assert result.status == "warn"


def test_patch_coverage_counts_only_measured_changed_lines(project: Path) -> None:
    changed = {"src/app/config.py": frozenset({5, 6, 7, 8, 50}), "README.md": frozenset({1})}
    result = evaluate(_policy(patch_fail_under=80), _ctx(project, changed=changed))
    assert (result.figures["patch_lines"], result.figures["patch_covered"]) == (4, 2)
    assert result.figures["patch_rate"] == 50.0
    assert result.status == "fail"
    assert result.detail["patch_files"] == {"src/app/config.py": [2, 4]}


def test_patch_with_no_measured_line_passes(project: Path) -> None:
    result = evaluate(
        _policy(patch_fail_under=80), _ctx(project, changed={"docs/x.md": frozenset({1})})
    )
    assert result.status == "pass"
    assert result.figures["patch_rate"] is None


def test_patch_warn_under(project: Path) -> None:
    changed = {"src/app/core/a.py": frozenset(range(1, 11))}
    result = evaluate(
        _policy(patch_fail_under=80, patch_warn_under=95), _ctx(project, changed=changed)
    )
    assert (result.status, result.figures["patch_rate"]) == ("warn", 90.0)


def _history(rate: float, files: dict[str, float] | None = None) -> MemoryHistory:
    return MemoryHistory(
        gates=[
            GateRecord(
                gate="coverage",
                status="pass",
                figures={"line_rate": rate},
                commit="abc",
                branch="main",
                recorded_at=datetime(2026, 5, 1, tzinfo=UTC),
                detail=json.dumps({"files": files or {}}),
            )
        ]
    )


@pytest.mark.parametrize(("base", "status"), [(67.67, "pass"), (67.68, "fail"), (60.0, "pass")])
def test_max_drop_against_the_base_branch(project: Path, base: float, status: str) -> None:
    ctx = _ctx(project, history=_history(base), base_branch="main")
    result = evaluate(_policy(max_drop=1.0), ctx)
    assert result.status == status
    assert result.figures["base_line_rate"] == base


def test_max_drop_without_a_base_figure_passes_and_says_so(project: Path) -> None:
    result = evaluate(
        _policy(max_drop=1.0), _ctx(project, history=MemoryHistory(), base_branch="main")
    )
    assert result.status == "pass"
    assert "no base figure for branch `main`" in result.reasons[0]


def test_per_file_figures_are_kept_for_deltas(sample: Sample, tmp_path: Path) -> None:
    shutil.copy(sample.coverage_xml, tmp_path / "coverage.xml")
    result = evaluate(_policy(), _ctx(sample.root))
    files = result.detail["files"]
    assert isinstance(files, dict)
    assert files["src/app/config.py"] == pytest.approx(100 * 5 / 7, abs=0.01)
