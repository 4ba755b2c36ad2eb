"""Key results say how they are scored (``type``); carried-over objectives and key results name where they came from.

``store_meta`` schema version 2. SQLite stores get the ``type`` column without
its check (SQLite cannot add a constraint to a table; the toolkit checks the
choice itself before writing).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TYPES = ("increase", "decrease", "stay_above", "stay_below", "milestone")


def upgrade() -> None:
    op.add_column("key_results", sa.Column("type", sa.String(20)))
    op.add_column("key_results", sa.Column("carried_from", sa.Text))
    op.add_column("objectives", sa.Column("carried_from", sa.Text))
    if op.get_bind().dialect.name != "sqlite":
        op.create_check_constraint("ck_type", "key_results", f"type IN ({', '.join(repr(t) for t in TYPES)})")
