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
"""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from okr_workshop.exceptions import Problem, WorkbookError

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_CSV_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MAX_SHARED_TEXT",
    "MAX_XLSX_UNPACKED",
    "MAX_YAML_BYTES",
    "bounded_sheet",
    "check_xlsx",
    "read_csv_bytes",
    "read_yaml_text",
    "safe_load_yaml",
    "yaml_document",
]

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

_CHUNK = 1 * MB
_SAVE_AGAIN = "save the file again from Excel, LibreOffice or Google Sheets"


def _size(count: int) -> str:
    """A byte count as people read it: ``954 MB``, ``3.4 MB``, ``512 KB``."""
    if count >= 100 * MB:
        return f"{count / MB:,.0f} MB"
    if count >= MB:
        return f"{count / MB:.1f} MB"
    return f"{max(1, round(count / 1024)):,} KB"


def _refuse(label: str, found: str, expected: str, sheet: str | None = None, row: int | None = None) -> None:
    raise WorkbookError([Problem(path=label, sheet=sheet, row=row, column=None, found=found, expected=expected)])


# -- CSV and YAML -------------------------------------------------------------------------------------------------

def _read_bounded(path: Path, label: str, limit: int, advice: str) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = path.stat().st_size
        _refuse(label, f"a file of {_size(size)}", f"a file of at most {_size(limit)} ({advice})")
    return data


def read_csv_bytes(path: Path, label: str) -> bytes:
    """The bytes of a CSV file, refused when the file, its lines, its header or its cells pass the limits."""
    data = _read_bounded(path, label, MAX_CSV_BYTES, "split a larger table over several workbooks")
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > MAX_ROWS:
        _refuse(label, f"{lines:,} lines", f"at most {MAX_ROWS:,} lines, header included, as many rows as an Excel "
                "sheet holds (blank lines count)")
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    columns = first.count(b",") + 1
    if columns > 100:  # a quoted comma is no column: count them exactly
        columns = len(next(csv.reader([first.decode("utf-8-sig", "replace").rstrip("\r")]), []))
    if columns > MAX_COLUMNS:
        _refuse(label, f"a header of {columns:,} columns", f"at most {MAX_COLUMNS:,} columns, as many as an Excel "
                "sheet holds", row=1)
    if lines * columns > MAX_CELLS:
        _refuse(label, f"{lines:,} lines of {columns:,} columns ({lines * columns:,} cells, blank ones included)",
                f"at most {MAX_CELLS:,} cells, a full Excel sheet of 16 columns (delete blank lines and unused "
                "columns)")
    return data


def read_yaml_text(path: Path, label: str) -> str:
    """The text of a YAML file (UTF-8, a BOM dropped, line ends as ``\\n``), refused when the file is too large.

    Raises :class:`UnicodeDecodeError` as :meth:`Path.read_text` does for bytes that are not UTF-8.
    """
    data = _read_bounded(path, label, MAX_YAML_BYTES, "YAML takes some 50 times its size in memory; "
                         "write a larger workbook as a folder of CSV files, which reads some 20 times faster")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:  # at its byte in the file, the BOM counted
        raise UnicodeDecodeError("utf-8", data, error.start + bom, error.end + bom, error.reason) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_ANCHOR = re.compile(r"(?:^|[\s\[{,:])&[^\s\[\]{},]", re.MULTILINE)
"""Where a YAML anchor (``&name``) may begin; without one there can be no alias."""


def yaml_document(loader, label: str, text: str) -> object:
    """The document ``loader`` (a PyYAML loader of ``text``) holds, refused when its aliases repeat too many values.

    An alias (``*name``) stands for the whole value its anchor (``&name``) names,
    so a few lines of aliases of aliases can stand for a billion values (the
    "billion laughs"); PyYAML builds them cheaply as shared objects, but reading
    them walks every one.
    """
    node = loader.get_single_node()
    if node is None:
        return None
    if "&" in text and _ANCHOR.search(text):
        repeats, line = _alias_repeats(node)
        if repeats > MAX_YAML_REPEATS:
            _refuse(label, f"aliases (*name) that repeat more than {MAX_YAML_REPEATS:,} values",
                    f"at most {MAX_YAML_REPEATS:,} values repeated through aliases, all aliases together: write the "
                    "values out, or name fewer and smaller anchors (&name)", row=line)
    return loader.construct_document(node)


def safe_load_yaml(text: str, label: str) -> object:
    """``yaml.safe_load(text)``, refused as :func:`yaml_document` refuses a document (for settings files)."""
    import yaml  # noqa: PLC0415 - only YAML files need it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return yaml_document(loader, label, text)
    finally:
        loader.dispose()


def _alias_repeats(root) -> tuple[int, int | None]:
    """How many values the document stands for beyond those written out, and the line of the first aliased value.

    Only collections are remembered (a document has far fewer of them than
    values); a value an alias repeats counts once for each time it is named.
    """
    from yaml.nodes import ScalarNode  # noqa: PLC0415 - only the YAML shape needs it

    if isinstance(root, ScalarNode):
        return 0, None
    expanded: dict[int, int] = {}  # a collection's id -> the values it stands for, itself included
    active: set[int] = set()  # collections being walked: an alias to one of them is inside itself
    written = 0
    first: int | None = None
    stack: list[tuple[object, list | None]] = [(root, None)]  # (collection, its children once walked)
    while stack:
        node, children = stack.pop()
        key = id(node)
        if children is not None:
            active.discard(key)
            total = 1 + sum(1 if isinstance(child, ScalarNode) else expanded.get(id(child), 1) for child in children)
            expanded[key] = min(total, MAX_YAML_REPEATS * 16)
            continue
        if key in expanded or key in active:  # named again through an alias
            if first is None:
                first = node.start_mark.line + 1
            continue
        value = node.value
        children = [item for pair in value for item in pair] if value and isinstance(value[0], tuple) else value
        active.add(key)
        collections = [child for child in children if not isinstance(child, ScalarNode)]
        written += 1 + len(children) - len(collections)
        stack.append((node, children))
        stack.extend((child, None) for child in collections)
    return expanded[id(root)] - written, first


# -- .xlsx --------------------------------------------------------------------------------------------------------

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
            _refuse(self.label, f"a zip archive of {len(infos):,} files",
                    f"an .xlsx workbook of at most {MAX_XLSX_PARTS:,} files (Excel writes a few dozen)")
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_XLSX_UNPACKED:
            packed = sum(info.compress_size for info in infos)
            _refuse(self.label, f"a workbook that unpacks to {_size(unpacked)} ({_size(packed)} packed)",
                    f"at most {_size(MAX_XLSX_UNPACKED)} unpacked, which leaves room for 20,000 people's OKRs and "
                    "a quarter of weekly check-ins; larger is refused so that a crafted file cannot fill the memory")
        self._find_parts()
        for info in infos:
            self._check_packing(info)
        for info in infos:
            self._scan(info)

    # Which part openpyxl reads how: the same look-ups it makes, on parts checked before they are parsed.
    def _find_parts(self) -> None:
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing  # noqa: PLC0415
        from openpyxl.packaging.manifest import Manifest  # noqa: PLC0415
        from openpyxl.packaging.relationship import get_rels_path  # noqa: PLC0415
        from openpyxl.reader.excel import _find_workbook_part  # noqa: PLC0415
        from openpyxl.reader.workbook import WorkbookParser  # noqa: PLC0415
        from openpyxl.xml.constants import (  # noqa: PLC0415
            ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE, SHARED_STRINGS,
        )
        from openpyxl.xml.functions import fromstring  # noqa: PLC0415

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
        from openpyxl.packaging.relationship import get_dependents, get_rels_path  # noqa: PLC0415

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
            _refuse(self.label, f"{where} unpack to {_size(info.file_size)}",
                    f"at most {_size(MAX_SHARED_TEXT)} of shared strings, room for two million different texts; "
                    "larger is refused so that a crafted file cannot fill the memory")
        if (name in self.sheets or name == self.strings) and info.file_size > RATIO_GRACE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                where, sheet = self._where(name)
                found = f"{where} unpack" if where else "XML that unpacks"
                _refuse(self.label, f"{found} to {ratio:,.0f} times the packed size ({_size(info.file_size)} from "
                        f"{_size(info.compress_size)})", f"at most {MAX_RATIO} times (real sheets pack about 10 "
                        "times): data packed this tightly is built to fill the memory", sheet=sheet)

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
                if _utf16(first):
                    self.refuse(name, "XML in UTF-16", "XML in UTF-8, as Excel writes it; " + _SAVE_AGAIN)
                if kinds == [None] and not first.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
                    return  # no XML (an image): openpyxl parses none of it
                scans = [_XmlScan(self, name, record, first) for record in kinds]
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
        _refuse(self.label, f"{where}: {found}" if where else found, expected, sheet=sheet, row=row)


def _utf16(first: bytes) -> bool:
    """Whether a part is XML in UTF-16 (which Excel never writes, and a byte scan cannot read)."""
    if first[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return first[:200].decode("utf-16", "replace").lstrip().startswith("<")
    return first[:2] in (b"<\x00", b"\x00<")


def _tags(view: np.ndarray, lt: np.ndarray, needle: bytes, ends: bytes) -> np.ndarray:
    """The positions in ``lt`` (of ``<``) where ``view`` holds ``needle`` and then one of the bytes ``ends``."""
    last = view.size - 1
    found = lt
    for offset, byte in enumerate(needle[1:], start=1):
        found = found[view[np.minimum(found + offset, last)] == byte]
    return found[np.isin(view[np.minimum(found + len(needle), last)], np.frombuffer(ends, dtype=np.uint8))]


_MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NAME = rb"[A-Za-z_][\w.\-]*"
_ATTRS = rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)"""
_ROOT = re.compile(rb"<(?:(" + _NAME + rb"):)?(" + _NAME + rb")" + _ATTRS + rb"\s*/?>")
_NS = re.compile(rb"""xmlns(?::(""" + _NAME + rb"""))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DECLARATION = re.compile(rb"""<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_ASCII_BASED = re.compile(rb"(?i)utf-?8|us-ascii|ascii|iso-?8859-\d+|latin-?1|windows-125\d|cp125\d")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


class _XmlScan:
    """Streams one XML part: what openpyxl would keep of it in memory, against the limits.

    With ``record`` (``row`` in a sheet, ``si`` in the shared strings) it counts the
    records, the elements inside each (dropped once the record is read) and the
    elements outside any (kept to the end); without, every element (a part
    openpyxl parses whole). Markup that could hide tags from a byte scan
    (comments, CDATA, processing instructions, a DTD) is refused in sheets and the
    shared strings, where Excel never writes it.
    """

    def __init__(self, check: _XlsxCheck, name: str, record: bytes | None, first: bytes):
        self.check, self.name, self.record = check, name, record
        self.carry = b""
        self.base = 0  # offset in the part of carry[0]
        self.inside = False  # within a record at the start of the next region
        self.in_count = 0  # elements so far in the record that is open
        self.number: int | None = None  # the row number of the row that is open
        self.records = 0
        self.loose = 0
        self.elements = 0
        self.declared: int | None = None  # where a namespace was declared after the root element
        self.start = len(first) - len(first.lstrip(b"\xef\xbb\xbf"))
        match = _DECLARATION.match(first, self.start)
        if match and not _ASCII_BASED.fullmatch(match[1]):
            self.refuse(f"XML in the encoding {match[1].decode('ascii')}", "XML in UTF-8, as Excel writes it; "
                        + _SAVE_AGAIN)
        self.root_end = 0
        self.open = self.close = None
        if record is not None:
            self._find_root(first)

    def refuse(self, found: str, expected: str, row: int | None = None) -> None:
        self.check.refuse(self.name, found, expected, row=row)

    def _find_root(self, first: bytes) -> None:
        at = first.find(b"?>") + 2 if first.startswith(b"<?", self.start) else self.start
        at = first.find(b"<", at)
        root = _ROOT.match(first, at) if at >= 0 else None
        if root is None:
            return  # no root tag in the first megabyte: every element counts as outside the records
        self.root_end = root.end()
        prefixes = [m[1] or b"" for m in _NS.finditer(root[3]) if (m[2] if m[2] is not None else m[3]) == _MAIN_NS]
        if prefixes:
            self.open = [b"<" + (p + b":" if p else b"") + self.record for p in prefixes]
            self.close = [b"</" + (p + b":" if p else b"") + self.record for p in prefixes]

    def feed(self, chunk: bytes) -> None:
        final = not chunk
        buf = self.carry + chunk
        cut = len(buf) if final else buf.rfind(b"<")
        if cut > 0:
            self._region(buf, cut, final)
            self.carry, self.base = buf[cut:], self.base + cut
        else:
            self.carry = buf
        if len(self.carry) > MAX_RUN:
            self._too_long()

    def _too_long(self) -> None:
        self.refuse(f"a text or tag of more than {_size(MAX_RUN)}",
                    "cells of at most 32,767 characters (Excel's limit) and tags of ordinary length")

    def _region(self, buf: bytes, cut: int, final: bool) -> None:
        view = np.frombuffer(buf, dtype=np.uint8)
        lt = np.flatnonzero(view[:cut] == 60)  # "<"
        if lt.size == 0:
            if cut > MAX_RUN:
                self._too_long()
            return
        bounds = np.concatenate(([0], lt, [cut]))
        if int(np.diff(bounds).max()) > MAX_RUN:
            self._too_long()
        after = view[np.minimum(lt + 1, len(view) - 1)]
        starts = lt[(after != 47) & (after != 33) & (after != 63)]  # not "</", "<!", "<?"
        markup = lt[after == 33]
        if self.record is None:
            for at in markup.tolist():
                if buf[at + 2 : at + 3].isupper():  # <!DOCTYPE, <!ENTITY...: a DTD can expand entities into tags
                    self.refuse("a document type declaration (DTD)", "XML without a DTD, as Excel writes it; "
                                + _SAVE_AGAIN)
            self.elements += starts.size
            self.check.other_elements += starts.size
            if self.elements > MAX_PART_ELEMENTS:
                self.refuse(f"more than {MAX_PART_ELEMENTS:,} XML elements",
                            f"at most {MAX_PART_ELEMENTS:,} in a part besides the sheets and the shared strings "
                            f"(Excel allows 64,000 cell formats in the styles)")
            if self.check.other_elements > MAX_OTHER_ELEMENTS:
                self.refuse(f"more than {MAX_OTHER_ELEMENTS:,} XML elements in this and the parts before it",
                            f"at most {MAX_OTHER_ELEMENTS:,} in all parts besides the sheets and the shared strings")
            return
        pis = lt[after == 63] + self.base
        if markup.size or (pis != self.start).any():
            self.refuse("a comment, CDATA section, processing instruction or DTD in the XML",
                        "XML as Excel writes it, without such markup; " + _SAVE_AGAIN)
        self._namespaces(buf, cut)
        self._records(view, cut, lt, starts)

    def _namespaces(self, buf: bytes, cut: int) -> None:
        """Note a namespace declared after the root element: it could make a row no row to openpyxl."""
        if self.declared is not None:
            return
        at = buf.find(b"xmlns", max(0, self.root_end - self.base), cut)
        while at >= 0:
            if buf.rfind(b"<", 0, at) > buf.rfind(b">", 0, at):  # inside a tag, not in a text
                self.declared = self.base + buf.rfind(b"<", 0, at)
                return
            at = buf.find(b"xmlns", at + 5, cut)

    def _records(self, view: np.ndarray, cut: int, lt: np.ndarray, starts: np.ndarray) -> None:
        opens = closes = np.empty(0, dtype=np.int64)
        if self.open is not None:
            opens = np.sort(np.concatenate([_tags(view, lt, needle, b" \t\r\n/>") for needle in self.open]))
            closes = np.sort(np.concatenate([_tags(view, lt, needle, b" \t\r\n>") for needle in self.close]))
        if opens.size and self.declared is not None and self.base + int(opens[-1]) >= self.declared:
            self.refuse("a namespace declared inside the sheet's data (xmlns)",
                        "namespaces declared on the first element, as Excel writes them; " + _SAVE_AGAIN)
        self.records += opens.size
        limit = MAX_ROWS if self.record == b"row" else MAX_SHARED_STRINGS
        if self.records > limit:
            what = "rows" if self.record == b"row" else "strings"
            self.refuse(f"more than {limit:,} {what}", f"at most {limit:,} {what}"
                        + (", as many as an Excel sheet holds" if self.record == b"row" else ""))
        gt = np.flatnonzero(view[:cut] == 62)  # ">"
        ends = np.searchsorted(gt, opens)
        ends = gt[np.minimum(ends, max(gt.size - 1, 0))] if gt.size else opens
        empty = view[np.maximum(ends - 1, 0)] == 47  # <row .../>: no elements inside
        pairs = opens[~empty]
        events = np.concatenate((pairs, closes))
        steps = np.concatenate((np.ones(pairs.size, dtype=np.int64), -np.ones(closes.size, dtype=np.int64)))
        order = np.argsort(events, kind="stable")
        events, depth = events[order], int(self.inside) + np.cumsum(steps[order])
        if depth.size and (depth.max() > 1 or depth.min() < 0):
            what = "row" if self.record == b"row" else "string"
            self.refuse(f"a {what} inside a {what}, or the end of one that did not begin",
                        "well-formed XML; " + _SAVE_AGAIN)
        elements = np.setdiff1d(starts, opens, assume_unique=True)
        before = np.searchsorted(events, elements)
        if depth.size:
            within = np.where(before > 0, depth[np.maximum(before - 1, 0)], int(self.inside)) == 1
        else:
            within = np.full(elements.size, self.inside)
        self.loose += int((~within).sum())
        if self.loose > MAX_LOOSE:
            where = "rows" if self.record == b"row" else "strings"
            self.refuse(f"more than {MAX_LOOSE:,} XML elements outside its {where}",
                        f"at most {MAX_LOOSE:,} (column widths, merged cells, links and the like; Excel writes a "
                        "few hundred)")
        counts = np.bincount(np.searchsorted(pairs, elements[within]), minlength=pairs.size + 1)
        counts[0] += self.in_count
        if counts.max() > MAX_IN_RECORD:
            index = int(counts.argmax())
            number = self._number(view, int(pairs[index - 1])) if index else self.number
            what = "row" if self.record == b"row" else "string"
            expected = f"at most {MAX_IN_RECORD:,} in one {what}" + (" (16,384 cells)" if what == "row" else "")
            self.refuse(f"a {what} of more than {MAX_IN_RECORD:,} XML elements", expected, row=number)
        self.inside = bool(depth[-1] == 1) if depth.size else self.inside
        self.in_count = int(counts[-1]) if self.inside else 0
        if self.inside and pairs.size:
            self.number = self._number(view, int(pairs[-1]))

    def _number(self, view: np.ndarray, at: int) -> int | None:
        """The row number a row tag at ``at`` gives (``r="9"``), if it is a row and gives one."""
        if self.record != b"row":
            return None
        number = _ROW_NUMBER.search(view[at : at + 200].tobytes().split(b">", 1)[0])
        return int(number[1]) if number else None


# -- reading a sheet ----------------------------------------------------------------------------------------------

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
            _refuse(label, f"a sheet whose size is given as {sheet.max_row:,} rows by {sheet.max_column:,} columns",
                    f"at most {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns, Excel's own limits", sheet=title)
        rows = sheet.iter_rows(*args, **kwargs)
        cells = width = number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (SyntaxError, ValueError, KeyError, TypeError, zipfile.BadZipFile, zlib.error, EOFError) as error:
                _refuse(label, f"a sheet that cannot be read ({error})",
                        "a sheet as Excel writes it; " + _SAVE_AGAIN, sheet=title, row=number + 1)
            number += 1
            width = width or len(row)
            cells += max(len(row), width)
            if number > MAX_ROWS:
                _refuse(label, f"more than {MAX_ROWS:,} rows", f"at most {MAX_ROWS:,} rows, as many as an Excel "
                        "sheet holds (empty rows before the last one count)", sheet=title)
            if cells > MAX_CELLS:
                _refuse(label, f"more than {MAX_CELLS:,} cells by row {number:,} (rows times the columns up to the "
                        "last one used, empty ones included)", f"at most {MAX_CELLS:,} cells in a sheet, a full "
                        "sheet of 16 columns: delete unused columns and rows", sheet=title)
            yield row


def bounded_sheet(sheet, label: str) -> _BoundedSheet:
    """``sheet`` (an openpyxl read-only worksheet) with its rows counted against the limits as they are read."""
    return _BoundedSheet(sheet, label)

