from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conveyor.actions.base import ActionFailed
from conveyor.actions.registry import builtin, post_step
from conveyor.actions.setup_uv import SetupUv

from .conftest import Job, run_main

# A stand-in for uv: answers --version and makes `uv venv` with the stdlib's venv.
UV = f"""#!/bin/sh
if [ "$1" = "--version" ]; then echo "uv 0.5.4 (stand-in)"; exit 0; fi
if [ "$1" = "venv" ]; then exec {sys.executable} -m venv --without-pip "$2"; fi
echo "unexpected: $*" >&2; exit 2
"""


@pytest.fixture
def uv_job(job: Job, tmp_path: Path) -> Job:
    bin_dir = tmp_path / "uv-bin"
    bin_dir.mkdir()
    uv = bin_dir / "uv"
    uv.write_text(UV)
    uv.chmod(0o755)
    job.env["PATH"] = os.pathsep.join([str(bin_dir), job.env["PATH"]])
    return job


def test_registered_without_post() -> None:
    action = builtin("Astral-SH/setup-uv")
    assert isinstance(action, SetupUv)
    assert post_step(action) is None


def test_uv_from_path_with_outputs_python_and_cache(uv_job: Job) -> None:
    call = uv_job.call("astral-sh/setup-uv@v5", {"version": "0.5.x", "python-version": "3.12"})
    io = run_main(SetupUv(), call)
    assert io.outputs["uv-version"] == "0.5.4"
    assert io.outputs["uv-path"].endswith("uv-bin/uv")
    assert io.env["UV_PYTHON"] == "3.12"
    cache = Path(io.env["UV_CACHE_DIR"])
    assert cache == uv_job.root / "user-cache" / "uv"
    assert io.outputs["cache-hit"] == "false"
    (cache / "wheels-v1").mkdir()
    assert run_main(SetupUv(), call).outputs["cache-hit"] == "true"


def test_cache_off(uv_job: Job) -> None:
    io = run_main(SetupUv(), uv_job.call("astral-sh/setup-uv@v5", {"enable-cache": "false"}))
    assert "UV_CACHE_DIR" not in io.env
    assert io.outputs["cache-hit"] == "false"


def test_version_not_satisfied_without_network_fails_with_the_command(uv_job: Job) -> None:
    with pytest.raises(ActionFailed) as caught:
        run_main(SetupUv(), uv_job.call("astral-sh/setup-uv@v5", {"version": "0.6.2"}))
    text = str(caught.value)
    assert "found uv 0.5.4" in text
    assert "pipx install 'uv==0.6.2'" in text


def test_version_file_required_version(uv_job: Job) -> None:
    (uv_job.workspace / "pyproject.toml").write_text('[tool.uv]\nrequired-version = ">=0.6,<0.7"\n')
    call = uv_job.call("astral-sh/setup-uv@v5", {"version-file": "pyproject.toml"})
    with pytest.raises(ActionFailed, match=r"uv >=0.6,<0.7 is not available"):
        run_main(SetupUv(), call)


def test_no_uv_at_all(job: Job) -> None:
    with pytest.raises(ActionFailed, match="no uv on PATH"):
        run_main(SetupUv(), job.call("astral-sh/setup-uv@v5"))


def test_activate_environment(uv_job: Job) -> None:
    io = run_main(SetupUv(), uv_job.call("astral-sh/setup-uv@v5", {"activate-environment": "true"}))
    venv = uv_job.workspace / ".venv"
    assert io.env["VIRTUAL_ENV"] == str(venv)
    assert io.path[0] == str(venv / "bin")
    path = os.pathsep.join([*io.path, uv_job.env["PATH"]])
    done = subprocess.run(
        ["python", "-c", "import sys; print(sys.prefix)"],
        env={**uv_job.env, **io.env, "PATH": path},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(done.stdout.strip()) == venv
