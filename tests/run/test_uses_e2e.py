"""`uses:` end to end: what conveyor runs, and clear failures for what it cannot."""

from __future__ import annotations

import pytest
from tests.run.conftest import Project, jobs, statuses

from conveyor.cli import main


def test_actions_not_in_the_action_cache_fail_their_step_with_the_action_and_a_hint(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          node:
            runs-on: ubuntu-latest
            steps:
              - id: checkout
                uses: actions/checkout@v4
              - id: checkout-full
                uses: actions/checkout@v4
                with: {fetch-depth: 0, persist-credentials: false}
              - id: history
                run: git log --oneline | grep -q "second commit"
              - id: node
                uses: octo-org/deploy-action@v2
                with: {environment: staging}
              - id: image
                if: always()
                uses: docker://alpine:3
              - id: cleanup
                if: always()
                run: echo cleanup-ran
        """
    )
    project.commit("first commit")
    project.commit("second commit")
    code, data = project.run("-v")
    out, err = capsys.readouterr()
    assert code == 1
    steps = {s["id"]: s["outcome"] for s in jobs(data)["node"]["steps"]}
    assert steps == {
        "checkout": "success",
        "checkout-full": "success",
        "history": "success",
        "node": "failure",
        "image": "failure",
        "cleanup": "success",
    }
    assert (
        "`uses: octo-org/deploy-action@v2`: the action's code is not in conveyor's action cache"
        in out
    )
    assert "conveyor actions add octo-org/deploy-action@v2 --from DIR" in out
    assert "--allow-network" in out
    assert "`uses: docker://alpine:3`: Docker images need a Docker engine" in out
    assert "cleanup-ran" in out
    assert "Traceback" not in out + err
    assert "internal error" not in out + err


def test_checkout_of_another_repository_is_refused_by_name(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          other:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with: {repository: octo/elsewhere}
        """
    )
    project.commit()
    code, data = project.run("-v")
    assert code == 1
    assert statuses(data) == {"other": "failure"}
    assert "octo/elsewhere" in capsys.readouterr().out


def test_a_reusable_workflow_from_another_repository_fails_its_job_clearly(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          remote:
            uses: octo/shared/.github/workflows/build.yml@v1
          after:
            needs: remote
            if: always()
            runs-on: ubuntu-latest
            steps: [{run: echo after}]
          skipped:
            needs: remote
            runs-on: ubuntu-latest
            steps: [{run: echo never}]
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 1, out
    assert statuses(data) == {"remote": "failure", "after": "success", "skipped": "skipped"}
    assert "[remote] ✗ failure" in out
    assert "calls a workflow in another repository" in out
    # jobs that never ran are in the history too, with their result
    assert main(["show", str(data["run_id"]), "-C", str(project.root)]) == 0
    shown = capsys.readouterr().out
    assert "remote: failure" in shown
    assert "skipped: skipped" in shown


@pytest.mark.parametrize(
    ("callee", "message", "hint"),
    [
        (None, "reusable workflow `./.github/workflows/called.yml` not found", "relative to"),
        (
            "on: push\njobs:\n  x: {runs-on: ubuntu-latest, steps: [{run: echo x}]}\n",
            "is not a reusable workflow: it has no `on: workflow_call`",
            "add `workflow_call:`",
        ),
    ],
)
def test_a_missing_or_uncallable_reusable_workflow_is_a_usage_error(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    callee: str | None,
    message: str,
    hint: str,
) -> None:
    if callee is not None:
        project.workflow(callee, name="called.yml")
    project.workflow(
        """
        on: workflow_dispatch
        jobs:
          call:
            uses: ./.github/workflows/called.yml
        """
    )
    project.commit()
    code, data = project.run("workflow_dispatch", "-W", "ci.yml")
    err = capsys.readouterr().err
    assert code == 2
    assert data == {}
    assert "ci.yml:4:11" in err
    assert message in err
    assert hint in err
