"""20 team reports on a Dask cluster of two workers against ``--jobs 2`` threads, side by side on the same store.

Both runs are :func:`okr_workshop.reports.run.run_reports` as ``okr-workshop
report --all-teams`` calls it, on the synthetic organisation of
``generate.py`` (HTML, no PDF), in alternating rounds so that a busy spell
slows both alike:

- threads: ``--jobs 2``, two kernels at a time on threads of this process;
- dask: ``--executor dask --scheduler ADDRESS`` on a ``LocalCluster`` of two
  worker processes of one thread each, started once before the rounds (as a
  cluster on a hub is up before the run): every report travels to a worker
  as a task, runs there, and its page comes back to be written here.

The minimum and the median of each are printed with their ratio (target:
dask within 1.2x of threads, on the minimum, the round least disturbed), the
cluster's start-up (what a run of ``--executor dask`` without
``--scheduler`` adds), and the reports per minute per worker the cluster
made, the figure to size a cluster with (docs/dask.md).

``--store postgresql`` runs both on a throwaway PostgreSQL server
(``tests/pg.py``) instead of a SQLite file: then the threads' kernels share
one snapshot of the quarter and each of the cluster's kernels reads the store.

    python benchmarks/bench_report_dask.py                 # 5000 people, SQLite, 2 rounds
    python benchmarks/bench_report_dask.py --store postgresql --people 500 --rounds 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tests/pg.py: the throwaway PostgreSQL server
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

from okr_workshop.io import read_workbook  # noqa: E402
from okr_workshop.reports.executors import DaskExecutor, local_cluster  # noqa: E402
from okr_workshop.reports.run import run_reports  # noqa: E402
from okr_workshop.store.database import Store  # noqa: E402

DATA = Path(__file__).parent / "data"
TARGET = 1.2
WORKERS = 2
AS_OF = "2026-09-30"


def fill(db: str | Path, people: int) -> str | Path:
    """Write the synthetic organisation of ``people`` into the new store ``db``; returns ``db``."""
    store = Store(db)
    store.write_workbook(read_workbook(generate.write(people, DATA / f"org-{people}")))
    store.close()
    return db


def timed_run(db: str | Path, teams: list[str], out: Path, **how) -> float:
    """Seconds for one run of every team's report; a failed report stops the benchmark."""
    start = time.perf_counter()
    outcomes = run_reports(db, generate.QUARTER, [f"team:{t}" for t in teams], as_of=AS_OF, formats=("html",),
                           out=out, progress=False, **how)
    seconds = time.perf_counter() - start
    if failed := [f"{o.scope}: {o.error}" for o in outcomes if not o.ok]:
        sys.exit("reports failed:\n" + "\n".join(failed))
    return seconds


def measure(db: str | Path, teams: list[str], rounds: int, scratch: Path) -> tuple[dict[str, list[float]], float]:
    """Seconds per round of each executor, and the seconds the local cluster took to start."""
    start = time.perf_counter()
    with local_cluster(WORKERS) as cluster, DaskExecutor(cluster.scheduler_address) as dask:
        started = time.perf_counter() - start
        how = {"threads": {"jobs": WORKERS}, "dask": {"executor": dask}}
        for options in how.values():  # warm up: the disk cache, and papermill imported in each worker
            timed_run(db, teams[:WORKERS], scratch / "warm-up", **options)
        times: dict[str, list[float]] = {name: [] for name in how}
        names = list(how)
        for turn in range(rounds):
            for name in names if turn % 2 == 0 else names[::-1]:
                times[name].append(timed_run(db, teams, scratch / name, **how[name]))
    return times, started


def report(times: dict[str, list[float]], started: float, teams: int, people: int, store: str) -> float:
    """Print both figures, their ratio and the reports per minute per worker; returns the ratio of the minimums."""
    low = min(times["dask"]) / min(times["threads"])
    middle = statistics.median(times["dask"]) / statistics.median(times["threads"])
    print(f"{teams} team reports ({people:,} people, {store}, HTML), {len(times['dask'])} alternating rounds "
          "(seconds):")
    print(f"  {'':52} {'median':>7} {'min':>7}")
    print(f"  {'threads: --jobs 2':52} {statistics.median(times['threads']):6.1f}s {min(times['threads']):6.1f}s")
    print(f"  {'dask: LocalCluster, 2 worker processes x 1 thread':52} {statistics.median(times['dask']):6.1f}s "
          f"{min(times['dask']):6.1f}s")
    print(f"  {'ratio dask / threads':52} {middle:6.2f}x {low:6.2f}x   target {TARGET:g}x (on the min): "
          f"{'ok' if low <= TARGET else 'MISSED'}")
    print(f"  cluster start-up (added by --executor dask without --scheduler): {started:.1f} s")
    per_worker = teams / (min(times["dask"]) / 60) / WORKERS
    print(f"  reports per minute per worker (dask, best round): {per_worker:.1f}")
    return low


def main() -> None:
    """Time the teams' reports of a generated organisation on threads and on a local Dask cluster, and print
    the figures.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    if args.people // 8 < args.teams:
        parser.error(f"{args.people} people make {args.people // 8} teams; ask for at least {args.teams * 8}")
    teams = [f"t{i}" for i in range(args.teams)]
    scratch = Path(tempfile.mkdtemp(prefix="bench-report-dask-"))
    server = None
    try:
        if args.store == "postgresql":
            from pg import Cluster  # noqa: PLC0415

            server = Cluster.start(durable=True)  # as a production server runs
            db = fill(server.create_database(), args.people)
        else:
            db = fill(scratch / "org.db", args.people)
        times, started = measure(db, teams, args.rounds, scratch)
        report(times, started, args.teams, args.people, args.store)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
