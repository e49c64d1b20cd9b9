"""The actions' `with:` inputs and outputs, as a step would give and read them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conveyor.artifacts import ArtifactStore, download_action, upload_action
from conveyor.errors import UserError

Tree = Callable[[Mapping[str, str]], Path]


@pytest.fixture
def built(make_tree: Tree) -> Path:
    return make_tree({"dist/app.whl": "wheel", "dist/.pypirc": "secret", "cov/c.xml": "<c/>"})


def test_upload_outputs_and_defaults(store: ArtifactStore, built: Path) -> None:
    outcome = upload_action(store, 4, {"path": "dist"}, workspace=built)
    [artifact] = store.list(4)
    assert artifact.name == "artifact"
    assert [f.path for f in artifact.files] == ["app.whl"]  # hidden files left out
    assert artifact.retention_days == 90
    assert artifact.compression_level == 6
    assert outcome.outputs == {
        "artifact-id": str(artifact.id),
        "artifact-url": artifact.url,
        "artifact-digest": artifact.digest,
    }


def test_upload_reads_inputs_as_the_action_does(store: ArtifactStore, built: Path) -> None:
    inputs = {
        "name": "dist",
        "path": "dist\n",
        "retention-days": "5days",
        "compression-level": "0",
        "include-hidden-files": "TRUE",
        "overwrite": "False",
        "if-no-files-found": "",
    }
    upload_action(store, 4, inputs, workspace=built)
    [artifact] = store.list(4)
    assert (artifact.retention_days, artifact.compression_level) == (5, 0)
    assert sorted(f.path for f in artifact.files) == [".pypirc", "app.whl"]


def test_upload_with_no_files_sets_no_outputs(store: ArtifactStore, built: Path) -> None:
    outcome = upload_action(store, 4, {"path": "missing"}, workspace=built)
    assert outcome.outputs == {}
    assert len(outcome.warnings) == 1


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"path": ""}, "`path`"),
        ({"path": "dist", "overwrite": "yes"}, "not a boolean"),
        ({"path": "dist", "retention-days": "ninety"}, "invalid `retention-days`"),
        ({"path": "dist", "compression-level": "fast"}, "invalid `compression-level`"),
    ],
)
def test_upload_input_errors(
    store: ArtifactStore, built: Path, inputs: dict[str, str], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        upload_action(store, 4, inputs, workspace=built)


@pytest.fixture
def uploaded(store: ArtifactStore, built: Path) -> ArtifactStore:
    upload_action(store, 4, {"name": "dist", "path": "dist"}, workspace=built)
    upload_action(store, 4, {"name": "cov", "path": "cov"}, workspace=built)
    return store


def test_download_by_name_defaults_to_the_workspace(
    uploaded: ArtifactStore, tmp_path: Path
) -> None:
    job = tmp_path / "job"
    job.mkdir()
    outcome = download_action(uploaded, 4, {"name": "dist"}, workspace=job)
    assert outcome.outputs == {"download-path": str(job)}
    assert (job / "app.whl").read_text() == "wheel"


def test_download_all_into_a_relative_path(uploaded: ArtifactStore, tmp_path: Path) -> None:
    job = tmp_path / "job"
    outcome = download_action(uploaded, 4, {"path": "in"}, workspace=job)
    assert outcome.outputs == {"download-path": str(job / "in")}
    assert (job / "in" / "dist" / "app.whl").is_file()
    assert (job / "in" / "cov" / "c.xml").is_file()


def test_download_pattern_merged_into_home(uploaded: ArtifactStore, tmp_path: Path) -> None:
    inputs = {"pattern": "*", "merge-multiple": "true", "path": "~/all"}
    download_action(uploaded, 4, inputs, workspace=tmp_path / "job", home=tmp_path / "home")
    assert sorted(p.name for p in (tmp_path / "home" / "all").iterdir()) == ["app.whl", "c.xml"]


def test_download_from_a_past_run(uploaded: ArtifactStore, built: Path, tmp_path: Path) -> None:
    inputs = {"name": "dist", "run-id": "4", "github-token": "ignored", "path": str(tmp_path / "o")}
    download_action(uploaded, 9, inputs, workspace=built)
    assert (tmp_path / "o" / "app.whl").read_text() == "wheel"


def test_download_warns_about_a_changed_file(uploaded: ArtifactStore, tmp_path: Path) -> None:
    dist = next(a for a in uploaded.list(4) if a.name == "dist")
    (dist.location / "files" / "app.whl").write_text("changed")
    outcome = download_action(uploaded, 4, {"name": "dist"}, workspace=tmp_path)
    assert outcome.warnings == (
        "Artifact 'dist' digest validation failed. Please verify the integrity of the artifact.",
    )
