from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conveyor.actions.base import ActionFailed, ActionIO
from conveyor.actions.registry import builtin, post_step
from conveyor.actions.setup_python import SetupPython

from .conftest import Job, run_main, run_post

HERE = f"{sys.version_info.major}.{sys.version_info.minor}"


def activated_python(job: Job, io: ActionIO) -> str:
    """What `python` prints for its version in a step run after setup-python."""
    path = os.pathsep.join([*io.path, job.env["PATH"]])
    done = subprocess.run(
        ["python", "-c", "import sys; print(sys.version.split()[0])"],
        env={**job.env, **io.env, "PATH": path},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_registered_with_a_post_step_on_success() -> None:
    action = builtin("actions/setup-python")
    assert isinstance(action, SetupPython)
    post = post_step(action)
    assert post is not None
    assert post.condition == "success()"


def test_exact_minor_version_is_found_activated_and_reported(job: Job) -> None:
    io = run_main(SetupPython(), job.call("actions/setup-python@v5", {"python-version": HERE}))
    version = io.outputs["python-version"]
    assert version.startswith(HERE + ".")
    assert Path(io.outputs["python-path"]).is_file()
    assert activated_python(job, io) == version
    assert io.env["pythonLocation"]
    assert "cache-hit" not in io.outputs


@pytest.mark.parametrize("given", ["3.x", f">={HERE} <4", f"3.x\n{HERE}"])
def test_ranges_and_lists(job: Job, given: str) -> None:
    io = run_main(SetupPython(), job.call("actions/setup-python@v5", {"python-version": given}))
    assert io.outputs["python-version"].startswith("3.")


def test_python_version_file(job: Job) -> None:
    (job.workspace / ".python-version").write_text(f"{HERE}\n")
    io = run_main(SetupPython(), job.call("actions/setup-python@v5"))
    assert io.outputs["python-version"].startswith(HERE)
    assert any("Reading '.python-version'" in w for w in io.warnings)
    (job.workspace / "pyproject.toml").write_text(f'[project]\nrequires-python = ">={HERE}"\n')
    io = run_main(
        SetupPython(),
        job.call("actions/setup-python@v5", {"python-version-file": "pyproject.toml"}),
    )
    assert io.outputs["python-version"].startswith(HERE)


def test_missing_version_without_network_names_the_command(job: Job) -> None:
    with pytest.raises(ActionFailed) as caught:
        run_main(SetupPython(), job.call("actions/setup-python@v5", {"python-version": "3.4"}))
    text = str(caught.value)
    assert "3.4 is not installed on this machine" in text
    assert "uv python install 3.4" in text


def test_update_environment_false_changes_nothing(job: Job) -> None:
    call = job.call(
        "actions/setup-python@v5", {"python-version": HERE, "update-environment": "false"}
    )
    io = run_main(SetupPython(), call)
    assert io.path == []
    assert io.env == {}
    assert io.outputs["python-version"].startswith(HERE)


def test_check_latest_is_ignored_and_other_architecture_refused(job: Job) -> None:
    io = run_main(
        SetupPython(),
        job.call("actions/setup-python@v5", {"python-version": HERE, "check-latest": "true"}),
    )
    assert any("check-latest" in line for line in io.debug)
    with pytest.raises(ActionFailed, match="architecture `x86`"):
        run_main(
            SetupPython(),
            job.call("actions/setup-python@v5", {"python-version": HERE, "architecture": "x86"}),
        )


def test_pip_cache_restored_in_main_saved_in_post(job: Job) -> None:
    (job.workspace / "requirements.txt").write_text("attrs\n")
    call = job.call("actions/setup-python@v5", {"python-version": HERE, "cache": "pip"})
    io = run_main(SetupPython(), call)
    assert io.outputs["cache-hit"] == "false"
    pip_dir = Path(io.env["PIP_CACHE_DIR"])
    assert job.root / "user-cache" in pip_dir.parents
    (pip_dir / "http").mkdir(parents=True)
    (pip_dir / "http" / "wheel").write_text("w")
    post = run_post(SetupPython(), call, io.state)
    assert any(line.startswith("Cache saved") for line in post.lines)
    (pip_dir / "http" / "wheel").unlink()
    again = run_main(SetupPython(), call)
    assert again.outputs["cache-hit"] == "true"
    assert (pip_dir / "http" / "wheel").read_text() == "w"
    (job.workspace / "requirements.txt").write_text("attrs\nrich\n")
    changed = run_main(SetupPython(), call)
    assert changed.outputs["cache-hit"] == "false"  # restored by prefix, not a hit


def test_cache_without_dependency_files_fails(job: Job) -> None:
    call = job.call("actions/setup-python@v5", {"python-version": HERE, "cache": "poetry"})
    with pytest.raises(ActionFailed, match=r"matched to \[\*\*/poetry.lock\]"):
        run_main(SetupPython(), call)
    call = job.call("actions/setup-python@v5", {"python-version": HERE, "cache": "conda"})
    with pytest.raises(ActionFailed, match="Caching for 'conda' is not supported"):
        run_main(SetupPython(), call)


UV = """#!/bin/sh
if [ "$1 $2" = "python list" ]; then echo "[]"; exit 0; fi
if [ "$1 $2" = "python install" ]; then echo "pretending to install $3"; exit 0; fi
exit 2
"""


def test_with_network_installs_through_the_jobs_runner_once(job: Job, tmp_path: Path) -> None:
    bin_dir = tmp_path / "uv-bin"
    bin_dir.mkdir()
    (bin_dir / "uv").write_text(UV)
    (bin_dir / "uv").chmod(0o755)
    job.env["PATH"] = os.pathsep.join([str(bin_dir), job.env["PATH"]])
    call = job.call("actions/setup-python@v5", {"python-version": "3.4"}, allow_network=True)
    with pytest.raises(ActionFailed, match=r"3\.4 is not installed"):
        run_main(SetupPython(), call)
    assert job.ran == [[str(bin_dir / "uv"), "python", "install", "3.4"]]
    assert "pretending to install 3.4" in job.log()
