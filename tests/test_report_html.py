"""Report pages written straight from the executed notebook are the pages nbconvert writes with our template.

:mod:`okr_workshop.reports.page` writes a report's page without nbconvert.
Each page is compared with nbconvert's (the exporter ``to_html`` falls back
on) as a document: the same elements, attributes, text and style sheets in
the same order (:func:`structure`; how the markup is spelled may differ, as
``<meta ...>`` against ``<meta .../>``, or ``&#x27;`` against ``'``).
Executed report notebooks come from one ``okr-workshop report`` run of the
example company with the hostile rows; the other notebooks are built by hand.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from test_report_sections import EXAMPLE, OWNER, QUARTER, SCRIPT, hostile_rows

from okr_workshop.cli import main
from okr_workshop.io import read_workbook
from okr_workshop.reports import convert
from okr_workshop.reports.page import render_page
from okr_workshop.store.database import Store

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Events(HTMLParser):
    """A page as the list of what a browser builds from it: elements, attributes and text, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.pre = 0

    def handle_decl(self, decl: str) -> None:
        self.events.append(("declaration", decl.lower()))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = sorted((name, " ".join((value or "").split()) if name == "class" else (value or ""))
                       for name, value in attrs)
        self.events.append(("element", tag, tuple(attrs)))
        self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.pre -= tag == "pre"
            self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        text = data if self.pre else " ".join(data.split())  # only <pre> keeps its spaces on screen
        if text.strip():
            self.events.append(("text", text))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data))


def structure(page: str) -> list[tuple]:
    parser = _Events()
    parser.feed(page)
    parser.close()
    return parser.events


def nbconvert_page(notebook, name: str) -> str:
    body, _ = convert._html_exporter().from_notebook_node(notebook, resources={"metadata": {"name": name}})
    return body


def assert_same_document(page: str, reference: str) -> None:
    mine, theirs = structure(page), structure(reference)
    for index, (a, b) in enumerate(zip(mine, theirs, strict=False)):
        assert a == b, f"first difference at event {index}: {str(a)[:300]} != {str(b)[:300]}"
    assert len(mine) == len(theirs)


@pytest.fixture(scope="module")
def kept(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """One report run (the company, a team, a person; HTML, notebooks kept): the output folder and the notebooks."""
    folder = tmp_path_factory.mktemp("html-pages")
    store = Store(folder / "example.db")
    store.write_workbook(read_workbook(EXAMPLE))
    store.write_workbook(hostile_rows())
    store.close()
    out = folder / "reports"
    result = CliRunner().invoke(main, ["report", "--quarter", QUARTER, "--company", "--team", "sales", "--person",
                                       OWNER, "--as-of", "2026-11-20", "--jobs", "2", "--keep-notebooks",
                                       "--out", str(out), "--db", str(folder / "example.db")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    notebooks = {path.stem: path for path in (out / "notebooks").glob("*.ipynb")}
    assert len(notebooks) == 3
    return out, notebooks


@pytest.mark.integration
def test_report_pages_are_the_documents_nbconvert_writes(kept):
    out, notebooks = kept
    for name, path in notebooks.items():
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        notebook = nbformat.read(path, as_version=4)
        notebook.metadata["title"] = html.unescape(re.search(r"<title>(.*?)</title>", page)[1])  # as the run gave it
        assert render_page(notebook, name) == page, "the run wrote the page render_page writes"
        assert_same_document(page, nbconvert_page(notebook, name))


@pytest.mark.integration
def test_report_pages_keep_user_text_escaped_and_load_nothing_from_elsewhere(kept):
    out, _ = kept
    page = (out / "team-sales.html").read_text(encoding="utf-8")
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "review.build(" not in page and "okr-workshop report</code> runs this notebook" not in page


def hand_made(*cells, title: str | None = None):
    notebook = new_notebook(cells=list(cells), metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                         "language": "python"}})
    if title is not None:
        notebook.metadata["title"] = title
    return nbformat.reads(nbformat.writes(notebook), as_version=4)  # as read back from a file


def outputs_cell(*outputs, tags=()):
    cell = new_code_cell("hidden()", metadata={"tags": list(tags)} if tags else {})
    cell.outputs = list(outputs)
    cell.execution_count = 3
    return cell


@pytest.mark.filterwarnings("ignore:Your element with mimetype")
def test_text_streams_and_results_are_written_as_nbconvert_writes_them():
    notebook = hand_made(
        new_markdown_cell("# Notes for the editor", metadata={"tags": ["okr-notes"]}),
        outputs_cell(tags=["parameters"]),
        outputs_cell(
            new_output("stream", name="stdout", text="plain <b>not bold</b> & 'quoted' \"text\"\n  indented\n"),
            new_output("stream", name="stderr", text="a warning\n"),
            new_output("execute_result", data={"text/plain": "42 < 43"}, execution_count=3),
            new_output("display_data", data={"text/html": "<p class='x'>Hello &amp; <em>welcome</em></p>",
                                             "text/plain": "<IPython.HTML>"}),
            new_output("execute_result", data={"text/html": ["<div>", "two lines</div>"]}, execution_count=3),
            new_output("display_data", data={"application/x-unknown": "nothing to show"}),
        ),
        title="Q4 <review> & 'more'",
    )
    page = render_page(notebook, "hand-made")
    assert page is not None
    assert "<title>Q4 &lt;review&gt; &amp; 'more'</title>" in page
    assert "plain &lt;b&gt;not bold&lt;/b&gt;" in page and "hidden()" not in page and "Notes for the editor" not in page
    assert_same_document(page, nbconvert_page(notebook, "hand-made"))


def test_a_page_without_title_is_named_after_its_file():
    notebook = hand_made(outputs_cell(new_output("display_data", data={"text/html": "<p>x</p>"})))
    page = render_page(notebook, "team-a&b")
    assert "<title>team-a&amp;b</title>" in page
    assert_same_document(page, nbconvert_page(notebook, "team-a&b"))


@pytest.mark.filterwarnings("ignore:Your element with mimetype")
@pytest.mark.parametrize("cell", [
    new_markdown_cell("## Shown markdown"),
    outputs_cell(new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})),
    outputs_cell(new_output("display_data", data={"text/html": "<img src='data:image/png;base64,iVBO'>"})),
    outputs_cell(new_output("display_data", data={"text/markdown": "*emphasis*"})),
    outputs_cell(new_output("stream", name="stdout", text="\x1b[31mred\x1b[0m")),
    outputs_cell(new_output("error", ename="ValueError", evalue="bad", traceback=["ValueError: bad"])),
    outputs_cell(new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "1"},
                                                   "text/plain": "a widget"})),
], ids=["markdown", "png", "html-img", "markdown-output", "ansi", "error", "widget"])
def test_anything_else_is_left_to_nbconvert(cell, tmp_path):
    notebook = hand_made(outputs_cell(new_output("display_data", data={"text/html": "<p>first</p>"})), cell)
    assert render_page(notebook, "other") is None
    written = convert.to_html(notebook, tmp_path / "other.html", "Another notebook")
    assert structure(written.read_text(encoding="utf-8")) == structure(nbconvert_page(notebook, "other"))
    assert [p.name for p in tmp_path.iterdir()] == ["other.html"], "nothing left of the staging"


def test_to_html_writes_the_page_whole_and_replaces_an_older_one(tmp_path):
    target = tmp_path / "team-x.html"
    target.write_text("an older report", encoding="utf-8")
    notebook = hand_made(outputs_cell(new_output("display_data", data={"text/html": "<p>new</p>"})))
    convert.to_html(notebook, target, "Team X")
    assert target.read_text(encoding="utf-8") == render_page(notebook, "team-x")
    assert "<title>Team X</title>" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["team-x.html"]
