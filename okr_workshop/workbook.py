"""A workbook: the six tables of the contract as typed pandas frames.

Bulk data (a spreadsheet of 40 or 40,000 people) travels as a :class:`Workbook`:
one frame per table, the contract's columns first, in order, with one dtype per
kind of column (text as ``object`` holding ``str`` or ``None``, numbers as
``float64``, dates as ``datetime64``). Extra columns a spreadsheet brings are
kept after them as text. :meth:`Workbook.records` turns a table into model
records when code wants objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pydantic import BaseModel

from okr_workshop.exceptions import StoreError
from okr_workshop.model import DATE_RANGE
from okr_workshop.schema import TABLES, Column, table
from okr_workshop.text import printable

__all__ = ["Location", "Workbook", "empty_frame", "empty_series", "typed_frame", "with_default"]


@dataclass(frozen=True)
class Location:
    """Where a table's rows came from: the file (and sheet) and each row's number there."""

    path: str
    rows: np.ndarray
    """Row number as the source shows it, one per frame row (spreadsheet row or YAML line)."""
    sheet: str | None = None
    header_row: int | None = 1
    """The row holding the column names; None where there is no header (YAML)."""

    def row(self, position: int) -> int | None:
        """The source row of the frame row at ``position``."""
        return int(self.rows[position]) if 0 <= position < len(self.rows) else None


_DTYPES = {"number": "float64", "date": "datetime64[ns]"}


def empty_series(column: Column, length: int) -> pd.Series:
    """A column of ``length`` missing values with the dtype of ``column``'s kind."""
    if column.kind == "number":
        return pd.Series(np.full(length, np.nan), dtype="float64")
    if column.kind == "date":
        return pd.Series(np.full(length, np.datetime64("NaT"), dtype="datetime64[ns]"))
    return pd.Series([None] * length, dtype=object)


def with_default(series: pd.Series, column: Column) -> pd.Series:
    """``series`` with ``column``'s default in its empty cells (unchanged when the column has none)."""
    if column.default is None:
        return series
    if column.kind == "number":
        return series.fillna(column.default).astype("float64")
    return series.where(series.notna(), column.default)


def empty_frame(name: str) -> pd.DataFrame:
    """A frame with table ``name``'s columns and no rows."""
    return pd.DataFrame({c.name: empty_series(c, 0) for c in table(name).columns})


def typed_frame(name: str, data: pd.DataFrame | Iterable[Mapping] | None = None) -> pd.DataFrame:
    """Table ``name`` from already clean values (records or a frame), columns and dtypes as the contract says.

    Missing columns are added empty, defaults filled in, missing values become
    ``None`` / ``NaN`` / ``NaT``. Values are not checked here: records come from
    the models, which have checked them; files go through :mod:`okr_workshop.io`.
    """
    spec = table(name)
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data or []))
    frame = frame.reset_index(drop=True)
    out = {}
    for column in spec.columns:
        if column.name not in frame:
            series = empty_series(column, len(frame))
        elif column.kind == "number":
            series = pd.to_numeric(frame[column.name], errors="raise").astype("float64")
        elif column.kind == "date":
            series = _dates(name, frame, column.name)
        else:
            series = frame[column.name].astype(object)
            if column.kind == "ids":
                series = series.map(_join_ids, na_action="ignore").astype(object)  # pandas 3 infers str
            series = series.where(series.notna(), None)
        out[column.name] = with_default(series, column)
    for extra in frame.columns:
        if extra not in out:
            values = frame[extra].astype(object)
            out[str(extra)] = values.where(values.notna(), None)
    return pd.DataFrame(out)


def _dates(name: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """Column ``column`` of table ``name`` as dates; a StoreError naming the row for a date pandas cannot hold.

    Files and forms refuse such dates (years 1900 to 2200 only); a store
    written before they did may still hold one, and must say where it is
    rather than fail with pandas' traceback.
    """
    try:
        return pd.to_datetime(frame[column]).astype("datetime64[ns]")
    except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError):
        pass
    for position, value in frame[column].items():
        try:
            pd.Timestamp(value).as_unit("ns")
        except (pd.errors.OutOfBoundsDatetime, OverflowError, ValueError):
            row = frame.loc[position]
            key = next((f"{k} {printable(str(row[k]))!r}" for k in ("id", "key_result") if k in frame and row[k]),
                       f"row {position + 1}")
            raise StoreError(f"{name}, {key}, column '{column}': {printable(str(value))!r} is outside the dates "
                             f"okr-workshop works with ({DATE_RANGE}); correct it in the store") from None
    raise StoreError(f"{name}, column '{column}': not every value is a date")


def _join_ids(value: object) -> str | None:
    items = value.split(";") if isinstance(value, str) else value  # else a tuple or list from a record
    parts = [str(p).strip() for p in items]
    joined = ";".join(p for p in parts if p)
    return joined or None


def _sort_key(name: str) -> list[str]:
    spec = table(name)
    return [spec.key] if spec.key else list(spec.column_names)


_UNDER_KEY_RESULTS = ("initiatives", "checkins", "changes")
"""The tables whose rows belong to a key result."""


@dataclass
class Workbook:
    """The tables of an OKR workbook, typed; ``locations`` says where each row was read."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    source: str | None = None

    def __post_init__(self) -> None:
        for name in TABLES:
            if name not in self.tables:
                self.tables[name] = empty_frame(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[table(name).name]

    @classmethod
    def from_records(cls, **records: Iterable[BaseModel | Mapping]) -> Workbook:
        """A workbook from model records (or plain mappings), one keyword per table."""
        tables = {}
        for name, rows in records.items():
            spec = table(name)
            dicts = [
                (r if isinstance(r, BaseModel) else spec.model(**r)).model_dump(mode="python") for r in rows
            ]
            tables[name] = typed_frame(name, dicts)
        return cls(tables=tables)

    def only_objectives(self, keep, *, nameable=None) -> Workbook:
        """The workbook with only the objectives ``keep`` marks (a boolean mask over ``objectives``) and what
        hangs off them: their key results, and the key results' initiatives, check-ins and changes; their
        reflections. Teams, people and the retro stay whole.

        ``nameable`` (a mask like ``keep``) marks the objectives a kept one may still name as its parent;
        another parent is blanked, so nothing names what the reader may not see. Without it, parents stay.
        """
        objectives = self["objectives"]
        keep = np.asarray(keep, dtype=bool)
        kept = objectives[keep]
        if nameable is not None:
            hidden = kept["parent"].notna() & ~kept["parent"].isin(objectives["id"][np.asarray(nameable, dtype=bool)])
            if keep.all() and not hidden.any():
                return self
            kept = kept.assign(parent=kept["parent"].where(~hidden, None))
        elif keep.all():
            return self
        tables = dict(self.tables)
        tables["objectives"] = kept.reset_index(drop=True)
        krs = self["key_results"]
        tables["key_results"] = krs[krs["objective"].isin(kept["id"])].reset_index(drop=True)
        kept_krs = tables["key_results"]["id"]
        for name in _UNDER_KEY_RESULTS:
            frame = self[name]
            tables[name] = frame[frame["key_result"].isin(kept_krs)].reset_index(drop=True)
        reflections = self["reflections"]
        tables["reflections"] = reflections[reflections["objective"].isin(kept["id"])].reset_index(drop=True)
        return Workbook(tables=tables, source=self.source)

    def records(self, name: str) -> list[BaseModel]:
        """The rows of table ``name`` as model records (not re-validated: the workbook is)."""
        spec = table(name)
        frame = self[name].astype(object)
        frame = frame.where(frame.notna(), None)
        out = []
        for row in frame.to_dict("records"):
            for column in spec.columns:
                value = row.get(column.name)
                if column.kind == "date" and value is not None:
                    row[column.name] = value.date()
                elif column.kind == "ids":
                    row[column.name] = tuple(value.split(";")) if value else ()
            out.append(spec.model.model_construct(**row))
        return out

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {name: len(frame) for name, frame in self.tables.items()}

    def canonical(self, name: str) -> pd.DataFrame:
        """Table ``name`` sorted by its key, contract columns only: for comparing workbooks."""
        frame = self[name][list(table(name).column_names)]
        return frame.sort_values(_sort_key(name), kind="stable", na_position="first").reset_index(drop=True)

    def same_data(self, other: Workbook) -> bool:
        """True when both workbooks hold the same rows in every table, whatever their order."""
        for name in TABLES:
            try:
                pd.testing.assert_frame_equal(self.canonical(name), other.canonical(name), check_dtype=True)
            except AssertionError:
                return False
        return True
