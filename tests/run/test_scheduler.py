from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest

from conveyor.run.results import JobResult, Status
from conveyor.run.scheduler import JobOutcome, run_graph, run_legs


def leg(job: str, status: Status = "success", **outputs: str) -> JobResult:
    return JobResult(id=job, name=job, status=status, outputs=outputs)


def test_a_job_starts_when_its_own_needs_are_done_not_its_stage() -> None:
    # `slow` holds until `after_fast` has started: with a stage barrier this would hang.
    started_after_fast = asyncio.Event()
    log: list[str] = []

    async def run_job(job_id: str, needed: Mapping[str, JobOutcome]) -> tuple[JobResult, ...]:
        log.append(f"start {job_id}")
        if job_id == "slow":
            await started_after_fast.wait()
        if job_id == "after_fast":
            started_after_fast.set()
        log.append(f"end {job_id}")
        return (leg(job_id),)

    async def main() -> dict[str, JobOutcome]:
        return await asyncio.wait_for(
            run_graph(
                ["slow", "fast", "after_fast"],
                {"after_fast": ["fast"]},
                run_job,
            ),
            timeout=5,
        )

    outcomes = asyncio.run(main())
    assert log.index("start after_fast") < log.index("end slow")
    assert list(outcomes) == ["slow", "fast", "after_fast"]


def test_dependants_see_the_needs_results_and_outputs() -> None:
    seen: dict[str, dict[str, tuple[Status, dict[str, str]]]] = {}

    async def run_job(job_id: str, needed: Mapping[str, JobOutcome]) -> tuple[JobResult, ...]:
        seen[job_id] = {k: (v.result, v.outputs) for k, v in needed.items()}
        if job_id == "build":
            return (leg("build", "success", wheel="app.whl"),)
        if job_id == "lint":
            return (leg("lint", "failure"),)
        return (leg(job_id, "skipped"),)

    asyncio.run(run_graph(["build", "lint", "deploy"], {"deploy": ["build", "lint"]}, run_job))
    assert seen["deploy"] == {
        "build": ("success", {"wheel": "app.whl"}),
        "lint": ("failure", {}),
    }


def test_a_failing_job_runner_propagates_and_stops_the_rest() -> None:
    async def run_job(job_id: str, needed: Mapping[str, JobOutcome]) -> tuple[JobResult, ...]:
        if job_id == "a":
            raise RuntimeError("boom")
        await asyncio.sleep(10)
        return (leg(job_id),)

    with pytest.raises(RuntimeError, match="boom"):
        asyncio.run(asyncio.wait_for(run_graph(["a", "b"], {}, run_job), timeout=5))


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["success", "success"], "success"),
        (["success", "failure"], "failure"),
        (["cancelled", "success"], "cancelled"),
        (["failure", "cancelled"], "failure"),
        ([], "skipped"),
    ],
)
def test_the_result_of_a_matrix_job_combines_its_legs(
    statuses: list[Status], expected: Status
) -> None:
    outcome = JobOutcome(id="j", legs=tuple(leg("j", s) for s in statuses))
    assert outcome.result == expected


def test_matrix_outputs_later_non_empty_values_win() -> None:
    outcome = JobOutcome(
        id="j", legs=(leg("j", x="1", y="a"), leg("j", x="", y="b"), leg("j", x="3"))
    )
    assert outcome.outputs == {"x": "3", "y": "b"}


def test_max_parallel_limits_legs_running_at_once() -> None:
    running = 0
    peak = 0

    async def run_leg(index: int, cancel: asyncio.Event) -> JobResult:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        return leg(f"leg{index}")

    async def main() -> tuple[JobResult, ...]:
        return await run_legs(
            6, run_leg, slots=asyncio.Semaphore(10), cancel=asyncio.Event(), max_parallel=2
        )

    results = asyncio.run(main())
    assert peak == 2
    assert [r.id for r in results] == [f"leg{i}" for i in range(6)]


def test_shared_slots_bound_all_legs() -> None:
    running = 0
    peak = 0

    async def run_leg(index: int, cancel: asyncio.Event) -> JobResult:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        return leg(f"leg{index}")

    async def main() -> None:
        await run_legs(5, run_leg, slots=asyncio.Semaphore(3), cancel=asyncio.Event())

    asyncio.run(main())
    assert peak == 3


async def _cancellable_leg(index: int, cancel: asyncio.Event) -> JobResult:
    if index == 0:
        return leg("leg0", "failure")
    try:
        await asyncio.wait_for(cancel.wait(), timeout=0.3)
    except TimeoutError:
        return leg(f"leg{index}", "success")
    return leg(f"leg{index}", "cancelled")


@pytest.mark.parametrize(
    ("fail_fast", "expected"),
    [
        (True, ["failure", "cancelled", "cancelled"]),
        (False, ["failure", "success", "success"]),
    ],
)
def test_fail_fast_cancels_the_other_legs(fail_fast: bool, expected: list[str]) -> None:
    async def main() -> tuple[JobResult, ...]:
        return await run_legs(
            3,
            _cancellable_leg,
            slots=asyncio.Semaphore(3),
            cancel=asyncio.Event(),
            fail_fast=fail_fast,
        )

    assert [r.status for r in asyncio.run(main())] == expected


def test_a_cancelled_run_tells_every_leg() -> None:
    async def run_leg(index: int, leg_cancel: asyncio.Event) -> JobResult:
        return leg(f"leg{index}", "cancelled" if leg_cancel.is_set() else "success")

    async def main() -> tuple[JobResult, ...]:
        cancel = asyncio.Event()
        cancel.set()
        return await run_legs(2, run_leg, slots=asyncio.Semaphore(2), cancel=cancel)

    assert [r.status for r in asyncio.run(main())] == ["cancelled", "cancelled"]
