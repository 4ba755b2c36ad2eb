"""``okr-workshop serve``: the workshop apps in Voila, or the notebooks in JupyterLab, on this machine.

:func:`start` launches the server as a child process and returns a
:class:`Server` once it answers; :func:`serve` runs one until Ctrl-C, and
``serve_command`` is the click command around it. Both servers:

- listen on 127.0.0.1 only and ask for a fresh token (printed in the one URL to
  open; the browser keeps a cookie, so links between pages need no token). A
  kernel runs the user's code, so no other local user or web page may reach it;
- serve ``notebooks/`` with every browser tab its own kernel, each kernel
  finding the same store through ``$OKR_WORKSHOP_DB`` (an absolute path or URL);
  in Voila, closing or reloading a tab shuts its kernel down;
- keep Jupyter's state (config, data, runtime files, IPython profile, the
  server log) in ``.jupyter/`` of the project, or of the current directory
  when the package is installed elsewhere;
- need no network: Voila renders with the ``okr`` template shipped in this
  package (``okr_workshop/jupyter``), which drops the stylesheet Voila's own
  template fetches from a CDN, and JupyterLab checks neither news nor updates.

With personal links (``--personal-links FILE``, Voila only), the server also
gives every person of the store a secret token of their own: their link, in
FILE for the facilitator to hand out, opens the apps as them (see
:mod:`okr_workshop.identity`), and the shared token becomes the facilitator's.
The server keeps only the tokens' hashes, in its runtime folder, and accepts
each token (:data:`PERSONAL_LINKS_PROVIDER`); each kernel checks the token of
its page again against the same hashes. Every run makes new links.

:func:`apps_index_html` is the list of apps that ``notebooks/index.ipynb`` shows.
"""

from __future__ import annotations

import csv
import html
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
from urllib.parse import parse_qs, urlencode

import click

from okr_workshop.exceptions import OkrWorkshopError

__all__ = [
    "APPS",
    "PERSONAL_LINKS_PROVIDER",
    "App",
    "ServeError",
    "Server",
    "apps_index_html",
    "jupyter_env",
    "project_root",
    "serve",
    "serve_command",
    "start",
    "write_personal_links",
]

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
TEMPLATE = "okr"
"""The Voila template in ``okr_workshop/jupyter/voila/templates/``."""
TEMPLATES_ROOT = Path(__file__).resolve().parent / "jupyter"
"""A Jupyter data folder (put on ``JUPYTER_PATH``) holding our Voila template."""
_TOKEN_VAR = "OKR_WORKSHOP_SERVE_TOKEN"
_CHILD = "from okr_workshop.serve import _child_main; _child_main()"
PERSONAL_LINKS_PROVIDER = "PersonalLinksIdentityProvider"
"""The Voila identity provider of a server with personal links, ``okr_workshop.serve.PersonalLinksIdentityProvider``
(made on first use, in the server: see :func:`_personal_links_identity_provider`)."""


class ServeError(OkrWorkshopError):
    """A workshop server could not start, or stopped on its own."""


# --------------------------------------------------------------------------- the index of apps


@dataclass(frozen=True)
class App:
    """One workshop app: its notebook (without ``.ipynb``), a title and one line on what it is for."""

    notebook: str
    title: str
    description: str


APPS: tuple[App, ...] = (
    App("01_company_objectives", "Company objectives",
        "Leadership drafts the company's objectives and agrees on them."),
    App("02_cascade", "Cascade",
        "Team leads line their team's OKRs up under the company's."),
    App("03_individual_okrs", "Your own OKRs",
        "Everyone writes their own OKRs, in step with their team's."),
    App("04_onboarding_course", "OKRs for new starters",
        "New colleagues learn how OKRs work here and write their first ones."),
    App("05_checkins", "Weekly check-ins",
        "Each week: how far each key result has come, and how confident you are."),
    App("07_quarter_review", "Quarter review",
        "At the end of a quarter, a team looks back on its objectives, holds a retro and decides what comes next."),
    App("06_facilitator_dashboard", "Facilitator dashboard",
        "The facilitator follows the room: who has submitted, what is worth discussing."),
)
"""The apps in workshop order."""


def apps_index_html(notebooks_dir: str | os.PathLike | None = None, base_url: str | None = None,
                    token: str | None = None) -> str:
    """An HTML list of the workshop apps whose notebook is in ``notebooks_dir``, in workshop order.

    ``notebooks_dir`` defaults to the current directory (a kernel starts in its
    notebook's folder); each link opens the app in Voila under ``base_url``
    (default: ``$VOILA_BASE_URL``, else ``/``), carrying ``token`` (default: on
    a server with personal links, the token this page was opened with, so
    each app knows the person). Every text is HTML-escaped.
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else Path.cwd()
    base = base_url if base_url is not None else os.environ.get("VOILA_BASE_URL") or "/"
    base = base if base.endswith("/") else base + "/"
    token = token if token is not None else _personal_token_of_this_page()
    query = f"?{urlencode({'token': token})}" if token else ""
    present = [app for app in APPS if (folder / f"{app.notebook}.ipynb").is_file()]
    if not present:
        return '<p class="okr-apps-none">No workshop apps in this folder yet.</p>'
    items = "\n".join(
        f'  <li><a href="{html.escape(f"{base}voila/render/{app.notebook}.ipynb{query}")}">'
        f"{html.escape(app.title)}</a> &mdash; {html.escape(app.description)}</li>"
        for app in present
    )
    return f'<ol class="okr-apps" style="font-size: 1.1em; line-height: 2">\n{items}\n</ol>'


def _personal_token_of_this_page() -> str | None:
    """In a kernel of a server with personal links, the token its page was opened with (None elsewhere)."""
    from okr_workshop.identity import LINKS_VAR, QUERY_VAR  # noqa: PLC0415  (the model: only in a kernel)

    if not os.environ.get(LINKS_VAR):
        return None
    return parse_qs(os.environ.get(QUERY_VAR, "")).get("token", [None])[-1] or None


# --------------------------------------------------------------------------- where Jupyter keeps its state


def project_root() -> Path:
    """The checkout this package runs from (it holds ``pyproject.toml`` and ``notebooks/``), else the current directory."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "notebooks").is_dir():
        return checkout
    return Path.cwd()


def jupyter_env(root: str | os.PathLike, db: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a server: Jupyter's state under ``root/.jupyter/``, our templates, the store in ``$OKR_WORKSHOP_DB``."""
    state = Path(root).resolve() / ".jupyter"
    env = dict(os.environ if base is None else base)
    dirs = {
        "JUPYTER_CONFIG_DIR": state / "config",
        "JUPYTER_DATA_DIR": state / "data",
        "JUPYTER_RUNTIME_DIR": state / "runtime",
        "IPYTHONDIR": state / "ipython",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[name] = str(path)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES_ROOT), env.get("JUPYTER_PATH")]))
    env["OKR_WORKSHOP_DB"] = db
    env.pop(_TOKEN_VAR, None)
    return env


def store_location(db: str | os.PathLike | None) -> tuple[str, bool]:
    """``db`` as every kernel can open it (an absolute SQLite path, or a URL), and whether the store was new.

    Opening the store once here creates its tables, so kernels starting together
    do not race to create them.
    """
    from okr_workshop.store import Store, database_url  # noqa: PLC0415  (pandas and SQLAlchemy: only when serving)

    url = database_url(db)
    if url.startswith("sqlite://"):
        name = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
        if name in ("", ":memory:") or name.startswith("file::memory:"):
            raise ServeError("An in-memory store cannot be shared between kernels: give a file (--db workshop.db)")
        path = Path(name).expanduser().resolve()
        new = not path.exists()
        Store(path).close()
        return str(path), new
    Store(url).close()
    return url, False


def _without_password(location: str) -> str:
    """A store URL fit to print: its password replaced by ``***``."""
    if "://" not in location:
        return location
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(location).render_as_string(hide_password=True)


# --------------------------------------------------------------------------- starting and stopping a server


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
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _port_free(port: int) -> bool:
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


def _child_main() -> None:
    """Run in the server process: ``python -c _CHILD MODULE TRAIT ARGS...`` runs ``python -m MODULE ARGS...``.

    The token comes from the environment and is dropped from it there, so it never
    shows on a command line (which every local user can list) nor in a kernel's
    environment. When the parent (``okr-workshop serve``) goes away without
    stopping the server, the server stops itself.
    """
    module, trait, *args = sys.argv[1:]
    token = os.environ.pop(_TOKEN_VAR)
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch_parent, name="okr-watch-parent", daemon=True).start()
    sys.argv = [module, *args, f"--{trait}={token}"]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def _voila_command(notebooks: Path, port: int, runtime: Path, personal_links: bool = False) -> list[str]:
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
        command.append(f"--Voila.identity_provider_class={__name__}.{PERSONAL_LINKS_PROVIDER}")
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
    ``.jupyter/`` goes (default :func:`project_root`). With ``personal_links``
    (Voila only), every person of the store gets a link of their own, written
    to that file. Raises :class:`ServeError` when the server does not come up
    within ``timeout`` seconds.
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
    people = _people_to_link(location) if personal_links is not None else []
    env = jupyter_env(root, location)
    kind = "lab" if lab else "voila"
    token = secrets.token_urlsafe(24)
    env[_TOKEN_VAR] = token
    runtime = Path(env["JUPYTER_RUNTIME_DIR"])
    tokens, hashes = _set_identity_env(env, people, token, runtime / f"personal-links-{port}.json",
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
    env.pop(_TOKEN_VAR)
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


# --------------------------------------------------------------------------- personal links


def _people_to_link(location: str) -> list[tuple[str, str | None]]:
    """(id, name) of everyone in the store who can be given a link, by name; refused when there is nobody."""
    import sqlalchemy as sa  # noqa: PLC0415  (only when serving)

    from okr_workshop.measure import AUTHOR as MEASURE_AUTHOR  # noqa: PLC0415
    from okr_workshop.store import SQL_TABLES, Store  # noqa: PLC0415

    table = SQL_TABLES["people"]
    store = Store(location)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(table.c.id, table.c.name).where(table.c.id != MEASURE_AUTHOR)
                                .order_by(table.c.name, table.c.id)).all()
    finally:
        store.close()
    if not rows:
        raise ServeError("The store has no people yet, so there is nobody to make a personal link for: import a "
                         "workbook with its people first (okr-workshop import WORKBOOK --db ...).")
    return [(row.id, row.name) for row in rows]


def _set_identity_env(env: dict[str, str], people: list[tuple[str, str | None]], token: str, hashes_path: Path,
                      personal_links: bool) -> tuple[dict[str, str], Path | None]:
    """Tell the server and its kernels how to know who is at the keyboard; (token by person id, hashes file).

    A server started here serves whoever opens its pages, not the hub user who
    may have started it, so ``$JUPYTERHUB_USER`` stays out. With personal
    links, every person gets a fresh token and the server and its kernels find
    the hashes of all of them (and of the facilitator's ``token``) in ``hashes_path``.
    """
    from okr_workshop.identity import HUB_USER_VAR, LINKS_VAR, PersonalTokens  # noqa: PLC0415

    env.pop(HUB_USER_VAR, None)
    env.pop(LINKS_VAR, None)
    if not personal_links:
        return {}, None
    tokens, hashes = PersonalTokens.issue([person for person, _ in people], token)
    env[LINKS_VAR] = str(hashes.write(hashes_path))
    return tokens, hashes_path


def write_personal_links(path: str | os.PathLike, people: list[tuple[str, str | None]], tokens: dict[str, str],
                         page_url: str) -> Path:
    """Write the facilitator's CSV of personal links (id, name, link), readable by them only; its path."""
    path = Path(path).expanduser()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            os.fchmod(out.fileno(), 0o600)  # also when the file was there before
            writer = csv.writer(out)
            writer.writerow(["id", "name", "link"])
            for person, name in people:
                writer.writerow([person, name or "", f"{page_url}?{urlencode({'token': tokens[person]})}"])
    except OSError as error:
        raise ServeError(f"Cannot write the personal links to {path}: {error.strerror or error}") from error
    return path


def __getattr__(name: str) -> type:
    """``PersonalLinksIdentityProvider``, made on first use: jupyter_server is imported by the server only."""
    if name != PERSONAL_LINKS_PROVIDER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    provider = globals()[name] = _personal_links_identity_provider()
    return provider


def _personal_links_identity_provider() -> type:
    """Voila's sign-in by token, also accepting the personal tokens whose hashes ``$OKR_WORKSHOP_PERSONAL_LINKS`` holds."""
    from jupyter_server.auth.identity import PasswordIdentityProvider, User  # noqa: PLC0415

    from okr_workshop.identity import LINKS_VAR, PersonalTokens  # noqa: PLC0415

    class PersonalLinksIdentityProvider(PasswordIdentityProvider):
        """The shared token signs in as before (the facilitator); a person's own token signs in as that person.

        This only lets the page load: each kernel checks the token of its page
        again (:func:`okr_workshop.identity.current_identity`) before showing anything.
        """

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.personal_tokens = PersonalTokens.read(os.environ[LINKS_VAR])

        async def get_user_token(self, handler) -> User | None:
            user = await super().get_user_token(handler)
            if user is not None:
                return user
            person = self.personal_tokens.person_of(self.get_token(handler) or "")
            return None if person is None else User(username=person, name=person, display_name=person)

    return PersonalLinksIdentityProvider


def _wait_until_ready(server: Server, timeout: float) -> None:
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


def serve(db: str | os.PathLike | None, *, port: int | None = None, lab: bool = False, open_browser: bool = False,
          notebooks_dir: str | os.PathLike | None = None, echo: Callable[[str], None] = print,
          personal_links: str | os.PathLike | None = None) -> None:
    """Run the workshop server until Ctrl-C: print the one URL to open, then stop the server cleanly.

    With ``personal_links``, also write every person's link to that file and say so.
    Raises :class:`ServeError` when it cannot start, or when it stops on its own.
    """
    server = start(db, port=port, lab=lab, notebooks_dir=notebooks_dir, personal_links=personal_links)
    restore = _stop_on_signals()
    try:
        echo(server.url)
        store = _without_password(server.env["OKR_WORKSHOP_DB"])
        what = "Every kernel" if server.kind == "lab" else "One kernel per browser tab, all"
        echo(f"{what} on the store {store}. Press Ctrl-C to stop (server log: {server.log_path}).")
        if server.personal_links is not None:
            echo(f"Personal links are in {server.personal_links} (only you can read it): give each person theirs. "
                 "The address above is yours, the facilitator's. The links work until this server stops.")
        if server.new_store:
            echo("The store is new and empty: fill it with `okr-workshop import WORKBOOK --db ...` first.")
        if open_browser:
            import webbrowser  # noqa: PLC0415

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


# --------------------------------------------------------------------------- the command


@click.command("serve")
@click.option("--db", metavar="PATH|URL", default=None,
              help="The store: a SQLite file or a SQLAlchemy URL (default: $OKR_WORKSHOP_DB, else ./workshop.db).")
@click.option("--lab", is_flag=True, help="Open the notebooks in JupyterLab instead of the apps in Voila.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help=f"Port on {HOST} (default: the first free one from {VOILA_PORT}, or {LAB_PORT} with --lab).")
@click.option("--browser/--no-browser", "open_browser", default=False, show_default=True,
              help="Open the URL in a web browser on this machine.")
@click.option("--personal-links", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Give every person in the store a link of their own, written to FILE (a CSV of id, name and link "
                   "that only you can read) for you to hand out: each link opens the apps as its person, who "
                   "cannot pick anyone else. The printed URL is then the facilitator's. Not with --lab.")
def serve_command(db: str | None, lab: bool, port: int | None, open_browser: bool,
                  personal_links: Path | None) -> None:
    """Serve the workshop apps on this machine and print the URL to open; Ctrl-C stops.

    The apps run in Voila with their code hidden, each browser tab in its own
    kernel, all on one store. Nothing is fetched from the internet.
    """
    try:
        serve(db, port=port, lab=lab, open_browser=open_browser, echo=lambda line: click.echo(line),
              personal_links=personal_links)
    except ServeError as error:
        raise click.ClickException(str(error)) from error
