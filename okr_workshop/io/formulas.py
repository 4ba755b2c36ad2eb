"""Spreadsheet formulas in people's text: neutralised on the way out, restored on the way in.

Text a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``
or ``@``, or a tab or carriage return) is written with a leading ``'`` by
every CSV and XLSX export, and the readers drop exactly that quote again, so
an export and an import give back what was typed.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["escape_formula", "unescape_formula"]

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")


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
