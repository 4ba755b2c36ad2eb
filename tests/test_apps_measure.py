"""Key results measured from data in the apps: a source attached and tried in the workshop form, then the
check-ins app showing where the value comes from and asking a person only for confidence and a note.

Everything runs against a real SQLite store of the example company and a real analytics SQLite file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from okr_workshop.apps import CheckinsApp, CompanyObjectivesApp
from okr_workshop.apps.checkins import Measured
from okr_workshop.apps.data_source import DataSourcePanel
from okr_workshop.io import read_workbook
from okr_workshop.measure import AUTHOR, Source, measure, stored_sources
from okr_workshop.store.database import Store, measures_table
from okr_workshop.tracking.checkins import history, record_checkin
from okr_workshop.tracking.status import build_status

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
ANA = "ana.ortiz@brightwell.example"  # leader, owns C1.1 and C1.3
SQL = "SELECT count(*) FROM subscribers WHERE joined <= :as_of"
SIGNUPS = [dt.date(2026, 10, 1) + dt.timedelta(days=i % 60) for i in range(2175)]  # 1 October to 29 November
MEASURED_ON = dt.date(2026, 11, 27)


def subscribers_on(day: dt.date) -> int:
    """What the query should count: the subscribers who joined on or before ``day``."""
    return sum(joined <= day for joined in SIGNUPS)


def digest(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()[:10]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "workshop.db")
    store.write_workbook(read_workbook(EXAMPLE))
    return store


def analytics_db(path: Path) -> str:
    """A real analytics SQLite file with one subscriber a row; its SQLAlchemy URL."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE subscribers (id INTEGER PRIMARY KEY, joined TEXT NOT NULL)")
        conn.executemany("INSERT INTO subscribers (joined) VALUES (?)", [(d.isoformat(),) for d in SIGNUPS])
    conn.close()
    return f"sqlite:///{path}"


@pytest.fixture
def analytics(tmp_path: Path) -> str:
    return analytics_db(tmp_path / "analytics.db")


def open_c1(store: Store) -> CompanyObjectivesApp:
    """The company app with Ana editing C1, as she would open it."""
    app = CompanyObjectivesApp(store=store)
    app.person.dropdown.value = ANA
    app.objectives.value = "C1"
    app.edit_button.click()
    return app


def panel_of(app: CompanyObjectivesApp, key_result: str) -> DataSourcePanel:
    return next(row.source_panel for row in app.form.rows if row.id == key_result)


def attach(store: Store, analytics: str, key_result: str = "C1.1") -> None:
    """Attach the subscriber query to ``key_result`` through the form, as a participant does."""
    panel = panel_of(open_c1(store), key_result)
    panel.db.value, panel.sql.value = analytics, SQL
    assert panel.attach(), panel.message.value


def measures_rows(store: Store) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.select(measures_table)).mappings()]


# --------------------------------------------------------------------------------------------- the form


def test_only_saved_key_results_get_a_data_source_area_and_it_starts_collapsed(store: Store) -> None:
    app = open_c1(store)
    saved = [row for row in app.form.rows if row.id]
    assert [row.id for row in saved] == ["C1.1", "C1.2", "C1.3"]
    for row in saved:
        assert row.source_panel.widget in row.box.children
        assert row.source_panel.widget.selected_index is None  # collapsed until opened
        assert row.source_panel.widget.get_title(0) == "Data source"
    new = app.form.add_row()
    new.title.value, new.start.value, new.target.value = "Grow referrals from 40 to 90 a month", "40", "90"
    assert new.source_panel is None
    app.form.reason.value = "A referral scheme starts in November"
    assert app.form.save() == "C1", app.form.message
    assert new.id == "C1.4" and new.source_panel is not None and new.source_panel.key_result == "C1.4"


def test_the_query_is_tried_for_today_then_attached_by_the_forms_owner(store: Store, analytics: str) -> None:
    panel = panel_of(open_c1(store), "C1.1")
    panel.db.value, panel.sql.value = analytics, SQL
    before = store.counts()
    expected = subscribers_on(dt.date.today())
    panel.test_button.click()
    shown = panel.message.value
    assert f"Today it gives {expected:,} for C1.1 (analytics.db, query {digest(SQL)})." in shown
    assert "okr-msg success" in shown
    assert store.counts() == before and measures_rows(store) == []  # trying writes nothing
    panel.attach_button.click()
    assert "Attached: okr-workshop measure records C1.1 from analytics.db" in panel.message.value
    assert panel.widget.get_title(0) == "Data source: attached"
    (row,) = measures_rows(store)
    assert (row["key_result"], row["db"], row["sql"], row["saved_by"]) == ("C1.1", analytics, SQL, ANA)
    again = panel_of(open_c1(store), "C1.1")  # opened later: the attached source is in the boxes
    assert (again.db.value, again.sql.value) == (analytics, SQL)
    assert f"Attached: analytics.db, query {digest(SQL)}." in again.message.value
    again.detach_button.click()
    assert measures_rows(store) == [] and again.widget.get_title(0) == "Data source"
    assert "C1.1 is checked in by hand again" in again.message.value


@pytest.mark.parametrize(("sql", "reason"), [
    ("SELECT count(*) FROM subscriber", "the query failed: no such table: subscriber"),
    ("SELECT '<b>many</b>'", "gave &#x27;&lt;b&gt;many&lt;/b&gt;&#x27;, not a number"),
    ("SELECT joined FROM subscribers", "the query returned several rows"),
])
def test_a_bad_query_shows_the_reason_escaped_and_writes_nothing(store: Store, analytics: str, sql: str,
                                                                 reason: str) -> None:
    panel = panel_of(open_c1(store), "C1.1")
    panel.db.value, panel.sql.value = analytics, sql
    before = store.counts()
    panel.test_button.click()
    shown = panel.message.value
    assert "okr-msg error" in shown and f"It gives no value (analytics.db, query {digest(sql)}): " in shown
    assert reason in shown and "<b>many" not in shown
    assert store.counts() == before and measures_rows(store) == []


def test_a_password_in_the_database_url_is_never_shown(store: Store) -> None:
    panel = panel_of(open_c1(store), "C1.1")
    panel.db.value, panel.sql.value = "postgresql://ana:s3cret-pw@127.0.0.1:1/analytics", SQL
    panel.test_button.click()
    assert "postgresql://ana:***@127.0.0.1:1/analytics" in panel.message.value
    assert "s3cret" not in panel.message.value
    panel.attach_button.click()
    assert "s3cret" not in panel.message.value
    reopened = panel_of(open_c1(store), "C1.1")
    assert reopened.db.value == "" and reopened.sql.value == SQL  # the URL holding the password stays out
    assert "s3cret" not in reopened.message.value


def test_an_incomplete_source_is_named_and_nothing_is_attached(store: Store, analytics: str) -> None:
    panel = panel_of(open_c1(store), "C1.1")
    panel.db.value = analytics
    panel.test_button.click()
    assert "Give a database URL and a SQL query, or the path of a notebook." in panel.message.value
    panel.sql.value, panel.notebook.value = SQL, "measures/subscribers.ipynb"
    panel.attach_button.click()
    assert "not both" in panel.message.value and measures_rows(store) == []


# --------------------------------------------------------------------------------------------- the check-ins app


def test_a_measured_key_result_shows_its_source_and_takes_only_confidence_and_a_note(store: Store,
                                                                                      analytics: str) -> None:
    attach(store, analytics)
    (outcome,) = measure(store, stored_sources(store), MEASURED_ON)
    assert outcome.ok, outcome.error
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 30))
    app.person.dropdown.value = ANA
    shown = Measured(f"analytics.db, query {digest(SQL)}", MEASURED_ON)
    assert {kr.id: kr.measured for kr in app.standings} == {"C1.1": shown, "C1.2": None, "C1.3": None}
    app.key_result.value = "C1.3"  # checked in by hand
    assert app.standing.measured is None and app.value.layout.display is None and app.measured_line.value == ""
    app.key_result.value = "C1.1"
    assert app.standing.measured == shown and app.value.layout.display == "none"
    assert f"measured from analytics.db, query {digest(SQL)}, 2026-11-27" in app.measured_line.value
    progress = _progress(store, "C1.1")
    app.confidence.value = 0.4
    app.note.value = "Sign-ups <slowed> after the price change"
    app.save_button.click()
    value = subscribers_on(MEASURED_ON)
    assert (app.message, app.message_kind) == (f"Recorded confidence 0.4 for C1.1; its value stays {value:,}.",
                                               "success")
    latest = history(store, "C1.1").iloc[-1]
    assert (latest["date"].date(), latest["value"], latest["confidence"], latest["author"], latest["note"]) == (
        dt.date(2026, 11, 30), value, 0.4, ANA, "Sign-ups <slowed> after the price change")
    assert _progress(store, "C1.1") == progress  # the person's word moves no progress
    assert app.standing.measured == shown and app.measured == {"C1.1": shown}  # still measured
    assert app.checkins[-1]["note"] == "Sign-ups <slowed> after the price change"


def test_measured_by_a_measures_file_until_a_person_gives_another_value(store: Store, tmp_path: Path) -> None:
    """No source attached: the key result counts as measured while its latest value came from ``measure``."""
    url = analytics_db(tmp_path / "sales<q4>.db")
    measure(store, [Source("C1.1", 3, db=url, sql=SQL)], MEASURED_ON)
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 30))
    app.person.dropdown.value = ANA
    assert app.measured == {"C1.1": Measured(f"sales<q4>.db, query {digest(SQL)}", MEASURED_ON)}
    assert f"measured from sales&lt;q4&gt;.db, query {digest(SQL)}, 2026-11-27" in app.overview.value
    assert "sales<q4>" not in app.overview.value  # the overview escapes a source's name
    app.key_result.value = "C1.1"
    app.save_button.click()  # confidence and no note: carries the measured value, stays measured
    assert "C1.1" in app.measured
    record_checkin(store, "C1.1", "2,050", confidence=0.6, author=ANA, date="2026-11-30")
    app.refresh()
    assert "C1.1" not in app.measured and "okr-measured" not in app.overview.value
    assert app.standing.measured is None and app.standing.current == 2050.0
    assert app.value.layout.display is None


def test_a_source_not_run_yet_says_so_and_a_check_in_before_any_value_writes_nothing(store: Store,
                                                                                      analytics: str) -> None:
    attach(store, analytics, "C1.3")
    app = CheckinsApp(store=store, today=dt.date(2026, 11, 30))
    app.person.dropdown.value = ANA
    assert app.measured == {"C1.3": Measured(f"analytics.db, query {digest(SQL)}")}
    assert f"measured from analytics.db, query {digest(SQL)}, no value measured yet" in app.overview.value
    app.key_result.value = "C1.3"
    app.date.value = dt.date(2026, 10, 1)  # before the first value anyone recorded
    before = store.counts()["checkins"]
    app.save_button.click()
    assert app.message_kind == "error"
    assert app.message.startswith("C1.3 has no value on record on or before 2026-10-01 yet")
    assert store.counts()["checkins"] == before
    assert not any(c.author == AUTHOR for c in history(store, "C1.3").itertuples())


def _progress(store: Store, key_result: str) -> float:
    report = build_status(store.read_workbook("2026-Q4"), as_of=dt.date(2026, 11, 30), quarter="2026-Q4")
    return float(report.key_results.set_index("id").loc[key_result, "progress"])
