"""Make Brightwell's analytics database: the raw data five of its key results are measured from.

Brightwell Bikes, the example company in the folder above, checks in by hand
every Friday. This script writes a small SQLite database with the rows those
numbers would be counted from, so that ``okr-workshop measure`` can count them
itself (``measures.yaml`` next to this script holds the queries):

=============  ===============================================  ==================================
table          one row per                                      key result measured from it
=============  ===============================================  ==================================
subscriptions  rider's subscription: started_on, cancelled_on   C1.1 active subscribers;
                                                                C1.2 monthly churn (churn.ipynb)
repairs        repair: booked_at, returned_at                   C2.1 average repair turnaround
reviews        public review: posted_on, stars                  MARKETING-2.3 public reviews
tickets        support ticket: opened_on, category              I-marta-1.2 how-to tickets a month
=============  ===============================================  ==================================

The rows are made from the example's own numbers (``key_results.csv`` and
``checkins.csv``): measured on a Friday its owner checked in, each key result
gives the value checked in. The data runs one week past the last check-ins,
to 2026-11-27, where each key result has moved on by its last week's change.
The file is the same on every run (the riders who cancel are drawn with a
fixed seed).

Usage::

    python make_analytics.py OUT.db [--example FOLDER]

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sqlite3
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent
"""The example company's workbook folder (CSV files)."""
QUARTER_START = dt.date(2026, 10, 1)
"""The first day of the example's quarter, 2026-Q4: where each key result's ``start`` value holds."""
WEEK = dt.timedelta(days=7)
MONTH_IN_WEEKS = 4
"""A month is counted as the last four weeks, so every month holds each weekday the same number of times."""
SEED = 2026
STARS = (5, 5, 4, 5, 5, 4, 5, 4, 5, 4)
"""The stars of reviews in turn: an average of 4.6, as MARKETING-2.3's owner notes."""
OTHER_TICKETS = ("repair", "billing", "account")
"""The categories of the other tickets: three of them come with each how-to ticket."""
REPAIR_SPREAD_HOURS = (2, 5, 9, 14, 20)
"""How far repairs take from the week's average, one repair faster and one slower by each in turn."""
REPAIRS_PER_WEEK = 40

SCHEMA = """
CREATE TABLE subscriptions (
    id           INTEGER PRIMARY KEY,
    started_on   TEXT NOT NULL,   -- YYYY-MM-DD, the first day the rider had a bike
    cancelled_on TEXT             -- YYYY-MM-DD, the first day without one; NULL while the rider stays
);
CREATE TABLE repairs (
    id          INTEGER PRIMARY KEY,
    booked_at   TEXT NOT NULL,    -- YYYY-MM-DD HH:MM:SS, when the rider booked the repair
    returned_at TEXT NOT NULL     -- YYYY-MM-DD HH:MM:SS, when the repaired bike was back with the rider
);
CREATE TABLE reviews (
    id        INTEGER PRIMARY KEY,
    posted_on TEXT NOT NULL,      -- YYYY-MM-DD
    stars     INTEGER NOT NULL    -- 1 to 5
);
CREATE TABLE tickets (
    id        INTEGER PRIMARY KEY,
    opened_on TEXT NOT NULL,      -- YYYY-MM-DD
    category  TEXT NOT NULL       -- how-to, repair, billing or account
);
"""

Point = tuple[dt.date, float]
"""A day and a key result's value on it."""


# --------------------------------------------------------------------------------------------- the example's numbers


def read_csv(folder: Path, table: str) -> list[dict[str, str]]:
    """The rows of one of the example's CSV files."""
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def start_values(folder: Path) -> dict[str, float]:
    """Each key result's value at the start of the quarter, by id (those with a start)."""
    return {row["id"]: float(row["start"]) for row in read_csv(folder, "key_results") if row["start"]}


def weeks(checkins: list[dict[str, str]], key_result: str) -> list[Point]:
    """``key_result``'s check-ins, one a week, then the week after the last, moved on by the last week's change."""
    checked_in = sorted((dt.date.fromisoformat(row["date"]), float(row["value"]))
                        for row in checkins if row["key_result"] == key_result)
    if len(checked_in) < 2 or any(b[0] - a[0] != WEEK for a, b in pairwise(checked_in)):
        raise ValueError(f"{key_result}: expected check-ins every week, found {[str(d) for d, _ in checked_in]}")
    (_, before), (last_day, last) = checked_in[-2:]
    return [*checked_in, (last_day + WEEK, last + (last - before))]


# --------------------------------------------------------------------------------------------- shaping counts


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every day from ``first`` to ``last``, both included."""
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def split(total: int, parts: int) -> list[int]:
    """``total`` shared out as evenly as whole numbers allow, the larger parts first."""
    return [total // parts + (i < total % parts) for i in range(parts)]


def daily(points: list[Point]) -> dict[dt.date, int]:
    """A whole number for every day from the first point to the last, on the straight line between points."""
    values = {}
    for (start_day, start), (end_day, end) in pairwise(points):
        length = (end_day - start_day).days
        for day in days(start_day, end_day):
            values[day] = round(start + (end - start) * (day - start_day).days / length)
    return values


def weekly_counts(month_totals: list[int]) -> list[int]:
    """Counts for weeks in a row such that each run of four sums to the month total given for its last week.

    The first total covers the first four weeks (the first three come before
    its week); each later total moves the month on by one week.
    """
    counts = split(month_totals[0], MONTH_IN_WEEKS)
    for previous, total in pairwise(month_totals):
        counts.append(total - previous + counts[-MONTH_IN_WEEKS])
    if min(counts) < 0:
        raise ValueError(f"monthly totals {month_totals} cannot be made of weekly counts")
    return counts


def per_day(counts: list[int], last_day: dt.date) -> dict[dt.date, int]:
    """Weekly ``counts``, the last week ending on ``last_day``, spread over the days of each week."""
    first_week_end = last_day - WEEK * (len(counts) - 1)
    spread = {}
    for i, count in enumerate(counts):
        week_days = list(days(first_week_end + WEEK * i - dt.timedelta(days=6), first_week_end + WEEK * i))
        spread.update(zip(week_days, split(count, len(week_days)), strict=True))
    return spread


# --------------------------------------------------------------------------------------------- the tables


def subscriptions(active: list[Point], start: float, churn: list[Point]) -> list[tuple]:
    """Riders' subscriptions, so that active riders and monthly churn give C1.1's and C1.2's weekly values.

    Churn on a day is the riders who cancelled in the four weeks up to it, as
    a percentage of the riders active the day before those four weeks.
    """
    first_day = churn[0][0] - WEEK * MONTH_IN_WEEKS
    riders = {day: int(start) for day in days(first_day, QUARTER_START)} | daily([(QUARTER_START, start), *active])
    cancelling = per_day(weekly_counts([round(percent / 100 * riders[day - WEEK * MONTH_IN_WEEKS])
                                        for day, percent in churn]), churn[-1][0])
    rows = [[i + 1, (first_day - dt.timedelta(days=1 + i % 730)).isoformat(), None] for i in range(riders[first_day])]
    staying = list(range(len(rows)))
    rng = random.Random(SEED)
    for day in days(first_day + dt.timedelta(days=1), churn[-1][0]):
        leaving = cancelling.get(day, 0)
        for position in sorted(rng.sample(range(len(staying)), leaving), reverse=True):
            rows[staying.pop(position)][2] = day.isoformat()
        for _ in range(riders[day] - riders[day - dt.timedelta(days=1)] + leaving):
            staying.append(len(rows))
            rows.append([len(rows) + 1, day.isoformat(), None])
    return [tuple(row) for row in rows]


def repairs(turnaround: list[Point]) -> list[tuple]:
    """Repairs returned in each week, taking on average the week's turnaround in hours (C2.1)."""
    rows = []
    for week_end, hours in turnaround:
        for i in range(REPAIRS_PER_WEEK):
            spread = REPAIR_SPREAD_HOURS[i // 2 % len(REPAIR_SPREAD_HOURS)] * (1 if i % 2 else -1)
            returned = dt.datetime.combine(week_end - dt.timedelta(days=i % 7), dt.time(9 + i % 9))
            booked = returned - dt.timedelta(hours=hours + spread)
            rows.append((len(rows) + 1, f"{booked:%Y-%m-%d %H:%M:%S}", f"{returned:%Y-%m-%d %H:%M:%S}"))
    return rows


def reviews(count: list[Point], start: float) -> list[tuple]:
    """Public reviews, the ones before the quarter over the year before it, so that they add up to MARKETING-2.3's."""
    before = [QUARTER_START - dt.timedelta(days=1 + i * 365 // int(start)) for i in range(int(start))]
    total = daily([(QUARTER_START, start), *count])
    new = [day for day in days(QUARTER_START + dt.timedelta(days=1), count[-1][0])
           for _ in range(total[day] - total[day - dt.timedelta(days=1)])]
    return [(i + 1, day.isoformat(), STARS[i % len(STARS)]) for i, day in enumerate(sorted(before) + new)]


def tickets(how_to: list[Point]) -> list[tuple]:
    """Support tickets: how-to tickets that make I-marta-1.2's monthly counts, and three others with each."""
    opened = per_day(weekly_counts([int(count) for _, count in how_to]), how_to[-1][0])
    rows = []
    for day in sorted(opened):
        for _ in range(opened[day]):
            for category in ("how-to", *OTHER_TICKETS):
                rows.append((len(rows) + 1, day.isoformat(), category))
    return rows


def tables(folder: Path) -> dict[str, list[tuple]]:
    """Every table's rows, made from the example's numbers in ``folder``."""
    start, checkins = start_values(folder), read_csv(folder, "checkins")
    return {
        "subscriptions": subscriptions(weeks(checkins, "C1.1"), start["C1.1"], weeks(checkins, "C1.2")),
        "repairs": repairs(weeks(checkins, "C2.1")),
        "reviews": reviews(weeks(checkins, "MARKETING-2.3"), start["MARKETING-2.3"]),
        "tickets": tickets(weeks(checkins, "I-marta-1.2")),
    }


def write(path: Path, rows: dict[str, list[tuple]]) -> None:
    """Write the database to ``path`` whole, replacing any file there only once it is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        with db:
            db.executescript(SCHEMA)
            for table, table_rows in rows.items():
                marks = ", ".join("?" * len(table_rows[0]))
                db.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
    finally:
        db.close()
    os.replace(partial, path)


def main(argv: list[str] | None = None) -> None:
    """Read the command line, make the tables and write the database."""
    parser = argparse.ArgumentParser(description="Make the Brightwell example's analytics database (SQLite).")
    parser.add_argument("out", type=Path, help="the database file to write (replaced if it exists)")
    parser.add_argument("--example", type=Path, default=EXAMPLE,
                        help="the example company's CSV folder (default: %(default)s)")
    args = parser.parse_args(argv)
    rows = tables(args.example)
    write(args.out, rows)
    print(f"Wrote {args.out}: " + ", ".join(f"{len(r):,} {table}" for table, r in rows.items()) + ".")


if __name__ == "__main__":
    main()
