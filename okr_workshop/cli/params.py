"""The click parameters the commands share: a quarter, a day and the store's ``--db`` option.

A quarter is read by the model's one quarter reader (:meth:`okr_workshop.quarters.Quarter.parse`),
so the command line and the workbook agree on what a quarter is and say the same when it is not.
"""

from __future__ import annotations

import datetime as dt

import click

from okr_workshop.exceptions import QuarterError
from okr_workshop.quarters import Quarter

__all__ = ["DAY", "DB_HELP", "QUARTER", "Day", "QuarterType", "db_option"]

DB_HELP = "The store: a SQLite file or a SQLAlchemy URL (default: $OKR_WORKSHOP_DB, else ./workshop.db)."


class QuarterType(click.ParamType):
    """A quarter written ``YYYY-Qn``, such as ``2026-Q3``; case and surrounding spaces do not matter."""

    name = "quarter"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """``YYYY-Qn`` in the help."""
        return "YYYY-Qn"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The quarter in capitals (``2026-Q3``); a usage error for anything else."""
        try:
            return str(Quarter.parse(value))
        except QuarterError as error:
            self.fail(f"{value!r} {error.reason}; expected {error.expected}", param, ctx)


class Day(click.ParamType):
    """A day written ``YYYY-MM-DD``, such as ``2026-11-20``."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """``YYYY-MM-DD`` in the help."""
        return "YYYY-MM-DD"

    def convert(self, value: str | dt.date, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        """The day as a :class:`datetime.date`; a usage error for anything else."""
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.fail(f"{value!r} is not a date; write YYYY-MM-DD, such as 2026-11-20", param, ctx)


QUARTER = QuarterType()
"""The parameter type of every quarter option."""
DAY = Day()
"""The parameter type of every ``--as-of`` option."""

db_option = click.option("--db", metavar="PATH|URL", default=None, help=DB_HELP)
"""The ``--db`` option of every command that reads or writes the store."""
