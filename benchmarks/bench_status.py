"""``status`` against loading the same store, for organisations of several sizes.

For each size N the organisation from ``generate.py`` (N people, a weekly
check-in per key result for 13 weeks) is imported once into a temporary
SQLite store; then, in this process and warm, the median of several runs of:

- load: :meth:`Store.read_workbook`, the whole store as typed frames (the yardstick);
- status: what ``okr-workshop status --format json`` does: read the store,
  score every key result on the as-of date, roll up along alignment, count
  adoption and alignment, and build and serialise the JSON document;
- compute: the part of it after the read (:func:`build_status` on a loaded workbook);
- text: the same report rendered as the terminal table.

The ratio status / load is the figure to keep within 3x. Load and status are
timed in pairs, one right after the other, and the ratio reported is the
median of the pairs' ratios: on a shared machine both halves of a pair see the
same load from other work, so the ratio stays meaningful when the seconds do not.

    python benchmarks/bench_status.py            # 500, 5000 and 20000 people
    python benchmarks/bench_status.py 5000       # one size
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import generate
from bench_workbook import timed

from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store
from okr_workshop.tracking.status import build_status, status_from_store
from okr_workshop.tracking.status_render import render_text

DATA = Path(__file__).parent / "data"
TARGET = 3.0
AS_OF = dt.date(2026, 8, 15)
"""Halfway through the generated quarter (2026-Q3): later check-ins are left out, as a status run does."""


def status_json(store: Store) -> str:
    """What ``okr-workshop status --format json`` computes and prints."""
    return json.dumps(status_from_store(store, as_of=AS_OF).as_json(), ensure_ascii=False)


def paired(first, second, repeat: int) -> tuple[float, float, float]:
    """Median seconds of ``first`` and of ``second``, run back to back ``repeat`` times after a warm-up,
    and the median of the ratios second / first.
    """
    first(), second()
    a, b = [], []
    for _ in range(repeat):
        for func, times in ((first, a), (second, b)):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b), statistics.median(y / x for x, y in zip(a, b, strict=True))


def main() -> None:
    """Time the status of generated organisations of each size against loading their store, and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="okr-bench-status-"))
    print(f"{'people':>7} {'key results':>11} {'check-ins':>10} {'load s':>7} {'status s':>8} {'ratio':>6} "
          f"{'compute s':>9} {'text s':>7}")
    results = []
    try:
        for size in args.sizes:
            folder = generate.write(size, DATA / f"org-{size}")
            store = Store(scratch / f"org-{size}.db")
            store.write_workbook(read_workbook(folder))
            repeat = args.repeat if size <= 5000 else max(3, args.repeat // 2)
            load, status, ratio = paired(lambda s=store: s.read_workbook(), lambda s=store: status_json(s), repeat)
            workbook = store.read_workbook()
            compute = timed(lambda w=workbook: build_status(w, as_of=AS_OF), repeat)
            report = build_status(workbook, as_of=AS_OF)
            text = timed(lambda r=report: render_text(r), max(1, repeat // 2))
            counts = workbook.counts()
            results.append((size, load, status, ratio))
            print(f"{size:>7} {counts['key_results']:>11,} {counts['checkins']:>10,} {load:>7.3f} {status:>8.3f} "
                  f"{ratio:>6.2f} {compute:>9.3f} {text:>7.3f}")
            store.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print()
    for size, _, _, ratio in results:
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"N={size}: status {ratio:.2f}x the load (target {TARGET:g}x: {verdict})")
    for (a, load_a, status_a, _), (b, load_b, status_b, _) in pairwise(results):
        print(f"N {a} -> {b} ({b / a:g}x people): load {load_b / load_a:.1f}x, status {status_b / status_a:.1f}x")


if __name__ == "__main__":
    main()
