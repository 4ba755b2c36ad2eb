"""Where a key result stands on a date: current value, confidence, expected progress, status bands."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from okr_workshop.tracking import standing
from okr_workshop.workbook import typed_frame

D = dt.date


def krs(*rows: dict) -> pd.DataFrame:
    return typed_frame("key_results", [{"objective": "O1", "title": "t", **r} for r in rows])


def checkins(*rows: tuple) -> pd.DataFrame:
    return typed_frame("checkins", [dict(zip(("key_result", "date", "value", "confidence"), r, strict=False))
                                    for r in rows])


# --------------------------------------------------------------------------- values on a date


def test_latest_check_in_by_date_not_by_the_order_recorded():
    frame = standing.values_on(krs({"id": "K", "start": 0}), checkins(
        ("K", "2026-10-20", 30, 0.6),
        ("K", "2026-10-06", 10, 0.8),  # recorded later, but measured earlier
    ), D(2026, 11, 1))
    assert frame.loc[0, "current"] == 30
    assert frame.loc[0, "confidence"] == 0.6
    assert frame.loc[0, "source"] == "checkin"
    assert frame.loc[0, "checkins"] == 2
    assert frame.loc[0, "last_checkin"] == pd.Timestamp("2026-10-20")


def test_two_check_ins_on_one_date_the_last_recorded_counts():
    frame = standing.values_on(krs({"id": "K", "start": 0}), checkins(
        ("K", "2026-10-20", 30, 0.6), ("K", "2026-10-20", 35, 0.7), ("K", "2026-10-13", 99, 0.1)),
        D(2026, 11, 1))
    assert (frame.loc[0, "current"], frame.loc[0, "confidence"]) == (35, 0.7)


def test_check_ins_after_as_of_are_left_out():
    rows = checkins(("K", "2026-10-06", 10, 0.8), ("K", "2026-10-20", 30, 0.6))
    early = standing.values_on(krs({"id": "K", "start": 0}), rows, D(2026, 10, 19))
    assert (early.loc[0, "current"], early.loc[0, "confidence"], early.loc[0, "checkins"]) == (10, 0.8, 1)
    on_the_day = standing.values_on(krs({"id": "K", "start": 0}), rows, D(2026, 10, 20))
    assert on_the_day.loc[0, "current"] == 30
    every = standing.values_on(krs({"id": "K", "start": 0}), rows, None)
    assert every.loc[0, "current"] == 30


@pytest.mark.parametrize("kr, rows, as_of, current, source", [
    ({"id": "K", "start": 5, "current": 8}, [], D(2026, 11, 1), 8, "current"),
    ({"id": "K", "start": 5}, [], D(2026, 11, 1), 5, "start"),
    ({"id": "K"}, [], D(2026, 11, 1), np.nan, None),
    # check-ins exist but all come later: the 'current' column is newer than the date asked about
    ({"id": "K", "start": 5, "current": 8}, [("K", "2026-11-10", 9, None)], D(2026, 11, 1), 5, "start"),
], ids=["current-column", "start", "nothing", "only-later-check-ins"])
def test_fallbacks_without_a_check_in(kr, rows, as_of, current, source):
    frame = standing.values_on(krs(kr), checkins(*rows), as_of)
    assert frame.loc[0, "source"] == source
    if np.isnan(current):
        assert np.isnan(frame.loc[0, "current"])
    else:
        assert frame.loc[0, "current"] == current


def test_confidence_is_the_latest_given_else_the_key_results_own():
    rows = checkins(("A", "2026-10-06", 1, 0.8), ("A", "2026-10-13", 2, None), ("B", "2026-10-06", 1, None))
    frame = standing.values_on(krs({"id": "A", "confidence": 0.5}, {"id": "B", "confidence": 0.4}, {"id": "C"}),
                               rows, D(2026, 11, 1))
    assert frame["confidence"].tolist()[:2] == [0.8, 0.4]
    assert np.isnan(frame["confidence"].iloc[2])


def test_starting_confidence_is_the_key_results_own_else_the_first_check_in():
    rows = checkins(("A", "2026-10-13", 2, 0.3), ("A", "2026-10-06", 1, 0.95), ("B", "2026-10-06", 1, 0.2))
    frame = standing.values_on(krs({"id": "A"}, {"id": "B", "confidence": 0.6}), rows, D(2026, 10, 1))
    assert frame["start_confidence"].tolist() == [0.95, 0.6]


def test_check_ins_of_other_key_results_are_ignored():
    frame = standing.values_on(krs({"id": "A", "start": 1}), checkins(("Z", "2026-10-06", 99, 0.1)), None)
    assert (frame.loc[0, "current"], frame.loc[0, "checkins"]) == (1, 0)


# --------------------------------------------------------------------------- expected progress


def test_periods_run_from_the_quarter_start_to_due_or_quarter_end():
    objectives = typed_frame("objectives", [{"id": "O1", "title": "o", "level": "company", "quarter": "2026-Q4"},
                                            {"id": "O2", "title": "o", "level": "company"}])
    key_results = typed_frame("key_results", [
        {"id": "A", "objective": "O1", "title": "t"},
        {"id": "B", "objective": "O1", "title": "t", "due": "2026-11-27"},
        {"id": "C", "objective": "O2", "title": "t"},
    ])
    first, end = standing.periods(key_results, objectives)
    assert pd.Timestamp(first[0]) == pd.Timestamp("2026-10-01")
    assert [pd.Timestamp(e) for e in end[:2]] == [pd.Timestamp("2026-12-31"), pd.Timestamp("2026-11-27")]
    assert np.isnat(first[2]) and np.isnat(end[2])


@pytest.mark.parametrize("as_of, share", [
    (D(2026, 9, 30), 0.0), (D(2026, 10, 1), 1 / 92), (D(2026, 11, 15), 46 / 92), (D(2026, 12, 31), 1.0),
    (D(2027, 2, 1), 1.0),
])
def test_expected_progress_is_the_elapsed_share_both_ends_counted(as_of, share):
    first = np.array(["2026-10-01"], dtype="datetime64[ns]")
    end = np.array(["2026-12-31"], dtype="datetime64[ns]")
    assert standing.expected_progress(first, end, as_of)[0] == pytest.approx(share)


def test_expected_progress_without_a_period_is_unknown():
    nat = np.array(["NaT"], dtype="datetime64[ns]")
    assert np.isnan(standing.expected_progress(nat, nat, D(2026, 11, 1))[0])


# --------------------------------------------------------------------------- status bands

END = np.datetime64("2026-12-31", "ns")
FIRST = np.datetime64("2026-10-01", "ns")
MID = D(2026, 11, 15)

STATUS_CASES = [
    # id, kind, progress, expected, confidence, as_of, status
    ("ahead-and-sure", "increase", 0.6, 0.5, 0.8, MID, "on_track"),
    ("on-pace-band-edge", "increase", 0.35, 0.5, 0.9, MID, "on_track"),  # pace exactly 0.7
    ("behind-at-risk", "increase", 0.3, 0.5, 0.9, MID, "at_risk"),  # pace 0.6
    ("far-behind", "increase", 0.1, 0.5, 0.9, MID, "off_track"),  # pace 0.2
    ("ahead-but-unsure", "increase", 0.8, 0.5, 0.5, MID, "at_risk"),
    ("ahead-but-losing-faith", "decrease", 0.8, 0.5, 0.2, MID, "off_track"),
    ("no-confidence-given", "increase", 0.5, 0.5, np.nan, MID, "on_track"),
    ("reached", "increase", 1.0, 0.5, 0.3, MID, "done"),
    ("before-the-period", "increase", 0.0, 0.0, 0.8, D(2026, 9, 20), "on_track"),
    ("milestone-open-before-due", "milestone", 0.0, 0.5, 0.8, MID, "on_track"),
    ("milestone-open-unsure", "milestone", 0.0, 0.5, 0.5, MID, "at_risk"),
    ("milestone-overdue", "milestone", 0.0, 1.0, 0.9, D(2027, 1, 5), "off_track"),
    ("milestone-done", "milestone", 1.0, 0.5, 0.9, MID, "done"),
    ("stay-held", "stay_above", 1.0, 0.5, 0.9, MID, "on_track"),
    ("stay-held-to-the-end", "stay_below", 1.0, 1.0, 0.9, D(2026, 12, 31), "done"),
    ("stay-lost", "stay_above", 0.0, 0.5, 0.9, MID, "off_track"),
    ("cannot-be-scored", "", np.nan, 0.5, 0.9, MID, "at_risk"),
    ("cannot-be-scored-and-unsure", "", np.nan, 0.5, 0.1, MID, "off_track"),
    ("no-period", "increase", 0.1, np.nan, 0.8, MID, "on_track"),
]


@pytest.mark.parametrize("kind, progress, expected, confidence, as_of, status", [c[1:] for c in STATUS_CASES],
                         ids=[c[0] for c in STATUS_CASES])
def test_status_bands(kind, progress, expected, confidence, as_of, status):
    got = standing.statuses([kind], [progress], [expected], [confidence], [END], as_of, [FIRST])
    assert got[0] == status


def test_in_the_first_two_weeks_confidence_alone_decides():
    early = D(2026, 10, 10)
    assert standing.statuses(["increase"], [0.0], [0.1], [0.8], [END], early, [FIRST])[0] == "on_track"
    assert standing.statuses(["increase"], [0.0], [0.1], [0.5], [END], early, [FIRST])[0] == "at_risk"
    later = D(2026, 10, 15)  # day 15: the pace counts now
    assert standing.statuses(["increase"], [0.0], [0.16], [0.8], [END], later, [FIRST])[0] == "off_track"
    assert standing.statuses(["increase"], [0.0], [0.1], [0.8], [END], early)[0] == "off_track"  # no grace asked
