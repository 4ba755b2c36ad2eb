"""The record of changes to key results after their quarter began: which fields changed, from what, to what.

The store keeps one ``changes`` row per field changed, with the reason, whom
it was for and who made it. Both the workshop's saves
(:mod:`okr_workshop.store.drafts`) and adjustments at the end of a quarter
(:mod:`okr_workshop.tracking.review`) write them through here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import pandas as pd
import sqlalchemy as sa

from okr_workshop.model import ChangeField
from okr_workshop.store.database import SQL_TABLES

__all__ = ["FIELDS", "changed_fields", "now", "record_changes"]

FIELDS = tuple(f.value for f in ChangeField)
"""The fields of a key result whose changes are kept on the record, in the contract's order."""


def _as_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, float):
        return f"{value:.15g}"  # as written: 1234567, 0.3, 2300
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]) -> tuple[tuple[str, str | None,
                                                                                           str | None], ...]:
    """``(field, old, new)`` for each of :data:`FIELDS` in ``after`` whose value differs from ``before``, as text."""
    return tuple((field, _as_text(before.get(field)), _as_text(after[field]))
                 for field in FIELDS if field in after and _as_text(before.get(field)) != _as_text(after[field]))


def record_changes(conn, key_result: str, changed, *, reason: str, author: str, date: dt.date,
                   recorded_by: str | None = None) -> None:
    """Write one ``changes`` row per ``(field, old, new)`` on ``conn``, inside the caller's transaction.

    ``author`` is whom the change is for; ``recorded_by`` who made it, when someone did it for them.
    """
    conn.execute(sa.insert(SQL_TABLES["changes"]), [
        {"key_result": key_result, "date": date, "author": author, "field": field, "old": old, "new": new,
         "reason": reason, "recorded_at": now(), "recorded_by": recorded_by}
        for field, old, new in changed])


def now() -> dt.datetime:
    """The time now in UTC, to the second, as the store records it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
