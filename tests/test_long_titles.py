"""A title at the 10,000-character limit checks about as fast as a short one; past the limit it is refused.

Every pattern that reads a title (the parser, the rules, the scorer) must run in
time linear in its length: a pattern that backtracks turns a crafted title into
minutes of work while someone types. The titles below are the shapes that make
patterns backtrack: long runs of digits, of spaces, of one word, of "by by by",
of numbers a pattern looks back from, unicode.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from pathlib import Path

import pytest

from okr_workshop.io import read_workbook, write_workbook
from okr_workshop.model import MAX_TEXT
from okr_workshop.smart.check import check_key_result, check_workbook
from okr_workshop.tracking.scoring import score_key_result

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
SHORT = "Sign 3 partner bakeries by 30 September"
SLACK = 1.0
"""How much longer (seconds) a title at the limit may take than a short one."""


def _fill(piece: str, length: int = MAX_TEXT) -> str:
    return (piece * (length // len(piece) + 1))[:length]


ADVERSARIAL = {
    "digits": "1" * MAX_TEXT,
    "digits and spaces": _fill("1 "),
    "digits and dashes": _fill("1-"),
    "digits and commas": _fill("1,000,"),
    "digits and dots": _fill("1."),
    "ratios": _fill("1:1 "),
    "spaces": "a" + " " * (MAX_TEXT - 2) + "b",
    "by by by": _fill("by "),
    "by the end of": _fill("by the end of "),
    "one word": _fill("increase "),
    "letters and digits": _fill("a1"),
    "versions": _fill("v1"),
    "from to": _fill("from 1 to "),
    "holding a level": "keep " + _fill("above ", MAX_TEXT - 5),
    "holding verbs": _fill("maintain keep at "),
    "within": _fill("within 3 "),
    "dates": _fill("by 1 january "),
    "quarters": _fill("by Q3 "),
    "years": _fill("in 2026 "),
    "brackets": _fill("(1 "),
    "a quote never closed": "'" + "a" * (MAX_TEXT - 1),
    "a long quote": "'" + "a" * (MAX_TEXT - 2) + "'",
    "counts": _fill("sign 3 "),
    "at least one": _fill("at least one "),
    "every week": _fill("every week "),
    "unicode": _fill("é€→≥ 名前 ٣ "),
    "title case": _fill("Two Words "),
}


def _timed(title: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        check_key_result(title, quarter="2026-Q3", commitment="committed", confidence=0.3)
        score_key_result(None, 5, 2, title=title)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.fixture(scope="module")
def short() -> float:
    return _timed(SHORT, 5)


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_a_title_at_the_limit_checks_about_as_fast_as_a_short_one(name: str, short: float) -> None:
    title = ADVERSARIAL[name]
    assert len(title) == MAX_TEXT
    took = _timed(title, 2)
    assert took - short < SLACK, f"{name}: {took:.2f} s against {short * 1000:.1f} ms for a short title"


def _write(folder: Path, title: str, objective_title: str) -> Path:
    """The example workbook as CSV files, with one key result's and one objective's title replaced."""
    write_workbook(read_workbook(EXAMPLE), folder)
    for name, column, value in (("key_results", "title", title), ("objectives", "title", objective_title)):
        path = folder / f"{name}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[1][rows[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return folder


def test_a_workbook_with_titles_at_the_limit_checks_in_time(tmp_path: Path) -> None:
    """Objective rules (numbers in objectives, near duplicates) read long titles too."""
    plain = read_workbook(_write(tmp_path / "plain", SHORT, "Grow a loyal rider base"))
    long = read_workbook(_write(tmp_path / "long", ADVERSARIAL["digits and spaces"], ADVERSARIAL["by by by"]))
    timings = {}
    for name, workbook in (("plain", plain), ("long", long)):
        started = time.perf_counter()
        check_workbook(workbook)
        timings[name] = time.perf_counter() - started
    assert timings["long"] - timings["plain"] < SLACK, timings


def test_past_the_limit_a_title_is_refused_with_file_row_and_column(tmp_path: Path) -> None:
    folder = _write(tmp_path / "over", "1 " * (MAX_TEXT // 2) + "x", "Grow a loyal rider base")
    done = subprocess.run([sys.executable, "-m", "okr_workshop", "check", str(folder)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2
    message = done.stdout + done.stderr
    assert "key_results.csv, row 2, column 'title'" in message and "at most 10,000 characters" in message, message
