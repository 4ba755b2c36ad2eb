"""Rows the apps write keep who recorded them: a facilitator saving for someone else is on the record too.

``recorded_by`` (a person id, empty for rows written before and for imports)
joins objectives, key results, check-ins, reflections, changes and retro notes.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("objectives", "key_results", "checkins", "reflections", "changes", "retro")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("recorded_by", sa.String(200)))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:  # SQLite drops a column by rebuilding the table
            batch.drop_column("recorded_by")
