"""07 · Quarter review: a team looks back on its quarter on the projector, objective by objective, then a retro.

The facilitator picks the team and follows the session guide (``review``)
step by step; each step shows its own page: the objectives one at a time
with their score against what their commitment expects, the key results'
path and changes, and a reflection form; how well the team's confidence
foretold the results; the retro (start, stop, continue); shout-outs; and a
summary to project with the decision on every objective.

The pages themselves are :mod:`okr_workshop.apps.review_pages`; this module
is the app that walks through them and the forms that record the review.
What the app shows is data, kept in traits and drawn as HTML when it
changes: the ``step``, the objectives' ``scores`` and the one ``current``ly
shown, the ``calibration_reading``, the retro's ``notes``, what the room
``agreed`` (the summary), and what the forms said after a save.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as W
import traitlets as T

from okr_workshop.apps.base import MESSAGE_KINDS, App, Telling, choices, error_text, message_html
from okr_workshop.apps.guide import Guide
from okr_workshop.apps.review_pages import (
    RETRO_KINDS,
    REVIEW_CSS,
    Agreed,
    ObjectiveScore,
    agreed_outcomes,
    calibration_html,
    calibration_words,
    no_score,
    objective_html,
    objective_scores,
    overview_html,
    path_html,
    retro_html,
    retro_notes,
    review_quarter,
    shout_outs_html,
    summary_html,
)
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.identity import Identity
from okr_workshop.store.database import Store
from okr_workshop.tracking.history import reflections_of
from okr_workshop.tracking.review import add_retro_note, reflect
from okr_workshop.tracking.status import StatusReport, build_status

__all__ = ["ReviewApp", "calibration_html", "objective_html", "retro_html", "review_quarter", "summary_html"]


def _said(text: str, kind: str) -> str:
    """A message box for ``text``; nothing for no text."""
    return message_html(text, kind) if text else ""


def _text_box(placeholder: str, name: str, description: str = "") -> W.Textarea:
    box = W.Textarea(description=description, placeholder=placeholder, layout=W.Layout(width="44rem", height="4rem"),
                     style={"description_width": "9rem"})
    box.add_class(name)
    return box


class ReflectionForm(Telling):
    """What the room agrees on one objective: the final score, what worked, what did not, the lesson, what next.

    What the form said after a save is ``message``, of ``message_kind``.
    """

    def __init__(self):
        super().__init__()
        self.score = W.Text(description="Final score", placeholder="0 to 1, e.g. 0.7",
                            style={"description_width": "9rem"}, layout=W.Layout(width="18rem"))
        self.score.add_class("okr-final-score")
        self.worked = _text_box("What helped us move", "okr-worked", "What worked")
        self.did_not_work = _text_box("What held us back", "okr-did-not-work", "What did not")
        self.learned = _text_box("What we would do differently", "okr-learned", "What we learned")
        self.next = W.ToggleButtons(options=[("Keep", "keep"), ("Drop", "drop"), ("Carry over", "carry")], value=None,
                                    description="Next quarter", style={"description_width": "9rem"})
        self.save_button = W.Button(description="Save reflection", button_style="primary", icon="check")
        self.widget = W.VBox([self.score, self.worked, self.did_not_work, self.learned, self.next, self.save_button,
                              self.message_box])

    def fill(self, computed: float, mine: dict | None) -> None:
        """Show the author's earlier reflection, else the computed score and empty fields."""
        mine = mine or {}
        agreed = computed if mine.get("score") is None else mine["score"]
        self.score.value = "" if no_score(agreed) else f"{agreed:.2f}"
        self.worked.value = mine.get("worked") or ""
        self.did_not_work.value = mine.get("did_not_work") or ""
        self.learned.value = mine.get("learned") or ""
        self.next.value = mine.get("next")
        self.tell("")



class ReviewApp(App):
    """The end-of-quarter review of one team, one guided step at a time, ending with a summary to project.

    Its traits: ``step`` (the guide's current step), and once a team is picked
    its ``team_name``, its objectives' ``scores`` (None before), the
    ``current`` objective shown, the ``calibration_reading``, the retro's
    ``notes`` and what was ``agreed`` on each objective (None before); what
    adding a retro line or a shout-out said is ``retro_message`` and
    ``thanks_message`` with their kinds.
    """

    title = "Quarter review"
    intro = "How the quarter went for a team: scores, lessons, a retro and thanks."

    step = T.Unicode("")
    team_name = T.Unicode("")
    scores = T.List(T.Instance(ObjectiveScore), allow_none=True, default_value=None)
    current = T.Instance(ObjectiveScore, allow_none=True)
    calibration_reading = T.Unicode("")
    notes = T.List(T.Dict(), allow_none=True, default_value=None)
    agreed = T.List(T.Instance(Agreed), allow_none=True, default_value=None)
    retro_message = T.Unicode("")
    retro_message_kind = T.Enum(MESSAGE_KINDS, "info")
    thanks_message = T.Unicode("")
    thanks_message_kind = T.Enum(MESSAGE_KINDS, "info")

    def __init__(self, db: str | None = None, *, today: dt.date | None = None, quarter: str | None = None,
                 store: Store | None = None, identity: Identity | None = None):
        self.today = today or dt.date.today()
        store = store or Store(db, create=False)
        super().__init__(quarter=quarter or review_quarter(store.quarters(), self.today), store=store,
                         identity=identity)
        self.names = dict(zip(self.people["id"], self.people["name"].fillna(self.people["id"]), strict=True))
        self.person = self.picker()
        self.person.dropdown.observe(lambda _: self._person_changed(), names="value")
        self.team = W.Dropdown(options=[("Pick the team", ""), *sorted(
            ((name, tid) for tid, name in self.team_names.items()), key=lambda option: str(option[0]))],
            value="", description="Team", layout=W.Layout(width="24rem"), style={"description_width": "4rem"})
        self.team.add_class("okr-review-team")
        self.team.observe(lambda _: self.load(), names="value")
        self._loading = False
        """True while the objectives' list is replaced, so the page is drawn once, after."""
        self.guide = Guide("review")
        for button in (self.guide.back, self.guide.next):
            button.on_click(lambda _: self.show_step())  # runs after the guide's own handler has moved it
        self._build_pages()
        self.page = W.VBox()
        self.widget.children = [self.header, W.HTML(REVIEW_CSS), W.HBox([self.team, self.person.dropdown]),
                                self.status, self.guide.widget, self.page]
        self.report: StatusReport | None = None
        self.load()

    def _build_pages(self) -> None:
        """The widgets of each step's page, by the step's id in the session guide."""
        self.overview = W.HTML()
        self.objective = W.Dropdown(description="Objective", options=[], layout=W.Layout(width="44rem"),
                                    style={"description_width": "6rem"})
        self.objective.observe(lambda _: self._loading or self.show_objective(), names="value")
        self.previous_button = W.Button(description="Previous objective", icon="arrow-left")
        self.next_button = W.Button(description="Next objective", icon="arrow-right")
        self.previous_button.on_click(lambda _: self._walk(-1))
        self.next_button.on_click(lambda _: self._walk(1))
        self.objective_view = W.HTML()
        self.path = W.HTML()
        self.reflection = ReflectionForm()
        self.reflection.save_button.on_click(lambda _: self.save_reflection())
        self.calibration = W.HTML()
        self.retro_kind = W.ToggleButtons(options=[(label, kind) for kind, label in RETRO_KINDS.items()], value="start",
                                          description="We should", style={"description_width": "9rem"})
        self.retro_text = _text_box("One idea a line, in the team's words", "okr-retro-text", "Idea")
        self.retro_button = W.Button(description="Add to the retro", button_style="primary", icon="plus")
        self.retro_button.on_click(lambda _: self.add_note(self.retro_kind.value, self.retro_text))
        self.retro_message_box, self.retro_board = W.HTML(), W.HTML()
        self.thanks_text = _text_box("Who helped, and what they did", "okr-shout-out-text", "Thank you")
        self.thanks_button = W.Button(description="Add shout-out", button_style="primary", icon="heart")
        self.thanks_button.on_click(lambda _: self.add_note("shout_out", self.thanks_text))
        self.thanks_message_box, self.thanks_board = W.HTML(), W.HTML()
        self.summary = W.HTML()
        heading = W.HTML('<div class="okr-app"><h3>Our reflection</h3></div>')
        self.pages = {
            "team": [self.overview],
            "objectives": [W.HBox([self.previous_button, self.next_button, self.objective]), self.objective_view,
                           self.path, heading, self.reflection.widget],
            "calibration": [self.calibration],
            "retro": [self.retro_kind, self.retro_text, self.retro_button, self.retro_message_box, self.retro_board],
            "shout_outs": [self.thanks_text, self.thanks_button, self.thanks_message_box, self.thanks_board],
            "summary": [self.summary],
        }

    def go_to(self, step: str) -> None:
        """Jump the guide (and the page) to the step called ``step``."""
        self.guide.go([s.id for s in self.guide.session.steps].index(step))
        self.show_step()

    def show_step(self) -> None:
        """Show the page of the guide's current step (only the guide before a team is picked)."""
        self.step = self.guide.session.steps[self.guide.index].id
        self.page.children = self.pages[self.step] if self.report is not None else []

    def _person_changed(self) -> None:
        """Whoever picks themself first brings their team up; later, the pages are redrawn as they see them."""
        person = self.person.value
        team = self.team_of(person)
        if not self.team.value and team in self.team_names:
            self.team.value = team  # loads
        else:
            self.load()

    def load(self) -> None:
        """Re-read the store for the picked team and redraw every page."""
        team = self.team.value
        if not team:
            self.report = None
            self.say("Pick the team to review.")
            self.show_step()
            return
        self.clear_status()
        self._workbook = self.workbook(self.person.value)
        self.report = build_status(self._workbook, as_of=self.today, quarter=self.quarter, team=team)
        with self.hold_trait_notifications():
            self.team_name = self.team_names[team]
            self.scores = objective_scores(self.report)
            self.calibration_reading = calibration_words(self.report, team)
            self._read_notes()
        chosen = self.objective.value
        options = choices(self.report.objectives)
        self._loading = True
        try:
            self.objective.options = options
            self.objective.value = chosen if chosen in {value for _, value in options} else (
                options[0][1] if options else None)
        finally:
            self._loading = False
        self.show_objective()
        self.show_step()

    @T.observe("scores")
    def _render_overview(self, _change) -> None:
        self.overview.value = "" if self.scores is None else overview_html(self.scores, self.quarter)

    @T.observe("team_name", "calibration_reading")
    def _render_calibration(self, _change) -> None:
        self.calibration.value = calibration_html(self.team_name, self.calibration_reading)

    def _walk(self, step: int) -> None:
        values = [value for _, value in self.objective.options]
        if values:
            position = values.index(self.objective.value) + step
            self.objective.value = values[max(0, min(position, len(values) - 1))]

    def show_objective(self) -> None:
        """The chosen objective: its score, key results, changes, notes and path, and the reflection form."""
        objective = self.objective.value
        values = [value for _, value in self.objective.options]
        self.previous_button.disabled = not values or objective == values[0]
        self.next_button.disabled = not values or objective == values[-1]
        self.current = next((row for row in self.scores or () if row.id == objective), None)
        if self.report is None or not objective:
            self.objective_view.value = self.path.value = ""
            return
        self.objective_view.value = objective_html(self.report, objective, self._workbook["checkins"], self.names)
        self.path.value = path_html(self._workbook, objective)
        mine = [r for r in reflections_of(self._workbook["reflections"], objective)
                if r["author"] == self.person.value]
        computed = self.report.objectives.set_index("id").at[objective, "score"]
        self.reflection.fill(computed, mine[0] if mine else None)

    def _read_notes(self) -> None:
        """The team's retro notes and what was agreed on each objective, from the workbook last read."""
        with self.hold_trait_notifications():
            self.notes = retro_notes(self._workbook["retro"], self.team.value)
            self.agreed = agreed_outcomes(self.scores, self._workbook["reflections"])

    @T.observe("notes", "agreed", "team_name")
    def _render_notes(self, _change) -> None:
        if self.notes is None or self.agreed is None:
            return
        self.retro_board.value = retro_html(self.notes)
        self.thanks_board.value = shout_outs_html(self.notes)
        self.summary.value = summary_html(self.agreed, self.notes, self.team_name, self.quarter)

    def save_reflection(self) -> bool:
        """Record the room's reflection on the chosen objective as the picked person's; say what to fix if refused."""
        form = self.reflection
        if not self.person.value:
            form.tell("Pick your name under 'You are' first: a reflection has an author.", "error")
            return False
        try:
            reflect(self.store, self.objective.value, author=self.person.value, score=form.score.value,
                    worked=form.worked.value, did_not_work=form.did_not_work.value, learned=form.learned.value,
                    next=form.next.value, date=self.today, recorded_by=self.at_keyboard(self.person.value))
        except OkrWorkshopError as error:
            form.tell(error_text(error), "error")
            return False
        self._reload_notes()
        form.tell(f"Saved the reflection on {self.objective.value}.", "success")
        return True

    def add_note(self, kind: str, box: W.Textarea) -> bool:
        """Add a line to the team's retro (``start``, ``stop``, ``continue`` or ``shout_out``) and clear the box."""
        try:
            add_retro_note(self.store, self.team.value, self.quarter, kind, box.value, author=self.person.value,
                           date=self.today, recorded_by=self.at_keyboard(self.person.value))
        except OkrWorkshopError as error:
            self._tell_note(kind, error_text(error), "error")
            return False
        self._tell_note(kind, "Added.", "success")
        box.value = ""
        self._reload_notes()
        return True

    def _tell_note(self, kind: str, text: str, message_kind: str) -> None:
        """Say ``text`` under the shout-outs (``kind`` ``shout_out``), else under the retro."""
        with self.hold_trait_notifications():
            if kind == "shout_out":
                self.thanks_message, self.thanks_message_kind = text, message_kind
            else:
                self.retro_message, self.retro_message_kind = text, message_kind

    @T.observe("retro_message", "retro_message_kind", "thanks_message", "thanks_message_kind")
    def _render_note_messages(self, _change) -> None:
        self.retro_message_box.value = _said(self.retro_message, self.retro_message_kind)
        self.thanks_message_box.value = _said(self.thanks_message, self.thanks_message_kind)

    def _reload_notes(self) -> None:
        """Re-read the store so the boards and the summary show what was just saved."""
        self._workbook = self.workbook(self.person.value)
        self._read_notes()
