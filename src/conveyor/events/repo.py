"""Facts about the repository an event happens in: its `owner/name`, default branch, actor.

GitHub knows these from its own records; locally they come from the `origin` remote,
`refs/remotes/origin/HEAD` and git's `user.*` configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conveyor.git import Git

_SCP_LIKE = re.compile(r"^(?:[^/@:]+@)?[^/:]+:(?P<path>[^/].*)$")  # git@host:o/n
FALLBACK_OWNER = "local"


@dataclass(frozen=True, slots=True, kw_only=True)
class RepoInfo:
    """`owner/name`, the default branch, and who acts (GitHub's actor and pusher)."""

    full_name: str
    default_branch: str
    actor: str
    actor_email: str

    @property
    def owner(self) -> str:
        return self.full_name.partition("/")[0]

    @property
    def name(self) -> str:
        return self.full_name.partition("/")[2]

    def payload(self) -> dict[str, Any]:
        """The `repository` object of every webhook payload (the fields workflows read)."""
        return {
            "full_name": self.full_name,
            "name": self.name,
            "owner": {"login": self.owner, "name": self.owner},
            "default_branch": self.default_branch,
            "master_branch": self.default_branch,
            "private": True,
            "fork": False,
            "html_url": f"https://github.com/{self.full_name}",
            "clone_url": f"https://github.com/{self.full_name}.git",
        }

    def sender(self) -> dict[str, Any]:
        return {"login": self.actor, "type": "User"}


def repo_from_remote_url(url: str) -> str | None:
    """`owner/name` from a remote URL in https, ssh, scp-like or path form; None if unclear."""
    url = url.strip()
    if "://" in url:
        path = url.split("://", 1)[1].partition("/")[2]
    elif match := _SCP_LIKE.match(url):
        path = match.group("path")
    else:
        path = url
    parts = [part for part in path.split("/") if part]
    if len(parts) < 2:
        return None
    owner, name = parts[-2], parts[-1].removesuffix(".git")
    return f"{owner}/{name}" if name else None


def read_repo_info(git: Git, *, actor: str | None = None) -> RepoInfo:
    """Read `RepoInfo` from the repository; fall back to `local/<directory>` without origin."""
    top = git.toplevel()
    url = git.remote_url("origin")
    full_name = (repo_from_remote_url(url) if url else None) or f"{FALLBACK_OWNER}/{top.name}"
    return RepoInfo(
        full_name=full_name,
        default_branch=default_branch(git),
        actor=actor or _actor(git),
        actor_email=git.config("user.email") or "",
    )


def default_branch(git: Git) -> str:
    """origin's HEAD, else `init.defaultBranch` if it exists, else main/master, else HEAD's."""
    origin_head = git.symbolic_ref("refs/remotes/origin/HEAD")
    if origin_head:
        return origin_head.removeprefix("refs/remotes/origin/")
    candidates = [git.config("init.defaultBranch"), "main", "master"]
    for name in candidates:
        if name and git.rev(f"refs/heads/{name}"):
            return name
    return git.head_branch() or "main"


def _actor(git: Git) -> str:
    name = git.config("github.user") or git.config("user.name") or "conveyor"
    return re.sub(r"\s+", "-", name.strip())
