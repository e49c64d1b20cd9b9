from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from conveyor.errors import UsageError
from conveyor.run.workspace import Workspaces, prepare, slug


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "-c", "init.defaultBranch=main", "init", "-q")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "app.py").write_text("print('v1')\n")
    (repo / "gone.txt").write_text("old\n")
    (repo / ".gitignore").write_text("*.log\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    return repo


def test_a_job_gets_the_commits_files_and_a_working_git(repo: Path, tmp_path: Path) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    (repo / "app.py").write_text("print('uncommitted')\n")
    ws = asyncio.run(prepare(repo, sha, tmp_path / "run" / "job", tool_cache=tmp_path / "tc"))
    assert (ws.workspace / "app.py").read_text() == "print('v1')\n"
    assert git(ws.workspace, "rev-parse", "HEAD") == sha
    assert ws.temp.is_dir()
    assert ws.files.is_dir()
    # the user's repository is untouched
    assert (repo / "app.py").read_text() == "print('uncommitted')\n"
    assert git(repo, "worktree", "list").count("\n") == 0


def test_dirty_lays_uncommitted_changes_over_the_commit(repo: Path, tmp_path: Path) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    (repo / "app.py").write_text("print('v2')\n")
    (repo / "new.py").write_text("x = 1\n")
    (repo / "debug.log").write_text("ignored\n")
    (repo / "gone.txt").unlink()
    ws = asyncio.run(
        prepare(repo, sha, tmp_path / "run" / "job", tool_cache=tmp_path / "tc", dirty=True)
    )
    assert (ws.workspace / "app.py").read_text() == "print('v2')\n"
    assert (ws.workspace / "new.py").exists()
    assert not (ws.workspace / "debug.log").exists()
    assert not (ws.workspace / "gone.txt").exists()


def test_an_unknown_commit_is_a_clear_error(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"checkout --quiet f{40} failed"):
        asyncio.run(prepare(repo, "f" * 40, tmp_path / "run" / "job", tool_cache=tmp_path / "tc"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("build (3.11, ubuntu-latest)", "build-3.11-ubuntu-latest"),
        ("tests", "tests"),
        ("(((", "job"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_workspaces_are_made_ahead_and_removed_when_released(repo: Path, tmp_path: Path) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    run = tmp_path / "run"

    async def scenario() -> None:
        pool = Workspaces(repo, tool_cache=tmp_path / "tc", checkouts=run / ".checkouts", ahead=1)
        pool.reserve(sha, run / "a")
        pool.reserve(sha, run / "b")  # waits: one made ahead at a time
        first = await pool.take(sha, run / "a")
        second = await pool.take(sha, run / "b")
        for ws in (first, second):
            assert (ws.workspace / "app.py").read_text() == "print('v1')\n"
            assert git(ws.workspace, "rev-parse", "HEAD") == sha
            assert ws.temp.is_dir()
            assert ws.files.is_dir()
        # each job has its own files: a write in one is not seen by the other
        (first.workspace / "app.py").write_text("changed\n")
        assert (second.workspace / "app.py").read_text() == "print('v1')\n"
        pool.release(first)
        await pool.close()
        assert not first.root.exists()
        assert second.root.exists()

    asyncio.run(scenario())


def test_kept_workspaces_stay_and_dropped_ones_are_not_taken(repo: Path, tmp_path: Path) -> None:
    sha = git(repo, "rev-parse", "HEAD")
    run = tmp_path / "run"

    async def scenario() -> None:
        pool = Workspaces(repo, tool_cache=tmp_path / "tc", checkouts=run / ".checkouts", keep=True)
        pool.reserve(sha, run / "a")
        pool.drop(run / "a")
        ws = await pool.take(sha, run / "b")
        pool.release(ws)
        await pool.close()
        assert (ws.workspace / "app.py").exists()

    asyncio.run(scenario())
