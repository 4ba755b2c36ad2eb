"""The Excel shape: reading sheets, bad workbooks, round trips, formula-safe cells and native numbers."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from okr_workshop.io import read_workbook, write_workbook
from okr_workshop.io.excel import README_SHEET
from okr_workshop.schema import TABLES


def test_bad_input_is_reported_with_file_sheet_row_column(bad_input, check_bad_input):
    check_bad_input(bad_input)


def test_round_trip_gives_the_same_data(full_workbook, tmp_path, assert_same_extras):
    path = write_workbook(full_workbook, tmp_path / "okrs.xlsx")
    again = read_workbook(path)
    assert full_workbook.same_data(again)
    assert_same_extras(full_workbook, again)
    assert again["key_results"]["due"].dtype.kind == "M"


def test_sheets_are_a_readme_then_one_per_table(full_workbook, tmp_path):
    path = write_workbook(full_workbook, tmp_path / "okrs.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [README_SHEET, *TABLES]
    readme = [row for row in book[README_SHEET].iter_rows(values_only=True)]
    assert readme[0] == ("sheet", "column", "required", "what to write")
    assert ("objectives", "level", "yes") in {row[:3] for row in readme}
    header = next(book["objectives"].iter_rows(values_only=True))
    assert list(header) == [*TABLES["objectives"].column_names, "theme"]


def test_numbers_and_dates_stay_native(full_workbook, tmp_path):
    path = write_workbook(full_workbook, tmp_path / "okrs.xlsx")
    sheet = openpyxl.load_workbook(path)["key_results"]
    header = [c.value for c in sheet[1]]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    start = rows["T2.1"]["start"]
    assert start.value == -5 and start.data_type == "n"
    assert rows["T2.1"]["current"].value == -3.25
    assert rows["C1.1"]["confidence"].value == 0.6
    assert isinstance(rows["C1.1"]["due"].value, dt.datetime)
    assert rows["C1.1"]["due"].value.date() == dt.date(2026, 9, 30)
    assert rows["I1.1"]["unit"].value == "clinics"


DANGEROUS = ["=SUM(A1:A9)", "+1 for speed", "-minus one", "@cmd|' /C calc'!A0", "\tTabbed title", "'=already quoted"]


@pytest.mark.parametrize("text", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "quoted-equals"])
def test_formula_text_is_written_with_a_leading_quote_and_read_back_exactly(full_workbook, tmp_path, text):
    objectives = full_workbook["objectives"]
    objectives.loc[objectives["id"] == "T1", "title"] = text
    objectives.loc[objectives["id"] == "C1", "theme"] = text
    full_workbook["checkins"].loc[0, "note"] = text
    path = write_workbook(full_workbook, tmp_path / "okrs.xlsx")

    book = openpyxl.load_workbook(path)
    sheet = book["objectives"]
    header = [c.value for c in sheet[1]]
    cells = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    for cell in (cells["T1"]["title"], cells["C1"]["theme"]):
        assert cell.data_type == "s"  # text, not a formula
        assert cell.value == "'" + text
    notes = [row[4].value for row in book["checkins"].iter_rows(min_row=2)]
    assert "'" + text in notes
    krs = book["key_results"]
    starts = {row[0].value: row[3] for row in krs.iter_rows(min_row=2)}
    assert starts["T2.1"].value == -5 and starts["T2.1"].data_type == "n"

    again = read_workbook(path)
    assert again["objectives"].set_index("id").loc["T1", "title"] == text
    assert again["objectives"].set_index("id").loc["C1", "theme"] == text
    assert text in again["checkins"]["note"].tolist()
    assert full_workbook.same_data(again)


def test_a_workbook_made_in_a_spreadsheet_reads(tmp_path):
    """Typed cells (numbers, dates, booleans), capitalised sheet and column names, a README sheet, blank rows."""
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book["Notes"].append(["anything at all"])
    objectives = book.create_sheet("Objectives")
    objectives.append(["ID", "Title", "Level", "Quarter", "Owner", "Extra flag"])
    objectives.append(["C1", "Delight our customers", "Company", "2026-Q3", None, True])
    objectives.append([None, None, None, None, None, None])
    objectives.append(["I1", "Grow", "individual", "2026 q3", "ana", None])
    people = book.create_sheet("people")
    people.append(["id", "start_date"])
    people.append(["ana", dt.datetime(2026, 7, 1)])
    krs = book.create_sheet(" key_results ")
    krs.append(["id", "objective", "title", "start", "target", "due", "confidence"])
    krs.append(["C1.1", "C1", "Raise NPS", 40, 50.5, dt.datetime(2026, 9, 30), 0.25])
    krs.append(["I1.1", "I1", "Clinics", 0, 3, None, None])
    book.save(tmp_path / "made.xlsx")

    workbook = read_workbook(tmp_path / "made.xlsx")
    objectives = workbook["objectives"]
    assert objectives["id"].tolist() == ["C1", "I1"]
    assert objectives["level"].tolist() == ["company", "individual"]
    assert objectives["quarter"].tolist() == ["2026-Q3", "2026-Q3"]
    assert objectives["Extra flag"].tolist() == ["true", None]
    assert workbook.locations["objectives"].rows.tolist() == [2, 4]
    krs = workbook["key_results"].set_index("id")
    assert krs.loc["C1.1", "target"] == 50.5
    assert krs.loc["C1.1", "due"].date() == dt.date(2026, 9, 30)
    assert workbook["people"]["start_date"].iloc[0].date() == dt.date(2026, 7, 1)


def test_an_empty_sheet_is_a_problem_naming_the_sheet(tmp_path, problems_in):
    book = openpyxl.Workbook()
    book.active.title = "objectives"
    book["objectives"].append(["id", "title", "level"])
    book["objectives"].append(["C1", "Delight", "company"])
    book.create_sheet("key_results")  # nothing in it
    book.save(tmp_path / "b.xlsx")
    problems = problems_in(tmp_path / "b.xlsx")
    assert [(p.sheet, p.row, p.column, p.found) for p in problems] == [("key_results", None, None, "an empty sheet")]
    assert "key_results.csv" not in str(problems[0])
    assert str(problems[0]).startswith(f"{tmp_path / 'b.xlsx'} [sheet key_results]: an empty sheet")
