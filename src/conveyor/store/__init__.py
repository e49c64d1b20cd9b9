"""Run history: runs, jobs, steps, logs, gate results and test outcomes (SQLAlchemy 2).

    store = open_store(repo_root)              # <repo>/.conveyor/conveyor.db, migrated
    run = store.create_run(workflow_file=..., workflow_name=..., event_name="push", ...)
    job = store.add_job(run.id, job_id="build", name="build (3.11, ubuntu-latest)")
    store.finish_run(run.id, "success")

Where things are. `open_store(root)` keeps its state in `<root>/.conveyor/` (created with
a `.gitignore` of `*`): the SQLite database `conveyor.db` (WAL, foreign keys on, a busy
timeout so several `conveyor run` processes share it) and job logs under
`logs/<run id>/<job db id>.log`. `url=` takes any SQLAlchemy URL instead (PostgreSQL via
psycopg 3 for teams); logs stay files. `CONVEYOR_HOME` is for user-level state and is not
where run history goes.

Tables, and who writes them:

    runs            one row per run of one workflow; `id` is `github.run_id`.
                    create_run (queued; run_number per workflow file, run_attempt per
                    rerun), start_run, finish_run; mark_interrupted on open.
    jobs            one row per job or matrix leg. add_job, start_job, finish_job;
                    finish_run and mark_interrupted close the unfinished ones.
    steps           one row per step of a job. record_step (on start and on finish).
    annotations     `::error::`/`::warning::`/`::notice::` of a job. add_annotations.
    gate_results    gate verdicts and figures per commit and branch. record_gates
                    (the `GateHistory` seam of `conveyor.gates`).
    test_results    one row per test execution. record_tests (`GateHistory`).
    concurrency     places in concurrency groups. acquire_group, group_state (promotes
                    the pending one when the group frees), release_group; finish_run and
                    mark_interrupted release a run's places.
    alembic_version the schema revision, written by the migrations on open.

Logs and secrets: the store only hands out log paths (`job_log_path`); the runner writes
the files, and masks secrets before writing, so neither the logs nor the database ever
see a secret. Step records keep byte offsets into their job's log.

Migrations: Alembic revisions ship in `conveyor/store/migrations/versions/` and run
programmatically on every open (`db.migrate`); a database stamped with a revision this
conveyor does not know is refused with a `UserError` ("made by a newer conveyor").
"""

from __future__ import annotations

from pathlib import Path

from conveyor.store.db import DB_FILE, make_engine, migrate, state_dir
from conveyor.store.records import (
    Acquire,
    Annotation,
    GroupHolder,
    GroupState,
    JobConclusion,
    JobRecord,
    RunConclusion,
    RunRecord,
    StepRecord,
    StepStatus,
)
from conveyor.store.store import Clock, Store, utc_now

__all__ = [
    "Acquire",
    "Annotation",
    "GroupHolder",
    "GroupState",
    "JobConclusion",
    "JobRecord",
    "RunConclusion",
    "RunRecord",
    "StepRecord",
    "StepStatus",
    "Store",
    "open_store",
]


def open_store(
    root: Path | None = None, *, url: str | None = None, clock: Clock = utc_now
) -> Store:
    """Open (creating and migrating as needed) the run store of the repository at `root`.

    `root` defaults to the current directory. Runs left behind by dead processes on this
    host are marked `interrupted` before the store is returned.
    """
    directory = state_dir((root or Path.cwd()).resolve())
    engine = make_engine(url or f"sqlite:///{directory / DB_FILE}")
    try:
        migrate(engine)
        store = Store(engine, state_dir=directory, clock=clock)
        store.mark_interrupted()
    except BaseException:
        engine.dispose()
        raise
    return store
