"""A team's quarter review end to end in a real browser on Voila: pick the team, score, reflect, retro, summary."""

from __future__ import annotations

import pytest

from okr_workshop.store.database import Store

from .helpers import foreign

pytestmark = pytest.mark.integration

KWAME = "kwame.mensah@brightwell.example"  # manager, sales


def _next_step(page, title: str) -> None:
    page.get_by_role("button", name="Next step").click()
    page.locator(".okr-card").get_by_role("heading", name=title, exact=True).wait_for()  # the guide's step


def _add_retro_line(page, kind: str, text: str) -> None:
    page.get_by_role("button", name=kind, exact=True).click()
    page.fill(".okr-retro-text textarea", text)
    page.get_by_role("button", name="Add to the retro").click()
    page.locator(".okr-columns li", has_text=text).wait_for()


def test_a_team_reviews_its_quarter_in_voila(workshop, page, page_requests, screenshot):
    page.goto(workshop.app_url("07_quarter_review"))
    page.wait_for_selector(".okr-app h2", timeout=90_000)
    page.get_by_text("Pick the team to review.").wait_for()
    page.locator(".okr-review-team select").select_option(label="Sales & Partnerships")
    page.get_by_text("The objectives we review").wait_for()
    page.locator("select").nth(1).select_option(label="Kwame Mensah (Sales & Partnerships)")

    _next_step(page, "Walk the objectives")
    page.locator(".okr-score", has_text="expected 0.7 (aspirational)").wait_for()
    page.locator(".okr-app svg").first.wait_for()  # the key results' path
    page.fill(".okr-final-score input", "0.5")
    page.fill(".okr-worked textarea", "A weekly pipeline review with the whole team")
    page.fill(".okr-did-not-work textarea", "Legal reviews at employers took a month")
    page.fill(".okr-learned textarea", "Send the contract summary in the first meeting")
    page.get_by_role("button", name="Carry over").click()
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Saved the reflection on SALES-1.").wait_for()
    screenshot(page, "07-review-objective")

    _next_step(page, "How sure were we")
    _next_step(page, "Start, stop, continue")
    _add_retro_line(page, "Stop", "Promising start dates before legal has read the contract")
    _add_retro_line(page, "Start", "Call employers in the first week of the quarter")
    _next_step(page, "Shout-outs")
    page.fill(".okr-shout-out-text textarea", "Sofia, for the harbour district list")
    page.get_by_role("button", name="Add shout-out").click()
    page.get_by_text("Sofia, for the harbour district list").wait_for()

    _next_step(page, "Summary and decisions")
    page.get_by_text("carry it over").wait_for()
    summary = page.inner_text("body")
    assert "Send the contract summary in the first meeting" in summary and "Traceback" not in summary
    screenshot(page, "07-review-summary")

    workbook = Store(workshop.store).read_workbook()
    reflection = workbook["reflections"].set_index(["objective", "author"]).loc[("SALES-1", KWAME)]
    assert (reflection["score"], reflection["next"]) == (0.5, "carry")
    retro = workbook["retro"]
    ours = set(zip(retro["team"], retro["kind"], retro["text"], strict=True))
    assert {("sales", "stop", "Promising start dates before legal has read the contract"),
            ("sales", "start", "Call employers in the first week of the quarter"),
            ("sales", "shout_out", "Sofia, for the harbour district list")} <= ours
    assert foreign(page_requests) == []
