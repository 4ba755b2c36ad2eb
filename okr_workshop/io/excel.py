"""The Excel shape: an ``.xlsx`` workbook with one sheet per table (``objectives``, ``key_results``, ...)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from okr_workshop.exceptions import Problem
from okr_workshop.io import limits
from okr_workshop.io.cells import header_problems, parse_table
from okr_workshop.io.output import atomic_file, export_frame, format_number
from okr_workshop.schema import TABLES
from okr_workshop.workbook import Location, Workbook

__all__ = ["README_SHEET", "cell_text", "read_xlsx", "write_xlsx"]

README_SHEET = "README"
"""A sheet explaining every column; readers skip it."""


def cell_text(value: object) -> str | None:
    """A cell's value (an Excel cell's, a YAML scalar) as the text a CSV file would hold."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return format_number(float(value))
    return str(value)


def _sheet_frame(sheet, name: str, label: str, problems: list[Problem]):
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or all(cell is None for cell in header):
        problems.append(
            Problem(path=label, sheet=sheet.title, row=None, column=None, found="an empty sheet",
                    expected="a header row in row 1 naming the columns: " + ", ".join(TABLES[name].column_names))
        )
        return None
    names = [cell_text(cell) for cell in header]
    skip = header_problems(names, label, problems, sheet=sheet.title)  # a column named twice: the first is read
    keep = [i for i, cell in enumerate(names) if cell is not None and cell.strip() and i not in skip]
    names = [names[i].strip() for i in keep]
    records, numbers = [], []
    for number, values in enumerate(rows, start=2):
        cells = [cell_text(values[i]) if i < len(values) else None for i in keep]
        if any(c is not None and c.strip() for c in cells):
            records.append(cells)
            numbers.append(number)
    raw = pd.DataFrame(records, columns=names, dtype=object)
    location = Location(path=label, sheet=sheet.title, rows=np.array(numbers, dtype=int))
    return parse_table(name, raw, location, problems), location


def read_xlsx(path: Path, problems: list[Problem]) -> Workbook:
    """Every table whose sheet is in the ``.xlsx`` file; the ``objectives`` sheet must be there."""
    import openpyxl  # noqa: PLC0415 - only the Excel shape needs it
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415 - openpyxl only for Excel files

    label = str(path)
    workbook = Workbook(source=label)
    limits.check_xlsx(path, label)  # a zip bomb or XML that openpyxl would hoard is refused before it reads any
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, SyntaxError) as error:
        problems.append(
            Problem(path=label, row=None, column=None, found=f"a file that is not an Excel workbook ({error})",
                    expected="an .xlsx file saved by Excel, LibreOffice or Google Sheets")
        )
        return workbook
    try:
        sheets = {sheet.title.strip().lower(): limits.bounded_sheet(sheet, label) for sheet in book.worksheets}
        if "objectives" not in sheets:
            problems.append(
                Problem(path=label, row=None, column=None,
                        found="no sheet named objectives (sheets: " + ", ".join(s.title for s in book.worksheets) + ")",
                        expected="sheets named like the tables: objectives, key_results, and any of "
                        "teams, people, initiatives, checkins")
            )
        for name in TABLES:
            if name in sheets:
                result = _sheet_frame(sheets[name], name, label, problems)
                if result is not None:
                    workbook.tables[name], workbook.locations[name] = result
    finally:
        book.close()
    return workbook


def write_xlsx(workbook: Workbook, path: Path) -> None:
    """The workbook as an ``.xlsx`` file: a README sheet, then one sheet per table."""
    import openpyxl  # noqa: PLC0415 - openpyxl only for Excel files
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 - openpyxl only for Excel files
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - openpyxl only for Excel files

    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, names):
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    readme = book.create_sheet(README_SHEET)
    readme.column_dimensions["A"].width = 14
    readme.column_dimensions["B"].width = 16
    readme.column_dimensions["C"].width = 10
    readme.column_dimensions["D"].width = 70
    header(readme, ["sheet", "column", "required", "what to write"])
    for spec in TABLES.values():
        for column in spec.columns:
            note = WriteOnlyCell(readme, value=column.help)
            note.alignment = Alignment(wrap_text=True)
            readme.append([spec.name, column.name, "yes" if column.required else "", note])
    for name in TABLES:
        frame = export_frame(workbook, name, native=True)
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(frame.columns):
            letter = openpyxl.utils.get_column_letter(index + 1)
            sheet.column_dimensions[letter].width = 40 if column in ("title", "description", "note") else 14
        header(sheet, list(frame.columns))
        dates = [c for c in frame.columns if c in TABLES[name].column_names and TABLES[name][c].kind == "date"]
        for values in frame.itertuples(index=False, name=None):
            row = []
            for column, value in zip(frame.columns, values, strict=True):
                if column in dates and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    value = cell
                row.append(value)
            sheet.append(row)
    with atomic_file(path) as staging:
        book.save(staging)
