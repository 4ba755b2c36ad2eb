"""The index page of a report run: every report with its headline figures, and the ones that failed."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from okr_workshop.palette import GRADES
from okr_workshop.reports import markup as m

__all__ = ["render_index", "write_index"]

_INDEX_CSS = """
body{margin:0;background:#f6f7f9}.okr-report.page{margin:0 auto;padding:1.5rem 2rem;max-width:66rem}
.okr-t a{color:#1f5f99;font-weight:600;text-decoration:none}.okr-t a:hover{text-decoration:underline}
.okr-report table.okr-t td:last-child{white-space:nowrap}
"""


def _link(path: Path | None, label: str) -> str:
    """A link to a report beside the index, by its own file name (quoted, so ``#``, ``?`` or ``%`` stay in the name)."""
    return f'<a href="{m.esc(quote(path.name))}">{m.esc(label)}</a>' if path is not None else ""


def _row(outcome) -> list[str]:
    f = outcome.figures or {}
    name = f.get("subject") or outcome.scope
    name = "Company" if outcome.scope == "company" else name
    links = " · ".join(x for x in (_link(outcome.html, "HTML"), _link(outcome.pdf, "PDF")) if x)
    title = _link(outcome.html or outcome.pdf, name) or m.esc(name)
    if not outcome.ok:
        return [f'{m.esc(name)}<div class="muted">{m.esc(outcome.scope)}</div>', m.chip("failed", GRADES["red"].colour),
                f'<span class="note">{m.esc(outcome.error or "")}</span>', "", "", "", ""]
    verdicts = f.get("verdicts", {})
    statuses = f.get("statuses", {})
    return [
        f'{title}<div class="muted">{m.esc(outcome.scope)}</div>',
        m.grade_chip(f.get("grade"), f.get("score")),
        f'{f.get("objectives", 0):,} objectives, {f.get("key_results", 0):,} key results',
        f'{verdicts.get("exceeded", 0)} / {verdicts.get("met", 0)} / {verdicts.get("falling_short", 0)}',
        f'{statuses.get("at_risk", 0) + statuses.get("off_track", 0):,}',
        m.percent(f.get("alignment")) if f.get("alignment") is not None else "–",
        links,
    ]


def render_index(outcomes: Sequence, quarter: str, viewer: str | None = None, as_of: str = "") -> str:
    """The index page as HTML text (a standalone page, nothing loaded from anywhere)."""
    failed = [o for o in outcomes if not o.ok]
    when = next((o.figures.get("as_of") for o in outcomes if o.figures), as_of) or ""
    rows = [_row(o) for o in outcomes]
    table = m.table(["Report", "Score", "Size", "Exceeded / met / short", "At risk or off track", "Aligned", "Open"],
                    rows)
    pace = ("" if all((o.figures or {}).get("ended", True) for o in outcomes) else
            " Before the quarter ends, exceeded / met / short say where objectives would end at their pace so far.")
    seen = (f"as {m.esc(viewer)} may see them" if viewer
            else "as anyone may see them: no participants-only objective appears in any figure")
    summary = (f'{m.plural(len(outcomes) - len(failed), "report")} made'
               + (f', <b>{m.plural(len(failed), "scope")} failed</b> (see below)' if failed else "") + ".")
    made = dt.datetime.now().strftime("%d %b %Y %H:%M")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>Quarterly reviews {m.esc(quarter)}</title>'
            f"{m.style_tag()}<style>{_INDEX_CSS}</style></head><body><main class=\"okr-report page\">"
            f'<div class="kicker">Quarterly review · {m.esc(quarter)}{" · as of " + m.esc(when) if when else ""}</div>'
            f"<h1>Review reports</h1><p class=\"lead\">{summary} Figures {seen}. Score and grade: 0.7 and up green, "
            f"0.4 to 0.69 yellow, below 0.4 red.{pace} Made {m.esc(made)}.</p>{table}</main></body></html>")


def write_index(path: str | os.PathLike, outcomes: Sequence, quarter: str, viewer: str | None = None,
                as_of: str = "") -> Path:
    """Write the index page to ``path`` (whole or not at all); links are relative, so the folder can move as a whole."""
    from okr_workshop.atomic import atomic_file  # noqa: PLC0415

    path = Path(path)
    page = render_index(outcomes, quarter, viewer, as_of)
    with atomic_file(path) as staging:
        staging.write_text(page, encoding="utf-8")
    return path
