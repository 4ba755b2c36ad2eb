"""Print an HTML file to PDF with headless Chromium (no network, no header or footer)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from okr_workshop.exceptions import OkrWorkshopError

__all__ = ["CHROMIUM_ENV", "PdfError", "chromium", "html_to_pdf"]

CHROMIUM_ENV = "OKR_WORKSHOP_CHROMIUM"
"""Names the browser when it is not on the PATH as chromium or google-chrome."""

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--no-pdf-header-footer")


class PdfError(OkrWorkshopError):
    """No browser to print with, or printing failed."""


def chromium() -> str:
    """The Chromium (or Chrome) executable to print with."""
    for candidate in (os.environ.get(CHROMIUM_ENV), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    raise PdfError(f"No Chromium to print PDFs with: install it (Debian: apt-get install chromium) or set "
                   f"{CHROMIUM_ENV} to its path.")


def html_to_pdf(html_path: str | os.PathLike, pdf_path: str | os.PathLike, timeout: float = 120) -> Path:
    """Print ``html_path`` to ``pdf_path``; the PDF appears whole or not at all."""
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    staging = pdf_path.with_name(f".{pdf_path.name}.part")
    with tempfile.TemporaryDirectory(prefix="okr-chromium-") as profile:
        command = [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={staging}",
                   html_path.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as error:
            staging.unlink(missing_ok=True)
            raise PdfError(f"Printing {html_path.name} to PDF took longer than {timeout:g} s") from error
    if done.returncode != 0 or not staging.exists() or staging.stat().st_size == 0:
        staging.unlink(missing_ok=True)
        raise PdfError(f"Chromium could not print {html_path.name}: {done.stderr.strip()[-300:]}")
    staging.replace(pdf_path)
    return pdf_path
