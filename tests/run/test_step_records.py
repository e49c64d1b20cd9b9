"""What a step leaves behind for people: summaries, annotations, workflow commands, and
composite actions recorded as one step, in the summary table and in `conveyor show`."""

from __future__ import annotations

import pytest
from tests.run.conftest import Project, jobs

from conveyor.cli import main
from conveyor.store import open_store


def show(project: Project, run_id: int, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["show", str(run_id), "-C", str(project.root)]) == 0
    return capsys.readouterr().out


def test_step_summaries_are_kept_per_step_masked_and_shown(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          report:
            runs-on: ubuntu-latest
            steps:
              - name: coverage
                run: |
                  echo "## Coverage 93%" >> "$GITHUB_STEP_SUMMARY"
                  echo "token ${{ secrets.API_TOKEN }}" >> "$GITHUB_STEP_SUMMARY"
              - name: quiet
                run: echo nothing to say
              - name: tests
                run: echo "| tests | 12 passed |" >> "$GITHUB_STEP_SUMMARY"
        """
    )
    project.commit()
    code, data = project.run("--secret", "API_TOKEN=hunter2-secret")
    assert code == 0, data
    with open_store(project.root) as store:
        (job,) = store.get_run(data["run_id"]).jobs
    summaries = {step.name: step.summary for step in job.steps}
    assert summaries == {
        "coverage": "## Coverage 93%\ntoken ***\n",
        "quiet": None,
        "tests": "| tests | 12 passed |\n",
    }
    shown = show(project, data["run_id"], capsys)
    assert "## Coverage 93%" in shown
    assert "token ***" in shown
    assert shown.index("Coverage") < shown.index("1. quiet") < shown.index("12 passed")
    assert "hunter2-secret" not in shown


def test_a_composite_action_is_one_step_in_the_record_and_nests(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write(
        ".github/actions/inner/action.yml",
        """
        name: inner
        inputs:
          word: {default: inner-default}
        outputs:
          said: {value: "${{ steps.say.outputs.said }}"}
        runs:
          using: composite
          steps:
            - id: say
              shell: bash
              run: |
                echo "said=${{ inputs.word }}" >> "$GITHUB_OUTPUT"
                echo "inner wrote this" >> "$GITHUB_STEP_SUMMARY"
        """,
    )
    project.write(
        ".github/actions/outer/action.yml",
        """
        name: outer
        inputs:
          word: {required: true}
        outputs:
          said: {value: "outer(${{ steps.in.outputs.said }})"}
        runs:
          using: composite
          steps:
            - id: in
              uses: ./.github/actions/inner
              with: {word: "${{ inputs.word }}"}
            - shell: bash
              run: echo "::warning file=outer.py,line=7::from the outer action"
        """,
    )
    project.workflow(
        """
        on: push
        jobs:
          nest:
            runs-on: ubuntu-latest
            steps:
              - name: first
                run: echo "first wrote this" >> "$GITHUB_STEP_SUMMARY"
              - id: outer
                name: outer
                uses: ./.github/actions/outer
                with: {word: hello}
              - name: check
                run: test "${{ steps.outer.outputs.said }}" = "outer(hello)"
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0, data
    assert jobs(data)["nest"]["steps"][1]["outputs"] == {"said": "outer(hello)"}
    with open_store(project.root) as store:
        (job,) = store.get_run(data["run_id"]).jobs
    # the action's own steps do not overwrite the job's steps of the same index
    assert [(s.index, s.name, s.summary) for s in job.steps] == [
        (0, "first", "first wrote this\n"),
        (1, "outer", "inner wrote this\n"),
        (2, "check", None),
    ]
    assert [(a.step_index, a.file, a.line) for a in job.annotations] == [(1, "outer.py", 7)]
    capsys.readouterr()
    assert main(["logs", str(data["run_id"]), "nest", "--step", "0", "-C", str(project.root)]) == 0
    log = capsys.readouterr().out
    assert "first" in log
    assert "from the outer action" not in log


def test_workflow_commands_end_to_end(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.workflow(
        """
        on: push
        jobs:
          cmds:
            runs-on: ubuntu-latest
            steps:
              - id: s
                run: |
                  echo "::error file=app.py,line=3::broken here"
                  echo "::group::Install things"
                  echo inside-the-group
                  echo "::endgroup::"
                  echo "::stop-commands::pause-token"
                  echo "::error::not an annotation while stopped"
                  echo "::pause-token::"
                  echo "::set-output name=old::legacy-value"
              - run: test "${{ steps.s.outputs.old }}" = legacy-value
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    assert jobs(data)["cmds"]["steps"][0]["outputs"] == {"old": "legacy-value"}
    assert "▸ Install things" in out
    assert "inside-the-group" in out
    assert "::endgroup::" not in out
    assert "::error::not an annotation while stopped" in out  # printed as it is
    table = out[out.index("push: success") :]
    assert "error: cmds: app.py:3: broken here" in table
    assert "set-output` command is deprecated" in table
    assert "not an annotation" not in table
    shown = show(project, data["run_id"], capsys)
    assert "error: app.py:3: broken here" in shown
    assert "not an annotation" not in shown


def test_continue_on_error_covers_a_failing_composite_action(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write(
        ".github/actions/flaky/action.yml",
        """
        name: flaky
        runs:
          using: composite
          steps:
            - shell: bash
              run: exit 1
            - shell: bash
              run: echo inner-skipped
            - if: always()
              shell: bash
              run: echo inner-cleanup
        """,
    )
    project.workflow(
        """
        on: push
        jobs:
          tolerant:
            runs-on: ubuntu-latest
            steps:
              - id: flaky
                continue-on-error: true
                uses: ./.github/actions/flaky
              - id: after
                run: echo "after ${{ steps.flaky.outcome }} ${{ steps.flaky.conclusion }}"
          strict:
            runs-on: ubuntu-latest
            steps:
              - id: flaky
                uses: ./.github/actions/flaky
              - id: after
                run: echo never
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 1
    results = {
        name: (job["status"], [(s["id"], s["outcome"], s["conclusion"]) for s in job["steps"]])
        for name, job in jobs(data).items()
    }
    assert results == {
        "tolerant": (
            "success",
            [("flaky", "failure", "success"), ("after", "success", "success")],
        ),
        "strict": ("failure", [("flaky", "failure", "failure"), ("after", "skipped", "skipped")]),
    }
    assert "after failure success" in out
    assert "inner-skipped" not in out
    assert out.count("]   inner-cleanup") == 2
