"""`conveyor validate`: output formats, exit codes, paths, and the bundled example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conveyor.cli import main

REPO = Path(__file__).resolve().parents[2]
GOOD = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
"""
BAD = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - runs: echo hi
"""
WARNS = GOOD.replace("ubuntu-latest", "[self-hosted, gpu]")


def _repo(tmp_path: Path, **workflows: str) -> Path:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in workflows.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_clean_repository_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_repo(tmp_path, ci=GOOD))
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().err


def test_error_is_file_line_col_message_rule_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_repo(tmp_path, ci=BAD))
    assert main(["validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    line = ".github/workflows/ci.yml:6:9: unknown step key `runs` in `jobs.build.steps[0]` [unknown-key]"
    assert out[out.index(line) + 1] == "  hint: did you mean `run`?"


def test_json_lists_every_diagnostic_with_its_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_repo(tmp_path, ci=BAD))
    assert main(["validate", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    rules = sorted(d["rule"] for d in found)
    assert rules == ["step-uses-run", "unknown-key"]
    first = next(d for d in found if d["rule"] == "unknown-key")
    assert {k: first[k] for k in ("file", "line", "column", "severity")} == {
        "file": ".github/workflows/ci.yml",
        "line": 6,
        "column": 9,
        "severity": "error",
    }


def test_warnings_pass_unless_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_repo(tmp_path, ci=WARNS))
    assert main(["validate"]) == 0
    assert "[runner-label] (warning)" in capsys.readouterr().out
    assert main(["validate", "--strict"]) == 1


def test_configured_runner_label_is_not_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, ci=WARNS)
    (repo / "pyproject.toml").write_text('[tool.conveyor]\nrunner-labels = ["gpu"]\n')
    monkeypatch.chdir(repo)
    assert main(["validate", "--strict"]) == 0


def test_paths_may_be_files_workflow_folders_or_repository_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path / "repo", ci=GOOD, broken=BAD)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "repo/.github/workflows/ci.yml"]) == 0
    assert main(["validate", "repo/.github/workflows"]) == 1
    capsys.readouterr()
    assert main(["validate", str(repo), "--format", "json"]) == 1
    files = {d["file"] for d in json.loads(capsys.readouterr().out)}
    assert files == {"repo/.github/workflows/broken.yml"}


def test_missing_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "nowhere.yml"]) == 2
    assert "no such file or directory: nowhere.yml" in capsys.readouterr().err


def test_path_without_workflow_files_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "src").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "src"]) == 2
    assert "no workflow files in src" in capsys.readouterr().err


def test_empty_workflows_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_repo(tmp_path))
    assert main(["validate"]) == 2
    assert "no workflow files in" in capsys.readouterr().err


def test_directory_without_workflows_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    assert ".github/workflows/" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage", b"", b"- just\n- a list\n", b"on: push\njobs: 3\n", b"\t\t:"],
    ids=["binary", "empty", "list", "jobs-scalar", "tabs"],
)
def test_any_bytes_give_diagnostics_not_a_traceback(
    content: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "odd.yml"
    file.write_bytes(content)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "odd.yml"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.out.startswith("odd.yml")


def test_bundled_example_validates_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO / "examples" / "service")
    assert main(["validate", "--strict"]) == 0


@pytest.mark.skipif(shutil.which("conveyor") is None, reason="console script not installed")
def test_console_script_runs_the_readme_command() -> None:
    proc = subprocess.run(
        ["conveyor", "validate"],
        cwd=REPO / "examples" / "service",
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All workflows are valid." in proc.stderr
