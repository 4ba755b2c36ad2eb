"""Reading the PDFs the toolkit writes, with pypdfium2 (a PyPI wheel): pages, text, a page as PNG.

The tests once called poppler's ``pdfinfo``, ``pdftotext`` and ``pdftoppm``,
a system package a fresh machine does not have; pypdfium2 comes with
``make install`` and reads the same files.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2

__all__ = ["page_count", "page_png", "page_size", "pdf_producer", "pdf_text"]


def page_count(pdf: Path) -> int:
    """How many pages ``pdf`` has."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def pdf_text(pdf: Path) -> str:
    """The text of every page of ``pdf``, pages separated by form feeds."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return "\f".join(pages)
    finally:
        document.close()


def page_png(pdf: Path, out: Path, page: int = 0, dpi: int = 60) -> Path:
    """Page ``page`` (from 0) of ``pdf`` as a PNG at ``dpi``, written to ``out``."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        document[page].render(scale=dpi / 72).to_pil().save(out)
    finally:
        document.close()
    return out


def pdf_producer(pdf: Path) -> str:
    """The program that wrote ``pdf``, as its metadata says (``Producer``)."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return document.get_metadata_dict().get("Producer", "")
    finally:
        document.close()


def page_size(pdf: Path, page: int = 0) -> tuple[float, float]:
    """Width and height of page ``page`` (from 0) in points (A4 is 595 x 842)."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return tuple(document[page].get_size())
    finally:
        document.close()
