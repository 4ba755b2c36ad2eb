"""The report's sections for the review meeting: SMART quality, lessons from the notes, keep / modify / abandon.

Each function takes a :class:`~okr_workshop.reports.review.Review` and
returns HTML built from :mod:`~okr_workshop.reports.markup` pieces.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from okr_workshop.palette import GRADE_COLOURS
from okr_workshop.reports import markup as m
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
    from okr_workshop.smart.rules import registry  # noqa: PLC0415

    book = review.workbook
    ids = review.shown["id"]
    objectives = book["objectives"][book["objectives"]["id"].isin(ids)]
    krs = book["key_results"][book["key_results"]["objective"].isin(ids)]
    result = check_workbook(Workbook(tables={"objectives": objectives.reset_index(drop=True),
                                             "key_results": krs.reset_index(drop=True)}))
    checks = [kr for o in result.objectives for kr in o.key_results]
    if not checks:
        return m.section("SMART quality", '<p class="muted">No key results to check.</p>')
    passed = sum(all(kr.smart.values()) for kr in checks)
    per_criterion = {c: sum(kr.smart[c] for kr in checks) / len(checks) for c in _CRITERIA}
    findings = [(o.facts.id, f) for o in result.objectives for f in o.findings]
    findings += [(kr.facts.id, f) for o in result.objectives for kr in o.key_results for f in kr.findings]
    serious = [(subject, f) for subject, f in findings if f.severity in ("error", "warning")]
    by_rule = Counter(f.rule for _, f in serious)
    cards = [(f'<div class="kpi score" style="border-color:{_pass_colour(passed / len(checks))}"><div class="big">'
              f'{m.percent(passed / len(checks))}</div><div class="small">{passed:,} of '
              f'{m.plural(len(checks), "key result")} meet all five criteria</div></div>')]
    cards += [f'<div class="kpi"><div class="big">{m.percent(share)}</div><div class="small">{label}</div></div>'
              for criterion, label in _CRITERIA.items() for share in [per_criterion[criterion]]]
    rows = []
    for rule, count in by_rule.most_common(MAX_RULES):
        examples = [(s, f) for s, f in serious if f.rule == rule][:2]
        summary = registry.get(rule).summary() if rule in {r.code for r in registry} else rule
        rows.append([
            f'<span class="id">{m.esc(rule)}</span>{m.esc(summary)}', f'<span class="num">{count:,}</span>',
            "".join(f'<div><span class="id">{m.esc(s)}</span>{m.esc(f.message)}</div>' for s, f in examples),
            m.esc(examples[0][1].suggestion) if examples else "",
        ])
    body = f'<div class="kpis">{"".join(cards)}</div>'
    if rows:
        body += m.table(["Finding", "How often", "For example", "What helps"], rows)
        body += m.more(len(by_rule) - MAX_RULES, "other kind of finding")
    else:
        body += ('<p class="callout">No errors or warnings: every key result reads as specific, measurable and '
                 'time-bound.</p>')
    intro = ("The SMART check of these OKRs as they are written now: a key result passes when no rule raises an "
             "error or warning about it. Use the main findings to write next quarter's OKRs better.")
    return m.section("SMART quality", body, intro)


def _pass_colour(share: float) -> str:
    """The grade colour of the share of key results that pass, as a score of that share would have."""
    from okr_workshop.tracking.scoring import grade  # noqa: PLC0415

    return GRADE_COLOURS[grade(share)]


# --------------------------------------------------------------------------- lessons


def lessons(review) -> m.Html:
    """Notes that read like lessons first, then every key result's notes of the quarter, newest last."""
    notes = review.notes
    if not len(notes):
        return m.section("Lessons learned", '<p class="muted">No check-in notes yet. Ask owners to add a sentence '
                                            'to each check-in: what helped, what blocked.</p>')
    titles = dict(zip(review.key_results["id"], review.key_results["title"], strict=True))
    learned = notes[notes["lesson"]].drop_duplicates(["key_result", "note"], keep="last")
    parts = []
    if len(learned):
        parts.append("<h3>What the notes say was learned</h3>")
        for row in learned.tail(MAX_LESSONS).itertuples(index=False):
            parts.append(f'<div class="lesson">{m.esc(row.note)} <span class="muted">— <span class="id">'
                         f'{m.esc(row.key_result)}</span>{m.esc(titles.get(row.key_result, ""))}, '
                         f'{m.esc(review.name(row.author))}, {m.date(row.date)}</span></div>')
        parts.append(m.more(len(learned) - MAX_LESSONS, "earlier lesson"))
    by_key_result: dict[str, list] = {}
    for row in notes.itertuples(index=False):
        by_key_result.setdefault(row.key_result, []).append(row)
    order = sorted(by_key_result, key=lambda k: (-sum(r.lesson for r in by_key_result[k]), -len(by_key_result[k])))
    parts.append("<h3>Notes by key result</h3>")
    for kid in order[:MAX_NOTE_GROUPS]:
        group = list({row.note: row for row in by_key_result[kid]}.values())  # a note said twice counts once
        group.sort(key=lambda row: row.date)
        shown = group[-MAX_NOTES_EACH:]
        items = "".join(f'<li>{"<b>" if row.lesson else ""}{m.esc(row.note)}{"</b>" if row.lesson else ""} '
                        f'<span class="muted">{m.date(row.date)}</span></li>' for row in shown)
        hidden = len(group) - len(shown)
        earlier = f'<li class="muted">{m.plural(hidden, "earlier note")}</li>' if hidden > 0 else ""
        parts.append(f'<div><span class="id">{m.esc(kid)}</span>{m.esc(titles.get(kid, ""))}'
                     f'<ul class="notes">{earlier}{items}</ul></div>')
    parts.append(m.more(len(order) - MAX_NOTE_GROUPS, "key result with notes"))
    intro = (f"{m.plural(len(notes), 'check-in note')} up to {review.as_of:%d %b}. Notes that say what worked, "
             "what did not or what to do differently come first (in bold below).")
    return m.section("Lessons learned", "".join(parts), intro)


# --------------------------------------------------------------------------- keep / modify / abandon


_QUESTIONS = {
    "keep": "What made it work, and does it still belong in next quarter's OKRs, or is it done?",
    "modify": "Which key results should change (the measure, the target or the owner) so next quarter tells us more?",
    "abandon": "Does this still matter? If it does, what blocked it; if not, drop it on purpose and tell the people "
               "who counted on it.",
}
_COLOURS = {"keep": GRADE_COLOURS["green"], "modify": GRADE_COLOURS["yellow"], "abandon": GRADE_COLOURS["red"]}
_MEETING = [
    "Keep: which objectives still matter next quarter as they are?",
    "Modify: where did a key result count work done rather than a result, or turn out far too easy or too hard?",
    "Abandon: what will we stop doing, and who needs to hear it?",
    "Process: were the check-ins frequent enough, and did the confidence we gave match what happened?",
]


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
        lagging = krs[krs["status"].isin(["at_risk", "off_track"])]["id"].tolist()
        behind = f'<div class="muted">behind: {m.esc(", ".join(lagging[:6]))}</div>' if lagging else ""
        detail = m.esc(reason) + behind
        rows.append([f'<span class="id">{m.esc(obj.id)}</span>{m.esc(obj.title)}', m.chip(verdict, _COLOURS[verdict]),
                     detail, f'<span class="prompt-q">{m.esc(_QUESTIONS[verdict])}</span>'])
    body = m.table(["Objective", "Suggests", "Because", "To discuss"], rows) if rows else ""
    body += "<h3>For the whole meeting</h3><ul>" + "".join(f"<li>{m.esc(q)}</li>" for q in _MEETING) + "</ul>"
    intro = ("A starting point for the review meeting, read from the figures: the people in the room know what the "
             "figures do not, so treat each suggestion as a question.")
    return m.section("Keep, modify or abandon", body, intro)
