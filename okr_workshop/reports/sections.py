"""The report's sections about scores: headline, objectives with their key results, at risk, alignment, carry-over.

Each function takes a :class:`~okr_workshop.reports.review.Review` and
returns HTML built from :mod:`~okr_workshop.reports.markup` pieces, so every
text a person typed is escaped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from okr_workshop.model import Quarter
from okr_workshop.palette import GRADE_COLOURS, NO_STYLE, STATUS_COLOURS
from okr_workshop.reports import markup as m

__all__ = ["MAX_AT_RISK", "MAX_CARRY", "MAX_OBJECTIVES", "MAX_TREE", "alignment", "at_risk", "carry_over",
           "headline", "next_quarter", "objectives"]

MAX_OBJECTIVES = 60
"""Objectives shown one by one; the rest are counted."""
MAX_AT_RISK = 20
MAX_CARRY = 40
MAX_TREE = 120
"""Above this many objectives the company's tree shows each company objective's team objectives as a summary."""
_LEVELS = {"company": "company", "team": "team", "individual": "individual"}


def _viewer_line(review) -> str:
    if review.viewer:
        return (f"As {m.esc(review.name(review.viewer))} may see it "
                "(participants-only objectives included where they take part).")
    if review.scope.kind == "team":
        return "As anyone in the team may see it: participants-only objectives are left out of every figure."
    return ("As anyone may see it: objectives visible only to a team or to their participants are left out "
            "of every figure.")


def headline(review) -> m.Headline:
    """Title, when, who sees it, then the score, the counts, met / exceeded / falling short and key result statuses."""
    f = review.figures()
    first, last = review.period
    day = min(max((review.as_of - first).days + 1, 0), (last - first).days + 1)
    ended = review.as_of >= last
    when = (f"as of {review.as_of:%d %b %Y}: day {day} of {(last - first).days + 1} "
            f"({m.percent(review.elapsed)} of the quarter)") if not ended else f"the quarter ended on {last:%d %b %Y}"
    colour = GRADE_COLOURS.get(f["grade"], NO_STYLE.colour)
    score_label = {"company": "company score", "team": "team score", "person": "score"}[review.scope.kind]
    kpis = [
        (f'<div class="kpi score" style="border-color:{colour}"><div class="big">{m.number(f["score"])}</div>'
         f'<div class="small">{score_label} · {m.esc(f["grade"] or "no score")}</div></div>'),
        (f'<div class="kpi"><div class="big">{f["objectives"]:,}</div><div class="small">'
         f'{"objectives" if f["objectives"] != 1 else "objective"}, '
         f'{m.plural(f["key_results"], "key result")}</div></div>'),
        _tally_kpi("against what was expected" if ended else "at today's pace, by the end", f["verdicts"],
                   m.VERDICT_WORDS,
                   {"exceeded": STATUS_COLOURS["done"], "met": GRADE_COLOURS["green"],
                    "falling_short": GRADE_COLOURS["red"]}),
        _tally_kpi("key results now", f["statuses"], m.STATUS_WORDS, STATUS_COLOURS),
    ]
    if f["adoption"] is not None or f["alignment"] is not None:
        kpis.append(f'<div class="kpi"><div class="big">{m.percent(f["alignment"])}</div><div class="small">aligned to '
                    f'a company objective; {m.percent(f["adoption"])} of people own an objective</div></div>')
    expectation = ("Committed objectives are expected to reach 1.0 by the end of the quarter, aspirational ones 0.7; "
                   "grades: 0.7 and up green, 0.4 to 0.69 yellow, below 0.4 red.")
    if not ended:
        expectation += (" Until the quarter ends, met, exceeded and falling short say where each objective would "
                        "end at its pace so far (its score divided by the share of its period gone by).")
    text = (f'<header class="okr-report okr-head"><div class="kicker">Quarterly review · {m.esc(review.quarter)} · '
            f'{m.esc(when)}</div><h1>{m.esc("Company" if review.scope.kind == "company" else review.subject)}</h1>'
            f'<div class="muted">{_viewer_line(review)}</div>'
            f'<div class="kpis">{"".join(kpis)}</div><p class="lead">{m.esc(expectation)}</p></header>')
    return m.Headline(text, f)


def _tally_kpi(label: str, counts: dict[str, int], words: dict[str, str], colours: dict[str, str]) -> str:
    total = sum(counts.values())
    stack = "".join(f'<span style="width:{100 * n / total:.2f}%;background:{colours[k]}"></span>'
                    for k, n in counts.items() if n) if total else ""
    legend = " · ".join(f'<span style="color:{colours[k]};font-weight:700">■</span> {n:,} {words[k]}'
                        for k, n in counts.items())
    return (f'<div class="kpi"><div class="small">{label}</div><div class="stack">{stack}</div>'
            f'<div class="small">{legend}</div></div>')


def _note_cell(row) -> str:
    if not isinstance(row.note, str) or not row.note:
        return '<span class="muted">no note yet</span>'
    author = f", {m.esc(row.author_name)}" if isinstance(row.author_name, str) and row.author_name else ""
    return f'<span class="note">{m.esc(row.note)} <span class="muted">({m.date(row.note_date)}{author})</span></span>'


def _records(review, krs: pd.DataFrame) -> list:
    """The rows of ``krs`` as named tuples, with the owner's and the last note's author's names."""
    return list(krs.assign(owner_name=krs["owner"].map(review.name),
                           author_name=krs["note_author"].map(review.name)).itertuples(index=False))


def _kr_rows(records: list) -> list[list[str]]:
    rows = []
    for kr in records:
        progress = (f'<span class="prog">{m.bar(kr.progress, kr.expected, _grade(kr.progress))}'
                    f'{m.percent(kr.progress)}</span>' if kr.scored else '<span class="muted">no score</span>')
        now = f'{m.value_text(kr.current, kr.unit)} <span class="muted">of {m.value_text(kr.target, kr.unit)}</span>'
        rows.append([
            f'<span class="id">{m.esc(kr.id)}</span>{m.esc(kr.title)}<div class="muted">{now}</div>',
            progress, f'<span class="num">{m.percent(kr.expected)}</span>', m.status_chip(kr.status),
            m.number(kr.confidence), _note_cell(kr),
        ])
    return rows


def _grade(progress: float) -> str | None:
    from okr_workshop.tracking.scoring import grade  # noqa: PLC0415

    return grade(progress) if np.isfinite(progress) else None


_KR_HEAD = ["Key result", "Progress", "Expected", "Status", "Conf.", "Last note"]


def objectives(review) -> m.Html:
    """A card per objective: its score, grade, verdict and roll-up, then its key results."""
    shown = review.shown
    head = shown.head(MAX_OBJECTIVES)
    krs = review.key_results
    grouped: dict[str, list] = {}
    for record in _records(review, krs[krs["objective"].isin(head["id"])]):
        grouped.setdefault(record.objective, []).append(record)
    cards = []
    for obj in head.itertuples(index=False):
        meta = [_LEVELS.get(obj.level, m.esc(obj.level))]
        if isinstance(obj.team, str) and obj.level == "team":
            meta.append(m.esc(review.teams.get(obj.team, obj.team)))
        if isinstance(obj.owner, str):
            meta.append(f"owner {m.esc(review.name(obj.owner))}")
        meta.append(f"{m.esc(obj.commitment)} (expected {m.number(obj.expected_score, 1)})")
        if np.isfinite(obj.rollup) and obj.level != "individual" and abs(obj.rollup - obj.score) > 0.005:
            meta.append(f"roll-up with what is aligned to it {m.number(obj.rollup)}")
        if np.isfinite(obj.confidence):
            meta.append(f"confidence {m.number(obj.confidence)}")
        records = grouped.get(obj.id)
        body = (m.table(_KR_HEAD, _kr_rows(records), "krs") if records
                else '<p class="muted">No key results, so no score of its own.</p>')
        indent = f' style="margin-left:{1.2 * min(int(obj.depth), 3):.1f}rem"' if review.scope.kind != "company" else ""
        cards.append(f'<div class="obj"{indent}><div><span class="id">{m.esc(obj.id)}</span>'
                     f'<h3>{m.esc(obj.title)}</h3> '
                     f'{m.grade_chip(obj.grade, obj.score if np.isfinite(obj.score) else None)} '
                     f'{m.verdict_chip(obj.outlook)}</div><div class="meta">{" · ".join(meta)}</div>{body}</div>')
    if not cards:
        cards.append('<p class="muted">No objectives to show for this scope.</p>')
    title = "Company objectives" if review.scope.kind == "company" else "Objectives and key results"
    intro = ("Each key result's bar shows its progress; the dark tick marks where it should be by now if it moved "
             "evenly through its period.")
    return m.section(title, "".join(cards) + m.more(len(shown) - MAX_OBJECTIVES, "objective"), intro)


def at_risk(review) -> m.Html:
    """Key results at risk or off track: off track first, then the furthest behind their expected progress."""
    krs = review.key_results
    risky = krs[krs["status"].isin(["at_risk", "off_track"])]
    if not len(risky):
        return m.section("At risk", '<p class="callout">No key result is at risk or off track.</p>')
    gap = np.nan_to_num(risky["expected"].to_numpy(dtype="float64")) - risky["progress"].to_numpy(dtype="float64")
    order = np.lexsort((-gap, (risky["status"] != "off_track").to_numpy()))
    risky = risky.iloc[order]
    objective_title = dict(zip(review.listed["id"], review.listed["title"], strict=True))
    rows = []
    for kr in _records(review, risky.head(MAX_AT_RISK)):
        rows.append([
            (f'<span class="id">{m.esc(kr.id)}</span>{m.esc(kr.title)}<div class="muted">{m.esc(kr.objective)}: '
             f'{m.esc(objective_title.get(kr.objective, ""))}</div>'),
            m.esc(kr.owner_name or ""),
            (f'<span class="prog">{m.bar(kr.progress, kr.expected, _grade(kr.progress))}{m.percent(kr.progress)}</span>'
             f'<div class="muted">expected {m.percent(kr.expected)}</div>'),
            m.number(kr.confidence), m.status_chip(kr.status), _note_cell(kr),
        ])
    counts = risky["status"].value_counts()
    intro = (f"{int(counts.get('off_track', 0))} off track, {int(counts.get('at_risk', 0))} at risk: status weighs "
             "progress against the time gone by and the owner's latest confidence "
             "(0.7 and up, 0.4 to 0.69, below 0.4).")
    body = m.table(["Key result", "Owner", "Progress", "Conf.", "Status", "Last note"], rows, "krs")
    return m.section("At risk", body + m.more(len(risky) - MAX_AT_RISK, "key result"), intro)


def _tree_line(review, obj, children: str = "") -> str:
    score = obj.rollup if np.isfinite(obj.rollup) else obj.score
    grade = obj.grade if not np.isfinite(obj.rollup) else _grade(obj.rollup)
    return (f'<li style="margin-left:{1.3 * int(obj.depth):.1f}rem"><span class="lvl">{m.esc(obj.level)}</span>'
            f'<span class="id">{m.esc(obj.id)}</span>{m.esc(obj.title)} '
            f'{m.grade_chip(grade, score if np.isfinite(score) else None)}'
            f'{children}</li>')


def alignment(review) -> m.Html:
    """The scope's objectives as a tree (each with its roll-up), then what is not aligned."""
    listed = review.listed
    everything = review.status.objectives
    below = everything[everything["level"] == "individual"].groupby("parent").size()
    book = review.workbook["objectives"]
    titles = dict(zip(book["id"], book["title"], strict=True))
    lines = []
    summarised = review.scope.kind == "company" and len(listed) > MAX_TREE
    if summarised:
        for obj in listed[listed["level"] == "company"].itertuples(index=False):
            served = listed[(listed["parent"] == obj.id) & (listed["level"] == "team")]
            grades = served["rollup"].map(_grade).value_counts()
            low = served.nsmallest(5, "rollup")
            detail = ", ".join(f"{m.esc(o.id)} {m.number(o.rollup)}" for o in low.itertuples(index=False))
            lines.append(_tree_line(review, obj, (
                f'<div class="muted">{m.plural(len(served), "team objective")} aligned: '
                f'{int(grades.get("green", 0))} green, {int(grades.get("yellow", 0))} yellow, '
                f'{int(grades.get("red", 0))} red; lowest: {detail or "–"}</div>')))
    else:
        for obj in listed.itertuples(index=False):
            extra = ""
            if review.scope.kind == "company" and obj.level == "team" and obj.id in below.index:
                extra = f' <span class="muted">+ {m.plural(int(below[obj.id]), "individual objective")}</span>'
            parent = obj.parent if isinstance(obj.parent, str) else None
            if review.scope.kind != "company" and int(obj.depth) == 0 and parent:
                extra += (f'<div class="muted" style="margin-left:1.3rem">serves '
                          f'<span class="id">{m.esc(parent)}</span>'
                          f'{m.esc(titles.get(parent, ""))}</div>')
            lines.append(_tree_line(review, obj, extra))
    subjects = set(listed["id"])
    gaps = [f for f in review.status.findings
            if f.code in ("cascade.unserved", "cascade.orphan") and f.subject in subjects]
    gap_html = "".join(f'<div class="callout warn">{m.esc(f.message)}</div>' for f in gaps[:20])
    gap_html += m.more(len(gaps) - 20, "gap")
    figures = []
    if review.status.alignment is not None:
        figures.append(f"{m.percent(review.status.alignment)} of team and individual objectives "
                       "reach a company objective")
    intro = "Each objective with the roll-up of everything aligned to it. "
    intro += "; ".join(figures) + "." if figures else ""
    if summarised:
        intro += (" The company has too many team objectives to list; each company objective shows how its "
                  "team objectives stand.")
    body = f'<ul class="tree">{"".join(lines)}</ul>' if lines else '<p class="muted">No objectives to show.</p>'
    return m.section("Alignment", body + gap_html, intro.strip())


def next_quarter(quarter: str) -> str:
    """The quarter after ``quarter``: 2026-Q4 -> 2027-Q1."""
    return str(Quarter.parse(quarter).next())


def carry_over(review) -> m.Html:
    """Unfinished key results of the objectives shown, each with the value it would start from next quarter.

    The company's report lists the company's own; each team decides on its own in its report.
    """
    krs = review.key_results[review.key_results["objective"].isin(review.shown["id"])]
    open_krs = krs[~(krs["scored"] & (krs["progress"] >= 1.0 - 1e-9))]
    following = next_quarter(review.quarter)
    if not len(open_krs):
        return m.section("Carry-over candidates", '<p class="callout">Every key result reached its target.</p>')
    rows = []
    for kr in open_krs.head(MAX_CARRY).itertuples(index=False):
        rows.append([
            f'<span class="id">{m.esc(kr.id)}</span>{m.esc(kr.title)}',
            m.value_text(kr.current, kr.unit), m.value_text(kr.target, kr.unit),
            m.percent(kr.progress) if kr.scored else '<span class="muted">no score</span>', m.status_chip(kr.status),
        ])
    intro = (f"{m.plural(len(open_krs), 'key result')} did not reach the target by {review.as_of:%d %b}. "
             f"For each, decide in the meeting whether it still matters in {following}. "
             "Carried over, it starts from its last value "
             f"and keeps its target: okr-workshop carry-over --from {review.quarter} --to {following}.")
    body = m.table(["Key result", "Starts from", "Target", "Progress", "Status"], rows, "carry")
    return m.section("Carry-over candidates", body + m.more(len(open_krs) - MAX_CARRY, "key result"), intro)
