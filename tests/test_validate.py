"""Checks across rows and tables: unique ids, references, levels, cycles; ids known from a store."""

from __future__ import annotations

import pytest

from okr_workshop.io import read_workbook
from okr_workshop.validate import validate_workbook
from okr_workshop.workbook import Workbook


def test_bad_input_is_reported_with_file_row_column(bad_input, check_bad_input):
    check_bad_input(bad_input)


def test_valid_workbook_has_no_problems(valid_dir):
    assert validate_workbook(read_workbook(valid_dir)) == []


def test_full_workbook_has_no_problems(full_workbook):
    assert validate_workbook(full_workbook) == []


def base_records() -> dict[str, list[dict]]:
    return {
        "teams": [{"id": "cx", "name": "CX"}],
        "people": [{"id": "ana", "team": "cx"}],
        "objectives": [
            {"id": "C1", "title": "Delight", "level": "company"},
            {"id": "T1", "title": "Faster", "level": "team", "team": "cx", "parent": "C1"},
        ],
        "key_results": [{"id": "K1", "objective": "T1", "title": "Cut time"}],
    }


def test_references_to_ids_known_in_the_store_are_fine():
    workbook = Workbook.from_records(**base_records(), checkins=[{"key_result": "OLD.1", "date": "2026-07-01",
                                                                   "value": 3, "author": "bob"}])
    without = validate_workbook(workbook)
    assert [(p.column, p.found) for p in without] == [
        ("key_result", "'OLD.1', which is no key result id"),
        ("author", "'bob', which is no person id"),
    ]
    assert validate_workbook(workbook, known={"key_results": {"OLD.1"}, "people": {"bob"}}) == []


def test_problems_of_a_workbook_built_in_code_name_the_table_and_row():
    records = base_records()
    records["key_results"].append({"id": "K2", "objective": "T9", "title": "x"})
    problems = validate_workbook(Workbook.from_records(**records))
    assert [(p.path, p.row, p.column) for p in problems] == [("key_results table", 2, "objective")]


def test_every_row_of_a_cycle_is_reported_once():
    records = base_records()
    records["objectives"] += [
        {"id": "A", "title": "a", "level": "team", "team": "cx", "parent": "B"},
        {"id": "B", "title": "b", "level": "team", "team": "cx", "parent": "C"},
        {"id": "C", "title": "c", "level": "team", "team": "cx", "parent": "A"},
        {"id": "D", "title": "d", "level": "team", "team": "cx", "parent": "A"},  # leads into the loop
    ]
    problems = validate_workbook(Workbook.from_records(**records))
    assert [(p.row, p.column, p.found) for p in problems] == [
        (3, "parent", "a parent chain that loops: A -> B -> C -> A")]


def test_a_participants_only_objective_needs_an_owner_or_participants():
    records = base_records()
    records["objectives"].append({"id": "S1", "title": "Secret", "level": "team", "team": "cx",
                                  "visibility": "participants"})
    problems = validate_workbook(Workbook.from_records(**records))
    assert [(p.row, p.column) for p in problems] == [(3, "participants")]
    assert "visible to nobody" in problems[0].expected


@pytest.mark.parametrize("table, ref, wrong, hint", [
    ("objectives", "team", "cxx", "did you mean 'cx'"),
    ("key_results", "objective", "T11", "did you mean 'T1'"),
])
def test_unknown_references_suggest_a_close_id(table, ref, wrong, hint):
    records = base_records()
    records[table][-1][ref] = wrong
    problems = validate_workbook(Workbook.from_records(**records))
    assert len(problems) == 1
    assert hint in problems[0].expected


def test_a_reference_to_a_table_the_workbook_lacks_says_so():
    records = base_records()
    del records["people"]
    records["objectives"].append({"id": "I1", "title": "Grow", "level": "individual", "owner": "ana", "parent": "T1"})
    problems = validate_workbook(Workbook.from_records(**records))
    assert [(p.column, p.found) for p in problems] == [("owner", "'ana', which is no person id")]
    assert "the workbook lists no people" in problems[0].expected
