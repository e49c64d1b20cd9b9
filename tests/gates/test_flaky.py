from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conveyor.gates.flaky import find_flaky, release_candidates
from conveyor.gates.history import Outcome, TestOutcome
from conveyor.gates.policy import Exemption

START = datetime(2026, 5, 1, tzinfo=UTC)


def _o(test: str, outcome: Outcome, commit: str, hour: int, run: int | None = None) -> TestOutcome:
    return TestOutcome(
        test_id=test, outcome=outcome, commit=commit, branch="main",
        recorded_at=START + timedelta(hours=hour), run_id=run,
    )  # fmt: skip


def test_passed_and_failed_on_the_same_commit_across_runs_is_flaky() -> None:
    outcomes = [
        _o("t::a", "passed", "c1", 1),
        _o("t::a", "failed", "c1", 2),
        _o("t::a", "passed", "c2", 3),
        _o("t::a", "passed", "c2", 4),
        _o("t::b", "failed", "c1", 1),  # failing on one commit, fixed on the next: not flaky
        _o("t::b", "passed", "c2", 3),
        _o("t::c", "skipped", "c1", 1),
    ]
    [flaky] = find_flaky(outcomes)
    assert flaky.id == "t::a"
    assert flaky.failure_rate == 25.0
    assert flaky.last_seen == START + timedelta(hours=2)
    assert flaky.flaky_commits == 1


def test_most_failing_first_and_quarantine_marked() -> None:
    outcomes = [
        _o("t::x", "passed", "c1", 1), _o("t::x", "error", "c1", 1),
        _o("t::y[1]", "passed", "c1", 1), _o("t::y[1]", "failed", "c1", 1), _o("t::y[1]", "failed", "c1", 2),
    ]  # fmt: skip
    found = find_flaky(outcomes, [Exemption(id="t::y", reason="r")])
    assert [(f.id, f.quarantined) for f in found] == [("t::y[1]", True), ("t::x", False)]


def test_release_needs_n_passing_runs_in_a_row() -> None:
    entry = Exemption(id="t::q", reason="r")
    outcomes = [_o("t::q", "failed", "c0", 0, run=1)] + [
        _o("t::q", "passed", f"c{i}", i, run=i + 1) for i in range(1, 4)
    ]
    assert release_candidates(outcomes, [entry], 3) == ["t::q"]
    assert release_candidates(outcomes, [entry], 4) == []
