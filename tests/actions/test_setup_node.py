from __future__ import annotations

import shutil
import subprocess

import pytest

from conveyor.actions.base import ActionFailed
from conveyor.actions.registry import builtin
from conveyor.actions.setup_node import SetupNode

from .conftest import Job, run_main

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs node on PATH")


def local_version() -> str:
    assert NODE is not None
    return subprocess.run(
        [NODE, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def with_node(job: Job) -> Job:
    assert NODE is not None
    job.env["PATH"] = f"{NODE.rsplit('/', 1)[0]}:{job.env['PATH']}"
    return job


def test_local_node_that_satisfies(job: Job) -> None:
    assert isinstance(builtin("actions/setup-node"), SetupNode)
    major = local_version().lstrip("v").split(".")[0]
    io = run_main(
        SetupNode(), with_node(job).call("actions/setup-node@v4", {"node-version": f"{major}.x"})
    )
    assert io.outputs == {"node-version": local_version()}


def test_version_file(job: Job) -> None:
    major = local_version().lstrip("v").split(".")[0]
    (job.workspace / ".nvmrc").write_text(f"v{major}\n")
    io = run_main(
        SetupNode(), with_node(job).call("actions/setup-node@v4", {"node-version-file": ".nvmrc"})
    )
    assert io.outputs["node-version"] == local_version()


def test_other_version_fails_naming_it_and_how_to_get_it(job: Job) -> None:
    with pytest.raises(ActionFailed, match=r"Node\.js 4\.1 is needed") as caught:
        run_main(SetupNode(), with_node(job).call("actions/setup-node@v4", {"node-version": "4.1"}))
    assert "nvm install 4.1" in str(caught.value)


def test_no_node_on_path(job: Job) -> None:
    job.env["PATH"] = str(job.root)
    with pytest.raises(ActionFailed, match="no `node` on PATH"):
        run_main(SetupNode(), job.call("actions/setup-node@v4", {"node-version": "20"}))
