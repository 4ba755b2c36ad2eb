"""What the browser tests share besides fixtures: starting ``okr-workshop serve``, telling local from foreign
requests.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from needs import need as _need

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = ROOT / "build" / "screenshots"

def _browser() -> str | None:
    """The browser the toolkit prints PDFs with (``okr_workshop.pdf.find_browser``): the tests drive the same one."""
    from okr_workshop.pdf import PdfError, find_browser

    try:
        return find_browser()
    except PdfError:
        return None


CHROMIUM = _browser()
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SERVER_START_TIMEOUT = 120.0
SERVER_STOP_TIMEOUT = 30.0
VIEWPORT = {"width": 1280, "height": 900}


def need(reason: str | None) -> None:
    """Skip (locally) or fail (in CI) with ``reason`` when it is not None."""
    _need(reason, "browser tests")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if CHROMIUM is None:
        from okr_workshop.pdf import HOW_TO_GET_ONE

        named = os.environ.get("OKR_WORKSHOP_CHROMIUM")
        where = f"OKR_WORKSHOP_CHROMIUM={named} is not a program" if named else "no Chromium, Chrome or Edge found"
        return f"{where}: the browser tests need one. {HOW_TO_GET_ONE}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: make install"
    return None


def foreign(urls: list[str]) -> list[str]:
    """The URLs that go to a host other than this machine (``data:`` and ``blob:`` URLs are local)."""
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about", "chrome-error"}:
            continue
        if parts.hostname not in LOCAL_HOSTS:
            out.append(url)
    return out


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    """Whether something answers on 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0



@dataclass
class RunningServe:
    """An ``okr-workshop serve`` process and what it printed."""

    process: subprocess.Popen
    url: str
    """The URL it printed (with the token)."""
    port: int
    store: Path
    output: list[str]

    @property
    def token(self) -> str:
        """The token in the printed URL."""
        return self.url.rsplit("token=", 1)[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self.port}/"

    def app_url(self, notebook: str) -> str:
        """The Voila page of ``notebook`` (with or without ``.ipynb``); the token rides along."""
        name = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
        return f"{self.base_url}voila/render/{name}?token={self.token}"

    def stop(self, timeout: float = SERVER_STOP_TIMEOUT) -> int:
        """Press Ctrl-C (SIGINT) and wait for a clean exit; kill it when it hangs. Its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
                raise AssertionError(f"okr-workshop serve did not stop within {timeout:.0f} s of Ctrl-C") from None
        return self.process.returncode


def start_serve(store: Path, *args: str, timeout: float = SERVER_START_TIMEOUT) -> RunningServe:
    """Run ``okr-workshop serve --db STORE --port FREE ARGS`` and wait for the URL it prints."""
    port = free_port()
    command = [sys.executable, "-c", "from okr_workshop.server import serve_command; serve_command()",
               "--db", str(store), "--port", str(port), "--no-browser", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True, cwd=store.parent)
    output: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            output.append(line.rstrip("\n"))
            if line.startswith("http"):
                return RunningServe(process, line.strip(), port, store, output)
        elif process.poll() is not None:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    rest = process.stdout.read() if process.stdout else ""
    raise AssertionError("okr-workshop serve printed no URL:\n" + "\n".join(output) + rest)
