from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from conveyor.errors import UserError
from conveyor.git import Git


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for args in (
        ["-c", "init.defaultBranch=main", "init", "-q"],
        ["config", "user.name", "Mona"],
        ["config", "user.email", "mona@example.com"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    return root


def _commit(root: Path, message: str, **files: str) -> None:
    for name, content in files.items():
        (root / name).write_text(content)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True)


def test_a_failing_command_carries_gits_stderr(tmp_path: Path) -> None:
    git = Git(_repo(tmp_path))
    with pytest.raises(UserError, match=r"`git rev-parse nope` failed: .*unknown revision"):
        git.run("rev-parse", "nope")
    assert git.try_run("rev-parse", "nope") is None


def test_commits_and_paths(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _commit(root, "one", **{"a b.txt": "1", "ünï.txt": "1"})
    _commit(root, "two\n\nbody", **{"a b.txt": "2", "c": "1"})
    git = Git(root)
    head = git.rev("HEAD")
    assert head is not None
    assert git.head_branch() == "main"
    assert git.changed_paths("HEAD~1", "HEAD") == ("a b.txt", "c")
    assert git.tree_paths(head) == ("a b.txt", "c", "ünï.txt")
    one, two = git.commits(["HEAD"], limit=10)
    assert (one.message, one.added) == ("one", ("a b.txt", "ünï.txt"))
    assert (two.message, two.added, two.modified) == ("two\n\nbody", ("c",), ("a b.txt",))
    assert two.author_email == "mona@example.com"
    assert git.count_commits(["HEAD"]) == 2
    assert git.parents(head) == (git.rev("HEAD~1"),)
    assert git.rev("nope") is None


def test_git_missing_is_a_user_error(tmp_path: Path) -> None:
    def runner(args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError(args[0])

    with pytest.raises(UserError, match="git is not installed"):
        Git(tmp_path, runner=runner).run("status")


def test_the_runner_is_injectable(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def runner(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        assert kwargs["cwd"] == tmp_path
        return subprocess.CompletedProcess(args, 0, stdout="feature\n", stderr="")

    assert Git(tmp_path, runner=runner).head_branch() == "feature"
    assert calls == [
        ["git", "-c", "core.quotePath=false", "symbolic-ref", "--quiet", "--short", "HEAD"]
    ]
