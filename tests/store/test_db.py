from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from conveyor.errors import UserError
from conveyor.store import RunRecord, Store, open_store
from conveyor.store.db import alembic_config
from conveyor.store.tables import Base


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_open_creates_a_git_ignored_state_directory_in_the_repository(repo: Path) -> None:
    with open_store(repo):
        pass
    assert (repo / ".conveyor" / ".gitignore").read_text() == "*\n"
    assert (repo / ".conveyor" / "conveyor.db").is_file()


def test_the_run_database_is_not_put_in_conveyor_home(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    with open_store():
        pass
    assert (repo / ".conveyor" / "conveyor.db").is_file()


def test_a_fresh_database_is_upgraded_to_head(store: Store, repo: Path) -> None:
    with sqlite3.connect(repo / ".conveyor" / "conveyor.db") as db:
        (version,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == _head()


def test_the_migrated_schema_matches_the_models(store: Store, repo: Path) -> None:
    engine = create_engine(f"sqlite:///{repo / '.conveyor' / 'conveyor.db'}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_so_readers_do_not_block_a_writer(store: Store, repo: Path) -> None:
    with sqlite3.connect(repo / ".conveyor" / "conveyor.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_reopening_keeps_history_and_does_not_migrate_again(
    repo: Path, new_run: Callable[..., RunRecord]
) -> None:
    with open_store(repo) as store:
        run = new_run(store)
    with open_store(repo) as store:
        assert store.get_run(run.id).workflow_name == "CI"


def test_a_database_from_a_newer_conveyor_is_refused_clearly(repo: Path) -> None:
    with open_store(repo):
        pass
    with sqlite3.connect(repo / ".conveyor" / "conveyor.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(UserError, match="made by a newer conveyor"):
        open_store(repo)


def test_any_sqlalchemy_url_is_accepted(
    repo: Path, tmp_path: Path, new_run: Callable[..., RunRecord]
) -> None:
    elsewhere = tmp_path / "team.db"
    with open_store(repo, url=f"sqlite:///{elsewhere}") as store:
        run = new_run(store)
        assert store.get_run(run.id).id == run.id
    assert elsewhere.is_file()
    assert not (repo / ".conveyor" / "conveyor.db").exists()


def test_an_unopenable_database_is_a_user_error(repo: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    with pytest.raises(UserError, match="cannot open the run database"):
        open_store(repo, url=f"sqlite:///{missing}")


def test_processes_opening_a_fresh_repository_at_once_all_succeed(repo: Path) -> None:
    opener = (
        "import sys; from pathlib import Path; from conveyor.store import open_store\n"
        "with open_store(Path(sys.argv[1])) as store:\n"
        "    print(store.create_run(workflow_file='ci.yml', workflow_name='CI',"
        " event_name='push', ref='refs/heads/main', sha='0').run_number)\n"
    )
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", opener, str(repo)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    numbers = sorted(int(p.communicate(timeout=60)[0]) for p in openers)
    assert [p.returncode for p in openers] == [0, 0, 0, 0]
    assert numbers == [1, 2, 3, 4]


def test_the_migrations_render_for_postgresql_without_sqlite_only_sql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command.upgrade(alembic_config("postgresql://team@db/conveyor"), "head", sql=True)
    ddl = capsys.readouterr().out
    for table in ("runs", "jobs", "steps", "annotations", "gate_results", "test_results"):
        assert f"CREATE TABLE {table} (" in ddl
    assert "CREATE TABLE concurrency (" in ddl
    assert "TIMESTAMP WITH TIME ZONE" in ddl
    assert "AUTOINCREMENT" not in ddl
    assert "PRAGMA" not in ddl


def test_the_fast_path_revision_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from conveyor.store.db import HEAD_REVISION, alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite:///unused.db"))
    assert script.get_current_head() == HEAD_REVISION


def test_opening_a_current_database_does_not_import_alembic(repo: Path) -> None:
    import subprocess
    import sys

    open_store(repo).close()  # created and migrated
    code = (
        "import sys; from pathlib import Path; from conveyor.store import open_store;"
        f"open_store(Path({str(repo)!r})).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
