"""Bounds on a CSV file: its size, its lines, the columns of its header and its cells, checked before pandas reads it.

A CSV file of blank lines, or with a header of 200,000 columns, makes pandas
build a cell for every line and column: :func:`read_csv_bytes` counts them
first, in the bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

from okr_workshop.io.bounds import MAX_CELLS, MAX_COLUMNS, MAX_CSV_BYTES, MAX_ROWS, read_bounded, refuse_file


def read_csv_bytes(path: Path, label: str) -> bytes:
    """The bytes of a CSV file, refused when the file, its lines, its header or its cells pass the limits."""
    data = read_bounded(path, label, MAX_CSV_BYTES, "split a larger table over several workbooks")
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > MAX_ROWS:
        refuse_file(label, f"{lines:,} lines", f"at most {MAX_ROWS:,} lines, header included, as many rows as an Excel "
                    "sheet holds (blank lines count)")
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    columns = first.count(b",") + 1
    if columns > 100:  # a quoted comma is no column: count them exactly
        columns = len(next(csv.reader([first.decode("utf-8-sig", "replace").rstrip("\r")]), []))
    if columns > MAX_COLUMNS:
        refuse_file(label, f"a header of {columns:,} columns", f"at most {MAX_COLUMNS:,} columns, as many as an Excel "
                    "sheet holds", row=1)
    if lines * columns > MAX_CELLS:
        refuse_file(label, f"{lines:,} lines of {columns:,} columns ({lines * columns:,} cells, blank ones included)",
                    f"at most {MAX_CELLS:,} cells, a full Excel sheet of 16 columns (delete blank lines and unused "
                    "columns)")
    return data

