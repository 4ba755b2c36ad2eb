"""06 · Facilitator dashboard: who has submitted, how SMART the room's key results are, what to discuss.

The room's figures are data (:class:`RoomFigures`), kept in the dashboard's
``room`` trait with the time they were read, ``updated_at``; the HTML is drawn
from them whenever they change.
"""

from __future__ import annotations

import asyncio
import html
from collections import Counter
from dataclasses import dataclass

import ipywidgets as W
import pandas as pd
import traitlets as T

from okr_workshop.apps.base import App, kernel_loop
from okr_workshop.palette import GRADES, NO_STYLE
from okr_workshop.smart.check import check_workbook
from okr_workshop.smart.render import finding_html
from okr_workshop.smart.rules import registry
from okr_workshop.tracking.cascade import cascade_figures, objective_teams
from okr_workshop.tracking.scoring import grade
from okr_workshop.visibility import visible_mask
from okr_workshop.workbook import Workbook

__all__ = ["FacilitatorDashboard", "RoomFigures", "TeamFigures", "room_figures", "room_workbook"]


@dataclass(frozen=True)
class TeamFigures:
    """One team's row on the dashboard."""

    id: str
    name: str
    people: int
    submitted: int
    """People of the team with an objective of their own."""
    objectives: int
    key_results: int
    smart: int
    """Key results meeting all five SMART criteria."""


@dataclass(frozen=True)
class RoomFigures:
    """The state of the room: submissions per team, SMART pass rate, the findings worth discussing."""

    teams: tuple[TeamFigures, ...]
    """The teams, in the store's order."""
    key_results: int
    smart: int
    adoption: float | None
    alignment: float | None
    rules: Counter
    """Error and warning findings per rule code."""
    examples: dict
    """One finding per rule code, with the id it is about."""

    @property
    def pass_rate(self) -> float | None:
        """Share of key results that meet all five SMART criteria."""
        return self.smart / self.key_results if self.key_results else None


def room_figures(workbook: Workbook) -> RoomFigures:
    """The room's figures for one quarter's workbook (already filtered to what the viewer may see)."""
    objectives, people, teams = workbook["objectives"], workbook["people"], workbook["teams"]
    report = check_workbook(workbook)
    team_of_objective = dict(zip(objectives["id"], objective_teams(objectives, people), strict=True))
    rows, rules, examples = [], Counter(), {}
    for objective in report.objectives:
        team = team_of_objective.get(objective.facts.id)
        for kr in objective.key_results:
            rows.append((team, all(kr.smart.values())))
        for finding, subject in [(f, objective.facts.id) for f in objective.findings] + [
                (f, kr.facts.id) for kr in objective.key_results for f in kr.findings]:
            if finding.severity in ("error", "warning"):
                rules[finding.rule] += 1
                examples.setdefault(finding.rule, (subject, finding))
    krs = pd.DataFrame(rows, columns=["team", "smart"])
    owners = set(objectives["owner"].dropna())
    per_person = pd.DataFrame({"team": people["team"], "submitted": people["id"].isin(owners)})
    table = pd.DataFrame(index=pd.Index(teams["id"], name="team"))
    table["name"] = teams.set_index("id")["name"]
    table["people"] = per_person.groupby("team").size()
    table["submitted"] = per_person.groupby("team")["submitted"].sum()
    table["objectives"] = pd.Series(list(team_of_objective.values())).value_counts()
    table["key_results"] = krs.groupby("team").size() if len(krs) else 0
    table["smart"] = krs.groupby("team")["smart"].sum() if len(krs) else 0
    table = table.fillna(0).astype({c: "int64" for c in ("people", "submitted", "objectives", "key_results", "smart")})
    figures = cascade_figures(workbook)
    return RoomFigures(teams=tuple(TeamFigures(row.Index, str(row.name), row.people, row.submitted, row.objectives,
                                               row.key_results, row.smart) for row in table.itertuples()),
                       key_results=len(krs), smart=int(krs["smart"].sum()) if len(krs) else 0,
                       adoption=figures.adoption, alignment=figures.alignment, rules=rules, examples=examples)


def room_workbook(workbook: Workbook, viewer: str | None) -> Workbook:
    """What the facilitator counts: every objective except participants-only ones ``viewer`` is not part of.

    Team-visible objectives count (their titles are not shown here, only
    numbers); a participants-only objective stays out of every figure.
    """
    objectives = workbook["objectives"]
    keep = (objectives["visibility"].fillna("everyone") != "participants") | visible_mask(
        objectives, workbook["people"], viewer or "")
    return workbook.only_objectives(keep.to_numpy())


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _bar(share: float | None) -> str:
    """A bar filled to ``share`` in its grade's colour (red below 40%, yellow to 70%, then green)."""
    width = 0 if share is None else round(share * 100)
    colour = GRADES[grade(share)].colour if share is not None else NO_STYLE.colour
    return f'<span class="okr-bar"><span style="width:{width}%;background:{colour}"></span></span>'


def figures_html(figures: RoomFigures) -> str:
    """Headline figures, the per-team table and the findings worth discussing; escaped."""
    parts = ['<div class="okr-app">',
             (f'<div class="okr-card okr-present">SMART pass rate <b>{_share(figures.pass_rate)}</b> '
              f"({figures.smart} of {figures.key_results} key results) · adoption <b>{_share(figures.adoption)}</b>"
              f" · alignment <b>{_share(figures.alignment)}</b></div>"),
             ('<h3>Who has submitted</h3><table class="okr-table"><tr><th>team</th><th>people with OKRs</th><th></th>'
              "<th>objectives</th><th>key results</th><th>SMART</th></tr>")]
    for row in figures.teams:
        share = row.submitted / row.people if row.people else None
        smart = row.smart / row.key_results if row.key_results else None
        parts.append(f"<tr><td>{html.escape(row.name)}</td><td>{row.submitted} of {row.people}</td>"
                     f"<td>{_bar(share)}</td><td>{row.objectives}</td><td>{row.key_results}</td>"
                     f"<td>{_share(smart)}</td></tr>")
    parts.append("</table><h3>Worth discussing</h3>")
    if not figures.rules:
        parts.append('<p class="okr-ok">No errors or warnings: the room\'s OKRs pass the SMART check.</p>')
    for code, count in figures.rules.most_common(6):
        subject, finding = figures.examples[code]
        summary = registry.get(code).summary()
        parts.append(f"<p><b>{count} × {html.escape(summary)}</b> <span class=\"okr-muted\">({html.escape(code)}), "
                     f"for example {html.escape(subject)}:</span></p>{finding_html(finding)}")
    parts.append("</div>")
    return "".join(parts)


class FacilitatorDashboard(App):
    """The room at a glance, refreshed on a timer while participants save.

    ``room`` holds the figures last read (None before the first read) and
    ``updated_at`` when, as ``14:05:09``.
    """

    title = "Facilitator dashboard"
    intro = "Submissions, SMART quality and alignment, as participants save."

    room = T.Instance(RoomFigures, allow_none=True)
    updated_at = T.Unicode("")

    def __init__(self, db: str | None = None, *, every: float = 20.0, **kwargs):
        super().__init__(db, **kwargs)
        self.every = every
        self.person = self.picker()
        self.person.dropdown.observe(lambda _: self.refresh(), names="value")
        self.auto = W.Checkbox(value=True, description=f"Refresh every {every:g} s", indent=False)
        self.refresh_button = W.Button(description="Refresh now")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.figures = W.HTML()
        self.updated = W.HTML()
        self.widget.children = [self.header, W.HBox([self.person.dropdown, self.refresh_button, self.auto]),
                                self.status, self.figures, self.updated]
        self._timer: asyncio.TimerHandle | None = None
        self.refresh()

    def refresh(self) -> None:
        """Re-read the store and redraw; in a kernel, schedule the next refresh."""
        workbook = self.store.read_workbook(self.quarter)
        with self.hold_trait_notifications():
            self.room = room_figures(room_workbook(workbook, self.at_keyboard(self.person.value)))
            self.updated_at = f"{pd.Timestamp.now():%H:%M:%S}"
        self._schedule()

    @T.observe("room")
    def _render_figures(self, _change) -> None:
        self.figures.value = "" if self.room is None else figures_html(self.room)

    @T.observe("updated_at")
    def _render_updated(self, _change) -> None:
        self.updated.value = (f'<div class="okr-app okr-muted">Updated {self.updated_at}; '
                              "objectives visible only to their participants are counted by those "
                              "participants alone.</div>")

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        loop = kernel_loop()
        if loop is None:
            return  # plain Python: no timer, refresh() on demand
        if self.auto.value:
            self._timer = loop.call_later(self.every, self.refresh)
