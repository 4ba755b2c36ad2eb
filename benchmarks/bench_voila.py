"""Voila in a real browser: page to first usable widget, an app against an empty notebook; keystroke to feedback.

One server (``okr_workshop.server.start``, as ``okr-workshop serve`` runs it)
serves a scratch copy of the notebooks folder plus two notebooks of its own:
one showing a single ``ipywidgets.Button`` (the yardstick: what any Voila page
costs here) and one echoing a Text widget into a Label (the floor for typing
feedback). Each load is a fresh browser context, so a fresh kernel, timed from
navigation until the page's first widget (or the index's first link) is visible.

    python benchmarks/bench_voila.py [NOTEBOOK] [--repeat 5]
    python benchmarks/bench_voila.py notebooks/01_company_objectives.ipynb \\
        --type-into ".okr-kr-title input" --feedback ".okr-kr-feedback" --texts "Grow sales by 1" "Cut churn to 3"

Targets: the app within 2x of the empty notebook; feedback under 300 ms after a keystroke.

:func:`keystroke_latency` is the measuring function for app tests and benchmarks:
it types into a text input and times, inside the page, from the keydown to the
first change of a feedback element.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat

from okr_workshop.pdf import find_browser
from okr_workshop.server import start

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
CHROMIUM = find_browser() or "/usr/bin/chromium"  # the browser the toolkit prints with, as the tests use
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
WIDGET = ".jupyter-widgets"
"""Any ipywidgets view (ipywidgets 8 puts this class on every widget's element)."""
INDEX_LINK = "ol.okr-apps a"
EMPTY = "_bench_empty_button.ipynb"
ECHO = "_bench_echo.ipynb"
RATIO_TARGET = 2.0
LATENCY_TARGET_MS = 300.0

_EMPTY_SOURCE = 'import ipywidgets as widgets\n\nwidgets.Button(description="Ready")'
_ECHO_SOURCE = (
    "import ipywidgets as widgets\n\n"
    'text = widgets.Text(placeholder="type here", continuous_update=True).add_class("bench-input")\n'
    'label = widgets.Label("0 characters").add_class("bench-echo")\n'
    'text.observe(lambda change: setattr(label, "value", f"{len(change.new)} characters"), names="value")\n'
    "widgets.VBox([text, label])"
)

# Runs in the page: from the first keydown in the input to the first time the
# feedback element's text changes (or comes to contain `expected`).
_ARM = """([inputSelector, feedbackSelector, expected]) => {
    const text = () => { const el = document.querySelector(feedbackSelector); return el ? el.innerText : null; };
    const baseline = text();
    const state = window.__okrLatency = {start: null, end: null};
    const input = document.querySelector(inputSelector);
    input.addEventListener("keydown", () => { if (state.start === null) state.start = performance.now(); },
                           {once: true});
    const observer = new MutationObserver(() => {
        if (state.start === null || state.end !== null) return;
        const now = text();
        if (expected !== null ? (now !== null && now.includes(expected)) : now !== baseline) {
            state.end = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def _notebook(source: str, title: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.update({"title": title, "kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}})
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    return notebook


def launch_browser(playwright):
    """Debian's chromium, headless, never a downloaded browser."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def time_to_widget(browser, url: str, selector: str = WIDGET, timeout_ms: float = 120_000) -> float:
    """Seconds from navigating a fresh context to ``url`` until ``selector`` is visible; closes the page after."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        began = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(selector, state="visible", timeout=timeout_ms)
        return time.perf_counter() - began
    finally:
        context.close()


def keystroke_latency(page, input_selector: str, feedback_selector: str, texts: Sequence[str], *,
                      expect_text: str | None = None, settle_ms: float = 800, timeout_ms: float = 10_000) -> float:
    """Median milliseconds from a keystroke in ``input_selector`` to a change of ``feedback_selector``.

    For each text, the input is first filled with all but its last character and
    left ``settle_ms`` to let the app's feedback settle (debounce, kernel); then
    the last character is typed as a real key press (keydown, input, keyup: what
    ``continuous_update=True`` listens to) and the time is taken inside the page
    until the feedback's text changes, or contains ``expect_text`` when given.
    Choose texts whose last character changes the feedback. ``page`` is a
    Playwright page already showing the app; when a selector matches several
    elements, the first one counts.
    """
    samples = []
    field = page.locator(input_selector).first  # the same element document.querySelector finds
    for text in texts:
        field.click()
        field.fill(text[:-1])
        page.wait_for_timeout(settle_ms)
        page.evaluate(_ARM, [input_selector, feedback_selector, expect_text])
        page.keyboard.type(text[-1])
        page.wait_for_function("() => window.__okrLatency.end !== null", timeout=timeout_ms)
        state = page.evaluate("() => window.__okrLatency")
        samples.append(state["end"] - state["start"])
    return statistics.median(samples)


def _example_store(folder: Path) -> Path:
    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.store.database import Store  # noqa: PLC0415

    path = folder / "workshop.db"
    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    return path


def main() -> None:
    """Time a notebook's page in Voila against an empty notebook's, and typing into it, and print the figures."""
    default = ROOT / "notebooks" / "01_company_objectives.ipynb"
    if not default.is_file():
        default = ROOT / "notebooks" / "index.ipynb"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=5, help="timed loads of each page (after one warm-up)")
    parser.add_argument("--db", help="the store (default: a fresh one holding the example company)")
    parser.add_argument("--ready", help=f"CSS selector of the notebook's first usable element (default {WIDGET}, "
                                        f"or {INDEX_LINK} for the index)")
    parser.add_argument("--type-into", help="CSS selector of a text input in the notebook's page to time typing in")
    parser.add_argument("--feedback", help="CSS selector of the element that changes after typing")
    parser.add_argument("--expect", help="text the feedback must come to contain (default: any change)")
    parser.add_argument("--texts", nargs="+", default=["Grow weekly signups to 120", "Cut refunds to 2%",
                                                       "Improve onboarding"], help="texts to type")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    notebook = args.notebook.resolve()
    ready = args.ready or (INDEX_LINK if notebook.stem == "index" else WIDGET)
    scratch = Path(tempfile.mkdtemp(prefix="okr-bench-voila-"))
    try:
        folder = scratch / "notebooks"
        shutil.copytree(notebook.parent, folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        nbformat.write(_notebook(_EMPTY_SOURCE, "Empty"), folder / EMPTY)
        nbformat.write(_notebook(_ECHO_SOURCE, "Echo"), folder / ECHO)
        db = args.db or str(_example_store(scratch))
        began = time.perf_counter()
        with start(db, notebooks_dir=folder) as server, sync_playwright() as playwright:
            print(f"server ready in {time.perf_counter() - began:.1f} s ({server.base_url})")
            browser = launch_browser(playwright)
            url = f"{server.base_url}voila/render/{{}}?token={server.token}"
            results = {}
            for label, name, selector in [("empty notebook (one Button)", EMPTY, WIDGET),
                                          (notebook.name, notebook.name, ready)]:
                time_to_widget(browser, url.format(name), selector)  # warm-up
                times = [time_to_widget(browser, url.format(name), selector) for _ in range(args.repeat)]
                results[label] = statistics.median(times)
                print(f"{label:40s} median {results[label]:.2f} s  (min {min(times):.2f}, max {max(times):.2f}, "
                      f"n={len(times)})")
            empty, app = results.values()
            ratio = app / empty
            verdict = "ok" if ratio <= RATIO_TARGET else "SLOW"
            print(f"ratio {ratio:.2f}x (target within {RATIO_TARGET:.0f}x): {verdict}")

            runs = [("echo Text -> Label (Voila round trip)", ECHO, ".bench-input input", ".bench-echo", None)]
            if args.type_into and args.feedback:
                runs.append((notebook.name, notebook.name, args.type_into, args.feedback, args.expect))
            for label, name, field, feedback, expected in runs:
                page = browser.new_page()
                page.goto(url.format(name))
                page.wait_for_selector(field, state="visible", timeout=120_000)
                latency = keystroke_latency(page, field, feedback, args.texts, expect_text=expected)
                verdict = "ok" if latency < LATENCY_TARGET_MS else "SLOW"
                print(f"keystroke to feedback, {label}: median {latency:.0f} ms "
                      f"(target < {LATENCY_TARGET_MS:.0f} ms): {verdict}")
                page.close()
            browser.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
