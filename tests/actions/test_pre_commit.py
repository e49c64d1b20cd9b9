from __future__ import annotations

import os
from pathlib import Path

import pytest

from conveyor.actions.base import ActionFailed
from conveyor.actions.pre_commit import PreCommit
from conveyor.actions.registry import builtin

from .conftest import Job, run_main

# A stand-in for pre-commit: records its arguments and home, fails when told to.
STAND_IN = """#!/bin/sh
echo "$@" > "$PWD/.args"
echo "$PRE_COMMIT_HOME" > "$PWD/.home"
[ -f "$PWD/.fail" ] && exit 1
exit 0
"""


@pytest.fixture
def hooks_job(job: Job, tmp_path: Path) -> Job:
    bin_dir = tmp_path / "pc-bin"
    bin_dir.mkdir()
    program = bin_dir / "pre-commit"
    program.write_text(STAND_IN)
    program.chmod(0o755)
    job.env["PATH"] = os.pathsep.join([str(bin_dir), job.env["PATH"]])
    return job


def test_runs_with_the_actions_arguments_and_a_shared_home(hooks_job: Job) -> None:
    assert isinstance(builtin("pre-commit/action"), PreCommit)
    run_main(PreCommit(), hooks_job.call("pre-commit/action@v3.0.1"))
    ws = hooks_job.workspace
    assert (ws / ".args").read_text().split() == [
        "run",
        "--show-diff-on-failure",
        "--color=always",
        "--all-files",
    ]
    assert (ws / ".home").read_text().strip() == str(hooks_job.root / "user-cache" / "pre-commit")


def test_extra_args_and_failure(hooks_job: Job) -> None:
    call = hooks_job.call("pre-commit/action@v3.0.1", {"extra_args": "ruff --files 'a b.py'"})
    run_main(PreCommit(), call)
    assert (hooks_job.workspace / ".args").read_text().split()[-3:] == ["--files", "a", "b.py"]
    (hooks_job.workspace / ".fail").write_text("")
    with pytest.raises(ActionFailed, match="pre-commit failed"):
        run_main(PreCommit(), call)


def test_not_installed_without_network(job: Job) -> None:
    with pytest.raises(ActionFailed, match="pre-commit is not installed") as caught:
        run_main(PreCommit(), job.call("pre-commit/action@v3.0.1"))
    assert "pip install pre-commit" in str(caught.value)
