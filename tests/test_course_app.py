"""A simulated new hire walks the onboarding course through its widgets, fails with a weak draft, fixes it, passes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from okr_workshop.apps import OnboardingCourse
from okr_workshop.course.cohort import FINAL, attempts, cohort, record_attempt
from okr_workshop.course.lessons import grade_okrs
from okr_workshop.io import read_workbook, write_workbook
from okr_workshop.store.database import Store

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
ANSWERS = yaml.safe_load((ROOT / "tests" / "data" / "course_answers.yaml").read_text(encoding="utf-8"))
SARA = "sara.lindgren@brightwell.example"  # a new hire in product, with no objective yet


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "workshop.db")
    store.write_workbook(read_workbook(EXAMPLE))
    return store


@pytest.fixture
def any_store(db_url: str) -> Store:
    """The example company in a store, on SQLite and on PostgreSQL."""
    store = Store(db_url)
    store.write_workbook(read_workbook(EXAMPLE))
    yield store
    store.close()


def _answer(view, answer) -> None:
    kind = view.exercise.kind
    if kind == "sort":
        for sorter, bucket in zip(view.sorters, answer, strict=True):
            sorter.value = bucket
    elif kind == "choose":
        view.choice.value = answer
    else:
        view.rewrite.value = answer


def _wrong(view) -> None:
    kind = view.exercise.kind
    if kind == "sort":
        first = view.exercise.items[0].answer
        view.sorters[0].value = next(b for b in view.exercise.buckets if b != first)
    elif kind == "choose":
        view.choice.value = next(i for i, o in enumerate(view.exercise.options) if not o.correct)
    else:
        view.rewrite.value = view.exercise.key_result


def _write(form, title: str, key_results: list[str]) -> None:
    form.title.value = title
    while len(form.rows) < len(key_results):
        form.add_row()
    for row, text in zip(form.rows, key_results, strict=False):
        row.title.value = text


def test_a_new_hire_walks_the_course_fails_a_weak_draft_fixes_it_and_passes(store: Store, tmp_path: Path) -> None:
    app = OnboardingCourse(store=store, certificates=tmp_path / "certificates")
    app.person.dropdown.value = SARA
    assert (app.page, app.where, app.exercises_done) == (0, "Welcome", 0)
    for number, lesson in enumerate(app.course.lessons, start=1):
        app.next.click()
        assert (app.page, app.where) == (number, f"Lesson {number} of {len(app.course.lessons)}")
        assert lesson.title in app.page_box.children[0].children[0].value
        view = app.exercises[lesson.id]
        _wrong(view)
        view.check_button.click()
        assert view.result.passed is False and not view.passed and view.result.lines
        _answer(view, ANSWERS[lesson.id])
        view.check_button.click()
        assert view.result.passed and view.passed, (lesson.id, view.result.lines)
        assert app.exercises_done == number
    app.next.click()
    assert (app.page, app.where) == (len(app.pages) - 1, "Final exercise") and app.next.disabled
    assert "PRODUCT-1" in app.team_objectives.value

    # a weak first draft: no numbers, no alignment
    form = app.form
    form.parent.value = ""
    _write(form, "Get good at product discovery", ["Improve my interviewing", "Read more research"])
    form.save_button.click()
    app.submit_button.click()
    assert app.verdict.person == SARA and not app.verdict.passed
    assert any("measurable" in reason for reason in app.verdict.reasons)
    assert any("Align" in reason for reason in app.verdict.reasons)
    assert app.message_kind == "error" and app.message.startswith("Not yet")
    assert app.certificate_page == "" and not (tmp_path / "certificates").exists()

    # the fix: numbers, a date, aligned to the team
    form.parent.value = "PRODUCT-1"
    form.rows[0].title.value = ("Raise the share of roadmap items backed by 3 customer interviews "
                                "from 20% to 60% by 15 December")
    form.rows[1].title.value = "Cut the time from interview to shared insight from 10 days to 3 days by 15 December"
    form.save_button.click()
    app.submit_button.click()
    assert app.verdict.passed and app.verdict.reasons == [], app.message
    assert app.message_kind == "success" and app.message.startswith("Passed")
    files = sorted((tmp_path / "certificates").iterdir())
    assert [f.suffix for f in files] == [".html", ".pdf"] and sorted(app.certificate_files) == files
    assert "Sara Lindgren" in app.certificate_page
    page = files[0].read_text(encoding="utf-8")
    assert "Sara Lindgren" in page and "Get good at product discovery" in page
    assert files[1].read_bytes().startswith(b"%PDF")

    # recorded in the store, and the command line agrees
    tries = attempts(store, SARA)
    final = tries[tries["exercise"] == "final"]
    assert list(final["passed"]) == [False, True] and len(tries) == 2 * len(app.course.lessons) + 2
    figures = cohort(store, [SARA])
    assert figures.people.loc[SARA, "passed"] and figures.people.loc[SARA, "final_attempts"] == 2
    exported = tmp_path / "exported"
    write_workbook(store.read_workbook(), exported)
    done = subprocess.run([sys.executable, "-m", "okr_workshop", "course", "grade", str(exported), "--person",
                           SARA, "--format", "json"], capture_output=True, text=True, check=False)
    assert json.loads(done.stdout) == {"person": SARA, "passed": True, "reasons": []} and done.returncode == 0
    assert grade_okrs(store.read_workbook(), SARA).passed


def test_the_cohort_view_shows_attempts_and_common_mistakes(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    app = OnboardingCourse(store=store, certificates=tmp_path, pdf=False)
    app.person.dropdown.value = SARA
    app.go(len(app.pages) - 1)
    _write(app.form, "Learn the product", ["Improve my knowledge", "Talk to customers"])
    app.form.save_button.click()
    app.submit_button.click()
    app.tabs.selected_index = 1
    text = app.cohort.value
    assert f"<td>{SARA}</td><td>yes</td><td>0</td><td>1</td><td>–</td>" in text
    assert "paulina.wisniewska@brightwell.example</td><td>not yet" in text  # a new hire who has not started
    assert "Most common mistakes" in text and "measurable" in text


def test_attempts_come_back_in_order_with_their_types(any_store: Store) -> None:
    record_attempt(any_store, SARA, "l01", True, [])
    record_attempt(any_store, SARA, FINAL, False, ["PRODUCT-9: “Improve”: not measurable. Add a number"])
    record_attempt(any_store, SARA, FINAL, True, [])
    tries = attempts(any_store, SARA)
    assert tries["exercise"].tolist() == ["l01", FINAL, FINAL]
    assert tries["passed"].tolist() == [True, False, True] and tries["passed"].dtype == bool
    assert tries["reasons"].tolist()[1] == ["PRODUCT-9: “Improve”: not measurable. Add a number"]
    figures = cohort(any_store, [SARA])
    assert figures.people.loc[SARA, ["lessons", "final_attempts", "passed"]].tolist() == [1, 2, True]


def test_grading_without_a_person_asks_for_one(store: Store, tmp_path: Path) -> None:
    app = OnboardingCourse(store=store, certificates=tmp_path, pdf=False)
    app.go(len(app.pages) - 1)
    assert "Pick your name" in app.team_objectives.value
    app.submit_button.click()
    assert (app.message, app.message_kind) == ("Pick your name at the top first.", "error")
    assert app.verdict is None and attempts(store).empty


def test_a_rewritten_key_result_is_checked_as_it_is_typed_and_the_page_escapes_it(store: Store,
                                                                                 tmp_path: Path) -> None:
    app = OnboardingCourse(store=store, certificates=tmp_path, pdf=False)
    view = next(v for v in app.exercises.values() if v.exercise.kind == "fix")
    view.rewrite.value = ""
    assert view.check is None and view.live.value == ""
    view.rewrite.value = "Make the <b>app</b> nicer"
    assert view.check.facts.title == "Make the <b>app</b> nicer"
    assert "measurable" in {f.rule.split(".")[0] for f in view.check.findings}
    assert "&lt;b&gt;app&lt;/b&gt;" in view.live.value and "<b>app</b>" not in view.live.value
    view.check_button.click()
    assert not view.result.passed and "“Make the <b>app</b> nicer” has no number" in view.result.lines[0]
    assert "“Make the &lt;b&gt;app&lt;/b&gt; nicer” has no number" in view.feedback.value


# --------------------------------------------------------------------------- a count of new things starts at 0

DRAFT_OBJECTIVE = ("I-sara-1,Help riders fix small problems on their own,individual,2026-Q4,product,"
                   f"{SARA},PRODUCT-1,,aspirational,,")


def _draft(tmp_path: Path, key_results: list[str]) -> Path:
    """The example company with Sara's own draft added: real CSV files, as a learner exports them."""
    folder = tmp_path / "draft"
    write_workbook(read_workbook(EXAMPLE), folder)
    with (folder / "objectives.csv").open("a", encoding="utf-8") as handle:
        handle.write(DRAFT_OBJECTIVE + "\n")
    with (folder / "key_results.csv").open("a", encoding="utf-8") as handle:
        for number, row in enumerate(key_results, start=1):
            handle.write(f"I-sara-1.{number},I-sara-1,{row},{SARA},1,0.6\n")
    return folder


def _grade(folder: Path) -> tuple[dict, int]:
    done = subprocess.run([sys.executable, "-m", "okr_workshop", "course", "grade", str(folder), "--person", SARA,
                           "--format", "json"], capture_output=True, text=True, check=False)
    return json.loads(done.stdout), done.returncode


# key result rows: title,start,target,current,unit,due
VIDEOS = "Get 4 of my how-to videos watched to the end by 60% of viewers,,,,,"
FLATS = "Cut repair bookings for flat tyres from 120 to 90 a month,,,,,"


@pytest.mark.parametrize("first", [
    VIDEOS,
    "Publish 5 repair guides in the app,,,,,",
    "Sign 3 partner bike shops for roadside repairs,,,,,",
    "Win 6 new corporate fleets,,6,,fleets,",  # the target in its column, no start
])
def test_a_draft_counting_new_things_passes_without_a_start(tmp_path: Path, first: str) -> None:
    """A count of new things starts at 0: no "names the target but not where it starts", and the course passes."""
    folder = _draft(tmp_path, [first, FLATS])
    verdict, status = _grade(folder)
    assert verdict == {"person": SARA, "passed": True, "reasons": []} and status == 0, verdict
    graded = grade_okrs(read_workbook(folder), SARA)
    assert graded.passed
    counted = graded.check.objectives[0].key_results[0]
    assert counted.facts.parsed.from_zero
    assert "measurable.no-baseline" not in {f.rule for f in counted.findings}  # not even as a hint


def test_a_level_without_its_start_is_a_hint_not_a_failure(tmp_path: Path) -> None:
    """A target with no start is an ``info`` hint in the check: it does not hold the learner back."""
    folder = _draft(tmp_path, ["Raise the app's repair-booking rating to 4.6 out of 5,,,,,", FLATS])
    verdict = grade_okrs(read_workbook(folder), SARA)
    codes = {f.rule: f.severity for o in verdict.check.objectives for kr in o.key_results for f in kr.findings}
    assert codes.get("measurable.no-baseline") == "info"
    assert verdict.passed, verdict.reasons


@pytest.mark.parametrize(("first", "words"), [
    ("Make more how-to videos,,,,,", "not yet measurable"),
    ("Get 4 of my how-to videos watched to the end by 60% of viewers,,,,,2027-02-15", "not yet time-bound"),
])
def test_a_draft_that_is_not_measurable_or_falls_due_after_the_quarter_still_fails(
        tmp_path: Path, first: str, words: str) -> None:
    verdict, status = _grade(_draft(tmp_path, [first, FLATS]))
    assert not verdict["passed"] and status != 0
    assert any(words in reason and "I-sara-1.1" in reason for reason in verdict["reasons"]), verdict["reasons"]
