"""Shells end to end: GitHub's templates for `run:` steps, and `defaults.run`."""

from __future__ import annotations

import shutil

import pytest
from tests.run.conftest import Project, jobs


def outcomes(data: dict[str, object], job: str) -> dict[str, str]:
    return {s["id"]: s["outcome"] for s in jobs(data)[job]["steps"]}  # type: ignore[arg-type]


def test_shells_fail_as_githubs_templates_say(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          shells:
            runs-on: ubuntu-latest
            steps:
              - id: middle-fails
                continue-on-error: true
                run: |
                  false
                  echo after-false
              - id: pipe-default
                run: false | true
              - id: pipe-bash
                continue-on-error: true
                shell: bash
                run: false | true
              - id: sh
                shell: sh
                run: test "$(basename "$(ps -p $$ -o comm=)")" = sh && echo "plain sh"
              - id: python
                shell: python
                run: |
                  import sys
                  print("python says", sys.version_info[0])
                  sys.exit(0)
              - id: python-fails
                continue-on-error: true
                shell: python
                run: raise SystemExit(4)
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 0, out
    assert outcomes(data, "shells") == {
        "middle-fails": "failure",  # bash -e: the first failing command ends the step
        "pipe-default": "success",  # no pipefail by default
        "pipe-bash": "failure",  # `shell: bash` adds -o pipefail
        "sh": "success",
        "python": "success",
        "python-fails": "failure",
    }
    assert "after-false" not in out
    assert "plain sh" in out
    assert "python says 3" in out


@pytest.mark.skipif(shutil.which("perl") is None, reason="needs perl on PATH")
def test_a_custom_shell_template(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.workflow(
        """
        on: push
        jobs:
          perl:
            runs-on: ubuntu-latest
            steps:
              - shell: perl {0}
                run: print "perl says ", 6 * 7, "\\n";
        """
    )
    project.commit()
    code, data = project.run("-v")
    assert code == 0, data
    assert "perl says 42" in capsys.readouterr().out


def test_defaults_run_at_workflow_and_job_level(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("app/lib/.keep", "")
    project.write("app/bin/.keep", "")
    project.workflow(
        """
        on: push
        defaults:
          run:
            shell: python
            working-directory: app
        jobs:
          workflow-defaults:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  import os
                  print("wf:", os.path.basename(os.getcwd()))
              - shell: bash
                working-directory: app/bin
                run: |
                  echo "step overrides: $(basename "$PWD") ${BASH_VERSION:+bash}"
          job-defaults:
            runs-on: ubuntu-latest
            defaults:
              run:
                shell: sh
                working-directory: app/lib
            steps:
              - run: |
                  echo "job: $(basename "$PWD") $(basename "$(ps -p $$ -o comm=)")"
          missing-directory:
            runs-on: ubuntu-latest
            defaults:
              run:
                working-directory: nowhere
            steps:
              - run: echo never
        """
    )
    project.commit()
    code, data = project.run("-v")
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "wf: app" in out
    assert "step overrides: bin bash" in out
    assert "job: lib sh" in out
    assert jobs(data)["missing-directory"]["status"] == "failure"
    assert "working-directory `nowhere` does not exist in the workspace" in out
