"""``measure`` of many SQL sources against running the same queries with plain SQLAlchemy.

In a temporary folder: a SQLite analytics database with one table of events
(100,000 rows by default, indexed on kind and day), a store of an organisation
from ``generate.py`` with at least as many key results as sources, and a
measures file naming one query per key result (a sum over a window of days
before ``:as_of``, the window and kind varying, about a millisecond each).
Then the median of several rounds, after a warm-up, each round running every
one of these in turn (so that a busy machine slows them alike):

- plain: in this process, one engine and one connection running every query
  with ``conn.execute(text(sql), {"as_of": ...}).scalar_one()`` (the yardstick;
  making the engine and the connection is timed too);
- measure: :func:`read_measures` and :func:`measure` with ``jobs`` 1 and 4,
  writing the check-ins (each run replaces the last one's, as a rerun does);
- end to end: ``okr-workshop measure`` in a child process, against a child
  Python process that imports SQLAlchemy and runs the same queries.

The target is 3x the plain run for both comparisons.

    python benchmarks/bench_measure.py                 # 200 sources
    python benchmarks/bench_measure.py --sources 500 --repeat 11
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
import yaml

sys.path.insert(0, str(Path(__file__).parent))
import generate

from okr_workshop.io import read_workbook
from okr_workshop.measure import measure, read_measures
from okr_workshop.store.database import Store

TARGET = 3.0
AS_OF = dt.date(2026, 9, 30)
KINDS = ["signup", "order", "refund", "ticket", "visit"]
FIRST_DAY = dt.date(2026, 1, 1)
WINDOWS = range(7, 43)
"""Days summed by a query: 7 to 42, so that one query takes from a fifth of a millisecond to about two."""

PLAIN_PROCESS = """
import json, sys
import sqlalchemy as sa
url, queries, as_of = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
engine = sa.create_engine(url)
with engine.connect() as conn:
    for sql in queries:
        conn.execute(sa.text(sql), {"as_of": as_of}).scalar_one()
"""
"""The child process the command is compared with: import SQLAlchemy, run every query, nothing else."""


def analytics_db(path: Path, rows: int) -> str:
    """Write a SQLite database of ``rows`` events over the year at ``path``; its SQLAlchemy URL."""
    rng = random.Random(7)
    events = [(i, KINDS[i % len(KINDS)], (FIRST_DAY + dt.timedelta(days=rng.randrange(365))).isoformat(),
               round(rng.uniform(1, 200), 2)) for i in range(rows)]
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
                     "created_at TEXT NOT NULL, amount REAL NOT NULL)")
        conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", events)
        conn.execute("CREATE INDEX events_by_kind_and_day ON events (kind, created_at)")
        conn.commit()
    return f"sqlite:///{path}"


def queries(count: int) -> list[str]:
    """``count`` queries, each the sum of one kind of event over a window of days ending on ``:as_of``."""
    return [f"SELECT coalesce(sum(amount), 0) FROM events WHERE kind = '{KINDS[i % len(KINDS)]}' "
            f"AND created_at > date(:as_of, '-{WINDOWS[i // len(KINDS) % len(WINDOWS)]} days') "
            f"AND created_at <= :as_of"
            for i in range(count)]


def okr_store(folder: Path, key_results: int) -> tuple[Path, list[str]]:
    """A store of an organisation from ``generate.py`` with at least ``key_results`` key results; its path and ids."""
    people = key_results // generate.KRS  # each person's objective brings KRS key results, and teams bring more
    workbook = read_workbook(generate.write(people, folder / "org"))
    path = folder / "okrs.db"
    store = Store(path)
    store.write_workbook(workbook)
    store.close()
    return path, workbook["key_results"]["id"].tolist()[:key_results]


def measures_file(path: Path, url: str, key_results: list[str], sqls: list[str]) -> Path:
    """Write a measures file naming one query per key result."""
    entries = [{"key_result": kr, "db": url, "sql": sql} for kr, sql in zip(key_results, sqls, strict=True)]
    path.write_text(yaml.safe_dump({"measures": entries}, sort_keys=False, width=1000), encoding="utf-8")
    return path


def timed_together(runs: dict[str, Callable[[], None]], repeat: int) -> dict[str, float]:
    """The median wall time of each run over ``repeat`` rounds of all of them, after one warm-up round."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(samples) for name, samples in times.items()}


def run_plain(url: str, sqls: list[str]) -> None:
    """Every query through one engine and one connection, as a short script would."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for sql in sqls:
            conn.execute(sa.text(sql), {"as_of": AS_OF}).scalar_one()
    engine.dispose()


def run_measure(store: Store, path: Path, jobs: int) -> None:
    """Read the measures file, run every source and record the check-ins; fail loudly if a source failed."""
    outcomes = measure(store, read_measures(path), AS_OF, jobs=jobs)
    if failed := [o for o in outcomes if not o.ok]:
        raise SystemExit(f"{len(failed)} sources failed, the first: {failed[0].error}")


def run_child(command: list[str]) -> None:
    """Run ``command``; fail loudly with its error output if it fails."""
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{finished.stderr}")


def against(seconds: float, yardstick: float, name: str) -> str:
    """``seconds`` in milliseconds and as a multiple of ``yardstick``, with the target."""
    return f"{seconds * 1000:7.0f} ms = {seconds / yardstick:5.2f}x {name} (target {TARGET:g}x)"


def main() -> None:
    """Time ``okr-workshop measure`` against the same queries run with plain SQLAlchemy, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--rows", type=int, default=100_000, help="Events in the analytics table.")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okr-bench-measure-") as scratch:
        folder = Path(scratch)
        url = analytics_db(folder / "analytics.db", args.rows)
        sqls = queries(args.sources)
        db, key_results = okr_store(folder, args.sources)
        path = measures_file(folder / "measures.yaml", url, key_results, sqls)
        (folder / "queries.json").write_text(json.dumps(sqls), encoding="utf-8")

        store = Store(db)
        command = Path(sys.executable).with_name("okr-workshop")
        times = timed_together({
            "plain": lambda: run_plain(url, sqls),
            "jobs 1": lambda: run_measure(store, path, 1),
            "jobs 4": lambda: run_measure(store, path, 4),
            "child": lambda: run_child([sys.executable, "-c", PLAIN_PROCESS, url, str(folder / "queries.json"),
                                        AS_OF.isoformat()]),
            "command": lambda: run_child([str(command), "measure", str(path), "--as-of", AS_OF.isoformat(),
                                          "--db", str(db), "--no-progress"]),
        }, args.repeat)
        store.close()

    plain, child = times["plain"], times["child"]
    print(f"{args.sources} SQL sources against a SQLite table of {args.rows:,} events; "
          f"one query takes {plain / args.sources * 1000:.2f} ms on average with plain SQLAlchemy")
    print(f"plain SQLAlchemy, one connection {plain * 1000:7.0f} ms")
    for jobs in ("jobs 1", "jobs 4"):
        print(f"measure, {jobs}                  {against(times[jobs], plain, 'plain')}")
    print(f"python running the queries       {child * 1000:7.0f} ms (a child process)")
    print(f"okr-workshop measure             {against(times['command'], child, 'the child')}")


if __name__ == "__main__":
    main()
