from __future__ import annotations

from pathlib import Path

import pytest

from conveyor.errors import UserError
from conveyor.events import pull_request
from conveyor.git import Git

from .conftest import Repo


@pytest.fixture
def topic(repo: Repo) -> Repo:
    """main with one commit after the fork point, `topic` with two of its own."""
    repo.commit("base", shared="1", docs__a="1")
    repo.git("switch", "-q", "-c", "topic")
    repo.commit("Add the parser\n\nIt parses.", src__parser="1")
    repo.commit("docs", docs__a="2")
    repo.git("switch", "-q", "main")
    repo.commit("moved on", shared="2", main_only="1")
    repo.git("switch", "-q", "topic")
    return repo


def test_pull_request_uses_the_three_dot_diff(topic: Repo) -> None:
    event = pull_request(Git(topic.root), base="main")
    assert event.name == "pull_request"
    assert event.action == "synchronize"
    assert (event.ref, event.ref_name) == ("refs/pull/1/merge", "1/merge")
    assert (event.base_ref, event.head_ref) == ("main", "topic")
    assert event.base_sha == topic.sha("main")
    assert event.sha == topic.sha("topic")
    assert event.changed_paths == ("docs/a", "src/parser")  # main's own changes do not count


def test_pull_request_payload(topic: Repo) -> None:
    event = pull_request(Git(topic.root), base="main", number=7, action="opened")
    payload = event.payload
    assert (payload["action"], payload["number"]) == ("opened", 7)
    pr = payload["pull_request"]
    assert pr["number"] == 7
    assert pr["title"] == "docs"
    assert pr["body"] is None
    assert (pr["draft"], pr["merged"], pr["labels"], pr["state"]) == (False, False, [], "open")
    assert pr["head"]["ref"] == "topic"
    assert pr["head"]["sha"] == topic.sha("topic")
    assert pr["base"]["ref"] == "main"
    assert pr["base"]["sha"] == topic.sha("main")
    assert pr["base"]["repo"]["full_name"] == "local/hello"
    assert pr["commits"] == 2
    assert event.ref == "refs/pull/7/merge"


def test_title_and_body_come_from_the_head_commit(topic: Repo) -> None:
    topic.git("reset", "-q", "--hard", "HEAD~1")
    pr = pull_request(Git(topic.root), base="main").payload["pull_request"]
    assert (pr["title"], pr["body"]) == ("Add the parser", "It parses.")


def test_base_may_be_a_remote_tracking_branch(topic: Repo, tmp_path: Path) -> None:
    topic.with_origin(tmp_path)
    topic.git("branch", "-q", "-D", "main")
    event = pull_request(Git(topic.root), base="origin/main")
    assert event.base_ref == "main"
    assert event.changed_paths == ("docs/a", "src/parser")
    assert pull_request(Git(topic.root), base="main").base_ref == "main"


def test_pull_request_target_runs_in_the_base(topic: Repo) -> None:
    event = pull_request(Git(topic.root), base="main", event_name="pull_request_target")
    assert (event.name, event.ref, event.sha) == (
        "pull_request_target",
        "refs/heads/main",
        topic.sha("main"),
    )


def test_an_unknown_base_suggests_a_branch(topic: Repo) -> None:
    with pytest.raises(UserError, match="unknown base ref `mian`") as caught:
        pull_request(Git(topic.root), base="mian")
    assert "did you mean `main`?" in str(caught.value)


def test_head_and_base_must_differ(topic: Repo) -> None:
    topic.git("switch", "-q", "main")
    with pytest.raises(UserError, match="head and base are the same branch `main`"):
        pull_request(Git(topic.root), base="main")


def test_unrelated_histories(topic: Repo) -> None:
    topic.git("switch", "-q", "--orphan", "lonely")
    topic.commit("alone", x="1")
    with pytest.raises(UserError, match="no common history"):
        pull_request(Git(topic.root), base="main")


def test_detached_head(topic: Repo) -> None:
    topic.git("checkout", "-q", "--detach")
    with pytest.raises(UserError, match="HEAD is detached"):
        pull_request(Git(topic.root), base="main")
