"""A workshop server as a child process: starting it, waiting until it answers, running it until Ctrl-C, stopping it.

:func:`start` launches Voila (or JupyterLab) in a process group of its own and
returns a :class:`Server` once it answers; :func:`serve` runs one until Ctrl-C
(or SIGTERM, or a closed terminal). The server listens on 127.0.0.1 only, and
its fresh token reaches it through the environment (:func:`_child_main`), never
on a command line. The server stops itself when ``okr-workshop serve`` goes
away without stopping it.
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from okr_workshop.exceptions import ServeError
from okr_workshop.server.jupyter import TEMPLATE, TOKEN_VAR, jupyter_env, project_root, store_location, without_password
from okr_workshop.server.links import PERSONAL_LINKS_PROVIDER, people_to_link, set_identity_env, write_personal_links

__all__ = ["HOST", "LAB_PORT", "VOILA_PORT", "Server", "pick_port", "serve", "start"]

HOST = "127.0.0.1"
VOILA_PORT = 8866
"""First port tried for Voila when none is given (Voila's usual one)."""
LAB_PORT = 8888
"""First port tried for JupyterLab when none is given."""
CULL_IDLE_SECONDS = 3600
"""A Voila kernel no page is connected to is shut down after this long without activity."""
CULL_INTERVAL_SECONDS = 300
READY_TIMEOUT = 90.0
"""Seconds to wait for a server to answer before giving up."""
STOP_TIMEOUT = 15.0
"""Seconds a server gets to shut its kernels down before it is killed."""
MAX_LOG_BYTES = 5_000_000
"""A server log larger than this starts afresh."""
LAB_NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
_CHILD = "from okr_workshop.server.process import _child_main; _child_main()"
"""The ``python -c`` program the server process runs (see :func:`_child_main`)."""


@dataclass
class Server:
    """A running Voila or JupyterLab child process (in its own process group)."""

    kind: str
    """``voila`` or ``lab``."""
    port: int
    token: str
    url: str
    """The one URL to open (it carries the token)."""
    process: subprocess.Popen
    log_path: Path
    """The server's log (shared by the servers of one kind, each run's part starting at ``log_offset``)."""
    log_offset: int = 0
    env: dict[str, str] = field(repr=False, default_factory=dict)
    new_store: bool = False
    """Whether the store was created empty for this server."""
    personal_links: Path | None = None
    """The file of personal links written for this server (None: no personal links)."""
    token_hashes: Path | None = None
    """Where the server keeps the hashes of the personal tokens it accepts (gone once it stops)."""

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``, without the token."""
        return f"http://{HOST}:{self.port}/"

    def running(self) -> bool:
        """Whether the server process is still alive."""
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """Ask the server to shut down (SIGTERM to its process group), kill it after ``timeout`` s; its exit status."""
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(self.process, signal.SIGKILL)
                self.process.wait()
        # Anything left in the group (a kernel's helper) goes too.
        _signal_group(self.process, signal.SIGKILL)
        if self.token_hashes is not None:
            self.token_hashes.unlink(missing_ok=True)
        return self.process.returncode

    def log_tail(self, lines: int = 30) -> str:
        """The last ``lines`` lines this server printed."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self.log_offset)
                text = log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    """Send ``sig`` to the process group of ``process``, if it is still there."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


# --------------------------------------------------------------------------- ports


def _port_free(port: int) -> bool:
    """Whether a server could listen on ``port`` of 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers bind: a port a stopped server left in TIME_WAIT is free again.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def pick_port(port: int | None, first: int) -> int:
    """``port`` when it is free (an error when not); without one, the first free port from ``first`` on, else any."""
    if port is not None:
        if not _port_free(port):
            raise ServeError(f"Port {port} on {HOST} is already in use: choose another with --port")
        return port
    for candidate in range(first, first + 10):
        if _port_free(candidate):
            return candidate
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- the server process


def _child_main() -> None:
    """Run in the server process: ``python -c _CHILD MODULE TRAIT ARGS...`` runs ``python -m MODULE ARGS...``.

    The token comes from the environment and is dropped from it there, so it never
    shows on a command line (which every local user can list) nor in a kernel's
    environment. When the parent (``okr-workshop serve``) goes away without
    stopping the server, the server stops itself.
    """
    module, trait, *args = sys.argv[1:]
    token = os.environ.pop(TOKEN_VAR)
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch_parent, name="okr-watch-parent", daemon=True).start()
    sys.argv = [module, *args, f"--{trait}={token}"]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def _voila_command(notebooks: Path, port: int, runtime: Path, personal_links: bool = False) -> list[str]:
    """The command line of a Voila server on ``notebooks``, its connection files under ``runtime``."""
    command = [
        sys.executable, "-c", _CHILD, "voila", "Voila.token", str(notebooks),
        "--no-browser", f"--Voila.ip={HOST}", f"--Voila.port={port}", "--Voila.port_retries=0",
        f"--Voila.connection_dir_root={runtime}",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.show_tracebacks=True",
        # A closed tab shuts its kernel down itself (our template); a tab that
        # crashed or lost its connection leaves one behind, shut after an hour.
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
    ]
    if personal_links:
        command.append(f"--Voila.identity_provider_class={PERSONAL_LINKS_PROVIDER}")
    return command


def _turn_off_lab_news(config_dir: Path) -> None:
    """Switch off JupyterLab's announcements plugin (news from the internet, and the prompt asking about them)."""
    path = config_dir / "labconfig" / "page_config.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    disabled = config.setdefault("disabledExtensions", {})
    if disabled.get(LAB_NEWS_PLUGIN) is not True:
        disabled[LAB_NEWS_PLUGIN] = True
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def _lab_command(notebooks: Path, port: int) -> list[str]:
    """The command line of a JupyterLab server on ``notebooks``, checking neither news nor updates."""
    command = [
        sys.executable, "-c", _CHILD, "jupyterlab", "IdentityProvider.token",
        "--no-browser", f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={notebooks}",
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def start(db: str | os.PathLike | None = None, *, port: int | None = None, lab: bool = False,
          notebooks_dir: str | os.PathLike | None = None, root: str | os.PathLike | None = None,
          timeout: float = READY_TIMEOUT, personal_links: str | os.PathLike | None = None) -> Server:
    """Start Voila (or JupyterLab with ``lab``) on ``notebooks_dir`` and return it once it answers.

    ``db`` is the store (default ``$OKR_WORKSHOP_DB``, else ``./workshop.db``);
    ``notebooks_dir`` defaults to the project's ``notebooks/``; ``root`` is where
    ``.jupyter/`` goes (default :func:`~okr_workshop.server.jupyter.project_root`).
    With ``personal_links`` (Voila only), every person of the store gets a link
    of their own, written to that file. Raises :class:`~okr_workshop.exceptions.ServeError`
    when the server does not come up within ``timeout`` seconds.
    """
    if lab and personal_links is not None:
        raise ServeError("Personal links open the apps in Voila; in JupyterLab whoever opens a link could run any "
                         "code as anyone. Leave out --lab or --personal-links.")
    root = Path(root) if root is not None else project_root()
    notebooks = Path(notebooks_dir) if notebooks_dir is not None else root / "notebooks"
    notebooks = notebooks.resolve()
    if not notebooks.is_dir():
        raise ServeError(f"No notebooks folder at {notebooks}")
    port = pick_port(port, LAB_PORT if lab else VOILA_PORT)
    location, new_store = store_location(db)
    people = people_to_link(location) if personal_links is not None else []
    env = jupyter_env(root, location)
    kind = "lab" if lab else "voila"
    token = secrets.token_urlsafe(24)
    env[TOKEN_VAR] = token
    runtime = Path(env["JUPYTER_RUNTIME_DIR"])
    tokens, hashes = set_identity_env(env, people, token, runtime / f"personal-links-{port}.json",
                                      personal_links is not None)
    if lab:
        _turn_off_lab_news(Path(env["JUPYTER_CONFIG_DIR"]))
    command = (_lab_command(notebooks, port) if lab
               else _voila_command(notebooks, port, runtime, personal_links=hashes is not None))
    log_path = Path(root).resolve() / ".jupyter" / f"{kind}.log"
    with open(log_path, "ab") as log:
        if log.tell() > MAX_LOG_BYTES:
            log.truncate(0)
        log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} okr-workshop serve: {kind} on port {port}\n".encode())
        log.flush()
        offset = log.tell()
        process = subprocess.Popen(command, cwd=notebooks, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    env.pop(TOKEN_VAR)
    page = ("lab" if lab else "voila/render/index.ipynb" if (notebooks / "index.ipynb").is_file() else "")
    page_url = f"http://{HOST}:{port}/{page}"
    server = Server(kind, port, token, f"{page_url}?token={token}", process, log_path, offset, env, new_store,
                    token_hashes=hashes)
    try:
        _wait_until_ready(server, timeout)
        if personal_links is not None:
            server.personal_links = write_personal_links(personal_links, people, tokens, page_url)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: Server, timeout: float) -> None:
    """Return once ``server`` answers an authenticated request; a ServeError when it stops or ``timeout`` s pass."""
    probe = server.base_url + ("api/status" if server.kind == "lab" else "voila/api/contents/")
    request = urllib.request.Request(probe, headers={"Authorization": f"token {server.token}"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running():
            raise ServeError(f"The {server.kind} server stopped while starting (exit status "
                             f"{server.process.returncode}); it printed:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServeError(f"The {server.kind} server did not answer within {timeout:.0f} s; it printed:\n"
                     f"{server.log_tail()}")


# --------------------------------------------------------------------------- running one until Ctrl-C


def serve(db: str | os.PathLike | None, *, port: int | None = None, lab: bool = False, open_browser: bool = False,
          notebooks_dir: str | os.PathLike | None = None, echo: Callable[[str], None] = print,
          personal_links: str | os.PathLike | None = None) -> None:
    """Run the workshop server until Ctrl-C: print the one URL to open, then stop the server cleanly.

    With ``personal_links``, also write every person's link to that file and say so.
    Raises :class:`~okr_workshop.exceptions.ServeError` when it cannot start, or when it stops on its own.
    """
    server = start(db, port=port, lab=lab, notebooks_dir=notebooks_dir, personal_links=personal_links)
    restore = _stop_on_signals()
    try:
        echo(server.url)
        store = without_password(server.env["OKR_WORKSHOP_DB"])
        what = "Every kernel" if server.kind == "lab" else "One kernel per browser tab, all"
        echo(f"{what} on the store {store}. Press Ctrl-C to stop (server log: {server.log_path}).")
        if server.personal_links is not None:
            echo(f"Personal links are in {server.personal_links} (only you can read it): give each person theirs. "
                 "The address above is yours, the facilitator's. The links work until this server stops.")
        if server.new_store:
            echo("The store is new and empty: fill it with `okr-workshop import WORKBOOK --db ...` first.")
        if open_browser:
            import webbrowser  # noqa: PLC0415 - only with --browser: not at start-up

            webbrowser.open(server.url)
        status = server.process.wait()
        raise ServeError(f"The {server.kind} server stopped on its own (exit status {status}); it printed:\n"
                         f"{server.log_tail()}")
    except KeyboardInterrupt:
        echo("Stopping the server...")
    finally:
        server.stop()
        restore()


def _interrupt(_signum, _frame) -> None:
    """A signal handler that stops the server as Ctrl-C does."""
    raise KeyboardInterrupt


def _stop_on_signals() -> Callable[[], None]:
    """Treat SIGTERM and SIGHUP (a closed terminal) like Ctrl-C; returns a function putting the old handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
