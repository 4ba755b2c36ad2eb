"""The record models: required fields, enumerations, bounds, participants, quarters."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from okr_workshop.model import (
    MAX_TEXT,
    CheckIn,
    Initiative,
    KeyResult,
    Objective,
    Person,
    Quarter,
    RetroNote,
    Team,
    quarter_bounds,
)


@pytest.mark.parametrize("quarter, first, last", [
    ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    (" 2028-q1 ", dt.date(2028, 1, 1), dt.date(2028, 3, 31)),
])
def test_quarter_bounds(quarter, first, last):
    assert quarter_bounds(quarter) == (first, last)


@pytest.mark.parametrize("quarter", ["2026-Q5", "2026-Q0", "2026Q3x", "Q3", ""])
def test_quarter_bounds_rejects_what_is_no_quarter(quarter):
    with pytest.raises(ValueError, match="YYYY-Qn"):
        quarter_bounds(quarter)


@pytest.mark.parametrize("text", ["2026 Q3", "2026Q3", "Q3 2026", "q3-2026", "Q3/2026", " 2026-q3 "])
def test_a_cell_may_write_a_quarter_as_a_spreadsheet_does(text):
    assert str(Quarter.read(text)) == "2026-Q3"
    if text.strip().upper() != "2026-Q3":
        with pytest.raises(ValueError, match="YYYY-Qn"):
            Quarter.parse(text)


@pytest.mark.parametrize("text", ["1899-Q4", "2201-Q1", "Q1 1899"])
def test_quarters_outside_the_workbook_years_are_refused_saying_so(text):
    with pytest.raises(ValueError, match="years 1900 to 2200") as raised:
        Quarter.read(text)
    assert raised.value.expected == Quarter.IN_RANGE


@pytest.mark.parametrize("day, quarter, following", [
    (dt.date(2026, 1, 1), "2026-Q1", "2026-Q2"),
    (dt.date(2026, 6, 30), "2026-Q2", "2026-Q3"),
    (dt.date(2026, 12, 31), "2026-Q4", "2027-Q1"),
])
def test_the_quarter_of_a_day_and_the_one_after(day, quarter, following):
    found = Quarter.of(day)
    assert (str(found), str(found.next())) == (quarter, following)
    assert found.first_day <= day <= found.last_day
    assert found.next().first_day == found.last_day + dt.timedelta(days=1)


def test_a_quarter_field_takes_the_quarter_and_refuses_the_rest():
    note = RetroNote(team="t", quarter=" 2026-q4 ", kind="start", text="x", date=dt.date(2026, 12, 1))
    assert note.quarter == "2026-Q4"
    with pytest.raises(ValidationError, match="outside the quarters a workbook may hold"):
        Objective(id="C1", title="t", level="company", quarter="2300-Q1")
    with pytest.raises(ValidationError, match="is not a quarter"):
        Objective(id="C1", title="t", level="company", quarter="Q3 of 2026")


def test_objective_defaults_and_normalising():
    objective = Objective(id=" C1 ", title=" Delight ", level="company", quarter=" 2026-Q3 ")
    assert (objective.id, objective.title, objective.quarter) == ("C1", "Delight", "2026-Q3")
    assert objective.visibility == "everyone"
    assert objective.commitment == "aspirational"
    assert objective.participants == ()


@pytest.mark.parametrize("given, expected", [
    ("ana; ben ;", ("ana", "ben")),
    (["ana", "ben"], ("ana", "ben")),
    (None, ()),
    ("", ()),
])
def test_participants(given, expected):
    assert Objective(id="C1", title="t", level="team", participants=given).participants == expected


@pytest.mark.parametrize("model, fields, bad_field", [
    (Objective, {"id": "C1", "title": "t", "level": "corporate"}, "level"),
    (Objective, {"id": "C1", "title": "t", "level": "team", "visibility": "secret"}, "visibility"),
    (Objective, {"id": "C1", "title": "t", "level": "team", "quarter": "2026-Q5"}, "quarter"),
    (Objective, {"id": "C1", "level": "team"}, "title"),
    (Objective, {"id": "", "title": "t", "level": "team"}, "id"),
    (Objective, {"id": "C1", "title": "x" * (MAX_TEXT + 1), "level": "team"}, "title"),
    (KeyResult, {"id": "K", "objective": "C1", "title": "t", "weight": 0}, "weight"),
    (KeyResult, {"id": "K", "objective": "C1", "title": "t", "confidence": 1.5}, "confidence"),
    (KeyResult, {"id": "K", "objective": "C1", "title": "t", "due": "30/09/2026"}, "due"),
    (Person, {"id": "ana", "role": "boss"}, "role"),
    (Initiative, {"id": "i", "key_result": "K", "title": "t", "status": "blocked"}, "status"),
    (CheckIn, {"key_result": "K", "date": "2026-07-01"}, "value"),
    (Team, {"id": "cx"}, "name"),
])
def test_invalid_records_are_refused(model, fields, bad_field):
    with pytest.raises(ValidationError) as caught:
        model(**fields)
    assert bad_field in {str(error["loc"][0]) for error in caught.value.errors()}


def test_unknown_fields_are_kept():
    person = Person(id="ana", shoe_size="38")
    assert person.model_dump()["shoe_size"] == "38"


def test_assignment_is_checked():
    kr = KeyResult(id="K", objective="C1", title="t")
    assert kr.weight == 1.0
    with pytest.raises(ValidationError):
        kr.weight = -1
    kr.confidence = 0.4
    assert kr.confidence == 0.4


def test_a_decreasing_key_result_is_allowed():
    kr = KeyResult(id="K", objective="C1", title="Cut time", start=24, target=12, due="2026-09-30")
    assert kr.target < kr.start
    assert kr.due == dt.date(2026, 9, 30)
