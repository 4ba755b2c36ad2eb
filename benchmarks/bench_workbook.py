"""Validate and import against pandas reading the same CSV files, for organisations of several sizes.

For each size N the organisation from ``generate.py`` is written once (cached
under ``benchmarks/data``), then, in this process and warm, the median of
several runs of:

- pandas: ``pd.read_csv`` of every CSV file, nothing else (the yardstick);
- validate: :func:`okr_workshop.io.read_workbook` (read, type, check everything);
- import: read and check, then store everything in a fresh SQLite file;
- sqlite floor: the driver's own ``executemany`` of the same check-ins into
  an empty copy of the store, which is what SQLite costs on this machine;

and, in a child process, the peak memory of ``okr-workshop import``.

    python benchmarks/bench_workbook.py            # 500, 5000 and 20000 people
    python benchmarks/bench_workbook.py 5000       # one size
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
import generate

from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store

DATA = Path(__file__).parent / "data"
TARGETS = {"validate": 3.0, "import": 6.0}


def timed(func, repeat: int, setup=None) -> float:
    """Median wall time of ``repeat`` calls after one warm-up call; ``setup`` runs untimed before each call."""
    if setup is not None:
        setup()
    func()
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pandas_read(folder: Path) -> None:
    """Read every CSV table in ``folder`` with plain pandas: the floor reading a workbook is compared with."""
    for path in sorted(folder.glob("*.csv")):
        pd.read_csv(path)


def import_fresh(folder: Path, scratch: Path) -> None:
    """Import the workbook in ``folder`` into a new store in ``scratch``, as a first import does."""
    db = scratch / "bench.db"
    for leftover in scratch.glob("bench.db*"):
        leftover.unlink()
    store = Store(db)
    store.write_workbook(read_workbook(folder, known=store.known_ids()))
    store.close()


def sqlite_floor(folder: Path, scratch: Path) -> float:
    """Seconds for the driver alone to insert the check-ins into an empty store with its parents present."""
    db = scratch / "floor.db"
    for leftover in scratch.glob("floor.db*"):
        leftover.unlink()
    store = Store(db)
    workbook = read_workbook(folder)
    checkins = workbook["checkins"]
    store.write_workbook(workbook.__class__(tables={n: f for n, f in workbook.tables.items() if n != "checkins"}))
    store.close()
    rows = list(zip(checkins["key_result"], checkins["date"].dt.strftime("%Y-%m-%d"), checkins["value"],
                    checkins["confidence"], checkins["note"], checkins["author"], strict=True))
    conn = sqlite3.connect(db)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536"):
        conn.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    conn.executemany("INSERT INTO checkins (key_result, date, value, confidence, note, author, recorded_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, '2026-11-23 00:00:00')", rows)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def peak_memory_mb(folder: Path, scratch: Path) -> float:
    """Peak resident memory of ``okr-workshop import`` in a child process, in MB."""
    db = scratch / "memory.db"
    # VmHWM is the child's own peak; ru_maxrss would report this process's when the child was started with
    # vfork, as subprocess does.
    code = (
        "import re, resource, sys; from okr_workshop.cli import main\n"
        "try:\n    main([ 'import', sys.argv[1], '--db', sys.argv[2]])\nexcept SystemExit:\n    pass\n"
        "try:\n    print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
        "except OSError:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder), str(db)], capture_output=True, text=True,
                         check=True)
    return int(out.stdout.split()[-1]) / 1024


def main() -> None:
    """Time validating and importing generated organisations of each size against reading their CSV files with
    pandas, and print the ratios.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="okr-bench-"))
    header = (f"{'people':>7} {'check-ins':>10} {'pandas s':>9} {'validate s':>10} {'ratio':>6} "
              f"{'import s':>9} {'ratio':>6} {'sqlite floor s':>14} {'peak MB':>8}")
    print(header)
    results = []
    try:
        for size in args.sizes:
            folder = generate.write(size, DATA / f"org-{size}")
            repeat = args.repeat if size <= 5000 else max(1, args.repeat // 2)
            base = timed(lambda f=folder: pandas_read(f), repeat)
            validate = timed(lambda f=folder: read_workbook(f), repeat)
            imported = timed(lambda f=folder: import_fresh(f, scratch), max(1, repeat // 2))
            floor = sqlite_floor(folder, scratch)
            memory = peak_memory_mb(folder, scratch)
            checkins = sum(1 for _ in (folder / "checkins.csv").open()) - 1
            results.append((size, validate / base, imported / base))
            print(f"{size:>7} {checkins:>10,} {base:>9.3f} {validate:>10.3f} {validate / base:>6.2f} "
                  f"{imported:>9.3f} {imported / base:>6.2f} {floor:>14.3f} {memory:>8.0f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print()
    for size, v, i in results:
        verdict = [f"{step} {ratio:.2f}x (target {TARGETS[step]:g}x: {'met' if ratio <= TARGETS[step] else 'MISSED'})"
                   for step, ratio in (("validate", v), ("import", i))]
        print(f"N={size}: " + "; ".join(verdict))


if __name__ == "__main__":
    main()
