"""The CSV-folder shape: reading, bad files, round trips and formula-safe writing."""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest

from okr_workshop.io import read_workbook, write_workbook
from okr_workshop.io.csvdir import write_csv_folder
from okr_workshop.schema import TABLES

VALID_COUNTS = {"teams": 2, "people": 2, "objectives": 3, "key_results": 3, "initiatives": 1, "checkins": 2,
                "reflections": 0, "changes": 0, "retro": 0}


def test_bad_input_is_reported_with_file_row_column(bad_input, check_bad_input):
    check_bad_input(bad_input)


def test_valid_folder_reads_every_table_typed(valid_dir):
    workbook = read_workbook(valid_dir)
    assert workbook.counts() == VALID_COUNTS
    krs = workbook["key_results"]
    assert krs["start"].dtype == "float64"
    assert krs["due"].dtype.kind == "M"
    assert krs.set_index("id").loc["C1.1", "due"] == pd.Timestamp("2026-09-30")
    assert krs.set_index("id").loc["T1.1", "weight"] == 1.0  # the default fills an empty cell
    objectives = workbook["objectives"].set_index("id")
    assert objectives.loc["T1", "commitment"] == "aspirational"
    assert objectives.loc["I1", "participants"] == "ana@example.org"
    assert objectives.loc["C1", "team"] is None
    assert list(workbook["objectives"].columns[: len(TABLES["objectives"].columns)]) == list(
        TABLES["objectives"].column_names
    )


def test_only_objectives_is_enough(make_workbook):
    folder = make_workbook(teams=None, people=None, key_results=None, initiatives=None, checkins=None,
                           objectives="id,title,level\nC1,Delight our customers,company\n")
    workbook = read_workbook(folder)
    assert workbook.counts()["objectives"] == 1
    assert workbook.counts()["key_results"] == 0


@pytest.mark.parametrize("level, problems", [("team", []), ("squad", [(3, "level")])], ids=["valid", "bad-row-3"])
def test_bom_and_crlf_line_endings_are_accepted(make_workbook, problems_in, level, problems):
    text = "\ufeffid,title,level,team\r\nC1,Delight our customers,company,\r\nT1,Answer faster,{},cx\r\n"
    folder = make_workbook(objectives=text.format(level).encode("utf-8"),
                           key_results=None, initiatives=None, checkins=None)
    if problems:
        assert [(p.row, p.column) for p in problems_in(folder)] == problems
    else:
        workbook = read_workbook(folder)
        assert workbook["objectives"]["id"].tolist() == ["C1", "T1"]  # "id" found despite the BOM
        assert workbook["objectives"]["team"].tolist() == [None, "cx"]  # no stray \r


def test_trailing_commas_do_not_shift_the_columns(make_workbook):
    # Some spreadsheets end every row with a separator; the cells must stay under their own header.
    folder = make_workbook(teams="id,name,parent\nco,Brightside Company,,\ncx,Customer Experience,co,\n")
    teams = read_workbook(folder)["teams"]
    assert teams["id"].tolist() == ["co", "cx"]
    assert teams["name"].tolist() == ["Brightside Company", "Customer Experience"]
    assert teams["parent"].tolist() == [None, "co"]


def test_round_trip_gives_the_same_data(full_workbook, tmp_path, assert_same_extras):
    out = write_workbook(full_workbook, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.csv" for name in TABLES)
    again = read_workbook(out)
    assert full_workbook.same_data(again)
    assert_same_extras(full_workbook, again)
    # and the second write is byte for byte the first: nothing drifts
    second = write_workbook(again, tmp_path / "second")
    for name in TABLES:
        assert (out / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes()


def test_written_header_is_the_contract_then_the_extras(full_workbook, tmp_path):
    out = write_workbook(full_workbook, tmp_path / "out")
    header = (out / "objectives.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [*TABLES["objectives"].column_names, "theme"]
    rows = list(csv.DictReader(io.StringIO((out / "key_results.csv").read_text(encoding="utf-8"))))
    by_id = {row["id"]: row for row in rows}
    assert by_id["C1.1"]["start"] == "40"  # no needless .0
    assert by_id["C1.1"]["current"] == "44.5"
    assert by_id["T2.1"]["start"] == "-5"
    assert by_id["C1.1"]["due"] == "2026-09-30"


def test_writing_replaces_an_existing_folder_and_leaves_no_staging(full_workbook, valid_dir, tmp_path):
    write_csv_folder(full_workbook, valid_dir)
    assert read_workbook(valid_dir).same_data(full_workbook)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


DANGEROUS = ["=SUM(A1:A9)", "+1 for speed", "-minus one", "@cmd|' /C calc'!A0", "\tTabbed title", "'=already quoted"]


@pytest.mark.parametrize("text", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "quoted-equals"])
def test_formula_text_is_written_with_a_leading_quote_and_read_back_exactly(full_workbook, tmp_path, text):
    workbook = full_workbook
    objectives = workbook["objectives"]
    objectives.loc[objectives["id"] == "T1", "title"] = text
    objectives.loc[objectives["id"] == "C1", "theme"] = text  # an extra column is guarded too
    checkins = workbook["checkins"]
    checkins.loc[0, "note"] = text
    out = write_workbook(workbook, tmp_path / "out")

    raw_objectives = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "objectives.csv").read_text("utf-8")))}
    assert raw_objectives["T1"]["title"] == "'" + text
    assert raw_objectives["C1"]["theme"] == "'" + text
    raw_checkins = list(csv.DictReader(io.StringIO((out / "checkins.csv").read_text("utf-8"))))
    assert raw_checkins[0]["note"] == "'" + text
    # numbers, negative ones included, are never quoted
    raw_krs = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "key_results.csv").read_text("utf-8")))}
    assert raw_krs["T2.1"]["start"] == "-5"
    assert raw_krs["T2.1"]["current"] == "-3.25"
    assert "'-" not in (out / "key_results.csv").read_text("utf-8")

    again = read_workbook(out)
    assert again["objectives"].set_index("id").loc["T1", "title"] == text
    assert again["objectives"].set_index("id").loc["C1", "theme"] == text
    assert again["checkins"]["note"].iloc[0] == text
    assert again["key_results"].set_index("id").loc["T2.1", "start"] == -5.0
    assert workbook.same_data(again)


def test_plain_text_is_not_quoted(full_workbook, tmp_path):
    objectives = full_workbook["objectives"]
    objectives.loc[objectives["id"] == "T1", "title"] = "Cut time a=b by -5 +1 @ noon"
    out = write_workbook(full_workbook, tmp_path / "out")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "objectives.csv").read_text("utf-8")))}
    assert rows["T1"]["title"] == "Cut time a=b by -5 +1 @ noon"


def test_a_large_file_reads_every_row(make_workbook, tmp_path):
    lines = ["key_result,date,value,confidence,note"]
    lines += [f"C1.1,2026-07-{1 + i % 28:02d},{i}.5,0.5,note {i}" for i in range(20_000)]
    folder = make_workbook(checkins="\n".join(lines) + "\n")
    workbook = read_workbook(folder)
    assert len(workbook["checkins"]) == 20_000
    assert math.isclose(workbook["checkins"]["value"].sum(), sum(i + 0.5 for i in range(20_000)))
