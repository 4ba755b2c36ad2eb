"""The quarter review's pages: an objective against its commitment, its path, calibration, the retro, the summary.

Each page is HTML, for :class:`okr_workshop.apps.review.ReviewApp` to
project (in :data:`REVIEW_CSS`'s larger type); :func:`review_quarter` picks
the quarter a review looks back on. What the pages show is read from a status
report first, as plain data the app keeps: each objective's
:class:`ObjectiveScore`, what the room :class:`Agreed` on it, the retro's
notes and the calibration's reading.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from okr_workshop.model import QUARTER_PATTERN, quarter_bounds
from okr_workshop.palette import GRADES, NO_STYLE, STATUSES
from okr_workshop.tracking.calibration import reading
from okr_workshop.tracking.history import reflections_of
from okr_workshop.tracking.scoring import grade
from okr_workshop.tracking.standing import timeline
from okr_workshop.tracking.status import StatusReport, pick_quarter
from okr_workshop.workbook import Workbook

__all__ = ["RETRO_KINDS", "REVIEW_CSS", "Agreed", "ObjectiveScore", "agreed_outcomes", "calibration_html",
           "calibration_words", "no_score", "objective_html", "objective_scores", "overview_html", "path_html",
           "retro_html", "retro_notes", "review_quarter", "score_span", "shout_outs_html", "summary_html"]

REVIEW_CSS = """<style>
.okr-review{font-size:1.15rem}.okr-review h3{font-size:1.35rem}
.okr-review .okr-table td,.okr-review .okr-table th{padding:.35rem .5rem;vertical-align:top}
.okr-score{font-size:2.6rem;font-weight:700;line-height:1.1}.okr-review td.okr-nowrap{white-space:nowrap}
.okr-columns{display:flex;gap:1rem;flex-wrap:wrap}.okr-columns>div{flex:1 1 14rem}
.okr-columns ul,.okr-review ul{margin:.2rem 0;padding-left:1.2rem}
</style>"""
"""Larger type than the other apps: this one is read from the back of a room."""

_VERDICTS = {"met": "met", "exceeded": "went beyond", "falling_short": "fell short"}
_DECISIONS = {"keep": "keep it", "drop": "drop it", "carry": "carry it over"}
RETRO_KINDS = {"start": "Start", "stop": "Stop", "continue": "Continue"}


def review_quarter(quarters, today: dt.date) -> str | None:
    """The quarter a review looks back on by default: the latest one ended by ``today``, else the current one.

    A quarter has ended from its last day on, as calibration counts it.
    """
    known = sorted({q for q in quarters if isinstance(q, str) and QUARTER_PATTERN.fullmatch(q)})
    ended = [q for q in known if quarter_bounds(q)[1] <= today]
    return ended[-1] if ended else pick_quarter(known, today)


def no_score(value: float | None) -> bool:
    """Is ``value`` no score at all (None or NaN)?"""
    return value is None or pd.isna(value)


def _number(value: float | None) -> float | None:
    """``value`` as a float, None for no value (None or NaN)."""
    return None if no_score(value) else float(value)


@dataclass(frozen=True)
class ObjectiveScore:
    """One objective under review: its score against what its commitment expects."""

    id: str
    title: str
    commitment: str
    owner: str | None
    score: float | None
    """None when it has no key results to score."""
    expected: float
    """The score its commitment expects: 0.7 aspirational, 1.0 committed."""
    verdict: str | None
    """``met``, ``exceeded`` or ``falling_short``; None without a score."""


def objective_scores(report: StatusReport) -> list[ObjectiveScore]:
    """The report's objectives, in its order, as :class:`ObjectiveScore`."""
    return [ObjectiveScore(row.id, row.title, row.commitment, row.owner if isinstance(row.owner, str) else None,
                           _number(row.score), float(row.expected_score),
                           row.verdict if isinstance(row.verdict, str) and row.verdict else None)
            for row in report.objectives.itertuples(index=False)]


def overview_html(scores: Sequence[ObjectiveScore], quarter: str) -> str:
    """The team's objectives at a glance: title, commitment, score against what is expected; escaped."""
    rows = "".join(
        f"<tr><td>{html.escape(row.title)}</td><td>{html.escape(row.commitment)}</td>"
        f'<td class="okr-nowrap"><b>{score_span(row.score)}</b> '
        f'<span class="okr-muted">of {row.expected:.1f}</span></td></tr>'
        for row in scores)
    if not rows:
        return ('<div class="okr-app okr-review"><p class="okr-muted">This team has no objectives in '
                f"{html.escape(quarter)}.</p></div>")
    return ('<div class="okr-app okr-review"><h3>The objectives we review</h3><table class="okr-table">'
            f"<tr><th>objective</th><th>commitment</th><th>score</th></tr>{rows}</table></div>")


def _score(value: float | None) -> str:
    return "–" if no_score(value) else f"{value:.2f}"


def score_span(value: float | None) -> str:
    """A score in its grade's colour (grey when there is none)."""
    colour = NO_STYLE.text if no_score(value) else GRADES[grade(value)].text
    return f'<span style="color:{colour}">{_score(value)}</span>'


def _bar(share: float, colour: str) -> str:
    width = round(min(max(share, 0.0), 1.0) * 100)
    return (f'<span class="okr-bar"><span style="width:{width}%;background:{colour}"></span></span> '
            f"{round(share * 100)}%")


def _last_notes(checkins: pd.DataFrame, as_of: dt.date) -> dict[str, object]:
    """Per key result, its latest check-in with a note on or before ``as_of``."""
    noted = checkins[checkins["note"].fillna("").str.strip().ne("") & (checkins["date"] <= pd.Timestamp(as_of))]
    noted = noted.sort_values("date", kind="stable")
    return {row.key_result: row for row in noted.itertuples(index=False)}


def _changes_html(changes: list[dict], names: dict[str, str]) -> str:
    """A key result's changes after its quarter began: when, what, from what to what, why and who; escaped."""
    items = "".join(
        f"<li>{html.escape(change['date'])}: {html.escape(change['field'])} "
        f"{html.escape(str(change['old'] or '–'))} → {html.escape(str(change['new'] or '–'))}, "
        f"because {html.escape(change['reason'])} "
        f'<span class="okr-muted">({html.escape(names.get(change["author"], change["author"]))})</span></li>'
        for change in changes)
    return f'<ul class="okr-muted">{items}</ul>' if items else ""


def objective_html(report: StatusReport, objective: str, checkins: pd.DataFrame, names: dict[str, str]) -> str:
    """One objective for the room: its score against its commitment, its key results, their changes and notes."""
    row = report.objectives.set_index("id").loc[objective]
    expected = float(row["expected_score"])
    verdict = _VERDICTS.get(row["verdict"], "no score: it has no key results")
    notes = _last_notes(checkins, report.as_of)
    parts = [f'<div class="okr-app okr-review"><div class="okr-card"><div class="okr-muted">'
             f"{html.escape(objective)} · {html.escape(row['commitment'])} · "
             f"{html.escape(names.get(row['owner'], row['owner'] or 'no owner'))}</div>"
             f"<h3>{html.escape(row['title'])}</h3>"
             f'<div class="okr-score">{score_span(row["score"])} <span class="okr-muted" style="font-size:1.2rem">'
             f"· expected {expected:.1f} ({html.escape(row['commitment'])}) · {verdict}</span></div>"
             "</div>",
             '<table class="okr-table"><tr><th>key result</th><th>progress</th><th>status</th>'
             "<th>confidence</th><th>last note</th></tr>"]
    for kr in report.key_results[report.key_results["objective"] == objective].itertuples(index=False):
        style = STATUSES.get(kr.status, NO_STYLE)
        note = notes.get(kr.id)
        said = ("–" if note is None else f"{html.escape(note.note)} <span class=\"okr-muted\">"
                f"({note.date:%d %b}, {html.escape(names.get(note.author, note.author or ''))})</span>")
        confidence = "–" if pd.isna(kr.confidence) else f"{kr.confidence:.1f}"
        parts.append(f"<tr><td><b>{html.escape(kr.id)}</b> {html.escape(kr.title)}"
                     f"{_changes_html(report.changes_of(kr.id), names)}</td>"
                     f"<td>{_bar(float(kr.progress), style.colour)}</td>"
                     f'<td style="color:{style.text};font-weight:600">{html.escape(style.label)}</td>'
                     f"<td>{confidence}</td><td>{said}</td></tr>")
    parts.append("</table></div>")
    return "".join(parts)


def path_html(workbook: Workbook, objective: str) -> str:
    """The key results' progress over the quarter against the expected line, as an SVG chart ("" without check-ins)."""
    krs = workbook["key_results"][workbook["key_results"]["objective"] == objective]
    points, expected = timeline(krs, workbook["checkins"], workbook["objectives"])
    if points["progress"].notna().sum() == 0:
        return ""
    from okr_workshop.tracking.charts import progress_chart, to_svg  # noqa: PLC0415 - altair only when a chart is drawn

    chart = progress_chart(points, expected, title="The key results' path over the quarter")
    return f'<div class="okr-app">{to_svg(chart)}</div>'


def calibration_words(report: StatusReport, team: str) -> str:
    """How well the team's mid-quarter confidence foretold its results, in plain words (or when that can be told)."""
    if report.calibration is None:
        last = quarter_bounds(report.quarter)[1]
        return f"The quarter ends on {last:%d %B %Y}; how sure the team was can be judged from then on."
    return reading(report.calibration["teams"].get(team, {"n": 0}))


def calibration_html(team_name: str, words: str) -> str:
    """The calibration's reading (:func:`calibration_words`) for the room; escaped."""
    return (f'<div class="okr-app okr-review"><div class="okr-card okr-present"><b>{html.escape(team_name)}</b>: '
            f"{html.escape(words)}</div></div>")


def retro_notes(retro: pd.DataFrame, team: str) -> list[dict]:
    """The team's retro notes and shout-outs in the order they were written, as ``{"kind", "text", "author",
    "date"}`` with the date as ``2027-01-08``.
    """
    ours = retro[retro["team"] == team].sort_values("date", kind="stable")
    return [{"kind": row.kind, "text": row.text, "author": row.author if isinstance(row.author, str) else None,
             "date": f"{row.date:%Y-%m-%d}"} for row in ours.itertuples(index=False)]


def retro_html(notes: Sequence[dict]) -> str:
    """The team's retro (notes as :func:`retro_notes` gives them) in three columns: start, stop, continue; escaped."""
    columns = []
    for kind, label in RETRO_KINDS.items():
        lines = [note["text"] for note in notes if note["kind"] == kind]
        items = "".join(f"<li>{html.escape(text)}</li>" for text in lines) or '<li class="okr-muted">nothing yet</li>'
        columns.append(f"<div><h3>{label}</h3><ul>{items}</ul></div>")
    return f'<div class="okr-app okr-review"><div class="okr-columns">{"".join(columns)}</div></div>'


def shout_outs_html(notes: Sequence[dict]) -> str:
    """The team's shout-outs (notes as :func:`retro_notes` gives them), one a line; escaped."""
    lines = [note["text"] for note in notes if note["kind"] == "shout_out"]
    items = "".join(f"<li>{html.escape(text)}</li>" for text in lines) or '<li class="okr-muted">none yet</li>'
    return f'<div class="okr-app okr-review"><h3>Shout-outs</h3><ul>{items}</ul></div>'


@dataclass(frozen=True)
class Agreed:
    """What the room agreed on one objective: its final score, the decision for next quarter and the lesson."""

    objective: str
    title: str
    score: float | None
    """The latest reflection's score, else the computed one; None when there is neither."""
    expected: float
    decision: str | None
    """``keep``, ``drop`` or ``carry``; None until decided."""
    learned: str | None


def agreed_outcomes(scores: Sequence[ObjectiveScore], reflections: pd.DataFrame) -> list[Agreed]:
    """Each objective's :class:`Agreed` outcome: its latest reflection's, the computed score where none gives one."""
    agreed = []
    for row in scores:
        latest = next(iter(reflections_of(reflections, row.id)), {})
        score = _number(latest.get("score"))
        agreed.append(Agreed(row.id, row.title, row.score if score is None else score, row.expected,
                             latest.get("next"), latest.get("learned")))
    return agreed


def summary_html(agreed: Sequence[Agreed], notes: Sequence[dict], team_name: str, quarter: str) -> str:
    """The page to project at the end: each objective's score and decision, the lessons, the retro, the thanks."""
    rows = "".join(
        f'<tr><td>{html.escape(row.title)}</td><td class="okr-nowrap"><b>{score_span(row.score)}</b>'
        f' <span class="okr-muted">of {row.expected:.1f}</span></td>'
        f"<td class=\"okr-nowrap\">{html.escape(_DECISIONS.get(row.decision, 'not decided yet'))}</td>"
        f"<td>{html.escape(row.learned or '')}</td></tr>"
        for row in agreed)
    return (f'<div class="okr-app okr-review okr-present"><h3>{html.escape(team_name)}, '
            f'{html.escape(quarter)}</h3><table class="okr-table"><tr><th>objective</th><th>score</th>'
            f"<th>next quarter</th><th>we learned</th></tr>{rows}</table></div>"
            + retro_html(notes) + shout_outs_html(notes))
