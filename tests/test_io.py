"""read_workbook / write_workbook: shapes by path, every problem in one pass, round trips across shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from okr_workshop.exceptions import WorkbookError
from okr_workshop.io import FORMATS, read_workbook, write_workbook

ROOT = Path(__file__).resolve().parents[1]
BRIGHTWELL = ROOT / "templates" / "examples" / "brightwell"


def test_bad_input_is_reported_with_file_row_column(bad_input, check_bad_input):
    check_bad_input(bad_input)


def test_every_bad_input_case_is_checked_in_detail_by_some_module(bad_inputs):
    ids = [case.id for case in bad_inputs]
    assert len(ids) == len(set(ids)), "bad-input ids must be unique"
    for module in {case.module for case in bad_inputs}:
        assert (Path(__file__).parent / f"test_{module}.py").is_file(), module


def test_problems_come_sorted_by_file_then_row(make_workbook, problems_in):
    folder = make_workbook(
        checkins="key_result,date,value\nC1.1,2026-07-15,x\nC1.1,2026-07-16,y\n",
        key_results=(
            "id,objective,title,start\n"
            "C1.1,C1,a,1\nT1.1,T1,b,q\nI1.1,I1,c,r\n"),
    )
    problems = problems_in(folder)
    assert [(Path(p.path).name, p.row) for p in problems] == [
        ("key_results.csv", 3), ("key_results.csv", 4), ("checkins.csv", 2), ("checkins.csv", 3)]


@pytest.mark.parametrize("name, found", [
    ("workbook.txt", "a file named 'workbook.txt'"),
    ("missing.xlsx", "nothing: no such file or folder"),
    ("missing-folder", "nothing: no such file or folder"),
])
def test_a_path_that_is_no_workbook_is_one_problem(tmp_path, name, found):
    if name.endswith(".txt"):
        (tmp_path / name).write_text("hello", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        read_workbook(tmp_path / name)
    [problem] = caught.value.problems
    assert problem.found == found
    assert "a folder of CSV files, an .xlsx workbook or a .yaml/.yml file" in problem.expected


def test_an_empty_folder_names_the_missing_objectives_file(tmp_path, problems_in):
    (tmp_path / "empty").mkdir()
    [problem] = problems_in(tmp_path / "empty")
    assert Path(problem.path) == tmp_path / "empty" / "objectives.csv"
    assert "no objectives.csv in the folder (found: no CSV files)" in problem.found


@pytest.mark.parametrize("out, shape", [("dir", "csv"), ("book.xlsx", "xlsx"), ("book.XLSX", "xlsx"),
                                        ("book.yaml", "yaml"), ("book.yml", "yaml")])
def test_the_shape_is_chosen_by_the_path(tmp_path, out, shape):
    assert FORMATS.for_path(tmp_path / out, writing=True).name == shape


def test_round_trip_across_shapes(full_workbook, tmp_path, assert_same_extras):
    xlsx = write_workbook(full_workbook, tmp_path / "step1.xlsx")
    from_xlsx = read_workbook(xlsx)
    yml = write_workbook(from_xlsx, tmp_path / "step2.yaml")
    from_yaml = read_workbook(yml)
    folder = write_workbook(from_yaml, tmp_path / "step3")
    from_csv = read_workbook(folder)
    for step in (from_xlsx, from_yaml, from_csv):
        assert full_workbook.same_data(step)
        assert_same_extras(full_workbook, step)


def test_same_data_notices_a_change_after_a_round_trip(full_workbook, tmp_path):
    folder = write_workbook(full_workbook, tmp_path / "out")
    text = (folder / "key_results.csv").read_text(encoding="utf-8").replace(",44.5,", ",44.6,")
    (folder / "key_results.csv").write_text(text, encoding="utf-8")
    assert not full_workbook.same_data(read_workbook(folder))


@pytest.mark.skipif(not (BRIGHTWELL / "objectives.csv").is_file(), reason="templates/examples/brightwell not there yet")
@pytest.mark.parametrize("shape", ["folder", "brightwell.xlsx", "brightwell.yaml"])
def test_the_shipped_example_round_trips(tmp_path, shape):
    example = read_workbook(BRIGHTWELL)
    assert example.counts()["objectives"] > 0
    again = read_workbook(write_workbook(example, tmp_path / shape))
    assert example.same_data(again)
    for name, frame in example.tables.items():
        assert list(again[name].columns) == list(frame.columns), name  # extra columns kept, in order
