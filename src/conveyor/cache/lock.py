"""The store's lock: saves and restores share it, removals take it alone.

Saves hold it shared while they write blobs and commit their manifest, so an eviction
(exclusive) never deletes a blob a save has just found or written; restores hold it
shared so a blob does not vanish while it is being read. An advisory `flock` on
`<root>/lock`, released by the OS if the process dies.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def locked(root: Path, *, exclusive: bool) -> Iterator[None]:
    fd = os.open(root / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
