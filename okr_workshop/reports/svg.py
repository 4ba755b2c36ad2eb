"""Small charts drawn straight as SVG text: lines over the quarter, bars, a histogram.

A report kernel draws its charts here rather than through altair and
vl-convert: those take about 1.3 s to import and start in every kernel
(altair 0.6 s, the first vl-convert render 0.6 s), more than the rest of a
team's report. The charts show the same tidy figures in the same colours
(:mod:`okr_workshop.palette`), as inline SVG that needs no script, no font
and no other host. Every label is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from okr_workshop.palette import GRADE_COLOURS

__all__ = ["PALETTE", "Line", "bar_chart", "histogram", "line_chart"]

PALETTE = ["#3c78b4", "#e07b39", "#3a9a5b", "#9b59b6", "#c0392b", "#16a2b8", "#8c6d31", "#d35c9e"]
"""Colours of the lines, one per series; charts with more series show their mean instead."""
_FONT = 'font-family="system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif"'
_INK, _MUTED, _GRID = "#1d2430", "#596273", "#e3e7ee"


@dataclass
class Line:
    """One series over time: values from 0 to 1 at dates."""

    label: str
    dates: Sequence[dt.date]
    values: Sequence[float]
    colour: str = PALETTE[0]
    dashed: bool = False
    low: Sequence[float] | None = field(default=None)
    """With ``high``: a shaded band around the line (e.g. the middle half of the values)."""
    high: Sequence[float] | None = field(default=None)


def _text(x: float, y: float, text: str, size: int = 11, anchor: str = "start", colour: str = _MUTED,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}" '
            f'font-weight="{weight}" {_FONT}>{html.escape(text)}</text>')


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(width: int, height: int, label: str) -> str:
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{html.escape(label, quote=True)}">')


def line_chart(lines: Sequence[Line], start: dt.date, end: dt.date, *, label: str, today: dt.date | None = None,
               bands: bool = False, width: int = 640, height: int = 250) -> str:
    """Lines (values 0 to 1, shown as percent) across ``start`` to ``end``, a legend on the right.

    ``bands`` shades the confidence bands (below 0.4 red, to 0.7 yellow,
    above green); ``today`` draws a thin vertical line.
    """
    legend_width = 190 if lines else 0
    left, right, top, bottom = 42, width - legend_width - 10, 12, height - 26
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return left + (right - left) * min(max((day - start).days, 0), span) / span

    def y(value: float) -> float:
        return bottom - (bottom - top) * min(max(value, 0.0), 1.0)

    out = [_open(width, height, label)]
    if bands:
        for low, high, grade in ((0.0, 0.4, "red"), (0.4, 0.7, "yellow"), (0.7, 1.0, "green")):
            out.append(f'<rect x="{left}" y="{y(high):.1f}" width="{right - left}" height="{y(low) - y(high):.1f}" '
                       f'fill="{GRADE_COLOURS[grade]}" fill-opacity="0.09"/>')
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{_GRID}"/>')
        out.append(_text(left - 6, y(tick) + 4, f"{round(tick * 100)}%", 10, "end"))
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            out.append(f'<line x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{bottom}" y2="{bottom + 4}" '
                       f'stroke="{_MUTED}"/>')
            out.append(_text(x(month) + 3, bottom + 16, f"{month:%b}", 10))
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    out.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{_MUTED}"/>')
    if today is not None and start <= today <= end:
        out.append(f'<line x1="{x(today):.1f}" x2="{x(today):.1f}" y1="{top}" y2="{bottom}" stroke="{_MUTED}" '
                   f'stroke-dasharray="2 3"/>')
        out.append(_text(x(today), top - 2 if top > 12 else top + 9, f"{today:%d %b}", 9, "middle"))
    for line in lines:
        if not len(line.dates):
            continue
        if line.low is not None and line.high is not None:
            upper = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(line.dates, line.high, strict=True))
            low_points = reversed(list(zip(line.dates, line.low, strict=True)))
            lower = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in low_points)
            out.append(f'<polygon points="{upper} {lower}" fill="{line.colour}" fill-opacity="0.15" stroke="none"/>')
        points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(line.dates, line.values, strict=True))
        dash = ' stroke-dasharray="5 4"' if line.dashed else ""
        width = 1.5 if line.dashed else 2.2
        out.append(f'<polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="{width}"'
                   f'{dash} stroke-linejoin="round"/>')
        if not line.dashed and len(line.dates) <= 20:
            out.extend(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="2.4" fill="{line.colour}"/>'
                       for d, v in zip(line.dates, line.values, strict=True))
    for i, line in enumerate(lines):
        top_y = top + 6 + 18 * i
        if top_y > height - 10:
            break
        dash = ' stroke-dasharray="5 4"' if line.dashed else ""
        out.append(f'<line x1="{right + 16}" x2="{right + 36}" y1="{top_y:.1f}" y2="{top_y:.1f}" '
                   f'stroke="{line.colour}" stroke-width="2.5"{dash}/>')
        out.append(_text(right + 42, top_y + 4, _cut(line.label, 27), 10, colour=_INK))
    out.append("</svg>")
    return "".join(out)


def bar_chart(rows: Sequence[tuple[str, float, str]], *, label: str, thresholds: Sequence[float] = (0.4, 0.7),
              width: int = 640) -> str:
    """Horizontal bars, one per ``(label, value 0 to 1, colour)`` row, with dashed lines at ``thresholds``."""
    row_height, top, bottom_pad = 22, 8, 24
    height = top + row_height * max(len(rows), 1) + bottom_pad
    left, right = 170, width - 50
    bottom = height - bottom_pad

    def x(value: float) -> float:
        return left + (right - left) * min(max(value, 0.0), 1.0)

    out = [_open(width, height, label)]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(_text(x(tick), bottom + 15, f"{tick:.2f}".rstrip("0").rstrip(".") if tick else "0", 10, "middle"))
    for i, (name, value, colour) in enumerate(rows):
        y = top + row_height * i
        out.append(_text(left - 8, y + row_height / 2 + 4, _cut(name, 28), 11, "end", _INK))
        out.append(f'<rect x="{left}" y="{y + 4}" width="{x(value) - left:.1f}" height="{row_height - 8}" rx="3" '
                   f'fill="{colour}"/>')
        out.append(_text(x(value) + 5, y + row_height / 2 + 4, f"{value:.2f}", 10))
    for tick in thresholds:
        out.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" y2="{bottom}" stroke="{_MUTED}" '
                   f'stroke-dasharray="3 3"/>')
    out.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{_MUTED}"/>')
    out.append("</svg>")
    return "".join(out)


def histogram(counts: Sequence[int], colours: Sequence[str], *, label: str, width: int = 640,
              height: int = 200) -> str:
    """Columns for equal bins from 0 to 1 (``counts[i]`` values in bin i), each in its colour."""
    left, right, top, bottom = 42, width - 12, 12, height - 26
    peak = max(max(counts, default=0), 1)
    step = (right - left) / max(len(counts), 1)
    out = [_open(width, height, label)]
    for i, (count, colour) in enumerate(zip(counts, colours, strict=True)):
        h = (bottom - top) * count / peak
        out.append(f'<rect x="{left + i * step + 2:.1f}" y="{bottom - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
                   f'rx="2" fill="{colour}"/>')
        if count:
            out.append(_text(left + (i + 0.5) * step, bottom - h - 3, f"{count:,}", 10, "middle"))
    for i in range(len(counts) + 1):
        out.append(_text(left + i * step, bottom + 15, f"{i / len(counts):.1f}", 10, "middle"))
    out.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{_MUTED}"/>')
    out.append("</svg>")
    return "".join(out)
