"""The `push` event of HEAD's branch (or of a tag), as a `git push` now would send it.

What the push moves from (`before`), and so which paths changed:

1. the branch's remote-tracking ref (`@{upstream}`, else `origin/<branch>`) when it exists
   and differs from HEAD: a push to an existing branch, diffed two-dot `before..after`;
2. otherwise, when the repository has remote refs but not this branch: a new branch.
   GitHub sends `before` = 000…0 and diffs against the parent of the deepest pushed
   commit (the oldest commit not on any remote); with no parent, every file counts;
3. otherwise (no remote, or HEAD already pushed): the push of HEAD's last commit,
   `before` = HEAD's first parent (000…0 and every file for a root commit).

GitHub always runs a workflow when a push holds more than 1,000 commits; conveyor then
leaves `changed_paths` unknown, which path filters treat the same way. Path filters are
not evaluated for tags, so a tag push carries no changed paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conveyor.events.model import ZERO_SHA, Event
from conveyor.events.payloads import (
    base_payload,
    commit_payload,
    current_branch,
    head_commit,
    head_sha,
    open_repo,
    tag_sha,
)
from conveyor.events.repo import RepoInfo
from conveyor.git import Git

MAX_DIFF_COMMITS = 1000
"""GitHub always runs the workflow when a push holds more commits than this."""
MAX_PAYLOAD_COMMITS = 2048
"""A push payload lists at most this many commits."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Base:
    before: str
    diff_from: str | None  # None: compare with nothing, every file changed
    revisions: tuple[str, ...]  # the pushed commits, in rev-list syntax
    created: bool
    forced: bool


def push(git: Git, *, tag: str | None = None, actor: str | None = None) -> Event:
    """The `push` of HEAD's branch, or of tag `tag` when given."""
    repo = open_repo(git, actor=actor)
    if tag is not None:
        return _tag_push(git, repo, tag)
    branch = current_branch(git, event="push")
    sha = head_sha(git)
    base = _push_base(git, branch, sha)
    if git.count_commits(base.revisions) > MAX_DIFF_COMMITS:
        changed: tuple[str, ...] | None = None
    elif base.diff_from is None:
        changed = git.tree_paths(sha)
    else:
        changed = git.changed_paths(base.diff_from, sha)
    commits = git.commits(base.revisions, limit=MAX_PAYLOAD_COMMITS)
    ref = f"refs/heads/{branch}"
    payload = {
        "ref": ref,
        "before": base.before,
        "after": sha,
        "created": base.created,
        "deleted": False,
        "forced": base.forced,
        "base_ref": None,
        "compare": _compare_url(repo, base.before, sha),
        "commits": [commit_payload(commit, repo) for commit in commits],
        "head_commit": commit_payload(head_commit(git, sha), repo),
        "pusher": {"name": repo.actor, "email": repo.actor_email},
        **base_payload(repo),
    }
    return _event(
        repo,
        ref=ref,
        name=branch,
        ref_type="branch",
        sha=sha,
        before=base.before,
        changed=changed,
        payload=payload,
    )


def _push_base(git: Git, branch: str, sha: str) -> _Base:
    tracking = git.rev(f"{branch}@{{upstream}}") or git.rev(f"refs/remotes/origin/{branch}")
    if tracking and tracking != sha:
        return _Base(
            before=tracking,
            diff_from=tracking,
            revisions=(f"{tracking}..{sha}",),
            created=False,
            forced=not git.is_ancestor(tracking, sha),
        )
    if tracking is None and git.refs("refs/remotes"):
        new = (sha, "--not", "--remotes")
        oldest = git.run("rev-list", "--reverse", *new).split()
        if oldest:
            parents = git.parents(oldest[0])
            return _Base(
                before=ZERO_SHA,
                diff_from=parents[0] if parents else None,
                revisions=new,
                created=True,
                forced=False,
            )
    parents = git.parents(sha)
    if not parents:
        return _Base(before=ZERO_SHA, diff_from=None, revisions=(sha,), created=True, forced=False)
    return _Base(
        before=parents[0],
        diff_from=parents[0],
        revisions=(f"{parents[0]}..{sha}",),
        created=False,
        forced=False,
    )


def _tag_push(git: Git, repo: RepoInfo, tag: str) -> Event:
    sha = tag_sha(git, tag)
    ref = f"refs/tags/{tag}"
    payload = {
        "ref": ref,
        "before": ZERO_SHA,
        "after": sha,
        "created": True,
        "deleted": False,
        "forced": False,
        "base_ref": None,
        "compare": f"https://github.com/{repo.full_name}/compare/{tag}",
        "commits": [],
        "head_commit": commit_payload(head_commit(git, sha), repo),
        "pusher": {"name": repo.actor, "email": repo.actor_email},
        **base_payload(repo),
    }
    return _event(
        repo,
        ref=ref,
        name=tag,
        ref_type="tag",
        sha=sha,
        before=ZERO_SHA,
        changed=None,
        payload=payload,
    )


def _event(
    repo: RepoInfo,
    *,
    ref: str,
    name: str,
    ref_type: str,
    sha: str,
    before: str,
    changed: tuple[str, ...] | None,
    payload: dict[str, Any],
) -> Event:
    return Event(
        name="push",
        ref=ref,
        ref_name=name,
        ref_type="tag" if ref_type == "tag" else "branch",
        sha=sha,
        before=before,
        changed_paths=changed,
        payload=payload,
        actor=repo.actor,
        repository=repo.full_name,
        default_branch=repo.default_branch,
    )


def _compare_url(repo: RepoInfo, before: str, after: str) -> str:
    return f"https://github.com/{repo.full_name}/compare/{before[:12]}...{after[:12]}"
