"""The objective form every app uses: a title, settings, key results as rows, live SMART feedback, save;
and :class:`ObjectiveApp`, what the apps that write objectives with it share.

Feedback appears under each key result as people type (after a short pause),
quoting their words and suggesting a fix; findings on the objective as a
whole (too few key results, near-duplicates, a number in the objective,
nothing to align to) appear under the key results.

Each saved key result also has a "Data source" area, collapsed until opened,
where a data-minded participant names where its value comes from (a database
and a query, or a notebook), tries it with "Test the query" (nothing is
written) and attaches it, so ``okr-workshop measure`` records its value.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import ipywidgets as W
import numpy as np

from okr_workshop.apps.base import App, Debouncer, choices, error_text, message_html
from okr_workshop.check import (
    Checker,
    KeyResultCheck,
    check_key_result,
    key_result_facts,
)
from okr_workshop.check_render import finding_html, smart_badges_html
from okr_workshop.drafts import (
    KeyResultDraft,
    ObjectiveDraft,
    load_draft,
    save_objective,
)
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.io.cells import read_number
from okr_workshop.measure import Source, attach_source, detach_source, stored_sources, test_source
from okr_workshop.model import quarter_bounds
from okr_workshop.rules import ObjectiveFacts
from okr_workshop.store import Store

__all__ = ["DataSourcePanel", "KeyResultRow", "ObjectiveApp", "ObjectiveForm", "feedback_html"]

_EXAMPLE_KR = "e.g. Raise trial-to-paid conversion from 8% to 12% by 30 September"
_PASSWORD = re.compile(r"://[^/@:]*:[^/@]+@")
"""A password written into a database URL (``postgresql://user:secret@host/db``)."""


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


class KeyResultRow:
    """One key result being written: title, start, target, unit, confidence, feedback, remove.

    Once saved (it has an id), the row also holds its :class:`DataSourcePanel`.
    """

    def __init__(self, draft: KeyResultDraft, on_change: Callable[[], None], on_remove: Callable[[KeyResultRow], None]):
        self.id = draft.id
        self.title = W.Text(value=draft.title, placeholder=_EXAMPLE_KR, continuous_update=True,
                            layout=W.Layout(flex="1 1 auto", min_width="18rem"))
        self.title.add_class("okr-kr-title")
        small = W.Layout(width="6.5rem")
        self.start = W.Text(value=_text(draft.start), placeholder="start", layout=small)
        self.target = W.Text(value=_text(draft.target), placeholder="target", layout=small)
        self.unit = W.Text(value=draft.unit or "", placeholder="unit", layout=small)
        self.confidence = W.Text(value=_text(draft.confidence), placeholder="confidence 0–1", layout=W.Layout(width="8rem"))
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


class DataSourcePanel:
    """Where a saved key result's value comes from, in a collapsed "Data source" area under its row.

    A database URL and a SQL query, or the path of a notebook. "Test the query"
    runs the source for today and shows the value it gives, or why it gives
    none, and writes nothing; "Attach" keeps it in the store for ``okr-workshop
    measure`` (as attached by ``by()``, the form's owner at the time); "Detach"
    forgets it. A password in a database URL is never shown: messages name the
    source with :meth:`~okr_workshop.measure.Source.described`, and an attached
    URL that holds one is not written back into the box.
    """

    def __init__(self, store: Store, key_result: str, attached: Source | None, by: Callable[[], str | None]):
        self.store, self.key_result, self.by = store, key_result, by
        wide = W.Layout(width="38rem")
        label = {"description_width": "6rem"}
        self.db = W.Text(description="Database", placeholder="sqlite:///analytics.db, or a URL with ${PASSWORD}",
                         layout=wide, style=label)
        self.sql = W.Textarea(description="SQL", layout=W.Layout(width="38rem", height="4.5rem"), style=label,
                              placeholder="SELECT count(*) FROM signups WHERE created_at <= :as_of")
        self.notebook = W.Text(description="or notebook", placeholder="measures/churn.ipynb (instead of a query)",
                               layout=wide, style=label)
        self.test_button = W.Button(description="Test the query", icon="play",
                                    tooltip="Run it for today and show the value it gives; nothing is written")
        self.test_button.on_click(lambda _: self.test())
        self.attach_button = W.Button(description="Attach", icon="link",
                                      tooltip="Record this key result's value from this source from now on")
        self.attach_button.on_click(lambda _: self.attach())
        self.detach_button = W.Button(description="Detach", icon="unlink",
                                      tooltip="Check this key result in by hand again (its recorded values stay)")
        self.detach_button.on_click(lambda _: self.detach())
        self.message = W.HTML()
        body = W.VBox([self.db, self.sql, self.notebook,
                       W.HBox([self.test_button, self.attach_button, self.detach_button]), self.message])
        self.widget = W.Accordion(children=[body], selected_index=None, layout=W.Layout(width="44rem"))
        self.widget.add_class("okr-data-source")
        self._show(attached)

    def _show(self, attached: Source | None) -> None:
        """Fill the boxes with the attached source (a URL holding a password stays out) and title the area."""
        self.widget.set_title(0, "Data source: attached" if attached else "Data source")
        if attached is None:
            return
        self.sql.value = attached.sql or ""
        self.notebook.value = str(attached.notebook or "")
        self.db.value = "" if _PASSWORD.search(attached.db or "") else attached.db or ""
        self.message.value = message_html(f"Attached: {attached.described()}.", "info")

    def _fields(self) -> dict[str, str | None]:
        """What the boxes hold, blanks as None."""
        return {name: box.value.strip() or None
                for name, box in (("db", self.db), ("sql", self.sql), ("notebook", self.notebook))}

    def _problem(self) -> str | None:
        """Why the boxes name no source, or None when they name one."""
        fields = self._fields()
        if fields["notebook"] and (fields["db"] or fields["sql"]):
            return "Give a database and a query, or a notebook: not both."
        if not fields["notebook"] and not (fields["db"] and fields["sql"]):
            return "Give a database URL and a SQL query, or the path of a notebook."
        return None

    def source(self) -> Source | None:
        """The source the boxes name, or None (with the reason shown) when they name none."""
        if problem := self._problem():
            self.message.value = message_html(problem, "error")
            return None
        fields = self._fields()
        notebook = Path(fields["notebook"]) if fields["notebook"] else None
        return Source(self.key_result, 0, db=fields["db"], sql=fields["sql"], notebook=notebook)

    def test(self) -> float | None:
        """Run the source for today without recording anything; show and return its value (None: it gave none)."""
        source = self.source()
        if source is None:
            return None
        outcome = test_source(source)
        if outcome.ok:
            self.message.value = message_html(
                f"Today it gives {outcome.value:,.6g} for {self.key_result} ({source.described()}).", "success")
            return outcome.value
        self.message.value = message_html(f"It gives no value ({source.described()}): {outcome.error}.", "error")
        return None

    def attach(self) -> bool:
        """Keep the source in the store for this key result (replacing one attached before); say so."""
        if self.source() is None:
            return False
        try:
            attached = attach_source(self.store, self.key_result, **self._fields(), by=self.by())
        except OkrWorkshopError as error:
            self.message.value = message_html(error_text(error), "error")
            return False
        self._show(attached)
        self.message.value = message_html(
            f"Attached: okr-workshop measure records {self.key_result} from {attached.described()} from now on.",
            "success")
        return True

    def detach(self) -> None:
        """Forget the attached source: the key result is checked in by hand again; its recorded values stay."""
        detach_source(self.store, self.key_result)
        self._show(None)
        self.message.value = message_html(
            f"Detached: {self.key_result} is checked in by hand again (its recorded values stay).", "info")


class ObjectiveForm:
    """Write or edit one objective with its key results, see SMART feedback, save it to the store.

    ``level`` fixes where the objective sits; ``team`` and ``owner`` are set by
    the app (the team lead's team, the person who picked themself);
    ``recorded_by`` is who uses the form (a facilitator writing for ``owner``),
    kept with what it saves; ``parents`` are the objectives it may align to, as
    (label, id) pairs.
    """

    def __init__(self, store: Store, *, level: str, quarter: str, team: str | None = None,
                 owner: str | None = None, parents: Sequence[tuple[str, str]] = (), people: Sequence[tuple[str, str]] = (),
                 on_saved: Callable[[str], None] | None = None, recorded_by: str | None = None):
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
                             placeholder="The quarter has begun: say why a tracked key result changes (kept on the record)",
                             style={"description_width": "6rem"})
        self.save_button = W.Button(description="Save", button_style="primary", icon="check")
        self.save_button.add_class("okr-save")
        self.save_button.on_click(lambda _: self.save())
        self.new_button = W.Button(description="Start a new objective")
        self.new_button.on_click(lambda _: self.clear())
        self.message = W.HTML()
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
            self.message,
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
        self.objective_feedback.value = ""
        self.message.value = ""

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
        self.message.value = message_html(f"Editing {draft.id}.", "info")
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
            if row.title.value.strip() or row.start.value.strip() or row.target.value.strip():
                row.feedback.value = feedback_html(next(written))
            else:
                row.feedback.value = ""
        parts = ['<div class="okr-app">']
        if objective.facts.title:
            parts.extend(finding_html(f) for f in objective.findings)
        parts.extend(f'<div class="f error"><span class="sev">error</span>{html.escape(p)}</div>' for p in problems)
        parts.append("</div>")
        self.objective_feedback.value = "".join(parts) if len(parts) > 2 else ""

    def check_one(self, title: str) -> KeyResultCheck:
        """The live check of one key result title in this form's quarter and commitment."""
        return check_key_result(title, quarter=self.quarter, commitment=self.commitment.value, checker=self.checker)

    def save(self) -> str | None:
        """Save to the store; returns the objective's id, or None with the reason shown in the form."""
        problems: list[str] = []
        draft = self.draft(problems)
        self.refresh_feedback()
        if problems:
            self.message.value = message_html("Not saved yet. Please fix:\n" + "\n".join(f"• {p}" for p in problems),
                                              "error")
            return None
        try:
            self.objective_id = save_objective(self.store, draft, by=self.owner, recorded_by=self.recorded_by)
        except OkrWorkshopError as error:
            self.message.value = message_html(error_text(error), "error")
            return None
        self.revision = draft.revision
        for row, kr in zip(self.rows, draft.key_results, strict=True):
            row.id = kr.id
        self._add_source_panels()
        errors = sum(f.severity == "error" for f in self.checks()[1].all_findings())
        note = (f" {errors} error finding{'s' if errors != 1 else ''} still to fix before it counts as SMART."
                if errors else " It passes the SMART check.")
        self.message.value = message_html(f"Saved as {self.objective_id}.{note}", "success")
        if self.on_saved:
            self.on_saved(self.objective_id)
        return self.objective_id


class ObjectiveApp(App):
    """Base of the apps where people write objectives in an :class:`ObjectiveForm`: company, cascade, individual.

    It holds what they share: the "You are" picker (a new pick refreshes the
    app), a Refresh button, the form (``form``, None until the app makes one)
    and an "Edit" list of objectives with a button that opens the one picked
    in the form (:meth:`edit_list`). A subclass lays them out and fills them
    in :meth:`refresh`.
    """

    def __init__(self, db: str | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.person = self.picker()
        self.person.dropdown.observe(lambda _: self.refresh(), names="value")
        self.refresh_button = W.Button(description="Refresh", tooltip="Show what others have saved")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.edit_button = W.Button(description="Open in the form")
        self.form: ObjectiveForm | None = None

    def refresh(self) -> None:  # pragma: no cover - abstract
        """Re-read the store and show what the person picked may see and edit."""
        raise NotImplementedError

    def edit_list(self, prompt: str) -> W.Dropdown:
        """The "Edit" list, offering only ``prompt`` until :meth:`offer` fills it; ``edit_button`` opens its pick."""
        dropdown = W.Dropdown(description="Edit", options=[(prompt, "")], value="", layout=W.Layout(width="36rem"),
                              style={"description_width": "6rem"})
        self.edit_button.on_click(lambda _: self.edit(dropdown.value))
        return dropdown

    @staticmethod
    def offer(dropdown: W.Dropdown, objectives) -> None:
        """Offer ``objectives`` in an edit list, after its prompt."""
        dropdown.options = [dropdown.options[0], *choices(objectives)]

    def edit(self, objective_id: str | None) -> None:
        """Open ``objective_id`` in the form (nothing when none is picked or there is no form yet)."""
        if objective_id and self.form is not None:
            try:
                self.form.load(objective_id)
            except OkrWorkshopError as error:
                self.fail(error)
