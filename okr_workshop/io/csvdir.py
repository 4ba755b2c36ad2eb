"""The folder-of-CSV-files shape: ``objectives.csv``, ``key_results.csv``, ... in one folder."""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from okr_workshop.exceptions import Problem
from okr_workshop.io import limits
from okr_workshop.io.cells import header_problems, parse_table
from okr_workshop.io.output import atomic_folder, export_frame
from okr_workshop.model import MAX_TEXT
from okr_workshop.schema import TABLES
from okr_workshop.text import MAX_ID, plain_ascii
from okr_workshop.workbook import Location, Workbook

__all__ = ["read_csv_folder", "read_csv_table", "write_csv_folder"]

_UTF8_HINT = "a file saved as UTF-8 (in Excel: Save As, then 'CSV UTF-8')"


def _undecodable(data: bytes, error: UnicodeDecodeError, label: str) -> Problem:
    byte = data[error.start : error.start + 1].hex()
    return Problem(
        path=label, row=data.count(b"\n", 0, error.start) + 1, column=None,
        found=f"bytes that are not UTF-8 (0x{byte} at byte {error.start:,})", expected=_UTF8_HINT,
    )


def _longest_line(data: bytes) -> int:
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    bounds = np.concatenate(([-1], newlines, [len(data)]))
    return int(np.diff(bounds).max()) - 1


def _header(data: bytes) -> list[str]:
    """The header row's names, as the csv module reads the first record."""
    head = data[:65_536].decode("utf-8-sig", "replace")
    return next(csv.reader(io.StringIO(head, newline="")), [])


def _frame(data: bytes, name: str, fast: bool, header: list[str]) -> pd.DataFrame:
    """Every cell as text (``object``), but with ``fast`` number columns parsed by pandas' C parser."""
    numbers = {c.name for c in TABLES[name].columns if c.kind == "number"} if fast else set()
    dtypes = {c: "float64" if str(c).strip().lower() in numbers else object for c in header}
    with warnings.catch_warnings():
        # index_col=False: a row with more cells than the header must not shift the columns (pandas would
        # take the first cells as an index); it warns instead, and _overlong_rows says which rows.
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return pd.read_csv(
            io.BytesIO(data), dtype=dtypes, keep_default_na=False, na_values=[""],
            encoding="utf-8-sig", skip_blank_lines=False, engine="c", index_col=False,
        )


def _overlong_rows(data: bytes, label: str) -> list[Problem]:
    """A problem for every row with more cells than the header names."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    width = len(next(rows, []))
    expected = f"{width} cells, as many as the header names (quote a cell that holds a comma)"
    problems = [
        Problem(path=label, row=number, column=None, found=f"{len(row)} cells", expected=expected)
        for number, row in enumerate(rows, start=2) if len(row) > width
    ]
    return problems or [Problem(path=label, row=None, column=None, found="rows longer than the header",
                                expected=expected)]


def read_csv_table(name: str, path: Path, problems: list[Problem], label: str | None = None):
    """Table ``name`` from one CSV file: a typed frame and its :class:`Location`, or None if unreadable."""
    label = label or str(path)
    data = limits.read_csv_bytes(path, label)  # refused if too many lines, columns or cells
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n"):
        expected = "a header row naming the columns: " + ", ".join(TABLES[name].column_names)
        problems.append(Problem(path=label, row=None, column=None, found="an empty file", expected=expected))
        return None
    header = _header(data)
    try:
        try:
            raw = _frame(data, name, fast=True, header=header)
        except UnicodeDecodeError:
            raise
        except ValueError:  # a number column holds text: read it as text and say which cells
            raw = _frame(data, name, fast=False, header=header)
    except UnicodeDecodeError:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(_undecodable(data, error, label))
            return None
        raise
    except pd.errors.ParserError as error:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        row, found = (int(match[2]), f"{match[3]} cells") if match else (None, str(error))
        expected = f"{match[1]} cells, as many as the header names (quote a cell that holds a comma)" if match else (
            "a comma-separated file with a header row"
        )
        problems.append(Problem(path=label, row=row, column=None, found=found, expected=expected))
        return None
    except pd.errors.ParserWarning:
        problems.extend(_overlong_rows(data, label))
        return None
    blank = raw.iloc[:, 0].isna().to_numpy().copy()  # a blank line is empty in its first cell too
    if blank.any():
        blank[blank] = raw[blank].isna().all(axis=1).to_numpy()
    rows = np.flatnonzero(~blank) + 2
    if blank.any():
        raw = raw[~blank]
    skip = header_problems(header, label, problems)
    if skip and len(header) == raw.shape[1]:  # a column named twice: the first is read
        raw = raw.iloc[:, [i for i in range(raw.shape[1]) if i not in skip]]
    location = Location(path=label, rows=rows)
    # A cell can be longer than a line only if quoted cells span lines; only then can it hold a line break.
    quoted = b'"' in data
    longest = len(data) if quoted or len(data) <= MAX_ID else _longest_line(data)
    frame = parse_table(name, raw, location, problems, check_length=longest > MAX_TEXT, unescape=b"'" in data,
                        longest_cell=longest, plain=not quoted and plain_ascii(data))
    return frame, location


def read_csv_folder(folder: Path, problems: list[Problem]) -> Workbook:
    """Every table found in ``folder``; ``objectives.csv`` must be there."""
    workbook = Workbook(source=str(folder))
    if not (folder / "objectives.csv").is_file():
        present = sorted(p.name for p in folder.glob("*.csv")) or ["no CSV files"]
        problems.append(
            Problem(path=str(folder / "objectives.csv"), row=None, column=None,
                    found="no objectives.csv in the folder (found: " + ", ".join(present) + ")",
                    expected="a folder holding objectives.csv and key_results.csv, plus any of "
                    "teams.csv, people.csv, initiatives.csv, checkins.csv")
        )
    for name in TABLES:
        path = folder / f"{name}.csv"
        if path.is_file():
            result = read_csv_table(name, path, problems)
            if result is not None:
                workbook.tables[name], workbook.locations[name] = result
    return workbook


def write_csv_folder(workbook: Workbook, folder: Path) -> None:
    """Every table as ``<table>.csv`` in ``folder``, safe to open in a spreadsheet; all files or none."""
    with atomic_folder(folder) as staging:
        for name in TABLES:
            export_frame(workbook, name).to_csv(staging / f"{name}.csv", index=False, lineterminator="\n")
