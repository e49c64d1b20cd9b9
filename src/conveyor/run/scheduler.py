"""Start each job as soon as its own `needs` are done — no stage barriers.

The scheduler knows nothing of steps or processes: it is given the jobs' `needs` and a
coroutine that runs one job (all its matrix legs) and returns its legs' results. Every job
is handed to that coroutine once all its needs have finished, whatever their status: the
job runner decides, from `if:` and the needs' results, whether it runs, is skipped, or runs
only its `always()` steps after a cancel — as GitHub does.

Matrix legs share one pool of slots (`--jobs N`) with every other job; `run_legs` honours a
job's `max-parallel` and `fail-fast` inside that pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from conveyor.run.results import JobResult, Status, combine


@dataclass(frozen=True, slots=True, kw_only=True)
class JobOutcome:
    """All legs of one job, as the `needs` context of its dependants sees them."""

    id: str
    legs: tuple[JobResult, ...]
    declared_outputs: Mapping[str, str] | None = None  # a reusable workflow's `outputs`
    # a job it needs, directly or not, failed or was cancelled: `failure()` of a job looks
    # at every ancestor, as GitHub's does (set by `run_graph`)
    upstream_failed: bool = False

    @property
    def failed_here_or_upstream(self) -> bool:
        return self.upstream_failed or self.result in ("failure", "cancelled")

    @property
    def result(self) -> Status:
        """`needs.<id>.result`: failure if any leg failed (unless its `continue-on-error`
        allowed it), then cancelled, then success."""
        if not self.legs:
            return "skipped"
        return combine("success" if leg.allowed_failure else leg.status for leg in self.legs)

    @property
    def outputs(self) -> dict[str, str]:
        """`needs.<id>.outputs`: for a matrix, later legs' non-empty values win (GitHub)."""
        if self.declared_outputs is not None:
            return dict(self.declared_outputs)
        merged: dict[str, str] = {}
        for leg in self.legs:
            for key, value in leg.outputs.items():
                if value != "" or key not in merged:
                    merged[key] = value
        return merged


RunJob = Callable[[str, Mapping[str, JobOutcome]], Awaitable[tuple[JobResult, ...] | JobOutcome]]


async def run_graph(
    order: Sequence[str], needs: Mapping[str, Sequence[str]], run_job: RunJob
) -> dict[str, JobOutcome]:
    """Run every job in `order` (a topological order) as soon as its needs are done.

    Returns the outcomes keyed by job id, in `order` — whatever order they finished in.
    """
    done: dict[str, asyncio.Future[JobOutcome]] = {}
    loop = asyncio.get_running_loop()
    for job_id in order:
        done[job_id] = loop.create_future()

    async def one(job_id: str) -> None:
        try:
            needed = {need: await done[need] for need in needs.get(job_id, ())}
            ran = await run_job(job_id, needed)
            outcome = ran if isinstance(ran, JobOutcome) else JobOutcome(id=job_id, legs=ran)
            upstream = any(n.failed_here_or_upstream for n in needed.values())
            done[job_id].set_result(replace(outcome, upstream_failed=upstream))
        except BaseException as exc:
            if not done[job_id].done():
                done[job_id].set_exception(exc)
            raise

    tasks = [asyncio.create_task(one(job_id), name=f"job:{job_id}") for job_id in order]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for future in done.values():
            if future.done() and not future.cancelled():
                future.exception()  # mark retrieved: the first error already propagated
    return {job_id: done[job_id].result() for job_id in order}


RunLeg = Callable[[int, asyncio.Event], Awaitable[JobResult]]


async def run_legs(
    count: int,
    run_leg: RunLeg,
    *,
    slots: asyncio.Semaphore,
    cancel: asyncio.Event,
    max_parallel: int | None = None,
    fail_fast: bool = True,
) -> tuple[JobResult, ...]:
    """Run `count` legs of one job; return their results in leg order.

    Each leg waits for its job's `max-parallel` allowance and for a shared slot, in leg
    order. With `fail-fast`, the first failed leg cancels the legs still running or waiting
    (each leg gets its own cancel event, also set when the whole run is cancelled), unless
    its `continue-on-error` allowed the failure.
    """
    local = asyncio.Semaphore(max_parallel or count or 1)
    leg_cancels = [asyncio.Event() for _ in range(count)]
    if cancel.is_set():
        for event in leg_cancels:
            event.set()

    async def watch_run_cancel() -> None:
        await cancel.wait()
        for event in leg_cancels:
            event.set()

    async def one(index: int) -> JobResult:
        async with local, slots:
            result = await run_leg(index, leg_cancels[index])
        if fail_fast and result.status == "failure" and not result.allowed_failure:
            for other, event in enumerate(leg_cancels):
                if other != index:
                    event.set()
        return result

    watcher = asyncio.create_task(watch_run_cancel())
    try:
        results = await asyncio.gather(*(one(i) for i in range(count)))
    finally:
        watcher.cancel()
    return tuple(results)
