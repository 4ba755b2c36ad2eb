"""Every error okr-workshop raises on purpose, and the problems a workbook can have.

A :class:`Problem` is one thing wrong in a workbook, located the way a person
finds it again: the file (and sheet), the row as a spreadsheet shows it, the
column, what was found and what was expected. A :class:`WorkbookError` carries
all problems found in one pass, so a facilitator fixes a spreadsheet once.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from okr_workshop.text import printable

__all__ = [
    "ConflictError",
    "DuplicateNameError",
    "InputError",
    "OkrWorkshopError",
    "PdfError",
    "Problem",
    "QuarterError",
    "ReportError",
    "RuleConfigError",
    "ServeError",
    "StoreError",
    "UnknownNameError",
    "WorkbookError",
]

NEAR_MISS = 0.8
"""How alike (difflib's ratio, 0 to 1) a known name must be to an unknown one to be offered instead."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a workbook, with where it is and what would be right."""

    path: str
    """The file as the user named it (a CSV file, an ``.xlsx`` or a YAML file)."""
    row: int | None
    """The row as a spreadsheet shows it (header = 1), or the YAML line; None for the whole file."""
    column: str | None
    """The column (or YAML key) the problem is in; None when it is about the whole row or file."""
    found: str
    """What the workbook holds, quoted and shortened."""
    expected: str
    """What would be accepted instead."""
    sheet: str | None = None
    """The sheet of an ``.xlsx`` workbook."""

    @property
    def where(self) -> str:
        """The location in words: ``key_results.csv, row 7, column 'start'``.

        Control characters in a name (a column, a sheet) show as escapes (:func:`okr_workshop.text.printable`).
        """
        parts = [printable(self.path)]
        if self.sheet is not None:
            parts[0] += f" [sheet {printable(self.sheet)}]"
        if self.row is not None:
            parts.append(f"{'line' if self.path.endswith(('.yaml', '.yml')) else 'row'} {self.row}")
        if self.column is not None:
            parts.append(f"column '{printable(self.column)}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        """The problem in one line, fit for a terminal: nothing the workbook holds is printed raw."""
        return f"{self.where}: {printable(self.found)}; expected {printable(self.expected)}"


class OkrWorkshopError(Exception):
    """Root of the errors okr-workshop raises on purpose."""


class WorkbookError(OkrWorkshopError):
    """A workbook could not be read or is not valid; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the workbook"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class StoreError(OkrWorkshopError):
    """The store could not be opened, read or written."""


class ConflictError(StoreError):
    """Someone saved the objective after it was opened for this save; nothing was written.

    ``objective`` is its id, ``saved_at`` when the other save happened (UTC,
    None when unknown) and ``saved_by`` who made it (None when unknown, or an import).
    """

    def __init__(self, objective: str, saved_at: dt.datetime | None = None, saved_by: str | None = None):
        self.objective, self.saved_at, self.saved_by = objective, saved_at, saved_by
        when = []
        if saved_at is not None:
            when.append(f"at {saved_at.replace(tzinfo=dt.UTC).astimezone().strftime('%H:%M')}")
        if saved_by:
            when.append(f"by {printable(saved_by)}")
        detail = f" ({' '.join(when)})" if when else ""
        super().__init__(f"Someone saved {printable(objective)} after you opened it{detail}; "
                         f"nothing of yours was saved. "
                         f"Reload it to see their version, then make your change again.")


class InputError(OkrWorkshopError):
    """A value handed to a command or function was refused, and nothing was written.

    ``field`` names what was wrong (``value``, ``confidence``, ``key_result``,
    ``author``, ``date``, ``quarter``), ``found`` quotes it and ``expected``
    says what would be accepted; ``subject`` is the key result (or other
    record) it was meant for, when there is one.
    """

    def __init__(self, field: str, found: str, expected: str, subject: str | None = None):
        self.field = field
        self.found = found
        self.expected = expected
        self.subject = subject
        about = f" for {printable(subject)}" if subject else ""
        super().__init__(f"{field}{about}: {printable(found)}; expected {expected}. Nothing was written.")


class ReportError(OkrWorkshopError):
    """A review report could not be made for a scope (an unknown team or person, no such quarter)."""


class PdfError(OkrWorkshopError):
    """No engine to print a PDF with, or printing failed (:mod:`okr_workshop.pdf`)."""


class RuleConfigError(OkrWorkshopError):
    """A facilitator's rule configuration names an unknown rule or severity."""


class ServeError(OkrWorkshopError):
    """A workshop server could not start, or stopped on its own (:mod:`okr_workshop.server`)."""


class QuarterError(OkrWorkshopError, ValueError):
    """Text that is no quarter a workbook may hold (see :class:`okr_workshop.model.Quarter`).

    ``reason`` says why (``is not a quarter``), ``expected`` what would be
    accepted. A ValueError, so a model's field reports it as its own problem.
    """

    def __init__(self, reason: str, expected: str):
        self.reason = reason
        self.expected = expected
        super().__init__(f"it {reason}; expected {expected}")


class UnknownNameError(OkrWorkshopError, KeyError):
    """A name asked of a registry (a rule's code, a chart, a workbook format) that it does not hold.

    ``kind`` says what was asked for (``rule``), ``name`` is the name asked
    and ``known`` the names there are, in order; the message names all three,
    and the nearest known name when one is close. A KeyError too, so code
    that catches a failed lookup as one keeps working.
    """

    def __init__(self, kind: str, name: str, known: Sequence[str]):
        self.kind, self.name, self.known = kind, name, tuple(known)
        super().__init__(_unknown_message(kind, str(name), self.known))

    def __str__(self) -> str:
        """The message as written (a KeyError shows its message in quotes)."""
        return str(self.args[0])


def _unknown_message(kind: str, name: str, known: tuple[str, ...]) -> str:
    """``unknown rule 'x': known rules are a, b``; ``did you mean 'a'?`` first when a known name is close."""
    head = f"unknown {kind} '{printable(name)}'"
    if not known:
        return f"{head}: there are no {kind}s"
    nearest = difflib.get_close_matches(name, known, n=1, cutoff=NEAR_MISS)
    if nearest:
        return f"{head}: did you mean '{nearest[0]}'? Known {kind}s are {', '.join(known)}"
    return f"{head}: known {kind}s are {', '.join(known)}"


class DuplicateNameError(OkrWorkshopError, ValueError):
    """A name registered twice in a registry; the second is refused, the first stays."""

    def __init__(self, kind: str, name: str):
        self.kind, self.name = kind, name
        super().__init__(f"a {kind} named '{printable(name)}' is registered already")
