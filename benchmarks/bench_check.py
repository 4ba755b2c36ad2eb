"""The SMART check against loading the workbook it checks, and the latency of one live check.

- whole workbook: an organisation from ``generate.py`` with about 50,000 key
  results (15,000 people); load = :func:`read_workbook` of its CSV folder,
  check = :func:`check_workbook`; also against a load of the objectives and key
  results alone (no check-ins), the stricter yardstick;
- live feedback: :func:`check_key_result` on varied titles, as the apps call it
  on every pause in typing; median and 95th percentile in milliseconds.

    python benchmarks/bench_check.py [PEOPLE]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate
from bench_workbook import timed

from okr_workshop.io import read_workbook
from okr_workshop.smart.check import check_key_result, check_workbook
from okr_workshop.smart.language import clear_caches

DATA = Path(__file__).parent / "data"
TITLES = [
    "Raise trial-to-paid conversion from 8% to 12% by 30 September",
    "Improve onboarding",
    "Launch the referral page",
    "Reduce p95 checkout latency below 200 ms",
    "Double weekly signups",
    "Win three new enterprise customers by end of Q3",
    "Keep uptime above 99.9%",
    "Publish 4 posts on the engineering blog",
    "Grow MRR from EUR 148,000 to EUR 182,000",
    "Ship v2 of the API",
]


def main() -> None:
    """Time the SMART check of a generated organisation against loading it, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", nargs="?", type=int, default=15000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = generate.write(args.people, DATA / f"org-{args.people}")
    lean = Path(tempfile.mkdtemp(prefix="okr-bench-lean-"))
    try:
        for name in ("teams", "people", "objectives", "key_results"):
            shutil.copy(folder / f"{name}.csv", lean / f"{name}.csv")
        workbook = read_workbook(folder)
        load = timed(lambda: read_workbook(folder), args.repeat)
        load_lean = timed(lambda: read_workbook(lean), args.repeat)
        check = timed(lambda: check_workbook(workbook), args.repeat, setup=clear_caches)  # every title read cold
    finally:
        shutil.rmtree(lean, ignore_errors=True)
    krs = len(workbook["key_results"])
    print(f"{krs:,} key results, {len(workbook['checkins']):,} check-ins")
    print(f"load (all tables) {load:.3f} s; load (objectives and key results only) {load_lean:.3f} s")
    print(f"check {check:.3f} s = {check / load:.2f}x the full load, {check / load_lean:.2f}x the lean load "
          f"(target 2x); {check / krs * 1e6:.0f} µs per key result")
    samples = []
    for _ in range(50):
        for title in TITLES:
            clear_caches()  # as if typed for the first time
            start = time.perf_counter()
            check_key_result(title, quarter="2026-Q3", commitment="committed", confidence=0.6)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(f"one key result: median {statistics.median(samples):.2f} ms, "
          f"95th percentile {samples[int(len(samples) * 0.95)]:.2f} ms (target: median under 5 ms)")


if __name__ == "__main__":
    main()
