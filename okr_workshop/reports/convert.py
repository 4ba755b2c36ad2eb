"""An executed report notebook as an HTML page (our nbconvert template) and as a PDF (printed by okr_workshop.pdf).

The template (``nbconvert_template/okr_review``) extends JupyterLab's
``lab`` template, hides code and prompts, and loads nothing from another
host. A report notebook's page is written without nbconvert, the same page
(:mod:`okr_workshop.reports.page`); nbconvert writes any other. The PDF is
the same page printed with the page CSS of the report (A4, no browser
header or footer) by :func:`okr_workshop.pdf.html_to_pdf`, the one PDF
printer, which raises :class:`~okr_workshop.exceptions.PdfError`.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from okr_workshop.atomic import atomic_file
from okr_workshop.reports.page import render_page

__all__ = ["TEMPLATE", "TEMPLATE_DIR", "to_html"]

TEMPLATE = "okr_review"
TEMPLATE_DIR = Path(__file__).resolve().parent / "nbconvert_template"

_local = threading.local()


def _html_exporter():
    """One exporter per thread (building one loads the templates and the lab stylesheet; reports of a run reuse it)."""
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter  # noqa: PLC0415 - nbconvert only for pages it must render
        from traitlets.config import Config  # noqa: PLC0415 - nbconvert only for pages it must render

        config = Config()
        config.HTMLExporter.exclude_input = True
        config.HTMLExporter.exclude_input_prompt = True
        config.HTMLExporter.exclude_output_prompt = True
        exporter = HTMLExporter(config=config, template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATE_DIR)])
        _local.exporter = exporter
    return exporter


def to_html(notebook, path: str | os.PathLike, title: str | None = None) -> Path:
    """Write the executed ``notebook`` (a NotebookNode) to ``path`` as a standalone HTML page, whole or not at all.

    A report notebook's page is written straight from its outputs by
    :func:`okr_workshop.reports.page.render_page` (the page our template
    gives, without loading nbconvert); any other notebook goes through nbconvert.
    """
    path = Path(path)
    if title:
        notebook.metadata["title"] = title
    body = render_page(notebook, path.stem)
    if body is None:
        body, _ = _html_exporter().from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
    with atomic_file(path) as staging:
        staging.write_text(body, encoding="utf-8")
    return path
