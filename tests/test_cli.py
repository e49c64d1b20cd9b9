from __future__ import annotations

import subprocess
import sys

import pytest

from conveyor.cli import COMMANDS, main


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_unknown_command_suggests_the_close_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validte"]) == 2
    err = capsys.readouterr().err
    assert "unknown command `validte`" in err
    assert "Did you mean `validate`?" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "conveyor" in capsys.readouterr().out


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "conveyor", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert "Commands" in proc.stdout


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from conveyor.cli import main; main(['--help']);"
        "heavy = [m for m in ('sqlalchemy', 'rich', 'ruamel', 'conveyor.expr', 'conveyor.workflow.load')"
        " if m in sys.modules]; print(heavy)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().endswith("[]")
