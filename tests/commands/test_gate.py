from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from conveyor.cli import main

COVERAGE = (
    '<?xml version="1.0" ?><coverage><sources><source>{root}</source></sources><packages><package><classes>'
    '<class filename="src/app.py"><lines>{lines}</lines></class>'
    "</classes></package></packages></coverage>"
)


def _coverage(root: Path, hit: int, total: int = 10) -> None:
    lines = "".join(f'<line number="{n}" hits="{int(n <= hit)}"/>' for n in range(1, total + 1))
    (root / "coverage.xml").write_text(COVERAGE.format(root=root, lines=lines))


def _pyproject(root: Path, text: str) -> None:
    (root / "pyproject.toml").write_text(text)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    _coverage(tmp_path, 7)
    _pyproject(
        tmp_path,
        "[tool.conveyor.gates.coverage]\nreports = ['coverage.xml']\nfail_under = 60\nwarn_under = 80\n",
    )
    return tmp_path


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def test_warn_exits_0_with_the_json_contract(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gate", "--format", "json"]) == 0
    data = _json(capsys)
    assert data["status"] == "warn"
    [gate] = data["gates"]  # type: ignore[misc]
    assert set(gate) >= {"name", "status", "reasons", "figures"}
    assert (gate["name"], gate["status"], gate["figures"]["line_rate"]) == (
        "coverage",
        "warn",
        70.0,
    )


def test_fail_exits_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _coverage(project, 5)
    assert main(["gate"]) == 1
    out = capsys.readouterr().out
    assert "quality gates: fail" in out
    assert "50.00%" in out


def test_missing_report_exits_1_naming_the_path(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "coverage.xml").unlink()
    assert main(["gate", "--format", "json"]) == 1
    assert _json(capsys)["gates"][0]["reasons"] == [  # type: ignore[index]
        "missing report: expected a file at `coverage.xml`, none found"
    ]


def test_bad_policy_exits_2_with_did_you_mean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pyproject(
        project, "[tool.conveyor.gates.coverage]\nreports = ['coverage.xml']\nfail_undr = 60\n"
    )
    assert main(["gate"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml: `tool.conveyor.gates.coverage.fail_undr`: unknown key" in err
    assert "did you mean `fail_under`?" in err
    assert "Traceback" not in err


def test_errors_are_json_with_format_json(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "coverage.xml").write_text('<!DOCTYPE x [<!ENTITY a "b">]><coverage>&a;</coverage>')
    assert main(["gate", "--format", "json"]) == 2
    data = _json(capsys)
    assert data["status"] == "error"
    assert str(data["error"]).startswith("coverage.xml: refused: the XML declares entities")


def test_truncated_report_exits_2_naming_the_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (project / "coverage.xml").read_text()
    (project / "coverage.xml").write_text(text[: len(text) // 2])
    assert main(["gate"]) == 2
    err = capsys.readouterr().err
    assert "error: coverage.xml: malformed or truncated XML" in err


def test_no_gate_tables_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["gate", "--format", "json"]) == 0
    assert _json(capsys) == {"status": "pass", "base": None, "gates": []}


def test_config_file_holds_the_same_tables(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "gates.toml").write_text(
        "[tool.conveyor.gates.coverage]\nreports = ['coverage.xml']\nfail_under = 71\n"
    )
    assert main(["gate", "--config", "gates.toml", "--format", "json"]) == 1
    assert _json(capsys)["status"] == "fail"


def test_markdown_and_step_summary(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["gate", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## ⚠️ Quality gates: warn")
    assert "**Coverage:** 70%" in out
    assert summary.read_text() == out


def test_expired_waiver_fails_the_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    _pyproject(
        project,
        "[tool.conveyor.gates.coverage]\nreports = ['coverage.xml']\n"
        f"[[tool.conveyor.gates.waivers]]\nid = 'B602'\nreason = 'constant'\nexpires = {yesterday}\n",
    )
    assert main(["gate", "--format", "json"]) == 1
    data = _json(capsys)
    assert data["gates"][-1]["name"] == "waivers"  # type: ignore[index]
    assert f"waiver `B602` expired on {yesterday}" in data["gates"][-1]["reasons"][0]  # type: ignore[index]


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false", *args],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def repo(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GITHUB_SHA", "GITHUB_HEAD_REF", "GITHUB_REF_NAME"):
        monkeypatch.delenv(name, raising=False)
    (project / "src").mkdir()
    (project / "src/app.py").write_text("".join(f"x{n} = {n}\n" for n in range(1, 11)))
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "src/app.py")
    _git(project, "commit", "-qm", "base")
    _git(project, "checkout", "-qb", "feature")
    (project / "src/app.py").write_text(
        "".join(f"x{n} = {n}\n" for n in range(1, 9)) + "y = 9\ny = 10\n"
    )
    _git(project, "commit", "-qam", "change")
    return project


def test_patch_coverage_against_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _pyproject(
        repo, "[tool.conveyor.gates.coverage]\nreports = ['coverage.xml']\npatch_fail_under = 50\n"
    )
    assert (
        main(["gate", "--base", "main", "--format", "json"]) == 1
    )  # lines 9 and 10 changed, not hit
    gate = _json(capsys)["gates"][0]  # type: ignore[index]
    assert (gate["figures"]["patch_lines"], gate["figures"]["patch_rate"]) == (2, 0.0)


def test_bad_base_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", "--base", "nope"]) == 2
    assert "cannot diff against --base nope" in capsys.readouterr().err


def test_history_in_the_store_gives_deltas_max_drop_and_trend(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".conveyor").mkdir()
    _pyproject(repo, "[tool.conveyor.gates.coverage]\nreports = ['coverage.xml']\nmax_drop = 1\n")
    _git(repo, "checkout", "-q", "main")
    _coverage(repo, 9)
    assert main(["gate", "--format", "json"]) == 0  # recorded for main
    capsys.readouterr()
    _git(repo, "checkout", "-q", "feature")
    _coverage(repo, 7)
    assert main(["gate", "--base", "main", "--format", "json"]) == 1
    data = _json(capsys)
    gate = data["gates"][0]  # type: ignore[index]
    assert gate["deltas"]["line_rate"] == -20.0
    assert "coverage dropped 20.00 points against `main`" in gate["reasons"][0]
    assert main(["gate", "--history", "--format", "json"]) == 0
    trend = _json(capsys)["coverage"]
    assert [(r["branch"], r["figures"]["line_rate"]) for r in trend] == [
        ("feature", 70.0),
        ("main", 90.0),
    ]  # type: ignore[union-attr,index]


def test_history_without_a_store_exits_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", "--history"]) == 2
    assert "no gate history" in capsys.readouterr().err


def test_no_base_figure_without_a_store(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", "--base", "main", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| coverage | ⚠️ warn | line_rate 70," in out
    assert "| no base figure |" in out
    assert not (repo / ".conveyor").exists()


def test_store_option_and_no_record(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / ".conveyor").mkdir()
    history = ["gate", "--store", str(elsewhere), "--history", "--format", "json"]
    assert main(["gate", "--store", str(elsewhere / ".conveyor"), "--no-record"]) == 0
    capsys.readouterr()
    assert main(history) == 0
    assert _json(capsys)["coverage"] == []
    assert main(["gate", "--store", str(elsewhere)]) == 0
    capsys.readouterr()
    assert main(history) == 0
    assert len(_json(capsys)["coverage"]) == 1  # type: ignore[arg-type]
    assert not (project / ".conveyor").exists()
