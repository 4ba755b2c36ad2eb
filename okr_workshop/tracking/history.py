"""What the record says of one key result or objective, read from a workbook's frames: its changes, its reflections.

No database here: the review report's kernel reads these from the frames it
already holds, without the store (:mod:`okr_workshop.tracking.review` writes them).
"""

from __future__ import annotations

__all__ = ["changes_of", "reflections_of"]


def changes_of(changes, key_result: str) -> list[dict]:
    """The contract's ``changes`` list of one key result from a ``changes`` frame: oldest first."""
    rows = changes[changes["key_result"] == key_result].sort_values("date", kind="stable")
    return [{"date": row.date.date().isoformat(), "author": row.author, "field": row.field, "old": row.old,
             "new": row.new, "reason": row.reason}
            for row in rows.itertuples(index=False)]


def reflections_of(reflections, objective: str) -> list[dict]:
    """The reflections on ``objective`` from a ``reflections`` frame, latest first, as plain dicts."""
    rows = reflections[reflections["objective"] == objective].sort_values("date", ascending=False, kind="stable")
    frame = rows.astype(object).where(rows.notna(), None)
    return [{**row, "date": row["date"].date().isoformat()} for row in frame.to_dict("records")]
