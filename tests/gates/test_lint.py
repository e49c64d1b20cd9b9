from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from conveyor.errors import ReportError
from conveyor.gates.context import Context
from conveyor.gates.lint import evaluate
from conveyor.gates.policy import Exemption, LintPolicy

from .conftest import Sample

TODAY = date(2026, 6, 1)


def _ctx(root: Path, **kwargs: object) -> Context:
    return Context(root=root, today=TODAY, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("report", ["ruff_json", "ruff_sarif"])
def test_real_ruff_reports_against_max_errors(sample: Sample, report: str) -> None:
    name = getattr(sample, report).name
    result = evaluate(LintPolicy(reports=(name,), max_errors=0), _ctx(sample.root))
    assert result.status == "fail"
    assert result.figures["errors"] == 1
    assert "1 lint error(s), more than max_errors 0: F401 at src/app/config.py:1" in result.reasons
    assert evaluate(LintPolicy(reports=(name,), max_errors=1), _ctx(sample.root)).status == "pass"


def test_sarif_warnings_are_counted_never_fail(tmp_path: Path) -> None:
    sarif = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"ruleId": "W1", "level": "warning", "message": {"text": "w"}},
        {"ruleId": "N1", "level": "note", "message": {"text": "n"}},
    ]}]}  # fmt: skip
    (tmp_path / "lint.sarif").write_text(json.dumps(sarif))
    result = evaluate(LintPolicy(reports=("lint.sarif",), max_errors=0), _ctx(tmp_path))
    assert (result.status, result.figures["warnings"], result.figures["errors"]) == ("pass", 2, 0)
    warned = evaluate(LintPolicy(reports=("lint.sarif",), max_warnings=1), _ctx(tmp_path))
    assert warned.status == "warn"


def test_waived_rule_is_listed(sample: Sample) -> None:
    waiver = Exemption(id="F401", reason="re-export")
    result = evaluate(
        LintPolicy(reports=("ruff.json",), max_errors=0), _ctx(sample.root, waivers=(waiver,))
    )
    assert result.status == "pass"
    assert result.listed
    assert "re-export" in result.listed[0]


def test_expired_waiver_fails(sample: Sample) -> None:
    waiver = Exemption(id="F401", reason="re-export", expires=TODAY - timedelta(days=1))
    result = evaluate(LintPolicy(reports=("ruff.json",)), _ctx(sample.root, waivers=(waiver,)))
    assert result.status == "fail"


def test_a_coverage_report_in_the_lint_gate_is_refused(sample: Sample, tmp_path: Path) -> None:
    shutil.copy(sample.coverage_xml, tmp_path / "ruff.json")
    with pytest.raises(
        ReportError, match="is Cobertura XML, but the lint gate reads ruff JSON, SARIF"
    ):
        evaluate(LintPolicy(reports=("ruff.json",)), _ctx(tmp_path))
