from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conveyor.cli import main

RERUNS = (
    "<testsuite>"
    '<testcase classname="tests.test_net" name="test_retry"><flakyFailure message="timeout"/></testcase>'
    '<testcase classname="tests.test_net" name="test_ok"/>'
    "</testsuite>"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_SHA", "GITHUB_HEAD_REF", "GITHUB_REF_NAME"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.conveyor.gates.tests]\nreports = ['junit.xml']\n"
    )
    return tmp_path


def test_reruns_in_this_runs_reports(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "junit.xml").write_text(RERUNS)
    assert main(["flaky", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "reports"
    assert [(f["id"], f["failure_rate"]) for f in data["flaky"]] == [
        ("tests/test_net.py::test_retry", 50.0)
    ]


def test_table_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "junit.xml").write_text(RERUNS)
    assert main(["flaky"]) == 0
    out = capsys.readouterr().out
    assert "tests/test_net.py::test_retry" in out
    assert "50.0%" in out


def test_across_runs_in_the_store_on_one_commit(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "c"],
        cwd=project, check=True,
    )  # fmt: skip
    (project / ".conveyor").mkdir()
    (project / "junit.xml").write_text(
        '<testsuite><testcase classname="tests.test_a" name="test_x"><failure/></testcase></testsuite>'
    )
    assert main(["gate"]) == 1
    (project / "junit.xml").write_text(
        '<testsuite><testcase classname="tests.test_a" name="test_x"/></testsuite>'
    )
    assert main(["gate"]) == 0
    capsys.readouterr()
    assert main(["flaky", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "history"
    [flaky] = data["flaky"]
    assert (flaky["id"], flaky["failure_rate"], flaky["flaky_commits"]) == (
        "tests/test_a.py::test_x",
        50.0,
        1,
    )
    assert flaky["last_seen"]


def test_nothing_to_read_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["flaky"]) == 2
    assert "no .conveyor/ store" in capsys.readouterr().err
    assert main(["flaky", "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out)["status"] == "error"


def test_quarantined_test_passing_n_runs_is_suggested_for_release(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.conveyor.gates.tests]\nreports = ['junit.xml']\nrelease_after = 2\n"
        "quarantine = [{ id = 'tests/test_a.py::test_x', reason = 'slow' }]\n"
    )
    (project / ".conveyor").mkdir()
    (project / "junit.xml").write_text(
        '<testsuite><testcase classname="tests.test_a" name="test_x"/></testsuite>'
    )
    assert main(["gate"]) == 0
    capsys.readouterr()
    assert main(["flaky", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["release"] == []
    assert main(["gate"]) == 0
    capsys.readouterr()
    assert main(["flaky", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["release"] == ["tests/test_a.py::test_x"]
    assert main(["flaky"]) == 0
    assert "tests/test_a.py::test_x: passed its last 2 runs" in capsys.readouterr().out
