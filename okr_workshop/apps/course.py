"""04 · Onboarding course: lessons with exercises, a graded final exercise on real OKRs, a certificate.

Where the learner is and how they did is data, kept in traits and drawn as
HTML when it changes: each exercise's latest ``result`` and live ``check``,
the course's ``page`` and ``exercises_done``, and the final exercise's
``verdict``, ``message`` and ``certificate_page``.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

import ipywidgets as W
import mistune
import traitlets as T

from okr_workshop.apps.base import App, Debouncer, Telling, choices, message_html, people_choices
from okr_workshop.apps.forms import ObjectiveForm, feedback_html
from okr_workshop.apps.individual import objectives_html
from okr_workshop.course.certificate import certificate_html, write_certificate
from okr_workshop.course.cohort import FINAL, cohort, record_attempt
from okr_workshop.course.lessons import (
    Course,
    Exercise,
    Feedback,
    FinalVerdict,
    grade_choice,
    grade_fix,
    grade_okrs,
    grade_sort,
    load_course,
)
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.smart.check import KeyResultCheck, check_key_result

__all__ = ["CERTIFICATES_ENV", "ExerciseView", "OnboardingCourse", "cohort_html"]

CERTIFICATES_ENV = "OKR_WORKSHOP_CERTIFICATES"
"""Where certificates are written (default: ``certificates/`` beside a SQLite store, else in the working folder)."""

_markdown = mistune.create_markdown(escape=True)


def _beside_store(store) -> Path:
    """``certificates/`` next to a SQLite store file, else in the working folder."""
    if store.url.startswith("sqlite:///"):
        return Path(store.url.removeprefix("sqlite:///")).resolve().parent / "certificates"
    return Path("certificates")


def _feedback_html(feedback: Feedback | None) -> str:
    """The grade of an answer as a message (nothing before the first)."""
    if feedback is None:
        return ""
    kind = "success" if feedback.passed else "error"
    return message_html("\n".join(feedback.lines), kind)


class ExerciseView(T.HasTraits):
    """One exercise as widgets: answer it, press Check, read what was right and why.

    ``result`` is the latest grade (None before the first), ``passed`` whether
    any grade passed, and ``check`` the live SMART check of a rewritten key
    result (None while the box is empty, and for other kinds of exercise).
    """

    result = T.Instance(Feedback, allow_none=True)
    passed = T.Bool(False)
    check = T.Instance(KeyResultCheck, allow_none=True)

    def __init__(self, exercise: Exercise, quarter: str, on_graded=None):
        super().__init__()
        self.exercise, self.quarter, self.on_graded = exercise, quarter, on_graded
        self.feedback = W.HTML()
        self.check_button = W.Button(description="Check my answer", button_style="primary")
        self.check_button.on_click(lambda _: self.grade())
        self.sorters: list[W.ToggleButtons] = []
        self.choice: W.RadioButtons | None = None
        self.rewrite: W.Text | None = None
        self.live = W.HTML()
        parts: list[W.Widget] = [W.HTML(f'<div class="okr-app"><h3>Exercise</h3><p>{html.escape(exercise.prompt)}'
                                        "</p></div>")]
        if exercise.kind == "sort":
            for item in exercise.items:
                sorter = W.ToggleButtons(options=exercise.buckets, value=None, style={"button_width": "9rem"})
                self.sorters.append(sorter)
                parts.append(W.VBox([W.HTML(f'<div class="okr-app">“{html.escape(item.text)}”</div>'), sorter]))
        elif exercise.kind == "choose":
            if exercise.question:
                parts.append(W.HTML(f'<div class="okr-app okr-card">{html.escape(exercise.question)}</div>'))
            self.choice = W.RadioButtons(options=[(o.text, i) for i, o in enumerate(exercise.options)], value=None,
                                         layout=W.Layout(width="auto"))
            parts.append(self.choice)
        else:
            self.rewrite = W.Text(value=exercise.key_result or "", continuous_update=True,
                                  layout=W.Layout(width="100%"))
            self.rewrite.add_class("okr-kr-title")
            debounced = Debouncer(self._live_check)
            self.rewrite.observe(lambda _: debounced(), names="value")
            parts += [W.HTML(f'<div class="okr-app okr-muted">Hint: {html.escape(exercise.hint or "")}</div>'),
                      self.rewrite, self.live]
            self._live_check()
        self.widget = W.VBox([*parts, self.check_button, self.feedback])

    def _live_check(self) -> None:
        text = self.rewrite.value.strip() if self.rewrite else ""
        self.check = check_key_result(text, quarter=self.quarter) if text else None

    @T.observe("check")
    def _render_check(self, _change) -> None:
        self.live.value = feedback_html(self.check)

    @T.observe("result")
    def _render_result(self, _change) -> None:
        self.feedback.value = _feedback_html(self.result)

    def grade(self) -> Feedback:
        """Grade the answer, show the feedback and tell the course."""
        if self.exercise.kind == "sort":
            result = grade_sort(self.exercise, {i: s.value for i, s in enumerate(self.sorters)})
        elif self.exercise.kind == "choose":
            result = grade_choice(self.exercise, self.choice.value)
        else:
            result = grade_fix(self.exercise, self.rewrite.value, self.quarter)
        self.passed = self.passed or result.passed
        self.result = result
        if self.on_graded:
            self.on_graded(result)
        return result


def cohort_html(store, people) -> str:
    """The facilitator's view of the cohort (new hires and anyone who started): lessons done, attempts, result."""
    figures = cohort(store, people)
    rows = "".join(
        f"<tr><td>{html.escape(person)}</td><td>{'yes' if row.started == row.started else 'not yet'}</td>"
        f"<td>{row.lessons}</td><td>{row.final_attempts}</td>"
        f"<td>{'<b class=okr-ok>passed</b>' if row.passed else '–'}</td></tr>"
        for person, row in figures.people.iterrows())
    mistakes = "".join(f"<li>{count} × {html.escape(text)}</li>" for text, count in figures.mistakes)
    started = int(figures.people["started"].notna().sum())
    passed = int(figures.people["passed"].sum())
    return (f'<div class="okr-app"><p><b>{started}</b> started, <b>{passed}</b> passed.</p>'
            '<table class="okr-table"><tr><th>person</th><th>started</th><th>lessons done</th>'
            f"<th>final attempts</th><th>result</th></tr>{rows}</table>"
            f"<h3>Most common mistakes in final attempts</h3><ul>{mistakes or '<li>none yet</li>'}</ul></div>")


class OnboardingCourse(App, Telling):
    """The course, page by page: welcome, the lessons with their exercises, and the final exercise.

    ``page`` is the page shown (0 the welcome, then one per lesson, last the
    final exercise) and ``exercises_done`` how many lesson exercises passed.
    The final exercise's latest grade is ``verdict`` (None before the first
    submission), what the course said about it ``message`` with its
    ``message_kind``, and on a pass the certificate's HTML ``certificate_page``
    and the ``certificate_files`` written.
    """

    title = "Your first OKRs"
    intro = "Learn how OKRs work, then write your own for this quarter."

    page = T.Int(0)
    exercises_done = T.Int(0)
    verdict = T.Instance(FinalVerdict, allow_none=True)
    certificate_page = T.Unicode("")
    certificate_files = T.List(T.Instance(Path))

    def __init__(self, db: str | None = None, *, course: Course | None = None,
                 certificates: str | Path | None = None, pdf: bool = True, **kwargs):
        super().__init__(db, **kwargs)
        self.course = course or load_course()
        self.certificates = Path(certificates or os.environ.get(CERTIFICATES_ENV) or _beside_store(self.store))
        self.pdf = pdf
        self.person = self.picker()
        self.person.dropdown.observe(lambda _: self._person_changed(), names="value")
        self.exercises = {lesson.id: ExerciseView(lesson.exercise, self.quarter,
                                                  on_graded=lambda result, lid=lesson.id: self._graded(lid, result))
                          for lesson in self.course.lessons}
        self.pages = [self._welcome_page()] + [self._lesson_page(lesson) for lesson in self.course.lessons]
        self.team_objectives = W.HTML()
        self.form: ObjectiveForm | None = None
        self.form_box = W.VBox()
        self.submit_button = W.Button(description="Submit my OKRs for grading", button_style="success", icon="check",
                                      layout=W.Layout(width="auto"))
        self.submit_button.on_click(lambda _: self.submit())
        self.certificate = W.HTML()
        self.pages.append(W.VBox([
            W.HTML(f'<div class="okr-app"><h3>Final exercise: your own OKRs</h3>{_markdown(self.course.final)}</div>'),
            W.HTML('<div class="okr-app"><h3>Your team\'s objectives</h3></div>'), self.team_objectives,
            self.form_box, self.submit_button, self.message_box, self.certificate]))
        self.page_box = W.VBox()
        self.back = W.Button(description="Back", icon="arrow-left")
        self.next = W.Button(description="Next", icon="arrow-right", button_style="info")
        self.back.on_click(lambda _: self.go(self.page - 1))
        self.next.on_click(lambda _: self.go(self.page + 1))
        self.progress = W.HTML()
        self.cohort = W.HTML()
        self.cohort_refresh = W.Button(description="Refresh")
        self.cohort_refresh.on_click(lambda _: self.show_cohort())
        course_box = W.VBox([self.person.dropdown, self.status, self.progress, self.page_box,
                             W.HBox([self.back, self.next])])
        pages = {"Course": course_box, "Cohort (facilitator)": W.VBox([self.cohort_refresh, self.cohort])}
        if not self.identity.can_act_for_others:  # the cohort's attempts are the facilitator's to see
            del pages["Cohort (facilitator)"]
        self.tabs = W.Tab(children=list(pages.values()), titles=tuple(pages))
        self.tabs.observe(lambda change: self.show_cohort() if change["new"] == 1 else None, names="selected_index")
        self.widget.children = [self.header, self.tabs]
        self._render_page(None)
        self.go(0)

    # pages -----------------------------------------------------------------------------------------
    def _welcome_page(self) -> W.Widget:
        lessons = "".join(f"<li>{html.escape(x.title)} <span class='okr-muted'>({x.minutes} min)</span></li>"
                          for x in self.course.lessons)
        return W.HTML(f'<div class="okr-app">{_markdown(self.course.intro)}<h3>Lessons</h3><ol>{lessons}</ol>'
                      "<p>Then you write your own OKRs for this quarter. They pass when they are measurable, "
                      "time-bound and aligned to your team.</p></div>")

    def _lesson_page(self, lesson) -> W.Widget:
        return W.VBox([W.HTML(f'<div class="okr-app"><h3>{html.escape(lesson.title)}</h3>{_markdown(lesson.body)}'
                              "</div>"), self.exercises[lesson.id].widget])

    @property
    def on_final(self) -> bool:
        """Is the final exercise shown?"""
        return self.page == len(self.pages) - 1

    @property
    def where(self) -> str:
        """The page shown, in words: ``Welcome``, ``Lesson 2 of 5`` or ``Final exercise``."""
        if self.page == 0:
            return "Welcome"
        return "Final exercise" if self.on_final else f"Lesson {self.page} of {len(self.course.lessons)}"

    def go(self, page: int) -> None:
        """Show page ``page``: 0 is the welcome, then one per lesson, last the final exercise."""
        self.page = max(0, min(page, len(self.pages) - 1))
        if self.on_final:
            self._show_final()

    @T.observe("page", "exercises_done")
    def _render_page(self, _change) -> None:
        self.page_box.children = [self.pages[self.page]]
        self.back.disabled = self.page == 0
        self.next.disabled = self.on_final
        self.progress.value = (f'<div class="okr-app okr-muted">{self.where} · exercises done: '
                               f"{self.exercises_done} of {len(self.exercises)}</div>")

    # recording -------------------------------------------------------------------------------------
    def _graded(self, lesson_id: str, result: Feedback) -> None:
        if self.person.value:
            record_attempt(self.store, self.person.value, lesson_id, result.passed, result.lines[1:])
        self.exercises_done = sum(view.passed for view in self.exercises.values())

    def _person_changed(self) -> None:
        self.form = None
        with self.hold_trait_notifications():
            self.verdict, self.certificate_page, self.certificate_files = None, "", []
            self.tell("")
        self.clear_status()
        self.go(self.page)

    # the final exercise ----------------------------------------------------------------------------
    def _show_final(self) -> None:
        person = self.person.value
        if person is None:
            self.team_objectives.value = message_html("Pick your name at the top first.", "info")
            self.form_box.children = []
            return
        workbook = self.workbook(person)
        objectives = workbook["objectives"]
        team = self.team_of(person)
        ours = objectives[(objectives["level"] == "team") & (objectives["team"] == team)]
        self.team_objectives.value = objectives_html(ours, workbook["key_results"],
                                                     "Your team has no objectives yet: ask your team lead.")
        if self.form is None:
            parents = choices(ours)
            self.form = ObjectiveForm(self.store, level="individual", quarter=self.quarter, owner=person,
                                      parents=parents, people=people_choices(self.people),
                                      recorded_by=self.at_keyboard(person))
            if parents:
                self.form.parent.value = parents[0][1]
            self.form_box.children = [self.form.widget]

    def submit(self) -> FinalVerdict | None:
        """Grade the learner's OKRs in the store, record the attempt, and write the certificate on a pass."""
        person = self.person.value
        if person is None:
            self.tell("Pick your name at the top first.", "error")
            return None
        verdict = grade_okrs(self.workbook(person), person, self.quarter)
        record_attempt(self.store, person, FINAL, verdict.passed, verdict.reasons)
        self.verdict = verdict
        if not verdict.passed:
            self.tell("Not yet. Change these and submit again:\n" + "\n".join(f"• {r}" for r in verdict.reasons),
                      "error")
            return verdict
        names = self.people.set_index("id")["name"]
        name = names.get(person) if isinstance(names.get(person), str) else person
        self.certificate_page = certificate_html(name, self.course.title, self.workbook(person), person,
                                                 dt.date.today())
        try:
            self.certificate_files = write_certificate(self.certificates, self.certificate_page, person, pdf=self.pdf)
            note = "Saved as " + " and ".join(str(f) for f in self.certificate_files) + "."
        except OkrWorkshopError as error:
            note = f"The certificate page is below; the PDF could not be made ({error})."
        self.tell(f"Passed. Well done! {note}", "success")
        return verdict

    @T.observe("certificate_page")
    def _render_certificate(self, _change) -> None:
        page = html.escape(self.certificate_page, quote=True)
        self.certificate.value = (f'<iframe title="certificate" srcdoc="{page}" '
                                  'style="width:100%;height:36rem;border:1px solid #d8dde6"></iframe>' if page else "")

    def show_cohort(self) -> None:
        """Refresh the facilitator's cohort table."""
        new_hires = self.people.loc[self.people["start_date"].notna(), "id"]
        self.cohort.value = cohort_html(self.store, list(new_hires))
