from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conveyor.errors import UserError
from conveyor.events import ZERO_SHA, push, pushes
from conveyor.git import Git

from .conftest import Repo


def test_push_without_a_remote_is_the_push_of_the_last_commit(repo: Repo) -> None:
    first = repo.commit("first", a="1", b="1")
    second = repo.commit("second\n\nwith a body", b="2", c="new")
    event = push(Git(repo.root))
    assert (event.name, event.ref, event.ref_name, event.ref_type) == (
        "push",
        "refs/heads/main",
        "main",
        "branch",
    )
    assert (event.sha, event.before) == (second, first)
    assert event.changed_paths == ("b", "c")
    assert event.repository == "local/hello"
    assert event.actor == "Mona-Lisa"
    assert event.default_branch == "main"
    payload = event.payload
    assert (payload["before"], payload["after"], payload["created"], payload["forced"]) == (
        first,
        second,
        False,
        False,
    )
    assert payload["ref"] == "refs/heads/main"
    assert [commit["id"] for commit in payload["commits"]] == [second]
    head = payload["head_commit"]
    assert head["message"] == "second\n\nwith a body"
    assert (head["added"], head["modified"], head["removed"]) == (["c"], ["b"], [])
    assert head["author"]["email"] == "mona@example.com"
    assert payload["repository"]["full_name"] == "local/hello"
    assert payload["repository"]["owner"]["login"] == "local"
    assert payload["pusher"] == {"name": "Mona-Lisa", "email": "mona@example.com"}
    assert payload["sender"]["login"] == "Mona-Lisa"


def test_the_first_commit_is_a_created_branch_where_every_file_changed(repo: Repo) -> None:
    repo.commit("root", a="1", docs__b="1")
    event = push(Git(repo.root))
    assert event.before == ZERO_SHA
    assert event.payload["created"] is True
    assert event.changed_paths == ("a", "docs/b")


def test_push_to_an_existing_branch_diffs_from_the_remote_tracking_ref(
    repo: Repo, tmp_path: Path
) -> None:
    pushed = repo.commit("base", keep="1", old="1", gone="1")
    repo.with_origin(tmp_path)
    repo.git("mv", "old", "renamed")
    one = repo.commit("rename")
    two = repo.commit("delete and add", gone=None, src__new="x")
    event = push(Git(repo.root))
    assert event.before == pushed
    assert event.changed_paths == ("gone", "old", "renamed", "src/new")
    assert [commit["id"] for commit in event.payload["commits"]] == [one, two]
    assert event.payload["commits"][0]["added"] == ["renamed"]
    assert event.payload["commits"][0]["removed"] == ["old"]
    assert event.repository == "octo/hello"
    assert event.payload["forced"] is False


def test_the_upstream_branch_counts_whatever_the_remote_is_called(
    repo: Repo, tmp_path: Path
) -> None:
    pushed = repo.commit("base", a="1")
    bare = tmp_path / "fork.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    repo.git("remote", "add", "fork", str(bare))
    repo.git("push", "-q", "-u", "fork", "main")
    repo.commit("one", b="1")
    repo.commit("two", c="1")
    event = push(Git(repo.root))
    assert event.before == pushed
    assert event.changed_paths == ("b", "c")


def test_a_rewritten_branch_is_a_forced_push(repo: Repo, tmp_path: Path) -> None:
    repo.commit("base", a="1")
    repo.commit("pushed", b="1")
    repo.with_origin(tmp_path)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.commit("rewritten", c="1")
    event = push(Git(repo.root))
    assert event.payload["forced"] is True
    assert event.changed_paths == ("b", "c")


def test_an_already_pushed_head_is_the_push_of_its_last_commit(repo: Repo, tmp_path: Path) -> None:
    first = repo.commit("base", a="1")
    repo.commit("second", b="1")
    repo.with_origin(tmp_path)
    event = push(Git(repo.root))
    assert event.before == first
    assert event.changed_paths == ("b",)


def test_a_new_branch_diffs_from_the_parent_of_its_deepest_new_commit(
    repo: Repo, tmp_path: Path
) -> None:
    repo.commit("base", a="1")
    repo.with_origin(tmp_path)
    repo.git("switch", "-q", "-c", "feature")
    one = repo.commit("one", b="1")
    two = repo.commit("two", c="1")
    event = push(Git(repo.root))
    assert event.ref == "refs/heads/feature"
    assert event.before == ZERO_SHA
    assert event.payload["created"] is True
    assert event.changed_paths == ("b", "c")
    assert [commit["id"] for commit in event.payload["commits"]] == [one, two]


def test_more_than_1000_commits_leave_changed_paths_unknown(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("one", a="1")
    repo.commit("two", b="1")
    monkeypatch.setattr(pushes, "MAX_DIFF_COMMITS", 0)
    assert push(Git(repo.root)).changed_paths is None


def test_tag_push(repo: Repo) -> None:
    sha = repo.commit("release", a="1")
    repo.git("tag", "v1.0")
    repo.commit("after", b="1")
    event = push(Git(repo.root), tag="v1.0")
    assert (event.ref, event.ref_name, event.ref_type, event.sha) == (
        "refs/tags/v1.0",
        "v1.0",
        "tag",
        sha,
    )
    assert event.changed_paths is None
    assert event.before == ZERO_SHA
    assert event.payload["head_commit"]["id"] == sha


def test_an_annotated_tag_points_at_its_commit(repo: Repo) -> None:
    sha = repo.commit("release", a="1")
    repo.git("tag", "-a", "-m", "v2", "v2")
    assert push(Git(repo.root), tag="v2").sha == sha


def test_an_unknown_tag_says_how_to_make_it(repo: Repo) -> None:
    repo.commit("one", a="1")
    with pytest.raises(UserError, match="unknown tag `v9`") as caught:
        push(Git(repo.root), tag="v9")
    assert "git tag v9" in str(caught.value)


def test_detached_head_is_a_clear_error(repo: Repo) -> None:
    repo.commit("one", a="1")
    repo.commit("two", b="1")
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    with pytest.raises(UserError, match="HEAD is detached") as caught:
        push(Git(repo.root))
    assert "git switch" in str(caught.value)


def test_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a git repository") as caught:
        push(Git(tmp_path))
    assert "git init" in str(caught.value)


def test_a_repository_without_commits(repo: Repo) -> None:
    with pytest.raises(UserError, match="has no commits yet"):
        push(Git(repo.root))
