"""The example company's key results that measure themselves, as ``make demo`` runs them.

``templates/examples/brightwell/analytics/make_analytics.py`` writes an analytics
SQLite file from the example's check-ins, and ``measures.yaml`` beside it holds
the queries and the churn notebook. The commands run in processes of their own,
as users run them. Expected values come from ``checkins.csv``: on each Friday a
key result's owner checked in, its source gives that value; on 2026-11-27, a
week after the last check-ins, the last value moved on by the last week's change.
The README's measures file is read as the toolkit reads it.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from okr_workshop.measure import AUTHOR, read_measures, test_source

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
ANALYTICS = EXAMPLE / "analytics"
MEASURES = ANALYTICS / "measures.yaml"
MEASURED_DAY = dt.date(2026, 11, 27)
"""The day ``make demo`` measures: a week after the example's last check-ins."""


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A command of ours in a process of its own (a module or a script run by this Python)."""
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=180,
                          env=env, cwd=ROOT)


def make_analytics(path: Path) -> Path:
    """Run the example's script to write its analytics database at ``path``."""
    done = run(ANALYTICS / "make_analytics.py", path)
    assert done.returncode == 0, done.stderr
    return path


def checked_in(key_result: str) -> dict[dt.date, float]:
    """The values ``key_result``'s owner checked in, by day, from the example's ``checkins.csv``."""
    with open(EXAMPLE / "checkins.csv", encoding="utf-8", newline="") as file:
        return {dt.date.fromisoformat(row["date"]): float(row["value"])
                for row in csv.DictReader(file) if row["key_result"] == key_result}


def a_week_on(key_result: str) -> float:
    """``key_result``'s value a week after its last check-in, moved on by the last week's change."""
    (_, before), (_, last) = sorted(checked_in(key_result).items())[-2:]
    return last + (last - before)


@pytest.fixture(scope="module")
def analytics_db(tmp_path_factory) -> Path:
    """The example's analytics database, made once for this module."""
    return make_analytics(tmp_path_factory.mktemp("analytics") / "analytics.db")


@pytest.fixture
def analytics_env(analytics_db, monkeypatch) -> Path:
    """``BRIGHTWELL_ANALYTICS`` names the database, as the measures file expects."""
    monkeypatch.setenv("BRIGHTWELL_ANALYTICS", str(analytics_db))
    return analytics_db


def test_the_script_writes_the_same_database_every_time(analytics_db, tmp_path):
    again = make_analytics(tmp_path / "again.db")
    dumps = []
    for path in (analytics_db, again):
        db = sqlite3.connect(path)
        try:
            dumps.append(list(db.iterdump()))
        finally:
            db.close()
    assert dumps[0] == dumps[1]
    assert not list(tmp_path.glob("*.part")), "the unfinished file is left behind"


def test_the_example_measures_five_key_results_with_queries_and_a_notebook():
    sources = read_measures(MEASURES)
    kinds = [source.kind for source in sources]
    assert len(sources) == 5 and kinds.count("notebook") == 1
    assert all("${BRIGHTWELL_ANALYTICS}" in source.db for source in sources if source.kind == "sql")


def test_each_query_gives_what_its_owner_checked_in_on_every_friday(analytics_env):
    for source in read_measures(MEASURES):
        if source.kind != "sql":
            continue
        for day, value in checked_in(source.key_result).items():
            outcome = test_source(source, day)
            assert outcome.error is None, (source.key_result, day, outcome.error)
            assert outcome.value == pytest.approx(value), (source.key_result, day)


def test_the_churn_notebook_gives_what_its_owner_checked_in(analytics_env):
    notebook, = (source for source in read_measures(MEASURES) if source.kind == "notebook")
    first_day, first_value = min(checked_in(notebook.key_result).items())
    outcome = test_source(notebook, first_day, timeout=120)
    assert outcome.error is None, outcome.error
    assert outcome.value == pytest.approx(first_value)


def test_measure_records_the_week_after_the_last_check_ins(analytics_db, tmp_path):
    store = tmp_path / "workshop.db"
    env = {k: v for k, v in os.environ.items() if k != "OKR_WORKSHOP_DB"} | {"BRIGHTWELL_ANALYTICS": str(analytics_db)}
    imported = run("-m", "okr_workshop", "import", EXAMPLE, "--db", store, env=env)
    assert imported.returncode == 0, imported.stderr

    done = run("-m", "okr_workshop", "measure", MEASURES, "--as-of", MEASURED_DAY.isoformat(), "--db", store, env=env)

    assert done.returncode == 0, done.stdout + done.stderr
    db = sqlite3.connect(store)
    try:
        recorded = db.execute("SELECT key_result, date, value FROM checkins WHERE author = ?", (AUTHOR,)).fetchall()
    finally:
        db.close()
    assert {date for _, date, _ in recorded} == {MEASURED_DAY.isoformat()}
    expected = {source.key_result: a_week_on(source.key_result) for source in read_measures(MEASURES)}
    assert {key_result: value for key_result, _, value in recorded} == pytest.approx(expected)
    assert "5 of 5 sources gave a value." in done.stdout


def readme_section() -> str:
    """The README's section on key results that measure themselves."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^## Key results that measure themselves\n(.*?)(?=^## )", text, re.S | re.M)
    assert found, "the README has no section 'Key results that measure themselves'"
    return found.group(1)


def test_the_readme_measures_file_can_be_read(tmp_path):
    section = readme_section()
    block = re.search(r"^```yaml\n(.*?)^```", section, re.S | re.M)
    assert block, "the README's section shows no measures file"
    measures = tmp_path / "measures.yaml"
    measures.write_text(block.group(1), encoding="utf-8")

    sources = read_measures(measures)

    assert {source.kind for source in sources} == {"sql", "notebook"}
    for source in sources:
        if source.kind == "sql" and f"Not recorded {source.key_result}:" in section:
            assert source.described().rpartition(", ")[2] in section, "the README quotes another query's digest"
