"""Concurrency groups follow GitHub's rule: one running and one pending per group."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conveyor.errors import UserError
from conveyor.store import GroupHolder, RunRecord, Store, open_store


def test_the_first_in_a_free_group_runs(store: Store, new_run: Callable[..., RunRecord]) -> None:
    run = new_run(store)
    acquired = store.acquire_group("deploy", run.id)
    assert (acquired.state, acquired.cancelled) == ("running", ())
    assert store.group_state("deploy", run.id) == "running"


def test_a_newer_pending_replaces_the_older_pending(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    first, second, third = (new_run(store) for _ in range(3))
    store.acquire_group("deploy", first.id)
    assert store.acquire_group("deploy", second.id).state == "pending"
    third_in = store.acquire_group("deploy", third.id)
    assert third_in.state == "pending"
    assert third_in.cancelled == (GroupHolder(run_id=second.id, job=None),)
    assert store.group_state("deploy", second.id) == "cancelled"
    assert store.group_state("deploy", first.id) == "running"  # not touched
    assert store.group_state("deploy", third.id) == "pending"


def test_releasing_lets_the_pending_one_run(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    first, second = new_run(store), new_run(store)
    store.acquire_group("deploy", first.id)
    store.acquire_group("deploy", second.id)
    store.release_group("deploy", first.id)
    assert store.group_state("deploy", second.id) == "running"
    assert store.acquire_group("deploy", new_run(store).id).state == "pending"


def test_cancel_in_progress_tells_the_running_one_and_waits_for_it(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    old, new = new_run(store), new_run(store)
    store.acquire_group("deploy", old.id)
    acquired = store.acquire_group("deploy", new.id, cancel_in_progress=True)
    assert acquired.state == "pending"  # never two running at once
    assert acquired.cancelled == (GroupHolder(run_id=old.id, job=None),)
    assert store.group_state("deploy", old.id) == "cancelled"
    assert store.group_state("deploy", new.id) == "pending"
    store.finish_run(old.id, "cancelled")  # finishing releases its places
    assert store.group_state("deploy", new.id) == "running"


def test_without_cancel_in_progress_the_running_one_goes_on(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    old, new = new_run(store), new_run(store)
    store.acquire_group("deploy", old.id)
    assert store.acquire_group("deploy", new.id).cancelled == ()
    assert store.group_state("deploy", old.id) == "running"


def test_groups_are_independent_and_jobs_hold_their_own_places(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    assert store.acquire_group("deploy-main", run.id, "deploy").state == "running"
    assert store.acquire_group("deploy-main", run.id, "smoke").state == "pending"
    assert store.acquire_group("docs", run.id, "docs").state == "running"
    store.release_group("deploy-main", run.id, "deploy")
    assert store.group_state("deploy-main", run.id, "smoke") == "running"


def test_asking_twice_changes_nothing(store: Store, new_run: Callable[..., RunRecord]) -> None:
    first, second = new_run(store), new_run(store)
    store.acquire_group("deploy", first.id)
    store.acquire_group("deploy", second.id)
    again = store.acquire_group("deploy", second.id, cancel_in_progress=True)
    assert (again.state, again.cancelled) == ("pending", ())
    assert store.group_state("deploy", first.id) == "running"


def test_releasing_what_is_not_held_is_harmless(
    store: Store, new_run: Callable[..., RunRecord]
) -> None:
    run = new_run(store)
    store.release_group("deploy", run.id)
    assert store.group_state("deploy", run.id) == "cancelled"


def test_an_unknown_run_cannot_join_a_group(store: Store) -> None:
    with pytest.raises(UserError, match="there is no run 404"):
        store.acquire_group("deploy", 404)


# Each process creates runs and joins one group, as parallel `conveyor run`s would. It
# starts on "go" and stays alive until its stdin closes: a process that exits leaves its
# runs to be marked interrupted, which would free the group.
RACER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from conveyor.store import open_store

    with open_store(Path(sys.argv[1])) as store:
        print("ready", flush=True)
        sys.stdin.readline()
        seen = []
        for _ in range(int(sys.argv[2])):
            run = store.create_run(
                workflow_file=".github/workflows/ci.yml", workflow_name="CI",
                event_name="push", ref="refs/heads/main", sha="0" * 40, branch="main",
            )
            seen.append([run.run_number, store.acquire_group("deploy", run.id).state])
        print(json.dumps(seen), flush=True)
        sys.stdin.read()
    """
)


def test_processes_racing_share_the_database_and_the_rule(repo: Path) -> None:
    with open_store(repo):  # migrate once, as the first `conveyor run` would
        pass
    processes, runs_each = 4, 8
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(repo), str(runs_each)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline() == "ready\n"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        results = []
        for racer in racers:
            assert racer.stdout is not None
            results.extend(json.loads(racer.stdout.readline()))
        numbers = sorted(number for number, _ in results)
        assert numbers == list(range(1, processes * runs_each + 1))
        assert [state for _, state in results].count("running") == 1
        with open_store(repo) as store:  # every racer is alive: nothing is interrupted
            states = [store.group_state("deploy", run.id) for run in store.list_runs(100)]
        assert (states.count("running"), states.count("pending")) == (1, 1)
    finally:
        for racer in racers:
            racer.communicate(timeout=60)
