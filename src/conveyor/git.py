"""The few git commands conveyor needs, through one injectable runner.

Every call goes through `Git.run`, so tests and callers can swap `subprocess.run` for a
fake. A failing command becomes a `UserError` carrying git's own stderr: git's messages
already say what is wrong ("not a git repository", "unknown revision").
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from conveyor.errors import UserError

Runner: TypeAlias = Callable[..., "subprocess.CompletedProcess[str]"]
"""The shape of `subprocess.run` that `Git` uses: `runner(args, cwd=, capture_output=, text=, check=)`."""


_FULL_SHA = re.compile(r"^[0-9a-fA-F]{40}$")


def is_full_sha(text: str) -> bool:
    """Whether `text` is a whole 40-character commit SHA (not a ref, not an abbreviation)."""
    return _FULL_SHA.match(text) is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitInfo:
    """One commit as a push payload describes it."""

    sha: str
    tree: str
    author_name: str
    author_email: str
    committer_name: str
    committer_email: str
    timestamp: str  # ISO 8601, committer date
    message: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()


_FIELD = "\x1f"
_RECORD = "\x1e"
_LOG_FORMAT = _FIELD.join(["%H", "%T", "%an", "%ae", "%cn", "%ce", "%cI", "%B"]) + _FIELD


class Git:
    """git commands run in `root` (any directory inside the work tree)."""

    def __init__(self, root: Path | str, runner: Runner = subprocess.run) -> None:
        self.root = Path(root)
        self._runner = runner

    def run(self, *args: str) -> str:
        """Run `git ARGS` and return stdout; raise `UserError` with git's stderr on failure."""
        command = ["git", "-c", "core.quotePath=false", *args]
        try:
            done = self._runner(command, cwd=self.root, capture_output=True, text=True, check=False)
        except FileNotFoundError as exc:
            raise UserError(
                "git is not installed or not on PATH",
                hint="install git (https://git-scm.com/downloads) and try again",
            ) from exc
        if done.returncode != 0:
            stderr = (done.stderr or "").strip() or f"exit status {done.returncode}"
            raise UserError(f"`git {' '.join(args)}` failed: {stderr}")
        return done.stdout

    def try_run(self, *args: str) -> str | None:
        """Like `run`, but return None when git exits non-zero."""
        try:
            return self.run(*args)
        except UserError:
            return None

    # ------------------------------------------------------------- the work tree ---

    def toplevel(self) -> Path:
        """The top of the work tree; a clear error outside a git repository."""
        out = self.try_run("rev-parse", "--show-toplevel")
        if out is None:
            raise UserError(
                f"not a git repository: {self.root}",
                hint="run conveyor inside a git repository, or make one with `git init`",
            )
        return Path(out.strip())

    def head_branch(self) -> str | None:
        """The branch HEAD points at, or None when HEAD is detached."""
        out = self.try_run("symbolic-ref", "--quiet", "--short", "HEAD")
        return out.strip() if out else None

    def rev(self, revision: str) -> str | None:
        """The commit sha `revision` names, or None when it names no commit."""
        out = self.try_run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        return out.strip() if out else None

    def has_commits(self) -> bool:
        return self.rev("HEAD") is not None

    def parents(self, sha: str) -> tuple[str, ...]:
        return tuple(self.run("rev-list", "--parents", "-n", "1", sha).split()[1:])

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return self.try_run("merge-base", "--is-ancestor", ancestor, descendant) is not None

    def merge_base(self, a: str, b: str) -> str | None:
        out = self.try_run("merge-base", a, b)
        return out.strip() if out else None

    def config(self, key: str) -> str | None:
        out = self.try_run("config", "--get", key)
        return out.strip() if out else None

    def remote_url(self, remote: str = "origin") -> str | None:
        out = self.try_run("remote", "get-url", remote)
        return out.strip() if out else None

    def symbolic_ref(self, ref: str) -> str | None:
        out = self.try_run("symbolic-ref", "--quiet", ref)
        return out.strip() if out else None

    def refs(self, *patterns: str) -> tuple[str, ...]:
        """Full ref names matching `patterns` (`refs/heads`, `refs/remotes/origin`), sorted."""
        out = self.run("for-each-ref", "--format=%(refname)", *patterns)
        return tuple(sorted(line for line in out.splitlines() if line))

    # ------------------------------------------------------------- what changed ---

    def changed_paths(self, old: str, new: str) -> tuple[str, ...]:
        """Paths changed from `old` to `new` (two-dot); a rename lists both its paths."""
        out = self.run("diff", "--name-only", "--no-renames", "-z", old, new, "--")
        return tuple(path for path in out.split("\0") if path)

    def tree_paths(self, sha: str) -> tuple[str, ...]:
        """Every file in commit `sha` (what a diff against nothing shows)."""
        out = self.run("ls-tree", "-r", "--name-only", "-z", sha)
        return tuple(path for path in out.split("\0") if path)

    def count_commits(self, revisions: Sequence[str]) -> int:
        return int(self.run("rev-list", "--count", *revisions).strip())

    def commits(self, revisions: Sequence[str], *, limit: int) -> tuple[CommitInfo, ...]:
        """Commits selected by `revisions` (rev-list syntax), oldest first, newest `limit`."""
        out = self.run(
            "log",
            "--no-renames",
            "--name-status",
            f"--max-count={limit}",
            f"--format={_RECORD}{_LOG_FORMAT}",
            *revisions,
            "--",
        )
        records = [_parse_commit(chunk) for chunk in out.split(_RECORD) if chunk.strip()]
        return tuple(reversed(records))


def _parse_commit(chunk: str) -> CommitInfo:
    sha, tree, an, ae, cn, ce, when, message, status = chunk.split(_FIELD, 8)
    changes: dict[str, list[str]] = {"A": [], "D": [], "M": []}
    for line in status.splitlines():
        kind, _, path = line.partition("\t")
        if path:
            changes.get(kind[:1], changes["M"]).append(path)
    return CommitInfo(
        sha=sha,
        tree=tree,
        author_name=an,
        author_email=ae,
        committer_name=cn,
        committer_email=ce,
        timestamp=when,
        message=message.rstrip("\n"),
        added=tuple(changes["A"]),
        removed=tuple(changes["D"]),
        modified=tuple(changes["M"]),
    )
