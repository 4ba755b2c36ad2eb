"""The report's end-of-quarter sections: reflections, retro, changes and calibration, on a real store.

The store is the example company with a reflection, a retro and changes
recorded through :mod:`okr_workshop.tracking.review`, some of them on the
participants-only objective and some written to break out of HTML, plus a
small earlier quarter (2026-Q3) for the calibration trend.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_report_sections import EXAMPLE, NON_PARTICIPANT, OWNER, PARTICIPANT, QUARTER, SCRIPT

from okr_workshop.cli import main
from okr_workshop.io import read_workbook
from okr_workshop.reports import closing, review
from okr_workshop.store.database import Store
from okr_workshop.tracking.calibration import calibration
from okr_workshop.tracking.review import add_retro_note, adjust, reflect
from okr_workshop.workbook import Workbook

BEFORE_END, AFTER_END = "2026-11-20", "2026-12-31"
ANA, KWAME, DMITRI = ("ana.ortiz@brightwell.example", "kwame.mensah@brightwell.example", PARTICIPANT)
PRIVATE_REFLECTION = "Pairing with Dmitri on wheel builds"
PRIVATE_REASON = "The north hub opening moved my sign-offs"
INDIVIDUAL_REFLECTION = "Battery clinics on Saturdays"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def earlier_quarter() -> Workbook:
    """2026-Q3 for Fleet: three key results forecast by mid-quarter (one reached), one more participants-only.

    Fleet's figures, as anyone may see them: confidences 0.8, 0.6 and 0.4
    against 1, 0 and 0, so n 3, mean confidence 0.6, hit rate 1/3 and
    Brier (0.04 + 0.36 + 0.16) / 3 = 0.187. A participant also counts the
    private key result (0.9 against 0).
    """
    def kr(ident: str, objective: str, owner: str) -> dict:
        return {"id": ident, "objective": objective, "title": "Fix 10 bikes a day", "start": 0, "target": 10,
                "unit": "bikes", "owner": owner}

    def checkin(key_result: str, day: str, value: float, confidence: float | None = None) -> dict:
        return {"key_result": key_result, "date": dt.date.fromisoformat(day), "value": value,
                "confidence": confidence}

    return Workbook.from_records(
        objectives=[
            {"id": "Q3-FLEET", "title": "Repair faster", "level": "team", "quarter": "2026-Q3", "team": "fleet",
             "owner": DMITRI, "commitment": "committed"},
            {"id": "Q3-EMEKA", "title": "Learn the trade", "level": "individual", "quarter": "2026-Q3",
             "team": "fleet", "owner": OWNER, "visibility": "participants", "participants": DMITRI,
             "commitment": "aspirational"},
        ],
        key_results=[kr("Q3-FLEET.1", "Q3-FLEET", DMITRI), kr("Q3-FLEET.2", "Q3-FLEET", DMITRI),
                     kr("Q3-FLEET.3", "Q3-FLEET", DMITRI), kr("Q3-EMEKA.1", "Q3-EMEKA", OWNER)],
        checkins=[
            checkin("Q3-FLEET.1", "2026-08-01", 5, 0.8), checkin("Q3-FLEET.1", "2026-09-25", 10),
            checkin("Q3-FLEET.2", "2026-08-10", 3, 0.6), checkin("Q3-FLEET.2", "2026-09-25", 6),
            checkin("Q3-FLEET.3", "2026-08-14", 2, 0.4),
            checkin("Q3-EMEKA.1", "2026-08-14", 2, 0.9),
        ],
    )


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """The example company with end-of-quarter records, and an earlier quarter."""
    path = tmp_path_factory.mktemp("closing") / "closing.db"
    store = Store(path)
    try:
        store.write_workbook(read_workbook(EXAMPLE))
        store.write_workbook(earlier_quarter())
        adjust(store, "C1.1", {"target": 2200}, reason=f"The app launch slipped {SCRIPT}", author=ANA,
               date="2026-11-12")
        adjust(store, "C1.1", {"target": 2250, "due": "2026-12-15"}, reason="Two employer deals signed", author=ANA,
               date="2026-12-01")
        adjust(store, "I-emeka-1.1", {"target": 7}, reason=PRIVATE_REASON, author=DMITRI, date="2026-11-02")
        reflect(store, "C1", author=ANA, score=0.6, worked=f"Employer deals {SCRIPT}", did_not_work="Winter churn",
                learned="Start the referral scheme earlier", next="carry", date="2026-12-20")
        reflect(store, "FLEET-1", author=DMITRI, worked="The diagnosis checklist", next="keep", date="2026-12-19")
        reflect(store, "I-aisha-1", author=NON_PARTICIPANT, worked=INDIVIDUAL_REFLECTION, date="2026-12-18")
        reflect(store, "I-emeka-1", author=OWNER, score=0.8, worked=PRIVATE_REFLECTION, next="keep",
                date="2026-12-18")
        add_retro_note(store, "fleet", QUARTER, "start", "Stocking parts for winter in September", author=DMITRI,
                       date="2026-12-20")
        add_retro_note(store, "fleet", QUARTER, "shout_out", f"Aisha for the battery clinic {SCRIPT}",
                       date="2026-12-20")
        add_retro_note(store, "sales", QUARTER, "stop", "Discounting the first month", author=KWAME,
                       date="2026-12-21")
        add_retro_note(store, "sales", "2026-Q3", "continue", "An old quarter's note", author=KWAME,
                       date="2026-09-30")
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def reviews(store_file):
    """Built reviews, by (scope, viewer, as_of)."""
    cache: dict[tuple[str, str, str], review.Review] = {}

    def get(scope: str, viewer: str = "", as_of: str = AFTER_END) -> review.Review:
        if (scope, viewer, as_of) not in cache:
            cache[scope, viewer, as_of] = review.build(str(store_file), QUARTER, scope, viewer, as_of)
        return cache[scope, viewer, as_of]

    return get


# --------------------------------------------------------------------------- reflections


def test_reflections_show_each_author_final_score_words_and_next(reviews):
    page = str(reviews("company").reflections())
    assert "Grow a loyal rider base across the city" in page and "Ana Ortiz" in page
    assert "final score" in page and "0.60" in page and "Winter churn" in page
    assert "Start the referral scheme earlier" in page and "carry over" in page
    fleet = str(reviews("team:fleet").reflections())
    assert "The diagnosis checklist" in fleet and "computed score stands" in fleet and "keep" in fleet


def test_the_company_shows_company_and_team_reflections_and_a_team_its_individual_ones(reviews):
    company, fleet = str(reviews("company").reflections()), str(reviews("team:fleet").reflections())
    assert "The diagnosis checklist" in company  # FLEET-1, a team objective
    assert INDIVIDUAL_REFLECTION not in company and INDIVIDUAL_REFLECTION in fleet
    assert "Grow a loyal rider base" not in fleet


def test_reflections_say_so_when_there_are_none(reviews):
    page = str(reviews("team:marketing").reflections())
    assert "No reflections yet" in page and "okr-workshop reflect" in page


# --------------------------------------------------------------------------- retro


def test_the_team_report_shows_its_own_retro_of_the_quarter(reviews):
    page = str(reviews("team:fleet").retro())
    assert "Stocking parts for winter in September" in page and "Dmitri Volkov" in page
    assert "Start" in page and "Shout-outs" in page
    assert "Discounting the first month" not in page  # Sales' retro


def test_the_company_report_shows_each_team_retro(reviews):
    page = str(reviews("company").retro())
    assert "Fleet Operations" in page and "Sales &amp; Partnerships" in page
    assert "Stocking parts for winter in September" in page and "Discounting the first month" in page
    assert "An old quarter&#x27;s note" not in page and "An old quarter's note" not in page


def test_a_person_report_shows_their_team_retro(reviews):
    assert closing.retro_teams(reviews(f"person:{OWNER}", OWNER)) == ["fleet"]
    assert "Stocking parts for winter" in str(reviews(f"person:{OWNER}", OWNER).retro())


def test_a_team_without_retro_notes_is_told_so(reviews):
    assert "No retro notes for 2026-Q4 yet" in str(reviews("team:product").retro())


# --------------------------------------------------------------------------- changes


def test_changes_list_each_change_and_the_target_at_the_start(reviews):
    page = str(reviews("company").changes())
    assert "target 2,300 at the start, 2,250 now" in page
    assert "target 2,300 → 2,200" in page and "target 2,200 → 2,250" in page
    assert "due date" in page and "15 Dec 2026" in page and "Two employer deals signed" in page
    assert page.index("2,300 → 2,200") < page.index("2,200 → 2,250")  # oldest first
    assert "Ana Ortiz" in page


def test_the_target_at_the_start_is_the_first_target_change_old_value():
    changes = [{"field": "due", "old": None, "new": "2026-12-15"}, {"field": "target", "old": "40", "new": "30"},
               {"field": "target", "old": "30", "new": "35"}]
    assert closing.start_target(changes) == "40"
    assert closing.start_target(changes[:1]) is None


def test_progress_is_scored_against_the_target_now(reviews):
    kr = reviews("company").key_results.set_index("id").loc["C1.1"]
    assert kr["target"] == 2250


def test_no_changes_say_so(reviews):
    assert "No key result was changed" in str(reviews("team:marketing").changes())


# --------------------------------------------------------------------------- participants only


@pytest.mark.parametrize(("scope", "viewer", "sees"), [
    ("team:fleet", "", False),
    ("team:fleet", NON_PARTICIPANT, False),
    ("company", "", False),
    ("team:fleet", PARTICIPANT, True),
    (f"person:{OWNER}", OWNER, True),
])
def test_a_participants_only_objective_reflection_and_changes_show_only_to_participants(reviews, scope, viewer, sees):
    r = reviews(scope, viewer)
    page = str(r.reflections()) + str(r.changes())
    assert (PRIVATE_REFLECTION in page) is sees
    assert (PRIVATE_REASON in page) is sees
    assert ("I-emeka-1" in page) is sees


# --------------------------------------------------------------------------- escaping


def test_hostile_text_stays_text_in_every_section(reviews):
    for r in (reviews("company"), reviews("team:fleet")):
        page = "".join(str(getattr(r, name)()) for name in ("reflections", "retro", "changes", "calibration"))
        assert "<script>" not in page
    assert ESCAPED in str(reviews("company").reflections())
    assert ESCAPED in str(reviews("team:fleet").retro())
    assert ESCAPED in str(reviews("company").changes())


# --------------------------------------------------------------------------- calibration


def test_before_the_quarter_ends_calibration_waits_and_earlier_quarters_show(reviews):
    page = str(reviews("team:fleet", as_of=BEFORE_END).calibration())
    assert "after the quarter ends on 31 Dec 2026" in page
    assert "2026-Q3" in page and "(this quarter)" not in page


def test_with_one_quarter_only_there_is_no_trend(tmp_path):
    path = tmp_path / "one.db"
    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    before = str(review.build(str(path), QUARTER, "company", "", BEFORE_END).calibration())
    assert "after the quarter ends" in before and "<table" not in before
    after = str(review.build(str(path), QUARTER, "company", "", AFTER_END).calibration())
    assert "Quarter by quarter" not in after and "The company" in after


def test_after_the_quarter_ends_the_company_shows_itself_and_each_team_with_the_reading(reviews):
    r = reviews("company")
    expected = calibration(r.workbook, QUARTER, r.as_of)
    page = str(r.calibration())
    assert "after the quarter ends" not in page
    assert f"<td>{expected['company']['n']}</td>" in page
    for team in expected["teams"]:
        assert r.teams[team].replace("&", "&amp;") in page
    assert "Over-confident" in page or "Under-confident" in page or "calibrated" in page
    labels = [label for label, _ in closing.scope_figures(expected, r)]
    assert labels[0] == "The company" and len(labels) == 1 + len(expected["teams"])


def test_a_company_with_many_teams_shows_the_first_and_counts_the_rest(reviews, monkeypatch):
    r = reviews("company")
    teams = len(calibration(r.workbook, QUARTER, r.as_of)["teams"])
    monkeypatch.setattr(closing, "MAX_CALIBRATED_TEAMS", 2)
    page = str(r.calibration())
    assert f"and {teams - 2} teams more" in page
    assert page.count("Over-confident") + page.count("Under-confident") + page.count("calibrated") <= 3


def test_the_trend_has_a_row_per_ended_quarter_with_figures_read_from_the_store(reviews):
    r = reviews("team:fleet")
    history = dict(closing.calibration_history(r))
    assert list(history) == ["2026-Q3", QUARTER]
    assert history["2026-Q3"] == {"n": 3, "brier": 0.187, "mean_confidence": 0.6, "hit_rate": 0.333}
    assert history[QUARTER] == calibration(r.workbook, QUARTER, r.as_of)["teams"]["fleet"]
    page = str(r.calibration())
    assert "Quarter by quarter" in page and "2026-Q4 (this quarter)" in page
    assert page.index("2026-Q3") < page.index("2026-Q4 (this quarter)")


def test_the_trend_counts_a_participants_only_key_result_only_for_a_participant(reviews):
    assert dict(closing.calibration_history(reviews("team:fleet", NON_PARTICIPANT)))["2026-Q3"]["n"] == 3
    assert dict(closing.calibration_history(reviews("team:fleet", PARTICIPANT)))["2026-Q3"]["n"] == 4


def test_a_person_calibration_counts_the_key_results_of_their_own_objectives(reviews):
    history = dict(closing.calibration_history(reviews(f"person:{OWNER}", OWNER)))
    assert history["2026-Q3"] == {"n": 1, "brier": 0.81, "mean_confidence": 0.9, "hit_rate": 0.0}


# --------------------------------------------------------------------------- through the template


@pytest.mark.integration
def test_the_report_command_renders_the_closing_sections(store_file, tmp_path):
    result = CliRunner().invoke(main, ["report", "--quarter", QUARTER, "--team", "fleet", "--viewer", NON_PARTICIPANT,
                                       "--as-of", AFTER_END, "--format", "html", "--out", str(tmp_path),
                                       "--db", str(store_file)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "team-fleet.html").read_text(encoding="utf-8")
    for heading in ("Reflections", "Retro", "Changes", "Calibration", "Quarter by quarter"):
        assert f">{heading}</h" in page
    assert "The diagnosis checklist" in page and "Stocking parts for winter in September" in page
    assert PRIVATE_REFLECTION not in page and PRIVATE_REASON not in page and "<script>alert" not in page
