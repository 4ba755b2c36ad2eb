"""The status for a terminal: one compact, aligned table a facilitator reads aloud, then teams and findings;
and its charts as SVG files (:func:`write_charts`).

Objectives follow the alignment tree (company, then the team objectives
aligned to it, then individual ones), each followed by its key results::

    id          objective / key result          progress          expected  status     conf  grade
    C1          Grow a loyal rider base          #####.....  52%                        0.63  yellow
      C1.1      Raise active subscribers fr...   #####.....  55%       55%  on track   0.70
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import click
import pandas as pd

from okr_workshop.palette import GRADES, STATUSES, VERDICTS
from okr_workshop.text import printable
from okr_workshop.tracking import standing
from okr_workshop.tracking.status import StatusReport

__all__ = ["StatusCharts", "render_text", "write_charts"]

BAR = 10
"""Characters in a progress bar."""
MAX_FINDINGS = 20
"""Findings listed under the table; the rest are counted."""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _percent(value: float | None) -> str:
    return "" if value is None or not math.isfinite(value) else f"{round(100 * value):d}%"


def _bar(value: float, unicode: bool) -> str:
    full, empty = ("█", "░") if unicode else ("#", ".")
    filled = round(max(0.0, min(1.0, value)) * BAR)
    return full * filled + empty * (BAR - filled)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _confidence(value: float) -> str:
    return "" if not math.isfinite(value) else f"{value:.2f}"


def _share_line(label: str, share: float | None, part: int, whole: int, what: str) -> str:
    if share is None:
        return f"{label} -"
    return f"{label} {_percent(share)} ({part} of {whole} {what})"


def _header(report: StatusReport) -> list[str]:
    scope = f"team {printable(report.team)}, " if report.team else ""
    when = f"as of {report.as_of.isoformat()}"
    if report.period:
        first, last = report.period
        length = (last - first).days + 1
        day = min(max((report.as_of - first).days + 1, 0), length)
        when += f": day {day} of {length} ({_percent(day / length)} of the quarter)"
    lines = [f"OKR status, {scope}{printable(report.quarter or 'all quarters')}, {when}"]
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
    """The status as text: header, the table, teams, findings. ``width`` is the terminal's.

    Ids, titles and names go through :func:`~okr_workshop.text.printable`: a control character a store
    holds shows as an escape, never acts on the terminal.
    """

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if colour else text

    objectives, krs = report.objectives, report.key_results
    ended = report.period is not None and report.as_of >= report.period[1]
    obj = {c: objectives[c].tolist() for c in ("id", "title", "depth", "score", "verdict", "grade", "confidence")}
    kr = {c: krs[c].tolist() for c in ("id", "objective", "title", "progress", "scored", "expected", "status",
                                       "confidence")}
    shown = {oid: printable(oid) for oid in [*obj["id"], *kr["id"]]}  # ids stay raw for matching rows
    obj["title"] = [printable(t) for t in obj["title"]]
    kr["title"] = [printable(t) for t in kr["title"]]
    depth_of = dict(zip(obj["id"], obj["depth"], strict=True))
    rows_of: dict[str, list[int]] = {}
    for i, oid in enumerate(kr["objective"]):
        rows_of.setdefault(oid, []).append(i)
    id_width = min(24, max([2] + [len(shown[i]) + 2 * d for i, d in zip(obj["id"], obj["depth"], strict=True)]
                          + [len(shown[i]) + 2 * (depth_of.get(o, 0) + 1) for i, o in zip(kr["id"], kr["objective"],
                                                                                        strict=True)]))
    fixed = id_width + 2 + (BAR + 5) + 2 + 8 + 2 + 13 + 2 + 4 + 2 + 6
    title_width = max(20, width - fixed - 2)
    lines = [*_header(report), ""]
    head = (f"{'id':<{id_width}}  {'objective / key result':<{title_width}}  {'progress':<{BAR + 5}}  "
            f"{'expected':>8}  {'status':<13}  {'conf':>4}  grade")
    lines.append(style(head, bold=True))
    statuses = {s: style(f"{look.label:<13}", fg=look.terminal) for s, look in STATUSES.items()}
    grades = {g: style(look.label, fg=look.terminal) for g, look in GRADES.items()}
    for n, oid in enumerate(obj["id"]):
        indent = "  " * int(obj["depth"][n])
        score = obj["score"][n]
        known = score == score  # not NaN
        progress = f"{_bar(score if known else 0.0, unicode)} {(_percent(score) if known else '-'):>4}"
        verdict = VERDICTS[obj["verdict"][n]].label if ended and obj["verdict"][n] in VERDICTS else ""
        grade = grades.get(obj["grade"][n], "-")
        lines.append(style(f"{_cut(indent + shown[oid], id_width):<{id_width}}", bold=True)
                     + f"  {_cut(obj['title'][n], title_width):<{title_width}}  {progress}  {'':>8}  "
                     f"{verdict:<13}  {_confidence(obj['confidence'][n]):>4}  {grade}")
        for i in rows_of.get(oid, ()):
            label = _cut(indent + "  " + shown[kr["id"][i]], id_width)
            value = kr["progress"][i]
            bar = f"{_bar(value, unicode)} {_percent(value):>4}" if kr["scored"][i] else f"{'no score':<{BAR + 5}}"
            lines.append(f"{label:<{id_width}}  {_cut(kr['title'][i], title_width):<{title_width}}  {bar:<{BAR + 5}}  "
                         f"{_percent(kr['expected'][i]):>8}  {statuses[kr['status'][i]]}  "
                         f"{_confidence(kr['confidence'][i]):>4}")
            for change in report.changes_of(kr["id"][i]):
                lines.append(style(f"{'':<{id_width}}  " + _cut(_change_line(change), title_width + 40), dim=True))
    if not len(objectives):
        lines.append("(no objectives to show)")
    lines += ["", *_teams(report, style)]
    lines += _findings(report, style)
    counts = krs["status"].value_counts() if len(krs) else pd.Series(dtype="int64")
    summary = ", ".join(f"{int(counts.get(s, 0))} {look.label}" for s, look in STATUSES.items())
    lines += ["", style(f"{_count(len(objectives), 'objective')}, {_count(len(krs), 'key result')}: {summary}",
                        bold=True),
              "Expected is the share of each key result's period gone by; status weighs progress against it "
              "and the latest confidence (0.7 and up, 0.4 to 0.69, below 0.4)."]
    return "\n".join(lines)


def _change_line(change: dict) -> str:
    """One change of a key result in words: "target 2300 -> 2200 on 2026-11-02 by ana: price rise"."""
    old = printable(change["old"]) if change["old"] is not None else "(empty)"
    new = printable(change["new"]) if change["new"] is not None else "(empty)"
    return (f"changed {change['field']} {old} -> {new} on {change['date']} by {printable(change['author'])}: "
            f"{printable(change['reason'])}")


def _teams(report: StatusReport, style) -> list[str]:
    teams = report.teams
    if not len(teams):
        return []
    names = [printable(n if isinstance(n, str) else t) for n, t in zip(teams["name"], teams.index, strict=True)]
    name_width = max(4, min(30, max(len(n) for n in names)))
    lines = [style(f"{'team':<{name_width}}  {'people':>6}  {'adoption':>8}  {'alignment':>9}  {'score':>5}  grade",
                   bold=True)]
    for name, people, adoption, alignment, score, grade in zip(
            names, teams["people"].tolist(), teams["adoption"].tolist(), teams["alignment"].tolist(),
            teams["score"].tolist(), teams["grade"].tolist(), strict=True):
        shown = f"{score:.2f}" if math.isfinite(score) else "-"
        colour = style(GRADES[grade].label, fg=GRADES[grade].terminal) if grade in GRADES else "-"
        lines.append(f"{_cut(name, name_width):<{name_width}}  {int(people):>6}  {_percent(adoption) or '-':>8}  "
                     f"{_percent(alignment) or '-':>9}  {shown:>5}  {colour}")
    return lines


def _findings(report: StatusReport, style) -> list[str]:
    if not report.findings:
        return []
    ordered = sorted(report.findings, key=lambda f: f.severity != "warning")  # warnings first, order kept
    count = len(ordered)
    lines = ["", style(f"{count} finding{'s' if count != 1 else ''} about the figures:", bold=True)]
    for finding in ordered[:MAX_FINDINGS]:
        lines.append(f"  {style(finding.severity.upper(), fg='yellow' if finding.severity == 'warning' else 'cyan')}"
                     f" {printable(finding.message)}")
    if count > MAX_FINDINGS:
        lines.append(f"  ... and {count - MAX_FINDINGS:,} more (all of them in --format json)")
    return lines


@dataclass(frozen=True)
class StatusCharts:
    """The charts :func:`write_charts` wrote."""

    paths: list[Path]
    """The SVG files: score by team, confidence, and progress against expected unless it is left out."""
    key_results: int
    """The key results charted."""
    progress_left_out: bool
    """Whether the progress chart was left out: one line per key result would be too many to read."""


def write_charts(store, report: StatusReport, folder: Path, viewer: str | None = None) -> StatusCharts:
    """Write ``report``'s charts to ``folder`` as SVG files: score by team, confidence, and progress against expected.

    The charts show what the report shows: ``viewer`` is the person the
    report was made for (None: everyone), and only the report's key results
    are drawn. The progress chart is left out above
    :data:`okr_workshop.tracking.charts.MANY` key results.
    """
    from okr_workshop.tracking import charts  # noqa: PLC0415 - altair only when charts are written

    folder.mkdir(parents=True, exist_ok=True)
    book = store.read_workbook(quarter=report.quarter, viewer=viewer)
    krs = book["key_results"]
    krs = krs[krs["id"].isin(report.key_results["id"])]
    points, expected = standing.timeline(krs, book["checkins"], book["objectives"])
    paths = [
        charts.save_svg(charts.team_score_chart(report.teams), folder / "score-by-team.svg"),
        charts.save_svg(charts.confidence_chart(points), folder / "confidence.svg"),
    ]
    count = krs["id"].nunique()
    if count <= charts.MANY:
        paths.append(charts.save_svg(charts.progress_chart(points, expected), folder / "progress.svg"))
    return StatusCharts(paths, key_results=count, progress_left_out=count > charts.MANY)
