"""Any event from a webhook payload file (`--event-path payload.json`).

The event name is given separately, as GitHub sends it in a header. `ref` and `sha` come
from the payload where it has them (`ref`/`after` of a push, the pull request's head,
`workflow_run.head_sha`, …), else from git. Changed paths are computed when both ends
of the diff exist locally, and left unknown otherwise (path filters then pass).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conveyor.errors import UserError
from conveyor.events.model import ZERO_SHA, Event, RefType
from conveyor.events.repo import RepoInfo, read_repo_info
from conveyor.git import Git

PULL_REQUEST_EVENTS = frozenset(
    {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"}
)


def read_payload(path: Path) -> dict[str, Any]:
    """The JSON object in `path`; `UserError` naming the file when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read event payload {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"event payload {path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            hint="the file must hold one webhook payload object, as GitHub sends it",
        ) from None
    if not isinstance(data, dict):
        raise UserError(f"event payload {path} must be a JSON object, not {type(data).__name__}")
    return data


def from_payload_file(git: Git, name: str, path: Path, *, actor: str | None = None) -> Event:
    """The event `name` described by the payload in `path`."""
    payload = read_payload(path)
    repo = read_repo_info(git, actor=actor or _login(payload.get("sender")))
    pr = _mapping(payload.get("pull_request")) if name in PULL_REQUEST_EVENTS else {}
    ref, ref_type = _ref(name, payload, pr, repo)
    sha = _sha(git, payload, pr, ref)
    base = _mapping(pr.get("base"))
    head = _mapping(pr.get("head"))
    action = payload.get("action")
    inputs = _mapping(payload.get("inputs"))
    return Event(
        name=name,
        action=action if isinstance(action, str) else None,
        ref=ref,
        ref_name=_short(ref),
        ref_type=ref_type,
        sha=sha,
        before=_text(payload.get("before")),
        base_ref=_text(base.get("ref")),
        head_ref=_text(head.get("ref")),
        base_sha=_text(base.get("sha")),
        changed_paths=_changed(git, name, payload, pr, sha),
        inputs={key: _input_text(value) for key, value in inputs.items()},
        payload=payload,
        actor=repo.actor,
        repository=repo.full_name,
        default_branch=repo.default_branch,
    )


def _ref(
    name: str, payload: Mapping[str, Any], pr: Mapping[str, Any], repo: RepoInfo
) -> tuple[str, RefType]:
    if pr and name == "pull_request_target":
        return f"refs/heads/{_text(_mapping(pr.get('base')).get('ref'))}", "branch"
    if pr:
        return f"refs/pull/{pr.get('number', payload.get('number', 1))}/merge", "branch"
    ref = payload.get("ref")
    if isinstance(ref, str) and ref:
        if ref.startswith("refs/"):
            return ref, "tag" if ref.startswith("refs/tags/") else "branch"
        kind: RefType = "tag" if payload.get("ref_type") == "tag" else "branch"
        return f"refs/{'tags' if kind == 'tag' else 'heads'}/{ref}", kind
    release = _mapping(payload.get("release"))
    if name == "release" and isinstance(release.get("tag_name"), str):
        return f"refs/tags/{release['tag_name']}", "tag"
    branch = _text(_mapping(payload.get("workflow_run")).get("head_branch"))
    if name != "workflow_run" or not branch:
        branch = repo.default_branch
    return f"refs/heads/{branch}", "branch"


def _sha(git: Git, payload: Mapping[str, Any], pr: Mapping[str, Any], ref: str) -> str:
    candidates = (
        _mapping(pr.get("head")).get("sha"),
        payload.get("after"),
        _mapping(payload.get("head_commit")).get("id"),
        _mapping(payload.get("workflow_run")).get("head_sha"),
    )
    for candidate in candidates:
        if isinstance(candidate, str) and candidate and candidate != ZERO_SHA:
            return candidate
    sha = git.rev(ref) or git.rev(ref.replace("refs/heads/", "refs/remotes/origin/", 1))
    if sha is None:
        sha = git.rev("HEAD")
    if sha is None:
        raise UserError(f"the payload has no commit sha and `{ref}` names no commit here")
    return sha


def _changed(
    git: Git, name: str, payload: Mapping[str, Any], pr: Mapping[str, Any], sha: str
) -> tuple[str, ...] | None:
    if pr:
        base_sha = _text(_mapping(pr.get("base")).get("sha"))
        if not (base_sha and git.rev(base_sha) and git.rev(sha)):
            return None
        merge_base = git.merge_base(base_sha, sha)
        return git.changed_paths(merge_base, sha) if merge_base else None
    before = _text(payload.get("before"))
    ref = _text(payload.get("ref"))
    if name != "push" or ref.startswith("refs/tags/") or before in ("", ZERO_SHA):
        return None
    if git.rev(before) and git.rev(sha):
        return git.changed_paths(before, sha)
    return None


def _short(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/tags/", "refs/pull/"):
        if ref.startswith(prefix):
            return ref.removeprefix(prefix)
    return ref


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _login(value: object) -> str | None:
    login = _mapping(value).get("login")
    return login if isinstance(login, str) and login else None


def _input_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
