"""What every writer shares: spreadsheet-safe cells and all-or-nothing files."""

from __future__ import annotations

import numpy as np
import pandas as pd

from okr_workshop.atomic import atomic_file, atomic_folder
from okr_workshop.io.formulas import escape_formula
from okr_workshop.schema import table
from okr_workshop.text import any_unsafe, visible
from okr_workshop.workbook import Workbook

__all__ = ["atomic_file", "atomic_folder", "export_frame", "format_number", "visible_text"]


def format_number(value: float) -> str | None:
    """``40.0`` as ``40``, ``12.5`` as ``12.5``; None for a missing value."""
    if value is None or np.isnan(value):
        return None
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def visible_text(series: pd.Series, form: str) -> pd.Series:
    """A text column with every character a reader refuses as a visible escape (``\\x1b``).

    Such text can only be in a store written before the readers refused it (or
    written to the database directly); a spreadsheet cannot hold most of it
    (``.xlsx`` is XML), and the escape keeps it readable and importable again.
    ``form`` is the column's (:mod:`okr_workshop.text`): free text keeps its tabs and line breaks. One search over
    the whole column finds whether there is anything to do.
    """
    mask = series.notna()
    if not mask.any():
        return series
    text = series[mask].astype(str)
    if not any_unsafe(" ".join(text.tolist()), form):
        return series
    return series.where(~mask, text.map(lambda value: visible(value, form)))


def export_frame(workbook: Workbook, name: str, native: bool = False) -> pd.DataFrame:
    """Table ``name`` ready for a spreadsheet: text neutralised against formulas, control characters escaped.

    With ``native`` numbers stay numbers and dates stay dates (for ``.xlsx``);
    otherwise every cell is text (for CSV), numbers without a needless ``.0``.
    Numbers are never touched by the formula guard: ``-5`` stays a number.
    Text a reader would refuse (a control character, a line break in a
    title) is written as a visible escape (:func:`visible_text`), so the file
    opens and imports again.
    """
    spec = table(name)
    frame = workbook[name]
    out = {}
    for column in frame.columns:
        known = column in spec.column_names
        kind = spec[column].kind if known else "text"
        series = frame[column]
        if kind == "number":
            series = series.astype(object).where(series.notna(), None) if native else series.map(format_number)
        elif kind == "date":
            series = series.dt.date if native else series.dt.strftime("%Y-%m-%d")
            series = series.astype(object).where(frame[column].notna(), None)
        else:
            series = escape_formula(visible_text(series, spec[column].text_form if known else "free"))
        out[visible(str(column), "line")] = series
    return pd.DataFrame(out)
