"""Lessons into the next planning: what a team said at its last review, shown beside the planning forms.

:func:`last_lessons` finds the latest quarter before the one being planned in
which the team's objectives (or a person's own) were reflected on, and
:func:`lessons_html` shows each of those objectives with what was learned,
what did not work and the decision (keep, drop, carry): the objectives marked
``carry`` first, since they are the ones to write again.
"""

from __future__ import annotations

import html

import pandas as pd

from okr_workshop.model import quarter_bounds
from okr_workshop.workbook import Workbook

__all__ = ["last_lessons", "lessons_html"]

_DECISIONS = {"carry": "carry into this quarter", "keep": "keep", "drop": "drop"}
_ORDER = {"carry": 0, "keep": 1, "drop": 2}


def last_lessons(workbook: Workbook, quarter: str | None, *, team: str | None = None,
                 owner: str | None = None) -> tuple[str | None, pd.DataFrame]:
    """(the quarter, its reflections joined to their objectives) of the latest review before ``quarter``.

    The objectives counted are the team's (``team``) and the person's own
    (``owner``); ``workbook`` holds every quarter the reader may see.
    """
    objectives = workbook["objectives"]
    if not quarter:
        return None, workbook["reflections"].iloc[:0]
    first = quarter_bounds(quarter)[0]
    earlier = objectives["quarter"].map(lambda q: isinstance(q, str) and quarter_bounds(q)[0] < first)
    ours = pd.Series(False, index=objectives.index)
    if team is not None:
        ours |= (objectives["level"] == "team") & (objectives["team"] == team)
    if owner is not None:
        ours |= (objectives["level"] == "individual") & (objectives["owner"] == owner)
    candidates = objectives[earlier & ours]
    reflections = workbook["reflections"]
    reflected = reflections[reflections["objective"].isin(candidates["id"])]
    if reflected.empty:
        return None, reflected
    joined = reflected.merge(candidates[["id", "title", "quarter"]], left_on="objective", right_on="id")
    last = max(joined["quarter"], key=lambda q: quarter_bounds(q)[0])
    joined = joined[joined["quarter"] == last]
    joined = joined.assign(order=joined["next"].map(_ORDER).fillna(3))
    return last, joined.sort_values(["order", "objective", "date"], kind="stable").reset_index(drop=True)


def lessons_html(quarter: str | None, reflections: pd.DataFrame) -> str:
    """The lessons of the last review, to read while drafting; every text escaped."""
    if quarter is None:
        return ('<div class="okr-app"><p class="okr-muted">No review of an earlier quarter yet: the lessons of '
                "the next one will show here.</p></div>")
    items = []
    for row in reflections.itertuples(index=False):
        decision = _DECISIONS.get(row.next, "no decision")
        parts = [f"<b>{html.escape(row.objective)}</b> {html.escape(row.title)} · <i>{html.escape(decision)}</i>"]
        for label, text in (("learned", row.learned), ("did not work", row.did_not_work)):
            if isinstance(text, str) and text:
                parts.append(f"{label}: {html.escape(text)}")
        items.append(f"<li>{'<br>'.join(parts)}</li>")
    return (f'<div class="okr-app"><h4>Lessons from the {html.escape(quarter)} review</h4>'
            f"<ul>{''.join(items)}</ul></div>")
