"""Alembic's entry point, run by `alembic.command` with a Config built in code.

`conveyor.store.db.migrate` passes its own connection, already inside a transaction, as
`config.attributes["connection"]`; without one (a developer running `command.revision`)
an engine is made from the `sqlalchemy.url` option. Offline mode (`sql=True`) prints the
DDL for any dialect without connecting, e.g. PostgreSQL's for a DBA to review.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from conveyor.store.db import make_engine
from conveyor.store.tables import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _offline(url: str) -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        _offline(url or "sqlite://")
        return
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    if not url:
        raise RuntimeError("set sqlalchemy.url, or pass a connection in config.attributes")
    engine = make_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            _run(connection)
    finally:
        engine.dispose()


_main()
