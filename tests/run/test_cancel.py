"""Ctrl-C, job timeouts and SIGKILL against a real `conveyor run` process.

Each workflow's first step starts a tree of processes (a child and a grandchild, and
in one test background jobs that ignore SIGINT, as a shell's background jobs do) and
writes their pids to a file, so the tests can check with psutil that not one of them
outlives the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from tests.run.conftest import Project, jobs

# spawn.py PIDS N READY: record my pid, start `spawn.py PIDS N-1 READY` (at 0: `sleep`,
# then touch READY), wait.
SPAWN = """
import os, pathlib, subprocess, sys, time
pids, depth, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(pids, "a") as fh:
    fh.write(f"{os.getpid()}\\n")
if depth:
    subprocess.Popen([sys.executable, __file__, pids, str(depth - 1), ready])
else:
    child = subprocess.Popen(["sleep", "300"])
    with open(pids, "a") as fh:
        fh.write(f"{child.pid}\\n")
    pathlib.Path(ready).touch()
time.sleep(300)
"""

# Background jobs of a non-interactive shell ignore SIGINT: only SIGTERM stops them.
DEAF = """
          (sleep 300 & echo $! >> "{pids}"; wait) &
          echo $! >> "{pids}"
"""


def workflow(tmp_path: Path, *, cleanup: str = "echo always-ran", deaf: bool = False) -> str:
    pids, started = tmp_path / "pids", tmp_path / "started"
    background = DEAF.format(pids=pids).strip("\n") + "\n" if deaf else ""
    return f"""
on: push
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - name: tree
        run: |
{background}          python3 spawn.py "{pids}" 2 "{started}"
      - name: later
        run: echo later-ran
      - name: always
        if: always()
        run: {cleanup}
      - name: on-cancel
        if: cancelled()
        run: echo cancelled-ran
      - name: on-failure
        if: failure()
        run: echo failure-ran
  report:
    needs: work
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "report-ran ${{{{ needs.work.result }}}}"
  next:
    needs: work
    runs-on: ubuntu-latest
    steps:
      - run: echo next-ran
"""


def setup(project: Project, text: str, timeout: str | None = None) -> None:
    if timeout is not None:
        text = text.replace(
            "    runs-on: ubuntu-latest\n",
            f"    runs-on: ubuntu-latest\n    timeout-minutes: {timeout}\n",
            1,
        )
    project.write(".github/workflows/ci.yml", text)
    project.write("spawn.py", SPAWN)
    project.commit()


def start(project: Project, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "conveyor", "run", "-v", "-C", str(project.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"conveyor ended early:\n{proc.communicate()[0]}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"{path} did not appear:\n{proc.communicate()[0]}")
        time.sleep(0.05)


def living(pid_file: Path) -> list[int]:
    """The recorded pids still running (a zombie has ended; it only awaits a parent)."""
    alive = []
    for pid in (int(line) for line in pid_file.read_text().split()):
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            continue
    return alive


def strays(project: Project) -> list[int]:
    """Every live process started by a step of this project, recorded or not."""
    found = []
    for proc in psutil.process_iter():
        try:
            workspace = proc.environ().get("GITHUB_WORKSPACE", "")
            if workspace.startswith(str(project.root)) and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc.pid)
        except (psutil.Error, OSError):
            continue
    return found


@pytest.fixture
def pid_file(tmp_path: Path) -> Any:
    """The pids a test's steps record; whatever a failed test left running is killed."""
    path = tmp_path / "pids"
    yield path
    if path.exists():
        for pid in living(path):
            os.kill(pid, signal.SIGKILL)


def outcomes(data: dict[str, Any], job: str) -> dict[str, str]:
    return {s["name"]: s["outcome"] for s in jobs(data)[job]["steps"]}


@pytest.mark.slow
def test_ctrl_c_cancels_runs_cleanup_steps_and_leaves_no_process(
    project: Project, tmp_path: Path, pid_file: Path
) -> None:
    setup(project, workflow(tmp_path, deaf=True))
    result = tmp_path / "result.json"
    proc = start(project, "--json", str(result))
    wait_for(tmp_path / "started", proc)
    assert len(living(pid_file)) >= 4
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "always-ran" in out
    assert "cancelled-ran" in out
    assert "later-ran" not in out
    assert "failure-ran" not in out
    data = json.loads(result.read_text())
    assert data["status"] == "cancelled", (data, out)
    assert {name: job["status"] for name, job in jobs(data).items()} == {
        "work": "cancelled",
        "report": "success",  # a job with `if: always()` runs after a cancel, as on GitHub
        "next": "skipped",
    }
    assert "report-ran cancelled" in out
    assert "next-ran" not in out
    assert outcomes(data, "work") == {
        "tree": "cancelled",
        "later": "skipped",
        "always": "success",
        "on-cancel": "success",
        "on-failure": "skipped",
    }
    assert living(pid_file) == []
    assert strays(project) == []


def test_a_second_ctrl_c_stops_the_cleanup_steps_too(
    project: Project, tmp_path: Path, pid_file: Path
) -> None:
    cleaning = tmp_path / "cleaning"
    cleanup = f'python3 spawn.py "{pid_file}" 1 "{cleaning}"'
    setup(project, workflow(tmp_path, cleanup=cleanup))
    result = tmp_path / "result.json"
    proc = start(project, "--json", str(result))
    wait_for(tmp_path / "started", proc)
    proc.send_signal(signal.SIGINT)
    wait_for(cleaning, proc)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    data = json.loads(result.read_text())
    assert jobs(data)["work"]["status"] == "cancelled"
    assert outcomes(data, "work")["always"] == "cancelled"
    assert outcomes(data, "work")["on-cancel"] == "cancelled"  # nothing starts after it
    assert "cancelled-ran" not in out
    assert living(pid_file) == []
    assert strays(project) == []


def test_a_job_timeout_fails_the_job_runs_always_steps_and_leaves_no_process(
    project: Project, tmp_path: Path, pid_file: Path
) -> None:
    setup(project, workflow(tmp_path), timeout="0.02")
    result = tmp_path / "result.json"
    proc = start(project, "--json", str(result))
    out, _ = proc.communicate(timeout=90)
    assert proc.returncode == 1, out
    assert "exceeded its timeout of 0.02 minutes" in out
    data = json.loads(result.read_text())
    assert data["status"] == "failure"
    assert jobs(data)["work"]["status"] == "failure"
    assert outcomes(data, "work")["tree"] == "cancelled"
    assert outcomes(data, "work")["later"] == "skipped"
    assert outcomes(data, "work")["always"] == "success"
    assert "always-ran" in out
    assert living(pid_file) == []
    assert strays(project) == []


def test_a_killed_run_is_interrupted_and_the_next_run_clears_what_it_left(
    project: Project, tmp_path: Path, pid_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conveyor.cli import main
    from conveyor.store import open_store

    setup(project, workflow(tmp_path))
    proc = start(project)
    wait_for(tmp_path / "started", proc)
    proc.kill()
    proc.communicate(timeout=30)
    assert main(["runs", "-C", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "interrupted" in out, out
    with open_store(project.root) as store:
        (run,) = store.list_runs()
        assert run.status == "interrupted"
        assert [(job.name, job.status) for job in run.jobs] == [("work", "interrupted")]
    assert main(["show", str(run.id), "-C", str(project.root)]) == 0
    assert "0. tree: interrupted" in capsys.readouterr().out
    assert main(["logs", str(run.id), "work", "-C", str(project.root)]) == 0
    assert "##[step 0] tree" in capsys.readouterr().out
    assert living(pid_file)  # a killed conveyor cannot stop its steps...
    project.workflow(
        "on: workflow_dispatch\njobs:\n  quick: {runs-on: ubuntu-latest, steps: [{run: 'true'}]}\n",
        name="quick.yml",
    )
    project.commit()
    assert main(["run", "workflow_dispatch", "-C", str(project.root)]) == 0
    assert living(pid_file) == []  # ...the next run stops them
    assert strays(project) == []
    assert not (project.root / ".conveyor" / "work" / str(run.id)).exists()


def test_a_third_ctrl_c_kills_what_ignores_signals_and_the_run_is_still_recorded(
    project: Project, tmp_path: Path, pid_file: Path
) -> None:
    cleaning = tmp_path / "cleaning"
    stubborn = f"""|
          trap '' INT TERM
          sleep 300 &
          echo $! >> "{pid_file}"
          echo $$ >> "{pid_file}"
          touch "{cleaning}"
          wait"""
    setup(project, workflow(tmp_path, cleanup=stubborn))
    result = tmp_path / "result.json"
    proc = start(project, "--json", str(result))
    wait_for(tmp_path / "started", proc)
    proc.send_signal(signal.SIGINT)
    wait_for(cleaning, proc)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=9)  # before SIGTERM (7.5 s) and SIGKILL (10 s) would come
    assert proc.returncode == 130, out
    assert not [line for line in out.splitlines() if line.startswith("Traceback")], out
    assert "Task was destroyed" not in out
    data = json.loads(result.read_text())
    assert jobs(data)["work"]["status"] == "cancelled"
    assert outcomes(data, "work")["always"] == "cancelled"
    assert living(pid_file) == []
    assert strays(project) == []
    from conveyor.store import open_store

    with open_store(project.root) as store:
        assert store.get_run(data["run_id"]).status == "cancelled"


def test_fail_fast_cancels_sibling_legs_which_still_run_their_cleanup(project: Project) -> None:
    project.workflow(
        """
        on: push
        jobs:
          m:
            runs-on: ubuntu-latest
            strategy:
              matrix: {n: [1, 2]}
            steps:
              - id: work
                run: if [ ${{ matrix.n }} = 1 ]; then exit 1; else sleep 60; fi
              - id: cleanup
                if: always()
                run: echo "cleanup ${{ job.status }}"
              - id: on-cancel
                if: cancelled()
                run: echo cancelled
        """
    )
    project.commit()
    code, data = project.run()
    assert code == 1
    legs = {
        name: (job["status"], {s["id"]: s["outcome"] for s in job["steps"]})
        for name, job in jobs(data).items()
    }
    assert legs == {
        "m (1)": ("failure", {"work": "failure", "cleanup": "success", "on-cancel": "skipped"}),
        "m (2)": ("cancelled", {"work": "cancelled", "cleanup": "success", "on-cancel": "success"}),
    }


def test_cleanup_steps_that_hang_after_a_job_timeout_are_stopped_in_time(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from conveyor.run import job

    monkeypatch.setattr(job, "CANCEL_TIMEOUT_MINUTES", 0.01)
    project.workflow(
        """
        on: push
        jobs:
          stuck:
            runs-on: ubuntu-latest
            timeout-minutes: 0.01
            steps:
              - id: work
                run: sleep 60
              - id: hangs
                if: always()
                run: sleep 60
              - id: after
                if: always()
                run: echo after
        """
    )
    project.commit()
    code, data = project.run("-v")
    out = capsys.readouterr().out
    assert code == 1
    assert {s["id"]: s["outcome"] for s in jobs(data)["stuck"]["steps"]} == {
        "work": "cancelled",
        "hangs": "cancelled",
        "after": "cancelled",
    }
    assert "took over 0.01 minutes; stopping them" in out
