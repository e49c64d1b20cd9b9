"""The engine: where the database is, SQLite's pragmas, short transactions, migrations.

SQLite is the embedded default (`<repo>/.conveyor/conveyor.db`). Two `conveyor run`
processes in one repository share it: WAL lets readers and a writer work at once, a busy
timeout makes a writer wait for the other instead of failing, and every write
transaction starts with `BEGIN IMMEDIATE` so that read-then-write (allocating a run
number, taking a concurrency slot) cannot interleave with another process's. This file
holds the only SQLite-specific SQL; everything else is dialect-neutral, so a team can
point `url` at PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from conveyor.errors import UserError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

HEAD_REVISION = "0001"
"""The newest file in migrations/versions; a test keeps the two equal. A database already
at this revision opens without importing alembic, which keeps every command's start fast."""

STATE_DIR = ".conveyor"
DB_FILE = "conveyor.db"
BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).parent / "migrations"
_IMMEDIATE = "conveyor_write"
_RETRIES = 5
T = TypeVar("T")


def state_dir(root: Path) -> Path:
    """`<root>/.conveyor/`, created with a `.gitignore` of `*` so git never sees it."""
    path = root / STATE_DIR
    path.mkdir(parents=True, exist_ok=True)
    ignore = path / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return path


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite_hooks(engine)
    return engine


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN below, not the driver, decide when transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A short read transaction."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A short write transaction, holding SQLite's write lock from its first statement."""
    with (
        engine.connect().execution_options(**{_IMMEDIATE: True}) as connection,
        Session(bind=connection, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


def with_retry(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run `work(session)` in a write transaction; retry when another process won a race.

    On SQLite `BEGIN IMMEDIATE` already serialises writers; on PostgreSQL two writers can
    both read "no row yet" and one then hits a unique constraint, so it tries again.
    """
    for attempt in range(_RETRIES):
        try:
            with writing(engine) as session:
                return work(session)
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


# -- migrations ---------------------------------------------------------------------------


def alembic_config(url: str) -> Config:
    """Alembic's configuration, built in code: no alembic.ini is needed at runtime.

    For a new revision: `command.revision(alembic_config("sqlite:///x.db"),
    autogenerate=True, message="…")` against a database upgraded to head.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _stored_revision(connection: Connection) -> str | None:
    """The revision recorded in `alembic_version`, read with plain SQL (no alembic import)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


def migrate(engine: Engine) -> None:
    """Bring the database to this conveyor's head revision, in one transaction."""
    try:
        with (
            engine.connect().execution_options(**{_IMMEDIATE: True}) as connection,
            connection.begin(),
        ):
            current = _stored_revision(connection)
            if current == HEAD_REVISION:
                return
            from alembic import command
            from alembic.script import ScriptDirectory

            config = alembic_config(engine.url.render_as_string(hide_password=False))
            script = ScriptDirectory.from_config(config)
            _known(script, current, engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise UserError(
            f"cannot open the run database {_where(engine)}: {exc.orig}",
            hint="check the path or URL and its permissions",
        ) from exc


def _known(script: ScriptDirectory, revision: str | None, engine: Engine) -> None:
    from alembic.script.revision import RevisionError
    from alembic.util.exc import CommandError

    if revision is None:
        return
    try:
        script.get_revision(revision)
    except (CommandError, RevisionError) as exc:
        raise UserError(
            f"the run database {_where(engine)} was made by a newer conveyor "
            f"(schema revision {revision!r} is unknown to this one)",
            hint="upgrade conveyor (pip install -U conveyor), or point it at another database",
        ) from exc


def _where(engine: Engine) -> str:
    if engine.dialect.name == "sqlite" and engine.url.database:
        return engine.url.database
    return engine.url.render_as_string(hide_password=True)
