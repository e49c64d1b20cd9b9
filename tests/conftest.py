"""Test-wide fixtures.

Every test gets its own conveyor home and cache directory: a test that forgets to choose
one cannot touch the user's real state, and one that reads the real home fails loudly.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path_factory.mktemp("conveyor-state")
    monkeypatch.setenv("CONVEYOR_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("CONVEYOR_HOME", str(base / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    # output width must not depend on the terminal the suite was started from
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def shared_dir() -> Path:
    """The team's ../shared reference material; skips visibly when it is not beside the checkout."""
    here = Path(__file__).resolve().parents[1]
    shared = here.parent / "shared"
    if not (shared / "corpus").is_dir():
        pytest.skip(f"reference material not present: {shared} (expected beside the checkout)")
    return shared
