"""The index page of a report run: every report with its headline figures, and the ones that failed.

The page is the template ``templates/report_index.html`` of :mod:`okr_workshop.pages`, every text escaped;
the chips and the reports' stylesheet come from :mod:`okr_workshop.reports.markup`, as in the reports.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from okr_workshop.atomic import atomic_file
from okr_workshop.pages import render, stylesheet
from okr_workshop.palette import GRADES
from okr_workshop.reports import markup as m

__all__ = ["render_index", "write_index"]


@dataclass(frozen=True)
class _Row:
    """One report's line in the index: texts the template escapes, chips already made, links beside the index."""

    name: str
    scope: str
    score: Markup
    href: str | None = None
    html: str | None = None
    pdf: str | None = None
    size: str = ""
    verdicts: str = ""
    at_risk: str = ""
    aligned: str = ""
    error: str | None = None


def _href(path: Path | None) -> str | None:
    """A link to a report beside the index, by its own file name (quoted, so ``#``, ``?`` or ``%`` stay in the name)."""
    return quote(path.name) if path is not None else None


def _row(outcome) -> _Row:
    """The index line of one report run's outcome: its figures, or why it failed."""
    f = outcome.figures or {}
    name = "Company" if outcome.scope == "company" else f.get("subject") or outcome.scope
    if not outcome.ok:
        return _Row(name, outcome.scope, Markup(m.chip("failed", GRADES["red"].colour)), error=outcome.error or "")
    verdicts = f.get("verdicts", {})
    statuses = f.get("statuses", {})
    return _Row(
        name, outcome.scope, Markup(m.grade_chip(f.get("grade"), f.get("score"))),
        href=_href(outcome.html or outcome.pdf), html=_href(outcome.html), pdf=_href(outcome.pdf),
        size=f'{f.get("objectives", 0):,} objectives, {f.get("key_results", 0):,} key results',
        verdicts=f'{verdicts.get("exceeded", 0)} / {verdicts.get("met", 0)} / {verdicts.get("falling_short", 0)}',
        at_risk=f'{statuses.get("at_risk", 0) + statuses.get("off_track", 0):,}',
        aligned=m.percent(f.get("alignment")) if f.get("alignment") is not None else "–",
    )


def render_index(outcomes: Sequence, quarter: str, viewer: str | None = None, as_of: str = "") -> str:
    """The index page as HTML text (a standalone page, nothing loaded from anywhere)."""
    failed = sum(not o.ok for o in outcomes)
    return render(
        "report_index.html", quarter=quarter, viewer=viewer, rows=[_row(o) for o in outcomes],
        as_of=next((o.figures.get("as_of") for o in outcomes if o.figures), as_of) or "",
        made=m.plural(len(outcomes) - failed, "report"), failed=m.plural(failed, "scope") if failed else "",
        ended=all((o.figures or {}).get("ended", True) for o in outcomes),
        made_at=dt.datetime.now().strftime("%d %b %Y %H:%M"),
        report_style=Markup(m.style_tag()), css=Markup(stylesheet("report_index.css")),
    )


def write_index(path: str | os.PathLike, outcomes: Sequence, quarter: str, viewer: str | None = None,
                as_of: str = "") -> Path:
    """Write the index page to ``path`` (whole or not at all); links are relative, so the folder can move as a whole."""
    path = Path(path)
    page = render_index(outcomes, quarter, viewer, as_of)
    with atomic_file(path) as staging:
        staging.write_text(page, encoding="utf-8")
    return path
