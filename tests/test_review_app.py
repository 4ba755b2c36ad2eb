"""The quarter review app driven from Python against a real SQLite store of the example company."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okr_workshop.apps.review import ReviewApp, review_quarter
from okr_workshop.apps.review_pages import Agreed
from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store
from okr_workshop.tracking.review import adjust

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
KWAME = "kwame.mensah@brightwell.example"  # manager, sales
AFTER = dt.date(2027, 1, 8)  # a week after 2026-Q4 ended


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "workshop.db")
    store.write_workbook(read_workbook(EXAMPLE))
    return store


@pytest.fixture
def app(store: Store) -> ReviewApp:
    app = ReviewApp(store=store, today=AFTER)
    app.person.dropdown.value = KWAME  # the team follows the person: sales
    return app


def test_the_default_quarter_is_the_latest_ended_one_else_the_current_one() -> None:
    quarters = ["2026-Q3", "2026-Q4", "2027-Q1"]
    assert review_quarter(quarters, dt.date(2027, 1, 8)) == "2026-Q4"
    assert review_quarter(quarters, dt.date(2026, 12, 31)) == "2026-Q4"  # its last day: ended
    assert review_quarter(["2026-Q4"], dt.date(2026, 11, 20)) == "2026-Q4"  # none ended: the current one


def test_nothing_shows_until_a_team_is_picked(store: Store) -> None:
    app = ReviewApp(store=store, today=AFTER)
    assert app.quarter == "2026-Q4" and (app.said, app.said_kind) == ("Pick the team to review.", "info")
    assert "Pick the team to review." in app.status.value
    assert app.step == "team" and app.scores is None and app.current is None and app.agreed is None
    assert app.page.children == ()


def test_picking_yourself_picks_your_team_and_walks_its_objectives(app: ReviewApp) -> None:
    assert app.team.value == "sales"
    ids = ["SALES-1", "I-sofia-1", "SALES-2", "I-jonas-1"]
    assert [value for _, value in app.objective.options] == ids and [row.id for row in app.scores] == ids
    current = app.current
    assert (current.id, current.commitment, current.expected, current.verdict) == (
        "SALES-1", "aspirational", 0.7, "falling_short")
    assert current.score == pytest.approx(0.469, abs=1e-3)
    assert "Works council at the insurer said yes" in app.objective_view.value  # the last check-in note
    assert "<svg" in app.path.value
    assert app.reflection.score.value == "0.47"  # the computed score
    app.next_button.click()
    app.next_button.click()
    assert app.objective.value == "SALES-2" and (app.current.id, app.current.expected) == ("SALES-2", 1.0)
    assert app.current.commitment == "committed" and app.previous_button.disabled is False


def test_changes_made_during_the_quarter_show_with_their_reason(store: Store) -> None:
    adjust(store, "SALES-1.2", {"target": 14}, reason="Two <b>deals</b> moved to January", author=KWAME,
           date=dt.date(2026, 11, 2))
    app = ReviewApp(store=store, today=AFTER)
    app.team.value = "sales"
    assert "target 16 → 14, because Two &lt;b&gt;deals&lt;/b&gt; moved to January" in app.objective_view.value
    assert "<b>deals" not in app.objective_view.value


def test_each_step_shows_its_own_page(app: ReviewApp) -> None:
    app.guide.next.click()
    assert app.step == "objectives" and app.reflection.widget in app.page.children[-1:]
    app.go_to("retro")
    assert app.step == "retro" and app.retro_button in app.page.children
    app.go_to("summary")
    assert app.step == "summary" and app.page.children == (app.summary,)


def test_a_reflection_is_saved_with_the_agreed_score_and_decision(app: ReviewApp, store: Store) -> None:
    form = app.reflection
    form.score.value = "0.5"
    form.worked.value = "A weekly pipeline review with <script>"
    form.did_not_work.value = "Legal reviews took a month"
    form.learned.value = "Start legal early"
    form.next.value = "carry"
    form.save_button.click()
    assert (form.message, form.message_kind) == ("Saved the reflection on SALES-1.", "success")
    saved = store.read_workbook()["reflections"].set_index(["objective", "author"]).loc[("SALES-1", KWAME)]
    assert (saved["score"], saved["next"], saved["learned"]) == (0.5, "carry", "Start legal early")
    assert saved["date"].date() == AFTER
    assert app.agreed[0] == Agreed("SALES-1", app.current.title, 0.5, 0.7, "carry", "Start legal early")
    assert [row.decision for row in app.agreed[1:]] == [None, None, None]
    app.next_button.click()
    app.previous_button.click()
    assert form.score.value == "0.50" and form.next.value == "carry"  # your reflection comes back


def test_a_refused_reflection_says_why_and_writes_nothing(app: ReviewApp, store: Store) -> None:
    app.reflection.score.value = "7"
    app.reflection.save_button.click()
    message = app.reflection.message
    assert app.reflection.message_kind == "error" and "score" in message and "0 to 1" in message
    assert store.counts()["reflections"] == 0


def test_a_reflection_needs_an_author(store: Store) -> None:
    app = ReviewApp(store=store, today=AFTER)
    app.team.value = "sales"
    app.reflection.save_button.click()
    assert app.reflection.message_kind == "error" and app.reflection.message.startswith("Pick your name")
    assert store.counts()["reflections"] == 0


def test_the_retro_and_shout_outs_are_saved_and_shown_escaped(app: ReviewApp, store: Store) -> None:
    app.retro_kind.value = "stop"
    app.retro_text.value = "Promising <i>dates</i> before legal has read the contract"
    app.retro_button.click()
    app.retro_kind.value = "start"
    app.retro_text.value = "Call employers in the first week"
    app.retro_button.click()
    app.thanks_text.value = "Sofia, for the harbour district list"
    app.thanks_button.click()
    retro = store.read_workbook()["retro"]
    assert sorted(zip(retro["kind"], retro["team"], retro["quarter"], retro["author"], strict=True)) == [
        ("shout_out", "sales", "2026-Q4", KWAME), ("start", "sales", "2026-Q4", KWAME),
        ("stop", "sales", "2026-Q4", KWAME)]
    assert app.retro_text.value == "" and (app.retro_message, app.retro_message_kind) == ("Added.", "success")
    assert (app.thanks_message, app.thanks_message_kind) == ("Added.", "success")
    assert [(note["kind"], note["text"], note["author"]) for note in app.notes] == [
        ("stop", "Promising <i>dates</i> before legal has read the contract", KWAME),
        ("start", "Call employers in the first week", KWAME),
        ("shout_out", "Sofia, for the harbour district list", KWAME)]
    assert "Promising &lt;i&gt;dates&lt;/i&gt;" in app.retro_board.value
    summary = app.summary.value
    assert "Promising &lt;i&gt;dates&lt;/i&gt;" in summary and "Sofia, for the harbour district list" in summary
    assert "<i>" not in summary


def test_an_empty_retro_line_is_refused(app: ReviewApp, store: Store) -> None:
    app.retro_button.click()
    assert app.retro_message_kind == "error" and "text" in app.retro_message and app.thanks_message == ""
    assert store.counts()["retro"] == 0


def test_calibration_is_read_in_plain_words_once_the_quarter_has_ended(store: Store) -> None:
    app = ReviewApp(store=store, today=AFTER)
    app.team.value = "sales"
    assert app.calibration_reading.startswith("Over-confident by 58 points")
    early = ReviewApp(store=store, today=dt.date(2026, 11, 20))
    early.team.value = "sales"
    assert early.calibration_reading.startswith("The quarter ends on 31 December 2026")
