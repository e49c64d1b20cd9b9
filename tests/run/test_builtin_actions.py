"""Built-in actions through `conveyor run`: post steps, caches across runs, artifacts."""

from __future__ import annotations

import sys

import pytest
from tests.run.conftest import Project, jobs, statuses

PY = f"{sys.version_info.major}.{sys.version_info.minor}"


def test_cache_is_saved_by_the_post_step_and_hit_on_the_next_run(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          deps:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - id: cache
                uses: actions/cache@v4
                with:
                  path: .deps
                  key: deps-${{ hashFiles('requirements.txt') }}
              - if: steps.cache.outputs.cache-hit != 'true'
                run: mkdir -p .deps && echo built > .deps/marker
              - run: test "$(cat .deps/marker)" = built
        """
    )
    project.write("requirements.txt", "click==8.1\n")
    project.commit()
    code, first = project.run("-v")
    assert code == 0, first
    steps = jobs(first)["deps"]["steps"]
    assert steps[1]["outputs"]["cache-hit"] == "false"
    assert steps[-1]["name"].startswith("Post ")  # the cache is saved after the job's steps
    code, second = project.run("-v")
    assert code == 0, second
    steps = jobs(second)["deps"]["steps"]
    assert steps[1]["outputs"]["cache-hit"] == "true"
    assert steps[2]["outcome"] == "skipped"  # nothing to build: restored from the cache


def test_setup_python_finds_this_interpreter_and_names_a_missing_one(project: Project) -> None:
    project.workflow(
        f"""
        on: push
        jobs:
          here:
            runs-on: ubuntu-latest
            steps:
              - id: py
                uses: actions/setup-python@v5
                with: {{python-version: "{PY}"}}
              - run: python -c "import sys; assert sys.version.startswith('{PY}')"
          missing:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-python@v5
                with: {{python-version: "2.1"}}
        """
    )
    project.commit()
    code, data = project.run("-v")
    assert code == 1
    assert statuses(data) == {"here": "success", "missing": "failure"}
    assert jobs(data)["here"]["steps"][0]["outputs"]["python-version"].startswith(PY)


@pytest.mark.parametrize("merge", [False, True])
def test_artifacts_pass_between_jobs(project: Project, merge: bool) -> None:
    project.workflow(
        f"""
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: mkdir -p dist && echo wheel > dist/app-1.0.whl
              - uses: actions/upload-artifact@v4
                with: {{name: dist, path: dist/}}
          test:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
                with: {{pattern: "d*", path: got, merge-multiple: {str(merge).lower()}}}
              - run: test "$(cat got/{"" if merge else "dist/"}app-1.0.whl)" = wheel
        """
    )
    project.commit()
    code, data = project.run("-v")
    assert code == 0, data
    assert statuses(data) == {"build": "success", "test": "success"}
