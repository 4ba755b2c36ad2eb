"""The contract's tables, as the first released okr-workshop made them (its ``store_meta`` said schema version 1).

Frozen here column by column: later versions change the tables only through
new migrations, never by editing this one.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(200)
CHOICE = sa.String(20)


def _ref(table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", deferrable=True, initially="DEFERRED")


def _choice(name: str, *values: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{name} IN ({', '.join(repr(v) for v in values)})", name=f"ck_{name}")


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("parent", ID, _ref("teams")),
    )
    op.create_index("ix_teams_parent", "teams", ["parent"])
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("team", ID, _ref("teams")),
        sa.Column("role", CHOICE, _choice("role", "leader", "manager", "member", "facilitator")),
        sa.Column("start_date", sa.Date),
    )
    op.create_index("ix_people_team", "people", ["team"])
    op.create_table(
        "objectives",
        sa.Column("id", ID, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("level", CHOICE, _choice("level", "company", "team", "individual"), nullable=False),
        sa.Column("quarter", sa.String(7)),
        sa.Column("team", ID, _ref("teams")),
        sa.Column("owner", ID, _ref("people")),
        sa.Column("parent", ID, _ref("objectives")),
        sa.Column("visibility", CHOICE, _choice("visibility", "everyone", "team", "participants")),
        sa.Column("commitment", CHOICE, _choice("commitment", "aspirational", "committed")),
        sa.Column("description", sa.Text),
        sa.Column("participants", ID),
    )
    for column in ("team", "owner", "parent"):
        op.create_index(f"ix_objectives_{column}", "objectives", [column])
    op.create_table(
        "key_results",
        sa.Column("id", ID, primary_key=True),
        sa.Column("objective", ID, _ref("objectives"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("start", sa.Float),
        sa.Column("target", sa.Float),
        sa.Column("current", sa.Float),
        sa.Column("unit", sa.Text),
        sa.Column("due", sa.Date),
        sa.Column("owner", ID, _ref("people")),
        sa.Column("weight", sa.Float),
        sa.Column("confidence", sa.Float),
    )
    for column in ("owner", "objective"):
        op.create_index(f"ix_key_results_{column}", "key_results", [column])
    op.create_table(
        "initiatives",
        sa.Column("id", ID, primary_key=True),
        sa.Column("key_result", ID, _ref("key_results"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("owner", ID, _ref("people")),
        sa.Column("status", CHOICE, _choice("status", "planned", "in_progress", "done", "dropped")),
        sa.Column("due", sa.Date),
    )
    for column in ("key_result", "owner"):
        op.create_index(f"ix_initiatives_{column}", "initiatives", [column])
    op.create_table(
        "checkins",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_result", ID, _ref("key_results"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("note", sa.Text),
        sa.Column("author", ID, _ref("people")),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    for column in ("author", "key_result"):
        op.create_index(f"ix_checkins_{column}", "checkins", [column])
