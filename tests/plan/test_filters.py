from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conveyor.events.model import Event
from conveyor.plan.filters import deciding_pattern, match_filters, pattern_matches, select_triggered
from conveyor.workflow.model import Trigger, Workflow

# GitHub's "Filter pattern cheat sheet", one row per example: (pattern, matches, does not match)
CHEAT_SHEET_REFS = [
    ("feature/*", ["feature/my-branch", "feature/your-branch"], ["feature/a/b", "feature"]),
    (
        "feature/**",
        ["feature/beta-a/my-branch", "feature/your-branch", "feature/mona/the/octocat"],
        ["features/x"],
    ),
    ("main", ["main"], ["main2", "xmain"]),
    ("releases/mona-the-octocat", ["releases/mona-the-octocat"], ["releases/mona"]),
    ("*", ["main", "releases"], ["releases/v1"]),
    ("**", ["all/the/branches", "every/tag", "main"], []),
    ("*feature", ["mona-feature", "feature", "ver-10-feature"], ["feature-x", "a/feature"]),
    ("v2*", ["v2", "v2.0", "v2.9"], ["v1", "v3.0"]),
    ("v[12].[0-9]+.[0-9]+", ["v1.10.1", "v2.0.0"], ["v3.0.0", "v1.x.1", "v1.0"]),
]
CHEAT_SHEET_PATHS = [
    ("*", ["README.md", "server.rb"], ["lib/server.rb"]),
    ("*.jsx?", ["page.js", "page.jsx"], ["page.jsxx", "src/page.js"]),
    ("**", ["all/the/files.md"], []),
    ("*.js", ["app.js", "index.js"], ["js/index.js"]),
    ("**.js", ["index.js", "js/index.js", "src/js/app.js"], ["index.jsx"]),
    ("docs/*", ["docs/README.md", "docs/file.txt"], ["docs/mona/octocat.txt"]),
    ("docs/**", ["docs/README.md", "docs/mona/octocat.txt"], ["README.md"]),
    (
        "docs/**/*.md",
        ["docs/README.md", "docs/mona/hello-world.md", "docs/a/markdown/file.md"],
        ["docs/a.txt"],
    ),
    (
        "**/docs/**",
        ["docs/hello.md", "dir/docs/my-file.txt", "space/docs/plan/space.doc"],
        ["mydocs/x"],
    ),
    ("**/README.md", ["README.md", "js/README.md"], ["README.mdx"]),
    ("**/*src/**", ["a/src/app.js", "my-src/code/js/app.js"], ["src.js"]),
    ("**/*-post.md", ["my-post.md", "path/their-post.md"], ["post.md"]),
    (
        "**/migrate-*.sql",
        ["migrate-10909.sql", "db/migrate-v1.0.sql", "db/sept/migrate-v1.sql"],
        ["migrate.sql"],
    ),
]


@pytest.mark.parametrize(("pattern", "good", "bad"), CHEAT_SHEET_REFS + CHEAT_SHEET_PATHS)
def test_cheat_sheet_patterns(pattern: str, good: list[str], bad: list[str]) -> None:
    for value in good:
        assert pattern_matches(pattern, value), value
    for value in bad:
        assert not pattern_matches(pattern, value), value


@pytest.mark.parametrize(
    ("patterns", "value", "matched"),
    [
        (["*.md", "!README.md"], "hello.md", True),
        (["*.md", "!README.md"], "README.md", False),
        (["*.md", "!README.md"], "docs/hello.md", False),
        (["*.md", "!README.md", "README*"], "hello.md", True),
        (["*.md", "!README.md", "README*"], "README.md", True),
        (["*.md", "!README.md", "README*"], "README.doc", True),
        (["!README.md"], "README.md", False),
        (["!README.md"], "other.md", False),  # a list starting with `!` matches nothing first
        (["releases/**", "!releases/**-alpha"], "releases/v1-alpha", False),
        (["releases/**", "!releases/**-alpha"], "releases/v1", True),
        (["\\*literal"], "*literal", True),
        (["\\*literal"], "xliteral", False),
        (["[CB]at"], "Cat", True),
        (["[CB]at"], "Rat", False),
        (["a+b"], "aaab", True),
        (["a+b"], "b", False),
        (["colou?r"], "color", True),
        (["[oops"], "[oops", True),
    ],
)
def test_negation_is_evaluated_in_order_and_the_last_match_wins(
    patterns: list[str], value: str, matched: bool
) -> None:
    assert (deciding_pattern(patterns, value) is not None) is matched


def _push(ref_name: str, *, tag: bool = False, changed: tuple[str, ...] | None = ("a",)) -> Event:
    kind = "tags" if tag else "heads"
    return Event(
        name="push",
        ref=f"refs/{kind}/{ref_name}",
        ref_name=ref_name,
        ref_type="tag" if tag else "branch",
        changed_paths=None if tag else changed,
    )


def _pr(base: str, *, action: str = "synchronize", changed: tuple[str, ...] = ("a",)) -> Event:
    return Event(
        name="pull_request",
        action=action,
        ref="refs/pull/1/merge",
        ref_type="branch",
        base_ref=base,
        head_ref="topic",
        changed_paths=changed,
    )


BRANCHES = ("main", "release/**")


@pytest.mark.parametrize(
    ("trigger", "event", "matches", "reason"),
    [
        (Trigger(event="push"), _push("dev"), True, "`push` has no filters"),
        (
            Trigger(event="push", branches=BRANCHES),
            _push("main"),
            True,
            "branch `main` matches `main` in branches",
        ),
        (
            Trigger(event="push", branches=BRANCHES),
            _push("release/v1/x"),
            True,
            "matches `release/**`",
        ),
        (
            Trigger(event="push", branches=BRANCHES),
            _push("dev"),
            False,
            "branch `dev` not in branches [main, release/**]",
        ),
        (
            Trigger(event="push", branches_ignore=("dev",)),
            _push("dev"),
            False,
            "branch `dev` matches `dev` in branches-ignore",
        ),
        (
            Trigger(event="push", branches_ignore=("dev",)),
            _push("main"),
            True,
            "not in branches-ignore",
        ),
        (
            Trigger(event="push", branches=("main",)),
            _push("v1", tag=True),
            False,
            "tag `v1` is pushed, but the workflow filters only `branches` (no `tags`)",
        ),
        (
            Trigger(event="push", branches_ignore=("x",)),
            _push("v1", tag=True),
            False,
            "filters only `branches-ignore`",
        ),
        (
            Trigger(event="push", tags=("v*",)),
            _push("main"),
            False,
            "branch `main` is pushed, but the workflow filters only `tags`",
        ),
        (
            Trigger(event="push", tags=("v*",)),
            _push("v1.2", tag=True),
            True,
            "tag `v1.2` matches `v*` in tags",
        ),
        (
            Trigger(event="push", tags_ignore=("v*",)),
            _push("v1.2", tag=True),
            False,
            "in tags-ignore",
        ),
        (
            Trigger(event="push", branches=("main",), tags=("v*",)),
            _push("v1", tag=True),
            True,
            "tag `v1`",
        ),
        (
            Trigger(event="push", paths=("docs/**",)),
            _push("v1", tag=True),
            True,
            "not evaluated for tag pushes",
        ),
        (
            Trigger(event="push", branches=("main",), branches_ignore=("x",)),
            _push("main"),
            False,
            "cannot both be given",
        ),
        (
            Trigger(event="pull_request", branches=("main",)),
            _pr("main"),
            True,
            "base branch `main` matches",
        ),
        (
            Trigger(event="pull_request", branches=("main",)),
            _pr("dev"),
            False,
            "base branch `dev` not in branches [main]",
        ),
        (
            Trigger(event="pull_request"),
            _pr("main", action="closed"),
            False,
            "activity type `closed` not in types [opened, synchronize, reopened] (GitHub's default)",
        ),
        (
            Trigger(event="pull_request", types=("closed",)),
            _pr("main", action="closed"),
            True,
            "activity type `closed` is in types [closed]",
        ),
        (
            Trigger(event="pull_request", types=("closed",)),
            _pr("main"),
            False,
            "`synchronize` not in types [closed]",
        ),
        (Trigger(event="release"), Event(name="release", action="deleted"), True, "no filters"),
    ],
)
def test_ref_and_type_filters(trigger: Trigger, event: Event, matches: bool, reason: str) -> None:
    decision = match_filters(trigger, event)
    assert decision.matches is matches
    assert reason in decision.reason


CHANGED = ("docs/a.md", "docs/b.md", "README.md")


@pytest.mark.parametrize(
    ("paths", "paths_ignore", "changed", "matches", "reason"),
    [
        (("docs/**",), None, CHANGED, True, "`docs/a.md` matches `docs/**` in paths"),
        (("src/**",), None, CHANGED, False, "none of the 3 changed paths match paths [src/**]"),
        (
            ("docs/**", "!docs/a.md"),
            None,
            ("docs/a.md",),
            False,
            "the only changed path does not match paths [docs/**, !docs/a.md]",
        ),
        (("docs/**", "!docs/a.md"), None, CHANGED, True, "`docs/b.md` matches"),
        (
            None,
            ("docs/**", "*.md"),
            CHANGED,
            False,
            "all 3 changed paths match paths-ignore [docs/**, *.md]",
        ),
        (None, ("docs/**",), CHANGED, True, "`README.md` is not in paths-ignore"),
        (None, ("docs/**",), ("docs/x",), False, "the only changed path matches paths-ignore"),
        (("**",), None, (), False, "no files changed"),
        (None, ("docs/**",), None, True, "changed paths are unknown"),
        (("src/**",), None, None, True, "changed paths are unknown"),
        (("a",), ("b",), CHANGED, False, "`paths` and `paths-ignore` cannot both be given"),
    ],
)
def test_path_filters(
    paths: tuple[str, ...] | None,
    paths_ignore: tuple[str, ...] | None,
    changed: tuple[str, ...] | None,
    matches: bool,
    reason: str,
) -> None:
    trigger = Trigger(event="push", paths=paths, paths_ignore=paths_ignore)
    decision = match_filters(trigger, _push("main", changed=changed))
    assert decision.matches is matches
    assert reason in decision.reason


def test_only_the_first_300_changed_files_count() -> None:
    changed = (*(f"a/{i:04}" for i in range(300)), "src/late.py")
    decision = match_filters(
        Trigger(event="push", paths=("src/**",)), _push("main", changed=changed)
    )
    assert not decision.matches
    assert "first 300 changed files" in decision.reason


def test_branch_and_path_filters_must_both_pass() -> None:
    trigger = Trigger(event="pull_request", branches=("main",), paths=("src/**",))
    assert not match_filters(trigger, _pr("main", changed=("docs/x",))).matches
    decision = match_filters(trigger, _pr("main", changed=("src/x.py",)))
    assert decision.matches
    assert decision.reason == (
        "activity type `synchronize` is in types [opened, synchronize, reopened] (GitHub's default); "
        "base branch `main` matches `main` in branches; `src/x.py` matches `src/**` in paths"
    )


def test_workflow_run_filters_on_the_triggering_workflow() -> None:
    event = Event(
        name="workflow_run",
        action="completed",
        payload={"workflow_run": {"name": "CI", "head_branch": "main"}},
    )
    assert match_filters(Trigger(event="workflow_run", workflows=("CI",)), event).matches
    decision = match_filters(Trigger(event="workflow_run", workflows=("Build",)), event)
    assert decision.reason == "workflow `CI` not in workflows [Build]"
    assert not match_filters(
        Trigger(event="workflow_run", workflows=("CI",), branches=("dev",)), event
    ).matches


def test_schedule_runs_only_the_workflows_with_that_cron() -> None:
    event = Event(name="schedule", payload={"schedule": "0 * * * *"})
    assert match_filters(Trigger(event="schedule", crons=("0 * * * *",)), event).matches
    assert not match_filters(Trigger(event="schedule", crons=("5 4 * * *",)), event).matches
    assert match_filters(
        Trigger(event="schedule", crons=("5 4 * * *",)), Event(name="schedule")
    ).matches


def test_select_triggered_keeps_every_workflow_with_its_reason() -> None:
    ci = Workflow(path=Path("ci.yml"), triggers={"push": Trigger(event="push", branches=("main",))})
    docs = Workflow(path=Path("docs.yml"), triggers={"pull_request": Trigger(event="pull_request")})
    chosen = select_triggered([ci, docs], _push("main"))
    assert [(workflow.path.name, decision.matches) for workflow, decision in chosen] == [
        ("ci.yml", True),
        ("docs.yml", False),
    ]
    assert chosen[1][1].reason == "not triggered by `push` (on: pull_request)"


@given(
    st.text(alphabet=st.characters(blacklist_characters="*?+[\\!", blacklist_categories=("Cs",)))
)
def test_a_pattern_without_special_characters_matches_only_itself(name: str) -> None:
    assert pattern_matches(name, name)
    assert not pattern_matches(name, name + "x")
