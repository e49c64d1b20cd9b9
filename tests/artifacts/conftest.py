"""A workspace of real files and an artifact store in tmp_path, with a clock tests can move."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conveyor.artifacts import ArtifactStore

START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Create `files` (relative path -> text) under `root`; a path ending in `/` is a directory."""
    for relative, text in files.items():
        path = root / relative
        if relative.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def files_under(root: Path) -> dict[str, str]:
    """Every file below `root` (relative posix path -> text)."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    return root


@pytest.fixture
def make_tree(workspace: Path) -> Callable[[Mapping[str, str]], Path]:
    return lambda files: write_tree(workspace, files)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> ArtifactStore:
    return ArtifactStore(tmp_path / "repo" / ".conveyor", clock=clock)
