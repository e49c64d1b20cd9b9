"""Run history as a user reads it back: job ids, matrix legs and `rerun --failed`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.run.conftest import Project, statuses

from conveyor.cli import main
from conveyor.store import open_store


def test_rerun_failed_finds_named_jobs_and_matrix_legs(project: Project, tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    project.workflow(
        f"""
        on: push
        jobs:
          build:
            name: Build the wheel
            runs-on: ubuntu-latest
            steps:
              - run: test -f "{flag}"
          test:
            runs-on: ubuntu-latest
            strategy:
              matrix: {{n: [1, 2]}}
            steps:
              - run: test ${{{{ matrix.n }}}} = 1 || test -f "{flag}"
          fine:
            runs-on: ubuntu-latest
            steps: [{{run: "true"}}]
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    with open_store(project.root) as store:
        recorded = [(j.job_id, j.name, j.matrix) for j in store.get_run(data["run_id"]).jobs]
    assert sorted(recorded, key=lambda row: row[1]) == [
        ("build", "Build the wheel", None),
        ("fine", "fine", None),
        ("test", "test (1)", {"n": 1}),
        ("test", "test (2)", {"n": 2}),
    ]
    flag.write_text("")
    out = tmp_path / "rerun.json"
    args = ["rerun", str(data["run_id"]), "--failed", "-C", str(project.root), "--json", str(out)]
    assert main(args) == 0
    again = json.loads(out.read_text())
    assert statuses(again) == {
        "Build the wheel": "success",
        "test (1)": "success",
        "test (2)": "success",
        "fine": "success",
    }


def test_rerun_failed_runs_a_called_workflow_again(project: Project, tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    counter = tmp_path / "lint-runs"
    project.workflow(
        f"""
        on: workflow_call
        jobs:
          lint:
            runs-on: ubuntu-latest
            steps: [{{run: echo run >> "{counter}"}}]
          test:
            runs-on: ubuntu-latest
            steps: [{{run: test -f "{flag}"}}]
        """,
        name="checks.yml",
    )
    project.workflow(
        """
        on: push
        jobs:
          checks:
            uses: ./.github/workflows/checks.yml
          ship:
            needs: checks
            runs-on: ubuntu-latest
            steps: [{run: echo ship}]
          docs:
            runs-on: ubuntu-latest
            steps: [{run: echo docs}]
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    assert statuses(data) == {
        "checks / lint": "success",
        "checks / test": "failure",
        "ship": "skipped",
        "docs": "success",
    }
    flag.write_text("")
    out = tmp_path / "rerun.json"
    args = ["rerun", str(data["run_id"]), "--failed", "-C", str(project.root), "--json", str(out)]
    assert main(args) == 0
    assert statuses(json.loads(out.read_text())) == {
        "checks / lint": "success",
        "checks / test": "success",
        "ship": "success",
        "docs": "success",
    }
    assert counter.read_text() == "run\nrun\n"  # the whole called workflow ran again
