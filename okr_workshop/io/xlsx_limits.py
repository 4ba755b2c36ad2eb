"""Bounds on an ``.xlsx`` workbook: its zip archive, the XML of its parts, and the rows of its sheets.

An ``.xlsx`` is a zip archive whose parts unpack up to a thousand times larger
(a 3 MB file holding 1 GB of shared strings, the text the sheets share), and
whose XML can hold millions of elements that openpyxl keeps in memory.
:func:`check_xlsx` reads the archive's directory, then streams each part
openpyxl would read through the XML scan of :mod:`~okr_workshop.io.xml_scan`;
:func:`bounded_sheet` counts the rows and cells of a sheet as they are read.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from okr_workshop.exceptions import WorkbookError
from okr_workshop.io.bounds import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_SHARED_TEXT,
    MAX_XLSX_PARTS,
    MAX_XLSX_UNPACKED,
    MB,
    RATIO_GRACE,
    SAVE_AGAIN,
    refuse_file,
    size_text,
)
from okr_workshop.io.xml_scan import XmlScan, utf16

_CHUNK = 1 * MB
"""How much of a part is read at a time."""


def check_xlsx(path: Path, label: str) -> None:
    """Refuse an ``.xlsx`` file whose archive or XML passes a limit, before openpyxl reads any of it.

    First the archive's directory alone (instant): how many parts, how large
    unpacked, how tightly packed; then, streaming each XML part once (about a
    second for the 5,000-person workbook), what openpyxl would keep of it in
    memory. A file that is not a zip archive passes untouched: openpyxl says so.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        _XlsxCheck(archive, label).run()


class _XlsxCheck:
    """The check of one archive: its directory, then each part openpyxl would read, as openpyxl finds them."""

    def __init__(self, archive: zipfile.ZipFile, label: str):
        self.archive = archive
        self.label = label
        self.infos = archive.infolist()
        self.names = {info.filename for info in self.infos}
        self.sheets: dict[str, str] = {}  # part -> sheet title, as openpyxl finds the worksheets
        self.strings: str | None = None  # the shared strings' part
        self.whole: set[str] = set()  # parts openpyxl parses whole (not streamed)
        self.other_elements = 0
        self.scanned: set[tuple[str, int]] = set()

    def run(self) -> None:
        infos = self.infos
        if len(infos) > MAX_XLSX_PARTS:
            refuse_file(self.label, f"a zip archive of {len(infos):,} files",
                        f"an .xlsx workbook of at most {MAX_XLSX_PARTS:,} files (Excel writes a few dozen)")
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_XLSX_UNPACKED:
            packed = sum(info.compress_size for info in infos)
            refuse_file(self.label, f"a workbook that unpacks to {size_text(unpacked)} ({size_text(packed)} packed)",
                        f"at most {size_text(MAX_XLSX_UNPACKED)} unpacked, which leaves room for 20,000 people's "
                        "OKRs and a quarter of weekly check-ins; larger is refused so that a crafted file cannot fill "
                        "the memory")
        self._find_parts()
        for info in infos:
            self._check_packing(info)
        for info in infos:
            self._scan(info)

    # Which part openpyxl reads how: the same look-ups it makes, on parts checked before they are parsed.
    def _find_parts(self) -> None:
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing  # noqa: PLC0415 - openpyxl only when an .xlsx file is read
        from openpyxl.packaging.manifest import Manifest  # noqa: PLC0415 - openpyxl only when an .xlsx file is read
        from openpyxl.packaging.relationship import get_rels_path  # noqa: PLC0415 - openpyxl only when an .xlsx file is read
        from openpyxl.reader.excel import _find_workbook_part  # noqa: PLC0415 - openpyxl only when an .xlsx file is read
        from openpyxl.reader.workbook import WorkbookParser  # noqa: PLC0415 - openpyxl only when an .xlsx file is read
        from openpyxl.xml.constants import (  # noqa: PLC0415 - openpyxl only when an .xlsx file is read
            ARC_CONTENT_TYPES,
            ARC_CORE,
            ARC_CUSTOM,
            ARC_STYLE,
            SHARED_STRINGS,
        )
        from openpyxl.xml.functions import fromstring  # noqa: PLC0415 - openpyxl only when an .xlsx file is read

        self.whole = {ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE}
        self.whole.update(name for name in self.names if name.endswith(".rels"))
        failures = (KeyError, ValueError, TypeError, AttributeError, IndexError, OSError, SyntaxError,
                    zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
        try:
            self._scan_name(ARC_CONTENT_TYPES)
            package = Manifest.from_tree(fromstring(self.archive.read(ARC_CONTENT_TYPES)))
            shared = package.find(SHARED_STRINGS)
            if shared is not None:
                self.strings = shared.PartName[1:]
            workbook = _find_workbook_part(package).PartName[1:]
            self.whole.add(workbook)
            self._scan_name(workbook)
            self._scan_name(get_rels_path(workbook))
            parser = WorkbookParser(self.archive, workbook, keep_links=False)
            parser.parse()
            charts = []
            for sheet, rel in parser.find_sheets():
                if rel.target not in self.names:
                    continue
                if "chartsheet" in rel.Type:
                    charts.append(rel.target)
                else:
                    self.sheets[rel.target] = sheet.name
            # A chart sheet is read whole, with its drawings and what they point at (charts, images).
            self.whole.update(charts)
            for chart in charts:
                for rel in self._dependents(chart):
                    if rel.Type == SpreadsheetDrawing._rel_type:
                        self.whole.add(rel.target)
                        self.whole.update(dep.target for dep in self._dependents(rel.target))
        except WorkbookError:
            raise
        except failures:  # openpyxl fails on the same part the same way, and says so
            return

    def _dependents(self, part: str) -> list:
        """The relationships of ``part`` as openpyxl reads them, its ``.rels`` part checked first."""
        from openpyxl.packaging.relationship import get_dependents, get_rels_path  # noqa: PLC0415 - openpyxl only when an .xlsx file is read

        rels = get_rels_path(part)
        if rels not in self.names:
            return []
        self._scan_name(rels)
        return [rel for rel in get_dependents(self.archive, rels) if rel.TargetMode != "External"]

    def _where(self, name: str) -> tuple[str, str | None]:
        """The part in words (nothing for a sheet, whose title the problem gives), and the sheet's title."""
        if name in self.sheets:
            return "", self.sheets[name]
        if name == self.strings:
            return f"the shared strings ({name}, the text of all sheets)", None
        return name, None

    def _check_packing(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        if name == self.strings and info.file_size > MAX_SHARED_TEXT:
            where, _ = self._where(name)
            refuse_file(self.label, f"{where} unpack to {size_text(info.file_size)}",
                        f"at most {size_text(MAX_SHARED_TEXT)} of shared strings, room for two million different "
                        "texts; larger is refused so that a crafted file cannot fill the memory")
        if (name in self.sheets or name == self.strings) and info.file_size > RATIO_GRACE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                where, sheet = self._where(name)
                found = f"{where} unpack" if where else "XML that unpacks"
                refuse_file(self.label, f"{found} to {ratio:,.0f} times the packed size "
                            f"({size_text(info.file_size)} from {size_text(info.compress_size)})",
                            f"at most {MAX_RATIO} times (real sheets pack about 10 times): data packed this tightly "
                            "is built to fill the memory", sheet=sheet)

    def _scan_name(self, name: str) -> None:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return
        self._scan(info)

    def _scan(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        if (name, info.header_offset) in self.scanned:
            return
        self.scanned.add((name, info.header_offset))
        kinds: list[bytes | None] = []
        if name in self.sheets:
            kinds.append(b"row")
        if name == self.strings:
            kinds.append(b"si")
        if name in self.whole:
            kinds.append(None)
        if not kinds:
            return  # openpyxl does not read it (a worksheet's drawing, a printer setting...)
        try:
            with self.archive.open(info) as stream:
                first = stream.read(_CHUNK)
                if utf16(first):
                    self.refuse(name, "XML in UTF-16", "XML in UTF-8, as Excel writes it; " + SAVE_AGAIN)
                if kinds == [None] and not first.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
                    return  # no XML (an image): openpyxl parses none of it
                scans = [XmlScan(self, name, record, first) for record in kinds]
                chunk = first
                while True:
                    for scan in scans:
                        scan.feed(chunk)
                    if not chunk:
                        break
                    chunk = stream.read(_CHUNK)
        except WorkbookError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
            return  # a damaged or encrypted part: openpyxl reports it if it reads it

    def refuse(self, name: str, found: str, expected: str, row: int | None = None) -> None:
        where, sheet = self._where(name)
        refuse_file(self.label, f"{where}: {found}" if where else found, expected, sheet=sheet, row=row)



class _BoundedSheet:
    """An openpyxl read-only sheet whose rows stop at MAX_ROWS and MAX_CELLS, and whose read errors are problems."""

    def __init__(self, sheet, label: str):
        self._sheet = sheet
        self._label = label

    def __getattr__(self, name: str):
        return getattr(self._sheet, name)

    def iter_rows(self, *args, **kwargs) -> Iterator[tuple]:
        sheet, label, title = self._sheet, self._label, self._sheet.title
        if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
            refuse_file(label, f"a sheet whose size is given as {sheet.max_row:,} rows by {sheet.max_column:,} columns",
                        f"at most {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns, Excel's own limits", sheet=title)
        rows = sheet.iter_rows(*args, **kwargs)
        cells = width = number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (SyntaxError, ValueError, KeyError, TypeError, zipfile.BadZipFile, zlib.error, EOFError) as error:
                refuse_file(label, f"a sheet that cannot be read ({error})",
                            "a sheet as Excel writes it; " + SAVE_AGAIN, sheet=title, row=number + 1)
            number += 1
            width = width or len(row)
            cells += max(len(row), width)
            if number > MAX_ROWS:
                refuse_file(label, f"more than {MAX_ROWS:,} rows", f"at most {MAX_ROWS:,} rows, as many as an Excel "
                            "sheet holds (empty rows before the last one count)", sheet=title)
            if cells > MAX_CELLS:
                refuse_file(label, f"more than {MAX_CELLS:,} cells by row {number:,} (rows times the columns up to the "
                            "last one used, empty ones included)", f"at most {MAX_CELLS:,} cells in a sheet, a full "
                            "sheet of 16 columns: delete unused columns and rows", sheet=title)
            yield row


def bounded_sheet(sheet, label: str) -> _BoundedSheet:
    """``sheet`` (an openpyxl read-only worksheet) with its rows counted against the limits as they are read."""
    return _BoundedSheet(sheet, label)

