"""Check-ins: recorded with the time, read back as a full history; every refusal leaves the store as it was.

Every test runs on SQLite and on PostgreSQL (``seeded_db``: the small valid workbook in a store of its own).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import store_rows

from okr_workshop.exceptions import InputError
from okr_workshop.store.database import Store
from okr_workshop.tracking.checkins import history, parse_value, record_checkin

ANA, BEN = "ana@example.org", "ben@example.org"


def store_state(db: str) -> tuple[bytes | None, dict]:
    """A SQLite store file's bytes (read first, before anything opens it) and every row the store holds."""
    data = Path(db).read_bytes() if "://" not in db else None
    store = Store(db, create=False)
    try:
        return data, store_rows(store)
    finally:
        store.close()


def test_a_check_in_is_recorded_with_everything_and_the_time(seeded_db):
    store = Store(seeded_db, create=False)
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    record = record_checkin(store, "C1.1", "45.5", confidence="0.7", note="  Survey is in  ", author=ANA,
                            date="2026-08-20")
    assert (record.key_result, record.date, record.value, record.confidence, record.note, record.author) == (
        "C1.1", dt.date(2026, 8, 20), 45.5, 0.7, "Survey is in", ANA)
    assert before <= record.recorded_at <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = history(store, "C1.1")
    assert rows["value"].tolist() == [42.0, 45.5]
    last = rows.iloc[-1]
    assert (last["confidence"], last["note"], last["author"], last["seq"]) == (0.7, "Survey is in", ANA, record.seq)
    assert last["recorded_at"] == record.recorded_at
    assert store.read_workbook()["checkins"]["value"].tolist()[-1] == 45.5


def test_history_is_in_date_order_and_same_dates_in_the_order_recorded(seeded_db):
    store = Store(seeded_db, create=False)
    record_checkin(store, "T1.1", 16, date="2026-09-01")
    record_checkin(store, "T1.1", 19, date="2026-08-01", author=BEN)  # a late entry for an earlier date
    record_checkin(store, "T1.1", 15, date="2026-09-01", note="corrected")
    rows = history(store, "T1.1")
    assert rows["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-07-22", "2026-08-01", "2026-09-01", "2026-09-01"]
    assert rows["value"].tolist() == [20.0, 19.0, 16.0, 15.0]
    assert rows["seq"].is_monotonic_increasing is False  # sorted by date, not by the order recorded
    assert rows["author"].tolist()[1] == BEN
    assert history(store, "I1.1").empty


def test_the_date_defaults_to_today_and_optional_fields_to_nothing(seeded_db):
    store = Store(seeded_db, create=False)
    record = record_checkin(store, "I1.1", 1)
    assert record.date == dt.date.today()
    assert (record.confidence, record.note, record.author) == (None, None, None)


@pytest.mark.parametrize("text, number", [
    ("42", 42.0), (" 12.5 ", 12.5), ("1,850", 1850.0), ("38%", 38.0), ("-3.25", -3.25), (7, 7.0), (0.5, 0.5),
    ("1 850", 1850.0),
])
def test_values_people_type(text, number):
    assert parse_value(text) == number


REFUSED = [
    # id, arguments, field named, words of the message
    ("value-text", dict(key_result="C1.1", value="lots"), "value", "a number"),
    ("value-empty", dict(key_result="C1.1", value=""), "value", "a number"),
    ("value-nan", dict(key_result="C1.1", value="nan"), "value", "a number"),
    ("value-infinite", dict(key_result="C1.1", value=float("inf")), "value", "a number"),
    ("value-decimal-comma", dict(key_result="C1.1", value="12,5"), "value", "use . for decimals"),
    ("value-bool", dict(key_result="C1.1", value=True), "value", "a number"),
    ("confidence-above-1", dict(key_result="C1.1", value=1, confidence=1.5), "confidence", "from 0 to 1"),
    ("confidence-percent", dict(key_result="C1.1", value=1, confidence="70"), "confidence", "0.7 for 70%"),
    ("confidence-negative", dict(key_result="C1.1", value=1, confidence=-0.1), "confidence", "from 0 to 1"),
    ("confidence-text", dict(key_result="C1.1", value=1, confidence="high"), "confidence", "from 0 to 1"),
    ("unknown-key-result", dict(key_result="C9.9", value=1), "key_result", "key result in the store"),
    ("empty-key-result", dict(key_result="", value=1), "key_result", "key result in the store"),
    ("unknown-author", dict(key_result="C1.1", value=1, author="zoe@example.org"), "author", "person in the store"),
    ("bad-date", dict(key_result="C1.1", value=1, date="2026-13-01"), "date", "YYYY-MM-DD"),
    ("date-in-words", dict(key_result="C1.1", value=1, date="yesterday"), "date", "YYYY-MM-DD"),
    ("note-too-long", dict(key_result="C1.1", value=1, note="x" * 10_001), "note", "at most"),
]


@pytest.mark.parametrize("arguments, field, words", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_refused_check_in_names_the_field_and_leaves_the_store_file_unchanged(seeded_db, arguments, field,
                                                                               words):
    before = store_state(seeded_db)
    store = Store(seeded_db, create=False)
    with pytest.raises(InputError) as caught:
        record_checkin(store, **arguments)
    store.close()
    error = caught.value
    assert error.field == field
    assert words in str(error)
    assert "Nothing was written" in str(error)
    if field != "key_result":
        assert error.subject == "C1.1" and "C1.1" in str(error)
    assert store_state(seeded_db) == before


def test_history_of_an_unknown_key_result_is_refused(seeded_db):
    with pytest.raises(InputError, match=r"C9\.9"):
        history(Store(seeded_db, create=False), "C9.9")
