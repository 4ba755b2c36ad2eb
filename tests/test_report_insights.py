"""The report's templates escape every text a person typed, in every section, names included.

The store is the example company with words written to break out of HTML
wherever a person types: a team's and a person's name, an objective's and a
key result's title and unit, a check-in note, a reflection, a retro note and
a change's reason. Every section is rendered for each kind of scope, before
and after the quarter's end (when the calibration names every team).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report_sections import EXAMPLE, QUARTER, SCRIPT, hostile_rows

from okr_workshop.io import read_workbook
from okr_workshop.reports import markup, review
from okr_workshop.store.database import Store
from okr_workshop.tracking.review import add_retro_note, adjust, reflect
from okr_workshop.workbook import Workbook

KWAME = "kwame.mensah@brightwell.example"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SECTIONS = ["headline", "objectives", "changes", "charts", "at_risk", "alignment", "quality", "lessons",
            "reflections", "retro", "calibration", "prompts", "carry_over"]
"""Every section of the review notebook, in its order."""


def hostile_names(book: Workbook) -> Workbook:
    """The sales team and Kwame, its leader, renamed with a script in their names."""
    teams, people = book["teams"].copy(), book["people"].copy()
    teams.loc[teams["id"] == "sales", "name"] = f"Sales {SCRIPT}"
    people.loc[people["id"] == KWAME, "name"] = f"Kwame {SCRIPT}"
    return Workbook(tables={"teams": teams[teams["id"] == "sales"], "people": people[people["id"] == KWAME]})


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """The example company with hostile words in names, titles, notes and the end-of-quarter records."""
    path = tmp_path_factory.mktemp("escaping") / "hostile.db"
    store = Store(path)
    try:
        book = read_workbook(EXAMPLE)
        store.write_workbook(book)
        store.write_workbook(hostile_rows())
        store.write_workbook(hostile_names(book))
        adjust(store, "SALES-X.1", {"title": f"Sign 12 deals {SCRIPT}", "target": 12}, reason=f"Why {SCRIPT}",
               author=KWAME, date="2026-11-15")
        reflect(store, "SALES-X", author=KWAME, score=0.2, worked=SCRIPT, did_not_work=SCRIPT, learned=SCRIPT,
                next="drop", date="2026-12-20")
        add_retro_note(store, "sales", QUARTER, "stop", f"Stop {SCRIPT}", author=KWAME, date="2026-12-21")
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def pages(store_file):
    """Every section of a report, by (scope, as_of), as one page."""
    cache: dict[tuple[str, str], str] = {}

    def get(scope: str, as_of: str) -> str:
        if (scope, as_of) not in cache:
            built = review.build(str(store_file), QUARTER, scope, "", as_of)
            cache[scope, as_of] = "\n".join(str(getattr(built, name)()) for name in SECTIONS)
        return cache[scope, as_of]

    return get


@pytest.mark.parametrize("as_of", ["2026-11-20", "2026-12-31"])
@pytest.mark.parametrize("scope", ["company", "team:sales", f"person:{KWAME}"])
def test_no_text_a_person_typed_becomes_markup(pages, scope, as_of):
    page = pages(scope, as_of)
    assert "<script" not in page and "<img" not in page and "<u>" not in page and "<b>because</b>" not in page
    assert ESCAPED in page


@pytest.mark.parametrize(("scope", "as_of", "shown"), [
    ("company", "2026-12-31", f"Sales {ESCAPED}"),  # the retro's team and the calibration's rows
    ("team:sales", "2026-11-20", f"owner Kwame {ESCAPED}"),  # an objective's meta line
    ("team:sales", "2026-11-20", f"Kwame {ESCAPED}</td>"),  # the at risk table's owner
    ("team:sales", "2026-11-20", "&lt;u&gt;deals&lt;/u&gt;"),  # a key result's unit
    ("team:sales", "2026-11-20", f"“Sign 12 deals {ESCAPED}”"),  # a changed title, quoted
    ("team:sales", "2026-12-31", f"<li><b>Learned:</b> {ESCAPED}</li>"),  # a reflection's words
    ("team:sales", "2026-12-31", f"<li>Stop {ESCAPED} <span class=\"muted\">(Kwame {ESCAPED}, 21 Dec)</span></li>"),
])
def test_names_titles_and_notes_show_as_text_where_they_belong(pages, scope, as_of, shown):
    assert shown in pages(scope, as_of)


def test_the_pieces_made_in_code_escape_what_they_are_given():
    assert markup.chip(SCRIPT, "#fff", '"x"') == ('<span class="chip" style="background:#fff" title="&#34;x&#34;">'
                                                  f"{ESCAPED}</span>")
    assert markup.status_chip(SCRIPT).endswith(f">{ESCAPED}</span>")
    assert markup.verdict_chip(SCRIPT).endswith(f">{ESCAPED}</span>") and markup.verdict_chip(None) == ""
    assert markup.value_text(3, SCRIPT) == f"3 {ESCAPED}"


def test_a_section_made_in_code_keeps_its_body_and_escapes_its_heading():
    html = markup.section(SCRIPT, '<div class="charts"></div>', f"Intro {SCRIPT}")
    assert isinstance(html, markup.Html)
    assert f"<h2>{ESCAPED}</h2>" in html and f'<p class="lead">Intro {ESCAPED}</p>' in html
    assert '<div class="charts"></div>' in html and html.count("<section") == html.count("</section>") == 1


def test_the_stylesheet_is_the_report_css_file():
    css = (Path(markup.__file__).parents[1] / "pages" / "templates" / "report" / "report_sections.css").read_text()
    assert markup.style_tag() == f"<style>\n{css}</style>" and ".okr-report" in css and "@media print" in css
