"""What gates keep between runs: figures per commit and branch, and test outcomes.

`GateHistory` is the seam between gates and the store. `conveyor.store` implements it on
SQL; `MemoryHistory` below is the fake that ships in the package for tests and for
running gates with no store at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

Figure = float | int | str
Outcome = Literal["passed", "failed", "skipped", "error"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GateRecord:
    """One gate's verdict and figures for one commit on one branch."""

    gate: str
    status: Literal["pass", "warn", "fail"]
    figures: Mapping[str, Figure]
    commit: str
    branch: str
    recorded_at: datetime
    run_id: int | None = None
    detail: str | None = None  # JSON the gate needs later (per-file coverage, benchmark means)


@dataclass(frozen=True, slots=True, kw_only=True)
class TestOutcome:
    """One execution of one test (pytest node id)."""

    __test__ = False  # not a pytest test class

    test_id: str
    outcome: Outcome
    commit: str
    branch: str
    recorded_at: datetime
    run_id: int | None = None
    attempt: int = 1
    duration: float | None = None


class GateHistory(Protocol):
    def record_gates(self, records: Sequence[GateRecord]) -> None: ...

    def last_gate(self, *, gate: str, branch: str) -> GateRecord | None:
        """The newest record of `gate` on `branch`, or None."""
        ...

    def gate_trend(self, *, gate: str, branch: str | None, limit: int) -> list[GateRecord]:
        """Newest first; `branch=None` means every branch."""
        ...

    def record_tests(self, outcomes: Sequence[TestOutcome]) -> None: ...

    def test_outcomes(
        self, *, test_id: str | None = None, since: datetime | None = None
    ) -> list[TestOutcome]:
        """Oldest first."""
        ...


@dataclass(slots=True)
class MemoryHistory:
    """An in-memory `GateHistory`: for tests, and for gates run with no store."""

    gates: list[GateRecord] = field(default_factory=list)
    tests: list[TestOutcome] = field(default_factory=list)

    def record_gates(self, records: Sequence[GateRecord]) -> None:
        self.gates.extend(records)

    def last_gate(self, *, gate: str, branch: str) -> GateRecord | None:
        trend = self.gate_trend(gate=gate, branch=branch, limit=1)
        return trend[0] if trend else None

    def gate_trend(self, *, gate: str, branch: str | None, limit: int) -> list[GateRecord]:
        rows = [r for r in self.gates if r.gate == gate and branch in (None, r.branch)]
        rows.sort(key=lambda r: r.recorded_at, reverse=True)
        return rows[:limit]

    def record_tests(self, outcomes: Sequence[TestOutcome]) -> None:
        self.tests.extend(outcomes)

    def test_outcomes(
        self, *, test_id: str | None = None, since: datetime | None = None
    ) -> list[TestOutcome]:
        rows = [
            t
            for t in self.tests
            if test_id in (None, t.test_id) and (since is None or t.recorded_at >= since)
        ]
        rows.sort(key=lambda t: t.recorded_at)
        return rows
