from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from conveyor.gates.context import Context
from conveyor.gates.engine import Outcome, record, run_gates
from conveyor.gates.git import Revision
from conveyor.gates.history import MemoryHistory
from conveyor.gates.policy import parse_policy

TODAY = date(2026, 6, 1)


def _coverage(root: Path, hit: int) -> None:
    lines = "".join(f'<line number="{n}" hits="{int(n <= hit)}"/>' for n in range(1, 11))
    (root / "coverage.xml").write_text(
        f'<coverage><packages><package><classes><class filename="a.py"><lines>{lines}</lines></class>'
        f'<class filename="b.py"><lines><line number="1" hits="1"/></lines></class></classes></package></packages></coverage>'
    )


def test_only_configured_gates_run_in_a_fixed_order(tmp_path: Path) -> None:
    _coverage(tmp_path, 5)
    (tmp_path / "ruff.json").write_text("[]")
    policy = parse_policy(
        {"lint": {"reports": ["ruff.json"]}, "coverage": {"reports": ["coverage.xml"]}}, file="p"
    )
    outcome = run_gates(policy, Context(root=tmp_path, today=TODAY))
    assert [g.name for g in outcome.report.gates] == ["coverage", "lint"]
    assert outcome.report.status == "pass"


def test_deltas_against_the_base_branch_and_recording(tmp_path: Path) -> None:
    policy = parse_policy({"coverage": {"reports": ["coverage.xml"], "max_drop": 5}}, file="p")
    history = MemoryHistory()
    _coverage(tmp_path, 8)
    main = run_gates(policy, Context(root=tmp_path, today=TODAY, history=history))
    record(
        history, main, Revision(commit="c1", branch="main"), now=datetime(2026, 5, 1, tzinfo=UTC)
    )
    assert history.gates[0].figures["line_rate"] == round(900 / 11, 2)
    assert json.loads(history.gates[0].detail or "")["files"]["a.py"] == 80.0

    _coverage(tmp_path, 6)
    ctx = Context(root=tmp_path, today=TODAY, history=history, base_branch="main")
    report = run_gates(policy, ctx, base="main").report
    assert report.deltas["coverage"]["line_rate"] == round(700 / 11 - 900 / 11, 2)
    assert report.file_deltas == {"a.py": -20.0}
    assert report.status == "fail"  # dropped 18 points, more than 5


def test_expired_waiver_matching_nothing_fails_a_waivers_entry(tmp_path: Path) -> None:
    (tmp_path / "ruff.json").write_text("[]")
    table = {
        "lint": {"reports": ["ruff.json"]},
        "waivers": [{"id": "E501", "reason": "long urls", "expires": TODAY - timedelta(days=1)}],
    }
    report = run_gates(parse_policy(table, file="p"), Context(root=tmp_path, today=TODAY)).report
    assert [(g.name, g.status) for g in report.gates] == [("lint", "pass"), ("waivers", "fail")]
    assert "waiver `E501` expired on 2026-05-31" in report.gates[1].reasons[0]
    history = MemoryHistory()
    record(history, Outcome(report=report), Revision(commit="c", branch="main"))
    assert [g.gate for g in history.gates] == ["lint"]


def test_test_outcomes_are_recorded_per_attempt(tmp_path: Path) -> None:
    (tmp_path / "j.xml").write_text(
        '<testsuite><testcase classname="tests.test_a" name="test_x"><flakyFailure/></testcase></testsuite>'
    )
    policy = parse_policy({"tests": {"reports": ["j.xml"]}}, file="p")
    history = MemoryHistory()
    outcome = run_gates(policy, Context(root=tmp_path, today=TODAY))
    record(history, outcome, Revision(commit="c1", branch="feature"))
    assert [(t.test_id, t.outcome, t.attempt) for t in history.tests] == [
        ("tests/test_a.py::test_x", "failed", 1),
        ("tests/test_a.py::test_x", "passed", 2),
    ]
    assert {g.gate for g in history.gates} == {"tests"}
