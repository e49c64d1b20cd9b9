from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conveyor.errors import UsageError
from conveyor.gates.context import Context
from conveyor.gates.engine import record, run_gates
from conveyor.gates.git import Revision
from conveyor.gates.policy import parse_policy
from conveyor.gates.storage import open_history


def test_no_store_directory_means_no_history(tmp_path: Path) -> None:
    with open_history(tmp_path) as history:
        assert history is None
    assert not (tmp_path / ".conveyor").exists()


def test_missing_store_directory_is_a_usage_error(tmp_path: Path) -> None:
    with (
        pytest.raises(UsageError, match="no such directory"),
        open_history(tmp_path, tmp_path / "x"),
    ):
        pass


def test_figures_round_trip_through_the_sql_store(tmp_path: Path) -> None:
    (tmp_path / ".conveyor").mkdir()
    (tmp_path / "ruff.json").write_text("[]")
    policy = parse_policy({"lint": {"reports": ["ruff.json"]}}, file="p")
    when = datetime(2026, 5, 1, tzinfo=UTC)
    with open_history(tmp_path) as history:
        assert history is not None
        outcome = run_gates(policy, Context(root=tmp_path, today=date(2026, 6, 1), history=history))
        record(history, outcome, Revision(commit="c1", branch="main"), now=when)
    with open_history(tmp_path, tmp_path / ".conveyor") as history:
        assert history is not None
        stored = history.last_gate(gate="lint", branch="main")
        assert stored is not None
        assert (stored.status, stored.commit, dict(stored.figures)) == (
            "pass",
            "c1",
            {"errors": 0, "warnings": 0, "waived": 0},
        )
