"""The schema, as SQLAlchemy 2 declarative models. Nothing outside `conveyor.store` sees them.

Types are dialect-neutral (SQLite and PostgreSQL): strings with CHECK constraints for
statuses, `JSON` for mappings, timezone-aware timestamps stored as UTC. A change here
needs a new Alembic revision in `migrations/versions/`; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

RUN_STATUSES = ("queued", "running", "success", "failure", "cancelled", "interrupted")
JOB_STATUSES = ("queued", "running", "success", "failure", "cancelled", "skipped", "interrupted")
GATE_STATUSES = ("pass", "warn", "fail")
TEST_OUTCOMES = ("passed", "failed", "skipped", "error")
ANNOTATION_LEVELS = ("error", "warning", "notice")
GROUP_STATES = ("running", "pending")

# Named constraints, so that migrations can refer to them on every dialect.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and read back timezone-aware; naive values count as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no zone; we only ever wrote UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy's documented spelling
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (
        CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),
        UniqueConstraint("workflow_file", "run_number", "run_attempt"),
        Index("ix_runs_workflow_file_run_number", "workflow_file", "run_number"),
        Index("ix_runs_branch", "branch"),
        Index("ix_runs_status", "status"),
        {"sqlite_autoincrement": True},  # never reuse an id: log directories are named by it
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_file: Mapped[str] = mapped_column(String(500))
    workflow_name: Mapped[str] = mapped_column(String(500))
    event_name: Mapped[str] = mapped_column(String(100))
    ref: Mapped[str] = mapped_column(String(500))
    sha: Mapped[str] = mapped_column(String(64))
    branch: Mapped[str | None] = mapped_column(String(500))
    run_number: Mapped[int] = mapped_column(Integer)
    run_attempt: Mapped[int] = mapped_column(Integer)
    parent_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    owner_pid: Mapped[int] = mapped_column(Integer)
    owner_host: Mapped[str] = mapped_column(String(255))
    owner_started: Mapped[float | None] = mapped_column(Float)  # process start, against pid reuse
    actor: Mapped[str | None] = mapped_column(String(255))
    inputs: Mapped[dict[str, Any]]
    event: Mapped[dict[str, Any]]

    jobs: Mapped[list[Job]] = relationship(back_populates="run", order_by="Job.id")


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(_one_of("status", JOB_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(1000))
    matrix: Mapped[dict[str, Any] | None]
    status: Mapped[str] = mapped_column(String(16))
    conclusion: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    outputs: Mapped[dict[str, Any]]
    log_path: Mapped[str | None] = mapped_column(String(1000))

    run: Mapped[Run] = relationship(back_populates="jobs")
    steps: Mapped[list[Step]] = relationship(back_populates="job", order_by="Step.index")
    annotations: Mapped[list[Annotation]] = relationship(
        back_populates="job", order_by="Annotation.id"
    )


class Step(Base):
    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("job_id", "index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    step_id: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(1000))
    outcome: Mapped[str | None] = mapped_column(String(16))
    conclusion: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    outputs: Mapped[dict[str, Any]]
    log_start: Mapped[int | None] = mapped_column(Integer)  # byte offsets in the job's log
    log_end: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)

    job: Mapped[Job] = relationship(back_populates="steps")


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (CheckConstraint(_one_of("level", ANNOTATION_LEVELS), name="level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    step_index: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    file: Mapped[str | None] = mapped_column(String(1000))
    line: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(1000))

    job: Mapped[Job] = relationship(back_populates="annotations")


class GateResult(Base):
    __tablename__ = "gate_results"
    __table_args__ = (
        CheckConstraint(_one_of("status", GATE_STATUSES), name="status"),
        Index("ix_gate_results_gate_branch_recorded_at", "gate", "branch", "recorded_at"),
        Index("ix_gate_results_gate_recorded_at", "gate", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gate: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(8))
    figures: Mapped[dict[str, Any]]
    detail: Mapped[str | None] = mapped_column(Text)
    commit: Mapped[str] = mapped_column(String(64))
    branch: Mapped[str] = mapped_column(String(500))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime]


class TestResult(Base):
    __tablename__ = "test_results"
    __test__ = False  # not a pytest test class
    __table_args__ = (
        CheckConstraint(_one_of("outcome", TEST_OUTCOMES), name="outcome"),
        Index("ix_test_results_test_id_recorded_at", "test_id", "recorded_at"),
        Index("ix_test_results_recorded_at", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    test_id: Mapped[str] = mapped_column(String(2000))
    outcome: Mapped[str] = mapped_column(String(8))
    commit: Mapped[str] = mapped_column(String(64))
    branch: Mapped[str] = mapped_column(String(500))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    attempt: Mapped[int] = mapped_column(Integer)
    duration: Mapped[float | None] = mapped_column(Float)
    recorded_at: Mapped[datetime]


class ConcurrencySlot(Base):
    """A run's (or one job's) place in a concurrency group: the one running or the one pending.

    The unique (group, state) pair is GitHub's rule itself: one running and one pending per
    group, enforced by the database even if two processes race.
    """

    __tablename__ = "concurrency"
    __table_args__ = (
        CheckConstraint(_one_of("state", GROUP_STATES), name="state"),
        UniqueConstraint("group_name", "state"),
        Index("ix_concurrency_run_id", "run_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_name: Mapped[str] = mapped_column(String(1000))
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    job_key: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(8))
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
