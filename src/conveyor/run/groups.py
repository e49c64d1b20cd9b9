"""`concurrency:` groups, held through the store so separate processes agree.

GitHub's rule: in a group at most one run (or job) is running and one is pending; a
newer pending one replaces (cancels) the older pending one; with `cancel-in-progress`
the running one is cancelled. `hold` joins a group, waits for its turn, watches for
being cancelled while it runs, and leaves the group when done.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, Protocol

from conveyor.workflow.model import Concurrency

POLL_SECONDS = 0.5


class GroupStore(Protocol):
    def acquire_group(
        self, group: str, run_id: int, job: str | None = None, *, cancel_in_progress: bool = False
    ) -> Any: ...

    def group_state(self, group: str, run_id: int, job: str | None = None) -> str: ...

    def release_group(self, group: str, run_id: int, job: str | None = None) -> None: ...


def evaluate_group(
    concurrency: Concurrency | None, contexts: Mapping[str, Any]
) -> tuple[str, bool] | None:
    """The group name and `cancel-in-progress`, or None when there is no group."""
    from conveyor.expr import evaluate_template, interpolate, truthy

    if concurrency is None:
        return None
    group = interpolate(concurrency.group, contexts)
    cancel_in_progress = concurrency.cancel_in_progress
    if isinstance(cancel_in_progress, str):
        cancel_in_progress = truthy(evaluate_template(cancel_in_progress, contexts))
    return (group, bool(cancel_in_progress)) if group else None


@contextlib.asynccontextmanager
async def hold(
    store: GroupStore | None,
    group: tuple[str, bool] | None,
    *,
    run_id: int,
    job: str | None,
    cancel: asyncio.Event,
    say: Callable[[str], None],
) -> AsyncIterator[bool]:
    """Yield True once it is this run's turn in `group`, False if cancelled while pending."""
    if store is None or group is None:
        yield True
        return
    name, cancel_in_progress = group
    acquired = store.acquire_group(name, run_id, job, cancel_in_progress=cancel_in_progress)
    if getattr(acquired, "state", "") == "pending":
        say(f"waiting for concurrency group `{name}` (another run holds it)")
    watcher: asyncio.Task[None] | None = None
    try:
        while True:
            state = store.group_state(name, run_id, job)
            if state == "running":
                break
            if state == "cancelled" or cancel.is_set():
                say(f"cancelled while waiting for concurrency group `{name}`")
                yield False
                return
            await asyncio.sleep(POLL_SECONDS)
        watcher = asyncio.create_task(_watch(store, name, run_id, job, cancel=cancel, say=say))
        yield True
    finally:
        if watcher is not None:
            watcher.cancel()
        store.release_group(name, run_id, job)


async def _watch(
    store: GroupStore,
    name: str,
    run_id: int,
    job: str | None,
    *,
    cancel: asyncio.Event,
    say: Callable[[str], None],
) -> None:
    while not cancel.is_set():
        await asyncio.sleep(POLL_SECONDS)
        if store.group_state(name, run_id, job) == "cancelled":
            say(
                f"cancelled: a newer run in concurrency group `{name}` started (cancel-in-progress)"
            )
            cancel.set()
            return
