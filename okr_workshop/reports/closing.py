"""The end of a quarter in the review report: reflections, the team retro, key results changed, calibration.

Each section function takes a :class:`~okr_workshop.reports.review.Review`,
gathers its section's figures and renders them with the section's template
in ``okr_workshop/pages/templates/report/``, which escapes every text a
person typed. The report's workbook holds only what
its audience may see (:func:`~okr_workshop.reports.scope.restrict`), so the
reflections and changes of a participants-only objective appear only for a
viewer who takes part in it; the calibration of earlier quarters is read
with the same rule (:func:`calibration_history`).

What a scope shows:

- reflections and changes: those of the objectives and key results the
  report lists (for the company, its company and team objectives);
- retro: the team's own notes; the company's report shows every team's;
  a person's report shows their team's;
- calibration: the company and each team for the company, the team for a
  team, and for a person the key results of the objectives they own.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from okr_workshop.model import quarter_bounds
from okr_workshop.palette import GRADE_COLOURS, NO_STYLE, STATUSES
from okr_workshop.reports import markup as m
from okr_workshop.reports.data import load_quarter
from okr_workshop.reports.scope import audience_mask, restrict
from okr_workshop.reports.store_facts import store_facts
from okr_workshop.tracking.calibration import calibration as quarter_calibration
from okr_workshop.tracking.calibration import quarter_midpoint, reading
from okr_workshop.tracking.history import changes_of, reflections_of
from okr_workshop.tracking.scoring import grade
from okr_workshop.workbook import Workbook

__all__ = ["MAX_CALIBRATED_TEAMS", "MAX_CHANGED", "MAX_REFLECTED", "MAX_TREND", "NO_FIGURES", "calibration",
           "calibration_history", "changes", "reflections", "retro", "retro_teams", "scope_figures", "start_target"]

MAX_REFLECTED = 60
"""Objectives whose reflections are shown; the rest are counted."""
MAX_CHANGED = 60
"""Key results whose changes are shown; the rest are counted."""
MAX_TREND = 8
"""Quarters in the calibration trend, the latest ones."""
MAX_CALIBRATED_TEAMS = 30
"""Teams whose calibration the company's report shows, in the order of their ids; the rest are counted."""
NO_FIGURES = {"n": 0, "brier": None, "mean_confidence": None, "hit_rate": None}
"""Calibration figures of a group with no key result that had a confidence by mid-quarter."""

_NEXT = {
    "keep": ("keep", GRADE_COLOURS["green"]),
    "drop": ("drop", NO_STYLE.colour),
    "carry": ("carry over", STATUSES["done"].colour),
}
"""A reflection's decision for next quarter: its words and colour."""
_RETRO_KINDS = ("start", "stop", "continue", "shout_out")
"""The kinds of retro note (``retro.html`` puts each under its heading)."""
_NUMBER_FIELDS = {"start", "target", "weight"}


# --------------------------------------------------------------------------- reflections


def reflections(review) -> m.Html:
    """Per listed objective, each author's reflection: final score, what worked, what did not, learned, next."""
    table = review.workbook["reflections"]
    listed = review.listed
    reflected = listed[listed["id"].isin(table["objective"])]
    cards = [_reflection_card(review, obj, reflections_of(table, obj.id))
             for obj in reflected.head(MAX_REFLECTED).itertuples(index=False)]
    return m.render("reflections.html", cards=cards, reflected=len(reflected), listed=len(listed),
                    left_out=len(reflected) - MAX_REFLECTED)


def _reflection_card(review, obj, rows: list[dict]) -> dict:
    """An objective with its computed score (None: no score) and each author's reflection on it."""
    computed = obj.score if math.isfinite(obj.score) else None
    return {"objective": obj, "computed": computed, "reflections": [_reflection(review, row, computed) for row in rows]}


def _reflection(review, row: dict, computed: float | None) -> dict:
    """One author's reflection as it shows, with their name, the agreed score's grade and the decision's chip.

    ``computed`` is kept only where it differs from the agreed score.
    """
    agreed = row["score"]
    differs = agreed is not None and computed is not None and abs(agreed - computed) > 0.005
    return {**row, "author_name": review.name(row["author"]), "grade": None if agreed is None else grade(agreed),
            "computed": computed if differs else None, "next": _NEXT.get(row["next"])}


# --------------------------------------------------------------------------- retro


def retro_teams(review) -> list[str]:
    """The teams whose retro the report shows: every team for the company, the team, a person's own team."""
    teams = review.workbook["teams"]
    if review.scope.kind == "company":
        return teams["id"].tolist()
    if review.scope.kind == "team":
        return [review.scope.id]
    people = review.workbook["people"]
    team = people.loc[people["id"] == review.scope.id, "team"]
    return [str(t) for t in team if isinstance(t, str)]


def retro(review) -> m.Html:
    """The retro of the quarter, team by team: start, stop, continue and shout-outs."""
    notes = review.workbook["retro"]
    notes = notes[notes["quarter"] == review.quarter]
    noted = set(notes["team"])
    teams = [_retro_team(review, team, notes[notes["team"] == team]) for team in retro_teams(review) if team in noted]
    return m.render("retro.html", teams=teams, kind=review.scope.kind, quarter=review.quarter)


def _retro_team(review, team: str, notes: pd.DataFrame) -> dict:
    """One team's name and its notes by kind, each note with who wrote it and when."""
    by_kind = {kind: [] for kind in _RETRO_KINDS}
    for note in notes[notes["kind"].isin(_RETRO_KINDS)].itertuples(index=False):
        by_kind[note.kind].append({"text": note.text, "by": _by(review, note.author, note.date)})
    return {"name": review.teams.get(team, team), "notes": by_kind}


def _by(review, author: object, day: object) -> list[str]:
    """Who wrote a note and when, as far as known."""
    who = [review.name(author)] if isinstance(author, str) else []
    return who + ([m.date(day)] if m.date(day) else [])


# --------------------------------------------------------------------------- changes


def start_target(changes: list[dict]) -> str | None:
    """The target a key result had when the quarter began: the old value of its first target change (None: none)."""
    firsts = [change["old"] for change in changes if change["field"] == "target"]
    return firsts[0] if firsts else None


def changes(review) -> m.Html:
    """Each listed key result changed after the quarter began: what changed, when, by whom and why."""
    table = review.workbook["changes"]
    table = table[table["date"] >= pd.Timestamp(review.period[0])]
    changed = review.key_results[review.key_results["id"].isin(table["key_result"])]
    rows = []
    for kr in changed.head(MAX_CHANGED).itertuples(index=False):
        kr_changes = changes_of(table, kr.id)
        rows.append({"key_result": kr, "changes": kr_changes, "start_target": start_target(kr_changes)})
    return m.render("changes.html", key_results=rows, changed=len(changed), left_out=len(changed) - MAX_CHANGED,
                    name=review.name, field_value=_field_value)


def _field_value(field: str, text: str) -> str:
    """A changed field's old or new value as people read it: ``2,300``, ``30 Nov 2026``, ``“Ship v2”``."""
    if field in _NUMBER_FIELDS:
        try:
            return m.value_text(float(text))
        except ValueError:
            return text
    if field == "due":
        try:
            return f"{dt.date.fromisoformat(text[:10]):%d %b %Y}"
        except ValueError:
            return text
    return f"“{text}”" if field == "title" else text


# --------------------------------------------------------------------------- calibration


def scope_figures(result: dict, review) -> list[tuple[str, dict]]:
    """The groups of a calibration result that the scope shows, each with its name.

    ``result`` is :func:`~okr_workshop.tracking.calibration.calibration` of the
    report's workbook (for a person, of the objectives they own only, so
    its ``company`` figures are theirs).
    """
    if review.scope.kind == "company":
        return [("The company", result["company"])] + [
            (review.teams.get(team, team), figures) for team, figures in result["teams"].items()]
    if review.scope.kind == "team":
        return [(review.subject, result["teams"].get(review.scope.id, NO_FIGURES))]
    return [(review.subject, result["company"])]


def _figures_of(review, book: Workbook, quarter: str) -> list[tuple[str, dict]] | None:
    """The scope's calibration figures of ``quarter`` from ``book``; None while the quarter has not ended."""
    if review.scope.kind == "person":
        book = book.only_objectives((book["objectives"]["owner"] == review.scope.id).to_numpy())
    result = quarter_calibration(book, quarter, review.as_of)
    return None if result is None else scope_figures(result, review)


def _audience_book(review, quarter: str) -> Workbook:
    """``quarter`` of the report's store as the report's audience may see it (as :func:`review.build` reads it)."""
    _, book = load_quarter(review.db or None, quarter, scope=review.scope)
    return restrict(book, audience_mask(book["objectives"], book["people"], review.scope, review.viewer))


def _store_quarters(db: str | None) -> list[str]:
    """The quarters the store's objectives are for, oldest first."""
    quarters, _teams, _known = store_facts(db or None, None)
    return quarters


def calibration_history(review) -> list[tuple[str, dict]]:
    """The scope's calibration in each quarter of the store that has ended by ``as_of``, up to the report's own.

    One ``(quarter, figures)`` per quarter, oldest first, the latest
    :data:`MAX_TREND`. The report's quarter comes from its own workbook;
    every other one is read from the store and restricted to the report's
    audience first, so a participants-only objective counts only for a
    viewer who takes part in it. For the company the figures are the
    company's.
    """
    ended = [q for q in _store_quarters(review.db) if q <= review.quarter and quarter_bounds(q)[1] <= review.as_of]
    history = []
    for quarter in ended[-MAX_TREND:]:
        book = review.workbook if quarter == review.quarter else _audience_book(review, quarter)
        history.append((quarter, _figures_of(review, book, quarter)[0][1]))
    return history


def calibration(review) -> m.Html:
    """How well the confidence given by mid-quarter foretold which key results reached their targets.

    Until the quarter ends the section says when its figures come; the
    quarters that have already ended follow as a trend either way.
    """
    current = _figures_of(review, review.workbook, review.quarter)
    groups = left_out = None
    if current is not None:
        shown = current[:1 + MAX_CALIBRATED_TEAMS] if review.scope.kind == "company" else current
        groups = [(label, figures, reading(figures)) for label, figures in shown]
        left_out = len(current) - len(shown)
    history = calibration_history(review)
    trend = history if any(quarter != review.quarter for quarter, _ in history) else []
    return m.render("calibration.html", groups=groups, left_out=left_out, trend=trend, this_quarter=review.quarter,
                    kind=review.scope.kind, subject=review.subject, last_day=review.period[1],
                    midpoint=quarter_midpoint(review.quarter))
