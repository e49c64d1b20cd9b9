"""Pieces shared by the event builders: preconditions and payload objects."""

from __future__ import annotations

from typing import Any

from conveyor.errors import UserError
from conveyor.events.repo import RepoInfo, read_repo_info
from conveyor.git import CommitInfo, Git


def open_repo(git: Git, *, actor: str | None) -> RepoInfo:
    """Check that `git` is a repository with at least one commit; read its facts."""
    git.toplevel()
    if not git.has_commits():
        raise UserError(
            f"the repository at {git.root} has no commits yet",
            hint="commit something first: every event happens at a commit",
        )
    return read_repo_info(git, actor=actor)


def current_branch(git: Git, *, event: str) -> str:
    """HEAD's branch; a clear error when HEAD is detached."""
    branch = git.head_branch()
    if branch is None:
        raise UserError(
            f"HEAD is detached: a `{event}` event needs a branch",
            hint="switch to a branch (`git switch NAME`), or pass the ref explicitly",
        )
    return branch


def head_sha(git: Git, revision: str = "HEAD") -> str:
    sha = git.rev(revision)
    if sha is None:
        raise UserError(f"`{revision}` does not name a commit")
    return sha


def tag_sha(git: Git, tag: str) -> str:
    """The commit a tag points at; an error with the fix when there is no such tag."""
    sha = git.rev(f"refs/tags/{tag}")
    if sha is None:
        raise UserError(
            f"unknown tag `{tag}`",
            hint=f"create it first (`git tag {tag}`); GitHub needs the tag to exist too",
        )
    return sha


def commit_payload(commit: CommitInfo, repo: RepoInfo) -> dict[str, Any]:
    """A commit as push payloads list it (`commits[]`, `head_commit`)."""
    return {
        "id": commit.sha,
        "tree_id": commit.tree,
        "distinct": True,
        "message": commit.message,
        "timestamp": commit.timestamp,
        "url": f"https://github.com/{repo.full_name}/commit/{commit.sha}",
        "author": _person(commit.author_name, commit.author_email),
        "committer": _person(commit.committer_name, commit.committer_email),
        "added": list(commit.added),
        "removed": list(commit.removed),
        "modified": list(commit.modified),
    }


def head_commit(git: Git, sha: str) -> CommitInfo:
    (commit,) = git.commits([sha], limit=1)
    return commit


def base_payload(repo: RepoInfo) -> dict[str, Any]:
    """What every webhook payload carries."""
    return {"repository": repo.payload(), "sender": repo.sender()}


def _person(name: str, email: str) -> dict[str, str]:
    return {"name": name, "email": email, "username": name}
