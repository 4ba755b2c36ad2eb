"""The report's sections about scores: headline, objectives with their key results, at risk, alignment, carry-over.

Each function takes a :class:`~okr_workshop.reports.review.Review`, gathers
the figures its section shows and renders them with the section's template
in ``okr_workshop/pages/templates/report/`` (:func:`~okr_workshop.reports.markup.render`),
which escapes every text a person typed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from okr_workshop.model import Quarter
from okr_workshop.palette import GRADE_COLOURS, NO_STYLE, STATUSES, VERDICTS
from okr_workshop.reports import markup as m
from okr_workshop.tracking.scoring import grade

__all__ = ["MAX_AT_RISK", "MAX_CARRY", "MAX_GAPS", "MAX_OBJECTIVES", "MAX_TREE", "alignment", "at_risk",
           "carry_over", "headline", "next_quarter", "objectives"]

MAX_OBJECTIVES = 60
"""Objectives shown one by one; the rest are counted."""
MAX_AT_RISK = 20
MAX_CARRY = 40
MAX_TREE = 120
"""Above this many objectives the company's tree shows each company objective's team objectives as a summary."""
MAX_GAPS = 20
"""Alignment gaps (objectives that serve nothing, or nothing serves) shown; the rest are counted."""


def headline(review) -> m.Headline:
    """Title, when, who sees it, then the score, the counts, met / exceeded / falling short and key result statuses."""
    f = review.figures()
    first, last = review.period
    days = (last - first).days + 1
    text = m.render(
        "headline.html", f=f, quarter=review.quarter, kind=review.scope.kind, ended=review.as_of >= last,
        as_of=review.as_of, last_day=last, day=min(max((review.as_of - first).days + 1, 0), days), days=days,
        elapsed=review.elapsed, heading="Company" if review.scope.kind == "company" else review.subject,
        viewer=review.name(review.viewer), colour=GRADE_COLOURS.get(f["grade"], NO_STYLE.colour),
        verdicts=VERDICTS, statuses=STATUSES)
    return m.Headline(text, f)


def _text(value: object) -> str:
    """``value`` if it is text, else empty (a missing note is NaN)."""
    return value if isinstance(value, str) else ""


def _grade(progress: float) -> str | None:
    return grade(progress) if np.isfinite(progress) else None


def _records(review, krs: pd.DataFrame) -> list:
    """The rows of ``krs`` as named tuples, with their progress's grade, the owner's and last note author's names."""
    return list(krs.assign(progress_grade=krs["progress"].map(_grade), owner_name=krs["owner"].map(review.name),
                           note=krs["note"].map(_text),
                           author_name=krs["note_author"].map(review.name)).itertuples(index=False))


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _card(review, obj, key_results: list) -> dict:
    """What an objective's card shows besides the objective itself."""
    rollup = obj.rollup if np.isfinite(obj.rollup) and obj.level != "individual" else None
    return {
        "objective": obj, "key_results": key_results, "score": _finite(obj.score),
        "team": review.teams.get(obj.team, obj.team) if isinstance(obj.team, str) and obj.level == "team" else None,
        "owner": review.name(obj.owner) or None,
        "rollup": rollup if rollup is not None and abs(rollup - obj.score) > 0.005 else None,
        "confidence": _finite(obj.confidence),
        "indent": 1.2 * min(int(obj.depth), 3) if review.scope.kind != "company" else None,
    }


def objectives(review) -> m.Html:
    """A card per objective: its score, grade, verdict and roll-up, then its key results."""
    shown = review.shown
    head = shown.head(MAX_OBJECTIVES)
    krs = review.key_results
    grouped: dict[str, list] = {}
    for record in _records(review, krs[krs["objective"].isin(head["id"])]):
        grouped.setdefault(record.objective, []).append(record)
    cards = [_card(review, obj, grouped.get(obj.id, [])) for obj in head.itertuples(index=False)]
    return m.render("objectives.html", kind=review.scope.kind, cards=cards, left_out=len(shown) - MAX_OBJECTIVES)


def at_risk(review) -> m.Html:
    """Key results at risk or off track: off track first, then the furthest behind their expected progress."""
    krs = review.key_results
    risky = krs[krs["status"].isin(["at_risk", "off_track"])]
    gap = np.nan_to_num(risky["expected"].to_numpy(dtype="float64")) - risky["progress"].to_numpy(dtype="float64")
    risky = risky.iloc[np.lexsort((-gap, (risky["status"] != "off_track").to_numpy()))]
    counts = risky["status"].value_counts()
    return m.render(
        "at_risk.html", key_results=_records(review, risky.head(MAX_AT_RISK)), left_out=len(risky) - MAX_AT_RISK,
        objective_titles=dict(zip(review.listed["id"], review.listed["title"], strict=True)),
        off_track=int(counts.get("off_track", 0)), at_risk=int(counts.get("at_risk", 0)))


def _tree_line(obj, **extra) -> dict:
    """An objective in the tree, with its roll-up (its own score when nothing is aligned to it) and ``extra``."""
    rolled = np.isfinite(obj.rollup)
    score = obj.rollup if rolled else obj.score
    return {"objective": obj, "depth": int(obj.depth), "grade": _grade(obj.rollup) if rolled else obj.grade,
            "score": _finite(score), "summary": None, "individuals": 0, "serves": None, **extra}


def _summary(listed: pd.DataFrame, obj) -> dict:
    """How the team objectives aligned to the company objective ``obj`` stand: counts by grade, the lowest five."""
    served = listed[(listed["parent"] == obj.id) & (listed["level"] == "team")]
    grades = served["rollup"].map(_grade).value_counts()
    return {"served": len(served), "lowest": list(served.nsmallest(5, "rollup").itertuples(index=False)),
            **{colour: int(grades.get(colour, 0)) for colour in ("green", "yellow", "red")}}


def _tree(review) -> tuple[list[dict], bool]:
    """The lines of the alignment tree, and whether the company's team objectives are summarised."""
    listed = review.listed
    kind = review.scope.kind
    if kind == "company" and len(listed) > MAX_TREE:
        return [_tree_line(obj, summary=_summary(listed, obj))
                for obj in listed[listed["level"] == "company"].itertuples(index=False)], True
    everything = review.status.objectives
    below = everything[everything["level"] == "individual"].groupby("parent").size()
    lines = []
    for obj in listed.itertuples(index=False):
        individuals = int(below[obj.id]) if kind == "company" and obj.level == "team" and obj.id in below.index else 0
        parent = obj.parent if isinstance(obj.parent, str) else None
        serves = parent if kind != "company" and int(obj.depth) == 0 else None
        lines.append(_tree_line(obj, individuals=individuals, serves=serves))
    return lines, False


def alignment(review) -> m.Html:
    """The scope's objectives as a tree (each with its roll-up), then what is not aligned."""
    lines, summarised = _tree(review)
    book = review.workbook["objectives"]
    subjects = set(review.listed["id"])
    gaps = [f.message for f in review.status.findings
            if f.code in ("cascade.unserved", "cascade.orphan") and f.subject in subjects]
    return m.render("alignment.html", lines=lines, summarised=summarised, alignment=review.status.alignment,
                    titles=dict(zip(book["id"], book["title"], strict=True)), gaps=gaps[:MAX_GAPS],
                    left_out=len(gaps) - MAX_GAPS)


def next_quarter(quarter: str) -> str:
    """The quarter after ``quarter``: 2026-Q4 -> 2027-Q1."""
    return str(Quarter.parse(quarter).next())


def carry_over(review) -> m.Html:
    """Unfinished key results of the objectives shown, each with the value it would start from next quarter.

    The company's report lists the company's own; each team decides on its own in its report.
    """
    krs = review.key_results[review.key_results["objective"].isin(review.shown["id"])]
    open_krs = krs[~(krs["scored"] & (krs["progress"] >= 1.0 - 1e-9))]
    return m.render("carry_over.html", key_results=list(open_krs.head(MAX_CARRY).itertuples(index=False)),
                    open=len(open_krs), left_out=len(open_krs) - MAX_CARRY, as_of=review.as_of,
                    quarter=review.quarter, following=next_quarter(review.quarter))
