"""A report page written straight from the executed notebook, as our nbconvert template would write it.

The executed review notebook already holds the report as HTML (one output
per section). Running nbconvert to wrap it in a page costs about a second in
a fresh process (its import, the Jinja environment, compiling the templates,
and a BeautifulSoup pass over the whole page), as much as the kernel's own
work on a team. :func:`render_page` writes the same page without it: the
same head (our ``report.css``, the Pygments CSS, JupyterLab's ``lab`` CSS
and theme read from nbconvert's own template folder), the same cells and
classes, code and prompts left out, ``okr-notes`` cells left out.

It handles what a report notebook shows: HTML outputs, plain text and the
streams. Anything else (a markdown cell, an image, a widget, an error, ANSI
colours) makes it return None, and :func:`okr_workshop.reports.convert.to_html`
lets nbconvert write that page. ``tests/test_report_html.py`` checks that
both write the same document.

The outputs' HTML goes in as the kernel made it (as nbconvert puts it, with
sanitising off); the title and all text are escaped here. The document around
the cells is the template ``report_page.html`` of :mod:`okr_workshop.pages`.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from markupsafe import Markup

from okr_workshop.pages import render

__all__ = ["NOTES_TAG", "render_page"]

NOTES_TAG = "okr-notes"
"""Cells with this tag are notes for whoever edits the notebook, never part of the report."""

_OWN_CSS = Path(__file__).resolve().parent / "nbconvert_template" / "okr_review" / "report.css"
_PRIORITY = ("application/vnd.jupyter.widget-view+json", "application/javascript", "text/html", "text/markdown",
             "image/svg+xml", "text/vnd.mermaid", "text/latex", "image/png", "image/jpeg", "text/plain")
"""nbconvert's HTML display priority: an output shows the first of these it has."""
_STREAMS = {"stdout": "text/plain", "stderr": "application/vnd.jupyter.stderr"}
_LAB_STYLE = re.compile(r"\{%-?\s*block notebook_css\s*-?%\}.*?(<style type=\"text/css\">.*?</style>)", re.DOTALL)


class _UnsupportedError(Exception):
    """The notebook shows something only nbconvert renders."""


def _style(css: str) -> str:
    return f'<style type="text/css">\n{css}</style>\n'


def _lab_file(*parts: str) -> Path | None:
    """A file of nbconvert's ``lab`` template, found where nbconvert looks for it."""
    from jupyter_core.paths import jupyter_path  # noqa: PLC0415 - Jupyter's paths only when a page is rendered

    for folder in jupyter_path("nbconvert", "templates", "lab"):
        path = Path(folder, *parts)
        if path.is_file():
            return path
    return None


@cache
def _head_styles() -> str | None:
    """The page's style sheets in nbconvert's order; None when nbconvert's lab template is not where expected."""
    try:
        from jupyterlab_pygments import JupyterStyle  # noqa: PLC0415 - optional: no styles without it
        from pygments.formatters import HtmlFormatter  # noqa: PLC0415 - optional: no styles without it
    except ImportError:
        return None
    index, theme, template = _lab_file("static", "index.css"), _lab_file("static", "theme-light.css"), \
        _lab_file("index.html.j2")
    if index is None or theme is None or template is None:
        return None
    colours = _LAB_STYLE.search(template.read_text(encoding="utf-8"))
    if colours is None:
        return None
    return "".join([
        _style(_OWN_CSS.read_text(encoding="utf-8")),
        _style(HtmlFormatter(style=JupyterStyle).get_style_defs(".highlight")),
        _style(index.read_text(encoding="utf-8")),
        _style(theme.read_text(encoding="utf-8")),
        colours.group(1) + "\n",
    ])


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _text(value) -> str:
    text = _joined(value)
    if "\x1b" in text:
        raise _UnsupportedError("ANSI colours")
    return html.escape(text)


def _output(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        mime = _STREAMS.get(output.get("name"))
        if mime is None:
            raise _UnsupportedError("stdin")
        return (f'<div class="jp-OutputArea-child">\n<div class="jp-RenderedText jp-OutputArea-output" '
                f'data-mime-type="{mime}" tabindex="0">\n<pre>{_text(output.get("text", ""))}</pre>\n</div>\n</div>\n')
    if kind not in ("display_data", "execute_result"):
        raise _UnsupportedError(kind)
    data = output.get("data", {})
    mime = next((m for m in _PRIORITY if m in data), None)
    extra = " jp-OutputArea-executeResult" if kind == "execute_result" else ""
    if mime == "text/html":
        markup = _joined(data[mime])
        if "<img" in markup.lower():  # nbconvert adds alt text to images without
            raise _UnsupportedError("image")
        body = (f'<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output{extra}" '
                f'data-mime-type="text/html" tabindex="0">\n{markup}\n</div>\n')
    elif mime == "text/plain":
        body = (f'<div class="jp-RenderedText jp-OutputArea-output{extra}" data-mime-type="text/plain" '
                f'tabindex="0">\n<pre>{_text(data[mime])}</pre>\n</div>\n')
    elif mime is None:
        body = ""  # nothing nbconvert can show either
    else:
        raise _UnsupportedError(mime)
    return f'<div class="jp-OutputArea-child{extra}">\n{body}</div>\n'


def _cell(cell) -> str:
    tags = list(cell.get("metadata", {}).get("tags", []))
    if NOTES_TAG in tags:
        return ""
    if cell.get("cell_type") != "code":
        raise _UnsupportedError(cell.get("cell_type"))
    outputs = cell.get("outputs") or []
    classes = ("jp-Cell jp-CodeCell jp-Notebook-cell" + ("" if outputs else " jp-mod-noOutputs") + " jp-mod-noInput"
               + "".join(f" celltag_{tag}" for tag in tags))
    anchor = f' id="{html.escape("cell-id=" + cell["id"])}"' if cell.get("id") else ""
    parts = [f'<div{anchor} class="{html.escape(classes)}">\n']
    if outputs:
        parts.append('<div class="jp-Cell-outputWrapper">\n<div class="jp-Collapser jp-OutputCollapser '
                     'jp-Cell-outputCollapser">\n</div>\n<div class="jp-OutputArea jp-Cell-outputArea">\n')
        parts.extend(_output(output) for output in outputs)
        parts.append("</div>\n</div>\n")
    parts.append("</div>")
    return "".join(parts)


def render_page(notebook, name: str) -> str | None:
    """The executed ``notebook`` as a standalone page (titled by its ``title`` metadata, else ``name``).

    None when the notebook shows something this module does not render, or
    nbconvert's lab template is not installed where nbconvert keeps it: the
    caller then has nbconvert write the page.
    """
    styles = _head_styles()
    if styles is None:
        return None
    try:
        cells = "".join(_cell(cell) for cell in notebook.get("cells", []))
    except _UnsupportedError:
        return None
    # nbconvert escapes the title's <, > and & only; its quotes stay as they are
    title = html.escape(str(notebook.get("metadata", {}).get("title", name)), quote=False)
    return render("report_page.html", title=Markup(title), styles=Markup(styles), cells=Markup(cells))
