"""`conveyor artifacts RUN [--download NAME] [--dest DIR] [--json]`."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conveyor.artifacts import ArtifactStore
from conveyor.cli import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "dist" / "sub").mkdir(parents=True)
    (root / "dist" / "app.whl").write_text("wheel")
    (root / "dist" / "sub" / "extra.txt").write_text("extra")
    monkeypatch.chdir(root)
    store = ArtifactStore(root / ".conveyor")
    store.upload(3, "dist", "dist", workspace=root)
    store.upload(3, "wheel", "dist/*.whl", workspace=root, retention_days=7)
    return root


def test_lists_a_runs_artifacts(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["artifacts", "3"]) == 0
    out = capsys.readouterr().out
    rows = [
        [cell.strip() for cell in line.strip("│┃ ").split("│")]
        for line in out.splitlines()
        if "dist" in line or "wheel" in line
    ]
    expires = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%d")
    assert [row[:4] for row in rows] == [["dist", "1", "2", "10 B"], ["wheel", "2", "1", "5 B"]]
    assert rows[1][4].startswith(expires)


def test_lists_as_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["artifacts", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(a["name"], a["id"], a["files"], a["size"]) for a in data] == [
        ("dist", 1, 2, 10),
        ("wheel", 2, 1, 5),
    ]
    assert {"digest", "created", "expires", "url"} <= set(data[0])


def test_a_run_without_artifacts_names_the_runs_that_have_some(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["artifacts", "4"]) == 0
    assert capsys.readouterr().out == "Run 4 has no artifacts. Runs with artifacts: 3.\n"


def test_download_extracts_into_dest(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["artifacts", "3", "--download", "dist", "--dest", "out"]) == 0
    assert (project / "out" / "app.whl").read_text() == "wheel"
    assert (project / "out" / "sub" / "extra.txt").read_text() == "extra"
    assert "dist: 2 file(s) extracted to" in capsys.readouterr().out


def test_download_defaults_to_the_directory_given_with_c(
    tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["artifacts", "3", "--download", "wheel", "-C", str(project)]) == 0
    assert (project / "app.whl").read_text() == "wheel"
    assert list(elsewhere.iterdir()) == []


def test_download_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["artifacts", "3", "--download", "wheel", "--dest", "w", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["download-path"] == str(project / "w")
    assert [(a["name"], a["files"]) for a in data["artifacts"]] == [("wheel", 1)]


def test_download_of_a_missing_name_is_a_user_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["artifacts", "3", "--download", "docs"]) == 2
    err = capsys.readouterr().err
    assert "artifact `docs` not found in run 3" in err
    assert "run 3 has: dist, wheel" in err
    assert "Traceback" not in err


def test_finds_the_store_at_the_top_of_a_git_repository(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    assert main(["artifacts", "3", "--json", "-C", str(project / "dist" / "sub")]) == 0
    assert [a["name"] for a in json.loads(capsys.readouterr().out)] == ["dist", "wheel"]


def test_expired_artifacts_are_pruned(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = project / ".conveyor" / "artifacts" / "3" / "wheel" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["expires"] = "2000-01-01T00:00:00+00:00"
    manifest.write_text(json.dumps(data))
    assert main(["artifacts", "3", "--json"]) == 0
    assert [a["name"] for a in json.loads(capsys.readouterr().out)] == ["dist"]
    assert not manifest.parent.exists()
