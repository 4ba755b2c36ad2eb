"""Browser tests: one workshop server per session, pages in Debian's chromium driven by Playwright.

Fixtures
--------
``workshop``
    A Voila server started the way a facilitator starts it (``okr-workshop
    serve`` in a child process) on a free port, against a temporary store holding
    the example company; stopped with Ctrl-C (SIGINT) at the end of the session.
    ``workshop.url`` is the index of the apps with the token, ``workshop.app_url(name)``
    opens one app, ``workshop.store`` is the store file.
``page``
    A Playwright page in a fresh browser context (one chromium for this folder). Every
    URL it requests, websockets included, lands in ``page_requests``.
``page_requests``
    The URLs the test's page requested; ``foreign(page_requests)`` lists those
    that went to any host other than 127.0.0.1 / localhost.
``keystroke_latency``
    ``keystroke_latency(page, input_selector, feedback_selector, texts)``: the
    median ms from a key press in the input to a change of the feedback element,
    timed inside the page (see ``benchmarks/bench_voila.py``).
``screenshot``
    ``screenshot(page, "name")`` saves ``build/screenshots/name.png`` (full
    page) and returns its path; the folder is printed at the end of the run.

The browser is the one the toolkit prints PDFs with (``okr_workshop.pdf.find_browser``), installed by ``make test``;
Playwright never downloads a browser. Without it the tests skip locally and fail
under ``CI=true``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store

from .helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXAMPLE,
    ROOT,
    SCREENSHOTS,
    VIEWPORT,
    RunningServe,
    browser_missing,
    need,
    start_serve,
)

_saved_screenshots: list[Path] = []


# --------------------------------------------------------------------------- the workshop server


@pytest.fixture(scope="session")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the example company (shared by the session: tests add to it, never rely on it empty)."""
    path = tmp_path_factory.mktemp("workshop") / "workshop.db"
    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    return path


@pytest.fixture(scope="session")
def workshop(example_store: Path) -> Iterator[RunningServe]:
    """``okr-workshop serve`` (Voila) on the example store, for the whole session."""
    server = start_serve(example_store)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One headless chromium (Debian's) for the tests in this folder.

    Package scope, not session: while Playwright's sync API is open it keeps an
    asyncio loop running in the main thread, and code that asks
    ``asyncio.get_running_loop()`` (the apps' typing debouncer) would behave as in
    a kernel in every test that runs after this folder's.
    """
    need(browser_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page_requests() -> list[str]:
    """Every URL the test's ``page`` requested, in order (websockets included)."""
    return []


@pytest.fixture
def page(browser, page_requests: list[str]) -> Iterator:
    """A Playwright page in its own browser context, recording its requests in ``page_requests``."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    context.on("request", lambda request: page_requests.append(request.url))
    tab = context.new_page()
    tab.on("websocket", lambda socket_: page_requests.append(socket_.url))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def keystroke_latency() -> Callable[..., float]:
    """``keystroke_latency(page, input_selector, feedback_selector, texts, expect_text=None)``: median ms
    (benchmarks/bench_voila.py).
    """
    spec = importlib.util.spec_from_file_location("bench_voila", ROOT / "benchmarks" / "bench_voila.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.keystroke_latency


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, name)``: save the whole page as ``build/screenshots/<name>.png``; its path."""

    def save(tab, name: str, *, full_page: bool = True) -> Path:
        if full_page:  # Voila scrolls inside its own container: make the window as tall as the content
            height = tab.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
            tab.set_viewport_size({"width": VIEWPORT["width"], "height": min(max(VIEWPORT["height"], height + 40),
                                                                             6000)})
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        _saved_screenshots.append(path)
        return path

    return save


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say where this run's screenshots are, so someone looks at them."""
    if not _saved_screenshots:
        return
    terminalreporter.write_sep("-", "screenshots")
    folder = SCREENSHOTS.relative_to(ROOT) if SCREENSHOTS.is_relative_to(ROOT) else SCREENSHOTS
    count = len(_saved_screenshots)
    terminalreporter.write_line(f"{count} screenshot{'s' if count != 1 else ''} in {folder}/: "
                                + ", ".join(path.name for path in _saved_screenshots))
