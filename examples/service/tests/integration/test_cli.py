"""Runs the installed `inventory` command, as a user of the built wheel would."""

import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.mark.skipif(shutil.which("inventory") is None, reason="the wheel is not installed")
def test_low_stock_report(tmp_path: Path) -> None:
    levels = tmp_path / "levels.csv"
    levels.write_text("abc-0001,2\nxyz-0002,40\n", encoding="utf-8")
    out = subprocess.run(
        ["inventory", "low-stock", str(levels)], capture_output=True, text=True, check=True
    ).stdout
    assert out == "ABC-0001\t2\n"
