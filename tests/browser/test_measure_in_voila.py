"""Key results measured from data in a real browser on Voila: a query tried in the workshop form's
"Data source" area, and the check-ins app showing a measured key result's source and date, with no value
box, recording the person's confidence and note at the measured value."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from okr_workshop.measure import attach_source, detach_source, measure, stored_sources
from okr_workshop.store.database import Store
from okr_workshop.tracking.checkins import history

from .helpers import foreign

pytestmark = pytest.mark.integration

ANA = "ana.ortiz@brightwell.example"  # owns C1.1, "Raise active subscribers from 1,850 to 2,300"
SQL = "SELECT count(*) FROM subscribers WHERE joined <= :as_of"
JOINED = [dt.date(2026, 10, 1) + dt.timedelta(days=i % 60) for i in range(2175)]
MEASURED_ON = dt.date(2026, 11, 27)


@pytest.fixture
def analytics(tmp_path) -> str:
    """A real analytics SQLite file, one subscriber a row; its SQLAlchemy URL."""
    path = tmp_path / "analytics.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE subscribers (id INTEGER PRIMARY KEY, joined TEXT NOT NULL)")
        conn.executemany("INSERT INTO subscribers (joined) VALUES (?)", [(d.isoformat(),) for d in JOINED])
    conn.close()
    return f"sqlite:///{path}"


@pytest.fixture
def measured_c1_1(workshop, analytics):
    """C1.1 in the workshop's store with the subscriber query attached and measured on 27 November."""
    store = Store(workshop.store)
    attach_source(store, "C1.1", db=analytics, sql=SQL, by=ANA)
    (outcome,) = measure(store, [s for s in stored_sources(store) if s.key_result == "C1.1"], MEASURED_ON)
    assert outcome.ok, outcome.error
    try:
        yield store, outcome
    finally:
        detach_source(store, "C1.1")  # the session's store, as the other tests expect it
        store.close()


def test_a_participant_tries_a_query_in_the_data_source_area(workshop, analytics, page, page_requests, screenshot):
    page.goto(workshop.app_url("01_company_objectives"))
    page.wait_for_selector(".okr-app h2", timeout=90_000)
    page.locator("select").first.select_option(label="Ana Ortiz (Sales & Partnerships)")
    page.locator("select").nth(1).select_option(label="C1 · Grow a loyal rider base across the city")
    page.get_by_role("button", name="Open in the form").click()
    page.get_by_text("Editing C1.").wait_for()
    areas = page.locator(".okr-data-source")
    areas.nth(2).wait_for()  # one for each of C1's three key results
    assert areas.count() == 3
    queries = page.get_by_placeholder("SELECT count(*)")
    assert all(queries.nth(i).is_hidden() for i in range(queries.count()))  # collapsed until opened
    areas.first.get_by_text("Data source", exact=True).click()
    page.get_by_placeholder("sqlite:///analytics.db").first.fill(analytics)
    queries.first.fill(SQL)
    page.get_by_role("button", name="Test the query").click()
    today = sum(joined <= dt.date.today() for joined in JOINED)
    page.locator(".okr-msg", has_text=f"Today it gives {today:,} for C1.1 (analytics.db").wait_for()
    screenshot(page, "01-company-data-source-tested")
    assert stored_sources(Store(workshop.store)) == []  # trying writes nothing
    assert foreign(page_requests) == []


def test_the_check_ins_app_shows_a_measured_key_result(workshop, measured_c1_1, page, page_requests, screenshot):
    store, outcome = measured_c1_1
    page.goto(workshop.app_url("05_checkins"))
    page.wait_for_selector(".okr-app h2", timeout=90_000)
    page.locator("select").first.select_option(label="Ana Ortiz (Sales & Partnerships)")
    shown = f"measured from {outcome.source.described()}, 2026-11-27"
    page.locator(".okr-measured", has_text=shown).wait_for()
    page.locator("select").nth(1).select_option(label="C1.1 · Raise active subscribers from 1,850 to 2,300")
    page.locator(".okr-msg", has_text=f"C1.1 is {shown}").wait_for()
    assert page.get_by_placeholder("today's value").is_hidden()
    page.get_by_placeholder("What moved it").fill("The employer pilot brought the first corporate riders")
    page.get_by_role("button", name="Record check-in").click()
    value = sum(joined <= MEASURED_ON for joined in JOINED)
    page.get_by_text(f"Recorded confidence 0.7 for C1.1; its value stays {value:,}.").wait_for()
    page.locator("td", has_text="The employer pilot brought the first corporate riders").wait_for()
    assert "Traceback" not in page.inner_text("body")
    screenshot(page, "05-checkins-measured")
    latest = history(store, "C1.1").iloc[-1]
    assert (latest["value"], latest["confidence"], latest["author"]) == (value, 0.7, ANA)
    assert latest["note"] == "The employer pilot brought the first corporate riders"
    assert foreign(page_requests) == []
