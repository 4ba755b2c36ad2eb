"""``okr-workshop serve`` for real: Voila's index of apps in chromium, offline; JupyterLab with ``--lab``;
Ctrl-C stops both.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from okr_workshop.server.index import APPS

from .helpers import NOTEBOOKS, foreign, port_open, start_serve

pytestmark = pytest.mark.integration

EXTERNAL_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)""", re.I)


def _get(url: str, headers: dict[str, str] | None = None):
    """Status and body of a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_serve_prints_one_url_the_index_of_the_apps_with_a_token(workshop):
    urls = [line for line in workshop.output if "http" in line]
    assert urls == [workshop.url]
    assert workshop.url.startswith(f"http://127.0.0.1:{workshop.port}/voila/render/index.ipynb?token=")
    assert len(workshop.token) >= 24


def test_pages_need_the_token(workshop):
    status, _ = _get(f"{workshop.base_url}voila/render/index.ipynb")
    assert status in (302, 403)  # to the login page
    status, _ = _get(f"{workshop.base_url}voila/api/contents/", {"Authorization": f"token {workshop.token}"})
    assert status == 200


def test_index_lists_the_apps_in_workshop_order_and_fetches_nothing_from_elsewhere(
        workshop, page, page_requests, screenshot):
    page.goto(workshop.url)
    page.wait_for_selector("ol.okr-apps a")
    links = page.locator("ol.okr-apps a")
    present = [app for app in APPS if (NOTEBOOKS / f"{app.notebook}.ipynb").is_file()]
    assert links.all_inner_texts() == [app.title for app in present]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        f"/voila/render/{app.notebook}.ipynb" for app in present]
    assert "OKR workshop" in page.title()
    assert "apps_index_html" not in page.inner_text("body")  # the code stays hidden
    path = screenshot(page, "index")
    assert path.stat().st_size > 5_000
    assert not EXTERNAL_REFERENCE.search(page.content())
    assert page_requests and not foreign(page_requests)


def test_font_awesome_comes_from_this_server(workshop, page, page_requests):
    page.goto(workshop.url)
    page.wait_for_selector("ol.okr-apps a")
    loaded = page.evaluate("""async () => {
        const faces = await document.fonts.load('900 16px "Font Awesome 5 Free"', '\\uf00c');
        return faces.length;
    }""")
    assert loaded >= 1, "Font Awesome did not load: widget icons would be blank"
    assert not foreign(page_requests)


def test_closing_a_tab_shuts_its_kernel_down(workshop, browser):
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(workshop.url)
        tab.wait_for_selector("ol.okr-apps a")
        kernel = json.loads(tab.locator("#jupyter-config-data").text_content())["kernelId"]
        kernel_url = f"{workshop.base_url}api/kernels/{kernel}"
        auth = {"Authorization": f"token {workshop.token}"}
        assert _get(kernel_url, auth)[0] == 200
        tab.close(run_before_unload=True)
        deadline = time.monotonic() + 15
        while _get(kernel_url, auth)[0] == 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _get(kernel_url, auth)[0] == 404
    finally:
        context.close()


def test_folder_listing_fetches_nothing_from_elsewhere(workshop, page, page_requests):
    page.goto(f"{workshop.base_url}?token={workshop.token}")
    page.wait_for_selector("text=index.ipynb")
    assert not foreign(page_requests)


@pytest.fixture(scope="module")
def lab(example_store):
    """``okr-workshop serve --lab`` for this module's tests (the last one stops it with Ctrl-C)."""
    server = start_serve(example_store, "--lab")
    yield server
    server.stop()


def test_serve_lab_starts_jupyterlab_on_the_notebooks_with_a_token(lab):
    assert re.fullmatch(rf"http://127\.0\.0\.1:{lab.port}/lab\?token=[\w-]{{24,}}", lab.url)
    status, body = _get(lab.url)
    assert status == 200 and "JupyterLab" in body
    assert not EXTERNAL_REFERENCE.search(body)
    status, _ = _get(f"{lab.base_url}api/contents/index.ipynb", {"Authorization": f"token {lab.token}"})
    assert status == 200  # the notebooks folder is Lab's root
    status, _ = _get(f"{lab.base_url}api/contents/index.ipynb")
    assert status == 403


def test_lab_fetches_nothing_from_elsewhere_and_asks_nothing_about_news(lab, page, page_requests, screenshot):
    page.goto(lab.url.replace("/lab?", "/lab/tree/index.ipynb?"))
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_timeout(2_000)  # announcements would show by now
    assert page.get_by_text("Jupyter news").count() == 0
    screenshot(page, "lab-index", full_page=False)
    assert not foreign(page_requests)


def test_serve_lab_stops_on_ctrl_c(lab):
    assert lab.stop() == 0
    assert not port_open(lab.port)
    assert any("Stopping" in line for line in lab.output + lab.process.stdout.read().splitlines())
