"""Events end to end: what `conveyor run EVENT` triggers, and the contexts jobs see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.run.conftest import Project, jobs, statuses

from conveyor.cli import main

DISPATCH = """
on:
  workflow_dispatch:
    inputs:
      flag: {type: boolean, default: false}
      count: {type: number, required: true}
      level: {type: choice, options: [low, high], default: low}
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - run: |
          test "${{ inputs.flag }}" = true
          test "${{ inputs.flag == true }}" = true
          test "${{ github.event.inputs.flag }}" = true
          test "${{ github.event.inputs.flag == 'true' }}" = true
          test "${{ github.event.inputs.flag == true }}" = false
          test "${{ inputs.count == 3 }}" = true
          test "${{ inputs.count }}" = 3
          test "${{ inputs.level }}" = high
"""


def test_dispatch_inputs_are_typed_by_the_declared_inputs(project: Project) -> None:
    project.workflow(DISPATCH)
    project.commit()
    code, data = project.run(
        "workflow_dispatch", "--input", "flag=true", "--input", "count=3", "--input", "level=high"
    )
    assert code == 0, data
    assert statuses(data) == {"show": "success"}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["flag=maybe", "count=3"], "input `flag` must be `true` or `false`"),
        (["count=many"], "input `count` must be a number"),
        (["count=3", "level=medium"], "input `level` must be one of `low`, `high`"),
        (["flag=true"], "input `count` is required"),
        (["count=3", "colour=red"], "unexpected input `colour`"),
    ],
)
def test_a_bad_or_missing_dispatch_input_is_a_usage_error_naming_it(
    project: Project, capsys: pytest.CaptureFixture[str], given: list[str], message: str
) -> None:
    project.workflow(DISPATCH)
    project.commit()
    args = [arg for item in given for arg in ("--input", item)]
    code, data = project.run("workflow_dispatch", *args)
    assert code == 2
    assert data == {}
    err = capsys.readouterr().err
    assert message in err
    assert ".github/workflows/ci.yml" in err


def test_inputs_for_another_event_are_refused_not_ignored(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(DISPATCH)
    project.commit()
    assert project.run("push", "--input", "count=3") == (2, {})
    assert "--input is for `workflow_dispatch`, not `push`" in capsys.readouterr().err


PULL_REQUEST = """
on:
  pull_request:
    branches: [main]
    paths: ["src/**"]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - run: |
          test "${{ github.event_name }}" = pull_request
          test "${{ github.base_ref }}" = main
          test "${{ github.head_ref }}" = feature
          test "$GITHUB_HEAD_REF" = feature
          test -f src/app.py
"""


def test_pull_request_paths_filters_decide_and_list_says_why(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(PULL_REQUEST)
    project.commit("workflows")
    project.git("checkout", "-q", "-b", "feature")
    project.write("docs/guide.md", "words\n")
    project.commit("docs only")
    capsys.readouterr()
    assert main(["list", "pull_request", "--base", "main", "-C", str(project.root)]) == 0
    listed = capsys.readouterr().out
    assert "✗ .github/workflows/ci.yml" in listed
    assert "paths [src/**]" in listed
    code, data = project.run("pull_request", "--base", "main")
    assert (code, data) == (0, {})

    project.write("src/app.py", "print('hi')\n")
    project.commit("code")
    code, data = project.run("pull_request", "--base", "main")
    assert code == 0, data
    assert statuses(data) == {"check": "success"}
    capsys.readouterr()
    assert main(["runs", "--branch", "feature", "-C", str(project.root)]) == 0
    assert "pull_request" in capsys.readouterr().out


def test_tag_filters_decide_which_pushed_tags_run(project: Project) -> None:
    project.workflow(
        """
        on:
          push:
            tags: ["v*"]
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  test "${{ github.ref }}" = refs/tags/v1.0
                  test "${{ github.ref_type }}" = tag
                  test "${{ github.ref_name }}" = v1.0
                  test "${{ startsWith(github.ref, 'refs/tags/v') }}" = true
        """
    )
    project.commit()
    project.git("tag", "v1.0")
    project.git("tag", "nightly-3")
    assert project.run() == (0, {})  # a branch push: no tags filter matches
    assert project.run("--tag", "nightly-3") == (0, {})
    code, data = project.run("--tag", "v1.0")
    assert code == 0, data
    assert statuses(data) == {"release": "success"}


def test_schedule_runs_on_the_default_branch_and_cron_picks_the_schedule(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on:
          schedule:
            - cron: "0 3 * * 1"
            - cron: "30 5 * * *"
        jobs:
          nightly:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  test "${{ github.event_name }}" = schedule
                  test "${{ github.ref }}" = refs/heads/main
                  echo "fired: ${{ github.event.schedule }}"
        """
    )
    project.commit()
    assert project.run() == (0, {})  # not triggered by push
    code, data = project.run("schedule")
    assert code == 0, data
    assert statuses(data) == {"nightly": "success"}
    capsys.readouterr()
    code, data = project.run("schedule", "--cron", "30 5 * * *", "-v")
    assert code == 0, data
    assert "fired: 30 5 * * *" in capsys.readouterr().out
    assert project.run("schedule", "--cron", "0 0 * * *") == (0, {})
    assert "`0 0 * * *`" in capsys.readouterr().out
    assert project.run("push", "--cron", "0 0 * * *") == (2, {})


def test_event_path_payload_reaches_the_job(project: Project, tmp_path: Path) -> None:
    project.workflow(
        """
        on: pull_request
        jobs:
          check:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  test "${{ github.event.pull_request.number }}" = 42
                  test "${{ github.event.pull_request.title }}" = "From a file"
                  test "$(python3 -c 'import json, os; print(json.load(open(os.environ["GITHUB_EVENT_PATH"]))["number"])')" = 42
        """
    )
    sha = project.commit()
    payload = tmp_path / "payload.json"
    payload.write_text(
        json.dumps(
            {
                "action": "opened",
                "number": 42,
                "pull_request": {
                    "number": 42,
                    "title": "From a file",
                    "head": {"ref": "main", "sha": sha},
                    "base": {"ref": "main"},
                },
            }
        )
    )
    code, data = project.run("pull_request", "--event-path", str(payload))
    assert code == 0, data
    assert statuses(data) == {"check": "success"}


@pytest.mark.parametrize(
    "url", ["https://github.com/acme/widgets.git", "git@github.com:acme/widgets.git"]
)
def test_github_context_from_the_repository_and_the_store(
    project: Project, tmp_path: Path, url: str
) -> None:
    seen = tmp_path / "seen"
    project.git("remote", "add", "origin", url)
    project.workflow(
        f"""
        on: push
        jobs:
          ctx:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  test "${{{{ github.repository }}}}" = acme/widgets
                  test "${{{{ github.repository_owner }}}}" = acme
                  test "${{{{ github.ref_name }}}}" = main
                  test "${{{{ github.sha }}}}" = "$(git rev-parse HEAD)"
                  test "$GITHUB_REPOSITORY" = acme/widgets
                  echo "${{{{ github.run_number }}}} ${{{{ github.run_attempt }}}} $GITHUB_RUN_NUMBER $GITHUB_RUN_ATTEMPT $GITHUB_RUN_ID" >> "{seen}"
        """
    )
    project.commit()
    first = project.run()
    second = project.run()
    assert (first[0], second[0]) == (0, 0), (first, second)
    out = tmp_path / "rerun.json"
    again = ["rerun", str(second[1]["run_id"]), "-C", str(project.root), "--json", str(out)]
    assert main(again) == 0
    assert jobs(json.loads(out.read_text()))["ctx"]["status"] == "success"
    out2 = tmp_path / "rerun2.json"
    third = json.loads(out.read_text())["run_id"]
    assert main(["rerun", str(third), "-C", str(project.root), "--json", str(out2)]) == 0
    first_id, second_id = first[1]["run_id"], second[1]["run_id"]
    assert seen.read_text().splitlines() == [
        f"1 1 1 1 {first_id}",
        f"2 1 2 1 {second_id}",
        f"2 2 2 2 {second_id}",  # a new attempt keeps the run's id, as on GitHub
        f"2 3 2 3 {second_id}",
    ]
