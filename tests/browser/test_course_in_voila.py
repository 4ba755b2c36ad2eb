"""A new hire passes the onboarding course in a real browser on Voila: every exercise, then their own OKRs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from okr_workshop.course.cohort import attempts
from okr_workshop.course.lessons import load_course
from okr_workshop.store.database import Store

from .helpers import ROOT, foreign

pytestmark = pytest.mark.integration

ANSWERS = yaml.safe_load((ROOT / "tests" / "data" / "course_answers.yaml").read_text(encoding="utf-8"))
PAULINA = "paulina.wisniewska@brightwell.example"  # a new hire in marketing


def _answer(page, exercise, answer) -> None:
    if exercise.kind == "sort":
        groups = page.locator(".widget-toggle-buttons")
        for position, bucket in enumerate(answer):
            groups.nth(position).locator("button", has_text=bucket).first.click()
    elif exercise.kind == "choose":
        page.locator(".widget-radio-box label").nth(answer).click()
    else:
        page.locator(".okr-kr-title input").fill(answer)


def test_a_new_hire_passes_the_course_in_voila(workshop, page, page_requests, screenshot, tmp_path: Path):
    course = load_course()
    page.goto(workshop.app_url("04_onboarding_course"))
    page.wait_for_selector(".okr-app h2", timeout=90_000)
    page.locator("select").first.select_option(label="Paulina Wiśniewska (Marketing)")
    for number, lesson in enumerate(course.lessons, start=1):
        page.get_by_role("button", name="Next").click()
        page.get_by_text(f"Lesson {number} of {len(course.lessons)}").wait_for()
        _answer(page, lesson.exercise, ANSWERS[lesson.id])
        page.get_by_role("button", name="Check my answer").click()
        page.locator(".okr-msg.success").wait_for()
        if number == 4:
            screenshot(page, "04-course-lesson-exercise")
    page.get_by_role("button", name="Next").click()
    page.get_by_text("Final exercise: your own OKRs").wait_for()
    page.locator(".okr-objective-title input").fill("Make our newsletter something riders look forward to")
    inputs = page.locator(".okr-kr-title input")
    inputs.nth(0).fill("Improve the newsletter")
    inputs.nth(1).fill("Write more articles")
    page.locator(".okr-save").click()
    page.get_by_text("Saved as").wait_for()
    page.get_by_role("button", name="Submit my OKRs for grading").click()
    page.get_by_text("Not yet.").wait_for()
    screenshot(page, "04-course-feedback-on-a-weak-draft")
    inputs.nth(0).fill("Raise the newsletter open rate from 31% to 42% by 15 December")
    inputs.nth(1).fill("Grow newsletter sign-ups from the app from 120 to 300 a month by 15 December")
    page.locator(".okr-save").click()
    page.get_by_role("button", name="Submit my OKRs for grading").click()
    page.get_by_text("Passed. Well done!").wait_for(timeout=90_000)
    page.frame_locator("iframe[title=certificate]").get_by_text("Paulina Wiśniewska").wait_for()
    screenshot(page, "04-course-certificate")
    tries = attempts(Store(workshop.store), PAULINA)
    assert list(tries.loc[tries["exercise"] == "final", "passed"]) == [False, True]
    assert set(tries.loc[tries["passed"], "exercise"]) == {lesson.id for lesson in course.lessons} | {"final"}
    assert foreign(page_requests) == []
