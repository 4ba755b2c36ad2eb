"""Review reports against an empty parameter-only notebook run through papermill on the same kernel.

First the measure the users see (``bench_report_command.py``): one team
report by ``okr-workshop report`` as a process of its own against the
``papermill`` command on the empty notebook, target within 2x. Then, inside
one process, measured side by side in one run, rounds interleaved so that a busy machine
slows every figure alike (``--repeat`` rounds; the median and the minimum are
printed, and the targets are judged on the minimum, the run least disturbed
by whatever else the machine does):

- empty: a notebook holding only the report's parameters cell, through
  ``papermill.execute_notebook`` with the kernel and options the report runner
  uses: kernel start, papermill and nothing else (the yardstick);
- one team report of the example company, and one of the synthetic
  organisation: the review notebook through papermill, as ``okr-workshop
  report`` runs a single report (the kernel reads the store itself); target
  within 2x of empty;
- the company report of the synthetic organisation (5,000 people by
  default), the same way; target within 3x;
- 20 team reports of the synthetic organisation: ``okr-workshop report``
  with ``--jobs 2`` against 20 single runs one after another (HTML, no
  PDF; two alternated tries, the better of each); target 0.75x;

then where a report's time goes: kernel start, imports, reading, scoring,
each section, HTML conversion and PDF printing.

    python benchmarks/bench_reports.py              # 5000 people, 3 rounds
    python benchmarks/bench_reports.py --people 500 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import nbformat
import papermill

sys.path.insert(0, str(Path(__file__).parent))
import bench_report_command
import generate

from okr_workshop.io import read_workbook
from okr_workshop.kernels import papermill_options
from okr_workshop.reports.run import compile_package, default_template, run_reports
from okr_workshop.store.database import Store, database_url

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
TARGETS = {"team": 2.0, "company": 3.0, "parallel": 0.75}
SECTIONS = ["headline", "objectives", "charts", "at_risk", "alignment", "quality", "lessons", "prompts", "carry_over"]


def store_of(folder: Path, db: Path) -> str:
    """The URL of the store at ``db``, which is first given the workbook in ``folder`` when it does not exist."""
    if not db.exists():
        Store(db).write_workbook(read_workbook(folder))
    return database_url(db)


def empty_notebook(path: Path) -> Path:
    """The review notebook's parameters cell and nothing else."""
    template = nbformat.read(default_template(), as_version=4)
    notebook = nbformat.v4.new_notebook(metadata=template.metadata)
    notebook.cells = [cell for cell in template.cells if "parameters" in cell.metadata.get("tags", [])]
    nbformat.write(notebook, path)
    return path


def execute(notebook: Path, scratch: Path, **parameters) -> float:
    """Seconds to run ``notebook`` through papermill as the report runner does."""
    start = time.perf_counter()
    papermill.execute_notebook(str(notebook), str(scratch / "out.ipynb"), parameters=parameters, progress_bar=False,
                               log_output=False, request_save_on_cell_execute=False, **papermill_options())
    return time.perf_counter() - start


BREAKDOWN = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas, numpy
t1 = time.perf_counter()
from okr_workshop.reports import review, trends, insights, sections
import okr_workshop.smart.check
t2 = time.perf_counter()
import datetime as dt
from okr_workshop.reports import data, scope
t3 = time.perf_counter()
read = data.load_quarter(sys.argv[1], sys.argv[2], None, dt.date.fromisoformat(sys.argv[4]),
                         scope.parse_scope(sys.argv[3]))
t4 = time.perf_counter()
review.load_quarter = lambda *args, **kwargs: read  # build on what was just read: visibility and scoring alone
r = review.build(sys.argv[1], sys.argv[2], sys.argv[3], "", sys.argv[4])
t5 = time.perf_counter()
out = {"import pandas and numpy": t1 - t0, "import ours (with pydantic and the checker)": t2 - t1,
       "read the store": t4 - t3, "visibility and scoring": t5 - t4}
for name in %r:
    s = time.perf_counter(); getattr(r, name)(); out["section " + name] = time.perf_counter() - s
print(json.dumps(out))
""".replace("%r", repr(SECTIONS))


def breakdown(db: str, quarter: str, scope: str, as_of: str, repeat: int = 3) -> dict[str, float]:
    """Seconds per step of one report in a fresh Python process (as a kernel would run it), the least of ``repeat``."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", BREAKDOWN, db, quarter, scope, as_of], capture_output=True,
                              text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {step: min(run[step] for run in runs) for step in runs[0]}


def main() -> None:
    """Time the report command, then reports of the example company and of a generated organisation, and print
    them against the targets.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--command-rounds", type=int, default=7,
                        help="rounds of okr-workshop report against the papermill command")
    args = parser.parse_args()

    bench_report_command.report(bench_report_command.measure(args.command_rounds))
    print()

    scratch = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        example = store_of(EXAMPLE, scratch / "example.db")
        org_folder = generate.write(args.people, DATA / f"org-{args.people}")
        org = store_of(org_folder, scratch / "org.db")
        org_quarter, org_as_of = generate.QUARTER, "2026-09-30"
        empty = empty_notebook(scratch / "empty.ipynb")
        template = default_template()
        teams = [f"t{i}" for i in range(args.teams)]
        base = {"viewer": "", "snapshot": ""}
        runs = {
            "empty": lambda: execute(empty, scratch, db=example, quarter="2026-Q4", scope="team:fleet",
                                     as_of="2026-11-20", **base),
            "team (example company)": lambda: execute(template, scratch, db=example, quarter="2026-Q4",
                                                      scope="team:fleet", as_of="2026-11-20", **base),
            f"team ({args.people:,} people)": lambda: execute(template, scratch, db=org, quarter=org_quarter,
                                                               scope=f"team:{teams[7 % len(teams)]}", as_of=org_as_of,
                                                               **base),
            f"company ({args.people:,} people)": lambda: execute(template, scratch, db=org, quarter=org_quarter,
                                                                  scope="company", as_of=org_as_of, **base),
        }
        compile_package()  # as okr-workshop report does before it starts kernels
        runs["empty"]()  # warm up papermill and the kernel spec
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, run in runs.items():
                times[name].append(run())
        base = {"median": median(times["empty"]), "min": min(times["empty"])}
        print(f"papermill runs, {args.repeat} rounds (seconds; ratio to the empty notebook; on a shared machine the "
              "minimum is the run least disturbed by other work):")
        print(f"  {'':28} {'median':>7} {'ratio':>6}   {'min':>6} {'ratio':>6}")
        for name, values in times.items():
            target = next((TARGETS[scope] for scope in ("company", "team") if name.startswith(scope)), None)
            low = min(values) / base["min"]
            verdict = "" if target is None else f"  target {target:g}x: {'ok' if low <= target else 'MISSED'}"
            print(f"  {name:28} {median(values):6.2f}s {median(values) / base['median']:5.2f}x  {min(values):6.2f}s "
                  f"{low:5.2f}x{verdict}")

        out = scratch / "reports"
        single = run_reports(example, "2026-Q4", ["team:fleet"], as_of="2026-11-20", formats=("html", "pdf"), jobs=1,
                             out=out, progress=False)[0]
        print("\none team report end to end (okr-workshop report, example company): "
              + ", ".join(f"{k} {v:.2f} s" for k, v in single.timings.items()))

        def one_by_one() -> float:
            start = time.perf_counter()
            for team in teams:
                run_reports(org, org_quarter, [f"team:{team}"], as_of=org_as_of, formats=("html",), jobs=1, out=out,
                            progress=False)
            return time.perf_counter() - start

        def together(jobs: int) -> float:
            start = time.perf_counter()
            outcomes = run_reports(org, org_quarter, [f"team:{t}" for t in teams], as_of=org_as_of, formats=("html",),
                                   jobs=jobs, out=out, progress=False)
            assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
            return time.perf_counter() - start

        serial, parallel = [], []
        for _ in range(2):  # alternated, so that a busy spell slows both alike
            serial.append(one_by_one())
            parallel.append(together(2))
        one_run = together(1)
        ratio = min(parallel) / min(serial)
        print(f"\n{len(teams)} team reports ({args.people:,} people, HTML; the better of two alternated tries):")
        print(f"  {len(teams)} single runs one after another {min(serial):6.1f} s")
        print(f"  one run, --jobs 2                {min(parallel):6.1f} s  {ratio:5.2f}x  target "
              f"{TARGETS['parallel']:g}x: {'ok' if ratio <= TARGETS['parallel'] else 'MISSED'}")
        print(f"  one run, --jobs 1 (for scale)    {one_run:6.1f} s  {one_run / min(serial):5.2f}x")
        base_time = base["min"]

        print("\nwhere a report's time goes (seconds, the least of three fresh processes per report; kernel start from "
              "the empty run):")
        rows = {
            "team (example company)": breakdown(example, "2026-Q4", "team:fleet", "2026-11-20"),
            f"company ({args.people:,} people)": breakdown(org, org_quarter, "company", org_as_of),
        }
        names = list(next(iter(rows.values())))
        print(f"  {'step':42} " + " ".join(f"{n[:24]:>24}" for n in rows))
        print(f"  {'kernel start and papermill (empty, min)':42} " + " ".join(f"{base_time:24.3f}" for _ in rows))
        for step in names:
            print(f"  {step:42} " + " ".join(f"{r[step]:24.3f}" for r in rows.values()))
        print(f"  {'HTML conversion (example team)':42} {single.timings.get('html', 0):24.3f}")
        print(f"  {'PDF printing (example team)':42} {single.timings.get('pdf', 0):24.3f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
