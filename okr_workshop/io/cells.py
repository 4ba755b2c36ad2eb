"""From cells of text to a typed table, with a :class:`Problem` for every bad cell.

Every reader (CSV, XLSX, YAML) turns its source into a frame of raw cells
(``str`` or missing) and hands it to :func:`parse_table`. The work is done a
column at a time with pandas, and only the bad cells are looked at one by one,
so a clean file of 200,000 check-ins parses in a fraction of a second.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from okr_workshop.exceptions import Problem
from okr_workshop.model import MAX_TEXT
from okr_workshop.schema import Column, table
from okr_workshop.workbook import Location, empty_series, with_default

__all__ = ["escape_formula", "lenient_number", "parse_table", "quote", "unescape_formula"]

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_QUARTER_FORMS = [
    (re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$"), "{0}-Q{1}"),
    (re.compile(r"^Q([1-4])\s*[-/ ]?\s*(\d{4})$"), "{1}-Q{0}"),
]


def quote(value: object, limit: int = 60) -> str:
    """A cell's value as a message shows it: quoted, shortened, or named when special."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "an empty cell"
    text = str(value)
    if len(text) > limit:
        return f"a cell of {len(text):,} characters starting {text[:20]!r}"
    return repr(text)


def escape_formula(series: pd.Series) -> pd.Series:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) gets a leading ``'``.

    Already quoted text gets one more quote, so :func:`unescape_formula` restores
    exactly what was written.
    """
    mask = series.notna()
    if not mask.any():
        return series
    text = series[mask].astype(str)
    return series.where(~mask, text.str.replace(_FORMULA, lambda m: "'" + m.group(0), regex=True))


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula` on one cell: drop the one ``'`` that neutralised a formula."""
    return text[1:] if _QUOTED.match(text) else text


def lenient_number(text: str) -> float:
    """A number written with ``%``, spaces or thousands separators; NaN when it is none."""
    cleaned = re.sub(r"[%\s_\u00a0\u202f']", "", text)
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return np.nan
    return value if np.isfinite(value) else np.nan


def _quarter(text: str) -> str | None:
    """``2026-Q3`` from ``2026-q3``, ``2026 Q3``, ``Q3 2026``...; None when it is no quarter."""
    text = text.upper()
    for pattern, form in _QUARTER_FORMS:
        if match := pattern.match(text):
            return form.format(*match.groups())
    return None


class _Parser:
    """Parses one raw table; problems are appended to ``problems``."""

    def __init__(self, name: str, location: Location, problems: list[Problem], check_length: bool,
                 unescape: bool = True):
        self.check_length = check_length
        self.unescape = unescape
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
        values = np.array(cells, dtype=object)
        if self.check_length:
            long = [i for i, v in enumerate(values) if v.__class__ is str and len(v) > MAX_TEXT]
            if long:
                self.problem(long, column.name, [quote(values[i]) for i in long], f"at most {MAX_TEXT:,} characters")
                values[long] = None
        return pd.Series(values, dtype=object)

    def number(self, raw: pd.Series, column: Column) -> pd.Series:
        if raw.dtype.kind in "fiu":  # the reader parsed the numbers already
            return self.bounds(raw.astype("float64"), raw, column)
        numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
        failed = raw.notna() & ~np.isfinite(numbers)
        if failed.any():
            numbers[failed] = raw[failed].map(lenient_number).astype("float64")
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
        if failed.any():
            stripped = raw[failed].str.strip()
            dates[failed] = pd.to_datetime(stripped, format="%Y-%m-%d", errors="coerce")
            bad = failed & dates.isna() & (raw.str.strip() != "")
            if bad.any():
                self.problem(
                    np.flatnonzero(bad), column.name, [quote(v) for v in raw[bad]],
                    "a date written YYYY-MM-DD, such as 2026-09-30",
                )
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
        return self.by_value(raw, column, _quarter, "a quarter written YYYY-Qn, such as 2026-Q3")

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
    check_length: bool = True, unescape: bool = True,
) -> pd.DataFrame:
    """Table ``name`` from raw cells (``str`` or missing), typed; bad cells become problems and empty values.

    Column names are matched without regard to case or surrounding spaces.
    Columns the contract does not know are kept as text. A required column
    missing from the header is one problem, not one per row. A reader that
    knows no cell can be too long passes ``check_length=False``. Text a spreadsheet
    writer neutralised (``'=...``) is restored unless ``unescape`` is False (YAML,
    which is written as is).
    """
    parser = _Parser(name, location, problems, check_length, unescape)
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
            parsed[str(original).strip()] = parser.text(raw[original], Column(str(original), "text", False))
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
