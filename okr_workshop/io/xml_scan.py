"""A streaming scan of one XML part of an ``.xlsx`` archive: what openpyxl would keep of it in memory.

Rows of a sheet and strings of the shared strings table are read and
dropped; anything outside them stays in openpyxl's parse tree to the end. The
scan counts both, a megabyte at a time with numpy over the bytes, and
refuses a part that passes :data:`~okr_workshop.io.bounds.MAX_LOOSE`,
:data:`~okr_workshop.io.bounds.MAX_IN_RECORD` and the other limits; markup that
could hide tags from a byte scan (comments, CDATA, a DTD) is refused where Excel
never writes it.
"""

from __future__ import annotations

import re
from typing import Protocol

import numpy as np

from okr_workshop.io.bounds import (
    MAX_IN_RECORD,
    MAX_LOOSE,
    MAX_OTHER_ELEMENTS,
    MAX_PART_ELEMENTS,
    MAX_ROWS,
    MAX_RUN,
    MAX_SHARED_STRINGS,
    SAVE_AGAIN,
    size_text,
)


class PartCheck(Protocol):
    """The check of a whole archive, which a scan of one of its parts reports to."""

    other_elements: int
    """XML elements counted so far in the parts outside the sheets and the shared strings."""

    def refuse(self, name: str, found: str, expected: str, row: int | None = None) -> None:
        """Refuse the workbook for what part ``name`` holds."""


def utf16(first: bytes) -> bool:
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


class XmlScan:
    """Streams one XML part: what openpyxl would keep of it in memory, against the limits.

    With ``record`` (``row`` in a sheet, ``si`` in the shared strings) it counts the
    records, the elements inside each (dropped once the record is read) and the
    elements outside any (kept to the end); without, every element (a part
    openpyxl parses whole). Markup that could hide tags from a byte scan
    (comments, CDATA, processing instructions, a DTD) is refused in sheets and the
    shared strings, where Excel never writes it.
    """

    def __init__(self, check: PartCheck, name: str, record: bytes | None, first: bytes):
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
                        + SAVE_AGAIN)
        self.root_end = 0
        self.open = self.close = None
        if record is not None:
            self._find_root(first)

    def refuse(self, found: str, expected: str, row: int | None = None) -> None:
        """Refuse the workbook for what this part holds."""
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
        """Scan the next ``chunk`` of the part (``b""`` at its end), against the limits."""
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
        self.refuse(f"a text or tag of more than {size_text(MAX_RUN)}",
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
                                + SAVE_AGAIN)
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
                        "XML as Excel writes it, without such markup; " + SAVE_AGAIN)
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
                        "namespaces declared on the first element, as Excel writes them; " + SAVE_AGAIN)
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
                        "well-formed XML; " + SAVE_AGAIN)
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
