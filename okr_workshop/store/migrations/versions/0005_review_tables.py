"""The end of a quarter on the record: reflections per objective, changes to key results, the team retro.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _choice(name: str, choices: tuple[str, ...]) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{name} IN ({', '.join(repr(c) for c in choices)})", name=f"ck_{name}")


def _reference(name: str, table: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(200), sa.ForeignKey(f"{table}.id", deferrable=True, initially="DEFERRED"),
                     nullable=nullable)


def _row_columns() -> list[sa.Column]:
    return [sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True)]


def upgrade() -> None:
    op.create_table(
        "reflections", *_row_columns(),
        _reference("objective", "objectives"), _reference("author", "people"),
        sa.Column("date", sa.Date, nullable=False), sa.Column("score", sa.Float),
        sa.Column("worked", sa.Text), sa.Column("did_not_work", sa.Text), sa.Column("learned", sa.Text),
        sa.Column("next", sa.String(20), _choice("next", ("keep", "drop", "carry"))),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reflections_objective", "reflections", ["objective"])
    op.create_table(
        "changes", *_row_columns(),
        _reference("key_result", "key_results"), sa.Column("date", sa.Date, nullable=False),
        _reference("author", "people"),
        sa.Column("field", sa.String(20), _choice("field", ("title", "start", "target", "unit", "due", "weight")),
                  nullable=False),
        sa.Column("old", sa.Text), sa.Column("new", sa.Text), sa.Column("reason", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_changes_key_result", "changes", ["key_result"])
    op.create_table(
        "retro", *_row_columns(),
        _reference("team", "teams"), sa.Column("quarter", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(20), _choice("kind", ("start", "stop", "continue", "shout_out")), nullable=False),
        sa.Column("text", sa.Text, nullable=False), _reference("author", "people", nullable=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_retro_team", "retro", ["team"])


def downgrade() -> None:
    for name in ("retro", "changes", "reflections"):
        op.drop_table(name)
