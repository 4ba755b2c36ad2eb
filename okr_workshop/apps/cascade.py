"""02 · Cascade: the alignment tree, the gaps in it, and team leads drafting team OKRs under a company objective."""

from __future__ import annotations

import html

import ipywidgets as W

from okr_workshop.apps.base import choices, people_choices
from okr_workshop.apps.forms import ObjectiveForm
from okr_workshop.apps.guide import ExamplesPanel, Guide
from okr_workshop.apps.lessons import last_lessons, lessons_html
from okr_workshop.apps.objective_app import ObjectiveApp
from okr_workshop.tracking.cascade import Node, alignment_tree, cascade_figures
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


class CascadeApp(ObjectiveApp):
    """See the cascade and its gaps; a team lead picks themself and drafts team OKRs under a company objective."""

    title = "Cascade"
    intro = "Team leads align their team's objectives to the company's."

    def __init__(self, db: str | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.guide = Guide("cascade")
        self.examples = ExamplesPanel(level="team")
        self.tree = W.HTML()
        self.gaps = W.HTML()
        self.lessons = W.HTML()
        self.team_objectives = self.edit_list("Pick a team objective")
        self.form_box = W.VBox()
        tabs = W.Tab(children=[self.tree, self.gaps], titles=("Alignment tree", "Gaps"))
        self.widget.children = [
            self.header, W.HBox([self.person.dropdown, self.refresh_button]), self.status, self.guide.widget, tabs,
            W.HTML('<div class="okr-app"><h3>Your team\'s objectives</h3></div>'),
            W.HBox([self.team_objectives, self.edit_button]), W.HBox([self.form_box, self.lessons]),
            self.examples.widget,
        ]
        self.refresh()

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
        self.clear_status()
        self.lessons.value = lessons_html(*last_lessons(self.all_quarters(person), self.quarter, team=team))
        self.offer(self.team_objectives, objectives[(objectives["level"] == "team") & (objectives["team"] == team)])
        parents = choices(objectives[objectives["level"] == "company"])
        if self.form is None or self.form.team != team:
            self.form = ObjectiveForm(self.store, level="team", quarter=self.quarter, team=team, owner=person,
                                      parents=parents, people=people_choices(self.people),
                                      on_saved=lambda _id: self.refresh())
            self.form_box.children = [W.HTML(
                f'<div class="okr-app"><h3>Draft an objective for {html.escape(self.team_names.get(team, team))}'
                "</h3></div>"), self.form.widget]
        elif list(self.form.parent.options)[1:] != parents:  # others added company objectives
            chosen = self.form.parent.value
            self.form.parent.options = [("Aligned to nothing yet", ""), *parents]
            self.form.parent.value = chosen if chosen in {p for _, p in parents} else ""
        self.form.recorded_by = self.at_keyboard(person)
