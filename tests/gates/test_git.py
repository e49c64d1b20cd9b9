from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from conveyor.errors import UsageError
from conveyor.gates.git import Revision, branch_name, changed_lines, parse_diff, revision


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false", *args],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "app").mkdir()
    (tmp_path / "app/a.py").write_text("one\ntwo\nthree\nfour\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "base")
    _git(tmp_path, "checkout", "-qb", "feature")
    (tmp_path / "app/a.py").write_text("one\nTWO\nthree\nfour\nfive\nsix\n")
    (tmp_path / "app/b.py").write_text("new\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "change")
    return tmp_path


def test_changed_lines_since_the_merge_base(repo: Path) -> None:
    assert changed_lines(repo, "main") == {
        "app/a.py": frozenset({2, 5, 6}),
        "app/b.py": frozenset({1}),
    }


def test_paths_are_relative_to_the_project_directory(repo: Path) -> None:
    assert changed_lines(repo / "app", "main") == {
        "a.py": frozenset({2, 5, 6}),
        "b.py": frozenset({1}),
    }


def test_unknown_base_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError, match="cannot diff against --base nope"):
        changed_lines(repo, "nope")


def test_revision_reads_commit_and_branch(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_SHA", "GITHUB_HEAD_REF", "GITHUB_REF_NAME"):
        monkeypatch.delenv(name, raising=False)
    rev = revision(repo)
    assert rev.branch == "feature"
    assert rev.commit == _git(repo, "rev-parse", "HEAD").strip()


def test_deleted_files_and_pure_deletions_add_no_lines() -> None:
    diff = "+++ /dev/null\n@@ -1,3 +0,0 @@\n+++ b/x.py\n@@ -4,2 +3,0 @@\n@@ -9 +9 @@\n"
    assert parse_diff(diff) == {"x.py": frozenset({9})}


@pytest.mark.parametrize(
    ("ref", "branch"), [("origin/main", "main"), ("refs/heads/dev", "dev"), ("main", "main")]
)
def test_branch_name_of_a_base_ref(ref: str, branch: str) -> None:
    assert branch_name(ref) == branch


def test_revision_outside_a_repository_or_without_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_SHA", "GITHUB_HEAD_REF", "GITHUB_REF_NAME"):
        monkeypatch.delenv(name, raising=False)
    assert revision(tmp_path) == Revision(commit="unknown", branch="detached")

    def no_git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        raise UsageError("git is not installed")

    assert revision(tmp_path, no_git) == Revision(commit="unknown", branch="detached")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    monkeypatch.setenv("GITHUB_REF_NAME", "main")
    assert revision(tmp_path, no_git) == Revision(commit="abc123", branch="main")
