"""From cells of text to a typed table, with a :class:`Problem` for every bad cell.

Every reader (CSV, XLSX, YAML) turns its source into a frame of raw cells
(``str`` or missing) and hands it to :func:`parse_table`. The work is done a
column at a time with pandas, and only the bad cells are looked at one by one,
so a clean file of 200,000 check-ins parses in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from numbers import Real

import numpy as np
import pandas as pd

from okr_workshop.exceptions import Problem, QuarterError
from okr_workshop.io.formulas import unescape_formula
from okr_workshop.model import DATE_RANGE, FIRST_DAY, LAST_DAY, MAX_TEXT, Quarter, text_expectation
from okr_workshop.schema import Column, table
from okr_workshop.text import any_unsafe, describe, printable, unsafe_char, unsafe_pattern
from okr_workshop.workbook import Location, empty_series, with_default

__all__ = ["column_letter", "header_problems", "parse_table", "quote", "read_number"]

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACING = re.compile(r"[\s_\u00a0\u202f']")
"""What people put between digits (spaces of every kind, ``_``, ``'``): dropped when reading a number."""


def quote(value: object, limit: int = 60) -> str:
    """A cell's value as a message shows it: quoted, shortened, or named when special."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "an empty cell"
    text = str(value)
    if len(text) > limit:
        return f"a cell of {len(text):,} characters starting {text[:20]!r}"
    return repr(text)


def read_number(value: object, *, percent: bool = True) -> float | None:
    """A number as people write it, ``42``, ``12.5``, ``1,850``, ``1 850``, ``38%``; None when it is none.

    The one number reader: workbook cells, check-ins and the forms all read
    numbers here. Spaces, ``_`` and ``'`` are dropped, ``,`` only where it
    separates thousands (``12,5`` is no number: decimals take a ``.``), and
    a closing ``%`` unless ``percent`` is False (``38%`` is 38). A bool,
    infinity and NaN are no numbers.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Real):
        number = float(value)
    elif isinstance(value, str):
        text = _SPACING.sub("", value)
        if percent:
            text = text.removesuffix("%")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def column_letter(position: int) -> str:
    """The spreadsheet letter of the column at ``position`` (0 is ``A``, 26 is ``AA``)."""
    letters = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_problems(names: list[object], path: str, problems: list[Problem], sheet: str | None = None) -> set[int]:
    """The positions of header ``names`` not to read, with a problem for each: a name given twice, or holding
    a control character. Names are compared as :func:`parse_table` matches them (case and spaces aside), and
    of a name given twice the first column is read.
    """
    first: dict[str, int] = {}
    skip: set[int] = set()
    for position, name in enumerate(names):
        text = "" if name is None else str(name).strip()
        if not text:
            continue
        where = f"column {position + 1} ({column_letter(position)})"
        if (char := unsafe_char(text)) is not None:
            skip.add(position)
            problems.append(Problem(
                path=path, sheet=sheet, row=1, column=printable(text),
                found=f"the column name {quote(text)} in {where}, which holds {describe(char)}",
                expected="column names on one line, without control characters"))
            continue
        key = text.lower()
        if key not in first:
            first[key] = position
            continue
        skip.add(position)
        earlier = first[key]
        shown = str(names[earlier]).strip()
        problems.append(Problem(
            path=path, sheet=sheet, row=1, column=shown,
            found=f"the column {shown!r} twice in the header: column {earlier + 1} ({column_letter(earlier)}) "
                  f"and {where}",
            expected="each column named once: delete or rename one of the two"))
    return skip


class _Parser:
    """Parses one raw table; problems are appended to ``problems``."""

    def __init__(self, name: str, location: Location, problems: list[Problem], check_length: bool,
                 unescape: bool = True, longest_cell: int | None = None, plain: bool = False):
        self.check_length = check_length
        self.unescape = unescape
        self.longest_cell = longest_cell
        self.plain = plain
        self.spec = table(name)
        self.location = location
        self.problems = problems
        self.reported: dict[str | None, set[int]] = {}
        """Positions already reported per column: a bad value emptied is not also a missing one."""

    def problem(self, positions, column: str | None, found, expected: str) -> None:
        for position, value in zip(positions, found, strict=True):
            self.reported.setdefault(column, set()).add(int(position))
            self.problems.append(
                Problem(
                    path=self.location.path,
                    sheet=self.location.sheet,
                    row=self.location.row(int(position)),
                    column=column,
                    found=value,
                    expected=expected,
                )
            )

    def text(self, raw: pd.Series, column: Column) -> pd.Series:
        cells = [(v.strip() or None) if v.__class__ is str else None for v in raw.tolist()]
        if self.unescape:
            for i in [i for i, v in enumerate(cells) if v is not None and v[0] == "'"]:
                cells[i] = unescape_formula(cells[i])
        limit = column.max_length or MAX_TEXT
        if column.kind == "ids":  # each id of the list is held to the id limit, the cell to the text limit
            if self.may_exceed(limit):
                self.refuse(_long_ids(cells, limit), cells, column,
                            f"ids of at most {limit:,} characters each (the longest the store keeps)")
            limit = MAX_TEXT
        check = self.check_length if limit >= MAX_TEXT else self.may_exceed(limit)
        if check and max(map(len, filter(None, cells)), default=0) > limit:
            expected = (f"an id of at most {limit:,} characters (the longest the store keeps)"
                        if limit < MAX_TEXT else f"at most {limit:,} characters")
            self.refuse({i: quote(v) for i, v in enumerate(cells) if v is not None and len(v) > limit},
                        cells, column, expected)
        if not self.plain:
            self.characters(cells, column)
        return pd.Series(np.array(cells, dtype=object), dtype=object)

    def may_exceed(self, limit: int) -> bool:
        """Whether a cell of this source may be longer than ``limit`` characters."""
        return self.longest_cell is None or self.longest_cell > limit

    def refuse(self, refused: dict[int, str], cells: list, column: Column, expected: str) -> None:
        """A problem for each cell in ``refused`` (position -> what is found there); the cell is emptied."""
        if refused:
            positions = sorted(refused)
            self.problem(positions, column.name, [refused[i] for i in positions], expected)
            for i in positions:
                cells[i] = None

    def characters(self, cells: list, column: Column) -> None:
        """A problem for each cell holding a character text may not (see :mod:`okr_workshop.text`); it is emptied.

        One check over the whole column joined finds whether any cell does, so a clean column costs one pass.
        """
        form = column.text_form
        if not any_unsafe(" ".join(filter(None, cells)), form):
            return
        pattern = unsafe_pattern(form)
        refused = {i: f"{quote(v)}, which holds {describe(match.group(0))}"
                   for i, v in enumerate(cells) if v is not None and (match := pattern.search(v))}
        self.refuse(refused, cells, column, text_expectation(form))

    def number(self, raw: pd.Series, column: Column) -> pd.Series:
        if raw.dtype.kind in "fiu":  # the reader parsed the numbers already
            return self.bounds(raw.astype("float64"), raw, column)
        numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
        failed = raw.notna() & ~np.isfinite(numbers)
        if failed.any():
            numbers[failed] = raw[failed].map(read_number).astype("float64")
            bad = failed & numbers.isna() & (raw.str.strip() != "")
            if bad.any():
                hint = "a number such as 42 or 12.5 (use . for decimals)"
                self.problem(np.flatnonzero(bad), column.name, [quote(v) for v in raw[bad]], hint)
        return self.bounds(numbers, raw, column)

    def bounds(self, numbers: pd.Series, raw: pd.Series, column: Column) -> pd.Series:
        if column.minimum is None and column.maximum is None:
            return numbers
        low = column.minimum if column.minimum is not None else -np.inf
        high = column.maximum if column.maximum is not None else np.inf
        outside = (numbers <= low) if column.exclusive_minimum else (numbers < low)
        outside |= numbers > high
        if outside.any():
            if column.maximum is None:
                expected = "a positive number" if column.exclusive_minimum else f"a number of at least {low:g}"
            else:
                expected = f"a number from {low:g} to {high:g}"
                if high == 1:
                    expected += " (write 0.7 for 70%)"
            self.problem(np.flatnonzero(outside), column.name, [quote(v) for v in raw[outside]], expected)
            numbers = numbers.where(~outside, np.nan)
        return numbers

    def date(self, raw: pd.Series, column: Column) -> pd.Series:
        dates = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
        failed = raw.notna() & dates.isna()
        outside = np.zeros(len(raw), dtype=bool)
        if failed.any():
            stripped = raw[failed].str.strip()
            dates[failed] = pd.to_datetime(stripped, format="%Y-%m-%d", errors="coerce")
            bad = (failed & dates.isna() & (raw.str.strip() != "")).to_numpy().copy()
            if bad.any():
                # A real date to_datetime could not hold (pandas 2: before 1677, after 2262): out of range, not misspelt
                for i in np.flatnonzero(bad):
                    outside[i] = _real_date(raw.iat[i])
                bad &= ~outside
            if bad.any():
                self.problem(
                    np.flatnonzero(bad), column.name, [quote(v) for v in raw[bad]],
                    "a date written YYYY-MM-DD, such as 2026-09-30",
                )
        outside |= ((dates < pd.Timestamp(FIRST_DAY)) | (dates > pd.Timestamp(LAST_DAY))).to_numpy()
        if outside.any():
            self.problem(np.flatnonzero(outside), column.name, [quote(v) for v in raw[outside]],
                         DATE_RANGE)
            dates = dates.where(~outside)
        return dates.astype("datetime64[ns]")

    def by_value(self, raw: pd.Series, column: Column, normalise, expected: str) -> pd.Series:
        """Normalise each distinct value once (few distinct values, many rows), then map the column."""
        values = raw.astype(object)
        mapping = {v: normalise(v.strip()) for v in pd.unique(values.to_numpy()) if v.__class__ is str}
        out = values.map(mapping)
        bad = out.isna() & values.map(lambda v: v.__class__ is str and v.strip() != "")
        if bad.any():
            self.problem(np.flatnonzero(bad), column.name, [quote(v) for v in raw[bad]], expected)
        return out.astype(object).where(out.notna(), None)

    def quarter(self, raw: pd.Series, column: Column) -> pd.Series:
        """Each distinct cell read once by :meth:`Quarter.read`; a cell that is none is a problem saying why."""
        values = raw.astype(object)
        read: dict[str, str | None] = {}
        refused: dict[str, str] = {}
        for value in pd.unique(values.to_numpy()):
            if value.__class__ is str and value.strip():
                try:
                    read[value] = str(Quarter.read(value))
                except QuarterError as error:
                    read[value], refused[value] = None, error.expected
        reasons = values.map(refused)
        for expected in (Quarter.EXPECTED, Quarter.IN_RANGE):
            bad = (reasons == expected).to_numpy()
            if bad.any():
                self.problem(np.flatnonzero(bad), column.name, [quote(v) for v in raw[bad]], expected)
        quarters = values.map(read)
        return quarters.astype(object).where(quarters.notna(), None)

    def choice(self, raw: pd.Series, column: Column) -> pd.Series:
        choices = set(column.choices)

        def normalise(text: str) -> str | None:
            value = re.sub(r"[\s-]+", "_", text.lower())
            return value if value in choices else None

        return self.by_value(raw, column, normalise, "one of: " + ", ".join(column.choices))

    def ids(self, raw: pd.Series, column: Column) -> pd.Series:
        return self.text(raw.str.replace(r"\s*[;,]\s*", ";", regex=True).str.strip(";"), column)

    def required(self, frame: pd.DataFrame, missing_columns: set[str]) -> None:
        for name in self.spec.required:
            if name in missing_columns:
                continue
            empty = frame[name].isna().to_numpy().copy()
            if self.reported.get(name):
                empty[list(self.reported[name])] = False
            if empty.any():
                self.problem(
                    np.flatnonzero(empty), name, ["an empty cell"] * int(empty.sum()),
                    f"a value: every row of {self.spec.name} needs a {name}",
                )


def parse_table(
    name: str, raw: pd.DataFrame, location: Location, problems: list[Problem], *,
    check_length: bool = True, unescape: bool = True, longest_cell: int | None = None, plain: bool = False,
) -> pd.DataFrame:
    """Table ``name`` from raw cells (``str`` or missing), typed; bad cells become problems and empty values.

    Column names are matched without regard to case or surrounding spaces.
    Columns the contract does not know are kept as text. A required column
    missing from the header is one problem, not one per row. A reader that
    knows no cell can be too long passes ``check_length=False``. Text a spreadsheet
    writer neutralised (``'=...``) is restored unless ``unescape`` is False (YAML,
    which is written as is).
    """
    parser = _Parser(name, location, problems, check_length, unescape, longest_cell, plain)
    raw = raw.reset_index(drop=True)
    by_name = {str(c).strip().lower(): c for c in raw.columns}
    parsed: dict[str, pd.Series] = {}
    missing: set[str] = set()
    for column in parser.spec.columns:
        source = by_name.pop(column.name, None)
        if source is None:
            if column.required:
                missing.add(column.name)
            continue
        cells = raw[source]
        if cells.dtype != object and column.kind != "number":
            cells = cells.astype(object).where(cells.notna(), None)
        parsed[column.name] = getattr(parser, column.kind)(cells, column)
    for original in by_name.values():
        if str(original).strip() and not str(original).startswith("Unnamed:"):
            extra = Column(str(original), "text", False, max_length=MAX_TEXT, multiline=True)
            parsed[str(original).strip()] = parser.text(raw[original], extra)
    if missing and location.header_row is not None:
        present = ", ".join(str(c) for c in raw.columns) or "none"
        for column_name in sorted(missing, key=parser.spec.column_names.index):
            problems.append(
                Problem(
                    path=location.path, sheet=location.sheet, row=location.header_row, column=column_name,
                    found=f"no column {column_name!r} in the header (columns found: {present})",
                    expected="a header naming every required column: " + ", ".join(parser.spec.required),
                )
            )
    frame = _assemble(parser.spec, parsed, len(raw))
    parser.required(frame, missing)
    if name == "objectives" and frame.empty and location.header_row is not None:
        problems.append(Problem(path=location.path, sheet=location.sheet, row=None, column=None,
                                found="a header but no objectives",
                                expected="at least one objective, one per row under the header"))
    return frame


def _long_ids(cells: list, limit: int) -> dict[int, str]:
    """The cells of ``;``-separated ids holding one longer than ``limit``, with what is found there."""
    long = {}
    if max(map(len, filter(None, cells)), default=0) > limit:
        for i, value in enumerate(cells):
            if value is not None and len(value) > limit:
                part = next((p for p in value.split(";") if len(p) > limit), None)
                if part is not None:
                    long[i] = f"an id of {len(part):,} characters starting {part[:20]!r}"
    return long


def _real_date(value: object) -> bool:
    """Whether ``value`` is a real date written YYYY-MM-DD (whatever its year)."""
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _assemble(spec, parsed: dict[str, pd.Series], length: int) -> pd.DataFrame:
    """The parsed columns in contract order, missing ones empty, defaults filled in."""
    columns = {}
    for column in spec.columns:
        series = parsed.pop(column.name, None)
        if series is None:
            series = empty_series(column, length)
        columns[column.name] = with_default(series, column)
    columns.update(parsed)
    return pd.DataFrame(columns)
