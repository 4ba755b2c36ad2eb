"""Load figures: many writers checking in at once on each backend, and how many participants one machine holds.

Part 1, check-ins: ``--processes`` processes (default 8), each with its own
store, record ``--checkins`` check-ins each (default 500) through
:func:`okr_workshop.tracking.checkins.record_checkin`, all starting together, on SQLite
(a file) and on PostgreSQL (a throwaway server from Debian's binaries, see
``tests/pg.py``, with fsync and synchronous commits on as in production, or
``--pg URL``). Prints the throughput (check-ins per second,
wall clock from the common start to the last commit), the median, 99th
percentile and slowest save, and checks that every row is in the store.

Part 2, participants: ``okr_workshop.server.start`` runs Voila as a workshop
does; chromium (Debian's, through Playwright) opens ``--app`` (default
``03_individual_okrs``) in one browser context per participant, each a
kernel of its own, and picks a different person in each. At each step of
``--participants`` (default 10 20 40 60) it reads the memory of the server's
kernels (RSS and PSS from ``/proc``) and times keystroke-to-feedback with
everyone typing: every page gets a key result but its last character, then
the last character goes to all pages at once (``--steady``: one page after
another, the way a room types), and each page times from its keydown to its
feedback changing (the timer of ``bench_voila.py``). It stops at the first
step whose median passes 300 ms, and estimates how many kernels the
machine's memory holds. The browsers run on the same machine, so the
figures are on the safe side.

    python benchmarks/bench_load.py                 # both parts, about 5 to 8 minutes on 2 cores
    python benchmarks/bench_load.py --skip-voila    # check-ins only
    python benchmarks/bench_load.py --skip-checkins --participants 5 10
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
sys.path.insert(0, str(ROOT / "tests"))  # tests/pg.py: the throwaway PostgreSQL server
sys.path.insert(0, str(ROOT / "benchmarks"))

LATENCY_TARGET_MS = 300.0
DEBOUNCE_S = 0.12
"""The pause after a keystroke before the form checks (``okr_workshop.apps.base.Debouncer``)."""
MEMORY_GIB = 24.0


# --------------------------------------------------------------------------- part 1: check-ins


def _checkin_worker(db: str, worker: int, count: int, key_results: list[str], people: list[str],
                    start, results) -> None:
    from okr_workshop.store.database import Store  # noqa: PLC0415
    from okr_workshop.tracking.checkins import record_checkin  # noqa: PLC0415

    store = Store(db)
    timings = []
    start.wait()
    for n in range(count):
        began = time.perf_counter()
        record_checkin(store, key_results[(worker * count + n) % len(key_results)], n % 100,
                       confidence=0.5, note=f"load {worker}-{n}", author=people[worker % len(people)],
                       date="2026-11-20")
        timings.append(time.perf_counter() - began)
    store.close()
    results.put((worker, timings))


def checkin_load(db: str, processes: int, count: int) -> dict:
    """Run the writers against ``db`` (holding the example company); their figures."""
    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.store.database import Store  # noqa: PLC0415

    store = Store(db)
    store.write_workbook(read_workbook(EXAMPLE))
    book = store.read_workbook()
    key_results, people = book["key_results"]["id"].tolist(), book["people"]["id"].tolist()
    before = store.counts()["checkins"]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["okr_workshop.tracking.checkins", "okr_workshop.store.database"])
    start, results = context.Barrier(processes + 1), context.Queue()
    workers = [context.Process(target=_checkin_worker, args=(db, w, count, key_results, people, start, results))
               for w in range(processes)]
    for process in workers:
        process.start()
    start.wait(timeout=300)
    began = time.perf_counter()
    timings = [results.get(timeout=600) for _ in workers]
    wall = time.perf_counter() - began
    for process in workers:
        process.join(60)
        if process.exitcode != 0:
            raise SystemExit(f"a writer failed (exit {process.exitcode})")
    saves = sorted(t for _, worker_timings in timings for t in worker_timings)
    frame = store.read_workbook()["checkins"]
    notes = set(frame["note"].dropna())
    missing = [f"load {w}-{n}" for w in range(processes) for n in range(count) if f"load {w}-{n}" not in notes]
    after = store.counts()["checkins"]
    store.close()
    return {
        "rows": after - before, "expected": processes * count, "missing": len(missing), "wall_s": wall,
        "per_s": processes * count / wall, "median_ms": 1000 * statistics.median(saves),
        "p99_ms": 1000 * saves[max(math.ceil(0.99 * len(saves)) - 1, 0)], "max_ms": 1000 * saves[-1],
    }


def part_checkins(args) -> None:
    """Part 1: writer processes save check-ins at once, on SQLite and PostgreSQL; print the throughput, the save
    times and whether every row arrived.
    """
    print(f"== check-ins: {args.processes} processes x {args.checkins}, each with its own store")
    scratch = Path(tempfile.mkdtemp(prefix="okr-bench-load-"))
    backends: list[tuple[str, str]] = [("sqlite", str(scratch / "workshop.db"))]
    cluster = None
    if args.pg:
        backends.append(("postgresql", args.pg))
    else:
        from pg import Cluster, postgres_missing  # noqa: PLC0415

        if reason := postgres_missing():
            print(f"postgresql: skipped ({reason})")
        else:
            cluster = Cluster.start(durable=True)  # fsync and synchronous commits on, as in production
            backends.append(("postgresql", cluster.create_database("bench_load")))
    try:
        for name, db in backends:
            figures = checkin_load(db, args.processes, args.checkins)
            verdict = "all present" if figures["rows"] == figures["expected"] and not figures["missing"] else \
                f"MISSING {figures['expected'] - figures['rows']} rows"
            print(f"{name:10s} {figures['rows']:,} check-ins in {figures['wall_s']:.1f} s: "
                  f"{figures['per_s']:,.0f} check-ins/s; save median {figures['median_ms']:.1f} ms, "
                  f"p99 {figures['p99_ms']:.0f} ms, slowest {figures['max_ms']:.0f} ms; {verdict}")
    finally:
        if cluster is not None:
            cluster.stop()


# --------------------------------------------------------------------------- part 2: participants


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """RSS and PSS of a process, in KiB (0, 0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as smaps:
            pss = next(int(line.split()[1]) for line in smaps if line.startswith("Pss:"))
        return rss, pss
    except (OSError, StopIteration):
        return 0, 0


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def kernels_of(server_pid: int) -> list[int]:
    """The kernel processes a Voila server started."""
    pids = []
    for pid in _descendants(server_pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"ipykernel_launcher" in cmdline.read():
                    pids.append(pid)
        except OSError:
            continue
    return pids


_ARM_ALL = """([inputSelector, feedbackSelector]) => {
    const text = () => { const el = document.querySelector(feedbackSelector); return el ? el.innerText : null; };
    const baseline = text();
    const state = window.__okrLatency = {start: null, end: null};
    document.querySelector(inputSelector).addEventListener("keydown", () => {
        if (state.start === null) state.start = performance.now(); }, {once: true});
    const observer = new MutationObserver(() => {
        if (state.start === null || state.end !== null) return;
        if (text() !== baseline) { state.end = performance.now(); observer.disconnect(); }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""
INPUT = ".okr-kr-title input"
FEEDBACK = ".okr-feedback"
TEXTS = ["Raise activation from 20% to 3", "Cut refunds from 40 to 2", "Grow weekly signups from 80 to 9",
         "Raise NPS from 31 to 4"]
"""Key results whose last character changes the feedback (a target appears); checked before the run."""


def _check_texts() -> None:
    from okr_workshop.apps.forms import feedback_html  # noqa: PLC0415
    from okr_workshop.smart.check import check_key_result  # noqa: PLC0415

    for text in TEXTS:
        if feedback_html(check_key_result(text[:-1])) == feedback_html(check_key_result(text)):
            raise SystemExit(f"typing the last character of {text!r} changes no feedback: pick another text")


async def open_participants(browser, url: str, first: int, count: int, timeout_ms: float = 240_000) -> list:
    """``count`` new participants at once, each in a browser context of its own, each picking a different person."""

    async def one(index: int):
        page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
        await page.goto(url, wait_until="commit", timeout=timeout_ms)
        picker = page.locator("select").first
        try:
            await picker.wait_for(state="visible", timeout=timeout_ms / 2)
        except Exception:  # a page stuck while the machine was busy: a participant reloads
            print(f"  participant {index}: no app after {timeout_ms / 2000:.0f} s, reloading", flush=True)
            await page.reload(wait_until="commit", timeout=timeout_ms)
            await picker.wait_for(state="visible", timeout=timeout_ms)
        options = await picker.locator("option").count()
        await picker.select_option(index=1 + index % max(options - 1, 1))
        await page.locator(INPUT).first.wait_for(state="visible", timeout=timeout_ms)
        return page

    return list(await asyncio.gather(*(one(i) for i in range(first, first + count))))


async def burst_latencies(pages, round_number: int, steady: bool = False, settle_s: float = 2.5,
                          timeout_ms: float = 30_000, server_pids: list[int] = ()) -> tuple[list[float], float, float]:
    """Everyone types: ms from each page's key press to its feedback changing (inf when it never did).

    The presses go to all pages concurrently, or with ``steady`` one after
    another (each waiting for the last to be sent); also returns the ms from
    the first press sent to the last one done, the window the keystrokes fell in,
    and the CPU seconds ``server_pids`` (the server and its kernels) used meanwhile.
    """
    text = TEXTS[round_number % len(TEXTS)]
    await asyncio.gather(*(page.locator(INPUT).first.fill(text[:-1]) for page in pages))
    await asyncio.sleep(settle_s)
    await asyncio.gather(*(page.evaluate(_ARM_ALL, [INPUT, FEEDBACK]) for page in pages))
    cpu = cpu_seconds(server_pids)
    sending = time.perf_counter()
    if steady:
        for page in pages:
            await page.locator(INPUT).first.press(text[-1], no_wait_after=True)
    else:
        await asyncio.gather(*(page.locator(INPUT).first.press(text[-1], no_wait_after=True) for page in pages))
    window_ms = 1000 * (time.perf_counter() - sending)

    async def latency(page) -> float:
        try:
            await page.wait_for_function("() => window.__okrLatency.end !== null", timeout=timeout_ms)
            state = await page.evaluate("() => window.__okrLatency")
            return state["end"] - state["start"]
        except Exception:  # a page that never answered counts as infinitely slow
            return float("inf")

    samples = list(await asyncio.gather(*(latency(page) for page in pages)))
    return samples, window_ms, cpu_seconds(server_pids) - cpu


async def _participant_steps(args, url: str, server_pid: int) -> list[tuple]:
    from bench_voila import CHROMIUM, CHROMIUM_ARGS  # noqa: PLC0415
    from playwright.async_api import async_playwright  # noqa: PLC0415

    rows = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages: list = []
        began = time.perf_counter()
        for target in args.participants:
            opening = time.perf_counter()
            while len(pages) < target:
                pages += await open_participants(browser, url, len(pages), min(5, target - len(pages)))
            opened = time.perf_counter() - opening
            samples, windows, cpu = [], [], 0.0
            kernels = kernels_of(server_pid)
            for round_number in range(args.rounds):
                latencies, window, used = await burst_latencies(pages, round_number, steady=args.steady,
                                                                server_pids=[server_pid, *kernels])
                samples += latencies
                windows.append(window)
                cpu += used
            memory = [_memory_kib(pid) for pid in kernels]
            rss = [m[0] / 1024 for m in memory if m[0]]
            pss = [m[1] / 1024 for m in memory if m[1]]
            server_rss = _memory_kib(server_pid)[0] / 1024
            ordered = sorted(samples)
            median = statistics.median(ordered)
            p90 = ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]  # nearest rank
            per_key_ms = 1000 * cpu / (args.rounds * len(pages))
            rows.append((target, len(kernels), statistics.median(rss), sum(pss), median, p90, per_key_ms))
            print(f"{target:3d} participants ({len(kernels)} kernels, +{opened:.0f} s to open): kernel RSS median "
                  f"{statistics.median(rss):.0f} MiB, PSS {statistics.median(pss):.0f} MiB each, "
                  f"{sum(pss) / 1024:.2f} GiB together (server {server_rss:.0f} MiB); feedback with everyone "
                  f"typing (keys within {statistics.median(windows):.0f} ms): median {median:.0f} ms, "
                  f"p90 {p90:.0f} ms, slowest {ordered[-1]:.0f} ms; {per_key_ms:.0f} ms CPU per keystroke "
                  f"(server and kernel); load average {os.getloadavg()[0]:.1f}", flush=True)
            if median > LATENCY_TARGET_MS or time.perf_counter() - began > args.budget:
                break
        await browser.close()
    return rows


def part_participants(args) -> None:
    """Part 2: more and more participants type into one app; print the feedback time and memory at each step,
    and how many participants this machine holds.
    """
    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.server import start  # noqa: PLC0415
    from okr_workshop.store.database import Store  # noqa: PLC0415

    how = "one after another" if args.steady else "at once"
    print(f"== participants: {args.app} in one browser context (one kernel) each; everyone types {how}")
    _check_texts()
    scratch = Path(tempfile.mkdtemp(prefix="okr-bench-voila-load-"))
    db = scratch / "workshop.db"
    store = Store(db)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    total_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with start(db) as server:
        url = f"{server.base_url}voila/render/{args.app}.ipynb?token={server.token}"
        rows = asyncio.run(_participant_steps(args, url, server.process.pid))
    shutil.rmtree(scratch, ignore_errors=True)
    last_ok = max((r[0] for r in rows if r[4] <= LATENCY_TARGET_MS), default=0)
    first_slow = next((r[0] for r in rows if r[4] > LATENCY_TARGET_MS), None)
    per_kernel_mib = max(r[3] / max(r[1], 1) for r in rows)
    memory_holds = int((min(total_gib, MEMORY_GIB) * 1024 - 1024) / per_kernel_mib)  # 1 GiB for system and server
    print(f"feedback under {LATENCY_TARGET_MS:.0f} ms (median) up to {last_ok} participants"
          + (f"; above it at {first_slow}" if first_slow else f"; not passed by {rows[-1][0]}"))
    print(f"memory: {per_kernel_mib:.0f} MiB per kernel (PSS) -> {min(total_gib, MEMORY_GIB):.0f} GiB hold about "
          f"{memory_holds} kernels")
    per_key = statistics.median(r[6] for r in rows)
    cores = os.cpu_count() or 1
    print(f"cpu: {per_key:.0f} ms per keystroke -> {cores} cores answer about {1000 * cores / per_key:.0f} "
          f"keystrokes a second; everyone at once within {LATENCY_TARGET_MS:.0f} ms (less the "
          f"{1000 * DEBOUNCE_S:.0f} ms pause the form waits for): about "
          f"{cores * (LATENCY_TARGET_MS - 1000 * DEBOUNCE_S) / per_key:.0f} participants")


def main() -> None:
    """Run part 1 (check-ins) and part 2 (participants), each unless skipped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8, help="writer processes (part 1)")
    parser.add_argument("--checkins", type=int, default=500, help="check-ins per writer (part 1)")
    parser.add_argument("--pg", help="a postgresql:// URL of an empty database (default: a throwaway server)")
    parser.add_argument("--participants", type=int, nargs="+", default=[10, 20, 40, 60],
                        help="participants at each step (part 2)")
    parser.add_argument("--rounds", type=int, default=3, help="everyone-types-at-once rounds per step (part 2)")
    parser.add_argument("--app", default="03_individual_okrs", help="the notebook each participant opens")
    parser.add_argument("--budget", type=float, default=480, help="seconds after which part 2 takes no more steps")
    parser.add_argument("--steady", action="store_true",
                        help="participants press their key one after another, not all at once (part 2)")
    parser.add_argument("--skip-checkins", action="store_true")
    parser.add_argument("--skip-voila", action="store_true")
    args = parser.parse_args()
    if not args.skip_checkins:
        part_checkins(args)
    if not args.skip_voila:
        part_participants(args)


if __name__ == "__main__":
    main()
