"""The period a key result belongs to, and how a span of time named in its title stands against it.

A period is written ``2026-Q3``, ``2026-H1``, ``2026``, ``2026-02`` or
``2025-07..2026-06`` (:func:`period_span`). :func:`judge` reads a quarter, half
or year named in a title against it: the OKR's own period named again is no
deadline ("in Q3" inside a Q3 OKR), a part of it or a later one is.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """The first and last day of a key result's period, and what kind of period it is."""

    first: dt.date
    last: dt.date
    kind: str
    """``quarter``, ``half``, ``year``, ``month`` or ``span``."""


_PERIOD_TEXT = re.compile(r"\s*(\d{4})(?:-(?:Q([1-4])|H([12])|(\d{2}))(?:\s*\.\.\s*(\d{4})-(\d{2}))?)?\s*", re.I)


def month_end(year: int, month: int) -> dt.date:
    """The last day of ``month``."""
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def safe_day(year: int, month: int, day: int) -> dt.date:
    """The day, or the last day of the month for 29 February of a year that has none."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return month_end(year, month)


@functools.lru_cache(maxsize=256)
def read_period(text: str | None) -> Period | None:
    """The period written ``text`` (see :func:`period_span`), or None."""
    if not text:
        return None
    match = _PERIOD_TEXT.fullmatch(str(text))
    if match is None:
        return None
    year, quarter, half, month, to_year, to_month = match.groups()
    year = int(year)
    try:
        if quarter:
            q = int(quarter)
            return Period(dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), "quarter")
        if half:
            h = int(half)
            return Period(dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), "half")
        if month and to_year:
            return Period(dt.date(year, int(month), 1), month_end(int(to_year), int(to_month)), "span")
        if month:
            return Period(dt.date(year, int(month), 1), month_end(year, int(month)), "month")
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    except ValueError:
        return None


def period_span(period: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a period written ``2026-Q3``, ``2026-H1``, ``2026``, ``2026-02`` or ``2025-07..2026-06``.

    None when the text is none of these.
    """
    found = read_period(period)
    return (found.first, found.last) if found else None


def nearest_year(place, period: Period | None, fallback: int) -> tuple[dt.date, dt.date]:
    """The span ``place(year)`` of the year nearest the OKR's period (the current year without one)."""
    if period is None:
        return place(fallback)
    best = None
    for year in range(period.first.year - 1, period.last.year + 2):
        try:
            first, last = place(year)
        except ValueError:
            continue
        gap = max((period.first - last).days, (first - period.last).days, 0)
        if best is None or gap < best[0]:
            best = (gap, first, last)
    if best is None:
        return place(fallback)
    return best[1], best[2]


def at_edge(span: tuple[dt.date, dt.date], edge: str | None) -> tuple[dt.date, dt.date]:
    """A point of a span: its end ("end of Q2", "late March"), start ("early 2026") or middle ("mid November")."""
    if not edge:
        return span
    edge = edge.lower()
    first, last = span
    if edge in ("end", "close", "late"):
        return last, last
    if edge in ("start", "beginning"):
        return first, first
    if edge == "early":
        point = first + (last - first) / 3
        return point, point
    middle = first + (last - first) / 2
    return middle, middle


def judge(span: tuple[dt.date, dt.date] | None, prep: str | None, period: Period | None, edge: str | None,
          calendar_year: bool = False) -> tuple[bool, bool]:
    """(deadline, own period) for a mention of a quarter, half or year, read against the OKR's period.

    ``prep`` is the class of the preposition in front
    (:func:`~okr_workshop.smart.language.times.prep_class`), ``edge`` the point of
    the span it names ("end", "early"; see :func:`at_edge`).

    The OKR's own period, or the year it falls in, named again is no deadline
    ("in Q3" or "by the end of Q3" in a Q3 OKR, "by the end of 2024" in a Q4
    2024 OKR); a part of it is ("by Q2" in a 2026 OKR), and so is a later one
    with "by" ("by Q1" in a Q4 OKR).
    """
    if prep == "for":
        return False, False  # "the plan for 2027": what it is for, not when it is due
    if period is None or span is None:
        return True, False
    first, last = span
    covers = first <= period.first and last >= period.last
    point = at_edge(span, edge)
    if prep in ("by", "until") or (prep is None and edge):
        if covers and point[1] == period.last:
            return False, True  # restates the period: "by the end of Q3" in a Q3 OKR
        if prep == "until" and point[1] > period.last:
            return False, False  # "valid until Q2 2027": how long something lasts
        return True, False
    if prep == "from":
        return point[0] >= period.first, False
    # "in", "during", "at"
    if covers:
        return False, True  # its own period, or the year it falls in
    if first >= period.first and last <= period.last:
        return True, False  # a part of it: "in Q2" of a 2026 OKR
    if first > period.last:
        return not calendar_year, False  # "in FY27"; "participation in 2027" describes something else
    return False, False  # the past: a comparison

