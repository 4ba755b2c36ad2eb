"""Bounds on what reading a workbook may cost, so that a crafted file is refused at once.

A workbook file can be made to cost far more than its size:

- an ``.xlsx`` is a zip archive whose parts unpack up to a thousand times larger
  (a 3 MB file holding 1 GB of shared strings, the text the sheets share);
- its XML can hold millions of elements that the Excel reader (openpyxl) keeps
  in memory: anything outside the rows of a sheet, or outside the strings of the
  shared strings table, stays in its parse tree;
- a CSV file of blank lines, or with a header of 200,000 columns, makes pandas
  build a cell for every line and column;
- a YAML file can name a list of lists of lists (aliases) that stands for a
  billion values in a few hundred bytes.

Each reader calls the guard here before the library that would pay that cost.
The guard raises a :class:`~okr_workshop.exceptions.WorkbookError` naming the
file, the limit that was passed and the limit. The limits leave room for a large
company: the 20,000-person benchmark organisation (880,000 check-ins in a
quarter) reads in every shape but YAML, and they are Excel's own where Excel has one
(1,048,576 rows and 16,384 columns in a sheet).

The guards live by format (:mod:`~okr_workshop.io.csv_limits`,
:mod:`~okr_workshop.io.yaml_limits`, :mod:`~okr_workshop.io.xlsx_limits` with
the XML scan of :mod:`~okr_workshop.io.xml_scan`), the numbers in
:mod:`~okr_workshop.io.bounds`; this module gathers what the readers call.
"""

from okr_workshop.io.bounds import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_CSV_BYTES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_SHARED_TEXT,
    MAX_XLSX_PARTS,
    MAX_XLSX_UNPACKED,
    MAX_YAML_BYTES,
)
from okr_workshop.io.csv_limits import read_csv_bytes
from okr_workshop.io.xlsx_limits import bounded_sheet, check_xlsx
from okr_workshop.io.yaml_limits import read_yaml_text, safe_load_yaml, yaml_document

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_CSV_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MAX_SHARED_TEXT",
    "MAX_XLSX_PARTS",
    "MAX_XLSX_UNPACKED",
    "MAX_YAML_BYTES",
    "bounded_sheet",
    "check_xlsx",
    "read_csv_bytes",
    "read_yaml_text",
    "safe_load_yaml",
    "yaml_document",
]
