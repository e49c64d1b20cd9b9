"""Concurrency groups across processes, by GitHub's rule.

In a group at most one run (or job) is running and at most one is pending. A newcomer
runs at once if the group is free; otherwise it becomes the pending one, and an older
pending one is cancelled (GitHub: "any previously pending job or workflow in the
concurrency group will be canceled"). With `cancel-in-progress` the running one is also
told to cancel; it keeps its place until it releases it, so two never run together.

A run process learns what happens to it by polling `group_state`:
"running" (go), "pending" (wait), "cancelled" (stop: its pending place was taken by a
newer one, or it was running and a newer one asked it to cancel). Places are released
by `release_group`, by `finish_run`, and, for runs whose process died, on the next open.

Each function takes a `Session` inside a write transaction; on SQLite that transaction
holds the write lock from its start, and the unique (group, state) constraint keeps
the rule on every database even when two processes race.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from conveyor.errors import UserError
from conveyor.store.records import FINISHED_RUN, Acquire, GroupHolder, GroupState, SlotState
from conveyor.store.tables import ConcurrencySlot, Run


def _slots(session: Session, group: str) -> list[ConcurrencySlot]:
    query = (
        select(ConcurrencySlot)
        .where(ConcurrencySlot.group_name == group)
        .order_by(ConcurrencySlot.id)
        .with_for_update()
    )
    return list(session.scalars(query))


def _holder(slot: ConcurrencySlot) -> GroupHolder:
    return GroupHolder(run_id=slot.run_id, job=slot.job_key)


def _find(slots: list[ConcurrencySlot], state: str) -> ConcurrencySlot | None:
    return next((s for s in slots if s.state == state), None)


def _mine(slots: list[ConcurrencySlot], run_id: int, job: str | None) -> ConcurrencySlot | None:
    return next((s for s in slots if s.run_id == run_id and s.job_key == job), None)


def acquire(
    session: Session,
    *,
    group: str,
    run_id: int,
    job: str | None,
    cancel_in_progress: bool,
    now: datetime,
) -> Acquire:
    if session.get(Run, run_id) is None:
        raise UserError(f"there is no run {run_id} to join concurrency group {group!r}")
    slots = _slots(session, group)
    mine = _mine(slots, run_id, job)
    if mine is not None:  # asking twice changes nothing
        return Acquire(group=group, state=cast(SlotState, mine.state))
    running, pending = _find(slots, "running"), _find(slots, "pending")
    if running is None and pending is not None:  # its runner left without promoting it
        pending.state = "running"
        session.flush()
        running, pending = pending, None

    def place(state: str) -> None:
        session.add(
            ConcurrencySlot(
                group_name=group,
                run_id=run_id,
                job_key=job,
                state=state,
                cancel_requested=False,
                created_at=now,
            )
        )
        session.flush()

    if running is None:
        place("running")
        return Acquire(group=group, state="running")
    cancelled: list[GroupHolder] = []
    if pending is not None:
        cancelled.append(_holder(pending))
        session.delete(pending)
        session.flush()  # the delete must reach the database before the new pending row
    if cancel_in_progress and not running.cancel_requested:
        running.cancel_requested = True
        cancelled.append(_holder(running))
    place("pending")
    return Acquire(group=group, state="pending", cancelled=tuple(cancelled))


def state(session: Session, *, group: str, run_id: int, job: str | None) -> GroupState:
    slots = _slots(session, group)
    mine = _mine(slots, run_id, job)
    if mine is None:
        return "cancelled"
    if mine.state == "running":
        return "cancelled" if mine.cancel_requested else "running"
    if _find(slots, "running") is None:
        mine.state = "running"
        return "running"
    return "pending"


def release(session: Session, *, group: str, run_id: int, job: str | None) -> None:
    """Leave the group; a pending one, if any, becomes the running one."""
    slots = _slots(session, group)
    mine = _mine(slots, run_id, job)
    if mine is None:
        return
    session.delete(mine)
    session.flush()
    pending = _find(slots, "pending")
    if mine.state == "running" and pending is not None:
        pending.state = "running"
        session.flush()


def release_run(session: Session, run_id: int) -> None:
    """Every place a run (or one of its jobs) holds."""
    held = session.scalars(
        select(ConcurrencySlot).where(ConcurrencySlot.run_id == run_id).order_by(ConcurrencySlot.id)
    ).all()
    for slot in held:
        release(session, group=slot.group_name, run_id=run_id, job=slot.job_key)


def release_finished(session: Session) -> None:
    """Places still held by runs that are over (their process died before releasing)."""
    query = (
        select(ConcurrencySlot.run_id)
        .join(Run, Run.id == ConcurrencySlot.run_id)
        .where(Run.status.in_(FINISHED_RUN))
        .distinct()
    )
    for run_id in session.scalars(query).all():
        release_run(session, run_id)
