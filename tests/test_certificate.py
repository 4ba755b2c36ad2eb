"""The onboarding certificate page: the learner, their individual OKRs with what each supports, all text escaped.

Made from the example company in a real SQLite store, with a learner whose
objective, parent objective and key result are titled to break out of HTML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okr_workshop.course.certificate import certificate_html
from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store
from okr_workshop.workbook import Workbook

EXAMPLE = Path(__file__).resolve().parent.parent / "templates" / "examples" / "brightwell"
SCRIPT = "<script>alert(1)</script>"
LEARNER, HOSTILE = "sofia.marchetti@brightwell.example", "kwame.mensah@brightwell.example"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The example company read back from a store, with a hostile team objective and an individual one under it."""
    store = Store(tmp_path_factory.mktemp("certificate") / "example.db")
    store.write_workbook(read_workbook(EXAMPLE))
    store.write_workbook(Workbook.from_records(
        objectives=[{"id": "SALES-X", "title": f"Team {SCRIPT}", "level": "team", "quarter": "2026-Q4",
                     "team": "sales", "owner": HOSTILE, "parent": "C1", "commitment": "committed"},
                    {"id": "I-x", "title": SCRIPT, "level": "individual", "quarter": "2026-Q4", "team": "sales",
                     "owner": HOSTILE, "parent": "SALES-X", "commitment": "committed"}],
        key_results=[{"id": "I-x.1", "objective": "I-x", "title": '<img src=x onerror="alert(2)"> from 0 to 10',
                      "start": 0, "target": 10, "unit": "deals"}]))
    try:
        return store.read_workbook()
    finally:
        store.close()


def test_the_certificate_names_the_learner_and_each_objective_with_its_key_results(workbook: Workbook) -> None:
    page = certificate_html("Sofia Marchetti", "OKR onboarding", workbook, LEARNER, dt.date(2026, 11, 27))
    assert page.startswith("<!DOCTYPE html>") and "<title>Certificate: Sofia Marchetti</title>" in page
    assert '<p class="name">Sofia Marchetti</p>' in page and '<p class="sub">OKR onboarding</p>' in page
    assert "<h2>Fill the pipeline with employers in the harbour business district</h2>" in page
    assert '<div class="sub">supports: Open the door to employers who want their staff on bikes</div>' in page
    assert "<li>Raise qualified employer leads in the harbour district from 12 to 30</li>" in page
    assert "<li>Raise demo-to-contract conversion from 20% to 35%</li>" in page
    assert "Passed on 27 November 2026." in page and "@page{size:A4 landscape" in page
    assert "Make batteries the least" not in page  # someone else's objective


def test_every_text_on_the_certificate_is_escaped(workbook: Workbook) -> None:
    page = certificate_html(SCRIPT, "<b>OKRs</b>", workbook, HOSTILE, dt.date(2026, 11, 27))
    assert SCRIPT not in page and "<script" not in page and "<img" not in page and "<b>" not in page
    assert "<title>Certificate: &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert '<p class="name">&lt;script&gt;alert(1)&lt;/script&gt;</p>' in page
    assert '<p class="sub">&lt;b&gt;OKRs&lt;/b&gt;</p>' in page
    assert "<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>" in page
    assert "supports: Team &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<li>&lt;img src=x onerror=&#34;alert(2)&#34;&gt; from 0 to 10</li>" in page


def test_a_learner_without_individual_objectives_gets_a_certificate_without_any(workbook: Workbook) -> None:
    page = certificate_html("Nobody", "OKR onboarding", workbook, "nobody@brightwell.example", dt.date(2026, 1, 2))
    assert "<h2>" not in page and "<ul>" not in page and "Passed on 02 January 2026." in page
