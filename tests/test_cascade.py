"""The cascade: chains of parents, gaps in the tree, alignment and adoption per team, sandbagging flags."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from okr_workshop.io import read_workbook
from okr_workshop.tracking import cascade
from okr_workshop.workbook import Workbook, typed_frame

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"


def book() -> Workbook:
    """Two teams, five people; one unserved company objective, one orphan, one chain through a team."""
    return Workbook(tables={
        "teams": typed_frame("teams", [{"id": "cx", "name": "CX"}, {"id": "ops", "name": "Ops"},
                                       {"id": "cx-north", "name": "CX North", "parent": "cx"}]),
        "people": typed_frame("people", [
            {"id": "ana", "team": "cx"}, {"id": "ben", "team": "cx"}, {"id": "cara", "team": "ops"},
            {"id": "dan", "team": "ops"}, {"id": "eve", "team": "cx-north"}]),
        "objectives": typed_frame("objectives", [
            {"id": "C1", "title": "c", "level": "company", "owner": "ana"},
            {"id": "C2", "title": "c", "level": "company"},
            {"id": "T1", "title": "t", "level": "team", "team": "cx", "parent": "C1", "owner": "ana"},
            {"id": "T2", "title": "t", "level": "team", "team": "ops"},  # orphan
            {"id": "I1", "title": "i", "level": "individual", "owner": "ben", "parent": "T1"},
            {"id": "I2", "title": "i", "level": "individual", "owner": "cara", "parent": "T2"},  # chain ends at T2
            {"id": "I3", "title": "i", "level": "individual", "owner": "eve", "parent": "HIDDEN"},  # parent not here
        ]),
    })


def test_ancestry_walks_every_chain_and_stops_at_missing_parents():
    chains = cascade.ancestry(book()["objectives"])
    up = chains.groupby("id")["ancestor"].apply(list).to_dict()
    assert up["I1"] == ["I1", "T1", "C1"]
    assert up["I3"] == ["I3"]
    assert chains.loc[(chains["id"] == "I1") & (chains["ancestor"] == "C1"), "depth"].item() == 2


def test_a_loop_of_parents_ends_the_walk():
    objectives = typed_frame("objectives", [
        {"id": "A", "title": "a", "level": "team", "parent": "B"},
        {"id": "B", "title": "b", "level": "team", "parent": "A"}])
    chains = cascade.ancestry(objectives)
    assert len(chains) < 100
    assert not cascade.reaches_company(objectives).any()


def test_figures_overall_and_per_team():
    figures = cascade.cascade_figures(book())
    assert figures.reached.to_dict() == {"C1": False, "C2": False, "T1": True, "T2": False, "I1": True,
                                         "I2": False, "I3": False}
    assert (figures.aligned, figures.alignable) == (2, 5)
    assert figures.alignment == pytest.approx(0.4)
    assert (figures.adopters, figures.people) == (4, 5)  # dan owns nothing
    assert figures.adoption == pytest.approx(0.8)
    assert figures.unserved == ["C2"]
    assert figures.orphans == ["T2", "I3"]
    teams = figures.teams
    assert teams.loc["cx", ["people", "adopters", "objectives", "aligned"]].tolist() == [2, 2, 2, 2]
    assert teams.loc["ops", ["people", "adopters", "objectives", "aligned"]].tolist() == [2, 1, 2, 0]
    assert teams.loc["ops", "adoption"] == 0.5
    assert teams.loc["cx-north", "alignment"] == 0.0
    codes = [(f.code, f.subject) for f in figures.findings()]
    assert codes == [("cascade.unserved", "C2"), ("cascade.orphan", "T2"), ("cascade.orphan", "I3")]


def test_no_people_and_no_objectives_give_no_shares_rather_than_an_error():
    figures = cascade.cascade_figures(Workbook())
    assert (figures.alignment, figures.adoption) == (None, None)


def test_the_team_of_an_objective_is_its_own_else_its_owners():
    teams = cascade.objective_teams(book()["objectives"], book()["people"])
    assert teams[["T1", "T2", "I1", "I2", "I3", "C2"]].tolist() == ["cx", "ops", "cx", "ops", "cx-north", None]


def test_team_members_include_sub_teams():
    assert cascade.team_members(book()["teams"], "cx") == ["cx", "cx-north"]
    assert cascade.team_members(book()["teams"], "ops") == ["ops"]


def test_the_alignment_tree():
    roots, orphans = cascade.alignment_tree(book()["objectives"])
    assert [n.id for n in roots] == ["C1", "C2"]
    assert [(depth, node.id) for depth, node in roots[0].walk()] == [(0, "C1"), (1, "T1"), (2, "I1")]
    assert [n.id for n in orphans] == ["T2", "I3"]
    assert [c.id for c in orphans[0].children] == ["I2"]


def test_the_example_company():
    figures = cascade.cascade_figures(read_workbook(EXAMPLE))
    assert figures.orphans == ["I-kenji-1"]  # the planted orphan
    assert figures.unserved == []
    assert (figures.aligned, figures.alignable) == (27, 28)
    assert (figures.adopters, figures.people) == (25, 41)


@pytest.mark.parametrize("rows, flagged", [
    ([("O1", 0.95, 0.2), ("O1", 0.92, 0.3)], [("sandbagging.confidence", "O1")]),
    ([("O1", 0.95, 0.2), ("O1", 0.8, 0.3)], []),  # mean 0.875
    ([("O1", 0.5, 1.0), ("O1", 0.6, 1.0)], [("sandbagging.all-done", "O1")]),
    ([("O1", 0.5, 1.0), ("O1", 0.6, 0.99)], []),
    ([("O1", 0.5, 1.0), ("O1", 0.6, float("nan"))], []),  # one cannot be scored: not all done
    ([("O2", 0.91, 1.0)], [("sandbagging.confidence", "O2"), ("sandbagging.all-done", "O2")]),
    ([("O1", float("nan"), 0.5)], []),
])
def test_sandbagging(rows, flagged):
    objectives = pd.DataFrame({"id": ["O1", "O2"]})
    krs = pd.DataFrame(rows, columns=["objective", "start_confidence", "progress"])
    found = cascade.sandbagging(objectives, krs)
    assert [(f.code, f.subject) for f in found] == flagged
    assert all(f.subject in f.message for f in found)
