"""03 · Individual OKRs: a person picks themself (or is known), reads their team's objectives and writes their own."""

from __future__ import annotations

import html

import ipywidgets as W

from okr_workshop.apps.base import choices, people_choices
from okr_workshop.apps.forms import ObjectiveForm
from okr_workshop.apps.guide import ExamplesPanel, Guide
from okr_workshop.apps.lessons import last_lessons, lessons_html
from okr_workshop.apps.objective_app import ObjectiveApp

__all__ = ["IndividualApp", "objectives_html"]


def objectives_html(objectives, key_results, empty: str) -> str:
    """Objectives with their key results as cards; all text escaped."""
    if objectives.empty:
        return f'<div class="okr-app"><p class="okr-muted">{html.escape(empty)}</p></div>'
    parts = ['<div class="okr-app">']
    for row in objectives.itertuples(index=False):
        krs = key_results[key_results["objective"] == row.id]
        items = "".join(f"<li>{html.escape(kr.title)}</li>" for kr in krs.itertuples(index=False))
        private = '<span class="okr-tag">participants only</span>' if row.visibility == "participants" else ""
        parts.append(f'<div class="okr-card"><b>{html.escape(row.id)}</b> {html.escape(row.title)}{private}'
                     f"<ul>{items}</ul></div>")
    parts.append("</div>")
    return "".join(parts)


class IndividualApp(ObjectiveApp):
    """Pick yourself, see your team's objectives, write one to three aligned objectives of your own."""

    title = "Your OKRs"
    intro = "Read what your team aims for, and write how you will help."

    def __init__(self, db: str | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.guide = Guide("individual")
        self.examples = ExamplesPanel(level="individual")
        self.team_objectives = W.HTML()
        self.mine = W.HTML()
        self.pick = self.edit_list("Pick one of yours")
        self.form_box = W.VBox()
        self.lessons = W.HTML()
        self.widget.children = [
            self.header, W.HBox([self.person.dropdown, self.refresh_button]), self.status, self.guide.widget,
            W.HTML('<div class="okr-app"><h3>Your team\'s objectives</h3></div>'), self.team_objectives,
            W.HTML('<div class="okr-app"><h3>Your objectives</h3></div>'), self.mine,
            W.HBox([self.pick, self.edit_button]), W.HBox([self.form_box, self.lessons]), self.examples.widget,
        ]
        self.refresh()

    def refresh(self) -> None:
        """Re-read the store for the person picked: their team's objectives, their own, and a form."""
        person = self.person.value
        if person is None:
            self.say("Pick your name to start.")
            self.team_objectives.value = self.mine.value = ""
            self.form_box.children = []
            self.form = None
            return
        self.clear_status()
        workbook = self.workbook(person)
        objectives, key_results = workbook["objectives"], workbook["key_results"]
        team = self.team_of(person)
        ours = objectives[(objectives["level"] == "team") & (objectives["team"] == team)]
        own = objectives[(objectives["level"] == "individual") & (objectives["owner"] == person)]
        team_name = self.team_names.get(team, team) or "your team"
        self.lessons.value = lessons_html(*last_lessons(self.all_quarters(person), self.quarter, team=team,
                                                        owner=person))
        self.team_objectives.value = objectives_html(
            ours, key_results, f"{team_name} has no objectives for {self.quarter} yet; you can still write yours "
            "and align them later.")
        self.mine.value = objectives_html(own, key_results, "None yet: write your first below.")
        self.offer(self.pick, own)
        parents = choices(ours)
        if self.form is None or self.form.owner != person:
            self.form = ObjectiveForm(self.store, level="individual", quarter=self.quarter, owner=person,
                                      team=None, parents=parents, people=people_choices(self.people),
                                      on_saved=lambda _id: self.refresh(), recorded_by=self.at_keyboard(person))
            if len(parents) == 1:
                self.form.parent.value = parents[0][1]
            self.form_box.children = [self.form.widget]
        if len(own) > 3:
            self.say(f"You have {len(own)} objectives: one to three keeps your quarter focused.")
