"""`GateHistory` on SQL: gate verdicts with their figures, and test outcomes.

Ordering matches `MemoryHistory` exactly, ties included (records with the same
`recorded_at` come back in the order they were recorded), so gates behave the same on
the fake and on the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal, cast

from sqlalchemy import Engine, select

from conveyor.gates.history import GateRecord, Outcome, TestOutcome
from conveyor.store.db import reading, writing
from conveyor.store.tables import GateResult, TestResult

GateStatus = Literal["pass", "warn", "fail"]


def record_gates(engine: Engine, records: Sequence[GateRecord]) -> None:
    if not records:
        return
    with writing(engine) as session:
        session.add_all(
            GateResult(
                gate=r.gate,
                status=r.status,
                figures=dict(r.figures),
                detail=r.detail,
                commit=r.commit,
                branch=r.branch,
                run_id=r.run_id,
                recorded_at=r.recorded_at,
            )
            for r in records
        )


def gate_trend(engine: Engine, *, gate: str, branch: str | None, limit: int) -> list[GateRecord]:
    query = select(GateResult).where(GateResult.gate == gate)
    if branch is not None:
        query = query.where(GateResult.branch == branch)
    query = query.order_by(GateResult.recorded_at.desc(), GateResult.id).limit(max(limit, 0))
    with reading(engine) as session:
        return [_gate(row) for row in session.scalars(query)]


def last_gate(engine: Engine, *, gate: str, branch: str) -> GateRecord | None:
    trend = gate_trend(engine, gate=gate, branch=branch, limit=1)
    return trend[0] if trend else None


def record_tests(engine: Engine, outcomes: Sequence[TestOutcome]) -> None:
    if not outcomes:
        return
    with writing(engine) as session:
        session.add_all(
            TestResult(
                test_id=t.test_id,
                outcome=t.outcome,
                commit=t.commit,
                branch=t.branch,
                run_id=t.run_id,
                attempt=t.attempt,
                duration=t.duration,
                recorded_at=t.recorded_at,
            )
            for t in outcomes
        )


def outcomes(
    engine: Engine, *, test_id: str | None = None, since: datetime | None = None
) -> list[TestOutcome]:
    query = select(TestResult)
    if test_id is not None:
        query = query.where(TestResult.test_id == test_id)
    if since is not None:
        query = query.where(TestResult.recorded_at >= since)
    query = query.order_by(TestResult.recorded_at, TestResult.id)
    with reading(engine) as session:
        return [_test(row) for row in session.scalars(query)]


def _gate(row: GateResult) -> GateRecord:
    return GateRecord(
        gate=row.gate,
        status=cast(GateStatus, row.status),
        figures=dict(row.figures),
        commit=row.commit,
        branch=row.branch,
        recorded_at=row.recorded_at,
        run_id=row.run_id,
        detail=row.detail,
    )


def _test(row: TestResult) -> TestOutcome:
    return TestOutcome(
        test_id=row.test_id,
        outcome=cast(Outcome, row.outcome),
        commit=row.commit,
        branch=row.branch,
        recorded_at=row.recorded_at,
        run_id=row.run_id,
        attempt=row.attempt,
        duration=row.duration,
    )
