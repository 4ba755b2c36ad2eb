"""Personal links in a real browser: ``okr-workshop serve --personal-links`` on a copy of the example company.

A participant's link opens the index, whose links carry it on to the apps; the individual app is theirs,
its "You are" cannot be changed, another person's participants-only objective is not on the page, and what
they save lands in the store as theirs. The same browser without the link is asked for it.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import stat
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from okr_workshop.apps import IndividualApp
from okr_workshop.store.database import Store

from .helpers import RunningServe, foreign, start_serve

pytestmark = pytest.mark.integration

AISHA = "aisha.bello@brightwell.example"
EMEKA = "emeka.obi@brightwell.example"
ROSA = "rosa.jimenez@brightwell.example"  # the facilitator
PRIVATE = "Grow into a confident solo mechanic"  # I-emeka-1: Emeka's plan, seen by him and his manager only
AISHAS = "Make batteries the least of our riders' worries"  # I-aisha-1


@dataclass
class LinkedWorkshop:
    """A server with personal links and the links it wrote, by person id."""

    server: RunningServe
    links: dict[str, str]
    file: Path


@pytest.fixture(scope="module")
def linked(example_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LinkedWorkshop]:
    """``okr-workshop serve --personal-links`` on its own copy of the example store."""
    folder = tmp_path_factory.mktemp("linked")
    store = folder / "workshop.db"
    with sqlite3.connect(example_store) as source, sqlite3.connect(store) as copy:
        source.backup(copy)  # the session's store may be open in another server: a consistent copy
    source.close()
    copy.close()
    file = folder / "links.csv"
    server = start_serve(store, "--personal-links", str(file))
    try:
        with file.open(encoding="utf-8") as rows:
            links = {row["id"]: row["link"] for row in csv.DictReader(rows)}
        yield LinkedWorkshop(server, links, file)
    finally:
        server.stop()


def _open_individual_app_from_the_index(page, link: str):
    """Open ``link`` (an index page) and follow its link to the individual app, which opens in a tab of its own."""
    page.goto(link)
    with page.context.expect_page() as opened:
        page.get_by_role("link", name=IndividualApp.title, exact=True).click()
    app = opened.value
    app.wait_for_selector(".okr-app h2", timeout=90_000)
    return app


def _next_lines(server: RunningServe, count: int, timeout: float = 10.0) -> list[str]:
    """Up to ``count`` more lines the server prints after its URL (those printed within ``timeout`` seconds)."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.process.stdout.readline().rstrip("\n")
                                                          for _ in range(count)), daemon=True)
    reader.start()
    reader.join(timeout)
    return list(lines)


def _status(url: str) -> int:
    """The status of a GET that follows no redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_links_file_is_the_facilitators_alone(linked):
    assert stat.S_IMODE(linked.file.stat().st_mode) == 0o600
    assert {AISHA, EMEKA, ROSA} <= set(linked.links)
    assert len(set(linked.links.values())) == len(linked.links)
    assert all(linked.server.token not in link for link in linked.links.values())
    assert f"Personal links are in {linked.file} (only you can read it)" in "\n".join(_next_lines(linked.server, 2))


def test_a_made_up_token_opens_nothing(linked):
    index = f"{linked.server.base_url}voila/render/index.ipynb"
    assert _status(f"{index}?token=made-up") in (302, 403)  # to the login page
    assert _status(linked.links[AISHA]) == 200


def test_a_participants_link_opens_the_app_as_them_and_saves_as_them(linked, page, page_requests, screenshot):
    page = _open_individual_app_from_the_index(page, linked.links[AISHA])
    assert page.url.endswith("03_individual_okrs.ipynb?token=" + linked.links[AISHA].rsplit("token=", 1)[1])
    picker = page.locator("select").first
    assert picker.is_disabled()
    options = picker.locator("option").all_inner_texts()
    assert [text.replace("\xa0", " ") for text in options] == ["Aisha Bello (Fleet Operations)"]  # ipywidgets: nbsp
    page.get_by_text(AISHAS).first.wait_for()
    assert PRIVATE not in page.inner_text("body")
    screenshot(page, "03-individual-by-personal-link")
    page.fill(".okr-objective-title input", "Keep every battery healthy through winter")
    page.locator(".okr-kr-title input").nth(0).fill("Cut battery breakdowns from 40 to 15 per month by 15 December")
    page.locator(".okr-save").click()
    saved = page.get_by_text(re.compile(r"Saved as I-aisha-\d+"))
    saved.wait_for(timeout=60_000)
    objective = re.search(r"Saved as (I-aisha-\d+)", saved.inner_text())[1]
    store = Store(linked.server.store)
    with store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT owner, saved_by, recorded_by FROM objectives WHERE id = :id"),
                           {"id": objective}).one()
    store.close()
    assert tuple(row) == (AISHA, AISHA, AISHA)
    assert "Traceback" not in page.inner_text("body")
    assert foreign(page_requests) == []


def test_the_owner_sees_their_own_private_objective_and_a_page_without_the_link_shows_no_app(linked, page):
    page = _open_individual_app_from_the_index(page, linked.links[EMEKA])
    page.get_by_text(PRIVATE).first.wait_for()  # what the participant above did not see is there for its owner
    # the browser is signed in now (a cookie), but a page opened without the person's link says who it is for nobody
    page.goto(f"{linked.server.base_url}voila/render/03_individual_okrs.ipynb")
    page.get_by_text("Open the link your facilitator gave you").wait_for(timeout=90_000)
    assert page.locator("select").count() == 0 and PRIVATE not in page.inner_text("body")


def test_the_facilitators_address_keeps_the_picker_open(linked, page):
    page = _open_individual_app_from_the_index(page, linked.server.url)
    picker = page.locator("select").first
    assert not picker.is_disabled()
    page.wait_for_function("() => document.querySelector('select').selectedOptions[0].text.startsWith('Rosa')")
    picker.select_option(label="Aisha Bello (Fleet Operations)")
    page.get_by_text(AISHAS).first.wait_for()
