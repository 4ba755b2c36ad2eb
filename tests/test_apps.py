"""The workshop apps driven from Python: type into the widgets, click, read the feedback and the store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okr_workshop.apps import (
    CascadeApp,
    CheckinsApp,
    CompanyObjectivesApp,
    FacilitatorDashboard,
    IndividualApp,
)
from okr_workshop.apps.checkins import checkin_records
from okr_workshop.apps.company import presentation_html
from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store
from okr_workshop.store.drafts import load_draft
from okr_workshop.tracking.checkins import history
from okr_workshop.tracking.review import adjust
from okr_workshop.workbook import Workbook, typed_frame

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
ANA = "ana.ortiz@brightwell.example"  # leader, sales
KWAME = "kwame.mensah@brightwell.example"  # manager, sales


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "workshop.db")
    store.write_workbook(read_workbook(EXAMPLE))
    return store


def _type_objective(form, title: str, key_results: list[str]) -> None:
    form.title.value = title
    while len(form.rows) < len(key_results):
        form.add_row()
    for row, text in zip(form.rows, key_results, strict=False):
        row.title.value = text


def test_feedback_appears_as_people_type_and_names_the_fix(store: Store) -> None:
    app = CompanyObjectivesApp(store=store)
    row = app.form.rows[0]
    assert row.check is None and row.feedback.value == ""  # nothing written, nothing said
    row.title.value = "Improve onboarding"
    no_number = next(f for f in row.findings if f.rule == "measurable.no-number")
    assert no_number.severity == "error" and "has no number" in no_number.message
    assert "from <today's value> to <target>" in no_number.suggestion
    assert not row.check.smart["measurable"]
    assert "from &lt;today" in row.feedback.value  # the suggestion is shown, escaped
    row.title.value = "Raise onboarding completion from 62% to 80% by 15 December"
    assert row.findings == [] and all(row.check.smart.values())
    assert "nothing to fix" in row.feedback.value


def test_leadership_writes_saves_and_the_store_holds_it(store: Store) -> None:
    app = CompanyObjectivesApp(store=store)
    app.person.dropdown.value = ANA
    _type_objective(app.form, "Make every rider feel looked after", [
        "Raise NPS from 31 to 40 by 15 December", "Cut the share of repairs reopened from 9% to 4%"])
    app.form.commitment.value = "committed"
    app.form.save_button.click()
    assert (app.form.message_kind, app.form.message) == ("success", "Saved as C4. It passes the SMART check.")
    assert "Saved as C4" in app.form.message_box.value
    saved = load_draft(store, "C4")
    assert saved.commitment == "committed" and saved.quarter == "2026-Q4"
    assert [kr.title for kr in saved.key_results] == ["Raise NPS from 31 to 40 by 15 December",
                                                        "Cut the share of repairs reopened from 9% to 4%"]
    assert "C4" in app.list.value and any(value == "C4" for _, value in app.objectives.options)


def test_an_objective_with_one_key_result_gets_an_objective_finding(store: Store) -> None:
    app = CompanyObjectivesApp(store=store)
    _type_objective(app.form, "Grow revenue 20%", ["Raise MRR from EUR 150k to EUR 180k"])
    assert [f.rule for f in app.form.objective_findings] == ["specific.objective-has-number",
                                                             "structure.too-few-key-results"]
    assert "has 1 key result" in app.form.objective_findings[1].message
    text = app.form.objective_feedback.value
    assert "carries a number" in text and "1 key result" in text


def test_bad_numbers_are_named_and_nothing_is_saved(store: Store) -> None:
    app = CompanyObjectivesApp(store=store)
    _type_objective(app.form, "Make every rider feel looked after", ["Raise NPS from 31 to 40"])
    app.form.rows[0].target.value = "forty"
    app.form.rows[0].confidence.value = "2"
    before = store.counts()
    app.form.save_button.click()
    assert app.form.problems == ["target: 'forty' is not a number"]
    assert app.form.message_kind == "error" and "• target: 'forty' is not a number" in app.form.message
    assert "target: &#x27;forty&#x27; is not a number" in app.form.message_box.value  # shown escaped
    app.form.rows[0].target.value = "40"
    assert app.form.problems == []
    app.form.save_button.click()
    assert app.form.message_kind == "error"
    assert "confidence" in app.form.message and "a number from 0 to 1" in app.form.message
    assert store.counts() == before


def test_editing_an_objective_and_removing_a_key_result(store: Store) -> None:
    app = CompanyObjectivesApp(store=store)
    _type_objective(app.form, "Make every rider feel looked after", ["Raise NPS from 31 to 40",
                                                                     "Cut reopened repairs from 9% to 4%"])
    app.form.save_button.click()
    other = CompanyObjectivesApp(store=store)  # a second participant's page
    other.objectives.value = "C4"
    other.edit_button.click()
    assert other.form.title.value == "Make every rider feel looked after"
    assert (other.form.message, other.form.message_kind) == ("Editing C4.", "info")
    other.form.rows[1].remove.click()
    other.form.save_button.click()
    assert [kr.id for kr in load_draft(store, "C4").key_results] == ["C4.1"]


def test_two_people_editing_one_objective_the_second_save_is_refused(store: Store) -> None:
    ana, kwame = CompanyObjectivesApp(store=store), CompanyObjectivesApp(store=store)  # two pages
    for app, person in ((ana, ANA), (kwame, KWAME)):
        app.person.dropdown.value = person
        app.objectives.value = "C1"
        app.edit_button.click()
    ana.form.title.value = "Grow revenue that lasts"
    kwame.form.title.value = "Grow revenue from loyal riders"
    ana.form.save_button.click()
    assert ana.form.message.startswith("Saved as C1.")
    kwame.form.save_button.click()
    message = kwame.form.message
    assert kwame.form.message_kind == "error" and "okr-msg error" in kwame.form.message_box.value
    assert "Someone saved C1 after you opened it (at " in message
    assert f"by {ANA}); nothing of yours was saved. Reload it to see their version" in message
    assert load_draft(store, "C1").title == "Grow revenue that lasts"  # the first save stands
    assert kwame.form.title.value == "Grow revenue from loyal riders"  # his text stays in his form to copy
    kwame.edit_button.click()  # reload: he sees her version and saves his change on top of it
    assert kwame.form.title.value == "Grow revenue that lasts"
    kwame.form.title.value = "Grow revenue from loyal riders"
    kwame.form.save_button.click()
    assert kwame.form.message.startswith("Saved as C1.") and kwame.form.message_kind == "success"
    assert load_draft(store, "C1").title == "Grow revenue from loyal riders"


def test_user_text_is_escaped_everywhere(store: Store) -> None:
    app = CompanyObjectivesApp(store=store)
    _type_objective(app.form, "<script>alert(1)</script> riders", ["<b>Raise</b> NPS from 31 to 40", "x"])
    app.form.save_button.click()
    app.refresh()
    for text in (app.list.value, app.form.rows[0].feedback.value):
        assert "<script>" not in text and "<b>Raise" not in text
    html = presentation_html(store.read_workbook("2026-Q4")["objectives"], store.read_workbook()["key_results"],
                             "2026-Q4")
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_presentation_view_shows_the_agreed_objectives_large(store: Store) -> None:
    app = CompanyObjectivesApp(store=store)
    app.present_button.value = True
    assert "Grow a loyal rider base across the city" in app.presentation.value
    assert app.workspace.layout.display == "none"
    app.present_button.value = False
    assert app.presentation.value == "" and app.workspace.layout.display is None


def test_participants_only_objectives_reach_their_participants_only(store: Store) -> None:
    title = "Grow into a confident solo mechanic during my first quarter"  # I-emeka-1, owner + one participant
    fleet = store.read_workbook()["people"].query("team == 'fleet'")["id"].tolist()
    people = [*fleet, ANA, KWAME]  # the owner, the participant, their team mates and people of another team
    individual, cascade = IndividualApp(store=store), CascadeApp(store=store)
    for person in people:
        seen = person in ("emeka.obi@brightwell.example", "dmitri.volkov@brightwell.example")
        individual.person.dropdown.value = person
        cascade.person.dropdown.value = person
        shown = individual.team_objectives.value + individual.mine.value + cascade.tree.value + cascade.gaps.value
        assert (title in shown) is seen, person
    assert title not in CompanyObjectivesApp(store=store).list.value + FacilitatorDashboard(store=store).figures.value


def test_an_individual_writes_an_objective_aligned_to_the_team(store: Store) -> None:
    app = IndividualApp(store=store)
    assert app.form is None
    app.person.dropdown.value = KWAME
    assert "SALES-1" in app.team_objectives.value
    form = app.form
    form.parent.value = "SALES-1"
    _type_objective(form, "Bring employers on board in the north of the city", [
        "Sign 4 employer contracts in the north by 15 December", "Grow employer-paid riders from 40 to 120"])
    form.save_button.click()
    assert form.message.startswith("Saved as I-kwame-1.")
    saved = load_draft(store, "I-kwame-1")
    assert saved.owner == KWAME and saved.parent == "SALES-1" and saved.level == "individual"
    assert "I-kwame-1" in app.mine.value


def test_a_team_lead_drafts_under_a_company_objective_and_the_gap_closes(store: Store) -> None:
    app = CascadeApp(store=store)
    assert "C1" in app.tree.value and "SALES-1" in app.tree.value
    app.person.dropdown.value = KWAME
    form = app.form
    assert form.team == "sales"
    form.parent.value = "C3"
    _type_objective(form, "Give the sales team tools that scale", [
        "Cut quote preparation time from 45 to 15 minutes", "Raise CRM data completeness from 60% to 90%"])
    form.save_button.click()
    assert form.message.startswith("Saved as SALES-3.")
    assert "SALES-3" in app.tree.value
    assert load_draft(store, "SALES-3").team == "sales"


def test_the_dashboard_counts_submissions_and_the_smart_pass_rate(store: Store) -> None:
    app = FacilitatorDashboard(store=store)
    room = app.room
    sales = next(team for team in room.teams if team.id == "sales")
    assert (sales.name, sales.people, sales.submitted, sales.objectives, sales.key_results) == (
        "Sales & Partnerships", 7, 4, 5, 13)
    assert (room.smart, room.key_results) == (71, 80) and room.pass_rate == pytest.approx(0.8875)
    assert room.key_results == sum(team.key_results for team in room.teams)
    assert room.rules["specific.vague-words"] == 2 and room.examples["specific.vague-words"][1].severity != "info"
    assert app.updated_at
    writer = IndividualApp(store=store)
    writer.person.dropdown.value = KWAME
    _type_objective(writer.form, "Bring employers on board in the north", [
        "Sign 4 employer contracts in the north by 15 December", "Grow employer-paid riders from 40 to 120"])
    writer.form.save_button.click()
    app.refresh_button.click()
    sales_now = next(team for team in app.room.teams if team.id == "sales")
    assert (sales_now.submitted, sales_now.objectives, sales_now.key_results) == (4, 6, 15)  # Kwame had one already
    assert app.room.key_results == room.key_results + 2


def test_the_dashboard_escapes_team_names(store: Store) -> None:
    text = FacilitatorDashboard(store=store).figures.value
    assert "SMART pass rate" in text and "<td>Sales &amp; Partnerships</td>" in text


def test_a_check_in_lands_with_its_history_and_charts(store: Store) -> None:
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 20))
    assert app.standings is None  # nobody picked yet
    assert (app.said, app.said_kind) == ("Pick your name to see your key results.", "info")
    app.person.dropdown.value = ANA
    assert (app.said, app.status.value) == ("", "")  # the status line is cleared once someone is picked
    assert [kr.id for kr in app.standings] == ["C1.1", "C1.2", "C1.3"]
    app.key_result.value = "C1.1"
    standing = app.standing
    assert (standing.id, standing.status, standing.current) == ("C1.1", "on_track", 2096.0)
    assert standing.expected == pytest.approx(0.554, abs=1e-3) and standing.measured is None
    assert "<svg" in app.charts.value and app.checkins == checkin_records(history(store, "C1.1"))
    before = len(app.checkins)
    app.value.value = "2,140"
    app.confidence.value = 0.8
    app.note.value = "Employer deal <b>signed</b>"
    app.save_button.click()
    assert (app.message, app.message_kind) == ("Recorded 2,140 for C1.1.", "success")
    assert len(app.checkins) == before + 1
    assert app.checkins[-1] == {"date": "2026-11-20", "value": 2140.0, "confidence": 0.8,
                                "note": "Employer deal <b>signed</b>", "author": ANA}
    assert (app.standing.current, app.standing.confidence) == (2140.0, 0.8)


def test_the_check_ins_app_escapes_what_people_wrote(store: Store) -> None:
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 20))
    app.person.dropdown.value = ANA
    app.key_result.value = "C1.1"
    app.value.value = "2,140"
    app.note.value = "Employer deal <b>signed</b>"
    app.save_button.click()
    assert "Employer deal &lt;b&gt;signed&lt;/b&gt;" in app.history.value
    assert "<b>signed" not in app.history.value


def test_the_check_ins_app_shows_what_changed_in_a_key_result_and_why(store: Store) -> None:
    adjust(store, "C1.1", {"target": "2,200"}, reason="Price rise <slowed> sign-ups", author=ANA, date="2026-11-02")
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 20))
    app.person.dropdown.value = ANA
    app.key_result.value = "C1.1"
    assert [{k: c[k] for k in ("date", "field", "old", "new", "reason", "author")} for c in app.changes] == [
        {"date": "2026-11-02", "field": "target", "old": "2300", "new": "2200",
         "reason": "Price rise <slowed> sign-ups", "author": ANA}]
    assert "Changed since the quarter began" in app.history.value
    app.key_result.value = "C1.2"
    assert app.changes == [] and "Changed since the quarter began" not in app.history.value


def test_the_planning_apps_show_the_lessons_of_the_last_review(store: Store) -> None:
    earlier = Workbook(tables={
        "objectives": typed_frame("objectives", [
            {"id": "OLD-SALES", "title": "Win the first employers", "level": "team", "team": "sales",
             "quarter": "2026-Q3"},
            {"id": "OLD-ANA", "title": "Learn the employer market", "level": "individual", "owner": ANA,
             "quarter": "2026-Q3"}]),
        "reflections": typed_frame("reflections", [
            {"objective": "OLD-SALES", "author": ANA, "date": "2026-09-30", "next": "carry",
             "learned": "HR teams decide in <b>spring</b>", "did_not_work": "Cold e-mails"},
            {"objective": "OLD-ANA", "author": ANA, "date": "2026-09-30", "next": "drop",
             "learned": "Trade fairs pay off"}]),
    })
    store.write_workbook(earlier)
    cascade = CascadeApp(store=store)
    cascade.person.dropdown.value = ANA
    shown = cascade.lessons.value
    assert "Lessons from the 2026-Q3 review" in shown and "carry into this quarter" in shown
    assert "HR teams decide in &lt;b&gt;spring&lt;/b&gt;" in shown and "Cold e-mails" in shown
    assert "OLD-ANA" not in shown  # the team's lessons; her own show where she writes her own
    mine = IndividualApp(store=store)
    mine.person.dropdown.value = ANA
    assert "Trade fairs pay off" in mine.lessons.value and "OLD-SALES" in mine.lessons.value
    other = IndividualApp(store=store)
    other.person.dropdown.value = KWAME
    assert "Trade fairs pay off" not in other.lessons.value


def test_changing_a_stored_key_result_after_the_quarter_began_needs_a_reason_and_is_recorded(store: Store) -> None:
    app = CascadeApp(store=store)
    app.person.dropdown.value = ANA
    app.edit("SALES-1")
    form = app.form
    assert form.reason.layout.display is None  # 2026-Q4 has begun: the form asks why
    row = next(r for r in form.rows if r.id == "SALES-1.1")
    before = store.counts()
    row.target.value = "999"
    assert form.save() is None
    assert form.message_kind == "error" and "reason" in form.message and store.counts() == before
    form.reason.value = "The employer pilot <doubled>"
    assert form.save() == "SALES-1"
    changes = store.read_workbook()["changes"]
    assert changes[["key_result", "field", "new", "author"]].values.tolist() == [["SALES-1.1", "target", "999", ANA]]
    assert changes["reason"].tolist() == ["The employer pilot <doubled>"]
    # a key result nobody has checked in on yet is still a draft: it changes freely
    form.reason.value = ""
    new_row = form.add_row()
    new_row.title.value, new_row.start.value, new_row.target.value = "Sign 3 employers in the harbour", "0", "3"
    assert form.save() == "SALES-1"
    new_row.target.value = "4"
    assert form.save() == "SALES-1", form.message
    assert len(store.read_workbook()["changes"]) == 1


def test_a_refused_check_in_says_why_and_writes_nothing(store: Store) -> None:
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 20))
    app.person.dropdown.value = ANA
    app.key_result.value = "C1.1"
    before = store.counts()["checkins"]
    app.value.value = "about two thousand"
    app.save_button.click()
    assert app.message_kind == "error" and "value" in app.message and "Nothing was written" in app.message
    assert store.counts()["checkins"] == before
