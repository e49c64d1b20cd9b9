from __future__ import annotations

import pytest

from conveyor.actions.artifacts import DownloadArtifact, MergeArtifacts, UploadArtifact
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


def upload(job: Job, name: str, files: dict[str, str]) -> None:
    folder = job.workspace / name
    folder.mkdir(parents=True)
    for file, text in files.items():
        (folder / file).write_text(text)
    run_main(UploadArtifact(), job.call("actions/upload-artifact@v4", {"name": name, "path": name}))


def download_all(job: Job, name: str) -> dict[str, str]:
    dest = job.workspace / f"got-{name}"
    run_main(
        DownloadArtifact(),
        job.call("actions/download-artifact@v4", {"name": name, "path": str(dest)}),
    )
    return {str(p.relative_to(dest)): p.read_text() for p in sorted(dest.rglob("*")) if p.is_file()}


def test_merge_makes_one_artifact_of_those_the_pattern_matches(job: Job) -> None:
    assert isinstance(builtin("actions/upload-artifact/merge"), MergeArtifacts)
    upload(job, "cov-3.11", {"coverage-3.11.xml": "a"})
    upload(job, "cov-3.12", {"coverage-3.12.xml": "b"})
    upload(job, "wheel", {"pkg.whl": "w"})
    io = run_main(
        MergeArtifacts(),
        job.call("actions/upload-artifact/merge@v4", {"name": "coverage", "pattern": "cov-*"}),
    )
    assert io.outputs["artifact-id"] == "4"
    assert io.outputs["artifact-digest"]
    assert download_all(job, "coverage") == {"coverage-3.11.xml": "a", "coverage-3.12.xml": "b"}
    assert download_all(job, "cov-3.11") == {"coverage-3.11.xml": "a"}  # kept by default


def test_merge_into_separate_directories_and_delete_the_merged(job: Job) -> None:
    upload(job, "cov-a", {"coverage.xml": "a"})
    upload(job, "cov-b", {"coverage.xml": "b"})
    upload(job, "wheel", {"pkg.whl": "w"})
    run_main(
        MergeArtifacts(),
        job.call(
            "actions/upload-artifact/merge@v4",
            {"pattern": "cov-*", "separate-directories": "true", "delete-merged": "true"},
        ),
    )
    assert download_all(job, "merged-artifacts") == {
        "cov-a/coverage.xml": "a",
        "cov-b/coverage.xml": "b",
    }
    with pytest.raises(UserError, match="artifact `cov-a` not found"):
        download_all(job, "cov-a")
    assert download_all(job, "wheel") == {"pkg.whl": "w"}  # not matched, not deleted


def test_merge_with_nothing_to_merge_says_so(job: Job) -> None:
    with pytest.raises(UserError, match=r"Unable to find any artifacts .* matching `cov-\*`"):
        run_main(
            MergeArtifacts(),
            job.call("actions/upload-artifact/merge@v4", {"pattern": "cov-*"}),
        )
