"""One quarterly review report: :func:`build` gathers its figures, the :class:`Review` shows them section by section.

The notebook template does no more than this::

    from okr_workshop.reports import review
    r = review.build(db, quarter, scope, viewer, as_of)
    r.headline()        # then r.objectives(), r.charts(), r.at_risk(), ...

Each section method returns HTML (every text a person typed is escaped)
that a notebook displays and nbconvert keeps. What a scope holds:

- ``company``: every objective of the quarter counts in the headline; the
  company objectives are shown one by one; the lists (at risk, notes,
  SMART quality, carry-over) draw on company and team objectives, since
  individual objectives belong in their team's report;
- ``team:<id>``: the team's (and its sub-teams') team and individual objectives;
- ``person:<id>``: the objectives the person owns.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from okr_workshop.exceptions import ReportError
from okr_workshop.model import quarter_bounds
from okr_workshop.reports import closing, insights, markup, sections, trends
from okr_workshop.reports.data import load_quarter
from okr_workshop.reports.scope import (
    Scope,
    audience_mask,
    needed_mask,
    parse_scope,
    restrict,
)
from okr_workshop.tracking.scoring import grade, verdicts
from okr_workshop.tracking.status import StatusReport, build_status
from okr_workshop.workbook import Workbook

__all__ = ["EARLIEST_OUTLOOK", "Review", "build"]

_LESSON = re.compile(
    r"\b(?:learn\w*|lessons?|reflect\w*|next time|turn(?:s|ed) out|realis\w*|realiz\w*|works? better|worked|"
    r"did(?:n't| not) work|helps?|helped|pay(?:s|ing)? off|instead|because|should have|we should|mistakes?|"
    r"takeaways?|surpris\w*|insights?|the hook|more than anything|(?:better|worse|later|slower|faster) than "
    r"(?:we |expected|planned|hoped)|than we (?:hoped|expected|planned)|mostly|main (?:complaint|cause|reason)|"
    r"too (?:expensive|slow|late|early|much|many)|not us)\b",
    re.IGNORECASE,
)
"""Words that mark a check-in note as a lesson (what worked, what did not, what to do differently)."""


@dataclass
class Review:
    """The figures of one report, and its sections as HTML."""

    scope: Scope
    quarter: str
    as_of: dt.date
    viewer: str | None
    workbook: Workbook = field(repr=False)
    """The quarter as the report's audience may see it."""
    status: StatusReport = field(repr=False)
    """Scores and statuses of the scope (for a person, of the objectives they own)."""
    shown: pd.DataFrame = field(repr=False)
    """The objectives shown one by one (rows of ``status.objectives``, with ``outlook``: met, exceeded or
    falling short, at the quarter's end or, before it, at the objective's pace so far)."""
    listed: pd.DataFrame = field(repr=False)
    """The objectives the lists draw on (at risk, notes, SMART quality, carry-over)."""
    key_results: pd.DataFrame = field(repr=False)
    """Rows of ``status.key_results`` for the listed objectives, with ``unit``, ``owner`` and the last note
    (``note``, ``note_date``, ``note_author``)."""
    notes: pd.DataFrame = field(repr=False)
    """Every check-in note of the listed key results up to ``as_of``: ``key_result``, ``date``, ``note``,
    ``author``, ``lesson`` (it reads like a lesson learned)."""
    people: dict[str, str] = field(repr=False, default_factory=dict)
    """Person id to name."""
    teams: dict[str, str] = field(repr=False, default_factory=dict)
    """Team id to name."""
    db: str = field(repr=False, default="")
    """The store the report reads (empty: the default store); the calibration trend reads earlier quarters there."""

    # ------------------------------------------------------------------ naming

    @property
    def subject(self) -> str:
        """Who the report is about, in words: ``the company``, ``Fleet Operations``, ``Emeka Obi``."""
        if self.scope.kind == "company":
            return "the company"
        if self.scope.kind == "team":
            return self.teams.get(self.scope.id, self.scope.id)
        return self.people.get(self.scope.id, self.scope.id)

    @property
    def title(self) -> str:
        """The report's title."""
        who = "Company" if self.scope.kind == "company" else self.subject
        return f"Quarterly review {self.quarter}: {who}"

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """First and last day of the quarter."""
        return quarter_bounds(self.quarter)

    @property
    def elapsed(self) -> float:
        """The share of the quarter gone by on ``as_of`` (0 to 1)."""
        first, last = self.period
        return min(max(((self.as_of - first).days + 1) / ((last - first).days + 1), 0.0), 1.0)

    @property
    def ended(self) -> bool:
        """Is the quarter over on ``as_of``?"""
        return self.as_of >= self.period[1]

    def name(self, person: object) -> str:
        """A person's name (their id when the store has no name)."""
        return self.people.get(person, str(person)) if isinstance(person, str) else ""

    # ------------------------------------------------------------------ figures

    @property
    def counted(self) -> pd.DataFrame:
        """The objectives the headline counts: all of the scope's (every objective, for the company)."""
        return self.status.objectives

    @property
    def score(self) -> float | None:
        """The scope's score: the mean roll-up of its top objectives (company, team, or the person's own)."""
        if self.scope.kind == "company":
            return self.status.company_score
        objectives = self.status.objectives
        top = objectives[objectives["level"] == "team"] if self.scope.kind == "team" else objectives
        values = top["rollup"].dropna()
        if not len(values):
            values = objectives["score"].dropna()
        return float(values.mean()) if len(values) else None

    def figures(self) -> dict:
        """The headline figures as plain values (the index page shows them too)."""
        counted = self.counted
        krs = self.status.key_results
        outlooks = counted["outlook"].value_counts()
        statuses = krs["status"].value_counts()
        score = self.score
        return {
            "scope": str(self.scope), "title": self.title, "subject": self.subject, "quarter": self.quarter,
            "as_of": self.as_of.isoformat(), "elapsed": round(self.elapsed, 4), "ended": self.ended,
            "score": None if score is None else round(score, 4),
            "grade": grade(score) if score is not None else None,
            "objectives": len(counted), "key_results": len(krs),
            "verdicts": {v: int(outlooks.get(v, 0)) for v in ("exceeded", "met", "falling_short")},
            "statuses": {s: int(statuses.get(s, 0)) for s in ("done", "on_track", "at_risk", "off_track")},
            "adoption": self.status.adoption if self.scope.kind != "person" else None,
            "alignment": self.status.alignment if self.scope.kind != "person" else None,
        }

    # ------------------------------------------------------------------ sections (HTML)

    def style(self) -> markup.Html:
        """The report's stylesheet (display it once, first)."""
        return markup.Html(markup.style_tag())

    def headline(self) -> markup.Headline:
        """Title, score, grade, met / exceeded / falling short, key result statuses."""
        return sections.headline(self)

    def objectives(self) -> markup.Html:
        """Each objective with its key results: progress against expected, status, confidence, last note."""
        return sections.objectives(self)

    def charts(self) -> markup.Html:
        """Progress against expected and confidence over the quarter; scores by team for the company."""
        return trends.charts(self)

    def at_risk(self) -> markup.Html:
        """The key results at risk or off track, the furthest behind first."""
        return sections.at_risk(self)

    def alignment(self) -> markup.Html:
        """The alignment tree of the scope."""
        return sections.alignment(self)

    def quality(self) -> markup.Html:
        """SMART quality of the scope's OKRs: pass rates and the main findings."""
        return insights.quality(self)

    def lessons(self) -> markup.Html:
        """Lessons learned from the check-in notes, lesson-like notes first."""
        return insights.lessons(self)

    def prompts(self) -> markup.Html:
        """Keep, modify or abandon: a suggestion and a question per objective for the review meeting."""
        return insights.prompts(self)

    def carry_over(self) -> markup.Html:
        """Unfinished key results that could carry over into the next quarter."""
        return sections.carry_over(self)

    def reflections(self) -> markup.Html:
        """Each author's reflection per objective: final score, what worked, what did not, learned, next."""
        return closing.reflections(self)

    def retro(self) -> markup.Html:
        """The team retro of the quarter: start, stop, continue and shout-outs (every team's, for the company)."""
        return closing.retro(self)

    def changes(self) -> markup.Html:
        """Key results changed after the quarter began, and what a changed target was at the start."""
        return closing.changes(self)

    def calibration(self) -> markup.Html:
        """How well mid-quarter confidence foretold the results, once the quarter is over, and quarter by quarter."""
        return closing.calibration(self)


def _day(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportError(f"as_of {value!r} is no date; write YYYY-MM-DD, such as 2026-11-20") from None


def _check_subject(scope: Scope, workbook: Workbook) -> None:
    if scope.kind == "team" and scope.id not in set(workbook["teams"]["id"]):
        known = ", ".join(sorted(workbook["teams"]["id"])[:12])
        raise ReportError(f"no team {scope.id!r} in the store (teams: {known or 'none'})")
    if scope.kind == "person" and scope.id not in set(workbook["people"]["id"]):
        raise ReportError(f"no person {scope.id!r} in the store")


def build(db: str = "", quarter: str = "", scope: str | Scope = "company", viewer: str = "", as_of: str = "",
          snapshot: str = "") -> Review:
    """Gather one report: ``scope`` of ``quarter`` on ``as_of``, as ``viewer`` may see it.

    Empty values take defaults: ``quarter`` the store's current one,
    ``as_of`` today (the quarter's last day once it is over), ``viewer``
    nobody in particular (see :mod:`okr_workshop.reports.scope`).
    ``snapshot`` is a quarter prepared by ``okr-workshop report``; it stands
    in for reading ``db``.
    """
    scope = parse_scope(scope)
    day = _day(as_of)
    quarter, book = load_quarter(db or None, quarter or None, snapshot or None, day, scope)
    day = day or min(dt.date.today(), quarter_bounds(quarter)[1])
    viewer = (viewer or "").strip() or None
    if viewer is not None and viewer not in set(book["people"]["id"]):
        raise ReportError(f"no person {viewer!r} in the store to read the report as")
    _check_subject(scope, book)
    book = restrict(book, audience_mask(book["objectives"], book["people"], scope, viewer))
    scored = restrict(book, needed_mask(book["objectives"], book["people"], book["teams"], scope))
    status = build_status(scored, as_of=day, quarter=quarter, team=scope.id if scope.kind == "team" else None)
    if scope.kind == "person":
        status = _owned_by(status, scope.id)
    status.objectives = status.objectives.assign(
        outlook=_outlook(status.objectives, ended=day >= quarter_bounds(quarter)[1]))
    objectives = status.objectives
    listed = objectives[objectives["level"].isin(["company", "team"])] if scope.kind == "company" else objectives
    shown = objectives[objectives["level"] == "company"] if scope.kind == "company" else objectives
    krs = status.key_results
    krs = krs[krs["objective"].isin(listed["id"])].reset_index(drop=True)
    notes = _notes(scored["checkins"], krs["id"], day)
    krs = _with_details(krs, scored["key_results"], notes)
    return Review(scope=scope, quarter=quarter, as_of=day, viewer=viewer, workbook=scored, status=status,
                  shown=shown.reset_index(drop=True), listed=listed.reset_index(drop=True), key_results=krs,
                  notes=notes, people=_names(book["people"]), teams=_names(book["teams"]), db=db)


EARLIEST_OUTLOOK = 0.15
"""The share of its period an objective must be into before its pace says how it will end."""


def _outlook(objectives: pd.DataFrame, ended: bool) -> np.ndarray:
    """``met``, ``exceeded`` or ``falling_short`` per objective: the verdict once the quarter is over, else where
    the objective ends if it keeps its pace (score and attainment divided by its expected progress); None where
    there is no score or it is too early to tell.
    """
    if ended:
        return objectives["verdict"].to_numpy(dtype=object)
    pace = objectives["expected"].to_numpy(dtype="float64")
    pace = np.where(np.isfinite(pace) & (pace >= EARLIEST_OUTLOOK), pace, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.minimum(objectives["score"].to_numpy(dtype="float64") / pace, 1.0)
        attainment = objectives["attainment"].to_numpy(dtype="float64") / pace
    return verdicts(score, attainment, objectives["commitment"].to_numpy(dtype=object))


def _owned_by(status: StatusReport, person: str) -> StatusReport:
    objectives = status.objectives[status.objectives["owner"] == person]
    objectives = objectives.assign(depth=objectives["depth"] - (objectives["depth"].min() if len(objectives) else 0))
    krs = status.key_results[status.key_results["objective"].isin(objectives["id"])]
    subjects = set(objectives["id"]) | set(krs["id"])
    return StatusReport(quarter=status.quarter, as_of=status.as_of, team=None, key_results=krs.reset_index(drop=True),
                        objectives=objectives.reset_index(drop=True), teams=status.teams.iloc[0:0],
                        adoption=None, alignment=None, company_score=None,
                        findings=[f for f in status.findings if f.subject in subjects])


def _names(frame: pd.DataFrame) -> dict[str, str]:
    names = frame["name"].where(frame["name"].notna(), frame["id"])
    return dict(zip(frame["id"], names, strict=True))


def _notes(checkins: pd.DataFrame, key_results: pd.Series, as_of: dt.date) -> pd.DataFrame:
    """The notes of ``key_results`` written up to ``as_of``, oldest first (one date: in the order recorded)."""
    rows = checkins[checkins["key_result"].isin(key_results) & checkins["note"].notna()
                    & (checkins["date"] <= pd.Timestamp(as_of))]
    rows = rows.iloc[np.argsort(rows["date"].to_numpy(), kind="stable")]
    text = rows["note"].astype(str).str.strip()
    rows = rows[(text != "").to_numpy()]
    notes = pd.DataFrame({
        "key_result": rows["key_result"].to_numpy(dtype=object), "date": rows["date"].to_numpy(),
        "note": rows["note"].astype(str).str.strip().to_numpy(dtype=object),
        "author": rows["author"].to_numpy(dtype=object),
    })
    notes["lesson"] = notes["note"].str.contains(_LESSON) if len(notes) else pd.Series(dtype=bool)
    return notes


def _with_details(krs: pd.DataFrame, table: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    """``krs`` with ``unit`` and ``owner`` from the key results table and each one's latest note."""
    ids = krs["id"].to_numpy(dtype=object)
    own = table.drop_duplicates("id").set_index("id").reindex(ids)
    last = notes.drop_duplicates("key_result", keep="last").set_index("key_result").reindex(ids)
    return krs.assign(
        unit=own["unit"].to_numpy(dtype=object), owner=own["owner"].to_numpy(dtype=object),
        note=last["note"].to_numpy(dtype=object), note_date=last["date"].to_numpy(dtype="datetime64[ns]"),
        note_author=last["author"].to_numpy(dtype=object),
    )
