"""Objectives count their saves (``revision``) and keep who saved last and when, so no save overwrites another unseen.

Also: ``participants`` becomes unbounded text (a list of people outgrows
200 characters; PostgreSQL enforced that length, SQLite never did), and the
index on check-in authors that the first release made is dropped (no query
uses it, and it slowed every import).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("objectives", sa.Column("revision", sa.Integer, nullable=False, server_default="1"))
    op.add_column("objectives", sa.Column("saved_at", sa.DateTime))
    op.add_column("objectives", sa.Column("saved_by", sa.String(200)))
    op.drop_index("ix_checkins_author", table_name="checkins", if_exists=True)
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("objectives", "participants", type_=sa.Text, existing_type=sa.String(200))
