"""The SQL store and `MemoryHistory` answer every `GateHistory` question the same way."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conveyor.gates.history import GateHistory, GateRecord, MemoryHistory, TestOutcome
from conveyor.store import open_store

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "sql"])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GateHistory]:
    if request.param == "memory":
        yield MemoryHistory()
        return
    with open_store(tmp_path) as store:
        yield store


def gate(
    name: str = "coverage",
    *,
    branch: str = "main",
    at: int = 0,
    status: str = "pass",
    figures: dict[str, float | int | str] | None = None,
    commit: str = "c0",
    detail: str | None = None,
    run_id: int | None = None,
) -> GateRecord:
    return GateRecord(
        gate=name,
        status=status,  # type: ignore[arg-type]
        figures=figures if figures is not None else {"total": 90.0},
        commit=commit,
        branch=branch,
        recorded_at=T0 + timedelta(minutes=at),
        detail=detail,
        run_id=run_id,
    )


def outcome(test_id: str, outcome: str, *, at: int, attempt: int = 1) -> TestOutcome:
    return TestOutcome(
        test_id=test_id,
        outcome=outcome,  # type: ignore[arg-type]
        commit=f"c{at}",
        branch="main",
        recorded_at=T0 + timedelta(minutes=at),
        attempt=attempt,
        duration=0.25 * at,
    )


def test_nothing_recorded_means_no_last_gate(history: GateHistory) -> None:
    assert history.last_gate(gate="coverage", branch="main") is None
    assert history.gate_trend(gate="coverage", branch=None, limit=5) == []
    assert history.test_outcomes() == []


def test_a_gate_record_comes_back_whole(history: GateHistory) -> None:
    record = gate(
        figures={"total": 91.25, "lines": 1200, "tool": "coverage.py"},
        detail='{"src/a.py": 80.0}',
        status="warn",
    )
    history.record_gates([record])
    assert history.last_gate(gate="coverage", branch="main") == record


def test_last_gate_is_the_newest_on_that_branch_only(history: GateHistory) -> None:
    history.record_gates(
        [
            gate(at=2, commit="new-main"),
            gate(at=1, commit="old-main"),
            gate(at=5, commit="feature", branch="feature"),
            gate("tests", at=9, commit="other-gate"),
        ]
    )
    last = history.last_gate(gate="coverage", branch="main")
    assert last is not None
    assert last.commit == "new-main"


def test_gate_trend_is_newest_first_limited_and_across_branches(history: GateHistory) -> None:
    history.record_gates(
        [gate(at=i, branch="main" if i % 2 else "dev", commit=f"c{i}") for i in range(6)]
    )
    assert [r.commit for r in history.gate_trend(gate="coverage", branch=None, limit=4)] == [
        "c5",
        "c4",
        "c3",
        "c2",
    ]
    assert [r.commit for r in history.gate_trend(gate="coverage", branch="dev", limit=10)] == [
        "c4",
        "c2",
        "c0",
    ]


def test_records_at_the_same_moment_keep_the_order_they_were_recorded(
    history: GateHistory,
) -> None:
    history.record_gates([gate(at=0, commit="first"), gate(at=0, commit="second")])
    assert [r.commit for r in history.gate_trend(gate="coverage", branch="main", limit=5)] == [
        "first",
        "second",
    ]


def test_timestamps_in_other_zones_compare_as_instants(history: GateHistory) -> None:
    # 15:00 at UTC+2 is 13:00Z: newer than 12:30Z although its wall clock reads later still
    at_plus_two = datetime(2026, 3, 1, 15, 0, tzinfo=timezone(timedelta(hours=2)))
    history.record_gates(
        [gate(at=30, commit="12:30Z"), replace(gate(commit="13:00Z"), recorded_at=at_plus_two)]
    )
    last = history.last_gate(gate="coverage", branch="main")
    assert last is not None
    assert last.commit == "13:00Z"
    assert last.recorded_at == at_plus_two


def test_test_outcomes_are_oldest_first_and_filter_by_test_and_time(
    history: GateHistory,
) -> None:
    history.record_tests(
        [
            outcome("tests/test_net.py::test_retry", "failed", at=3, attempt=1),
            outcome("tests/test_net.py::test_retry", "passed", at=4, attempt=2),
            outcome("tests/test_a.py::test_ok", "passed", at=1),
            outcome("tests/test_net.py::test_retry", "passed", at=0),
        ]
    )
    retry = history.test_outcomes(test_id="tests/test_net.py::test_retry")
    assert [(t.outcome, t.attempt) for t in retry] == [("passed", 1), ("failed", 1), ("passed", 2)]
    assert retry[0].duration == 0.0
    since = history.test_outcomes(since=T0 + timedelta(minutes=1))
    assert [t.recorded_at for t in since] == [T0 + timedelta(minutes=m) for m in (1, 3, 4)]


def test_a_test_outcome_comes_back_whole(history: GateHistory) -> None:
    record = TestOutcome(
        test_id="tests/test_x.py::TestA::test_b[param-1]",
        outcome="error",
        commit="abc",
        branch="feature/x",
        recorded_at=T0,
        run_id=None,
        attempt=3,
        duration=1.5,
    )
    history.record_tests([record])
    assert history.test_outcomes() == [record]


def test_records_can_point_at_the_run_that_made_them(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        run = store.create_run(
            workflow_file="ci.yml", workflow_name="CI", event_name="push", ref="r", sha="s"
        )
        store.record_gates([gate(run_id=run.id)])
        store.record_tests([replace(outcome("t::a", "passed", at=0), run_id=run.id)])
        last = store.last_gate(gate="coverage", branch="main")
        assert last is not None
        assert last.run_id == run.id
        assert [t.run_id for t in store.test_outcomes()] == [run.id]
