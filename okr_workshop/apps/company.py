"""01 · Company objectives: leadership drafts, checks and agrees the few objectives that matter this quarter."""

from __future__ import annotations

import html

import ipywidgets as W

from okr_workshop.apps.base import people_choices, style_html
from okr_workshop.apps.forms import ObjectiveForm
from okr_workshop.apps.guide import ExamplesPanel, Guide
from okr_workshop.apps.objective_app import ObjectiveApp

__all__ = ["CompanyObjectivesApp", "presentation_html"]


def presentation_html(objectives, key_results, quarter: str) -> str:
    """The company objectives and their key results, large, for the projector; all text escaped."""
    parts = [style_html(), f'<div class="okr-app okr-present"><h2>Our objectives for {html.escape(quarter)}</h2>']
    if objectives.empty:
        parts.append('<p class="okr-muted">No company objectives yet.</p>')
    for number, row in enumerate(objectives.itertuples(index=False), start=1):
        tag = "committed" if row.commitment == "committed" else "aspirational"
        parts.append(f'<h3>{number}. {html.escape(row.title)}<span class="okr-tag">{tag}</span></h3><ul>')
        for kr in key_results[key_results["objective"] == row.id].itertuples(index=False):
            parts.append(f"<li>{html.escape(kr.title)}</li>")
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


class CompanyObjectivesApp(ObjectiveApp):
    """Draft, edit and agree company objectives, with live SMART feedback and a presentation view."""

    title = "Company objectives"
    intro = "Leadership picks the three to five objectives that matter most this quarter."

    def __init__(self, db: str | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.guide = Guide("leadership")
        self.examples = ExamplesPanel(level="company")
        self.form = ObjectiveForm(self.store, level="company", quarter=self.quarter,
                                  people=people_choices(self.people), on_saved=lambda _id: self.refresh())
        self.objectives = self.edit_list("Pick an objective")
        self.list = W.HTML()
        self.present_button = W.ToggleButton(description="Present", icon="desktop",
                                             tooltip="Show the objectives large, for the projector")
        self.present_button.observe(lambda _: self.refresh(), names="value")
        self.presentation = W.HTML()
        self.workspace = W.VBox([
            self.guide.widget,
            W.HTML('<div class="okr-app"><h3>This quarter\'s company objectives</h3></div>'),
            self.list, W.HBox([self.objectives, self.edit_button]),
            W.HTML('<div class="okr-app"><h3>Write an objective</h3></div>'), self.form.widget,
            self.examples.widget,
        ])
        self.widget.children = [
            self.header, W.HBox([self.person.dropdown, self.refresh_button, self.present_button]),
            self.status, self.workspace, self.presentation,
        ]
        self.refresh()

    def refresh(self) -> None:
        """Re-read the store: the list of objectives, the edit choices and the presentation."""
        self.form.owner = self.person.value
        self.form.recorded_by = self.at_keyboard(self.person.value)
        workbook = self.workbook(self.person.value)
        objectives = workbook["objectives"]
        company = objectives[objectives["level"] == "company"]
        key_results = workbook["key_results"]
        self.offer(self.objectives, company)
        counts = key_results.groupby("objective").size()
        items = "".join(
            f'<div class="okr-card"><b>{html.escape(row.id)}</b> {html.escape(row.title)}'
            f'<span class="okr-tag">{int(counts.get(row.id, 0))} key results</span>'
            f'<span class="okr-tag">{html.escape(row.commitment or "aspirational")}</span></div>'
            for row in company.itertuples(index=False))
        empty = "<p class=okr-muted>None yet: write the first below.</p>"
        self.list.value = f'<div class="okr-app">{items or empty}</div>'
        if self.present_button.value:
            self.presentation.value = presentation_html(company, key_results, self.quarter)
            self.workspace.layout.display = "none"
        else:
            self.presentation.value = ""
            self.workspace.layout.display = None
        if len(company) > 5:
            self.say(f"{len(company)} company objectives: most leadership teams keep three to five.", "info")
