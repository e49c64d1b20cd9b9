"""Clear what a killed `conveyor run` left behind: its processes and its workspaces.

A run killed with SIGKILL cannot stop its steps (they run in sessions of their own, so
they outlive it) nor remove `.conveyor/work/<run id>/`. The store marks such a run
`interrupted` when it is next opened; the next `conveyor run` then stops every process
that a step of a run no longer running started (found by the tracking variable every
step process inherits and the workspace in its environment), and removes the work
directories of interrupted runs. Runs in progress, in this process or another, are left
alone.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from conveyor.errors import UserError
from conveyor.executors.tree import TRACKING_VAR, living
from conveyor.store import Store

GRACE_SECONDS = 2.0


def run_status(store: Store) -> Callable[[int], str | None]:
    """The stored status of a run, None for a run the store does not know."""

    def status(run_id: int) -> str | None:
        try:
            return store.get_run(run_id).status
        except UserError:
            return None

    return status


def _run_of(workspace: str, work_root: Path) -> int | None:
    """The run id in `<work_root>/<run id>/…`, or None for a path elsewhere."""
    try:
        relative = Path(workspace).relative_to(work_root)
    except ValueError:
        return None
    first = relative.parts[0] if relative.parts else ""
    return int(first) if first.isdigit() else None


def leftovers(work_root: Path, running: Callable[[int], bool]) -> list[psutil.Process]:
    """Step processes of runs under `work_root` for which `running(run_id)` is false."""
    found = []
    for proc in psutil.process_iter():
        try:
            env = proc.environ()
        except (psutil.Error, OSError):
            continue
        if TRACKING_VAR not in env:
            continue
        run_id = _run_of(env.get("GITHUB_WORKSPACE", ""), work_root)
        if run_id is not None and not running(run_id):
            found.append(proc)
    return found


def reap(work_root: Path, status: Callable[[int], str | None]) -> int:
    """Stop the leftovers (SIGTERM, then SIGKILL); remove interrupted runs' work directories.

    Work directories of finished runs stay (`--keep-workspaces` keeps them on purpose).
    Returns how many processes were stopped.
    """
    procs = leftovers(work_root, lambda run_id: status(run_id) in ("queued", "running"))
    alive = _signal(procs, psutil.Process.terminate)
    _signal(alive, psutil.Process.kill)
    if work_root.is_dir():
        for child in work_root.iterdir():
            if child.name.isdigit() and status(int(child.name)) == "interrupted":
                shutil.rmtree(child, ignore_errors=True)
    return len(procs)


def _signal(
    procs: list[psutil.Process], send: Callable[[psutil.Process], None]
) -> list[psutil.Process]:
    """Send to each; the ones still running (zombies count as gone) after the grace."""
    for proc in procs:
        try:
            send(proc)
        except psutil.Error:
            continue
    deadline = time.monotonic() + GRACE_SECONDS
    alive = living(procs)
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = living(alive)
    return alive
