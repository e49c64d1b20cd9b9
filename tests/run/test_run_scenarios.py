"""`conveyor run` end to end: real repositories, real processes, GitHub's semantics."""

from __future__ import annotations

import json

import pytest
from tests.run.conftest import Project, jobs, statuses


def test_jobs_run_in_needs_order_and_share_outputs(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        name: CI
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            outputs:
              wheel: ${{ steps.make.outputs.wheel }}
            steps:
              - id: make
                run: echo "wheel=app-1.0.whl" >> "$GITHUB_OUTPUT"
          test:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - run: test "${{ needs.build.outputs.wheel }}" = app-1.0.whl
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0
    assert data["status"] == "success"
    assert statuses(data) == {"build": "success", "test": "success"}
    assert jobs(data)["build"]["outputs"] == {"wheel": "app-1.0.whl"}
    assert jobs(data)["build"]["steps"][0]["outputs"] == {"wheel": "app-1.0.whl"}


def test_a_failed_job_skips_its_dependants_unless_they_ask(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          lint:
            runs-on: ubuntu-latest
            steps: [{run: exit 3}]
          test:
            needs: lint
            runs-on: ubuntu-latest
            steps: [{run: echo never}]
          report:
            needs: [lint, test]
            if: always()
            runs-on: ubuntu-latest
            steps:
              - run: test "${{ needs.lint.result }}" = failure && test "${{ needs.test.result }}" = skipped
          on-failure:
            needs: lint
            if: failure()
            runs-on: ubuntu-latest
            steps: [{run: echo cleaning up}]
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    assert statuses(data) == {
        "lint": "failure",
        "test": "skipped",
        "report": "success",
        "on-failure": "success",
    }


def test_step_outcome_and_conclusion_with_continue_on_error(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          check:
            runs-on: ubuntu-latest
            steps:
              - id: flaky
                continue-on-error: true
                run: exit 1
              - run: test "${{ steps.flaky.outcome }}" = failure && test "${{ steps.flaky.conclusion }}" = success
              - if: failure()
                run: echo "not reached"
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0
    steps = jobs(data)["check"]["steps"]
    assert [(s["outcome"], s["conclusion"]) for s in steps] == [
        ("failure", "success"),
        ("success", "success"),
        ("skipped", "skipped"),
    ]


def test_job_continue_on_error_from_the_matrix_lets_a_leg_fail_as_on_github(
    project: Project,
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            continue-on-error: ${{ matrix.experimental }}
            strategy:
              matrix:  # fail-fast is on by default
                python: ["3.11"]
                experimental: [false]
                include:
                  - python: "next"
                    experimental: true
            steps:
              - run: |
                  if [ "${{ matrix.experimental }}" = true ]; then exit 1; fi
                  sleep 0.5  # still running when the experimental leg fails
          after:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - run: test "${{ needs.test.result }}" = success
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0
    assert data["status"] == "success"
    assert statuses(data) == {
        "test (3.11, false)": "success",  # fail-fast left it alone
        "test (next, true)": "failure",  # shown failed, as GitHub's check shows it
        "after": "success",  # it saw `needs.test.result == 'success'`
    }


def test_a_leg_whose_continue_on_error_is_false_still_fails_the_workflow(
    project: Project,
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            continue-on-error: ${{ matrix.experimental }}
            strategy:
              fail-fast: false
              matrix:
                experimental: [false, true]
            steps: [{run: exit 1}]
          after:
            needs: test
            if: always()
            runs-on: ubuntu-latest
            steps:
              - run: echo "RESULT ${{ needs.test.result }}" && test "${{ needs.test.result }}" = failure
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    assert data["status"] == "failure"
    assert statuses(data) == {
        "test (false)": "failure",
        "test (true)": "failure",
        "after": "success",
    }


def test_matrix_legs_get_githubs_names_and_values(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                python: ["3.11", "3.12"]
                os: [ubuntu-latest]
                include:
                  - python: "3.12"
                    extra: slow
            steps:
              - run: echo "py=${{ matrix.python }} extra=${{ matrix.extra }} leg=${{ strategy.job-index }}/${{ strategy.job-total }}"
        """
    )
    project.commit()
    code, data = project.run("--matrix", "python:3.12")
    assert code == 0
    assert list(statuses(data)) == ["test (3.12, ubuntu-latest)"]
    assert jobs(data)["test (3.12, ubuntu-latest)"]["matrix"] == {
        "python": "3.12",
        "os": "ubuntu-latest",
        "extra": "slow",
    }


def test_env_layers_and_github_env_and_path(project: Project) -> None:
    project.write("tools/hello", "#!/bin/sh\necho hello-from-path\n")
    project.workflow(
        """
        on: push
        env: {LEVEL: workflow, ONLY_WF: w}
        jobs:
          env:
            runs-on: ubuntu-latest
            env: {LEVEL: job}
            steps:
              - run: |
                  chmod +x tools/hello
                  echo "FROM_STEP=one" >> "$GITHUB_ENV"
                  echo "$PWD/tools" >> "$GITHUB_PATH"
                  {
                    echo "MULTI<<EOF"
                    echo "line 1"
                    echo "line 2"
                    echo "EOF"
                  } >> "$GITHUB_ENV"
              - env: {LEVEL: step}
                run: |
                  test "$LEVEL" = step
                  test "$ONLY_WF" = w
                  test "$FROM_STEP" = one
                  test "$(printf '%s' "$MULTI" | wc -l)" = 1
                  test "$(hello)" = hello-from-path
                  test "${{ env.LEVEL }}" = step
                  test "$GITHUB_ACTIONS" = true && test "$CI" = true
                  test "$GITHUB_EVENT_NAME" = push && test -f "$GITHUB_EVENT_PATH"
                  test "$GITHUB_WORKSPACE" = "$PWD"
                  test -n "$RUNNER_TEMP" && test -d "$RUNNER_TEMP"
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0, data


def test_branch_filters_decide_what_runs(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on:
          push:
            branches: [release/**]
        jobs:
          deploy: {runs-on: ubuntu-latest, steps: [{run: echo deploy}]}
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0
    assert data == {}
    assert "branch `main`" in capsys.readouterr().out


def test_secrets_are_masked_everywhere(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          leak:
            runs-on: ubuntu-latest
            outputs:
              token: ${{ steps.s.outputs.token }}
            steps:
              - id: s
                run: |
                  echo "the token is ${{ secrets.API_TOKEN }}"
                  echo "token=${{ secrets.API_TOKEN }}" >> "$GITHUB_OUTPUT"
                  echo "::add-mask::runtime-value"
                  echo "later: runtime-value"
        """
    )
    project.commit()
    code, data = project.run("--secret", "API_TOKEN=hunter2-secret", "-v")
    out = capsys.readouterr().out
    assert code == 0
    assert "hunter2-secret" not in out
    assert "the token is ***" in out
    assert "later: ***" in out
    assert "hunter2-secret" not in str(data)
    assert jobs(data)["leak"]["outputs"] == {}  # GitHub drops outputs holding secrets
    logs = "".join(p.read_text() for p in (project.root / ".conveyor" / "logs").rglob("*.log"))
    assert "the token is ***" in logs
    assert "hunter2-secret" not in logs


def test_a_step_timeout_kills_the_step_and_fails_the_job(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          slow:
            runs-on: ubuntu-latest
            steps:
              - timeout-minutes: 0.02
                run: sleep 30
              - if: always()
                run: echo cleanup
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    steps = jobs(data)["slow"]["steps"]
    assert [s["outcome"] for s in steps] == ["failure", "success"]


def test_local_composite_action_with_inputs_and_outputs(project: Project) -> None:
    project.write(
        ".github/actions/greet/action.yml",
        """
        name: greet
        inputs:
          who: {required: true}
          greeting: {default: Hello}
        outputs:
          message: {value: "${{ steps.say.outputs.message }}"}
        runs:
          using: composite
          steps:
            - id: say
              shell: bash
              run: echo "message=${{ inputs.greeting }}, ${{ inputs.who }}" >> "$GITHUB_OUTPUT"
        """,
    )
    project.workflow(
        """
        on: push
        jobs:
          hi:
            runs-on: ubuntu-latest
            steps:
              - id: greet
                uses: ./.github/actions/greet
                with: {who: world}
              - run: test "${{ steps.greet.outputs.message }}" = "Hello, world"
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0, data
    assert jobs(data)["hi"]["steps"][0]["outputs"] == {"message": "Hello, world"}


def test_local_reusable_workflow_with_inputs_outputs_and_secrets(project: Project) -> None:
    project.workflow(
        """
        on:
          workflow_call:
            inputs:
              level: {type: number, default: 1}
            outputs:
              doubled: {value: "${{ jobs.calc.outputs.doubled }}"}
            secrets:
              TOKEN: {required: true}
        jobs:
          calc:
            runs-on: ubuntu-latest
            outputs:
              doubled: ${{ steps.d.outputs.value }}
            steps:
              - id: d
                run: |
                  test "${{ secrets.TOKEN }}" = s3cret
                  echo "value=$(( ${{ inputs.level }} * 2 ))" >> "$GITHUB_OUTPUT"
        """,
        name="reusable.yml",
    )
    project.workflow(
        """
        on: push
        jobs:
          call:
            uses: ./.github/workflows/reusable.yml
            with: {level: 21}
            secrets: inherit
          after:
            needs: call
            runs-on: ubuntu-latest
            steps:
              - run: test "${{ needs.call.outputs.doubled }}" = 42
        """
    )
    project.commit()
    code, data = project.run("--secret", "TOKEN=s3cret")
    assert code == 0, data
    assert statuses(data) == {"call / calc": "success", "after": "success"}


def test_jobs_for_another_os_are_skipped_with_the_reason(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          win:
            runs-on: windows-latest
            steps: [{run: echo hi}]
          linux:
            runs-on: ubuntu-latest
            steps: [{run: echo hi}]
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0
    assert statuses(data) == {"win": "skipped", "linux": "success"}


def test_container_jobs_fail_with_a_clear_message(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.workflow(
        """
        on: push
        jobs:
          db:
            runs-on: ubuntu-latest
            container: postgres:16
            steps: [{run: echo hi}]
        """
    )
    project.commit()
    code, data = project.run("-v")
    assert code == 1
    assert statuses(data) == {"db": "failure"}
    assert "needs a Docker engine" in capsys.readouterr().out


def test_dry_run_prints_the_plan_and_runs_nothing(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    from conveyor.cli import main

    project.workflow(
        """
        on: push
        jobs:
          a: {runs-on: ubuntu-latest, steps: [{run: touch ran}]}
          b:
            needs: a
            runs-on: ubuntu-latest
            strategy: {matrix: {py: ["3.11", "3.12"]}}
            steps: [{run: touch ran}]
        """
    )
    project.commit()
    assert main(["run", "-C", str(project.root), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "b (3.11)  needs: a" in out
    assert "b (3.12)  needs: a" in out
    assert not (project.root / ".conveyor").exists()


def test_run_history_show_and_logs(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from conveyor.cli import main

    project.workflow(
        """
        name: CI
        on: push
        jobs:
          hello:
            runs-on: ubuntu-latest
            steps:
              - run: echo first-step
              - run: echo "::warning file=app.py,line=3::look here"
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 0
    run_id = data["run_id"]
    capsys.readouterr()
    assert main(["runs", "-C", str(project.root)]) == 0
    assert "CI" in capsys.readouterr().out
    assert main(["show", str(run_id), "-C", str(project.root)]) == 0
    shown = capsys.readouterr().out
    assert "hello: success" in shown
    assert "warning: app.py:3: look here" in shown
    assert main(["logs", str(run_id), "hello", "--step", "0", "-C", str(project.root)]) == 0
    log = capsys.readouterr().out
    assert "first-step" in log
    assert "look here" not in log


def test_rerun_failed_runs_only_failed_jobs_and_dependants(project: Project) -> None:
    from conveyor.cli import main

    flag = project.root.parent / "flag"
    counter = project.root.parent / "ok-runs"
    project.workflow(
        f"""
        on: push
        jobs:
          ok:
            runs-on: ubuntu-latest
            outputs:
              v: ${{{{ steps.s.outputs.v }}}}
            steps:
              - id: s
                run: |
                  echo "v=kept" >> "$GITHUB_OUTPUT"
                  echo run >> "{counter}"
          flaky:
            runs-on: ubuntu-latest
            steps:
              - run: test -f "{flag}"
          after:
            needs: [ok, flaky]
            runs-on: ubuntu-latest
            steps:
              - run: test "${{{{ needs.ok.outputs.v }}}}" = kept
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    assert statuses(data) == {"ok": "success", "flaky": "failure", "after": "skipped"}
    flag.write_text("")
    out = project.root.parent / "rerun.json"
    rerun = ["rerun", str(data["run_id"]), "--failed", "-C", str(project.root), "--json", str(out)]
    assert main(rerun) == 0
    again = json.loads(out.read_text())
    assert statuses(again) == {"ok": "success", "flaky": "success", "after": "success"}
    assert counter.read_text() == "run\n"  # the job that passed did not run again
    assert again["run_id"] != data["run_id"]


def test_failure_of_any_ancestor_job_makes_failure_true(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps: [{run: exit 1}]
          b:
            needs: a
            runs-on: ubuntu-latest
            steps: [{run: echo b}]
          cleanup:
            needs: b
            if: failure()
            runs-on: ubuntu-latest
            steps: [{run: echo cleanup}]
          only-on-success:
            needs: b
            if: success()
            runs-on: ubuntu-latest
            steps: [{run: echo never}]
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    assert statuses(data) == {
        "a": "failure",
        "b": "skipped",
        "cleanup": "success",
        "only-on-success": "skipped",
    }


def test_env_given_as_one_expression_at_job_and_step_level(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          whole:
            runs-on: ubuntu-latest
            env: >-
              ${{ fromJSON('{"FROM_JOB": "job", "N": 3}') }}
            steps:
              - env: >-
                  ${{ fromJSON('{"FROM_STEP": "step"}') }}
                run: test "$FROM_JOB-$N-$FROM_STEP" = job-3-step
          broken:
            runs-on: ubuntu-latest
            env: ${{ fromJSON('[1, 2]') }}
            steps: [{run: echo never}]
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    assert statuses(data) == {"whole": "success", "broken": "failure"}
