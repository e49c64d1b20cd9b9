from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from conveyor.gates.context import Context
from conveyor.gates.history import GateRecord, MemoryHistory
from conveyor.gates.policy import Exemption, SecurityPolicy
from conveyor.gates.security import evaluate, read_findings

from .conftest import Sample
from .test_findings import SARIF

TODAY = date(2026, 6, 1)


@pytest.fixture
def project(sample: Sample, tmp_path: Path) -> Path:
    shutil.copy(sample.bandit_json, tmp_path / "bandit.json")
    shutil.copy(sample.pip_audit_json, tmp_path / "audit.json")
    (tmp_path / "scan.sarif").write_text(json.dumps(SARIF))
    return tmp_path


def _policy(**kwargs: object) -> SecurityPolicy:
    kwargs.setdefault("max", {})
    return SecurityPolicy(reports=("bandit.json", "audit.json", "scan.sarif"), **kwargs)  # type: ignore[arg-type]


def _ctx(root: Path, **kwargs: object) -> Context:
    return Context(root=root, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_counts_by_severity_over_all_three_formats(project: Path) -> None:
    result = evaluate(_policy(), _ctx(project))
    assert result.status == "pass"  # no budget: severities not listed are unlimited
    figures = result.figures
    # bandit: B324 high; pip-audit: 1 (unknown → high); SARIF: critical, medium, low, high
    assert (figures["critical"], figures["high"], figures["medium"]) == (1, 3, 1)
    assert isinstance(figures["low"], int)
    assert figures["low"] >= 3


def test_budget_is_at_most(project: Path) -> None:
    assert evaluate(_policy(max={"critical": 1, "high": 3}), _ctx(project)).status == "pass"
    result = evaluate(_policy(max={"critical": 0, "high": 3}), _ctx(project))
    assert result.status == "fail"
    assert (
        "1 critical finding(s), more than max 0: py/sql-injection at app/db.py:12" in result.reasons
    )


def test_unknown_severity_is_used_for_pip_audit(project: Path) -> None:
    policy = _policy(unknown_severity="medium", max={"high": 2})
    assert evaluate(policy, _ctx(project)).figures["medium"] == 2


def test_waiver_by_rule_and_by_vulnerability_alias(project: Path) -> None:
    waivers = (
        Exemption(id="B324", reason="not for security", owner="sec"),
        Exemption(id="CVE-2019-10906", reason="sandbox unused", expires=TODAY),
        Exemption(id="py/unknown", reason="false positive"),
    )
    result = evaluate(_policy(max={"high": 0}), _ctx(project, waivers=waivers))
    assert result.status == "pass"
    assert result.figures["waived"] == 3
    assert "waived B324 at src/app/core/calc.py:" in result.listed[0]


def test_expired_waiver_fails_naming_it(project: Path) -> None:
    waiver = Exemption(id="B602", reason="constant command", expires=TODAY - timedelta(days=1))
    result = evaluate(_policy(), _ctx(project, waivers=(waiver,)))
    assert result.status == "fail"
    assert (
        "waiver `B602` expired on 2026-05-31 (constant command): renew or remove it"
        in result.reasons
    )


def test_new_only_counts_findings_the_base_did_not_have(project: Path) -> None:
    policy = _policy(max={"critical": 0, "high": 0}, new_only=True)
    findings, _ = read_findings(policy, _ctx(project))
    known = [f.fingerprint for f in findings if f.rule != "py/sql-injection"]
    history = MemoryHistory(
        gates=[
            GateRecord(
                gate="security", status="pass", figures={}, commit="a", branch="main",
                recorded_at=datetime(2026, 5, 1, tzinfo=UTC), detail=json.dumps({"fingerprints": known}),
            )
        ]
    )  # fmt: skip
    result = evaluate(policy, _ctx(project, history=history, base_branch="main"))
    assert result.status == "fail"
    assert result.figures["critical"] == 1
    assert result.figures["high"] == 0


def test_new_only_without_a_base_counts_everything(project: Path) -> None:
    result = evaluate(
        _policy(new_only=True), _ctx(project, history=MemoryHistory(), base_branch="main")
    )
    assert "new_only: no base figure, so every finding counts" in result.reasons


def test_missing_report_fails(project: Path) -> None:
    (project / "audit.json").unlink()
    result = evaluate(_policy(), _ctx(project))
    assert result.status == "fail"
    assert "missing report: expected a file at `audit.json`, none found" in result.reasons
