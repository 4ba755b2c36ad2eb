"""The workshop apps in a real browser on a real Voila server: feedback while typing, saving, two people at once."""

from __future__ import annotations

import re

import pytest

from okr_workshop.store.database import Store
from okr_workshop.store.drafts import load_draft

from .helpers import foreign

pytestmark = pytest.mark.integration

KR_INPUT = ".okr-kr-title input"
FEEDBACK = ".okr-feedback"
APPS = ["01_company_objectives", "02_cascade", "03_individual_okrs", "04_onboarding_course", "05_checkins",
        "06_facilitator_dashboard"]


def _open(page, workshop, notebook: str) -> None:
    page.goto(workshop.app_url(notebook))
    page.wait_for_selector(".okr-app h2", timeout=90_000)


def _saved_id(page) -> str:
    page.wait_for_selector("text=/Saved as [A-Z]/", timeout=60_000)
    return re.search(r"Saved as ([\w.-]+?)\.", page.inner_text("body"))[1]


def test_write_check_fix_and_save_a_company_objective(workshop, page, page_requests, screenshot):
    _open(page, workshop, "01_company_objectives")
    page.fill(".okr-objective-title input", "Make every rider feel looked after")
    first = page.locator(KR_INPUT).nth(0)
    first.fill("Improve onboarding")
    feedback = page.locator(FEEDBACK).nth(0)
    feedback.locator("text=has no number").wait_for()
    assert "from <today's value> to <target>" in feedback.inner_text()
    screenshot(page, "01-company-feedback-on-a-weak-key-result")
    first.fill("Raise onboarding completion from 62% to 80% by 15 December")
    feedback.locator("text=nothing to fix").wait_for()
    page.locator(KR_INPUT).nth(1).fill("Cut average repair turnaround from 72 h to 36 h")
    page.locator(".okr-save").click()
    objective = _saved_id(page)
    saved = load_draft(Store(workshop.store), objective)
    assert saved.title == "Make every rider feel looked after"
    assert [kr.title for kr in saved.key_results] == ["Raise onboarding completion from 62% to 80% by 15 December",
                                                        "Cut average repair turnaround from 72 h to 36 h"]
    screenshot(page, "01-company-saved")
    assert foreign(page_requests) == []


def test_two_people_saving_at_the_same_time_both_land(workshop, browser):
    pages = []
    for n in range(2):
        context = browser.new_context()
        context.set_default_timeout(90_000)
        page = context.new_page()
        _open(page, workshop, "01_company_objectives")
        page.fill(".okr-objective-title input", f"Be the city's favourite bike service, draft {n}")
        page.locator(KR_INPUT).nth(0).fill(f"Raise NPS from 31 to {40 + n} by 15 December")
        page.locator(KR_INPUT).nth(1).fill("Cut repeat repairs from 9% to 4% by 15 December")
        pages.append(page)
    for page in pages:  # click both before waiting for either
        page.locator(".okr-save").click(no_wait_after=True)
    ids = [_saved_id(page) for page in pages]
    assert len(set(ids)) == 2
    store = Store(workshop.store)
    titles = {load_draft(store, i).title for i in ids}
    assert titles == {"Be the city's favourite bike service, draft 0", "Be the city's favourite bike service, draft 1"}
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("notebook", APPS)
def test_every_app_renders_offline_without_errors(workshop, page, page_requests, screenshot, notebook):
    _open(page, workshop, notebook)
    select = page.locator(".okr-app").first
    assert select.is_visible()
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("Worth discussing")[0]
    if page.locator("select").count():  # pick the first person, as a participant would
        choices = page.locator("select").first.locator("option")
        if choices.count() > 1:
            page.locator("select").first.select_option(index=2)
            page.wait_for_timeout(1500)
    screenshot(page, notebook)
    assert foreign(page_requests) == []
