"""Carry-over: unfinished key results start the next quarter where they stopped; twice creates nothing new."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from okr_workshop.exceptions import InputError, StoreError
from okr_workshop.store.database import Store
from okr_workshop.tracking.carryover import carry_over, plan_carry_over
from okr_workshop.tracking.status import build_status
from okr_workshop.validate import validate_workbook
from okr_workshop.workbook import Workbook, typed_frame

Q3, Q4 = "2026-Q3", "2026-Q4"


def quarter_book() -> Workbook:
    """A Q3 with done, unfinished and unscorable key results, aligned C1 <- T1 <- I1, and T2 all done."""
    return Workbook(tables={
        "teams": typed_frame("teams", [{"id": "cx", "name": "CX"}]),
        "people": typed_frame("people", [{"id": "ana", "team": "cx"}, {"id": "ben", "team": "cx"}]),
        "objectives": typed_frame("objectives", [
            {"id": "C1", "title": "Delight customers", "level": "company", "quarter": Q3, "commitment": "committed"},
            {"id": "T1", "title": "Answer faster", "level": "team", "quarter": Q3, "team": "cx", "parent": "C1",
             "owner": "ana", "visibility": "team"},
            {"id": "T2", "title": "Calm rota", "level": "team", "quarter": Q3, "team": "cx", "parent": "C1"},
            {"id": "I1", "title": "Grow as a lead", "level": "individual", "quarter": Q3, "owner": "ben",
             "parent": "T1", "visibility": "participants", "participants": "ana"},
            {"id": "I2", "title": "Learn the tools", "level": "individual", "quarter": Q3, "owner": "ben",
             "parent": "T2"},
            {"id": "X1", "title": "Other quarter", "level": "company", "quarter": "2026-Q2"},
        ]),
        "key_results": typed_frame("key_results", [
            {"id": "C1.1", "objective": "C1", "title": "Raise NPS from 40 to 50", "start": 40, "target": 50,
             "unit": "NPS", "owner": "ana", "weight": 2, "confidence": 0.6},
            {"id": "C1.2", "objective": "C1", "title": "Open the new office", "start": 0, "target": 1},
            {"id": "T1.1", "objective": "T1", "title": "Cut response time from 24h to 12h", "start": 24,
             "target": 12, "due": "2026-08-31"},
            {"id": "T2.1", "objective": "T2", "title": "Fill every weekend shift", "start": 0, "target": 8},
            {"id": "I1.1", "objective": "I1", "title": "Run three clinics", "start": 0, "target": 3,
             "due": "2026-10-15"},
            {"id": "I2.1", "objective": "I2", "title": "Improve my tooling"},
            {"id": "I2.2", "objective": "I2", "title": "Keep review turnaround below 2 days", "start": 1.5,
             "target": 2},
            {"id": "X1.1", "objective": "X1", "title": "Old", "start": 0, "target": 5},
        ]),
        "checkins": typed_frame("checkins", [
            {"key_result": "C1.1", "date": "2026-08-01", "value": 44},
            {"key_result": "C1.1", "date": "2026-09-25", "value": 47, "confidence": 0.5},
            {"key_result": "C1.2", "date": "2026-09-01", "value": 1},
            {"key_result": "T1.1", "date": "2026-09-01", "value": 15},
            {"key_result": "T2.1", "date": "2026-09-20", "value": 8},
            {"key_result": "I1.1", "date": "2026-09-30", "value": 2},
            {"key_result": "I1.1", "date": "2026-09-30", "value": 1},  # same day, recorded later: the last value
            {"key_result": "I2.2", "date": "2026-09-30", "value": 2.4},  # the level was lost
        ]),
    })


@pytest.fixture
def store(db_url) -> Store:
    """The quarter in a store, on SQLite and on PostgreSQL."""
    store = Store(db_url)
    store.write_workbook(quarter_book())
    yield store
    store.close()


def rows(frame: pd.DataFrame) -> dict[str, dict]:
    return {r["id"]: r for r in frame.astype(object).where(frame.notna(), None).to_dict("records")}


def test_unfinished_key_results_are_copied_with_their_last_value_as_the_start():
    plan = plan_carry_over(quarter_book(), Q3, Q4)
    assert plan.key_results == ["C1.1-2026-Q4", "T1.1-2026-Q4", "I1.1-2026-Q4", "I2.1-2026-Q4", "I2.2-2026-Q4"]
    assert plan.finished == 2  # C1.2 (milestone done) and T2.1 (reached)
    krs = rows(plan.workbook["key_results"])
    c1 = krs["C1.1-2026-Q4"]
    assert (c1["start"], c1["target"], c1["unit"], c1["owner"], c1["weight"]) == (47.0, 50.0, "NPS", "ana", 2.0)
    assert (c1["objective"], c1["carried_from"], c1["type"], c1["confidence"]) == ("C1-2026-Q4", "C1.1",
                                                                                  "increase", None)
    assert (krs["T1.1-2026-Q4"]["start"], krs["T1.1-2026-Q4"]["type"]) == (15.0, "decrease")
    assert krs["T1.1-2026-Q4"]["due"] is None  # its old due date lies in the old quarter
    assert krs["I1.1-2026-Q4"]["start"] == 1.0  # the last recorded of two on one date
    assert krs["I1.1-2026-Q4"]["due"] == pd.Timestamp("2026-10-15")  # a due date inside the new quarter stays
    assert krs["I2.1-2026-Q4"]["start"] is None  # nothing to start from: it could not be scored
    assert (krs["I2.2-2026-Q4"]["start"], krs["I2.2-2026-Q4"]["type"]) == (2.4, "stay_below")


def test_objectives_are_carried_once_and_keep_alignment_where_the_parent_came_too():
    plan = plan_carry_over(quarter_book(), Q3, Q4)
    objectives = rows(plan.workbook["objectives"])
    assert list(objectives) == ["C1-2026-Q4", "T1-2026-Q4", "I1-2026-Q4", "I2-2026-Q4"]
    assert objectives["T1-2026-Q4"]["parent"] == "C1-2026-Q4"
    assert objectives["I1-2026-Q4"]["parent"] == "T1-2026-Q4"
    assert objectives["I2-2026-Q4"]["parent"] is None  # T2 was finished and stays behind
    i1 = objectives["I1-2026-Q4"]
    assert (i1["quarter"], i1["carried_from"], i1["owner"], i1["visibility"], i1["participants"]) == (
        Q4, "I1", "ben", "participants", "ana")
    assert objectives["C1-2026-Q4"]["commitment"] == "committed"
    assert [(f.code, f.subject) for f in plan.findings] == [("carry.no-parent", "I2-2026-Q4")]
    assert "T2" in plan.findings[0].message


def test_the_new_rows_are_a_valid_workbook_next_to_the_old_ones():
    book = quarter_book()
    plan = plan_carry_over(book, Q3, Q4)
    known = {name: set(book[name]["id"]) for name in ("teams", "people", "objectives", "key_results")}
    assert validate_workbook(plan.workbook, known) == []


def test_running_it_twice_creates_nothing_new(store):
    first = carry_over(store, Q3, Q4)
    counts = store.counts()
    stored = store.read_workbook()
    second = carry_over(store, Q3, Q4)
    assert (len(first.key_results), len(first.objectives)) == (5, 4)
    assert (second.key_results, second.objectives, second.carried_before) == ([], [], 5)
    assert store.counts() == counts
    assert store.read_workbook().same_data(stored)


def test_new_key_results_later_go_under_the_objective_carried_before(store):
    carry_over(store, Q3, Q4)
    with store.transaction() as conn:  # a key result added to Q3 after the first carry-over
        conn.execute(sa.insert(sa.table("key_results", sa.column("id"), sa.column("objective"),
                                        sa.column("title"), sa.column("weight"))),
                     {"id": "C1.3", "objective": "C1", "title": "Late addition", "weight": 1.0})
    again = carry_over(store, Q3, Q4)
    assert again.key_results == ["C1.3-2026-Q4"]
    assert again.objectives == []
    carried = store.read_workbook()["key_results"].set_index("id")
    assert carried.loc["C1.3-2026-Q4", "objective"] == "C1-2026-Q4"


def test_carried_key_results_score_from_their_new_start(store):
    carry_over(store, Q3, Q4)
    report = build_status(store.read_workbook(), as_of=dt.date(2026, 10, 20), quarter=Q4)
    kr = report.key_results.set_index("id")
    assert kr.loc["C1.1-2026-Q4", "progress"] == 0.0
    assert kr.loc["I2.2-2026-Q4", "status"] == "off_track"  # still below the level it must hold
    assert set(report.objectives["id"]) == {"C1-2026-Q4", "T1-2026-Q4", "I1-2026-Q4", "I2-2026-Q4"}


def test_ids_already_taken_get_a_number():
    book = quarter_book()
    book.tables["objectives"] = pd.concat([book["objectives"], typed_frame("objectives", [
        {"id": "C1-2026-Q4", "title": "Someone else's", "level": "company", "quarter": "2026-Q1"}])],
        ignore_index=True)
    plan = plan_carry_over(book, Q3, Q4)
    assert plan.objectives[0] == "C1-2026-Q4-2"


def test_carrying_on_again_does_not_pile_up_quarter_suffixes(store):
    carry_over(store, Q3, Q4)
    plan = plan_carry_over(store.read_workbook(), Q4, "2027-Q1")
    assert "C1.1-2027-Q1" in plan.key_results
    assert rows(plan.workbook["key_results"])["C1.1-2027-Q1"]["carried_from"] == "C1.1-2026-Q4"


@pytest.mark.parametrize("source, target, field", [
    ("2026-Q5", Q4, "from"), ("Q3", Q4, "from"), (Q3, "next", "to"), (Q3, Q3, "to"), (Q4, Q3, "to"),
    ("2025-Q1", "2025-Q2", "from"),  # no objectives in that quarter
])
def test_bad_quarters_are_refused_and_nothing_is_written(store, source, target, field):
    counts = store.counts()
    with pytest.raises(InputError) as caught:
        carry_over(store, source, target)
    assert caught.value.field == field
    assert store.counts() == counts


REFUSE_ONE = {  # the store itself refuses the last key result, after the others went in
    "sqlite": ["CREATE TRIGGER refuse_one AFTER INSERT ON key_results WHEN NEW.id = 'I2.2-2026-Q4' "
               "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"],
    "postgresql": ["CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
                   "CREATE TRIGGER refuse_one AFTER INSERT ON key_results FOR EACH ROW "
                   "WHEN (NEW.id = 'I2.2-2026-Q4') EXECUTE FUNCTION refuse_one()"],
}


def test_all_or_nothing_when_the_store_refuses_part_of_it(store, backend):
    with store.transaction() as conn:
        for statement in REFUSE_ONE[backend]:
            conn.exec_driver_sql(statement)
    counts, before = store.counts(), store.read_workbook()
    with pytest.raises(StoreError, match="Nothing was carried over"):
        carry_over(store, Q3, Q4)
    assert store.counts() == counts
    assert store.read_workbook().same_data(before)


def test_an_objective_the_review_dropped_stays_behind_whole():
    """``next: drop`` leaves an objective's unfinished key results behind; the owner's decision wins."""
    book = quarter_book()
    unfinished_of_t1 = plan_carry_over(book, Q3, Q4)
    assert "T1.1-2026-Q4" in unfinished_of_t1.key_results
    tables = dict(book.tables)
    tables["reflections"] = typed_frame("reflections", [
        {"objective": "T1", "author": "ben", "date": "2026-10-01", "next": "carry"},  # a later word, not the owner's
        {"objective": "T1", "author": "ana", "date": "2026-09-30", "next": "drop"},  # the owner's
        {"objective": "C1", "author": "ben", "date": "2026-10-01", "next": "keep"},
    ])
    plan = plan_carry_over(Workbook(tables=tables), Q3, Q4)
    assert not any(kr.startswith("T1.1") for kr in plan.key_results)
    assert "C1.1-2026-Q4" in plan.key_results  # kept: carried as before
    assert plan.dropped == 1
    assert {"I1.1-2026-Q4"} <= set(plan.key_results)  # under T1, but decided on its own
