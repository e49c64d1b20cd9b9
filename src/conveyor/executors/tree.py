"""Find a step's whole process tree and stop it: SIGINT → SIGTERM → SIGKILL.

A step's processes are found three ways, because each alone misses some:
its session (`start_new_session=True` makes the step's first process lead one),
the live descendants of that first process (they include children that left the
session with `setsid`), and a tracking variable in the environment that every
descendant inherits, whatever session it moved to and whoever its parent now is
(GitHub's runner finds orphans the same way, with `RUNNER_TRACKING_ID`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import psutil

TRACKING_VAR = "CONVEYOR_TRACKING_ID"

_POLL = 0.05


@dataclass(frozen=True, slots=True, kw_only=True)
class KillGrace:
    """Seconds to wait after each signal before sending the next.

    The defaults are GitHub's runner's: 7.5 s after SIGINT, 2.5 s after SIGTERM.
    `sigkill` bounds the wait for killed processes to disappear.
    """

    sigint: float = 7.5
    sigterm: float = 2.5
    sigkill: float = 5.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeQuery:
    """Which processes belong to a step (or, with a prefix, to a whole job)."""

    tracking: Callable[[str], bool]
    leader: int | None = None

    def find(self) -> list[psutil.Process]:
        found: dict[int, psutil.Process] = {}
        if self.leader is not None:
            for proc in _descendants(self.leader):
                found[proc.pid] = proc
        for proc in _scan(self.tracking, self.leader):
            found.setdefault(proc.pid, proc)
        for pid in _excluded():
            found.pop(pid, None)
        return list(found.values())


def _descendants(leader: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(leader)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _scan(tracking: Callable[[str], bool], session: int | None) -> Iterable[psutil.Process]:
    for proc in psutil.process_iter():
        try:
            if session is not None and os.getsid(proc.pid) == session:
                yield proc
                continue
            value = proc.environ().get(TRACKING_VAR)
        except (psutil.Error, OSError):
            continue
        if value is not None and tracking(value):
            yield proc


def _excluded() -> set[int]:
    """This process and its ancestors: never signal conveyor itself."""
    me = psutil.Process()
    return {me.pid, *(parent.pid for parent in me.parents())}


def living(procs: Iterable[psutil.Process]) -> list[psutil.Process]:
    """The processes still running; a zombie has finished and only awaits its parent."""
    alive = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
        except psutil.Error:
            continue
    return alive


def _send(procs: Iterable[psutil.Process], sig: signal.Signals, session: int | None) -> None:
    if session is not None:
        with contextlib.suppress(OSError):  # the group may be gone already
            os.killpg(session, sig)
    for proc in procs:
        try:
            proc.send_signal(sig)
        except psutil.Error:
            continue


async def _wait_gone(procs: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    alive = living(procs)
    while alive and time.monotonic() < deadline:
        await asyncio.sleep(_POLL)
        alive = living(alive)
    return alive


async def stop_tree(query: TreeQuery, grace: KillGrace) -> list[int]:
    """Signal every process of `query` up the ladder until none is left.

    Returns the pids that were still alive after SIGKILL and its wait (normally none).
    The tree is searched again before each signal, so a process forked during a
    grace period is caught by the next one.
    """
    known: dict[int, psutil.Process] = {}
    ladder = (
        (signal.SIGINT, grace.sigint),
        (signal.SIGTERM, grace.sigterm),
        (signal.SIGKILL, grace.sigkill),
    )
    alive: list[psutil.Process] = []
    for sig, wait in ladder:
        for proc in await asyncio.to_thread(query.find):
            known.setdefault(proc.pid, proc)
        alive = living(known.values())
        if not alive:
            return []
        _send(alive, sig, query.leader)
        alive = await _wait_gone(alive, wait)
    return [proc.pid for proc in alive]
