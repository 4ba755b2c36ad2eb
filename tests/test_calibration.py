"""Calibration: mid-quarter confidences against what the key results reached, by hand and against the status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from okr_workshop.io import read_workbook
from okr_workshop.tracking.calibration import calibration, quarter_midpoint, reading
from okr_workshop.tracking.status import build_status
from okr_workshop.workbook import Workbook, typed_frame

Q3 = "2026-Q3"  # 1 July to 30 September; midpoint 15 August
END = dt.date(2026, 9, 30)
EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"


def quarter_book() -> Workbook:
    """A company objective owned by a cx person, a cx team objective, an ops person's own, a silent legal one.

    Counted, with p (latest confidence on or before 15 August) and y (target reached on 30 September):

    - C1.1 NPS 40 -> 50: p 0.7 (10 August; the 0.3 of 20 August is too late), 50 on 28 September: y 1
    - T1.1 response time 24 -> 12 (decreasing): p 0.8 (on the midpoint itself), 12 on 30 September: y 1
    - T1.2 articles 0 -> 6: p 0.9, 5 on 30 September (the 6 of 3 October is after the quarter): y 0
    - I1.1 cloud cost 100 -> 80 (decreasing): p 0.6, 85 on 20 September: y 0

    Not counted: T1.3 (its only confidence is dated 16 August; its own column's 0.9 is no check-in),
    L1.1 (no check-in), X1.1 (another quarter).
    """
    return Workbook(tables={
        "teams": typed_frame("teams", [{"id": "cx", "name": "CX"}, {"id": "ops", "name": "Ops"},
                                       {"id": "legal", "name": "Legal"}]),
        "people": typed_frame("people", [{"id": "ana", "team": "cx"}, {"id": "ben", "team": "ops"}]),
        "objectives": typed_frame("objectives", [
            {"id": "C1", "title": "Delight customers", "level": "company", "quarter": Q3, "owner": "ana"},
            {"id": "T1", "title": "Answer faster", "level": "team", "quarter": Q3, "team": "cx", "parent": "C1"},
            {"id": "I1", "title": "Spend less on servers", "level": "individual", "quarter": Q3, "owner": "ben",
             "parent": "C1"},
            {"id": "L1", "title": "Clear contracts", "level": "team", "quarter": Q3, "team": "legal", "parent": "C1"},
            {"id": "X1", "title": "Last quarter", "level": "team", "quarter": "2026-Q2", "team": "ops"},
        ]),
        "key_results": typed_frame("key_results", [
            {"id": "C1.1", "objective": "C1", "title": "Raise NPS from 40 to 50", "start": 40, "target": 50},
            {"id": "T1.1", "objective": "T1", "title": "Cut first-response time from 24h to 12h", "start": 24,
             "target": 12, "unit": "h"},
            {"id": "T1.2", "objective": "T1", "title": "Publish 6 help articles", "start": 0, "target": 6},
            {"id": "T1.3", "objective": "T1", "title": "Raise CSAT from 80 to 90", "start": 80, "target": 90,
             "confidence": 0.9},
            {"id": "I1.1", "objective": "I1", "title": "Cut cloud cost from 100 to 80 kEUR", "start": 100,
             "target": 80},
            {"id": "L1.1", "objective": "L1", "title": "Sign 4 template contracts", "start": 0, "target": 4},
            {"id": "X1.1", "objective": "X1", "title": "Move 5 services", "start": 0, "target": 5},
        ]),
        "checkins": typed_frame("checkins", [
            {"key_result": "C1.1", "date": "2026-07-20", "value": 42, "confidence": 0.5},
            {"key_result": "C1.1", "date": "2026-08-10", "value": 45, "confidence": 0.7},
            {"key_result": "C1.1", "date": "2026-08-20", "value": 47, "confidence": 0.3},
            {"key_result": "C1.1", "date": "2026-09-28", "value": 50},
            {"key_result": "T1.1", "date": "2026-08-15", "value": 18, "confidence": 0.8},
            {"key_result": "T1.1", "date": "2026-09-30", "value": 12},
            {"key_result": "T1.2", "date": "2026-08-01", "value": 2, "confidence": 0.9},
            {"key_result": "T1.2", "date": "2026-09-30", "value": 5},
            {"key_result": "T1.2", "date": "2026-10-03", "value": 6, "confidence": 1.0},
            {"key_result": "T1.3", "date": "2026-08-01", "value": 82},
            {"key_result": "T1.3", "date": "2026-08-16", "value": 85, "confidence": 0.6},
            {"key_result": "I1.1", "date": "2026-07-15", "value": 95, "confidence": 0.6},
            {"key_result": "I1.1", "date": "2026-09-20", "value": 85},
            {"key_result": "X1.1", "date": "2026-05-01", "value": 5, "confidence": 0.2},
        ]),
    })


def one_team_book(key_results: list[dict], checkins: list[dict]) -> Workbook:
    """One cx team objective in Q3 holding ``key_results`` (objective filled in)."""
    return Workbook(tables={
        "teams": typed_frame("teams", [{"id": "cx", "name": "CX"}]),
        "objectives": typed_frame("objectives", [
            {"id": "T1", "title": "Answer faster", "level": "team", "quarter": Q3, "team": "cx"}]),
        "key_results": typed_frame("key_results", [{"objective": "T1", **kr} for kr in key_results]),
        "checkins": typed_frame("checkins", checkins),
    })


def test_the_midpoint_is_the_first_day_plus_half_the_days_to_the_last_rounded_down():
    assert quarter_midpoint(Q3) == dt.date(2026, 8, 15)  # 91 days from 1 July to 30 September: + 45
    assert quarter_midpoint("2026-Q1") == dt.date(2026, 2, 14)  # 89 days: + 44
    assert quarter_midpoint("2028-Q1") == dt.date(2028, 2, 15)  # a leap year, 90 days: + 45


def test_figures_computed_by_hand():
    # company, all four: brier ((0.7-1)^2 + (0.8-1)^2 + 0.9^2 + 0.6^2) / 4 = (0.09 + 0.04 + 0.81 + 0.36) / 4
    #                    = 1.30 / 4 = 0.325; mean confidence (0.7 + 0.8 + 0.9 + 0.6) / 4 = 0.75; hit rate 2 / 4
    # cx, T1.1 and T1.2 (not C1.1: a company objective, though ana of cx owns it):
    #                    brier (0.04 + 0.81) / 2 = 0.425; mean confidence (0.8 + 0.9) / 2 = 0.85; hit rate 1 / 2
    # ops, I1.1 (an individual objective: its owner's team): brier 0.36, mean confidence 0.6, hit rate 0
    # legal: no counted key result, left out
    assert calibration(quarter_book(), Q3, END) == {
        "company": {"n": 4, "brier": 0.325, "mean_confidence": 0.75, "hit_rate": 0.5},
        "teams": {
            "cx": {"n": 2, "brier": 0.425, "mean_confidence": 0.85, "hit_rate": 0.5},
            "ops": {"n": 1, "brier": 0.36, "mean_confidence": 0.6, "hit_rate": 0.0},
        },
    }


@pytest.mark.parametrize("as_of", [dt.date(2026, 8, 15), dt.date(2026, 9, 29)])
def test_none_until_the_quarter_has_ended(as_of):
    assert calibration(quarter_book(), Q3, as_of) is None


def test_the_same_after_the_quarter_as_on_its_last_day():
    later = calibration(quarter_book(), Q3, dt.date(2027, 1, 15))
    assert later == calibration(quarter_book(), Q3, END)
    assert later["company"]["n"] == 4


def test_a_confidence_given_only_after_the_midpoint_is_not_counted():
    book = one_team_book(
        [{"id": "K1", "title": "Raise CSAT from 80 to 90", "start": 80, "target": 90, "confidence": 0.9}],
        [{"key_result": "K1", "date": "2026-08-01", "value": 82},
         {"key_result": "K1", "date": "2026-08-16", "value": 90, "confidence": 0.6}])
    assert calibration(book, Q3, END) == {
        "company": {"n": 0, "brier": None, "mean_confidence": None, "hit_rate": None}, "teams": {}}


def test_decreasing_key_results_reach_their_target_by_going_down():
    book = one_team_book(
        [{"id": "down", "title": "Cut churn from 5% to 3%", "start": 5, "target": 3, "unit": "%"},
         {"id": "beyond", "title": "Cut churn in Lyon from 6% to 4%", "start": 6, "target": 4, "unit": "%"},
         {"id": "wrong_way", "title": "Cut churn in Oslo from 4% to 2%", "start": 4, "target": 2, "unit": "%"}],
        [{"key_result": kr, "date": "2026-07-31", "value": value, "confidence": 0.5}
         for kr, value in (("down", 4), ("beyond", 5), ("wrong_way", 4))]
        + [{"key_result": kr, "date": "2026-09-15", "value": value}
           for kr, value in (("down", 3), ("beyond", 3.5), ("wrong_way", 6))])
    # reached, reached (past the target), missed: hit rate 2 / 3; brier (0.25 + 0.25 + 0.25) / 3
    assert calibration(book, Q3, END)["company"] == {
        "n": 3, "brier": 0.25, "mean_confidence": 0.5, "hit_rate": 0.667}


def test_of_two_confidences_on_one_day_the_one_recorded_last_counts():
    book = one_team_book(
        [{"id": "K1", "title": "Publish 6 help articles", "start": 0, "target": 6}],
        [{"key_result": "K1", "date": "2026-08-01", "value": 2, "confidence": 0.9},
         {"key_result": "K1", "date": "2026-08-01", "value": 2, "confidence": 0.4},
         {"key_result": "K1", "date": "2026-09-01", "value": 6}])
    assert calibration(book, Q3, END)["teams"]["cx"] == {
        "n": 1, "brier": 0.36, "mean_confidence": 0.4, "hit_rate": 1.0}  # (0.4 - 1)^2


def test_reached_means_what_the_status_shows_on_the_last_day():
    """On the example company: n counts the key results with a confidence by the midpoint, hits are full progress."""
    example = read_workbook(EXAMPLE)
    quarter = "2026-Q4"
    last = dt.date(2026, 12, 31)
    checkins = example["checkins"]
    early = checkins[checkins["confidence"].notna() & (checkins["date"] <= pd.Timestamp(quarter_midpoint(quarter)))]
    status = build_status(example, as_of=last, quarter=quarter).key_results
    counted = status[status["id"].isin(early["key_result"])]
    assert len(counted) > 0

    figures = calibration(example, quarter, last)["company"]

    assert figures["n"] == len(counted)
    assert figures["hit_rate"] == round((counted["progress"] >= 1.0).mean(), 3)


@pytest.mark.parametrize(("figures", "words"), [
    ({"n": 0, "brier": None, "mean_confidence": None, "hit_rate": None},
     "No key result had a confidence by mid-quarter, so there is nothing to judge."),
    ({"n": 1, "brier": 0.36, "mean_confidence": 0.6, "hit_rate": 0.0},
     "Too few key results to judge: only one key result had a confidence by mid-quarter."),
    ({"n": 2, "brier": 0.425, "mean_confidence": 0.85, "hit_rate": 0.5},
     "Too few key results to judge: only 2 key results had a confidence by mid-quarter."),
    ({"n": 4, "brier": 0.325, "mean_confidence": 0.75, "hit_rate": 0.5},
     "Over-confident by 25 points: 75% confidence on average at mid-quarter, 50% of key results reached. "
     "Brier score 0.325 (0 is perfect, 0.25 is what always saying 50% scores): worse than always saying 50%."),
    ({"n": 5, "brier": 0.18, "mean_confidence": 0.4, "hit_rate": 0.6},
     "Under-confident by 20 points: 40% confidence on average at mid-quarter, 60% of key results reached. "
     "Brier score 0.180 (0 is perfect, 0.25 is what always saying 50% scores): better than always saying 50%."),
    ({"n": 5, "brier": 0.09, "mean_confidence": 0.82, "hit_rate": 0.8},
     "Confident and delivered: 82% confidence on average at mid-quarter, 80% of key results reached. "
     "Brier score 0.090 (0 is perfect, 0.25 is what always saying 50% scores): better than always saying 50%."),
    ({"n": 3, "brier": 0.25, "mean_confidence": 0.5, "hit_rate": 0.667},
     "Under-confident by 17 points: 50% confidence on average at mid-quarter, 67% of key results reached. "
     "Brier score 0.250 (0 is perfect, 0.25 is what always saying 50% scores): the same as always saying 50%."),
    ({"n": 4, "brier": 0.1, "mean_confidence": 0.2, "hit_rate": 0.25},
     "Expected to fall short, and did: 20% confidence on average at mid-quarter, 25% of key results reached. "
     "Brier score 0.100 (0 is perfect, 0.25 is what always saying 50% scores): better than always saying 50%."),
    ({"n": 6, "brier": 0.2, "mean_confidence": 0.55, "hit_rate": 0.5},
     "Well calibrated: 55% confidence on average at mid-quarter, 50% of key results reached. "
     "Brier score 0.200 (0 is perfect, 0.25 is what always saying 50% scores): better than always saying 50%."),
])
def test_reading(figures, words):
    assert reading(figures) == words
