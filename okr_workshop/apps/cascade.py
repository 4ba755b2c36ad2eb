"""02 · Cascade: the alignment tree, the gaps in it, and team leads drafting team OKRs under a company objective."""

from __future__ import annotations

import html

import ipywidgets as W

from okr_workshop.apps.base import App
from okr_workshop.apps.forms import ObjectiveForm
from okr_workshop.apps.guide import ExamplesPanel, Guide
from okr_workshop.apps.lessons import last_lessons, lessons_html
from okr_workshop.cascade import Node, alignment_tree, cascade_figures
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.workbook import Workbook

__all__ = ["CascadeApp", "gaps_html", "tree_html"]

_LEVEL = {"company": "Company", "team": "Team", "individual": "Individual"}


def tree_html(roots: list[Node], orphans: list[Node], team_names: dict[str, str]) -> str:
    """The alignment tree as nested lists, company objectives on top; orphans listed apart. Escaped."""

    def item(node: Node) -> str:
        who = team_names.get(node.team, node.team) if node.level == "team" else node.owner
        tag = f'<span class="okr-tag">{html.escape(_LEVEL[node.level])}' + (
            f" · {html.escape(str(who))}" if who else "") + "</span>"
        below = "".join(item(child) for child in node.children)
        return (f"<li><b>{html.escape(node.id)}</b> {html.escape(node.title)}{tag}"
                + (f"<ul>{below}</ul>" if below else "") + "</li>")

    parts = ['<div class="okr-app">']
    parts.append(f"<ul>{''.join(item(root) for root in roots)}</ul>" if roots else
                 '<p class="okr-muted">No company objectives this quarter yet.</p>')
    if orphans:
        parts.append("<h3>Aligned to nothing</h3><ul>" + "".join(item(node) for node in orphans) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def gaps_html(workbook: Workbook) -> str:
    """Company objectives no team serves yet, orphans, and the alignment share."""
    figures = cascade_figures(workbook)
    titles = dict(zip(workbook["objectives"]["id"], workbook["objectives"]["title"], strict=True))
    parts = ['<div class="okr-app">']
    if figures.alignment is not None:
        parts.append(f"<p>{figures.aligned} of {figures.alignable} team and individual objectives reach a company "
                     f"objective ({figures.alignment:.0%}).</p>")
    if figures.unserved:
        items = "".join(f"<li><b>{html.escape(i)}</b> {html.escape(titles.get(i, ''))}</li>" for i in figures.unserved)
        parts.append(f"<p><b>No team serves these company objectives yet:</b></p><ul>{items}</ul>")
    else:
        parts.append('<p class="okr-ok">Every company objective has at least one team objective under it.</p>')
    if figures.orphans:
        items = "".join(f"<li><b>{html.escape(i)}</b> {html.escape(titles.get(i, ''))}</li>" for i in figures.orphans)
        parts.append(f"<p><b>Aligned to nothing:</b></p><ul>{items}</ul>")
    parts.append("</div>")
    return "".join(parts)


class CascadeApp(App):
    """See the cascade and its gaps; a team lead picks themself and drafts team OKRs under a company objective."""

    title = "Cascade"
    intro = "Team leads align their team's objectives to the company's."

    def __init__(self, db: str | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.person = self.picker()
        self.person.dropdown.observe(lambda _: self.refresh(), names="value")
        self.guide = Guide("cascade")
        self.examples = ExamplesPanel(level="team")
        self.tree = W.HTML()
        self.gaps = W.HTML()
        self.lessons = W.HTML()
        self.team_objectives = W.Dropdown(description="Edit", options=[("Pick a team objective", "")], value="",
                                          layout=W.Layout(width="36rem"), style={"description_width": "6rem"})
        self.edit_button = W.Button(description="Open in the form")
        self.edit_button.on_click(lambda _: self.edit(self.team_objectives.value))
        self.refresh_button = W.Button(description="Refresh", tooltip="Show what others have saved")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.form: ObjectiveForm | None = None
        self.form_box = W.VBox()
        tabs = W.Tab(children=[self.tree, self.gaps], titles=("Alignment tree", "Gaps"))
        self.widget.children = [
            self.header, W.HBox([self.person.dropdown, self.refresh_button]), self.status, self.guide.widget, tabs,
            W.HTML('<div class="okr-app"><h3>Your team\'s objectives</h3></div>'),
            W.HBox([self.team_objectives, self.edit_button]), W.HBox([self.form_box, self.lessons]),
            self.examples.widget,
        ]
        self.refresh()

    def team_of(self, person: str | None) -> str | None:
        """The team of the person picked."""
        team = self.people.set_index("id")["team"].get(person) if person else None
        return team if isinstance(team, str) else None

    def refresh(self) -> None:
        """Re-read the store as the person picked sees it: tree, gaps, their team's objectives and the form."""
        person = self.person.value
        workbook = self.workbook(person)
        objectives = workbook["objectives"]
        roots, orphans = alignment_tree(objectives)
        self.tree.value = tree_html(roots, orphans, self.team_names)
        self.gaps.value = gaps_html(workbook)
        team = self.team_of(person)
        if person is None or team is None:
            self.say("Pick your name to draft your team's objectives." if person is None else
                     "You are in no team in the store, so there is no team objective to draft.")
            self.form_box.children, self.form = [], None
            return
        self.status.value = ""
        self.lessons.value = lessons_html(*last_lessons(self.all_quarters(person), self.quarter, team=team))
        ours = objectives[(objectives["level"] == "team") & (objectives["team"] == team)]
        self.team_objectives.options = [("Pick a team objective", "")] + [
            (f"{row.id} · {row.title}", row.id) for row in ours.itertuples(index=False)]
        company = objectives[objectives["level"] == "company"]
        parents = [(f"{row.id} · {row.title}", row.id) for row in company.itertuples(index=False)]
        if self.form is None or self.form.team != team:
            people = [(n if isinstance(n, str) else i, i)
                      for i, n in zip(self.people["id"], self.people["name"], strict=True)]
            self.form = ObjectiveForm(self.store, level="team", quarter=self.quarter, team=team, owner=person,
                                      parents=parents, people=people, on_saved=lambda _id: self.refresh())
            self.form_box.children = [W.HTML(
                f'<div class="okr-app"><h3>Draft an objective for {html.escape(self.team_names.get(team, team))}'
                "</h3></div>"), self.form.widget]
        elif list(self.form.parent.options)[1:] != parents:  # others added company objectives
            chosen = self.form.parent.value
            self.form.parent.options = [("Aligned to nothing yet", ""), *parents]
            self.form.parent.value = chosen if chosen in {p for _, p in parents} else ""
        self.form.recorded_by = self.at_keyboard(person)

    def edit(self, objective_id: str | None) -> None:
        """Open one of the team's objectives in the form."""
        if objective_id and self.form is not None:
            try:
                self.form.load(objective_id)
            except OkrWorkshopError as error:
                self.fail(error)
