"""Which process owns a run, and whether it is still alive.

A run records its owner's pid, host and process start time. A run left `queued` or
`running` whose owner is gone (killed, crashed, machine rebooted) is marked
`interrupted` by the next `open_store` on the same host. The start time guards against
pid reuse: a new process that happens to get the old pid is not the owner.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import psutil

_START_TOLERANCE = 1.0  # seconds; psutil's create_time is rounded on some platforms


@dataclass(frozen=True, slots=True, kw_only=True)
class Owner:
    pid: int
    host: str
    started: float | None


def this_host() -> str:
    return socket.gethostname()


def this_process() -> Owner:
    pid = os.getpid()
    return Owner(pid=pid, host=this_host(), started=_start_time(pid))


def is_alive(pid: int, started: float | None) -> bool:
    """Whether the process `pid` on this host is running and is the one that started then."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        created: float = process.create_time()
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # it exists; we may not look at it, so do not call it dead
    return started is None or abs(created - started) <= _START_TOLERANCE


def _start_time(pid: int) -> float | None:
    try:
        started: float = psutil.Process(pid).create_time()
    except psutil.Error:
        return None
    return started
