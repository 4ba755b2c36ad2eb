"""Check-ins: record where a key result stands, and read every check-in a key result has had.

:func:`record_checkin` checks everything first (the value is a number, the
confidence lies from 0 to 1, the date is a date, the key result and the author
exist) and writes one row only when all of it is right; anything wrong raises
:class:`~okr_workshop.exceptions.InputError` naming the field and the key
result, and the store is left as it was. The store keeps when each check-in
was recorded, so :func:`history` gives the full story: value, confidence,
note, author and time recorded, in date order.

    >>> record_checkin(store, "C1.1", "1,920", confidence=0.7, author="ana@example.org")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from okr_workshop.exceptions import InputError, StoreError
from okr_workshop.io.cells import read_number
from okr_workshop.model import DATE_RANGE, FIRST_DAY, LAST_DAY, MAX_TEXT, CheckIn, text_expectation
from okr_workshop.store.changes import now
from okr_workshop.store.database import SQL_TABLES, Store
from okr_workshop.text import describe, unsafe_char

__all__ = ["HISTORY_COLUMNS", "history", "parse_confidence", "parse_date", "parse_value", "record_checkin"]

HISTORY_COLUMNS = ("seq", "date", "value", "confidence", "note", "author", "recorded_at")


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_value(value: object, key_result: str | None = None) -> float:
    """A check-in value as a number: ``42``, ``"12.5"``, ``"1,850"`` or ``"38%"``; refuses anything else."""
    number = read_number(value)
    if number is None:
        raise InputError("value", _shown(value), "a number such as 42 or 12.5 (use . for decimals)", key_result)
    return number


def parse_confidence(value: object, key_result: str | None = None) -> float | None:
    """A confidence from 0.0 to 1.0 (None stays None); refuses other numbers and text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = read_number(value, percent=False)
    if number is None or not 0.0 <= number <= 1.0:
        raise InputError("confidence", _shown(value), "a number from 0 to 1 (write 0.7 for 70%)", key_result)
    return number


def parse_date(value: object, key_result: str | None = None) -> dt.date:
    """A date (a ``date``, a ``datetime`` or text ``YYYY-MM-DD``) in years 1900 to 2200; None means today."""
    day = _date(value, key_result)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError("date", _shown(value), DATE_RANGE, key_result)
    return day


def _date(value: object, key_result: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError("date", _shown(value), "a date written YYYY-MM-DD, such as 2026-11-20", key_result)


def _note(note: object, key_result: str) -> str | None:
    if note is None:
        return None
    text = str(note).strip()
    if len(text) > MAX_TEXT:
        raise InputError("note", f"a note of {len(text):,} characters", f"at most {MAX_TEXT:,} characters",
                         key_result)
    if (char := unsafe_char(text, "free")) is not None:
        raise InputError("note", f"{_shown(text)}, which holds {describe(char)}", text_expectation("free"), key_result)
    return text or None


def _exists(conn, table: str, ident: str) -> bool:
    column = SQL_TABLES[table].c.id
    return conn.execute(sa.select(column).where(column == ident)).first() is not None


def record_checkin(store: Store, key_result: str, value: object, confidence: object = None, note: object = None,
                   author: str | None = None, date: object = None, *, recorded_by: str | None = None) -> CheckIn:
    """Record one check-in for ``key_result`` and return it (with ``seq`` and ``recorded_at``).

    ``author`` is whose check-in it is; ``recorded_by`` who typed it, when
    someone did it for them (a facilitator), kept in the store beside it.

    Raises :class:`InputError` and writes nothing when the value is not a
    number, the confidence is not from 0 to 1, the date is not a date, the
    key result or the author is not in the store.
    """
    key_result = (key_result or "").strip()
    number = parse_value(value, key_result or None)
    sure = parse_confidence(confidence, key_result or None)
    day = parse_date(date, key_result or None)
    text = _note(note, key_result)
    author = author.strip() if isinstance(author, str) and author.strip() else None
    recorded_at = now()
    table = SQL_TABLES["checkins"]
    try:
        with store.transaction() as conn:
            if not key_result or not _exists(conn, "key_results", key_result):
                raise InputError("key_result", _shown(key_result), "the id of a key result in the store")
            if author is not None and not _exists(conn, "people", author):
                raise InputError("author", _shown(author), "the id of a person in the store", key_result)
            result = conn.execute(sa.insert(table).values(
                key_result=key_result, date=day, value=number, confidence=sure, note=text, author=author,
                recorded_at=recorded_at, recorded_by=recorded_by))
            seq = result.inserted_primary_key[0]
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"The check-in was not recorded: the store refused it ({error.orig or error})") from error
    return CheckIn.model_construct(key_result=key_result, date=day, value=number, confidence=sure, note=text,
                                   author=author, seq=seq, recorded_at=recorded_at)


def history(store: Store, key_result: str) -> pd.DataFrame:
    """Every check-in of ``key_result``, oldest first (same date: in the order recorded).

    Columns: ``seq``, ``date``, ``value``, ``confidence``, ``note``,
    ``author``, ``recorded_at``. An unknown key result is an :class:`InputError`.
    """
    table = SQL_TABLES["checkins"]
    with store.engine.connect() as conn:
        if not _exists(conn, "key_results", key_result):
            raise InputError("key_result", _shown(key_result), "the id of a key result in the store")
        rows = conn.execute(sa.select(*[table.c[c] for c in HISTORY_COLUMNS])
                            .where(table.c.key_result == key_result)
                            .order_by(table.c.date, table.c.seq)).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(HISTORY_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"]).astype("datetime64[ns]")
    for name in ("value", "confidence"):
        frame[name] = pd.to_numeric(frame[name]).astype("float64")
    for name in ("note", "author"):
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame
