"""The status of a quarter: the example company's check-ins give the statuses a person expects; JSON, views, text."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okr_workshop.exceptions import InputError
from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store
from okr_workshop.tracking.status import build_status, pick_quarter, status_from_store
from okr_workshop.tracking.status_render import render_text
from okr_workshop.workbook import Workbook

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
D = dt.date
ANA = "ana.ortiz@brightwell.example"  # CEO, sales
DMITRI = "dmitri.volkov@brightwell.example"  # fleet manager, a participant of I-emeka-1
EMEKA = "emeka.obi@brightwell.example"
INGRID = "ingrid.solberg@brightwell.example"  # support lead: sees I-camille-1 (team visibility)


@pytest.fixture(scope="module")
def example():
    return read_workbook(EXAMPLE)


@pytest.fixture(scope="module")
def example_store_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "brightwell.db"
    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    return path


@pytest.fixture
def example_store(example_store_file, tmp_path) -> Store:
    target = tmp_path / "store.db"
    shutil.copyfile(example_store_file, target)
    return Store(target, create=False)


def statuses(report) -> dict[str, str]:
    return dict(zip(report.key_results["id"], report.key_results["status"], strict=True))


@pytest.fixture(scope="module")
def status_on(example):
    """``status_on(date)``: the example's statuses on that date, each date built once."""
    built: dict[dt.date, dict[str, str]] = {}

    def on(as_of: dt.date) -> dict[str, str]:
        if as_of not in built:
            built[as_of] = statuses(build_status(example, as_of=as_of))
        return built[as_of]

    return on


# --------------------------------------------------------------------------- what a person expects

EXPECTED = [
    # key result, as of, status, why a person expects it
    ("FLEET-1.1", D(2026, 10, 9), "on_track", "ahead from the first week, owner confident"),
    ("FLEET-1.1", D(2026, 11, 20), "on_track", "86% done at 55% of the quarter"),
    ("FLEET-2.1", D(2026, 11, 13), "on_track", "the hub opens later (due 27 Nov); a milestone has no pace"),
    ("FLEET-2.1", D(2026, 11, 20), "done", "first repairs in the north hub that day"),
    ("FLEET-2.1", D(2026, 12, 31), "done", "done stays done"),
    ("I-nadia-1.1", D(2026, 10, 16), "on_track", "the page is not live yet, due 30 Oct"),
    ("I-nadia-1.1", D(2026, 10, 23), "done", "the page went live"),
    ("SUPPORT-2.2", D(2026, 10, 23), "off_track", "tickets went up, not down"),
    ("SUPPORT-2.2", D(2026, 11, 20), "off_track", "still above the start"),
    ("C3.3", D(2026, 11, 20), "off_track", "stuck, confidence 0.2"),
    ("FLEET-1.3", D(2026, 11, 20), "on_track", "availability held above 95%"),
    ("FLEET-1.3", D(2026, 12, 31), "done", "held to the end of the quarter"),
    ("I-felix-1.1", D(2026, 10, 9), "at_risk", "first week: no pace yet, confidence 0.6"),
    ("I-felix-1.1", D(2026, 11, 20), "off_track", "8 of 60 cafes, confidence 0.2"),
    ("C1.1", D(2026, 10, 2), "on_track", "before any check-in, confidence 0.7"),
    ("PEOPLE-1.2", D(2026, 10, 2), "off_track", "a committed key result its owner gives 0.2 from the start"),
    ("C1.2", D(2026, 11, 20), "at_risk", "behind on churn, confidence 0.4"),
]


@pytest.mark.parametrize("key_result, as_of, status, why", EXPECTED,
                         ids=[f"{k}-{d.isoformat()}" for k, d, *_ in EXPECTED])
def test_the_example_quarter_gives_the_statuses_a_person_expects(status_on, key_result, as_of, status, why):
    assert status_on(as_of)[key_result] == status, why


def test_figures_of_the_example_on_20_november(example):
    report = build_status(example, as_of=D(2026, 11, 20))
    kr = report.key_results.set_index("id")
    assert kr.loc["C1.1", "current"] == 2096
    assert kr.loc["C1.1", "progress"] == pytest.approx((2096 - 1850) / (2300 - 1850))
    assert kr.loc["C1.1", "expected"] == pytest.approx(51 / 92)
    assert kr.loc["I-lars-1.1", "expected"] == pytest.approx(51 / 123)  # due 31 January: a longer period
    assert kr.loc["FLEET-1.3", "type"] == "stay_above"
    assert not kr.loc["PRODUCT-2.3", "scored"]
    objectives = report.objectives.set_index("id")
    assert objectives.loc["FLEET-1", "grade"] == "green"
    assert objectives.loc["I-jonas-1", "grade"] == "red"
    assert objectives.loc["C1", "commitment"] == "committed"
    assert objectives.loc["C1", "expected_score"] == 1.0
    assert report.alignment == pytest.approx(27 / 28)
    assert report.adoption == pytest.approx(25 / 41)
    assert report.objectives["id"].tolist()[:3] == ["C1", "SALES-1", "I-sofia-1"]  # the tree, depth first
    codes = {(f.code, f.subject) for f in report.findings}
    assert ("score.no-numbers", "PRODUCT-2.3") in codes
    assert ("score.no-start", "I-ines-1.2") in codes
    assert ("cascade.orphan", "I-kenji-1") in codes
    assert ("status.no-checkin", "C3.2") in codes


def test_a_check_in_after_as_of_changes_nothing_before_it(example):
    before = build_status(example, as_of=D(2026, 10, 30)).as_json()
    again = build_status(example, as_of=D(2026, 10, 30)).as_json()
    assert before == again
    later = build_status(example, as_of=D(2026, 11, 20)).as_json()
    assert before != later


def by_id(doc: dict) -> dict:
    """The figures of a status document keyed by id, whatever the order of its lists."""
    return {o["id"]: (o["score"], o["grade"], o["rollup"], {k["id"]: k for k in o["key_results"]})
            for o in doc["objectives"]} | {"_": (doc["adoption"], doc["alignment"], doc["company_score"])}


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_scores_and_statuses_do_not_depend_on_the_order_of_rows(example, seed):
    # no key result of the example has two check-ins on one date, so recorded order cannot matter here
    shuffled = Workbook(tables={name: frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
                                for name, frame in example.tables.items()})
    as_of = D(2026, 11, 6)
    assert by_id(build_status(shuffled, as_of=as_of).as_json()) == by_id(build_status(example, as_of=as_of).as_json())


# --------------------------------------------------------------------------- the JSON document

STATUS_SCHEMA = {
    "type": "object",
    "required": ["quarter", "as_of", "adoption", "alignment", "objectives"],
    "properties": {
        "quarter": {"type": ["string", "null"], "pattern": r"^\d{4}-Q[1-4]$"},
        "as_of": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "adoption": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "alignment": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "objectives": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "score", "grade", "key_results"],
            "properties": {
                "id": {"type": "string"},
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "grade": {"enum": ["red", "yellow", "green"]},
                "key_results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["id", "progress", "status", "confidence"],
                    "properties": {
                        "id": {"type": "string"},
                        "progress": {"type": "number", "minimum": 0, "maximum": 1},
                        "status": {"enum": ["on_track", "at_risk", "off_track", "done"]},
                        "confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                    }}},
            }}},
    },
}


def test_json_has_the_contracts_shape_and_names(example):
    doc = build_status(example, as_of=D(2026, 11, 20)).as_json()
    jsonschema.validate(doc, STATUS_SCHEMA)
    assert (doc["quarter"], doc["as_of"]) == ("2026-Q4", "2026-11-20")
    assert len(doc["objectives"]) == 31
    assert sum(len(o["key_results"]) for o in doc["objectives"]) == 82
    c1 = doc["objectives"][0]
    assert list(c1)[:3] == ["id", "score", "grade"]
    assert [k["id"] for k in c1["key_results"]] == ["C1.1", "C1.2", "C1.3"]
    assert list(c1["key_results"][0])[:4] == ["id", "progress", "status", "confidence"]
    assert json.loads(json.dumps(doc)) == doc  # plain JSON values only


def test_json_figures_match_the_frames(example):
    report = build_status(example, as_of=D(2026, 11, 20))
    doc = report.as_json()
    kr = {k["id"]: k for o in doc["objectives"] for k in o["key_results"]}
    frame = report.key_results.set_index("id")
    for kid in ("C1.1", "SUPPORT-2.2", "FLEET-2.1", "PRODUCT-2.3"):
        assert kr[kid]["progress"] == pytest.approx(frame.loc[kid, "progress"], abs=1e-4)
        assert kr[kid]["status"] == frame.loc[kid, "status"]
    assert kr["PRODUCT-2.3"]["scored"] is False
    assert doc["alignment"] == pytest.approx(27 / 28, abs=1e-4)


# --------------------------------------------------------------------------- who sees what


def test_a_participants_only_objective_never_reaches_anyone_else(example_store):
    as_of = D(2026, 11, 20)
    ana = status_from_store(example_store, as_of=as_of, viewer=ANA)
    dmitri = status_from_store(example_store, as_of=as_of, viewer=DMITRI)
    assert "I-emeka-1" in set(dmitri.objectives["id"])
    assert "I-emeka-1" not in set(ana.objectives["id"])
    text = json.dumps(ana.as_json()) + render_text(ana)
    assert "I-emeka" not in text and "emeka" not in text.lower()
    # the figures do not count it either: adoption, the fleet team's objectives, the roll-up of its parent
    # (neither sees I-camille-1, which only the support team may see)
    assert ana.adoption == pytest.approx(23 / 41)
    assert dmitri.adoption == pytest.approx(24 / 41)
    assert ana.teams.loc["fleet", "objectives"] == dmitri.teams.loc["fleet", "objectives"] - 1
    ana_fleet = ana.objectives.set_index("id").loc["FLEET-1", "rollup"]
    dmitri_fleet = dmitri.objectives.set_index("id").loc["FLEET-1", "rollup"]
    assert ana_fleet != pytest.approx(dmitri_fleet)


def test_a_team_visible_objective_reaches_the_team_only(example_store):
    as_of = D(2026, 11, 20)
    assert "I-camille-1" in set(status_from_store(example_store, as_of=as_of, viewer=INGRID).objectives["id"])
    assert "I-camille-1" not in set(status_from_store(example_store, as_of=as_of, viewer=ANA).objectives["id"])


def test_the_operator_sees_everything_and_matches_the_workbook(example_store, example):
    from_store = status_from_store(example_store, as_of=D(2026, 11, 20)).as_json()
    assert from_store == build_status(example, as_of=D(2026, 11, 20)).as_json()


def test_an_unknown_viewer_or_team_is_refused(example_store):
    with pytest.raises(InputError, match="viewer"):
        status_from_store(example_store, as_of=D(2026, 11, 20), viewer="nobody@example.org")
    with pytest.raises(InputError, match="team"):
        status_from_store(example_store, as_of=D(2026, 11, 20), team="nope")


def test_a_team_view_holds_the_teams_objectives_and_people(example):
    report = build_status(example, as_of=D(2026, 11, 20), team="fleet")
    assert set(report.objectives["id"]) == {"FLEET-1", "FLEET-2", "I-aisha-1", "I-lars-1", "I-rui-1", "I-emeka-1"}
    assert set(report.key_results["objective"]) == set(report.objectives["id"])
    assert report.adoption == pytest.approx(6 / 10)
    assert report.alignment == 1.0
    assert report.company_score is None
    assert report.objectives["depth"].min() == 0
    assert all(f.subject in set(report.objectives["id"]) | set(report.key_results["id"]) for f in report.findings)


# --------------------------------------------------------------------------- quarter and text


@pytest.mark.parametrize("quarters, as_of, chosen", [
    (["2026-Q3", "2026-Q4"], D(2026, 11, 20), "2026-Q4"),
    (["2026-Q3", "2026-Q4"], D(2026, 8, 1), "2026-Q3"),
    (["2026-Q3"], D(2027, 3, 1), "2026-Q3"),  # the latest begun by then
    (["2026-Q4", "2027-Q1"], D(2026, 1, 1), "2026-Q4"),  # none begun: the first
    ([None, "bad"], D(2026, 1, 1), None),
])
def test_the_default_quarter(quarters, as_of, chosen):
    assert pick_quarter(quarters, as_of) == chosen


def test_the_text_table_a_facilitator_reads(example):
    text = render_text(build_status(example, as_of=D(2026, 11, 20)), width=120)
    lines = text.splitlines()
    assert lines[0] == "OKR status, 2026-Q4, as of 2026-11-20: day 51 of 92 (55% of the quarter)"
    assert "adoption 61% (25 of 41" in lines[1] and "alignment 96% (27 of 28" in lines[1]
    row = next(line for line in lines if line.lstrip().startswith("SUPPORT-2.2 "))
    assert "0%" in row and "55%" in row and "off track" in row and "0.25" in row
    header = next(line for line in lines if line.startswith("id "))
    assert row.index("off track") == header.index("status")  # columns line up
    assert next(line for line in lines if line.startswith("FLEET-1 ") or line.lstrip().startswith("FLEET-1 "))
    assert "no score" in next(line for line in lines if "PRODUCT-2.3" in line)
    assert "82 key results: 24 on track, 35 at risk, 21 off track, 2 done" in text
    assert "WARNING PRODUCT-2.3" in text
    assert max(len(line) for line in lines if "│" not in line and not line.startswith(("  WARNING", "  INFO",
                                                                                        "Expected", "adoption",
                                                                                        "company"))) <= 120


def test_the_verdict_shows_once_the_quarter_has_ended(example):
    during = render_text(build_status(example, as_of=D(2026, 11, 20)))
    after = render_text(build_status(example, as_of=D(2027, 1, 5)))
    assert "falling short" not in during
    assert "falling short" in after
