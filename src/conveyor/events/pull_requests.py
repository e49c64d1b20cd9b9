"""`pull_request` (and `pull_request_target`) from HEAD's branch into a base branch.

Changed paths are GitHub's three-dot diff: from the merge base of base and head to head.
GitHub runs `pull_request` at a test merge commit (`refs/pull/N/merge`); conveyor has no
such commit, so `GITHUB_SHA` is the head commit (the ref is still `refs/pull/N/merge`).
`pull_request_target` runs in the base branch: its ref and sha are the base's.
"""

from __future__ import annotations

import difflib
from typing import Any

from conveyor.errors import UserError
from conveyor.events.model import Event
from conveyor.events.payloads import base_payload, current_branch, head_commit, head_sha, open_repo
from conveyor.events.repo import RepoInfo
from conveyor.git import Git

DEFAULT_ACTION = "synchronize"


def pull_request(
    git: Git,
    *,
    base: str,
    number: int = 1,
    action: str = DEFAULT_ACTION,
    title: str | None = None,
    body: str | None = None,
    actor: str | None = None,
    event_name: str = "pull_request",
) -> Event:
    """A pull request of HEAD's branch into `base` (a branch, or `origin/<branch>`)."""
    repo = open_repo(git, actor=actor)
    head = current_branch(git, event=event_name)
    head_ref_sha = head_sha(git)
    base_name, base_full_ref, base_sha = resolve_base(git, base)
    if base_full_ref == f"refs/heads/{head}":
        raise UserError(
            f"the pull request's head and base are the same branch `{head}`",
            hint="switch to the topic branch first, or give another `--base`",
        )
    merge_base = git.merge_base(base_sha, head_ref_sha)
    if merge_base is None:
        raise UserError(
            f"`{head}` and `{base}` have no common history: GitHub cannot open this pull request"
        )
    message = head_commit(git, head_ref_sha).message
    first_line, _, rest = message.partition("\n")
    pr = {
        "number": number,
        "title": title if title is not None else first_line,
        "body": body if body is not None else (rest.strip() or None),
        "state": "open",
        "draft": False,
        "merged": False,
        "labels": [],
        "user": repo.sender(),
        "head": _side(repo, head, head_ref_sha),
        "base": _side(repo, base_name, base_sha),
        "merge_commit_sha": None,
        "html_url": f"https://github.com/{repo.full_name}/pull/{number}",
        "commits": git.count_commits([f"{merge_base}..{head_ref_sha}"]),
    }
    payload: dict[str, Any] = {
        "action": action,
        "number": number,
        "pull_request": pr,
        **base_payload(repo),
    }
    if event_name == "pull_request_target":
        ref, ref_name, sha = f"refs/heads/{base_name}", base_name, base_sha
    else:
        ref, ref_name, sha = f"refs/pull/{number}/merge", f"{number}/merge", head_ref_sha
    return Event(
        name=event_name,
        action=action,
        ref=ref,
        ref_name=ref_name,
        ref_type="branch",
        sha=sha,
        base_ref=base_name,
        head_ref=head,
        base_sha=base_sha,
        changed_paths=git.changed_paths(merge_base, head_ref_sha),
        payload=payload,
        actor=repo.actor,
        repository=repo.full_name,
        default_branch=repo.default_branch,
    )


def resolve_base(git: Git, base: str) -> tuple[str, str, str]:
    """(branch name, full ref, sha) for `main`, `origin/main` or `refs/heads/main`."""
    name = base.removeprefix("refs/heads/").removeprefix("refs/remotes/origin/")
    candidates = [(name, f"refs/heads/{name}"), (name, f"refs/remotes/origin/{name}")]
    if base.startswith("origin/"):
        candidates.insert(0, (base.removeprefix("origin/"), f"refs/remotes/{base}"))
    for branch, ref in candidates:
        sha = git.rev(ref)
        if sha is not None:
            return branch, ref, sha
    known = sorted(
        {ref.removeprefix("refs/heads/") for ref in git.refs("refs/heads")}
        | {ref.removeprefix("refs/remotes/") for ref in git.refs("refs/remotes")}
    )
    close = difflib.get_close_matches(base, known, n=1)
    hint = f"did you mean `{close[0]}`?" if close else "fetch it first (`git fetch origin`)"
    raise UserError(
        f"unknown base ref `{base}`: no local branch or `origin/` branch has that name",
        hint=hint,
    )


def _side(repo: RepoInfo, branch: str, sha: str) -> dict[str, Any]:
    return {
        "ref": branch,
        "sha": sha,
        "label": f"{repo.owner}:{branch}",
        "user": {"login": repo.owner},
        "repo": repo.payload(),
    }
