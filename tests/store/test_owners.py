"""A run left behind by a killed process is marked interrupted on the next open."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from conveyor.store import RunRecord, open_store
from conveyor.store.owners import is_alive, this_process

# Opens a run with a running job that holds a concurrency group, says so, then hangs.
HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from conveyor.store import open_store

    store = open_store(Path(sys.argv[1]))
    run = store.create_run(
        workflow_file=".github/workflows/ci.yml", workflow_name="CI", event_name="push",
        ref="refs/heads/main", sha="0" * 40, branch="main",
    )
    store.start_run(run.id)
    job = store.add_job(run.id, job_id="build", name="build")
    store.start_job(job.id)
    store.acquire_group("deploy-main", run.id)
    print(run.id, flush=True)
    time.sleep(600)
    """
)


def _start_holder(repo: Path) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(repo)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "the holder process died before opening its run"
    return process, int(line)


def test_a_run_of_a_killed_process_is_interrupted_on_next_open(
    repo: Path, new_run: Callable[..., RunRecord]
) -> None:
    process, run_id = _start_holder(repo)
    try:
        with open_store(repo) as store:  # the owner is alive: nothing changes
            assert store.get_run(run_id).status == "running"
            waiting = new_run(store)
            assert store.acquire_group("deploy-main", waiting.id).state == "pending"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.stdout is not None
        process.stdout.close()

    with open_store(repo) as store:
        run = store.get_run(run_id)
        assert run.status == "interrupted"
        assert run.finished_at is not None
        assert [(j.job_id, j.status) for j in run.jobs] == [("build", "interrupted")]
        # its concurrency place is freed, and the pending run may go
        assert store.group_state("deploy-main", waiting.id) == "running"


def test_a_run_of_a_live_process_on_another_host_is_left_alone(
    repo: Path, new_run: Callable[..., RunRecord]
) -> None:
    with open_store(repo) as store:
        run = new_run(store)
        store.start_run(run.id)
    with sqlite3.connect(repo / ".conveyor" / "conveyor.db") as db:
        db.execute(
            "UPDATE runs SET owner_host = 'build-box-2', owner_pid = 1 WHERE id = ?", (run.id,)
        )
    with open_store(repo) as store:
        assert store.mark_interrupted() == []
        assert store.get_run(run.id).status == "running"


def test_this_process_is_alive_and_a_reused_pid_is_not_the_owner() -> None:
    me = this_process()
    assert me.pid == os.getpid()
    assert is_alive(me.pid, me.started)
    assert me.started is not None
    assert not is_alive(me.pid, me.started - 3600)  # same pid, started an hour earlier


def test_a_reaped_process_is_dead() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert not is_alive(process.pid, None)
