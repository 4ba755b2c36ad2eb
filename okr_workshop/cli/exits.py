"""How a command ends: its exit statuses, and the messages of a refused input or an unreadable workbook."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from okr_workshop.exceptions import InputError, Problem, WorkbookError
from okr_workshop.text import printable

if TYPE_CHECKING:
    from okr_workshop.workbook import Workbook

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "MAX_SHOWN", "read_or_exit", "refuse", "report_problems"]

EXIT_OK = 0
"""Everything worked; no error findings."""
EXIT_FINDINGS = 1
"""The command ran and found errors (SMART errors, a failed report)."""
EXIT_BAD_INPUT = 2
"""The input could not be read or is invalid; nothing was written."""

MAX_SHOWN = 200
"""Problems printed in text form; the rest are counted."""


def refuse(error: InputError) -> NoReturn:
    """Print a refused input and exit with :data:`EXIT_BAD_INPUT`."""
    click.echo(f"okr-workshop: {printable(error)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def report_problems(error: WorkbookError, fmt: str = "text") -> NoReturn:
    """Print every problem of an unreadable workbook (as ``text`` or ``json``) and exit with :data:`EXIT_BAD_INPUT`."""
    if fmt == "json":
        click.echo(json.dumps({"ok": False, "problems": [_problem_json(p) for p in error.problems]}, indent=2))
    else:
        count = len(error.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was written:", err=True)
        for problem in error.problems[:MAX_SHOWN]:
            click.echo(f"  {problem}", err=True)
        if count > MAX_SHOWN:
            click.echo(f"  ... and {count - MAX_SHOWN:,} more of the same kinds", err=True)
    sys.exit(EXIT_BAD_INPUT)


def read_or_exit(path: Path, fmt: str = "text") -> Workbook:
    """The workbook at ``path`` once it is valid; else its problems are printed and the command exits."""
    from okr_workshop.io import read_workbook  # noqa: PLC0415 - only when the command runs

    try:
        return read_workbook(path)
    except WorkbookError as error:
        report_problems(error, fmt)


def _problem_json(problem: Problem) -> dict:
    return {
        "path": problem.path, "sheet": problem.sheet, "row": problem.row, "column": problem.column,
        "found": problem.found, "expected": problem.expected, "message": str(problem),
    }
