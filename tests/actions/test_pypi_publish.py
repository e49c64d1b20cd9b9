from __future__ import annotations

import pytest

from conveyor.actions.base import ActionFailed
from conveyor.actions.pypi_publish import PypiPublish
from conveyor.actions.registry import builtin

from .conftest import Job, run_main


def build(job: Job) -> None:
    (job.workspace / "dist").mkdir()
    (job.workspace / "dist" / "pkg-1.0-py3-none-any.whl").write_bytes(b"wheel")
    (job.workspace / "dist" / "pkg-1.0.tar.gz").write_bytes(b"sdist")


def test_refuses_to_publish_and_says_nothing_was_uploaded(job: Job) -> None:
    assert isinstance(builtin("pypa/gh-action-pypi-publish"), PypiPublish)
    build(job)
    with pytest.raises(ActionFailed, match="refusing to publish 2 distribution") as caught:
        run_main(
            PypiPublish(),
            job.call("pypa/gh-action-pypi-publish@release/v1", {"password": "pypi-x"}),
        )
    assert "nothing was uploaded" in str(caught.value)


def test_allowed_publish_passes_with_a_notice_after_the_dry_check(job: Job) -> None:
    build(job)
    call = job.call(
        "pypa/gh-action-pypi-publish@release/v1",
        {"repository-url": "https://test.pypi.org/legacy/", "password": "pypi-x"},
        allow_publish=True,
    )
    io = run_main(PypiPublish(), call)
    assert "test.pypi.org" in io.notices[0]
    assert "does not upload" in io.notices[0]
    assert io.secrets == ["pypi-x"]
    assert any(line.startswith("pkg-1.0.tar.gz sha256 ") for line in io.lines)


def test_empty_packages_dir_fails_even_when_allowed(job: Job) -> None:
    call = job.call(
        "pypa/gh-action-pypi-publish@release/v1", {"packages-dir": "wheels/"}, allow_publish=True
    )
    with pytest.raises(ActionFailed, match="no distributions"):
        run_main(PypiPublish(), call)
