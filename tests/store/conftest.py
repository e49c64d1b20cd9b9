"""A store in a fresh repository directory for each test: a real SQLite file in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conveyor.store import RunRecord, Store, open_store


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    return root


@pytest.fixture
def store(repo: Path) -> Iterator[Store]:
    with open_store(repo) as opened:
        yield opened


@pytest.fixture
def new_run() -> Callable[..., RunRecord]:
    """`new_run(store, workflow=…, **fields)`: a run of ci.yml on main unless told otherwise."""
    return _new_run


def _new_run(
    store: Store, workflow: str = ".github/workflows/ci.yml", **fields: object
) -> RunRecord:
    defaults: dict[str, object] = {
        "workflow_file": workflow,
        "workflow_name": "CI",
        "event_name": "push",
        "ref": "refs/heads/main",
        "sha": "0" * 40,
        "branch": "main",
    }
    defaults.update(fields)
    return store.create_run(**defaults)  # type: ignore[arg-type]
