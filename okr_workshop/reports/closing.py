"""The end of a quarter in the review report: reflections, the team retro, key results changed, calibration.

Each section function takes a :class:`~okr_workshop.reports.review.Review`
and returns HTML built from :mod:`~okr_workshop.reports.markup` pieces, so
every text a person typed is escaped. The report's workbook holds only what
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
from okr_workshop.palette import GRADE_COLOURS, NO_STYLE
from okr_workshop.reports import markup as m
from okr_workshop.tracking.calibration import calibration as quarter_calibration
from okr_workshop.tracking.calibration import quarter_midpoint, reading
from okr_workshop.tracking.review import changes_of, reflections_of
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
    "carry": ("carry over", "#3c78b4"),
}
_RETRO_KINDS = {"start": "Start", "stop": "Stop", "continue": "Continue", "shout_out": "Shout-outs"}
_FIELDS = {"title": "title", "start": "start value", "target": "target", "unit": "unit", "due": "due date",
           "weight": "weight"}
_NUMBER_FIELDS = {"start", "target", "weight"}


# --------------------------------------------------------------------------- reflections


def reflections(review) -> m.Html:
    """Per listed objective, each author's reflection: final score, what worked, what did not, learned, next."""
    table = review.workbook["reflections"]
    listed = review.listed
    reflected = listed[listed["id"].isin(table["objective"])]
    if not len(reflected):
        return m.section("Reflections", '<p class="muted">No reflections yet. Each owner records theirs with '
                                        "okr-workshop reflect OBJECTIVE --author PERSON.</p>")
    cards = [_reflection_card(review, obj, reflections_of(table, obj.id))
             for obj in reflected.head(MAX_REFLECTED).itertuples(index=False)]
    intro = (f"{len(reflected)} of {m.plural(len(listed), 'objective')} looked back on: the final score each author "
             "agrees, what worked, what did not, what they learned and what comes next.")
    return m.section("Reflections", "".join(cards) + m.more(len(reflected) - MAX_REFLECTED, "objective"), intro)


def _reflection_card(review, obj, rows: list[dict]) -> str:
    computed = obj.score if math.isfinite(obj.score) else None
    authors = "".join(_reflection(review, row, computed) for row in rows)
    return (f'<div class="obj"><div><span class="id">{m.esc(obj.id)}</span><h3>{m.esc(obj.title)}</h3> '
            f'{m.grade_chip(obj.grade, computed)}</div>{authors}</div>')


def _reflection(review, row: dict, computed: float | None) -> str:
    """One author's reflection: who, when, the final score and the decision, then their words."""
    meta = [f"<b>{m.esc(review.name(row['author']))}</b>", m.date(row["date"]),
            _final_score(row["score"], computed)]
    if row["next"] in _NEXT:
        words, colour = _NEXT[row["next"]]
        meta.append(f"next: {m.chip(words, colour)}")
    said = [(label, row[key]) for key, label in
            (("worked", "What worked"), ("did_not_work", "What did not"), ("learned", "Learned"))]
    lines = "".join(f"<li><b>{label}:</b> {m.esc(text)}</li>" for label, text in said if text)
    body = f'<ul class="notes">{lines}</ul>' if lines else '<p class="muted">No words added.</p>'
    return f'<div class="meta">{" · ".join(meta)}</div>{body}'


def _final_score(agreed: float | None, computed: float | None) -> str:
    if agreed is None:
        return "computed score stands"
    from okr_workshop.tracking.scoring import grade  # noqa: PLC0415

    text = f"final score {m.grade_chip(grade(agreed), agreed)}"
    if computed is not None and abs(agreed - computed) > 0.005:
        text += f' <span class="muted">(computed {m.number(computed)})</span>'
    return text


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
    cards = [_retro_card(review, team, notes[notes["team"] == team]) for team in retro_teams(review) if team in noted]
    if not cards:
        return m.section("Retro", f'<p class="muted">No retro notes for {m.esc(review.quarter)} yet.</p>')
    intro = "What the team will start, stop and continue doing, and who they want to thank."
    if review.scope.kind == "company":
        intro = "What each team will start, stop and continue doing, and who they want to thank."
    return m.section("Retro", "".join(cards), intro)


def _retro_card(review, team: str, notes: pd.DataFrame) -> str:
    """One team's notes under Start, Stop, Continue and Shout-outs (a heading only where there are notes)."""
    groups = []
    for kind, label in _RETRO_KINDS.items():
        rows = notes[notes["kind"] == kind]
        if len(rows):
            lines = "".join(f"<li>{m.esc(note.text)}{_by(review, note.author, note.date)}</li>"
                            for note in rows.itertuples(index=False))
            groups.append(f'<div class="meta"><b>{label}</b></div><ul class="notes">{lines}</ul>')
    return f'<div class="obj"><h3>{m.esc(review.teams.get(team, team))}</h3>{"".join(groups)}</div>'


def _by(review, author: object, day: object) -> str:
    who = [m.esc(review.name(author))] if isinstance(author, str) else []
    who += [m.date(day)] if m.date(day) else []
    return f' <span class="muted">({", ".join(who)})</span>' if who else ""


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
    if not len(changed):
        return m.section("Changes", '<p class="muted">No key result was changed after the quarter began.</p>')
    rows = []
    for kr in changed.head(MAX_CHANGED).itertuples(index=False):
        kr_changes = changes_of(table, kr.id)
        rows.append([_changed_key_result(kr, kr_changes), _change_list(review, kr_changes)])
    intro = (f"{m.plural(len(changed), 'key result')} changed after the quarter began, oldest change first. Progress "
             "is scored against each key result's target now.")
    body = m.table(["Key result", "What changed"], rows, "changes")
    return m.section("Changes", body + m.more(len(changed) - MAX_CHANGED, "key result"), intro)


def _changed_key_result(kr, kr_changes: list[dict]) -> str:
    cell = f'<span class="id">{m.esc(kr.id)}</span>{m.esc(kr.title)}'
    before = start_target(kr_changes)
    if before is not None:
        cell += (f'<div class="muted">target {_value("target", before)} at the start, '
                 f'{m.value_text(kr.target)} now</div>')
    return cell


def _change_list(review, kr_changes: list[dict]) -> str:
    """Each change as a line: the field from old to new, when and by whom, and the reason below."""
    items = []
    for change in kr_changes:
        field = change["field"]
        what = f"{_FIELDS.get(field, m.esc(field))} {_value(field, change['old'])} → {_value(field, change['new'])}"
        who = f"{m.date(change['date'])}, {m.esc(review.name(change['author']))}"
        why = f'<div class="note">{m.esc(change["reason"])}</div>'
        items.append(f'<li>{what} <span class="muted">({who})</span>{why}</li>')
    return f'<ul class="notes">{"".join(items)}</ul>'


def _value(field: str, text: str | None) -> str:
    """A changed field's old or new value as people read it: ``2,300``, ``30 Nov 2026``, ``“Ship v2”``."""
    if text is None:
        return '<span class="muted">none</span>'
    if field in _NUMBER_FIELDS:
        try:
            return m.value_text(float(text))
        except ValueError:
            return m.esc(text)
    if field == "due":
        try:
            return f"{dt.date.fromisoformat(text[:10]):%d %b %Y}"
        except ValueError:
            return m.esc(text)
    return f"“{m.esc(text)}”" if field == "title" else m.esc(text)


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
    from okr_workshop.reports.data import load_quarter  # noqa: PLC0415
    from okr_workshop.reports.scope import audience_mask, restrict  # noqa: PLC0415

    _, book = load_quarter(review.db or None, quarter, scope=review.scope)
    return restrict(book, audience_mask(book["objectives"], book["people"], review.scope, review.viewer))


def _store_quarters(db: str | None) -> list[str]:
    """The quarters the store's objectives are for, oldest first."""
    from okr_workshop.store.database import Store  # noqa: PLC0415

    store = Store(db or None, create=False)
    try:
        return store.quarters()
    finally:
        store.close()


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


def _figures_row(label: str, figures: dict, *, read: bool = True) -> list[str]:
    """A table row of one group's figures; ``label`` is escaped already; ``read`` adds the reading under it."""
    words = f'<div class="muted">{m.esc(reading(figures))}</div>' if read else ""
    return [label + words, f"{figures['n']:,}", m.percent(figures["mean_confidence"]), m.percent(figures["hit_rate"]),
            m.number(figures["brier"], 3)]


_CALIBRATION_HEAD = ["", "Key results", "Mean confidence", "Reached", "Brier score"]


def calibration(review) -> m.Html:
    """How well the confidence given by mid-quarter foretold which key results reached their targets.

    Until the quarter ends the section says when its figures come; the
    quarters that have already ended follow as a trend either way.
    """
    current = _figures_of(review, review.workbook, review.quarter)
    if current is None:
        body = (f'<p class="muted">This quarter\'s calibration is shown after the quarter ends on '
                f"{review.period[1]:%d %b %Y}.</p>")
    else:
        shown = current[:1 + MAX_CALIBRATED_TEAMS] if review.scope.kind == "company" else current
        body = m.table(_CALIBRATION_HEAD, [_figures_row(m.esc(label), figures) for label, figures in shown])
        body += m.more(len(current) - len(shown), "team")
    history = calibration_history(review)
    if any(quarter != review.quarter for quarter, _ in history):
        rows = [_figures_row(m.esc(quarter) + (" (this quarter)" if quarter == review.quarter else ""), figures,
                             read=False) for quarter, figures in history]
        body += (f'<h3>Quarter by quarter</h3><p class="muted">{m.esc(_trend_subject(review))}, in each quarter '
                 f"that has ended.</p>{m.table(['Quarter', *_CALIBRATION_HEAD[1:]], rows)}")
    intro = (f"Each key result with a confidence by mid-quarter ({quarter_midpoint(review.quarter):%d %b}) is a "
             "forecast: did it reach its target by the quarter's last day? The Brier score is 0 for perfect "
             "forecasts and 0.25 for always saying 50%.")
    return m.section("Calibration", body, intro)


def _trend_subject(review) -> str:
    if review.scope.kind == "person":
        return f"Key results of the objectives {review.subject} owns"
    return f"Key results of {review.subject}"
