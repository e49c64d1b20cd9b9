"""Alembic migrations of the run database, run by `conveyor.store.db.migrate` on open."""
