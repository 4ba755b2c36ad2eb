"""The numbers that bound what reading a workbook may cost, and how a file that passes one is refused.

The limits are Excel's own where Excel has one (1,048,576 rows and 16,384
columns in a sheet) and leave room for a large company elsewhere; the guards
of each format (:mod:`~okr_workshop.io.csv_limits`,
:mod:`~okr_workshop.io.yaml_limits`, :mod:`~okr_workshop.io.xlsx_limits`) hold a
file to them and refuse it with :func:`refuse_file`, naming the file, what it
holds and the limit. :mod:`~okr_workshop.io.limits` gathers them all.
"""

from __future__ import annotations

from pathlib import Path

from okr_workshop.exceptions import Problem, WorkbookError

MB = 1024 * 1024

MAX_ROWS = 1_048_576
"""Rows of one table, the header included: as many as an Excel sheet holds."""
MAX_COLUMNS = 16_384
"""Columns of one table: as many as an Excel sheet holds."""
MAX_CELLS = 16_777_216
"""Rows times columns of one table (a full sheet of 16 columns); blank cells count, as they cost as much to read."""

MAX_CSV_BYTES = 128 * MB
"""One CSV file (the 20,000-person organisation's check-ins are 47 MB)."""
MAX_YAML_BYTES = 32 * MB
"""One YAML file: reading YAML takes some 50 times its size in memory (5,000 people are 27 MB)."""
MAX_YAML_REPEATS = 1_000_000
"""Values that aliases (``*name``) may repeat in one YAML file, all aliases together."""

MAX_XLSX_PARTS = 10_000
"""Files inside an ``.xlsx`` archive (Excel writes a few dozen)."""
MAX_XLSX_UNPACKED = 512 * MB
"""All files of an ``.xlsx`` archive unpacked (the 20,000-person organisation's workbook: 272 MB)."""
MAX_SHARED_TEXT = 128 * MB
"""The shared strings (``xl/sharedStrings.xml``, the text of all sheets) unpacked."""
MAX_SHARED_STRINGS = 2_000_000
"""Strings in the shared strings table."""
MAX_RATIO = 100
"""How many times its packed size a sheet or the shared strings may unpack (real ones: about 10; Apache POI's limit)."""
RATIO_GRACE = 1 * MB
"""Parts smaller than this unpacked are not held to MAX_RATIO."""
MAX_RUN = 1 * MB
"""Bytes between two tags of an XML part: one text or one tag (a cell holds at most 32,767 characters)."""
MAX_LOOSE = 100_000
"""XML elements outside the rows of a sheet (or the strings of the shared strings): widths, merges, links..."""
MAX_IN_RECORD = 100_000
"""XML elements inside one row of a sheet or one string of the shared strings."""
MAX_PART_ELEMENTS = 250_000
"""XML elements of any other part of an ``.xlsx`` archive (the styles, at most 64,000 formats in Excel, and so on)."""
MAX_OTHER_ELEMENTS = 500_000
"""XML elements of all other parts of an ``.xlsx`` archive together."""
SAVE_AGAIN = "save the file again from Excel, LibreOffice or Google Sheets"
"""The advice for a file whose parts no spreadsheet program writes."""


def size_text(count: int) -> str:
    """A byte count as people read it: ``954 MB``, ``3.4 MB``, ``512 KB``."""
    if count >= 100 * MB:
        return f"{count / MB:,.0f} MB"
    if count >= MB:
        return f"{count / MB:.1f} MB"
    return f"{max(1, round(count / 1024)):,} KB"


def refuse_file(label: str, found: str, expected: str, sheet: str | None = None, row: int | None = None) -> None:
    """Raise the :class:`~okr_workshop.exceptions.WorkbookError` that refuses file ``label`` for what it holds."""
    raise WorkbookError([Problem(path=label, sheet=sheet, row=row, column=None, found=found, expected=expected)])


def read_bounded(path: Path, label: str, limit: int, advice: str) -> bytes:
    """The bytes of a file, refused with ``advice`` when it holds more than ``limit`` of them."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = path.stat().st_size
        refuse_file(label, f"a file of {size_text(size)}", f"a file of at most {size_text(limit)} ({advice})")
    return data

