from __future__ import annotations

import pytest

from conveyor.errors import UserError
from conveyor.events import default_branch_event, release, schedule, workflow_dispatch
from conveyor.git import Git

from .conftest import Repo


@pytest.fixture
def feature(repo: Repo) -> Repo:
    repo.commit("base", a="1")
    repo.git("tag", "v1")
    repo.git("switch", "-q", "-c", "feature")
    repo.commit("work", b="1")
    return repo


def test_dispatch_runs_at_head_with_raw_inputs(feature: Repo) -> None:
    event = workflow_dispatch(Git(feature.root), inputs={"level": "warn", "dry": "true"})
    assert (event.name, event.ref, event.ref_type, event.sha) == (
        "workflow_dispatch",
        "refs/heads/feature",
        "branch",
        feature.sha(),
    )
    assert event.inputs == {"level": "warn", "dry": "true"}
    assert event.payload["inputs"] == {"level": "warn", "dry": "true"}
    assert event.payload["ref"] == "refs/heads/feature"
    assert event.changed_paths is None


@pytest.mark.parametrize(
    ("ref", "full", "kind"),
    [
        ("main", "refs/heads/main", "branch"),
        ("v1", "refs/tags/v1", "tag"),
        ("refs/tags/v1", "refs/tags/v1", "tag"),
    ],
)
def test_dispatch_at_a_chosen_ref(feature: Repo, ref: str, full: str, kind: str) -> None:
    event = workflow_dispatch(Git(feature.root), ref=ref)
    assert (event.ref, event.ref_type, event.sha) == (full, kind, feature.sha("main"))


def test_dispatch_at_an_unknown_ref(feature: Repo) -> None:
    with pytest.raises(UserError, match="unknown ref `nope`"):
        workflow_dispatch(Git(feature.root), ref="nope")


def test_schedule_runs_on_the_default_branch(feature: Repo) -> None:
    event = schedule(Git(feature.root), cron="0 4 * * 1")
    assert (event.ref, event.sha) == ("refs/heads/main", feature.sha("main"))
    assert event.payload["schedule"] == "0 4 * * 1"
    assert event.action is None


def test_release_published_at_its_tag(feature: Repo) -> None:
    event = release(Git(feature.root), tag="v1")
    assert (event.name, event.action, event.ref, event.ref_type) == (
        "release",
        "published",
        "refs/tags/v1",
        "tag",
    )
    assert event.sha == feature.sha("v1")
    assert event.payload["release"]["tag_name"] == "v1"
    assert event.payload["release"]["target_commitish"] == "main"
    assert event.payload["action"] == "published"


def test_other_events_run_on_the_default_branch(feature: Repo) -> None:
    event = default_branch_event(
        Git(feature.root), "issues", action="opened", payload={"issue": {"number": 3}}
    )
    assert (event.name, event.action, event.ref) == ("issues", "opened", "refs/heads/main")
    assert event.payload["issue"] == {"number": 3}
    assert event.payload["action"] == "opened"


def test_the_default_branch_follows_origin_head(feature: Repo) -> None:
    feature.git("update-ref", "refs/remotes/origin/trunk", feature.sha("main"))
    feature.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
    event = schedule(Git(feature.root))
    assert (event.ref, event.default_branch, event.sha) == (
        "refs/heads/trunk",
        "trunk",
        feature.sha("main"),
    )
