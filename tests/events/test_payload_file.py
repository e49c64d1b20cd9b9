from __future__ import annotations

import json
from pathlib import Path

import pytest

from conveyor.errors import UserError
from conveyor.events import ZERO_SHA, from_payload_file
from conveyor.git import Git

from .conftest import Repo


def _write(tmp_path: Path, payload: object) -> Path:
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload))
    return path


def test_a_push_payload_takes_ref_and_sha_from_the_payload(repo: Repo, tmp_path: Path) -> None:
    before = repo.commit("one", a="1")
    after = repo.commit("two", b="1", a="2")
    repo.commit("three", c="1")
    path = _write(
        tmp_path,
        {
            "ref": "refs/heads/release",
            "before": before,
            "after": after,
            "sender": {"login": "octocat"},
        },
    )
    event = from_payload_file(Git(repo.root), "push", path)
    assert (event.ref, event.ref_name, event.ref_type, event.sha) == (
        "refs/heads/release",
        "release",
        "branch",
        after,
    )
    assert event.changed_paths == ("a", "b")
    assert event.actor == "octocat"
    assert event.payload["sender"] == {"login": "octocat"}


def test_a_payload_with_commits_unknown_here_has_unknown_changes(
    repo: Repo, tmp_path: Path
) -> None:
    repo.commit("one", a="1")
    path = _write(tmp_path, {"ref": "refs/tags/v1", "before": ZERO_SHA, "after": "f" * 40})
    event = from_payload_file(Git(repo.root), "push", path)
    assert (event.ref_type, event.sha, event.changed_paths) == ("tag", "f" * 40, None)


def test_a_pull_request_payload(repo: Repo, tmp_path: Path) -> None:
    base = repo.commit("base", a="1")
    repo.git("switch", "-q", "-c", "topic")
    head = repo.commit("topic", b="1")
    pr = {
        "number": 12,
        "head": {"ref": "topic", "sha": head},
        "base": {"ref": "main", "sha": base},
    }
    path = _write(tmp_path, {"action": "opened", "number": 12, "pull_request": pr})
    event = from_payload_file(Git(repo.root), "pull_request", path)
    assert (event.action, event.ref, event.sha) == ("opened", "refs/pull/12/merge", head)
    assert (event.base_ref, event.head_ref, event.base_sha) == ("main", "topic", base)
    assert event.changed_paths == ("b",)


def test_a_payload_without_ref_runs_on_the_default_branch(repo: Repo, tmp_path: Path) -> None:
    sha = repo.commit("one", a="1")
    repo.git("switch", "-q", "-c", "other")
    repo.commit("two", b="1")
    path = _write(tmp_path, {"action": "created", "issue": {"number": 1}})
    event = from_payload_file(Git(repo.root), "issue_comment", path)
    assert (event.ref, event.sha, event.action) == ("refs/heads/main", sha, "created")


def test_dispatch_inputs_from_a_payload_stay_strings(repo: Repo, tmp_path: Path) -> None:
    repo.commit("one", a="1")
    path = _write(tmp_path, {"ref": "main", "inputs": {"dry": True, "n": 2, "s": None}})
    event = from_payload_file(Git(repo.root), "workflow_dispatch", path)
    assert event.ref == "refs/heads/main"
    assert event.inputs == {"dry": "true", "n": "2", "s": ""}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON: Expecting property name"),
        ("[1, 2]", "must be a JSON object, not list"),
    ],
)
def test_a_bad_payload_names_the_file(repo: Repo, tmp_path: Path, text: str, message: str) -> None:
    repo.commit("one", a="1")
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(UserError, match=message) as caught:
        from_payload_file(Git(repo.root), "push", path)
    assert str(path) in str(caught.value)


def test_a_missing_payload_file(repo: Repo, tmp_path: Path) -> None:
    repo.commit("one", a="1")
    with pytest.raises(UserError, match="cannot read event payload"):
        from_payload_file(Git(repo.root), "push", tmp_path / "missing.json")
