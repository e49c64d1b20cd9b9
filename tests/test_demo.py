"""The README's first command: `scripts/demo.sh` runs the bundled example's CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_plans_the_example_pipeline(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CONVEYOR_DEMO_DIR": str(tmp_path / "demo"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo.sh"), "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"example project: {tmp_path / 'demo'}" in out
    for job in ("lint", "typecheck", "test (3.11)", "build", "integration", "gate"):
        assert job in out
    assert (tmp_path / "demo" / ".git").is_dir()
    assert not (tmp_path / "demo" / ".conveyor").exists()  # a dry run runs nothing
