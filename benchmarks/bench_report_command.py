"""One team report end to end, as a user runs it, against an empty notebook run through the ``papermill`` command.

Both are separate processes, timed from start to exit, in alternating
rounds (which goes first alternates too) so that a busy spell slows both
alike:

- report: ``okr-workshop report --quarter 2026-Q4 --team fleet --format html
  --as-of 2026-11-27 --out DIR --db DB`` on the example company (process
  start, the command, the kernel running the review notebook, the HTML page
  and the index);
- papermill: ``papermill EMPTY.ipynb OUT.ipynb -k python3 -p db DB -p quarter
  2026-Q4 -p scope team:fleet -p as_of 2026-11-27``, where EMPTY holds only
  the review notebook's parameters cell (process start, papermill, a kernel
  and nothing else: the yardstick).

The median and the minimum of each are printed with their ratio; the target
(within 2x) is judged on the minimum, the round least disturbed by whatever
else the machine does. ``--explain`` adds where the report command's time
goes.

    python benchmarks/bench_report_command.py              # 7 rounds
    python benchmarks/bench_report_command.py --rounds 3 --explain
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
TEMPLATE = ROOT / "templates" / "quarterly_review.ipynb"
TARGET = 2.0
QUARTER, TEAM, AS_OF = "2026-Q4", "fleet", "2026-11-27"


def example_store(path: Path) -> Path:
    """A new store at ``path`` holding the example company."""
    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.store.database import Store  # noqa: PLC0415

    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    return path


def empty_notebook(path: Path) -> Path:
    """The review notebook's parameters cell and nothing else."""
    template = nbformat.read(TEMPLATE, as_version=4)
    notebook = nbformat.v4.new_notebook(metadata=template.metadata)
    notebook.cells = [cell for cell in template.cells if "parameters" in cell.metadata.get("tags", [])]
    nbformat.write(notebook, path)
    return path


def commands(db: Path, empty: Path, scratch: Path) -> dict[str, list[str]]:
    """The two commands timed against each other: ``okr-workshop report`` for one team, and papermill running
    the ``empty`` notebook with the same parameters.
    """
    return {
        "report": [str(BIN / "okr-workshop"), "report", "--quarter", QUARTER, "--team", TEAM, "--format", "html",
                   "--as-of", AS_OF, "--out", str(scratch / "reports"), "--db", str(db)],
        "papermill": [str(BIN / "papermill"), str(empty), str(scratch / "out.ipynb"), "-k", "python3",
                      "-p", "db", str(db), "-p", "quarter", QUARTER, "-p", "scope", f"team:{TEAM}",
                      "-p", "as_of", AS_OF],
    }


def timed(command: list[str], env: dict | None = None) -> float:
    """Seconds from the process's start to its exit; a failure stops the benchmark with its output."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds


def measure(rounds: int) -> dict[str, list[float]]:
    """Seconds of each command per round (after one round to warm the disk cache)."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-command-"))
    try:
        db = example_store(scratch / "example.db")
        empty = empty_notebook(scratch / "empty.ipynb")
        runs = commands(db, empty, scratch)
        for command in runs.values():
            timed(command)
        if not (scratch / "reports" / f"team-{TEAM}.html").is_file():
            sys.exit("okr-workshop report wrote no team-fleet.html")
        times: dict[str, list[float]] = {name: [] for name in runs}
        names = list(runs)
        for turn in range(rounds):
            for name in names if turn % 2 == 0 else names[::-1]:
                times[name].append(timed(runs[name]))
        return times
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(times: dict[str, list[float]]) -> float:
    """Print both figures and the ratio; returns the ratio of the minimums."""
    rounds = len(times["report"])
    low = min(times["report"]) / min(times["papermill"])
    middle = statistics.median(times["report"]) / statistics.median(times["papermill"])
    print(f"one team report end to end against an empty notebook through the papermill command, {rounds} alternating "
          "rounds (seconds, process start to exit):")
    print(f"  {'':44} {'median':>7} {'min':>7}")
    print(f"  {'okr-workshop report --team fleet --format html':44} {statistics.median(times['report']):6.2f}s "
          f"{min(times['report']):6.2f}s")
    print(f"  {'papermill EMPTY.ipynb (parameters cell only)':44} {statistics.median(times['papermill']):6.2f}s "
          f"{min(times['papermill']):6.2f}s")
    print(f"  {'ratio':44} {middle:6.2f}x {low:6.2f}x   target {TARGET:g}x (on the min): "
          f"{'ok' if low <= TARGET else 'MISSED'}")
    return low


EXPLAIN = r"""
import json, sys, time
marks = {}
t0 = time.perf_counter()
import okr_workshop.cli
marks["import the CLI"] = time.perf_counter() - t0
from okr_workshop.reports import run
seen = {}
real = run.render
def render(*args, **kwargs):
    outcome = real(*args, **kwargs)
    seen.update(outcome.timings)
    return outcome
run.render = render
t1 = time.perf_counter()
try:
    okr_workshop.cli.main(sys.argv[1:], standalone_mode=False)
finally:
    marks["the command"] = time.perf_counter() - t1
    marks.update({"  of which " + k: v for k, v in seen.items()})
    print(json.dumps(marks), file=sys.stderr)
"""


def explain(rounds: int) -> None:
    """Where the report command's time goes: the least of ``rounds`` processes per step."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-command-"))
    try:
        db = example_store(scratch / "example.db")
        command = commands(db, scratch / "unused.ipynb", scratch)["report"]
        steps: dict[str, list[float]] = {}
        for _ in range(rounds):
            steps.setdefault("python -c pass (interpreter start)", []).append(
                timed([str(BIN / "python"), "-c", "pass"]))
            steps.setdefault("okr-workshop --version (start and the CLI)", []).append(
                timed([str(BIN / "okr-workshop"), "--version"]))
            done = subprocess.run([str(BIN / "python"), "-c", EXPLAIN, *command[1:]], capture_output=True, text=True,
                                  check=True)
            for name, seconds in json.loads(done.stderr.strip().splitlines()[-1]).items():
                steps.setdefault(name, []).append(seconds)
        print(f"\nwhere the report command's time goes (seconds, the least of {rounds} processes):")
        for name, values in steps.items():
            print(f"  {name:52} {min(values):6.3f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    """Time the report command against papermill and print the figures (``--explain``: and where the time goes)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="also show where the report command's time goes")
    args = parser.parse_args()
    os.environ.pop("OKR_WORKSHOP_DB", None)
    report(measure(args.rounds))
    if args.explain:
        explain(min(args.rounds, 3))


if __name__ == "__main__":
    main()
