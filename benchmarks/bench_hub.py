"""The workshop apps through JupyterHub (deploy/jupyterhub_config.py in test mode) against ``okr-workshop serve``.

Starts a throwaway PostgreSQL server holding the example company (``tests/pg.py``),
the hub with its proxy on free ports, and ``okr-workshop serve`` on the same
store, then measures with Debian's chromium (Playwright):

1. One person, warm server: page-to-widget (navigation until the individual
   app's first widget shows; each load a new kernel) and keystroke feedback
   (a key result title's last key to the SMART feedback changing), through the
   hub and through serve; the ratio hub / serve.
2. ``--users`` people (default 20) logged in through the hub, each with the
   individual app open: how long logging in and spawning took, each person's
   memory (resident size of their single-user server plus its Voila kernel,
   and PSS, with shared pages counted once), and feedback while everyone types
   (``--rounds`` rounds all at once, then one after another), with the CPU a
   keystroke costs across the hub, the proxy, the servers and the kernels.
   When the store has too few people, members join it first.

    python benchmarks/bench_hub.py                 # about 5 minutes on 2 cores
    python benchmarks/bench_hub.py --users 40 --rounds 3

The module is also what ``tests/test_hub.py`` runs its hub with: :func:`start_hub` and
:class:`Hub`, :func:`log_in`, :func:`people_to_log_in`, :func:`user_servers`,
:func:`proxy_missing`.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tests/pg.py: the throwaway PostgreSQL server
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import INPUT, _check_texts, _memory_kib, burst_latencies, kernels_of  # noqa: E402
from bench_load import _descendants as descendants  # noqa: E402

CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
LOCAL_PROXY = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
"""Where ``.ci/system.sh`` installs the proxy, and where the hub's config looks first."""
PASSWORD = "workshop-test-password"
"""Test mode's shared password (the hub takes it from ``$OKR_HUB_PASSWORD``)."""
APP = "03_individual_okrs.ipynb"
WIDGET = ".jupyter-widgets"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 60.0
LATENCY_TARGET_MS = 300.0
DEBOUNCE_MS = 120.0
"""The pause after a keystroke before the form checks (``okr_workshop.apps.base.Debouncer``)."""


# --------------------------------------------------------------------------- the hub


def proxy_command() -> str | None:
    """The configurable-http-proxy the hub's config will run: the one next to this Python, else the PATH's."""
    return str(LOCAL_PROXY) if LOCAL_PROXY.exists() else shutil.which("configurable-http-proxy")


def proxy_missing() -> str | None:
    """Why no hub can start here, or None when one can."""
    if proxy_command() is None:
        how = ("install Node.js and npm (Debian: apt-get install nodejs npm), then run sh .ci/system.sh test"
               if shutil.which("npm") is None else "run sh .ci/system.sh test (it runs npm install)")
        return f"no configurable-http-proxy (JupyterHub's proxy) in {LOCAL_PROXY.parent} or on the PATH: {how}"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Hub:
    """A running JupyterHub (with its proxy and idle culler) in test mode."""

    process: subprocess.Popen
    url: str
    """``http://127.0.0.1:PORT``: the proxy, where people go."""
    state: Path
    """``$OKR_HUB_STATE``: the hub's database, the people's homes, Jupyter's state."""
    log_path: Path

    def user_path(self, user: str, page: str = "") -> str:
        """The path of ``page`` on ``user``'s server (``voila/render/03_individual_okrs.ipynb``)."""
        return f"/user/{quote(user, safe='@')}/{page}"

    def login_url(self, next_path: str | None = None) -> str:
        """The hub's login page, going on to ``next_path`` once logged in."""
        return f"{self.url}/hub/login" + (f"?next={quote(next_path, safe='')}" if next_path else "")

    def log(self) -> str:
        """Everything the hub, its proxy and the servers printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def running(self) -> bool:
        """Whether the hub process is still alive."""
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """Stop the hub as an operator does (SIGTERM: it stops the servers, the culler, the proxy); its exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def _default_sigint() -> None:
    # The hub stops its servers and services with SIGINT first: a hub started from a background
    # job (which ignores SIGINT, and passes that on) would wait 30 s for each before SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_hub(db: str, state: Path, *, timeout: float = START_TIMEOUT) -> Hub:
    """Start ``jupyterhub -f deploy/jupyterhub_config.py`` in test mode on free ports, on the store ``db``.

    Returns once the hub answers through its proxy; raises RuntimeError (with the
    end of its log) when it does not within ``timeout`` seconds.
    """
    state.mkdir(parents=True, exist_ok=True)
    port, hub_port, api_port = free_port(), free_port(), free_port()
    env = {**os.environ, "OKR_HUB_MODE": "test", "OKR_HUB_PASSWORD": PASSWORD, "OKR_HUB_STATE": str(state),
           "OKR_WORKSHOP_DB": db, "OKR_HUB_BIND_URL": f"http://127.0.0.1:{port}"}
    env.pop("OKR_WORKSHOP_DB_FILE", None)
    command = [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(CONFIG),
               f"--JupyterHub.hub_bind_url=http://127.0.0.1:{hub_port}",
               f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{api_port}"]
    log_path = state / "hub.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=state, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_default_sigint)
    hub = Hub(process, f"http://127.0.0.1:{port}", state, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not hub.running():
            raise RuntimeError(f"the hub stopped while starting (exit {process.returncode}):\n{hub.log()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=5) as response:
                if response.status == 200:
                    return hub
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    hub.stop()
    raise RuntimeError(f"the hub did not answer within {timeout:.0f} s:\n{hub.log()[-3000:]}")


async def log_in(context, hub: Hub, user: str, page_path: str | None = None, timeout_ms: float = 180_000):
    """Log ``user`` in through the hub's login page in a Playwright (async) ``context``; the page.

    With ``page_path`` (``voila/render/03_individual_okrs.ipynb``) the login goes on
    to that page of the person's own server through ``/hub/user-redirect/``, as a
    link a facilitator hands out does, and returns once it is there. Logging in
    starts the person's server when it is not running.
    """
    page = await context.new_page()
    await page.goto(hub.login_url(f"/hub/user-redirect/{page_path}" if page_path else None), timeout=timeout_ms)
    await page.fill("#username_input", user)
    await page.fill("#password_input", PASSWORD)
    await page.click("#login_submit", no_wait_after=True)
    if page_path:
        await page.wait_for_url(hub.url + hub.user_path(user, page_path), timeout=timeout_ms, wait_until="commit")
    return page


# --------------------------------------------------------------------------- the people's processes


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def _environ_value(pid: int, name: str) -> str | None:
    try:
        with open(f"/proc/{pid}/environ", "rb") as environ:
            entries = environ.read().split(b"\0")
    except OSError:
        return None
    prefix = name.encode() + b"="
    return next((entry[len(prefix):].decode(errors="replace") for entry in entries if entry.startswith(prefix)), None)


def user_servers(hub: Hub) -> dict[str, int]:
    """The single-user server process of each person logged in (children of the hub): {user name: pid}."""
    return {_environ_value(pid, "JUPYTERHUB_USER") or "?": pid for pid in descendants(hub.process.pid)
            if b"jupyterhub-singleuser" in _cmdline(pid)}


def hub_processes(hub: Hub) -> list[int]:
    """The hub and everything it runs: the proxy, the culler, the servers and their kernels."""
    return [hub.process.pid, *descendants(hub.process.pid)]


def person_memory(server_pid: int) -> dict[str, float]:
    """A person's memory in MiB: resident size of their server and of its kernels, and PSS of all of them."""
    server, kernels = _memory_kib(server_pid), [_memory_kib(pid) for pid in kernels_of(server_pid)]
    return {"server_rss": server[0] / 1024, "kernel_rss": sum(rss for rss, _ in kernels) / 1024,
            "pss": (server[1] + sum(pss for _, pss in kernels)) / 1024}


# --------------------------------------------------------------------------- the people who log in


def people_to_log_in(db: str, count: int) -> list[tuple[str, str]]:
    """``count`` people of the store who are not facilitators, as (id, name), by id; when the store has fewer,
    new members ("Participant 1", ...) join its first team first.
    """
    from okr_workshop.store.database import Store  # noqa: PLC0415
    from okr_workshop.workbook import Workbook  # noqa: PLC0415

    store = Store(db)
    try:
        book = store.read_workbook()
        people = book["people"][book["people"]["role"] != "facilitator"].sort_values("id")
        missing = count - len(people)
        if missing > 0:
            team = book["teams"]["id"].iloc[0]
            store.write_workbook(Workbook.from_records(people=[
                {"id": f"participant{n}@example.org", "name": f"Participant {n}", "team": team, "role": "member"}
                for n in range(1, missing + 1)]))
            return people_to_log_in(db, count)
        return list(zip(people["id"][:count], people["name"][:count], strict=True))
    finally:
        store.close()


# --------------------------------------------------------------------------- measuring


async def leave(page) -> None:
    """Leave the app's page as a person closing the tab does (its kernel shuts down), then close it."""
    await page.goto("about:blank")
    await page.close()


async def page_to_widget(context, url: str, repeat: int) -> list[float]:
    """Seconds from going to ``url`` in a new page of ``context`` until its first widget shows, ``repeat`` times."""
    times = []
    for _ in range(repeat):
        page = await context.new_page()
        began = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=120_000)
        await page.wait_for_selector(WIDGET, state="visible", timeout=120_000)
        times.append(time.perf_counter() - began)
        await leave(page)
    return times


async def pick_person(page, name: str) -> None:
    """Pick ``name`` in the app's "You are" list, unless the app knows who is at the keyboard (its list is fixed)."""
    picker = page.locator("select").first
    await picker.wait_for(state="visible", timeout=120_000)
    if await picker.is_disabled():
        return
    labels = [label.replace("\xa0", " ") for label in await picker.locator("option").all_inner_texts()]
    matches = [i for i, label in enumerate(labels) if label.startswith(f"{name} (")]
    if len(matches) != 1:
        raise RuntimeError(f"{name} is not once among the people to pick: {labels}")
    await picker.select_option(index=matches[0])


async def keystrokes(context, url: str, name: str, rounds: int, pids) -> tuple[list[float], float]:
    """Open the app at ``url`` as ``name`` and type ``rounds`` key results' last keys: ms to feedback each, and the
    CPU ms a key cost the processes ``pids()`` returns (the server side).
    """
    page = await context.new_page()
    await page.goto(url, wait_until="commit", timeout=120_000)
    await pick_person(page, name)
    await page.locator(INPUT).first.wait_for(state="visible", timeout=120_000)
    samples, cpu = [], 0.0
    for round_number in range(rounds):
        latencies, _, used = await burst_latencies([page], round_number, server_pids=pids())
        samples += latencies
        cpu += used
    await leave(page)
    return samples, 1000 * cpu / rounds


async def _log_in_and_open(browser, hub: Hub, user: str, gate: asyncio.Semaphore):
    async with gate:
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        began = time.perf_counter()
        page = await log_in(context, hub, user, f"voila/render/{APP}")
        await page.locator(INPUT).first.wait_for(state="visible", timeout=180_000)
        return page, time.perf_counter() - began


def _median_p90(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


async def compare(browser, hub: Hub, serve, user: str, name: str, repeat: int, rounds: int) -> dict[str, dict]:
    """One person, warm server: page-to-widget and keystroke feedback through the hub and through serve."""
    hub_context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await (await log_in(hub_context, hub, user, f"voila/render/{APP}")).close()  # starts the server
    serve_context = await browser.new_context(viewport={"width": 1280, "height": 900})
    routes = {
        "hub": (hub_context, hub.url + hub.user_path(user, f"voila/render/{APP}"), lambda: hub_processes(hub)),
        "serve": (serve_context, f"{serve.base_url}voila/render/{APP}?token={serve.token}",
                  lambda: [serve.process.pid, *descendants(serve.process.pid)]),
    }
    figures = {}
    for route, (context, url, pids) in routes.items():
        await page_to_widget(context, url, 1)  # warm-up
        loads = await page_to_widget(context, url, repeat)
        typed, cpu_ms = await keystrokes(context, url, name, rounds, pids)
        figures[route] = {"widget_s": statistics.median(loads), "keystroke_ms": statistics.median(typed),
                         "cpu_per_key_ms": cpu_ms}
        print(f"{route:5s}: page to widget median {figures[route]['widget_s']:.2f} s (min {min(loads):.2f}, "
              f"max {max(loads):.2f}, n={len(loads)}); keystroke to feedback median "
              f"{figures[route]['keystroke_ms']:.0f} ms (n={len(typed)}); {cpu_ms:.0f} ms CPU per key", flush=True)
        await context.close()
    return figures


async def capacity(browser, hub: Hub, users: list[str], at_once: int, rounds: int) -> dict:
    """``users`` log in (``at_once`` at a time) and open the app; their memory, then everyone typing."""
    began = time.perf_counter()
    gate = asyncio.Semaphore(at_once)
    opened = await asyncio.gather(*(_log_in_and_open(browser, hub, user, gate) for user in users))
    pages, waits = [page for page, _ in opened], [wait for _, wait in opened]
    took = time.perf_counter() - began
    print(f"{len(users)} people logged in ({at_once} at a time) in {took:.0f} s: {took / len(users):.1f} s a person; "
          f"login to app median {statistics.median(waits):.1f} s, slowest {max(waits):.1f} s", flush=True)
    servers = user_servers(hub)
    memory = [person_memory(servers[user]) for user in users]
    figures = {key: statistics.median(m[key] for m in memory) for key in ("server_rss", "kernel_rss", "pss")}
    figures["seconds_per_login"] = took / len(users)
    print(f"memory a person (medians): their server {figures['server_rss']:.0f} MiB resident, the app's kernel "
          f"{figures['kernel_rss']:.0f} MiB, {figures['pss']:.0f} MiB PSS together; "
          f"{sum(m['pss'] for m in memory) / 1024:.2f} GiB PSS for {len(users)}", flush=True)
    keys_cpu, keys = 0.0, 0
    for steady in (False, True):
        samples = []
        for round_number in range(rounds):
            latencies, _, used = await burst_latencies(pages, round_number, steady=steady,
                                                       server_pids=hub_processes(hub))
            samples += latencies
            keys_cpu, keys = keys_cpu + used, keys + len(pages)
        how = "one after another" if steady else "all at once"
        median, p90 = figures[how] = _median_p90(samples)
        print(f"{len(pages)} people typing {how}: feedback median {median:.0f} ms, p90 {p90:.0f} ms, slowest "
              f"{max(samples):.0f} ms; load average {os.getloadavg()[0]:.1f}", flush=True)
    figures["cpu_per_key_ms"] = 1000 * keys_cpu / keys
    figures["people"] = len(pages)
    return figures


async def _run(args, hub: Hub, serve, people: list[tuple[str, str]]) -> tuple[dict, dict]:
    from browser.helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: PLC0415  (as the browser tests launch it)
    from playwright.async_api import async_playwright  # noqa: PLC0415

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"== one person, warm server: {APP} through the hub and through okr-workshop serve", flush=True)
        user, name = people[0]
        single = await compare(browser, hub, serve, user, name, args.repeat, args.rounds)
        print(f"== {args.users} people through the hub, each with {APP} open", flush=True)
        load = await capacity(browser, hub, [user for user, _ in people[1:args.users + 1]], args.at_once,
                              args.rounds)
        await browser.close()
    return single, load


def _report(single: dict, load: dict) -> None:
    hub, serve = single["hub"], single["serve"]
    cores = os.cpu_count() or 1
    print("== summary")
    print(f"page to widget: hub {hub['widget_s']:.2f} s, serve {serve['widget_s']:.2f} s, ratio "
          f"{hub['widget_s'] / serve['widget_s']:.2f}")
    print(f"keystroke feedback: hub {hub['keystroke_ms']:.0f} ms, serve {serve['keystroke_ms']:.0f} ms, ratio "
          f"{hub['keystroke_ms'] / serve['keystroke_ms']:.2f}")
    people = load["people"]
    for how in ("all at once", "one after another"):
        median, p90 = load[how]
        print(f"{people} people on {cores} cores ({people / cores:.0f} a core) typing {how}: feedback median "
              f"{median:.0f} ms, p90 {p90:.0f} ms (target: median under {LATENCY_TARGET_MS:.0f} ms)")
    per_core = (LATENCY_TARGET_MS - DEBOUNCE_MS) / load["cpu_per_key_ms"]
    print(f"CPU per keystroke through the hub (hub, proxy, servers, kernels): {load['cpu_per_key_ms']:.1f} ms -> "
          f"one core answers about {per_core:.0f} people pressing a key in the same instant within "
          f"{LATENCY_TARGET_MS:.0f} ms, were nothing else running")
    print(f"memory per person: {load['server_rss'] + load['kernel_rss']:.0f} MiB resident (server "
          f"{load['server_rss']:.0f}, kernel {load['kernel_rss']:.0f}), {load['pss']:.0f} MiB PSS")
    print(f"logging in: {load['seconds_per_login']:.1f} s of the machine a person")


def main() -> None:
    """Serve the example company from a throwaway PostgreSQL store as the hub does, and print its page, keystroke
    and capacity figures.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="people logged in at once for the capacity figures")
    parser.add_argument("--at-once", type=int, default=4, help="people logging in at the same moment")
    parser.add_argument("--repeat", type=int, default=5, help="timed page loads for each route (after a warm-up)")
    parser.add_argument("--rounds", type=int, default=5, help="keys typed per page for each measurement")
    args = parser.parse_args()
    proxy_problem = proxy_missing()
    if proxy_problem:
        raise SystemExit(proxy_problem)
    _check_texts()
    from pg import Cluster  # noqa: PLC0415

    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.server import start  # noqa: PLC0415
    from okr_workshop.store.database import Store  # noqa: PLC0415

    scratch = Path(tempfile.mkdtemp(prefix="okr-bench-hub-"))
    cluster = Cluster.start(durable=True)  # fsync and synchronous commits on, as in production
    try:
        db = cluster.create_database("okr_workshop")
        store = Store(db)
        store.write_workbook(read_workbook(EXAMPLE))
        store.close()
        people = people_to_log_in(db, args.users + 1)
        hub = start_hub(db, scratch / "hub")
        try:
            with start(db, root=scratch, notebooks_dir=ROOT / "notebooks") as serve:
                single, load = asyncio.run(_run(args, hub, serve, people))
        finally:
            hub.stop()
        _report(single, load)
    finally:
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
