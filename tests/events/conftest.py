"""Real git repositories for event tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


class Repo:
    """A git work tree in tmp_path, with helpers that read like the git commands they run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("-c", "init.defaultBranch=main", "init", "-q")
        self.git("config", "user.name", "Mona Lisa")
        self.git("config", "user.email", "mona@example.com")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "tag.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def commit(self, message: str, **files: str | None) -> str:
        """Write (or, with None, delete) files given as `path=content` (`__` is `/`)."""
        for name, content in files.items():
            path = self.root / name.replace("__", "/")
            if content is None:
                self.git("rm", "-q", str(path.relative_to(self.root)))
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
            self.git("add", str(path.relative_to(self.root)))
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.sha()

    def sha(self, rev: str = "HEAD") -> str:
        return self.git("rev-parse", rev)

    def with_origin(self, tmp_path: Path, url: str = "git@github.com:octo/hello.git") -> Path:
        """A bare `origin` that has everything pushed so far, fetched under `url`'s name."""
        bare = tmp_path / "origin.git"
        subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
        self.git("remote", "add", "origin", str(bare))
        self.git("push", "-q", "origin", "--all")
        self.git("remote", "set-url", "origin", url)
        self.git("remote", "set-url", "--push", "origin", str(bare))
        self.git("config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*")
        return bare


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "hello")
