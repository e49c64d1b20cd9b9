"""What gates ask git: changed lines against a base, this commit, this branch.

Every call goes through a `Runner` (injected; tests may pass their own), in the project
root, so `git diff --relative` gives paths relative to it — the paths coverage uses.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from conveyor.errors import UsageError

Runner = Callable[[Sequence[str], Path], "subprocess.CompletedProcess[str]"]
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def run_git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, errors="replace"
        )
    except FileNotFoundError:
        raise UsageError("git is not installed: --base needs it to find changed lines") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """This checkout: its commit and branch, as history records them."""

    commit: str
    branch: str


def changed_lines(root: Path, base: str, runner: Runner = run_git) -> Mapping[str, frozenset[int]]:
    """Lines added or changed on HEAD since it left `base` (`git diff -U0 base...HEAD`)."""
    proc = runner(
        ["diff", "-U0", "--no-color", "--no-ext-diff", "--relative", f"{base}...HEAD"], root
    )
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git failed"
        raise UsageError(f"cannot diff against --base {base}: {detail}")
    return parse_diff(proc.stdout)


def parse_diff(text: str) -> Mapping[str, frozenset[int]]:
    lines: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            target = line[4:].strip()
            current = (
                None
                if target == "/dev/null"
                else lines.setdefault(target.removeprefix("b/"), set())
            )
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match[1]), int(match[2] or "1")
                current.update(range(start, start + count))
    return {path: frozenset(numbers) for path, numbers in lines.items() if numbers}


def revision(root: Path, runner: Runner = run_git) -> Revision:
    """HEAD's commit and branch (GitHub's env first: a CI checkout is often detached)."""
    commit = os.environ.get("GITHUB_SHA") or _ask(runner, root, "HEAD") or "unknown"
    branch = os.environ.get("GITHUB_HEAD_REF") or os.environ.get("GITHUB_REF_NAME") or ""
    branch = branch or _ask(runner, root, "--abbrev-ref", "HEAD")
    return Revision(commit=commit, branch=branch if branch and branch != "HEAD" else "detached")


def _ask(runner: Runner, root: Path, *args: str) -> str:
    """`git rev-parse ARGS`, or "" when there is no git or no repository (history still works)."""
    try:
        proc = runner(["rev-parse", *args], root)
    except UsageError:
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def branch_name(ref: str) -> str:
    """The branch a `--base` ref names, as history keys it: origin/main → main."""
    for prefix in ("refs/heads/", "refs/remotes/origin/", "origin/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref
