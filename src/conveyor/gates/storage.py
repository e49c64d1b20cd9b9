"""Where gate history lives: the project's `.conveyor/` store, when there is one.

With no store (no `.conveyor/` and no `--store`), gates run without history: deltas say
"no base figure" and nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conveyor.errors import UsageError
from conveyor.gates.history import GateHistory

STATE_DIR = ".conveyor"


@contextmanager
def open_history(root: Path, store: Path | None = None) -> Iterator[GateHistory | None]:
    """The store of `root` (or of `store`: a project or its `.conveyor` directory), or None."""
    if store is None:
        if not (root / STATE_DIR).is_dir():
            yield None
            return
        project = root
    else:
        if not store.is_dir():
            raise UsageError(f"--store {store}: no such directory")
        project = store.parent if store.name == STATE_DIR else store
    try:
        from conveyor.store import open_store
    except ImportError:  # pragma: no cover - the store ships with conveyor
        yield None
        return
    with open_store(project) as opened:
        yield opened
