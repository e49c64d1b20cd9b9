"""Events that GitHub runs at a given ref without a diff: dispatch, schedule, release, others.

- `workflow_dispatch` runs at the chosen ref (HEAD's branch unless told);
- `schedule` and most other events (`issues`, `workflow_run`, `repository_dispatch`, …)
  run at the last commit of the default branch;
- `release` runs at the release's tag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conveyor.errors import UserError
from conveyor.events.model import Event, RefType
from conveyor.events.payloads import (
    base_payload,
    current_branch,
    head_commit,
    head_sha,
    open_repo,
    tag_sha,
)
from conveyor.events.repo import RepoInfo
from conveyor.git import Git


def workflow_dispatch(
    git: Git,
    *,
    inputs: Mapping[str, str] | None = None,
    ref: str | None = None,
    actor: str | None = None,
) -> Event:
    """A manual run at `ref` (a branch or tag name; HEAD's branch by default).

    `inputs` stay raw strings here; `check_dispatch_inputs` types them against a workflow.
    """
    repo = open_repo(git, actor=actor)
    full_ref, name, ref_type, sha = _resolve_ref(git, ref)
    given = dict(inputs or {})
    payload = {"inputs": given, "ref": full_ref, "workflow": "", **base_payload(repo)}
    return _event(
        repo,
        "workflow_dispatch",
        ref=full_ref,
        ref_name=name,
        ref_type=ref_type,
        sha=sha,
        payload=payload,
        inputs=given,
    )


def schedule(git: Git, *, cron: str | None = None, actor: str | None = None) -> Event:
    """A scheduled run: the default branch's last commit; `cron` is the schedule that fired."""
    payload: dict[str, Any] = {"schedule": cron} if cron else {}
    return default_branch_event(git, "schedule", payload=payload, actor=actor)


def release(git: Git, *, tag: str, action: str = "published", actor: str | None = None) -> Event:
    """A release of `tag` (which must exist); `action` is the activity type."""
    repo = open_repo(git, actor=actor)
    sha = tag_sha(git, tag)
    commit = head_commit(git, sha)
    payload = {
        "action": action,
        "release": {
            "id": 1,
            "tag_name": tag,
            "name": tag,
            "body": "",
            "draft": False,
            "prerelease": False,
            "target_commitish": repo.default_branch,
            "created_at": commit.timestamp,
            "published_at": commit.timestamp,
            "author": repo.sender(),
            "html_url": f"https://github.com/{repo.full_name}/releases/tag/{tag}",
            "assets": [],
        },
        **base_payload(repo),
    }
    return _event(
        repo,
        "release",
        ref=f"refs/tags/{tag}",
        ref_name=tag,
        ref_type="tag",
        sha=sha,
        payload=payload,
        action=action,
    )


def default_branch_event(
    git: Git,
    name: str,
    *,
    action: str | None = None,
    payload: Mapping[str, Any] | None = None,
    actor: str | None = None,
) -> Event:
    """Any event GitHub runs at the default branch's last commit (`schedule`, `issues`, …)."""
    repo = open_repo(git, actor=actor)
    branch = repo.default_branch
    sha = git.rev(f"refs/heads/{branch}") or git.rev(f"refs/remotes/origin/{branch}")
    if sha is None:
        raise UserError(
            f"`{name}` runs on the default branch `{branch}`, which has no commit here",
            hint=f"fetch or create `{branch}` (`git fetch origin {branch}`)",
        )
    body: dict[str, Any] = {**base_payload(repo), **(payload or {})}
    if action is not None:
        body.setdefault("action", action)
    return _event(
        repo,
        name,
        ref=f"refs/heads/{branch}",
        ref_name=branch,
        ref_type="branch",
        sha=sha,
        payload=body,
        action=action,
    )


def _resolve_ref(git: Git, ref: str | None) -> tuple[str, str, RefType, str]:
    """(full ref, short name, ref type, sha) for a branch or tag name, HEAD's branch if None."""
    if ref is None:
        branch = current_branch(git, event="workflow_dispatch")
        return f"refs/heads/{branch}", branch, "branch", head_sha(git)
    short = ref.removeprefix("refs/heads/").removeprefix("refs/tags/")
    kinds: tuple[tuple[str, RefType], ...] = (
        (f"refs/heads/{short}", "branch"),
        (f"refs/remotes/origin/{short}", "branch"),
        (f"refs/tags/{short}", "tag"),
    )
    if ref.startswith("refs/tags/"):
        kinds = kinds[2:]
    for candidate, kind in kinds:
        sha = git.rev(candidate)
        if sha is not None:
            prefix = "refs/tags/" if kind == "tag" else "refs/heads/"
            return f"{prefix}{short}", short, kind, sha
    raise UserError(
        f"unknown ref `{ref}`: no branch or tag has that name",
        hint="give a branch or tag that exists here (`git branch -a`, `git tag`)",
    )


def _event(
    repo: RepoInfo,
    name: str,
    *,
    ref: str,
    ref_name: str,
    ref_type: RefType,
    sha: str,
    payload: dict[str, Any],
    action: str | None = None,
    inputs: Mapping[str, str] | None = None,
) -> Event:
    return Event(
        name=name,
        action=action,
        ref=ref,
        ref_name=ref_name,
        ref_type=ref_type,
        sha=sha,
        inputs=dict(inputs or {}),
        payload=payload,
        actor=repo.actor,
        repository=repo.full_name,
        default_branch=repo.default_branch,
    )
