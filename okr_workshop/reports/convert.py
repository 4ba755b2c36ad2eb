"""An executed report notebook as an HTML page (our nbconvert template) and as a PDF (printed by headless chromium).

The template (``nbconvert_template/okr_review``) extends JupyterLab's
``lab`` template, hides code and prompts, and loads nothing from another
host. The PDF is the same page printed by chromium with the page CSS of
the report (A4, no browser header or footer).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

__all__ = ["CHROMIUM_ENV", "PDF_TIMEOUT", "TEMPLATE", "TEMPLATE_DIR", "find_chromium", "to_html", "to_pdf"]

TEMPLATE = "okr_review"
TEMPLATE_DIR = Path(__file__).resolve().parent / "nbconvert_template"
CHROMIUM_ENV = "OKR_WORKSHOP_CHROMIUM"
"""Names the browser to print PDFs with when it is not ``chromium`` on the PATH."""
PDF_TIMEOUT = 120
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_QUIET_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-extensions",
                "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars")

_local = threading.local()


def _html_exporter():
    """One exporter per thread (building one loads the templates and the lab stylesheet; reports of a run reuse it)."""
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter  # noqa: PLC0415
        from traitlets.config import Config  # noqa: PLC0415

        config = Config()
        config.HTMLExporter.exclude_input = True
        config.HTMLExporter.exclude_input_prompt = True
        config.HTMLExporter.exclude_output_prompt = True
        exporter = HTMLExporter(config=config, template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATE_DIR)])
        _local.exporter = exporter
    return exporter


def to_html(notebook, path: str | os.PathLike, title: str | None = None) -> Path:
    """Write the executed ``notebook`` (a NotebookNode) to ``path`` as a standalone HTML page."""
    path = Path(path)
    if title:
        notebook.metadata["title"] = title
    body, _ = _html_exporter().from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
    path.write_text(body, encoding="utf-8")
    return path


def find_chromium() -> str | None:
    """The browser to print with: ``$OKR_WORKSHOP_CHROMIUM``, else chromium (or Chrome) on the PATH."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike, chromium: str | None = None,
           timeout: float = PDF_TIMEOUT) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless chromium; raises RuntimeError saying why it failed."""
    browser = chromium or find_chromium()
    if browser is None:
        raise RuntimeError(f"no chromium to print PDFs with: install it, or name it in ${CHROMIUM_ENV}")
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="okr-chromium-") as profile:  # a profile of its own: runs in parallel
        command = [browser, *_QUIET_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
                   html_path.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"chromium took longer than {timeout:g} s to print {html_path.name}") from None
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise RuntimeError(f"chromium did not print {html_path.name}: {detail[0]}")
    return pdf_path
