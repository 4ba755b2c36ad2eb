"""The onboarding course's content: ten lessons in order, short Markdown texts, and exercises that grade right.

The right answers live in ``tests/data/course_answers.yaml`` (by lesson id), so
the app tests can walk the same course; here every right answer must pass and
a wrong one must fail, with the real graders and the real SMART check.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from okr_workshop.course.lessons import grade_choice, grade_fix, grade_sort, load_course
from okr_workshop.smart.check import check_key_result
from okr_workshop.smart.language.kinds import classify

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "templates" / "course"
ANSWERS = yaml.safe_load((Path(__file__).parent / "data" / "course_answers.yaml").read_text(encoding="utf-8"))
QUARTER = "2026-Q4"

LESSON_IDS = [
    "what-are-okrs", "okr-vs-kpi", "building-blocks", "outcomes-over-outputs", "smart",
    "as-measured-by", "from-x-to-y", "committed-vs-aspirational", "alignment", "checkins-and-grading",
]

COURSE = load_course(FOLDER)
LESSONS = {lesson.id: lesson for lesson in COURSE.lessons}


def _sentences(text: str) -> int:
    """Sentences in a short text: ends of . ! ? followed by a space or the end (decimals like 0.25 do not end one)."""
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


def _words(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- the course file


def test_the_course_loads_with_its_lessons_in_order():
    assert [lesson.id for lesson in COURSE.lessons] == LESSON_IDS
    assert COURSE.title.strip()
    assert 2 <= _sentences(COURSE.intro) <= 4


def test_the_default_course_is_this_one():
    assert [lesson.id for lesson in load_course().lessons] == LESSON_IDS


def test_the_final_exercise_states_what_passes():
    final = COURSE.final.lower()
    for words in ("one to three objectives", "two to five key results", "measurable", "time-bound", "team"):
        assert words in final, words


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_lesson_names_its_markdown_file_and_a_sensible_length(lesson_id):
    lesson = LESSONS[lesson_id]
    number = LESSON_IDS.index(lesson_id) + 1
    assert lesson.text == f"lessons/{number:02d}-{lesson_id}.md"
    assert (FOLDER / lesson.text).is_file()
    assert 3 <= lesson.minutes <= 8
    assert lesson.title.strip()


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_lesson_texts_are_short_plain_markdown(lesson_id):
    body = LESSONS[lesson_id].body
    assert 120 <= _words(body) <= 300, _words(body)
    assert not re.search(r"^#{1,2}\s", body, re.MULTILINE), "no headings above level 3"
    assert not re.search(r"<[A-Za-z/!]", body), "no HTML"
    assert "![" not in body, "no images"
    assert not re.search(r"https?://|www\.|\]\(", body, re.IGNORECASE), "no links to other hosts"


def test_every_kind_of_exercise_is_used_at_least_three_times():
    kinds = Counter(lesson.exercise.kind for lesson in COURSE.lessons)
    assert set(kinds) == {"sort", "choose", "fix"}
    assert min(kinds.values()) >= 3, kinds


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_prompts_and_explanations_are_one_or_two_sentences(lesson_id):
    exercise = LESSONS[lesson_id].exercise
    texts = [exercise.prompt] + [i.why for i in exercise.items] + [o.why for o in exercise.options]
    for text in texts:
        assert 1 <= _sentences(text) <= 2, text


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_exercises_have_the_right_shape_for_their_kind(lesson_id):
    exercise = LESSONS[lesson_id].exercise
    if exercise.kind == "sort":
        assert 4 <= len(exercise.items) <= 6
        assert {i.answer for i in exercise.items} == set(exercise.buckets), "every bucket is used"
    elif exercise.kind == "choose":
        assert exercise.question
        assert 3 <= len(exercise.options) <= 4
        assert sum(o.correct for o in exercise.options) == 1
    else:
        assert exercise.key_result and exercise.hint


def test_outcome_and_output_labels_agree_with_the_classifier():
    sorts = [lesson.exercise for lesson in COURSE.lessons
             if lesson.exercise.kind == "sort" and {"outcome", "output"} <= set(lesson.exercise.buckets)]
    assert sorts
    for exercise in sorts:
        for item in exercise.items:
            assert classify(item.text).kind == item.answer, item.text


@pytest.mark.parametrize("lesson_id", [i for i in LESSON_IDS if LESSONS[i].exercise.kind == "fix"])
def test_the_weak_key_result_of_a_fix_exercise_fails_the_check(lesson_id):
    result = check_key_result(LESSONS[lesson_id].exercise.key_result, quarter=QUARTER)
    assert any(f.severity in ("error", "warning") for f in result.findings)


def test_the_score_in_the_grading_exercise_is_what_the_scoring_computes():
    from okr_workshop.tracking.scoring import grade, score_key_result

    exercise = LESSONS["checkins-and-grading"].exercise
    right = exercise.options[ANSWERS["checkins-and-grading"]].text
    score = score_key_result(12, 4, 10).progress
    assert score == pytest.approx(0.25)
    assert right == f"{score:g}, {grade(score)}"


# --------------------------------------------------------------------------- walking the course with the answers


def test_the_answers_cover_every_lesson():
    assert set(ANSWERS) == set(LESSON_IDS)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_the_right_answer_passes(lesson_id):
    exercise = LESSONS[lesson_id].exercise
    answer = ANSWERS[lesson_id]
    if exercise.kind == "sort":
        assert len(answer) == len(exercise.items)
        feedback = grade_sort(exercise, dict(enumerate(answer)))
    elif exercise.kind == "choose":
        feedback = grade_choice(exercise, answer)
    else:
        feedback = grade_fix(exercise, answer, quarter=QUARTER)
    assert feedback.passed, feedback.lines
    assert feedback.lines


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_a_wrong_answer_fails_and_says_why(lesson_id):
    exercise = LESSONS[lesson_id].exercise
    answer = ANSWERS[lesson_id]
    if exercise.kind == "sort":
        for position, right in enumerate(answer):
            flipped = dict(enumerate(answer))
            flipped[position] = next(b for b in exercise.buckets if b != right)
            feedback = grade_sort(exercise, flipped)
            assert not feedback.passed
            assert any(line.startswith("✗") and exercise.items[position].why in line for line in feedback.lines)
        assert not grade_sort(exercise, {}).passed
    elif exercise.kind == "choose":
        for position, option in enumerate(exercise.options):
            if position != answer:
                feedback = grade_choice(exercise, position)
                assert not feedback.passed
                assert option.why in feedback.lines[0]
        assert not grade_choice(exercise, None).passed
    else:
        for weak in (exercise.key_result, exercise.key_result + " ", ""):
            assert not grade_fix(exercise, weak, quarter=QUARTER).passed


@pytest.mark.parametrize("lesson_id", [i for i in LESSON_IDS if LESSONS[i].exercise.kind == "fix"])
def test_the_model_rewrite_is_an_outcome(lesson_id):
    assert classify(ANSWERS[lesson_id]).kind == "outcome"


def test_the_readme_tells_a_facilitator_how_to_adapt_the_course():
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    for word in ("course.yaml", "sort", "choose", "fix", "buckets", "options", "key_result"):
        assert word in readme, word
