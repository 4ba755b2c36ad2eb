"""The objective form every app uses: a title, settings, key results as rows, live SMART feedback, save.

Feedback appears under each key result as people type (after a short pause),
quoting their words and suggesting a fix; findings on the objective as a
whole (too few key results, near-duplicates, a number in the objective,
nothing to align to) appear under the key results.

What the form found and said is data, kept in traits: each row's ``check``,
the form's ``objective_findings`` and ``problems``, its ``message`` and
``message_kind``; the HTML under the fields is drawn from them whenever they
change. Each saved key result also has a "Data source" area, collapsed until
opened (:mod:`okr_workshop.apps.data_source`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence

import ipywidgets as W
import numpy as np
import traitlets as T

from okr_workshop.apps.base import Debouncer, Telling, error_text
from okr_workshop.apps.data_source import DataSourcePanel
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.io.cells import read_number
from okr_workshop.measure import stored_sources
from okr_workshop.model import quarter_bounds
from okr_workshop.smart.check import (
    Checker,
    KeyResultCheck,
    check_key_result,
    key_result_facts,
)
from okr_workshop.smart.render import finding_html, smart_badges_html
from okr_workshop.smart.rules import Finding, ObjectiveFacts
from okr_workshop.store.database import Store
from okr_workshop.store.drafts import (
    KeyResultDraft,
    ObjectiveDraft,
    load_draft,
    save_objective,
)

__all__ = ["KeyResultRow", "ObjectiveForm", "feedback_html"]

_EXAMPLE_KR = "e.g. Raise trial-to-paid conversion from 8% to 12% by 30 September"


def feedback_html(check: KeyResultCheck | None) -> str:
    """SMART letters and findings for one key result; a word of encouragement when there are none."""
    if check is None:
        return ""
    parts = ['<div class="okr-app">', smart_badges_html(check),
             f' <span class="kind">{html.escape(check.facts.kind.kind)}</span>']
    if not check.findings:
        parts.append(' <span class="okr-ok">✓ Specific, measurable and time-bound: nothing to fix.</span>')
    parts.extend(finding_html(f) for f in check.findings)
    parts.append("</div>")
    return "".join(parts)


def _number(text: str, field: str, problems: list[str]) -> float | None:
    text = text.strip()
    if not text:
        return None
    value = read_number(text)
    if value is None:
        problems.append(f"{field}: {text!r} is not a number")
    return value


def _text(value: float | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:g}"


def _objective_feedback_html(findings: Sequence[Finding], problems: Sequence[str]) -> str:
    """Findings on the objective as a whole, then numbers that are no numbers; nothing when there are none."""
    if not findings and not problems:
        return ""
    parts = ['<div class="okr-app">', *(finding_html(f) for f in findings)]
    parts.extend(f'<div class="f error"><span class="sev">error</span>{html.escape(p)}</div>' for p in problems)
    parts.append("</div>")
    return "".join(parts)


class KeyResultRow(T.HasTraits):
    """One key result being written: title, start, target, unit, confidence, feedback, remove.

    ``check`` is its latest SMART check (None while nothing is written); the
    feedback under the row is drawn from it. Once saved (it has an id), the
    row also holds its :class:`~okr_workshop.apps.data_source.DataSourcePanel`.
    """

    check = T.Instance(KeyResultCheck, allow_none=True)

    def __init__(self, draft: KeyResultDraft, on_change: Callable[[], None], on_remove: Callable[[KeyResultRow], None]):
        super().__init__()
        self.id = draft.id
        self.title = W.Text(value=draft.title, placeholder=_EXAMPLE_KR, continuous_update=True,
                            layout=W.Layout(flex="1 1 auto", min_width="18rem"))
        self.title.add_class("okr-kr-title")
        small = W.Layout(width="6.5rem")
        self.start = W.Text(value=_text(draft.start), placeholder="start", layout=small)
        self.target = W.Text(value=_text(draft.target), placeholder="target", layout=small)
        self.unit = W.Text(value=draft.unit or "", placeholder="unit", layout=small)
        self.confidence = W.Text(value=_text(draft.confidence), placeholder="confidence 0–1",
                                 layout=W.Layout(width="8rem"))
        self.remove = W.Button(description="Remove", layout=W.Layout(width="6rem"),
                               tooltip="Remove this key result")
        self.remove.on_click(lambda _: on_remove(self))
        self.feedback = W.HTML()
        self.feedback.add_class("okr-feedback")
        self.box = W.VBox([W.HBox([self.title, self.start, self.target, self.unit, self.confidence, self.remove]),
                           self.feedback], layout=W.Layout(border_bottom="1px solid #eef0f4", padding="0 0 .3rem"))
        self._draft = draft
        self.source_panel: DataSourcePanel | None = None
        for field in (self.title, self.start, self.target, self.unit, self.confidence):
            field.observe(lambda _change: on_change(), names="value")

    @T.observe("check")
    def _render_feedback(self, _change) -> None:
        self.feedback.value = feedback_html(self.check)

    @property
    def findings(self) -> list[Finding]:
        """What the latest check found in this key result (none while nothing is written)."""
        return list(self.check.findings) if self.check else []

    @property
    def written(self) -> bool:
        """Has anything that is checked been written in the row (a title, a start or a target)?"""
        return any(box.value.strip() for box in (self.title, self.start, self.target))

    def draft(self, problems: list[str] | None = None) -> KeyResultDraft:
        """What the row holds; numbers that are no numbers are named in ``problems``."""
        problems = [] if problems is None else problems
        return KeyResultDraft(
            id=self.id, title=self.title.value, start=_number(self.start.value, "start", problems),
            target=_number(self.target.value, "target", problems), unit=self.unit.value.strip() or None,
            confidence=_number(self.confidence.value, "confidence", problems),
            due=self._draft.due, weight=self._draft.weight, owner=self._draft.owner,
        )

    def add_source_panel(self, panel: DataSourcePanel) -> None:
        """Show ``panel`` (this saved key result's data source) under the row."""
        self.source_panel = panel
        self.box.children = [*self.box.children, panel.widget]


class ObjectiveForm(Telling):
    """Write or edit one objective with its key results, see SMART feedback, save it to the store.

    ``level`` fixes where the objective sits; ``team`` and ``owner`` are set by
    the app (the team lead's team, the person who picked themself);
    ``recorded_by`` is who uses the form (a facilitator writing for ``owner``),
    kept with what it saves; ``parents`` are the objectives it may align to, as
    (label, id) pairs.

    What it found and said are traits, drawn as HTML when they change:
    ``objective_findings`` (on the objective as a whole), ``problems``
    (numbers that are no numbers) and ``message`` with its ``message_kind``.
    """

    objective_findings = T.List(T.Instance(Finding))
    problems = T.List(T.Unicode())

    def __init__(self, store: Store, *, level: str, quarter: str, team: str | None = None,
                 owner: str | None = None, parents: Sequence[tuple[str, str]] = (),
                 people: Sequence[tuple[str, str]] = (),
                 on_saved: Callable[[str], None] | None = None, recorded_by: str | None = None):
        super().__init__()
        self.store = store
        self.level, self.quarter, self.team, self.owner = level, quarter, team, owner
        self.recorded_by = recorded_by
        self.on_saved = on_saved
        self.checker = Checker()
        self.objective_id: str | None = None
        self.revision: int | None = None
        """The objective's revision as loaded or last saved here (the store refuses a save over a newer one)."""
        self.title = W.Text(placeholder="What do you want to achieve, and why does it matter? (no numbers here)",
                            description="Objective", continuous_update=True, layout=W.Layout(width="100%"),
                            style={"description_width": "6rem"})
        self.title.add_class("okr-objective-title")
        self.commitment = W.ToggleButtons(options=[("Aspirational", "aspirational"), ("Committed", "committed")],
                                          value="aspirational", description="Commitment",
                                          style={"description_width": "6rem", "button_width": "8rem"})
        self.visibility = W.Dropdown(options=[("Everyone", "everyone"), ("My team", "team"),
                                              ("Participants only", "participants")],
                                     value="everyone", description="Visible to", style={"description_width": "6rem"})
        self.participants = W.SelectMultiple(options=list(people), description="Participants", rows=4,
                                             layout=W.Layout(display="none", width="28rem"),
                                             style={"description_width": "6rem"})
        self.parent = W.Dropdown(options=[("Aligned to nothing yet", ""), *parents], value="",
                                 description="Aligns to", layout=W.Layout(width="36rem"),
                                 style={"description_width": "6rem"})
        self.parent.layout.display = "none" if level == "company" else None
        self.rows: list[KeyResultRow] = []
        self.rows_box = W.VBox()
        self.add = W.Button(description="Add a key result", icon="plus")
        self.add.on_click(lambda _: self.add_row())
        self.objective_feedback = W.HTML()
        self.reason = W.Text(description="Why change?", layout=W.Layout(width="100%", display="none"),
                             placeholder=("The quarter has begun: say why a tracked key result changes"
                                          " (kept on the record)"),
                             style={"description_width": "6rem"})
        self.save_button = W.Button(description="Save", button_style="primary", icon="check")
        self.save_button.add_class("okr-save")
        self.save_button.on_click(lambda _: self.save())
        self.new_button = W.Button(description="Start a new objective")
        self.new_button.on_click(lambda _: self.clear())
        self._debounced = Debouncer(self.refresh_feedback)
        self.title.observe(lambda _: self._debounced(), names="value")
        self.visibility.observe(self._show_participants, names="value")
        self.widget = W.VBox([
            self.title, W.HBox([self.commitment, self.visibility]), self.participants, self.parent,
            W.HTML('<div class="okr-app"><h3>Key results</h3><div class="okr-muted">Two to five, each a change '
                   "you can count: from where you are today to where you want to be by the end of the quarter."
                   "</div></div>"),
            self.rows_box, self.add, self.objective_feedback, self.reason,
            W.HBox([self.save_button, self.new_button]),
            self.message_box,
        ])
        self.clear()

    # building the rows ------------------------------------------------------------------
    def add_row(self, draft: KeyResultDraft | None = None) -> KeyResultRow:
        """Add a key result row (empty, or holding ``draft``)."""
        row = KeyResultRow(draft or KeyResultDraft(), self._debounced, self.remove_row)
        self.rows.append(row)
        self.rows_box.children = [r.box for r in self.rows]
        return row

    def remove_row(self, row: KeyResultRow) -> None:
        """Take a key result row out of the form (it leaves the store on the next save)."""
        self.rows.remove(row)
        self.rows_box.children = [r.box for r in self.rows]
        self.refresh_feedback()

    def _show_participants(self, change) -> None:
        self.participants.layout.display = None if change["new"] == "participants" else "none"

    # reading and writing ---------------------------------------------------------------
    def clear(self) -> None:
        """An empty form for a new objective, with three empty key result rows."""
        self.objective_id, self.revision = None, None
        self.reason.value, self.reason.layout.display = "", "none"
        self.title.value = ""
        self.commitment.value = "aspirational"
        self.visibility.value = "everyone"
        self.participants.value = ()
        self.parent.value = ""
        self.rows = []
        for _ in range(3):
            self.add_row()
        self.objective_findings, self.problems = [], []
        self.tell("")

    def load(self, objective_id: str) -> None:
        """Edit a stored objective."""
        draft = load_draft(self.store, objective_id)
        self.objective_id, self.revision = draft.id, draft.revision
        self.title.value = draft.title
        self.commitment.value = draft.commitment
        self.visibility.value = draft.visibility
        known = {value for _, value in self.participants.options}
        self.participants.value = tuple(p for p in draft.participants if p in known)
        if draft.parent in {value for _, value in self.parent.options}:
            self.parent.value = draft.parent
        self.rows = []
        for kr in draft.key_results:
            self.add_row(kr)
        if not draft.key_results:
            self.add_row()
        self.reason.value = ""
        self.reason.layout.display = None if self._quarter_begun() else "none"
        self.tell(f"Editing {draft.id}.")
        self._add_source_panels()
        self.refresh_feedback()

    def _add_source_panels(self) -> None:
        """Give each saved key result row that has none its collapsed "Data source" area."""
        missing = [row for row in self.rows if row.id and row.source_panel is None]
        if not missing:
            return
        attached = {source.key_result: source for source in stored_sources(self.store)}
        for row in missing:
            row.add_source_panel(DataSourcePanel(self.store, row.id, attached.get(row.id), lambda: self.owner))

    def _quarter_begun(self) -> bool:
        """Has the form's quarter begun (so changes to stored key results need a reason)?"""
        return bool(self.quarter) and dt.date.today() >= quarter_bounds(self.quarter)[0]

    def draft(self, problems: list[str] | None = None) -> ObjectiveDraft:
        """The form's content as a draft."""
        return ObjectiveDraft(
            id=self.objective_id, revision=self.revision, title=self.title.value, level=self.level,
            quarter=self.quarter, team=self.team, owner=self.owner, parent=self.parent.value or None,
            visibility=self.visibility.value, commitment=self.commitment.value,
            participants=tuple(self.participants.value),
            key_results=[row.draft(problems) for row in self.rows], reason=self.reason.value or None,
        )

    def checks(self) -> tuple[list[str], list]:
        """Check every written key result and the objective as a whole: (number problems, objective check)."""
        problems: list[str] = []
        draft = self.draft(problems)
        facts = ObjectiveFacts(id=draft.id or "", title=draft.title.strip(), level=self.level, quarter=self.quarter,
                               commitment=draft.commitment, parent=draft.parent,
                               quarter_span=quarter_bounds(self.quarter) if self.quarter else None)
        for kr in draft.key_results:
            if not kr.blank:
                key_result_facts(kr.title, facts, start=kr.start, target=kr.target, unit=kr.unit,
                                 due=kr.due, confidence=kr.confidence)
        return problems, self.checker.objective(facts)

    def refresh_feedback(self) -> None:
        """Re-check what is written and show the findings under each key result and the objective."""
        problems, objective = self.checks()
        written = iter(objective.key_results)
        for row in self.rows:
            row.check = next(written) if row.written else None
        with self.hold_trait_notifications():
            self.objective_findings = list(objective.findings) if objective.facts.title else []
            self.problems = problems

    @T.observe("objective_findings", "problems")
    def _render_objective_feedback(self, _change) -> None:
        self.objective_feedback.value = _objective_feedback_html(self.objective_findings, self.problems)

    def check_one(self, title: str) -> KeyResultCheck:
        """The live check of one key result title in this form's quarter and commitment."""
        return check_key_result(title, quarter=self.quarter, commitment=self.commitment.value, checker=self.checker)

    def save(self) -> str | None:
        """Save to the store; returns the objective's id, or None with the reason shown in the form."""
        problems: list[str] = []
        draft = self.draft(problems)
        self.refresh_feedback()
        if problems:
            self.tell("Not saved yet. Please fix:\n" + "\n".join(f"• {p}" for p in problems), "error")
            return None
        try:
            self.objective_id = save_objective(self.store, draft, by=self.owner, recorded_by=self.recorded_by)
        except OkrWorkshopError as error:
            self.tell(error_text(error), "error")
            return None
        self.revision = draft.revision
        for row, kr in zip(self.rows, draft.key_results, strict=True):
            row.id = kr.id
        self._add_source_panels()
        errors = sum(f.severity == "error" for f in self.checks()[1].all_findings())
        note = (f" {errors} error finding{'s' if errors != 1 else ''} still to fix before it counts as SMART."
                if errors else " It passes the SMART check.")
        self.tell(f"Saved as {self.objective_id}.{note}", "success")
        if self.on_saved:
            self.on_saved(self.objective_id)
        return self.objective_id
