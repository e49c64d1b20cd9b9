"""Real git repositories, a job's directories in tmp_path, and calls to built-ins.

`Job.call(...)` builds a real `ActionCall` whose `run` starts real processes (recorded in
`Job.ran`, output in `Job.output`), as the job's executor would.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conveyor.actions.base import ActionCall, ActionIO, BuiltinAction

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@dataclass
class Repo:
    path: Path

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def commit(self, files: Mapping[str, str], message: str = "change") -> str:
        for name, text in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "--quiet", "-m", message)
        return self.git("rev-parse", "HEAD")


def make_repo(path: Path, files: Mapping[str, str] | None = None) -> Repo:
    path.mkdir(parents=True)
    git(path, "init", "--quiet", "--initial-branch=main")
    repo = Repo(path)
    repo.commit(files or {"README.md": "hello\n"}, "first")
    return repo


def base_path() -> str:
    """Only this interpreter's directory and the system's programs (git, sh)."""
    return os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])


@dataclass
class Job:
    root: Path
    repo: Repo
    env: dict[str, str]
    ran: list[list[str]] = field(default_factory=list)
    output: list[str] = field(default_factory=list)

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    async def run(self, argv: Sequence[str], cwd: Path, extra: Mapping[str, str]) -> int:
        self.ran.append(list(argv))
        process = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env={**self.env, **extra},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await process.communicate()
        self.output.append(out.decode(errors="replace"))
        return process.returncode if process.returncode is not None else 1

    def call(
        self, uses: str, inputs: Mapping[str, str] | None = None, **changes: Any
    ) -> ActionCall:
        name, _, ref = uses.partition("@")
        sha = self.repo.git("rev-parse", "HEAD")
        github: dict[str, Any] = {
            "sha": sha,
            "ref": "refs/heads/main",
            "repository": "acme/widgets",
            "event": {"repository": {"default_branch": "main"}},
        }
        github.update(changes.pop("github", {}))
        call = ActionCall(
            uses=uses,
            name=name.lower(),
            ref=ref,
            inputs=dict(inputs or {}),
            workspace=self.workspace,
            temp=self.root / "temp",
            tool_cache=self.root / "tool-cache",
            state_dir=self.repo.path / ".conveyor",
            cache_dir=self.root / "user-cache",
            env=dict(self.env),
            github=github,
            run_id=1,
            job_status="success",
            run=self.run,
            repo=self.repo.path,
        )
        return dataclasses.replace(call, **changes)

    def log(self) -> str:
        return "".join(self.output)


@pytest.fixture
def job(tmp_path: Path) -> Job:
    """A job whose workspace is a shared clone of a fresh repository at its HEAD."""
    repo = make_repo(tmp_path / "repo")
    root = tmp_path / "job"
    for sub in ("temp", "tool-cache", "user-cache"):
        (root / sub).mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    git(tmp_path, "clone", "--quiet", "--shared", str(repo.path), str(root / "workspace"))
    env = {"PATH": base_path(), "HOME": str(home), **GIT_ENV}
    return Job(root=root, repo=repo, env=env)


def run_main(action: BuiltinAction, call: ActionCall) -> ActionIO:
    io = ActionIO()
    asyncio.run(action.main(call, io))
    return io


def run_post(action: Any, call: ActionCall, state: Mapping[str, str]) -> ActionIO:
    io = ActionIO()
    asyncio.run(action.post(dataclasses.replace(call, state=dict(state)), io))
    return io
