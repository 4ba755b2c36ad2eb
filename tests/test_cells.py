"""Cells to typed tables: numbers, dates, quarters, choices, ids, column names, extra columns, formula guard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from okr_workshop.exceptions import InputError, Problem
from okr_workshop.io import read_workbook
from okr_workshop.io.cells import parse_table, quote, read_number
from okr_workshop.io.formulas import escape_formula, unescape_formula
from okr_workshop.tracking.checkins import parse_value
from okr_workshop.workbook import Location


def parse(name: str, columns: dict[str, list], path: str = "sheet.csv") -> tuple[pd.DataFrame, list[Problem]]:
    """Parse raw cells as a reader hands them over; problems and the frame."""
    raw = pd.DataFrame(columns, dtype=object)
    problems: list[Problem] = []
    location = Location(path=path, rows=np.arange(len(raw)) + 2)
    return parse_table(name, raw, location, problems), problems


def test_bad_input_is_reported_with_file_row_column(bad_input, check_bad_input):
    check_bad_input(bad_input)


NUMBERS_ACCEPTED = [
    ("42", 42.0),
    ("12.5", 12.5),
    ("-5", -5.0),
    ("1,200", 1200.0),
    ("1,234,567.25", 1234567.25),
    ("-1,200", -1200.0),
    ("45%", 45.0),
    ("12.5 %", 12.5),
    ("1 200", 1200.0),
    (" 7 ", 7.0),
    ("1e3", 1000.0),
]
NUMBERS_REJECTED = ["1,5", "12,50", "1,20,0", "abc", "about 40", "1.2.3", "--5", "inf", "-inf", "nan", "5 EUR"]


@pytest.mark.parametrize("text, value", NUMBERS_ACCEPTED, ids=[t for t, _ in NUMBERS_ACCEPTED])
def test_numbers_with_percent_and_thousands_separators_are_accepted(text, value):
    frame, problems = parse("checkins", {"key_result": ["K1"], "date": ["2026-07-01"], "value": [text]})
    assert problems == []
    assert frame["value"].dtype == "float64"
    assert frame["value"].iloc[0] == value


@pytest.mark.parametrize("text", NUMBERS_REJECTED)
def test_numbers_that_are_not_numbers_are_problems(text):
    frame, problems = parse("key_results", {"id": ["K1"], "objective": ["C1"], "title": ["t"], "start": [text]})
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.path, problem.row, problem.column) == ("sheet.csv", 2, "start")
    assert problem.found == repr(text)
    assert "a number" in problem.expected and "use . for decimals" in problem.expected
    assert np.isnan(frame["start"].iloc[0])


@pytest.mark.parametrize("text, value", NUMBERS_ACCEPTED + [(t, None) for t in NUMBERS_REJECTED],
                         ids=[t for t, _ in NUMBERS_ACCEPTED] + NUMBERS_REJECTED)
def test_a_check_in_reads_numbers_as_a_workbook_cell_does(text, value):
    assert read_number(text) == value
    if value is None:
        with pytest.raises(InputError, match=r"use \. for decimals"):
            parse_value(text)
    else:
        assert parse_value(text) == value


@pytest.mark.parametrize("value", ["%45", "4%5", True, float("nan"), None])
def test_a_percent_sign_only_closes_a_number_and_a_bool_is_none(value):
    assert read_number(value) is None


def test_a_confidence_is_read_without_a_percent_sign():
    read = (read_number("0.7%"), read_number("0.7%", percent=False), read_number(0.7, percent=False))
    assert read == (0.7, None, 0.7)


@pytest.mark.parametrize("text, value", [*NUMBERS_ACCEPTED, ("1,5", None)],
                         ids=[*(t for t, _ in NUMBERS_ACCEPTED), "1,5"])
def test_numbers_through_a_csv_file(make_workbook, problems_in, text, value):
    quoted = '"' + text + '"'
    folder = make_workbook(checkins=f"key_result,date,value\nC1.1,2026-07-15,{quoted}\nC1.1,2026-07-16,3\n")
    if value is None:
        problems = problems_in(folder)
        assert [(p.row, p.column, p.found) for p in problems] == [(2, "value", repr(text))]
    else:
        assert read_workbook(folder)["checkins"]["value"].tolist() == [value, 3.0]


def test_bounds_are_checked_after_stripping_percent():
    frame, problems = parse("checkins", {"key_result": ["K1", "K1", "K1"], "date": ["2026-07-01"] * 3,
                                         "value": ["1", "2", "3"], "confidence": ["0.7", "70%", "-0.1"]})
    assert [(p.row, p.column, p.found) for p in problems] == [(3, "confidence", "'70%'"), (4, "confidence", "'-0.1'")]
    assert all("from 0 to 1" in p.expected for p in problems)
    assert frame["confidence"].iloc[0] == 0.7
    assert frame["confidence"].iloc[1:].isna().all()


@pytest.mark.parametrize("text", ["2026-Q3", "2026-q3", " 2026-Q3 ", "2026 Q3", "2026Q3", "Q3 2026", "q3-2026",
                                  "Q3/2026"])
def test_quarters_are_normalised(text):
    frame, problems = parse("objectives", {"id": ["C1"], "title": ["t"], "level": ["company"], "quarter": [text]})
    assert problems == []
    assert frame["quarter"].iloc[0] == "2026-Q3"


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "Q3", "26-Q3", "Summer 2026", "2026-07"])
def test_bad_quarters_are_problems(text):
    _, problems = parse("objectives", {"id": ["C1"], "title": ["t"], "level": ["company"], "quarter": [text]})
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "quarter", repr(text))]
    assert "YYYY-Qn" in problems[0].expected


@pytest.mark.parametrize("column, text, value", [
    ("level", "Company", "company"),
    ("level", " TEAM ", "team"),
    ("visibility", "Participants", "participants"),
    ("commitment", "Committed", "committed"),
])
def test_choices_ignore_case_and_spaces(column, text, value):
    cells = {"id": ["C1"], "title": ["t"], "level": ["company"], column: [text]}
    frame, problems = parse("objectives", cells)
    assert problems == []
    assert frame[column].iloc[0] == value


@pytest.mark.parametrize("text", ["In Progress", "in-progress", "IN_PROGRESS"])
def test_initiative_status_spellings(text):
    frame, problems = parse("initiatives", {"id": ["i"], "key_result": ["K1"], "title": ["t"], "status": [text]})
    assert problems == []
    assert frame["status"].iloc[0] == "in_progress"


def test_a_bad_choice_in_a_required_column_is_one_problem_not_two():
    _, problems = parse("objectives", {"id": ["C1"], "title": ["t"], "level": ["corporate"]})
    assert [(p.column, p.found) for p in problems] == [("level", "'corporate'")]


@pytest.mark.parametrize("text, expected", [
    ("2026-07-01", pd.Timestamp("2026-07-01")),
    (" 2026-07-01 ", pd.Timestamp("2026-07-01")),
])
def test_dates(text, expected):
    frame, problems = parse("checkins", {"key_result": ["K1"], "date": [text], "value": ["1"]})
    assert problems == []
    assert frame["date"].iloc[0] == expected


@pytest.mark.parametrize("text", ["01/07/2026", "2026-02-30", "July 1st", "2026/07/01", "20260701x"])
def test_bad_dates_are_problems(text):
    _, problems = parse("checkins", {"key_result": ["K1"], "date": [text], "value": ["1"]})
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "date", repr(text))]
    assert "YYYY-MM-DD" in problems[0].expected


@pytest.mark.parametrize("text", ["ana@example.org;ben@example.org", " ana@example.org ; ben@example.org ",
                                  "ana@example.org, ben@example.org", "ana@example.org;ben@example.org;"])
def test_participants_lists(text):
    frame, problems = parse("objectives", {"id": ["C1"], "title": ["t"], "level": ["company"], "participants": [text]})
    assert problems == []
    assert frame["participants"].iloc[0] == "ana@example.org;ben@example.org"


def test_column_names_match_without_regard_to_case_or_spaces():
    frame, problems = parse("key_results", {" ID ": ["K1"], "Objective": ["C1"], "TITLE": ["t"], "Start": ["4"]})
    assert problems == []
    assert list(frame.columns[:4]) == ["id", "objective", "title", "start"]
    assert frame["start"].iloc[0] == 4.0


def test_column_names_match_without_regard_to_case_in_a_csv_file(make_workbook):
    folder = make_workbook(teams="ID,NAME,Parent\nco,Company,\ncx,CX,co\n")
    teams = read_workbook(folder)["teams"]
    assert list(teams.columns) == ["id", "name", "parent"]
    assert teams["parent"].tolist() == [None, "co"]


def test_unknown_extra_columns_are_kept_as_text_and_never_an_error(make_workbook):
    folder = make_workbook(key_results=(
        "id,objective,title,start,target,Data Source,1234,weird = name\n"
        "C1.1,C1,Raise NPS,40,50,survey,=SUM(1),\n"
        "T1.1,T1,Cut time,24,12,,007,x\n"
        "I1.1,I1,Run clinics,0,3,,,\n"))
    krs = read_workbook(folder)["key_results"]
    assert krs["Data Source"].tolist() == ["survey", None, None]
    assert krs["1234"].tolist() == ["=SUM(1)", "007", None]  # text, not numbers: leading zeros kept
    assert krs["weird = name"].tolist() == [None, "x", None]


def test_required_column_missing_is_one_problem_on_the_header_row():
    _, problems = parse("key_results", {"id": ["K1", "K2", "K3"], "title": ["a", "b", "c"]})
    assert len(problems) == 1
    assert (problems[0].row, problems[0].column) == (1, "objective")
    assert "columns found: id, title" in problems[0].found


def test_text_is_stripped_and_empty_text_is_missing():
    frame, problems = parse("objectives", {"id": [" C1 "], "title": ["  Delight  "], "level": ["company"],
                                           "description": ["   "]})
    assert problems == []
    assert (frame["id"].iloc[0], frame["title"].iloc[0], frame["description"].iloc[0]) == ("C1", "Delight", None)


def test_text_longer_than_the_limit_is_a_problem_that_does_not_echo_the_cell():
    _, problems = parse("objectives", {"id": ["C1"], "title": ["y" * 1_048_576], "level": ["company"]})
    assert len(problems) == 1
    assert problems[0].column == "title"
    assert problems[0].found == "a cell of 1,048,576 characters starting 'yyyyyyyyyyyyyyyyyyyy'"
    assert len(str(problems[0])) < 300


def test_defaults_are_filled():
    frame, _ = parse("objectives", {"id": ["C1"], "title": ["t"], "level": ["company"]})
    assert frame["visibility"].iloc[0] == "everyone"
    assert frame["commitment"].iloc[0] == "aspirational"
    krs, _ = parse("key_results", {"id": ["K1"], "objective": ["C1"], "title": ["t"]})
    assert krs["weight"].iloc[0] == 1.0


@pytest.mark.parametrize("text, escaped", [
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1 day", "'-1 day"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("'=x", "''=x"),
    ("''=x", "'''=x"),
    ("'quoted, harmless", "'quoted, harmless"),
    ("plain", "plain"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_escape_and_unescape_formula(text, escaped):
    assert escape_formula(pd.Series([text, None], dtype=object)).tolist() == [escaped, None]
    assert unescape_formula(escaped) == text


def test_reading_restores_escaped_text_exactly():
    frame, problems = parse("objectives", {"id": ["A", "B", "C", "D"], "title": ["'=x", "''=x", "'plain", "'-5"],
                                           "level": ["company"] * 4})
    assert problems == []
    assert frame["title"].tolist() == ["=x", "'=x", "'plain", "-5"]


@pytest.mark.parametrize("value, shown", [
    (None, "an empty cell"),
    (float("nan"), "an empty cell"),
    ("abc", "'abc'"),
    ("z" * 61, "a cell of 61 characters starting 'zzzzzzzzzzzzzzzzzzzz'"),
])
def test_quote(value, shown):
    assert quote(value) == shown
