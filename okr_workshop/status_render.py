"""The status for a terminal: one compact, aligned table a facilitator reads aloud, then teams and findings.

Objectives follow the alignment tree (company, then the team objectives
aligned to it, then individual ones), each followed by its key results::

    id          objective / key result          progress          expected  status     conf  grade
    C1          Grow a loyal rider base          #####.....  52%                        0.63  yellow
      C1.1      Raise active subscribers fr...   #####.....  55%       55%  on track   0.70
"""

from __future__ import annotations

import click
import numpy as np
import pandas as pd

from okr_workshop.status import StatusReport

__all__ = ["render_text"]

BAR = 10
"""Characters in a progress bar."""
MAX_FINDINGS = 20
"""Findings listed under the table; the rest are counted."""
_STATUS_WORDS = {"on_track": "on track", "at_risk": "at risk", "off_track": "off track", "done": "done"}
_STATUS_COLOURS = {"on_track": "green", "at_risk": "yellow", "off_track": "red", "done": "cyan"}
_GRADE_COLOURS = {"green": "green", "yellow": "yellow", "red": "red"}
_VERDICTS = {"met": "met", "exceeded": "exceeded", "falling_short": "falling short"}


def _percent(value: float | None) -> str:
    return "" if value is None or not np.isfinite(value) else f"{round(100 * value):d}%"


def _bar(value: float, unicode: bool) -> str:
    full, empty = ("█", "░") if unicode else ("#", ".")
    filled = int(round(max(0.0, min(1.0, value)) * BAR))
    return full * filled + empty * (BAR - filled)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _confidence(value: float) -> str:
    return "" if not np.isfinite(value) else f"{value:.2f}"


def _share_line(label: str, share: float | None, part: int, whole: int, what: str) -> str:
    if share is None:
        return f"{label} -"
    return f"{label} {_percent(share)} ({part} of {whole} {what})"


def _header(report: StatusReport) -> list[str]:
    scope = f"team {report.team}, " if report.team else ""
    when = f"as of {report.as_of.isoformat()}"
    if report.period:
        first, last = report.period
        length = (last - first).days + 1
        day = min(max((report.as_of - first).days + 1, 0), length)
        when += f": day {day} of {length} ({_percent(day / length)} of the quarter)"
    lines = [f"OKR status, {scope}{report.quarter or 'all quarters'}, {when}"]
    teams = report.teams
    people, adopters = int(teams["people"].sum()), int(teams["adopters"].sum())
    aligned, alignable = int(teams["aligned"].sum()), int(teams["objectives"].sum())
    figures = []
    if report.company_score is not None:
        figures.append(f"company score {report.company_score:.2f}")
    figures.append(_share_line("adoption", report.adoption, adopters, people, "people own an objective")
                   if report.team else _share_line("adoption", report.adoption, adopters, people,
                                                   "people in teams own an objective"))
    figures.append(_share_line("alignment", report.alignment, aligned, alignable,
                               "team and individual objectives reach a company objective"))
    lines.append("; ".join(figures))
    return lines


def render_text(report: StatusReport, colour: bool = False, width: int = 110, unicode: bool = True) -> str:
    """The status as text: header, the table, teams, findings. ``width`` is the terminal's."""

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if colour else text

    objectives, krs = report.objectives, report.key_results
    ended = report.period is not None and report.as_of >= report.period[1]
    id_width = min(24, max([2] + [len(i) + 2 * d for i, d in zip(objectives["id"], objectives["depth"],
                                                                  strict=True)]
                          + [len(i) + 2 * (d + 1) for i, d in zip(krs["id"], krs["objective"].map(
                              dict(zip(objectives["id"], objectives["depth"], strict=True))).fillna(0).astype(int),
                              strict=True)]))
    fixed = id_width + 2 + (BAR + 5) + 2 + 8 + 2 + 13 + 2 + 4 + 2 + 6
    title_width = max(20, width - fixed - 2)
    lines = _header(report) + [""]
    head = (f"{'id':<{id_width}}  {'objective / key result':<{title_width}}  {'progress':<{BAR + 5}}  "
            f"{'expected':>8}  {'status':<13}  {'conf':>4}  grade")
    lines.append(style(head, bold=True))
    grouped = {oid: group for oid, group in krs.groupby("objective", sort=False)} if len(krs) else {}
    for obj in objectives.itertuples(index=False):
        indent = "  " * int(obj.depth)
        score = obj.score if np.isfinite(obj.score) else 0.0
        progress = f"{_bar(score, unicode)} {_percent(obj.score) or '-':>4}"
        verdict = _VERDICTS.get(obj.verdict, "") if ended and isinstance(obj.verdict, str) else ""
        grade = style(obj.grade, fg=_GRADE_COLOURS[obj.grade]) if isinstance(obj.grade, str) else "-"
        lines.append(style(f"{_cut(indent + obj.id, id_width):<{id_width}}", bold=True)
                     + f"  {_cut(obj.title, title_width):<{title_width}}  {progress}  {'':>8}  "
                     f"{verdict:<13}  {_confidence(obj.confidence):>4}  {grade}")
        if obj.id not in grouped:
            continue
        for kr in grouped[obj.id].itertuples(index=False):
            label = _cut(indent + "  " + kr.id, id_width)
            shown = f"{_bar(kr.progress, unicode)} {_percent(kr.progress):>4}" if kr.scored else f"{'no score':<{BAR + 5}}"
            status = style(f"{_STATUS_WORDS[kr.status]:<13}", fg=_STATUS_COLOURS[kr.status])
            lines.append(f"{label:<{id_width}}  {_cut(kr.title, title_width):<{title_width}}  {shown:<{BAR + 5}}  "
                         f"{_percent(kr.expected):>8}  {status}  {_confidence(kr.confidence):>4}")
    if not len(objectives):
        lines.append("(no objectives to show)")
    lines += ["", *_teams(report, style)]
    lines += _findings(report, style)
    counts = krs["status"].value_counts() if len(krs) else pd.Series(dtype="int64")
    summary = ", ".join(f"{int(counts.get(s, 0))} {_STATUS_WORDS[s]}" for s in _STATUS_WORDS)
    lines += ["", style(f"{len(objectives)} objectives, {len(krs)} key results: {summary}", bold=True),
              "Expected is the share of each key result's period gone by; status weighs progress against it "
              "and the latest confidence (0.7 and up, 0.4 to 0.69, below 0.4)."]
    return "\n".join(lines)


def _teams(report: StatusReport, style) -> list[str]:
    teams = report.teams
    if not len(teams):
        return []
    name_width = max(4, min(30, max(len(str(n)) for n in teams["name"].fillna(""))))
    lines = [style(f"{'team':<{name_width}}  {'people':>6}  {'adoption':>8}  {'alignment':>9}  {'score':>5}  grade",
                   bold=True)]
    for tid, row in teams.iterrows():
        score = f"{row['score']:.2f}" if np.isfinite(row["score"]) else "-"
        grade = style(row["grade"], fg=_GRADE_COLOURS[row["grade"]]) if isinstance(row["grade"], str) else "-"
        lines.append(f"{_cut(str(row['name'] or tid), name_width):<{name_width}}  {int(row['people']):>6}  "
                     f"{_percent(row['adoption']) or '-':>8}  {_percent(row['alignment']) or '-':>9}  "
                     f"{score:>5}  {grade}")
    return lines


def _findings(report: StatusReport, style) -> list[str]:
    if not report.findings:
        return []
    ordered = sorted(report.findings, key=lambda f: f.severity != "warning")  # warnings first, order kept
    count = len(ordered)
    lines = ["", style(f"{count} finding{'s' if count != 1 else ''} about the figures:", bold=True)]
    for finding in ordered[:MAX_FINDINGS]:
        lines.append(f"  {style(finding.severity.upper(), fg='yellow' if finding.severity == 'warning' else 'cyan')}"
                     f" {finding.message}")
    if count > MAX_FINDINGS:
        lines.append(f"  ... and {count - MAX_FINDINGS:,} more (all of them in --format json)")
    return lines
