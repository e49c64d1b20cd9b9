"""`conveyor run --dry-run` and `conveyor list` say which steps cannot run on this host."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from tests.run.conftest import Project

from conveyor.actions.sources import ActionCache, parse_ref
from conveyor.cli import main
from conveyor.run import preflight
from conveyor.workflow.model import Step

WORKFLOW = """
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo hi
      - uses: docker://alpine:3
      - uses: ./local-docker
      - uses: ./local-node
      - uses: octo/missing@v1
      - uses: octo/cached@v2
  db:
    runs-on: ubuntu-latest
    container: python:3.12
    services:
      redis: redis:7
    steps:
      - run: echo db
"""


def write_action(root: Path, using: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    runs = (
        "using: docker\n  image: Dockerfile"
        if using == "docker"
        else f"using: {using}\n  main: index.js"
    )
    (root / "action.yml").write_text(textwrap.dedent(f"name: x\nruns:\n  {runs}\n"))
    (root / "index.js").write_text("console.log('x')\n")
    return root


@pytest.fixture
def planned(project: Project, tmp_path: Path) -> Project:
    project.workflow(WORKFLOW)
    write_action(project.root / "local-docker", "docker")
    write_action(project.root / "local-node", "node20")
    project.commit()
    assert (
        main(
            [
                "actions",
                "add",
                "octo/cached@v2",
                "--from",
                str(write_action(tmp_path / "c", "node20")),
            ]
        )
        == 0
    )
    return project


def problem_lines(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.strip().startswith("!")]


def test_a_dry_run_lists_what_will_not_run_under_its_job(
    planned: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["run", "--dry-run", "-C", str(planned.root)]) == 0
    out = capsys.readouterr().out
    assert problem_lines(out) == [
        "! step 3 (`docker://alpine:3`): Docker images need a Docker engine",
        "! step 4 (`./local-docker`): a Docker action needs a Docker engine",
        "! step 6 (`octo/missing@v1`): not in the action cache: `conveyor actions add "
        "octo/missing@v1 --from DIR`, or run with --allow-network",
        "! `container:` needs a Docker engine: the job will fail",
        "! `services:` need a Docker engine: the job will fail",
    ]
    assert out.index("step 3") > out.index("    build")
    assert out.index("container:") > out.index("    db")
    assert not (planned.root / ".conveyor").exists()  # nothing ran


def test_with_allow_network_a_missing_action_is_not_a_problem(
    planned: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["run", "--dry-run", "--allow-network", "-C", str(planned.root)]) == 0
    assert not any("octo/missing" in line for line in problem_lines(capsys.readouterr().out))


def test_list_shows_the_same_problems(planned: Project, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["list", "-C", str(planned.root)]) == 0
    assert len(problem_lines(capsys.readouterr().out)) == 5


def test_step_problems_name_the_step_and_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_action(tmp_path / "act", "node24")
    cache = ActionCache(tmp_path / "cache")

    def problem(**fields: str) -> str | None:
        step = Step(index=0, **fields)  # type: ignore[arg-type]
        return preflight.step_problem(step, repo=tmp_path, cache=cache, allow_network=False)

    assert problem(run="echo") is None
    assert problem(uses="actions/setup-python@v5") is None
    assert problem(uses="./act") is None
    monkeypatch.setattr(preflight.shutil, "which", lambda name: None)
    assert problem(uses="./act") == "a node24 action needs `node` on PATH"
    assert "nowhere" in (problem(uses="./nowhere") or "")
    cache.add(parse_ref("o/r@v1"), tmp_path / "act")
    assert "sub" in (problem(uses="o/r/sub@v1") or "")
    assert problem(uses="not-a-ref") == "`not-a-ref` is not an action reference"
