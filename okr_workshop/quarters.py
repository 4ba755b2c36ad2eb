"""Quarters and the days a workbook may hold: the one place that reads, checks and counts quarters.

Pure Python (no pydantic), so the command line can check a ``--quarter``
without loading the model; :mod:`okr_workshop.model` re-exports every name.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import ClassVar

from okr_workshop.exceptions import QuarterError

__all__ = ["DATE_RANGE", "FIRST_DAY", "LAST_DAY", "QUARTER_PATTERN", "Quarter", "check_day", "check_quarter",
           "quarter_bounds"]

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)
"""The dates a workbook may hold: years 1900 to 2200 (pandas' own dates end in 2262, SQL's far later)."""
DATE_RANGE = f"a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"

QUARTER_PATTERN = re.compile(r"(\d{4})-Q([1-4])")
"""A quarter as the workbook writes it, ``2026-Q3`` (see :class:`Quarter`, which reads and checks quarters)."""



@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """A quarter of a year from 1900 to 2200: the one place that reads, checks and counts quarters.

    >>> quarter = Quarter.parse(" 2026-q3 ")
    >>> str(quarter), quarter.first_day, quarter.last_day, str(quarter.next())
    ('2026-Q3', datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), '2026-Q4')
    >>> str(Quarter.read("Q3 2026")), str(Quarter.of(dt.date(2026, 11, 20)))
    ('2026-Q3', '2026-Q4')

    :meth:`parse` takes a quarter written ``YYYY-Qn`` (case and surrounding
    spaces aside), as commands, forms and the models take it; :meth:`read`
    also takes the ways a spreadsheet cell may write one (``2026 Q3``,
    ``Q3 2026``, ``q3-2026``). Either raises :class:`QuarterError`, a
    ValueError whose ``expected`` says what would be accepted.
    """

    year: int
    number: int
    """1 to 4."""

    EXPECTED: ClassVar[str] = "a quarter written YYYY-Qn, such as 2026-Q3"
    """What a quarter looks like, in words."""
    IN_RANGE: ClassVar[str] = f"a quarter of the years {FIRST_DAY.year} to {LAST_DAY.year}, such as 2026-Q3"
    """Which quarters a workbook may hold, in words."""

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise QuarterError("is not a quarter", self.EXPECTED)
        if not FIRST_DAY.year <= self.year <= LAST_DAY.year:
            raise QuarterError("is outside the quarters a workbook may hold", self.IN_RANGE)

    @classmethod
    def parse(cls, text: object) -> Quarter:
        """The quarter ``text`` writes as ``YYYY-Qn`` (``2026-Q3``, `` 2026-q3 ``); QuarterError when none."""
        match = QUARTER_PATTERN.fullmatch(text.strip().upper()) if isinstance(text, str) else None
        if match is None:
            raise QuarterError("is not a quarter", cls.EXPECTED)
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def read(cls, text: object) -> Quarter:
        """The quarter a spreadsheet cell writes (``2026-Q3``, ``2026 Q3``, ``2026Q3``, ``Q3 2026``, ``q3/2026``)."""
        cleaned = text.strip().upper() if isinstance(text, str) else ""
        for pattern, year, number in _WRITTEN_QUARTERS:
            if match := pattern.fullmatch(cleaned):
                return cls(int(match[year]), int(match[number]))
        raise QuarterError("is not a quarter", cls.EXPECTED)

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> dt.date:
        """The quarter's first day: 1 January, April, July or October."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        """The quarter's last day: 31 March, 30 June, 30 September or 31 December."""
        month = 3 * self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        """First and last day."""
        return self.first_day, self.last_day

    def next(self) -> Quarter:
        """The quarter after this one: 2026-Q4 -> 2027-Q1."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


_WRITTEN_QUARTERS = (
    (re.compile(r"(\d{4})\s*-?\s*Q([1-4])"), 1, 2),
    (re.compile(r"Q([1-4])\s*[-/ ]?\s*(\d{4})"), 2, 1),
)
"""The ways a spreadsheet cell may write a quarter, each with the groups holding the year and the number."""


def check_quarter(value: object) -> str:
    """``value`` as ``YYYY-Qn`` when it is a quarter a workbook may hold; else a QuarterError (a ValueError)."""
    return str(Quarter.parse(value))


def check_day(value: dt.date) -> dt.date:
    """``value`` when it lies in years 1900 to 2200; else a ValueError saying the range."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"it is outside the dates a workbook may hold; expected {DATE_RANGE}")
    return value


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter written ``YYYY-Qn`` (:meth:`Quarter.parse`; QuarterError when none).

    >>> quarter_bounds("2026-Q3")
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    """
    return Quarter.parse(quarter).bounds
