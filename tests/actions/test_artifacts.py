from __future__ import annotations

import pytest

from conveyor.actions.artifacts import DownloadArtifact, UploadArtifact
from conveyor.actions.registry import builtin
from conveyor.errors import UserError

from .conftest import Job, run_main


def test_upload_then_download_in_another_job_of_the_run(job: Job) -> None:
    assert isinstance(builtin("actions/upload-artifact"), UploadArtifact)
    (job.workspace / "dist").mkdir()
    (job.workspace / "dist" / "pkg-1.0.whl").write_text("wheel")
    up = run_main(
        UploadArtifact(), job.call("actions/upload-artifact@v4", {"name": "dist", "path": "dist/"})
    )
    assert up.outputs["artifact-id"] == "1"
    assert (job.repo.path / ".conveyor" / "artifacts").is_dir()
    down = run_main(
        DownloadArtifact(),
        job.call("actions/download-artifact@v4", {"name": "dist", "path": "got"}),
    )
    assert down.outputs["download-path"] == str(job.workspace / "got")
    assert (job.workspace / "got" / "pkg-1.0.whl").read_text() == "wheel"


def test_artifacts_belong_to_their_run(job: Job) -> None:
    (job.workspace / "a.txt").write_text("a")
    run_main(
        UploadArtifact(), job.call("actions/upload-artifact@v4", {"name": "a", "path": "a.txt"})
    )
    with pytest.raises(UserError, match="artifact `a` not found in run 2"):
        run_main(
            DownloadArtifact(),
            job.call("actions/download-artifact@v4", {"name": "a"}, run_id=2),
        )


def test_no_files_warns_and_sets_no_outputs(job: Job) -> None:
    io = run_main(
        UploadArtifact(), job.call("actions/upload-artifact@v4", {"Path": "missing/*.txt"})
    )
    assert io.outputs == {}
    assert io.warnings
