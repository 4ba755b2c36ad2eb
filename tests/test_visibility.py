"""Who may see which objective."""

from __future__ import annotations

import pytest

from okr_workshop.visibility import visible_mask
from okr_workshop.workbook import typed_frame

PEOPLE = typed_frame("people", [
    {"id": "ana", "team": "cx"},
    {"id": "ben", "team": "cx"},
    {"id": "cara", "team": "ops"},
    {"id": "drew"},  # no team
])

OBJECTIVES = typed_frame("objectives", [
    {"id": "open", "title": "t", "level": "company", "visibility": "everyone"},
    {"id": "no-visibility", "title": "t", "level": "company", "visibility": None},
    {"id": "cx-team", "title": "t", "level": "team", "team": "cx", "visibility": "team"},
    {"id": "ben-team", "title": "t", "level": "individual", "owner": "ben", "visibility": "team"},
    {"id": "secret", "title": "t", "level": "team", "team": "ops", "owner": "cara", "visibility": "participants",
     "participants": "ana;drew"},
    {"id": "cara-only", "title": "t", "level": "individual", "owner": "cara", "visibility": "participants"},
])

SEES = {
    None: {"open", "no-visibility", "cx-team", "ben-team", "secret", "cara-only"},
    "ana": {"open", "no-visibility", "cx-team", "ben-team", "secret"},
    "ben": {"open", "no-visibility", "cx-team", "ben-team"},
    "cara": {"open", "no-visibility", "secret", "cara-only"},
    "drew": {"open", "no-visibility", "secret"},
    "stranger": {"open", "no-visibility"},
}


@pytest.mark.parametrize("viewer", list(SEES), ids=[str(v) for v in SEES])
def test_visible_mask(viewer):
    mask = visible_mask(OBJECTIVES, PEOPLE, viewer)
    assert set(OBJECTIVES["id"][mask]) == SEES[viewer]


def test_a_participant_id_must_match_whole():
    objectives = typed_frame("objectives", [
        {"id": "x", "title": "t", "level": "company", "visibility": "participants", "participants": "anna;bo"}])
    assert not visible_mask(objectives, PEOPLE, "ana").any()
    assert not visible_mask(objectives, PEOPLE, "b").any()
    assert visible_mask(objectives, PEOPLE, "bo").all()
