"""Print an HTML page to PDF: with a browser people have (Chromium, Chrome, Edge), else with WeasyPrint.

The engine, in this order:

1. ``$OKR_WORKSHOP_CHROMIUM`` when it is set: a path or a command name (on
   macOS the ``.app`` folder will do). It is honoured: when it names nothing
   that runs, that is an error, never quietly replaced by another engine.
2. The first of :data:`BROWSER_NAMES` on the PATH.
3. The first of :data:`INSTALL_PLACES` (where Debian, Ubuntu's snap, Google,
   Microsoft and macOS put them; ``~`` is the user's home).
4. WeasyPrint, installed with okr-workshop. It needs the pango library, which
   every Linux desktop has (macOS: ``brew install pango``). One line on
   stderr says when it is used. Pages come out as the browser prints them
   save for small things: the sans-serif font fontconfig picks, and where a
   page breaks.

The PDF appears whole or not at all: it is printed to a hidden file next to
it and renamed into place. WeasyPrint reads local files and ``data:`` URLs
only (the report and certificate pages load nothing from another host).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from okr_workshop.exceptions import PdfError

__all__ = [
    "BROWSER_NAMES",
    "CHROMIUM_ENV",
    "INSTALL_PLACES",
    "Engine",
    "PdfError",
    "find_browser",
    "find_engine",
    "html_to_pdf",
    "pdf_problem",
]

CHROMIUM_ENV = "OKR_WORKSHOP_CHROMIUM"
"""Names the browser to print with; when set, nothing else is tried."""

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge",
                 "microsoft-edge-stable")
"""Looked for on the PATH, in this order."""

INSTALL_PLACES = (
    "/usr/bin/chromium",
    "/snap/bin/chromium",
    "/opt/google/chrome/chrome",
    "/opt/microsoft/msedge/msedge",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "~/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "~/Applications/Chromium.app/Contents/MacOS/Chromium",
    "~/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)
"""Where browsers are installed when they are not on the PATH, in the order they are tried."""

TIMEOUT = 120.0
"""Seconds a browser may take to print one page before it is stopped."""

HOW_TO_GET_ONE = (f"Debian/Ubuntu: sudo apt-get install chromium; macOS: install Google Chrome; "
                  f"or set {CHROMIUM_ENV}=/path/to/the/browser.")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-extensions",
         "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars")

_log = logging.getLogger(__name__)
_weasyprint_lock = threading.Lock()  # WeasyPrint is not documented as thread-safe; it holds the GIL anyway
_told_weasyprint = False


@dataclass(frozen=True)
class Engine:
    """What prints the PDF: a browser (``program`` is its path) or WeasyPrint."""

    name: str
    """``browser`` or ``weasyprint``."""
    program: str | None = None
    """The browser's executable, for ``browser``."""

    def __str__(self) -> str:
        return f"the browser {self.program}" if self.name == "browser" else "WeasyPrint"


def _runnable(path: str | os.PathLike) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _named_browser(value: str) -> str:
    """The program ``$OKR_WORKSHOP_CHROMIUM`` names, or PdfError saying it names none."""
    found = shutil.which(value)
    if found:
        return found
    bundle = Path(value).expanduser()
    if bundle.suffix == ".app" and bundle.is_dir():  # macOS: the application folder rather than the program in it
        inside = bundle / "Contents" / "MacOS" / bundle.stem
        if _runnable(inside):
            return str(inside)
    raise PdfError(f"{CHROMIUM_ENV}={value} is not a program: point it at Chromium, Chrome or Edge "
                   f"(the program itself), or unset it.")


def find_browser() -> str | None:
    """The browser to print with (see the module's notes for the order), or None.

    Raises PdfError when ``$OKR_WORKSHOP_CHROMIUM`` is set but names nothing
    that runs: the user's choice is never replaced by another.
    """
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        return _named_browser(named)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for place in INSTALL_PLACES:
        path = os.path.expanduser(place)
        if _runnable(path):
            return path
    return None


@cache
def _weasyprint():
    """``(the weasyprint module, None)``, or ``(None, why it cannot be used)``; tried once per process."""
    try:
        # On a missing library WeasyPrint prints a banner to stdout before raising: ours says it instead.
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import weasyprint  # noqa: PLC0415 - seconds to import, and only needed without a browser
    except ImportError:
        return None, "WeasyPrint is not installed (make install, or pip install weasyprint)"
    except OSError as error:
        library = re.search(r"cannot load library '([^']+)'", str(error))
        name = library.group(1) if library else str(error)
        what = "the pango library" if "pango" in name else f"a library it needs ({name})"
        return None, f"WeasyPrint cannot load {what}"
    except Exception as error:
        return None, f"WeasyPrint does not start here ({type(error).__name__}: {error})"
    noisy = logging.getLogger("weasyprint")  # a warning for every JupyterLab CSS rule it does not know
    if noisy.level == logging.NOTSET:
        noisy.setLevel(logging.ERROR)
    return weasyprint, None


def find_engine() -> Engine:
    """The engine to print with: a browser when there is one, else WeasyPrint; PdfError when neither.

    The first time in a process that it comes to WeasyPrint, one line on
    stderr (a warning of the ``okr_workshop.pdf`` logger) says so.
    """
    browser = find_browser()
    if browser:
        return Engine("browser", browser)
    module, why = _weasyprint()
    if module is not None:
        _say_weasyprint()
        return Engine("weasyprint")
    raise PdfError(f"No engine to print PDFs with: no Chromium, Chrome or Edge was found, and {why}. "
                   + HOW_TO_GET_ONE)


def pdf_problem() -> str | None:
    """Why PDFs cannot be printed here (the message to show), or None when they can (see :func:`find_engine`)."""
    try:
        find_engine()
    except PdfError as error:
        return str(error)
    return None


def html_to_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike, timeout: float = TIMEOUT,
                engine: Engine | str | None = None) -> Path:
    """Print ``html_path`` to ``pdf_path`` (whole or not at all) and return ``pdf_path``.

    ``engine`` is found with :func:`find_engine` when None; ``"weasyprint"``
    or ``"browser"`` asks for one (the browser as :func:`find_browser` finds it).
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    if not html_path.is_file():
        raise PdfError(f"{html_path} is not a file: there is no page to print")
    if engine is None:
        engine = find_engine()
    elif engine == "weasyprint":
        engine = Engine("weasyprint")
    elif engine == "browser":
        browser = find_browser()
        if browser is None:
            raise PdfError("No Chromium, Chrome or Edge was found to print PDFs with. " + HOW_TO_GET_ONE)
        engine = Engine("browser", browser)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    staging = pdf_path.with_name(f".{pdf_path.name}.part")
    staging.unlink(missing_ok=True)
    try:
        if engine.name == "weasyprint":
            _print_with_weasyprint(html_path, staging)
        else:
            _print_with_browser(engine.program, html_path, staging, timeout)
        if not _is_pdf(staging):
            raise PdfError(f"{engine} printed no PDF for {html_path.name}")
        staging.replace(pdf_path)
    finally:
        staging.unlink(missing_ok=True)
    return pdf_path


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(5) == b"%PDF-"
    except OSError:
        return False


def _print_with_browser(program: str, html_path: Path, staging: Path, timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="okr-chromium-") as profile:  # a profile of its own: runs in parallel
        command = [program, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={staging}", html_path.as_uri()]
        # A session of its own, so a browser that hangs is stopped with every process it started.
        with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, errors="replace", start_new_session=True) as browser:
            try:
                out, err = browser.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(browser.pid, signal.SIGKILL)
                browser.communicate()
                raise PdfError(f"The browser {program} took longer than {timeout:g} s to print "
                               f"{html_path.name}; it was stopped") from None
    if browser.returncode != 0 or not staging.is_file() or staging.stat().st_size == 0:
        lines = [line for line in (err or out or "").splitlines() if line.strip()]
        detail = lines[-1].strip()[-300:] if lines else f"exit status {browser.returncode}"
        raise PdfError(f"The browser {program} could not print {html_path.name}: {detail}")


def _say_weasyprint() -> None:
    global _told_weasyprint
    with _weasyprint_lock:
        if not _told_weasyprint:
            _told_weasyprint = True
            _log.warning("PDFs are printed with WeasyPrint (no Chromium, Chrome or Edge found)")


def _print_with_weasyprint(html_path: Path, staging: Path) -> None:
    module, why = _weasyprint()
    if module is None:
        raise PdfError(f"{why}, so it cannot print {html_path.name}. " + HOW_TO_GET_ONE)
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - WeasyPrint only when a PDF is made

    with _weasyprint_lock:
        try:
            page = module.HTML(filename=str(html_path), url_fetcher=URLFetcher(allowed_protocols={"file", "data"}))
            page.write_pdf(str(staging))
        except Exception as error:
            raise PdfError(f"WeasyPrint could not print {html_path.name}: {type(error).__name__}: {error}") from None
