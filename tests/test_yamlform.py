"""The YAML nested form: the contract's example, generated ids, lines in problems, round trips."""

from __future__ import annotations

import pandas as pd
import yaml

from okr_workshop.io import read_workbook, write_workbook

CONTRACT_EXAMPLE = """\
quarter: 2026-Q3            # default for objectives that give none
teams:   [{id: cx, name: Customer Experience}]
people:  [{id: ana@example.org, name: Ana, team: cx}]
objectives:
  - id: C1                  # ids are optional in YAML: missing ones are generated
    title: Delight our customers
    level: company
    key_results:
      - Increase NPS from 40 to 50 by 30 September   # a bare string is a title only
      - id: C1.2
        title: Cut first-response time from 24h to 12h
        start: 24
        target: 12
        unit: h
        checkins: [{date: 2026-08-01, value: 18, confidence: 0.6}]
        initiatives: [{title: Add weekend support rota, status: in_progress}]
"""


def test_bad_input_is_reported_with_file_line_key(bad_input, check_bad_input):
    check_bad_input(bad_input)


def test_the_contract_example_reads(tmp_path):
    path = tmp_path / "okrs.yaml"
    path.write_text(CONTRACT_EXAMPLE, encoding="utf-8")
    workbook = read_workbook(path)
    assert workbook.counts() == {"teams": 1, "people": 1, "objectives": 1, "key_results": 2,
                                 "initiatives": 1, "checkins": 1, "reflections": 0, "changes": 0, "retro": 0}
    assert workbook["teams"].iloc[0][["id", "name"]].tolist() == ["cx", "Customer Experience"]
    assert workbook["people"].iloc[0][["id", "name", "team"]].tolist() == ["ana@example.org", "Ana", "cx"]
    objective = workbook["objectives"].iloc[0]
    assert (objective["id"], objective["quarter"], objective["level"]) == ("C1", "2026-Q3", "company")
    krs = workbook["key_results"].set_index("id")
    assert list(krs.index) == ["C1.1", "C1.2"]  # the bare string got the generated id C1.1
    assert krs.loc["C1.1", "title"] == "Increase NPS from 40 to 50 by 30 September"
    assert krs.loc["C1.1", "objective"] == "C1"
    assert pd.isna(krs.loc["C1.1", "start"])  # a bare string is a title only
    assert krs.loc["C1.2", ["start", "target", "unit"]].tolist() == [24.0, 12.0, "h"]
    checkin = workbook["checkins"].iloc[0]
    assert (checkin["key_result"], checkin["date"], checkin["value"], checkin["confidence"]) == (
        "C1.2", pd.Timestamp("2026-08-01"), 18.0, 0.6)
    initiative = workbook["initiatives"].iloc[0]
    assert initiative[["id", "key_result", "title", "status"]].tolist() == [
        "C1.2.i1", "C1.2", "Add weekend support rota", "in_progress"]


def test_generated_ids_and_the_quarter_default(tmp_path):
    path = tmp_path / "okrs.yml"
    path.write_text(
        "quarter: 2026-q3\n"
        "objectives:\n"
        "  - title: First, no id\n"          # would be O1, but O1 is taken below
        "    level: company\n"
        "    key_results: [Do a thing, Do another thing]\n"
        "  - id: O1\n"
        "    title: Has the id O1\n"
        "    level: company\n"
        "    quarter: 2026-Q4\n"
        "  - title: Third\n"
        "    level: company\n"
        "    key_results:\n"
        "      - title: Measured\n"
        "        initiatives: [{title: A}, {title: B, id: mine}]\n",
        encoding="utf-8",
    )
    workbook = read_workbook(path)
    objectives = workbook["objectives"].set_index("id")
    assert list(objectives.index) == ["O1-2", "O1", "O3"]
    assert objectives["quarter"].tolist() == ["2026-Q3", "2026-Q4", "2026-Q3"]
    assert workbook["key_results"]["id"].tolist() == ["O1-2.1", "O1-2.2", "O3.1"]
    assert workbook["key_results"]["objective"].tolist() == ["O1-2", "O1-2", "O3"]
    assert workbook["initiatives"]["id"].tolist() == ["O3.1.i1", "mine"]


def test_participants_as_a_list_and_dates_as_yaml_dates(tmp_path):
    path = tmp_path / "okrs.yaml"
    path.write_text(
        "people: [{id: ana, start_date: 2026-07-01}, {id: ben}]\n"
        "objectives:\n"
        "  - {id: C1, title: Delight, level: company, owner: ana, visibility: participants,\n"
        "     participants: [ana, ben]}\n",
        encoding="utf-8",
    )
    workbook = read_workbook(path)
    assert workbook["objectives"]["participants"].iloc[0] == "ana;ben"
    assert workbook["people"]["start_date"].iloc[0] == pd.Timestamp("2026-07-01")


def test_a_nested_list_where_a_value_belongs_is_a_problem_with_its_line(tmp_path, problems_in):
    path = tmp_path / "okrs.yaml"
    path.write_text(
        "objectives:\n"
        "  - id: C1\n"
        "    title: Delight\n"
        "    level: company\n"
        "    owner: {id: ana}\n",
        encoding="utf-8",
    )
    problems = problems_in(path)
    assert [(p.row, p.column, p.found) for p in problems] == [(2, "owner", "a mapping")]
    assert str(problems[0]).startswith(f"{path}, line 2, column 'owner'")


def test_round_trip_gives_the_same_data(full_workbook, tmp_path, assert_same_extras):
    path = write_workbook(full_workbook, tmp_path / "okrs.yaml")
    again = read_workbook(path)
    assert full_workbook.same_data(again)
    assert_same_extras(full_workbook, again)
    second = write_workbook(again, tmp_path / "second.yaml")
    assert path.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_written_form_is_nested_and_plain(full_workbook, tmp_path):
    objectives = full_workbook["objectives"]
    objectives.loc[objectives["id"] == "T1", "title"] = "=SUM(A1)"
    doc = yaml.safe_load(write_workbook(full_workbook, tmp_path / "okrs.yaml").read_text(encoding="utf-8"))
    assert "quarter" not in doc  # two quarters in the workbook: each objective keeps its own
    by_id = {o["id"]: o for o in doc["objectives"]}
    assert by_id["T1"]["title"] == "=SUM(A1)"  # YAML is no spreadsheet: written as is
    assert by_id["I1"]["participants"] == ["ana@example.org", "dan@example.org"]
    kr = by_id["C1"]["key_results"][0]
    assert kr["id"] == "C1.1" and "objective" not in kr
    assert kr["start"] == 40 and isinstance(kr["start"], int)
    assert [c["value"] for c in kr["checkins"]] == [42, 44.5]
    assert by_id["T1"]["key_results"][0]["initiatives"][0]["id"] == "IN1"
    assert "key_result" not in by_id["T1"]["key_results"][0]["initiatives"][0]


def test_a_shared_quarter_goes_to_the_top(valid_dir, tmp_path):
    doc = yaml.safe_load(write_workbook(read_workbook(valid_dir), tmp_path / "o.yaml").read_text(encoding="utf-8"))
    assert doc["quarter"] == "2026-Q3"
    assert all("quarter" not in o for o in doc["objectives"])


def test_yaml_text_that_looks_quoted_is_kept_as_written(tmp_path):
    path = tmp_path / "okrs.yaml"
    path.write_text("objectives:\n  - {id: C1, title: \"'=not a formula\", level: company}\n", encoding="utf-8")
    assert read_workbook(path)["objectives"]["title"].iloc[0] == "'=not a formula"
    written = write_workbook(read_workbook(path), tmp_path / "again.yaml")
    assert read_workbook(written)["objectives"]["title"].iloc[0] == "'=not a formula"
