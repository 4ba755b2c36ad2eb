"""The onboarding course: lessons, exercises with immediate feedback, and the graded final exercise.

The lessons and exercises are data (``templates/course/course.yaml`` and the
Markdown files it names), so a facilitator adapts the course without code.
This module loads them, grades every kind of exercise, and grades the final
exercise: a new hire's own OKRs, which pass when

- there are one to three objectives, each with two to five key results;
- no check finding is an error;
- every key result is measurable and time-bound (no error or warning on either; an ``info`` hint,
  such as a target without its start, does not hold a learner back, and a count of new things
  such as "Sign 3 partners" starts at 0 anyway);
- at least one objective aligns to one of the learner's team's objectives.

Pure Python: the widgets live in :mod:`okr_workshop.apps.course`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from okr_workshop.exceptions import Problem, WorkbookError
from okr_workshop.library import templates_folder
from okr_workshop.smart.check import Checker, WorkbookCheck, check_key_result, check_workbook
from okr_workshop.workbook import Workbook

__all__ = [
    "MAX_KEY_RESULTS",
    "MAX_OBJECTIVES",
    "MIN_KEY_RESULTS",
    "Course",
    "Exercise",
    "Feedback",
    "FinalVerdict",
    "Lesson",
    "grade_choice",
    "grade_fix",
    "grade_okrs",
    "grade_sort",
    "load_course",
]

MIN_OBJECTIVES, MAX_OBJECTIVES = 1, 3
MIN_KEY_RESULTS, MAX_KEY_RESULTS = 2, 5

Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SortItem(_Strict):
    """A key result to put in its bucket, with why it belongs there."""

    text: Text
    answer: Text
    why: Text


class Option(_Strict):
    """One answer to a question; ``why`` is shown once it is picked."""

    text: Text
    correct: bool = False
    why: Text


class Exercise(_Strict):
    """A lesson's exercise: sort items into buckets, choose an answer, or fix a weak key result."""

    kind: Literal["sort", "choose", "fix"]
    prompt: Text
    buckets: list[Text] = Field(default_factory=list)
    """``sort``: the buckets, e.g. outcome and output."""
    items: list[SortItem] = Field(default_factory=list)
    """``sort``: what to put in them."""
    question: str | None = None
    """``choose``: the key result or situation the question is about."""
    options: list[Option] = Field(default_factory=list)
    """``choose``: the answers, at least one correct."""
    key_result: str | None = None
    """``fix``: the weak key result to rewrite."""
    hint: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Exercise:
        if self.kind == "sort":
            if len(self.buckets) < 2 or not self.items:
                raise ValueError("a sort exercise needs two or more buckets and some items")
            unknown = sorted({i.answer for i in self.items} - set(self.buckets))
            if unknown:
                raise ValueError(f"sort answers {unknown} are not among the buckets {self.buckets}")
        elif self.kind == "choose":
            if len(self.options) < 2 or not any(o.correct for o in self.options):
                raise ValueError("a choose exercise needs two or more options, one of them correct")
        elif not self.key_result:
            raise ValueError("a fix exercise needs the weak key_result to rewrite")
        return self


class Lesson(_Strict):
    """A short lesson: its text (Markdown) and one exercise."""

    id: Text
    title: Text
    text: Text
    """The Markdown file with the lesson, relative to the course file."""
    minutes: int = Field(default=5, gt=0)
    exercise: Exercise
    body: str = ""
    """The Markdown itself, read when the course is loaded."""


class Course(_Strict):
    """The course: a title, an introduction and the lessons in order."""

    title: Text
    intro: Text
    lessons: list[Lesson] = Field(min_length=1)
    final: Text
    """What the final exercise asks of the learner (Markdown)."""

    def lesson(self, lesson_id: str) -> Lesson:
        """The lesson called ``lesson_id``."""
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(f"No lesson {lesson_id!r}; lessons are {', '.join(x.id for x in self.lessons)}")


def _problem(path: Path, error: Exception, line: int | None = None) -> WorkbookError:
    if isinstance(error, ValidationError):
        return WorkbookError([Problem(str(path), line, ".".join(str(p) for p in item["loc"]) or None,
                                      repr(item.get("input"))[:80], item["msg"]) for item in error.errors()])
    return WorkbookError([Problem(str(path), line, None, str(error)[:200], "a readable course file")])


@functools.cache
def load_course(folder: Path | None = None) -> Course:
    """The course in ``folder`` (default: ``templates/course``), lesson texts included."""
    folder = Path(folder) if folder else templates_folder() / "course"
    path = folder / "course.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        course = Course.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise _problem(path, error) from error
    lessons = []
    for lesson in course.lessons:
        text_path = folder / lesson.text
        try:
            body = text_path.read_text(encoding="utf-8")
        except OSError as error:
            raise _problem(path, FileNotFoundError(f"lesson {lesson.id!r}: cannot read {text_path}")) from error
        lessons.append(lesson.model_copy(update={"body": body}))
    return course.model_copy(update={"lessons": lessons})


# -- grading the lesson exercises ------------------------------------------------------------------


@dataclass
class Feedback:
    """The verdict on one answer: passed or not, and what to tell the learner, line by line."""

    passed: bool
    lines: list[str] = field(default_factory=list)


def grade_sort(exercise: Exercise, answers: dict[int, str | None]) -> Feedback:
    """``answers`` maps each item's position to the bucket the learner chose."""
    lines, right = [], 0
    for position, item in enumerate(exercise.items):
        chosen = answers.get(position)
        if chosen == item.answer:
            right += 1
            lines.append(f"✓ “{item.text}”: {item.answer}. {item.why}")
        elif chosen is None:
            lines.append(f"· “{item.text}”: not sorted yet.")
        else:
            lines.append(f"✗ “{item.text}” is {_article(item.answer)}, not {_article(chosen)}. {item.why}")
    lines.insert(0, f"{right} of {len(exercise.items)} right.")
    return Feedback(right == len(exercise.items), lines)


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def grade_choice(exercise: Exercise, chosen: int | None) -> Feedback:
    """``chosen`` is the position of the option the learner picked."""
    if chosen is None:
        return Feedback(False, ["Pick an answer first."])
    option = exercise.options[chosen]
    return Feedback(option.correct, [("✓ Right. " if option.correct else "✗ Not quite. ") + option.why])


def grade_fix(exercise: Exercise, rewrite: str, quarter: str | None = None) -> Feedback:
    """A rewrite passes when the checker finds nothing to warn about and it is no longer the weak original."""
    text = rewrite.strip()
    if not text or text == (exercise.key_result or "").strip():
        return Feedback(False, ["Rewrite the key result in your own words first."])
    result = check_key_result(text, quarter=quarter or "2026-Q4")
    serious = [f for f in result.findings if f.severity in ("error", "warning")]
    if not serious:
        return Feedback(True, ["✓ That is a key result you can score: measurable, time-bound and an outcome."])
    return Feedback(False, [f"✗ {f.message} {f.suggestion}" for f in serious])


# -- the final exercise ----------------------------------------------------------------------------


@dataclass
class FinalVerdict:
    """The grade of a learner's own OKRs: passed, and every reason it did not (yet)."""

    person: str
    passed: bool
    reasons: list[str]
    check: WorkbookCheck | None = None

    def as_json(self) -> dict:
        """The contract's ``course grade --format json`` document."""
        return {"person": self.person, "passed": self.passed, "reasons": self.reasons}


def grade_okrs(
    workbook: Workbook, person: str, quarter: str | None = None, checker: Checker | None = None,
) -> FinalVerdict:
    """Grade ``person``'s individual objectives in ``workbook`` (one quarter's, or all when ``quarter`` is None)."""
    objectives = workbook["objectives"]
    people = workbook["people"]
    if person not in set(people["id"]):
        return FinalVerdict(person, False, [(f"{person} is not among the people of the workbook; pick yourself "
                                             "from the list (or add yourself to the people table).")])
    own = objectives[(objectives["owner"] == person) & (objectives["level"] == "individual")]
    if quarter is not None:
        own = own[own["quarter"] == quarter]
    reasons: list[str] = []
    if not (MIN_OBJECTIVES <= len(own) <= MAX_OBJECTIVES):
        reasons.append(f"Write one to three objectives of your own; you have {len(own)}.")
    ids = set(own["id"])
    krs = workbook["key_results"][workbook["key_results"]["objective"].isin(ids)]
    counts = krs.groupby("objective").size()
    for oid in own["id"]:
        n = int(counts.get(oid, 0))
        if not (MIN_KEY_RESULTS <= n <= MAX_KEY_RESULTS):
            reasons.append(f"{oid}: give it two to five key results; it has {n}.")
    team = people.set_index("id")["team"].get(person)
    team_objectives = set(objectives.loc[(objectives["level"] == "team") & (objectives["team"] == team), "id"])
    if len(own) and not own["parent"].isin(team_objectives).any():
        reasons.append("Align at least one objective to one of your team's objectives (pick it as its parent)"
                       + ("." if team_objectives else "; your team has none yet, so ask your team lead."))
    sub = Workbook(tables={**workbook.tables, "objectives": own.reset_index(drop=True),
                           "key_results": krs.reset_index(drop=True)})
    report = check_workbook(sub, checker)
    for objective in report.objectives:
        for finding in objective.findings:
            if finding.severity == "error":
                reasons.append(f"{objective.facts.id}: {finding.message} {finding.suggestion}")
        for kr in objective.key_results:
            missing = [c.replace("_", "-") for c in ("measurable", "time_bound") if not kr.smart[c]]
            errors = [f for f in kr.findings if f.severity == "error"
                      or (f.severity == "warning" and f.criterion in ("measurable", "time_bound"))]  # info is a hint
            if missing or errors:
                head = f"{kr.facts.id} is not yet {' and '.join(missing)}" if missing else f"{kr.facts.id} has an error"
                detail = " ".join(f"{f.message} {f.suggestion}" for f in errors[:2])
                reasons.append(f"{head}: {detail}".strip())
    return FinalVerdict(person, not reasons, reasons, report)
