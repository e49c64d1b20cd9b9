"""A real git repository with workflows, and `conveyor run` on it through `main()`."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from conveyor.cli import main


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("-c", "init.defaultBranch=main", "init", "-q")
        self.git("config", "user.name", "Dev")
        self.git("config", "user.email", "dev@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True
        ).stdout.strip()

    def write(self, path: str, text: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"))
        return target

    def workflow(self, text: str, name: str = "ci.yml") -> None:
        self.write(f".github/workflows/{name}", text)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def run(self, *args: str) -> tuple[int, dict[str, Any]]:
        out = self.root.parent / f"result-{len(list(self.root.parent.glob('result-*')))}.json"
        code = main(["run", "-C", str(self.root), "--json", str(out), "--jobs", "4", *args])
        data = json.loads(out.read_text()) if out.exists() else {}
        return code, data


def jobs(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every job leg of every workflow, by display name."""
    return {job["name"]: job for wf in data["workflows"] for job in wf["jobs"]}


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {name: job["status"] for name, job in jobs(data).items()}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")
