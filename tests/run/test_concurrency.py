"""`concurrency:` between two `conveyor run` processes in one repository."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.run.conftest import Project


def start(project: Project, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "conveyor", "run", "-C", str(project.root), "--jobs", "2", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear")
        time.sleep(0.05)


@pytest.mark.slow
def test_cancel_in_progress_cancels_the_running_run(project: Project, tmp_path: Path) -> None:
    started = tmp_path / "first-started"
    project.workflow(
        f"""
        on: push
        concurrency:
          group: deploy-${{{{ github.ref }}}}
          cancel-in-progress: true
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  if [ -f "{started}" ]; then echo second; exit 0; fi
                  touch "{started}"
                  sleep 60
        """
    )
    project.commit()
    first = start(project, "-v")
    wait_for(started)
    second = start(project, "-v")
    out2, _ = second.communicate(timeout=60)
    out1, _ = first.communicate(timeout=60)
    assert second.returncode == 0, out2
    assert "second" in out2
    assert first.returncode == 1, out1
    assert "cancel-in-progress" in out1


@pytest.mark.slow
def test_without_cancel_in_progress_the_second_run_waits_its_turn(
    project: Project, tmp_path: Path
) -> None:
    log = tmp_path / "log"
    started = tmp_path / "first-started"
    db = project.root / ".conveyor" / "conveyor.db"
    # The first run holds the group until the store shows the second one pending, so the
    # test does not depend on how fast either process starts.
    wait_for_pending = (
        "import sqlite3, sys, time\n"
        "for _ in range(600):\n"
        f"    rows = sqlite3.connect('{db}').execute(\n"
        "        \"select count(*) from concurrency where state = 'pending'\").fetchone()\n"
        "    if rows[0]: sys.exit(0)\n"
        "    time.sleep(0.1)\n"
        "sys.exit(1)\n"
    )
    project.write("wait_for_pending.py", wait_for_pending)
    project.workflow(
        f"""
        on: push
        concurrency: one-at-a-time
        jobs:
          work:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo "start $$" >> "{log}"
                  if [ ! -f "{started}" ]; then
                    touch "{started}"
                    python3 wait_for_pending.py
                  fi
                  echo "end $$" >> "{log}"
        """
    )
    project.commit()
    first = start(project, "-v")
    wait_for(started)
    second = start(project, "-v")
    out2, _ = second.communicate(timeout=90)
    out1, _ = first.communicate(timeout=90)
    assert (first.returncode, second.returncode) == (0, 0), out1 + out2
    assert "waiting for concurrency group `one-at-a-time`" in out2
    kinds = [line.split()[0] for line in log.read_text().splitlines()]
    assert kinds == ["start", "end", "start", "end"]  # never two at once
