"""First schema: runs, jobs, steps, annotations, gate and test results, concurrency.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Types are spelled out here rather than imported from `tables.py`: a revision is a
snapshot and must not change when the models do.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workflow_file", sa.String(length=500), nullable=False),
        sa.Column("workflow_name", sa.String(length=500), nullable=False),
        sa.Column("event_name", sa.String(length=100), nullable=False),
        sa.Column("ref", sa.String(length=500), nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("branch", sa.String(length=500), nullable=True),
        sa.Column("run_number", sa.Integer(), nullable=False),
        sa.Column("run_attempt", sa.Integer(), nullable=False),
        sa.Column("parent_run_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("created_at", nullable=False),
        _when("started_at"),
        _when("finished_at"),
        sa.Column("owner_pid", sa.Integer(), nullable=False),
        sa.Column("owner_host", sa.String(length=255), nullable=False),
        sa.Column("owner_started", sa.Float(), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            _one_of(
                "status", ("queued", "running", "success", "failure", "cancelled", "interrupted")
            ),
            name=op.f("ck_runs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_run_id"], ["runs.id"], name=op.f("fk_runs_parent_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
        sa.UniqueConstraint(
            "workflow_file",
            "run_number",
            "run_attempt",
            name=op.f("uq_runs_workflow_file_run_number_run_attempt"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_runs_branch", "runs", ["branch"])
    op.create_index("ix_runs_status", "runs", ["status"])
    op.create_index("ix_runs_workflow_file_run_number", "runs", ["workflow_file", "run_number"])

    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("matrix", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("conclusion", sa.String(length=16), nullable=True),
        _when("started_at"),
        _when("finished_at"),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.Column("log_path", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            _one_of(
                "status",
                ("queued", "running", "success", "failure", "cancelled", "skipped", "interrupted"),
            ),
            name=op.f("ck_jobs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_jobs_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_run_id"), "jobs", ["run_id"])

    op.create_table(
        "steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=1000), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("conclusion", sa.String(length=16), nullable=True),
        _when("started_at"),
        _when("finished_at"),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.Column("log_start", sa.Integer(), nullable=True),
        sa.Column("log_end", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_steps_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steps")),
        sa.UniqueConstraint("job_id", "index", name=op.f("uq_steps_job_id_index")),
    )

    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("file", sa.String(length=1000), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("column", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            _one_of("level", ("error", "warning", "notice")), name=op.f("ck_annotations_level")
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_annotations_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotations")),
    )
    op.create_index(op.f("ix_annotations_job_id"), "annotations", ["job_id"])

    op.create_table(
        "gate_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gate", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("commit", sa.String(length=64), nullable=False),
        sa.Column("branch", sa.String(length=500), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        _when("recorded_at", nullable=False),
        sa.CheckConstraint(
            _one_of("status", ("pass", "warn", "fail")), name=op.f("ck_gate_results_status")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_gate_results_run_id_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gate_results")),
    )
    op.create_index(
        "ix_gate_results_gate_branch_recorded_at", "gate_results", ["gate", "branch", "recorded_at"]
    )
    op.create_index("ix_gate_results_gate_recorded_at", "gate_results", ["gate", "recorded_at"])

    op.create_table(
        "test_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("test_id", sa.String(length=2000), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=False),
        sa.Column("branch", sa.String(length=500), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        _when("recorded_at", nullable=False),
        sa.CheckConstraint(
            _one_of("outcome", ("passed", "failed", "skipped", "error")),
            name=op.f("ck_test_results_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_test_results_run_id_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_test_results")),
    )
    op.create_index("ix_test_results_recorded_at", "test_results", ["recorded_at"])
    op.create_index(
        "ix_test_results_test_id_recorded_at", "test_results", ["test_id", "recorded_at"]
    )

    op.create_table(
        "concurrency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.String(length=1000), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("job_key", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        _when("created_at", nullable=False),
        sa.CheckConstraint(
            _one_of("state", ("running", "pending")), name=op.f("ck_concurrency_state")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_concurrency_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concurrency")),
        sa.UniqueConstraint("group_name", "state", name=op.f("uq_concurrency_group_name_state")),
    )
    op.create_index("ix_concurrency_run_id", "concurrency", ["run_id"])


def downgrade() -> None:
    for table in (
        "concurrency",
        "test_results",
        "gate_results",
        "annotations",
        "steps",
        "jobs",
        "runs",
    ):
        op.drop_table(table)
