"""The register: notices, their versions and files, units, tasks, events.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("doc_type", sa.String(80)),
        sa.Column("number", sa.String(40)),
        sa.Column("symbol", sa.String(80)),
        sa.Column("issuer", sa.String(300)),
        sa.Column("issued_date", sa.Date()),
        sa.Column("subject", sa.Text()),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("notice_id", sa.String(40), sa.ForeignKey("notices.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("fidelity", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("superseded", sa.DateTime()),
        sa.UniqueConstraint("notice_id", "number"),
    )
    op.create_table(
        "files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("notice_id", sa.String(40), sa.ForeignKey("notices.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("received", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
    )
    op.create_table(
        "unit_spellings",
        sa.Column("spelling", sa.String(300), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False, index=True),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(60), primary_key=True),
        sa.Column("notice_id", sa.String(40), sa.ForeignKey("notices.id"), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("responsible", sa.JSON(), nullable=False),
        sa.Column("coordinating", sa.JSON(), nullable=False),
        sa.Column("deadlines", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "task_units",
        sa.Column("task_id", sa.String(60), sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), primary_key=True, index=True),
        sa.Column("role", sa.String(12), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False, index=True),
        sa.Column("notice_id", sa.String(40), sa.ForeignKey("notices.id"), nullable=False, index=True),
        sa.Column("task_id", sa.String(60), sa.ForeignKey("tasks.id"), index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in ("events", "task_units", "tasks", "unit_spellings", "units", "files", "versions", "notices"):
        op.drop_table(table)
