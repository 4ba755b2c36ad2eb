"""Key results that measure themselves: the data source attached to a key result in a workshop form.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measures",
        sa.Column("key_result", sa.String(200), sa.ForeignKey("key_results.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("db", sa.Text), sa.Column("sql", sa.Text), sa.Column("notebook", sa.Text),
        sa.Column("saved_by", sa.String(200)), sa.Column("saved_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("measures")
