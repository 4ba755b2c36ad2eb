"""The report's sections for the review meeting: SMART quality, lessons from the notes, keep / modify / abandon.

Each function takes a :class:`~okr_workshop.reports.review.Review`, gathers
its section's figures and renders them with the section's template in
``okr_workshop/pages/templates/report/`` (every text a person typed escaped).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from okr_workshop.palette import GRADE_COLOURS
from okr_workshop.reports import markup as m
from okr_workshop.tracking.scoring import grade
from okr_workshop.workbook import Workbook

__all__ = [
    "MAX_LESSONS", "MAX_NOTES_EACH", "MAX_NOTE_GROUPS", "MAX_PROMPTS", "MAX_RULES", "advice", "lessons", "prompts",
    "quality",
]

MAX_LESSONS = 20
MAX_NOTE_GROUPS = 20
"""Key results whose notes are listed; the rest are counted."""
MAX_NOTES_EACH = 8
MAX_RULES = 6
MAX_PROMPTS = 60
_CRITERIA = {"specific": "Specific", "measurable": "Measurable", "achievable": "Achievable", "relevant": "Relevant",
             "time_bound": "Time-bound"}


# --------------------------------------------------------------------------- SMART quality


def quality(review) -> m.Html:
    """How many of the key results shown meet all five SMART criteria, per criterion, and the main findings.

    The objectives shown one by one are checked: the company's own for the
    company (each team's are in the team's report), all of a team's or a
    person's.
    """
    from okr_workshop.smart.check import check_workbook  # noqa: PLC0415 - only this section needs the rules

    book = review.workbook
    ids = review.shown["id"]
    objectives = book["objectives"][book["objectives"]["id"].isin(ids)]
    krs = book["key_results"][book["key_results"]["objective"].isin(ids)]
    result = check_workbook(Workbook(tables={"objectives": objectives.reset_index(drop=True),
                                             "key_results": krs.reset_index(drop=True)}))
    checks = [kr for o in result.objectives for kr in o.key_results]
    if not checks:
        return m.render("quality.html", checked=0)
    passed = sum(all(kr.smart.values()) for kr in checks)
    findings = [(o.facts.id, f) for o in result.objectives for f in o.findings]
    findings += [(kr.facts.id, f) for o in result.objectives for kr in o.key_results for f in kr.findings]
    serious = [(subject, f) for subject, f in findings if f.severity in ("error", "warning")]
    by_rule = Counter(f.rule for _, f in serious)
    return m.render(
        "quality.html", checked=len(checks), passed=passed, colour=GRADE_COLOURS[grade(passed / len(checks))],
        criteria=[(label, sum(kr.smart[c] for kr in checks) / len(checks)) for c, label in _CRITERIA.items()],
        findings=[_finding(rule, count, serious) for rule, count in by_rule.most_common(MAX_RULES)],
        other_kinds=len(by_rule) - MAX_RULES)


def _finding(rule: str, count: int, serious: list) -> dict:
    """One kind of finding: its rule and summary, how often, two examples and what helps."""
    from okr_workshop.smart.rules import registry  # noqa: PLC0415 - only this section needs the rules

    examples = [(subject, f) for subject, f in serious if f.rule == rule][:2]
    return {"rule": rule, "summary": registry.get(rule).summary() if rule in registry else rule,
            "count": count, "examples": examples, "suggestion": examples[0][1].suggestion or ""}


# --------------------------------------------------------------------------- lessons


def lessons(review) -> m.Html:
    """Notes that read like lessons first, then every key result's notes of the quarter, newest last."""
    notes = review.notes
    learned = notes[notes["lesson"]].drop_duplicates(["key_result", "note"], keep="last")
    by_key_result: dict[str, list] = {}
    for row in notes.itertuples(index=False):
        by_key_result.setdefault(row.key_result, []).append(row)
    order = sorted(by_key_result, key=lambda k: (-sum(r.lesson for r in by_key_result[k]), -len(by_key_result[k])))
    return m.render(
        "lessons.html", notes=len(notes), as_of=review.as_of, name=review.name,
        titles=dict(zip(review.key_results["id"], review.key_results["title"], strict=True)),
        lessons=list(learned.tail(MAX_LESSONS).itertuples(index=False)), earlier_lessons=len(learned) - MAX_LESSONS,
        groups=[_note_group(kid, by_key_result[kid]) for kid in order[:MAX_NOTE_GROUPS]],
        other_groups=len(order) - MAX_NOTE_GROUPS)


def _note_group(key_result: str, rows: list) -> dict:
    """A key result's notes, oldest first, a note said twice once; the latest :data:`MAX_NOTES_EACH`."""
    group = sorted({row.note: row for row in rows}.values(), key=lambda row: row.date)
    shown = group[-MAX_NOTES_EACH:]
    return {"key_result": key_result, "notes": shown, "earlier": len(group) - len(shown)}


# --------------------------------------------------------------------------- keep / modify / abandon


_COLOURS = {"keep": GRADE_COLOURS["green"], "modify": GRADE_COLOURS["yellow"], "abandon": GRADE_COLOURS["red"]}


def advice(objective, krs: pd.DataFrame) -> tuple[str, str]:
    """``keep``, ``modify`` or ``abandon`` for one objective (a row of the review's objectives), with the reason."""
    if not len(krs):
        return "modify", "it has no key results, so nobody can tell how it stands"
    statuses = krs["status"].value_counts()
    good = int(statuses.get("done", 0) + statuses.get("on_track", 0))
    bad = len(krs) - good
    score = float(objective.score) if np.isfinite(objective.score) else 0.0
    expected = float(objective.expected) if np.isfinite(objective.expected) else 1.0
    pace = score / max(expected, 0.05)
    confidence = float(objective.confidence) if np.isfinite(objective.confidence) else float("nan")
    reason = (f"score {score:.2f} against {expected:.2f} expected by now; {good} of {len(krs)} key results on track "
              f"or done" + (f"; confidence {confidence:.2f}" if np.isfinite(confidence) else ""))
    if objective.outlook in ("met", "exceeded") or bad == 0:
        return "keep", reason
    if pace < 0.4 and (not np.isfinite(confidence) or confidence < 0.4) and good == 0:
        return "abandon", reason
    return "modify", reason


def prompts(review) -> m.Html:
    """A suggestion per objective, with the figures behind it and the question to discuss, then questions for all."""
    head = review.shown.head(MAX_PROMPTS)
    krs = review.key_results
    grouped = {oid: g for oid, g in krs[krs["objective"].isin(head["id"])].groupby("objective", sort=False)}
    empty = krs.iloc[0:0]
    rows = []
    for obj in head.itertuples(index=False):
        krs = grouped.get(obj.id, empty)
        verdict, reason = advice(obj, krs)
        rows.append({"objective": obj, "advice": verdict, "reason": reason,
                     "behind": krs[krs["status"].isin(["at_risk", "off_track"])]["id"].tolist()[:6]})
    return m.render("prompts.html", rows=rows, colours=_COLOURS)
