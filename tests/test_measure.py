"""``okr-workshop measure`` on real sources: a SQLite file, a PostgreSQL server and notebooks run by papermill.

Every command runs as users run it, ``python -m okr_workshop`` in a process of
its own, on a SQLite copy of the example company (Brightwell, 2026-Q4). The
data sources are real: an analytics SQLite file made here, a database on the
session's throwaway PostgreSQL server (``tests/pg.py``) that checks its
analyst's password, and small notebooks that call
``okr_workshop.measure.record``. Expected values are counted from the rows the
sources were given, never written down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import sqlalchemy as sa
import yaml
from commands import Command

from okr_workshop import measure as measuring
from okr_workshop.apps.base import PersonPicker
from okr_workshop.exceptions import InputError
from okr_workshop.measure import MeasuresError, Source, attach_source, detach_source, stored_sources, test_source
from okr_workshop.store.database import ENV_VAR, SQL_TABLES, Store, measures_table

ANA = "ana.ortiz@brightwell.example"
AS_OF = dt.date(2026, 11, 27)
"""A day of the example's quarter (2026-Q4) after its last check-in."""
EARLIER = dt.date(2026, 11, 10)
TABLES = {**SQL_TABLES, "measures": measures_table}
"""Every table of the store, the data sources attached to key results included."""

SIGNUPS = [(dt.date(2026, 10, 1) + dt.timedelta(days=i), "premium" if i % 3 == 0 else "basic", 10 + i * 1.25)
           for i in range(70)]
"""The analytics data, in SQLite and in PostgreSQL: (created_at, plan, amount), one signup a day from 1 October."""

COUNT_SQL = "SELECT count(*) FROM signups WHERE created_at <= :as_of"
REVENUE_SQL = "SELECT sum(amount) FROM signups WHERE created_at <= :as_of"
PREMIUM_SQL = "SELECT count(*) FROM signups WHERE plan = 'premium' AND created_at <= :as_of"
SLOW_SQL = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
            "SELECT count(*) FROM n")

DATA_VAR = "OKR_MEASURE_TEST_DATA"
"""Set to the analytics folder: a SQLite URL reads it as ``${OKR_MEASURE_TEST_DATA}``."""
UNSET_VAR = "OKR_MEASURE_TEST_UNSET"
"""Never set: a URL naming it cannot be read."""
PASSWORD = "Wh1sper-7f3a9c"
"""The PostgreSQL analyst's password: it must appear in no output and no note."""
WRONG_PASSWORD = "Guess-0b5e21"


def count_until(day: dt.date) -> int:
    """Signups up to ``day``: what COUNT_SQL gives."""
    return sum(1 for created, _plan, _amount in SIGNUPS if created <= day)


def revenue_until(day: dt.date) -> float:
    """Amounts up to ``day``: what REVENUE_SQL gives."""
    return sum(amount for created, _plan, amount in SIGNUPS if created <= day)


def premium_until(day: dt.date) -> int:
    """Premium signups up to ``day``: what PREMIUM_SQL gives."""
    return sum(1 for created, plan, _amount in SIGNUPS if plan == "premium" and created <= day)


def plan_on(day: dt.date) -> str:
    """The plan of the signup of ``day`` (there is one a day)."""
    return next(plan for created, plan, _amount in SIGNUPS if created == day)


def notebook_value(key_result: str, day: dt.date) -> int:
    """What the ``derived`` notebook records: built from both parameters it is given."""
    return len(key_result) * 100 + day.day


def query_digest_in(note: str, sql: str) -> bool:
    """Does ``note`` name the query by a digest (a hex prefix of the query's SHA-256, 8 digits or more)?"""
    found = re.search(r"query ([0-9a-f]{8,})\b", note)
    return bool(found) and hashlib.sha256(sql.encode("utf-8")).hexdigest().startswith(found.group(1))


# --------------------------------------------------------------------------- the store and the command


@pytest.fixture
def db(example_db, tmp_path) -> Path:
    """A fresh copy of the example store for one test."""
    return Path(shutil.copyfile(example_db, tmp_path / "workshop.db"))


@pytest.fixture
def okr(tmp_path, analytics) -> Command:
    """The command, run in ``tmp_path``, without ``$OKR_WORKSHOP_DB`` and with ``$OKR_MEASURE_TEST_DATA`` set."""
    env = {k: v for k, v in os.environ.items() if k not in {ENV_VAR, UNSET_VAR}}
    return Command(tmp_path, {**env, DATA_VAR: str(analytics.parent)})


def rows(db: Path, table: str) -> list[dict]:
    """Every row of a store table as a dict, in key order."""
    store = Store(db, create=False)
    try:
        with store.engine.connect() as conn:
            found = TABLES[table]
            return [dict(row) for row in conn.execute(sa.select(found).order_by(*found.primary_key)).mappings()]
    finally:
        store.close()


def store_state(db: Path) -> tuple[bytes, dict[str, list[dict]]]:
    """The store file's bytes and every row of every table (the attached sources too)."""
    data = db.read_bytes()
    return data, {table: rows(db, table) for table in TABLES}


def checkins(db: Path, author: str | None = None) -> list[dict]:
    """The store's check-ins (by ``author`` when given) without their sequence number and recording time."""
    return [{k: v for k, v in row.items() if k not in {"seq", "recorded_at"}} for row in rows(db, "checkins")
            if author is None or row["author"] == author]


def measured(db: Path) -> dict[tuple[str, dt.date], dict]:
    """The check-ins ``measure`` wrote, by key result and date (one each, or the test fails)."""
    found = checkins(db, measuring.AUTHOR)
    by_key = {(row["key_result"], row["date"]): row for row in found}
    assert len(by_key) == len(found), f"more than one measured check-in for a key result and date: {found}"
    return by_key


def write_measures(path: Path, entries: list[dict]) -> Path:
    """A measures file holding ``entries`` under ``measures:``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"measures": entries}, sort_keys=False), encoding="utf-8")
    return path


def line_of(text: str, key_result: str) -> str:
    """The one line of ``text`` reporting that ``key_result`` was not recorded."""
    found = [line for line in text.splitlines() if line.startswith(f"Not recorded {key_result}:")]
    assert len(found) == 1, f"expected one line about {key_result} in:\n{text}"
    return found[0]


# --------------------------------------------------------------------------- the sources


def write_notebook(path: Path, *cells: str) -> Path:
    """A notebook of a ``parameters`` cell (key_result, as_of) followed by ``cells``."""
    book = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}})
    book.cells = [nbformat.v4.new_code_cell("key_result = None\nas_of = None", metadata={"tags": ["parameters"]}),
                  *(nbformat.v4.new_code_cell(source) for source in cells)]
    for number, cell in enumerate(book.cells):
        cell["id"] = f"cell-{number}"
    nbformat.write(book, path)
    return path


@dataclass(frozen=True)
class Notebooks:
    """The measure notebooks, made once for the module."""

    derived: Path
    """Records len(key_result) * 100 + the day of as_of (see :func:`notebook_value`)."""
    raises: Path
    silent: Path
    """Runs, but records nothing."""
    slow: Path
    """Sleeps for a minute."""


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Notebooks:
    """The measure notebooks in a folder of their own."""
    folder = tmp_path_factory.mktemp("notebooks")
    return Notebooks(
        derived=write_notebook(folder / "derived.ipynb", "import datetime\nimport okr_workshop.measure",
                               "okr_workshop.measure.record(len(key_result) * 100"
                               " + datetime.date.fromisoformat(as_of).day)"),
        raises=write_notebook(folder / "raises.ipynb", "raise ValueError('the export is late')"),
        silent=write_notebook(folder / "silent.ipynb", "signups = 12"),
        slow=write_notebook(folder / "slow.ipynb", "import time\ntime.sleep(60)"),
    )


def make_analytics(path: Path) -> Path:
    """An analytics SQLite file holding SIGNUPS."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE signups (created_at TEXT NOT NULL, plan TEXT NOT NULL, amount REAL)")
        conn.executemany("INSERT INTO signups VALUES (?, ?, ?)",
                         [(day.isoformat(), plan, amount) for day, plan, amount in SIGNUPS])
    return path


@pytest.fixture(scope="module")
def analytics(tmp_path_factory) -> Path:
    """The analytics SQLite file (no test changes it: copy it first)."""
    return make_analytics(tmp_path_factory.mktemp("analytics") / "analytics.db")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass(frozen=True)
class PgAnalytics:
    """The analytics data in a PostgreSQL database, readable by a role that must give its password."""

    port: int
    database: str
    user: str

    def url(self, password: str = PASSWORD, database: str | None = None) -> str:
        """A TCP URL with the user and ``password``, as an analyst writes it."""
        return f"postgresql://{self.user}:{password}@127.0.0.1:{self.port}/{database or self.database}"


def _insert_signups() -> str:
    values = ", ".join(f"('{day.isoformat()}', '{plan}', {amount})" for day, plan, amount in SIGNUPS)
    return f"INSERT INTO signups VALUES {values}"


def _wait_for_password_check(port: int, user: str) -> None:
    """Wait until the server refuses ``user`` a wrong password (it reloads its settings on its own time)."""
    import psycopg

    for _ in range(100):
        try:
            psycopg.connect(host="127.0.0.1", port=port, user=user, password=WRONG_PASSWORD, dbname="postgres").close()
        except psycopg.OperationalError:
            return
        time.sleep(0.05)
    raise AssertionError("the PostgreSQL server still lets the analyst in without the right password")


@pytest.fixture(scope="module")
def pg_analytics(pg_cluster) -> Iterator[PgAnalytics]:
    """The analytics database on the session's server; its analyst logs in over TCP with PASSWORD only."""
    database, user = f"analytics_{os.getpid()}", f"analyst_{os.getpid()}"
    hba = pg_cluster.data / "pg_hba.conf"
    trusted = hba.read_text()
    pg_cluster.create_database(database)
    pg_cluster.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{PASSWORD}'")
    try:
        pg_cluster.execute("CREATE TABLE signups (created_at date NOT NULL, plan text NOT NULL, "
                           "amount numeric(10, 2))", database)
        pg_cluster.execute(_insert_signups(), database)
        pg_cluster.execute(f"GRANT SELECT ON signups TO {user}", database)
        hba.write_text(f"host all {user} 127.0.0.1/32 scram-sha-256\n{trusted}")
        pg_cluster.execute("SELECT pg_reload_conf()")
        _wait_for_password_check(pg_cluster.port, user)
        yield PgAnalytics(pg_cluster.port, database, user)
    finally:  # the server is the session's: leave it as it was
        hba.write_text(trusted)
        pg_cluster.execute("SELECT pg_reload_conf()")
        pg_cluster.drop_database(database)
        pg_cluster.execute(f"DROP ROLE {user}")


# --------------------------------------------------------------------------- 1. queries


def test_a_sqlite_query_is_recorded_as_measures_check_in_on_the_day_it_measures(okr, db, analytics, tmp_path):
    measures = write_measures(tmp_path / "measures.yaml", [
        {"key_result": "C1.1", "db": sqlite_url(analytics), "sql": COUNT_SQL}])
    assert count_until(EARLIER) != count_until(AS_OF)

    results = {day: okr("measure", measures, "--as-of", day, "--db", db) for day in (EARLIER, AS_OF)}

    found = measured(db)
    assert set(found) == {("C1.1", EARLIER), ("C1.1", AS_OF)}
    for day, result in results.items():
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""  # no progress bar when the output is no terminal, and nothing failed
        row = found["C1.1", day]
        assert (row["value"], row["author"], row["confidence"]) == (count_until(day), "measure", None)
        assert "analytics.db" in row["note"] and query_digest_in(row["note"], COUNT_SQL), row["note"]
        assert result.stdout.splitlines() == [f"Recorded C1.1 = {count_until(day)} on {day.isoformat()} "
                                              f"({row['note']}).", "1 of 1 sources gave a value."]


def test_a_postgresql_query_is_recorded_and_its_password_shown_nowhere(okr, db, pg_analytics, tmp_path):
    pg = pg_analytics
    from_environment = f"postgresql://{pg.user}:${{PG_PASSWORD}}@127.0.0.1:${{PG_PORT}}/{pg.database}"
    measures = write_measures(tmp_path / "measures.yaml", [
        {"key_result": "C1.1", "db": pg.url(), "sql": COUNT_SQL},
        {"key_result": "C1.3", "db": from_environment, "sql": REVENUE_SQL},
        {"key_result": "C2.1", "db": pg.url(), "sql": "SELECT count(*) FROM refunds"},
        {"key_result": "C2.2", "db": pg.url(WRONG_PASSWORD), "sql": COUNT_SQL},
        {"key_result": "C2.3", "db": pg.url(), "sql": "SELECT pg_sleep(30)"},
        {"key_result": "C3.1", "db": pg.url(f"${{{UNSET_VAR}}}"), "sql": COUNT_SQL},
        {"key_result": "C3.2", "db": pg.url(database="no_such_database"), "sql": COUNT_SQL},
    ])
    result = okr.with_env(PG_PASSWORD=PASSWORD, PG_PORT=str(pg.port))(
        "measure", measures, "--as-of", AS_OF, "--timeout", 3, "--db", db)

    assert result.returncode == 1, result.stdout + result.stderr
    found = measured(db)
    assert {key for key, _day in found} == {"C1.1", "C1.3"}
    assert found["C1.1", AS_OF]["value"] == count_until(AS_OF)
    assert found["C1.3", AS_OF]["value"] == pytest.approx(revenue_until(AS_OF))
    for key, sql in (("C1.1", COUNT_SQL), ("C1.3", REVENUE_SQL)):
        note = found[key, AS_OF]["note"]
        assert pg.database in note and query_digest_in(note, sql), note
    assert "relation \"refunds\" does not exist" in line_of(result.stderr, "C2.1")
    assert "password authentication failed" in line_of(result.stderr, "C2.2")
    assert "longer than the limit of 3 s" in line_of(result.stderr, "C2.3")
    assert f"{UNSET_VAR} is not set" in line_of(result.stderr, "C3.1")
    assert 'database "no_such_database" does not exist' in line_of(result.stderr, "C3.2")

    notes = " ".join(row["note"] or "" for row in checkins(db))
    for secret in (PASSWORD, WRONG_PASSWORD):
        assert secret not in result.stdout and secret not in result.stderr and secret not in notes


# --------------------------------------------------------------------------- 2. notebooks


def test_a_notebook_records_a_value_made_from_its_key_result_and_day(okr, db, notebooks, tmp_path):
    folder = tmp_path / "config"
    (folder / "notebooks").mkdir(parents=True)
    shutil.copyfile(notebooks.derived, folder / "notebooks" / "derived.ipynb")
    measures = write_measures(folder / "measures.yaml", [  # the path is read from the measures file's folder
        {"key_result": key, "notebook": "notebooks/derived.ipynb"} for key in ("C1.2", "SUPPORT-1.3")])

    result = okr("measure", measures, "--as-of", AS_OF, "--db", db)

    assert result.returncode == 0, result.stderr
    found = measured(db)
    assert {key: row["value"] for (key, _day), row in found.items()} == {
        key: notebook_value(key, AS_OF) for key in ("C1.2", "SUPPORT-1.3")}
    for row in found.values():
        assert "notebook" in row["note"] and "derived.ipynb" in row["note"], row["note"]
        assert row["date"] == AS_OF


@pytest.mark.parametrize("value", ["high", None, True, float("nan"), float("inf")])
def test_record_refuses_what_is_no_number(value):
    with pytest.raises(ValueError, match="not a"):
        measuring.record(value)


def test_record_gives_back_the_number_it_records():
    assert measuring.record(42) == 42.0
    assert isinstance(measuring.record(7), float)


# --------------------------------------------------------------------------- 3. running again on the same day


def test_a_rerun_replaces_measures_own_check_in_and_never_a_persons(okr, db, tmp_path):
    data = make_analytics(tmp_path / "live.db")
    person = okr("checkin", "C1.1", "2100", "--author", ANA, "--date", AS_OF, "--note", "Counted by hand",
                 "--db", db)
    assert person.returncode == 0, person.stderr
    first = write_measures(tmp_path / "first.yaml", [
        {"key_result": "C1.1", "db": sqlite_url(data), "sql": COUNT_SQL},
        {"key_result": "C1.3", "db": sqlite_url(data), "sql": REVENUE_SQL}])
    assert okr("measure", first, "--as-of", AS_OF, "--db", db).returncode == 0
    assert measured(db)["C1.1", AS_OF]["value"] == count_until(AS_OF)
    day_before = (AS_OF - dt.timedelta(days=1)).isoformat()
    with sqlite3.connect(data) as conn:  # three late signups arrive for the day before
        conn.executemany("INSERT INTO signups VALUES (?, 'basic', 5)", [(day_before,)] * 3)
    second = write_measures(tmp_path / "second.yaml", [
        {"key_result": "C1.1", "db": sqlite_url(data), "sql": COUNT_SQL},
        {"key_result": "C1.3", "db": sqlite_url(data), "sql": "SELECT sum(amount) FROM payments"}])

    result = okr("measure", second, "--as-of", AS_OF, "--db", db)

    assert result.returncode == 1
    assert "no such table: payments" in line_of(result.stderr, "C1.3")
    on_the_day = [row for row in checkins(db) if row["key_result"] == "C1.1" and row["date"] == AS_OF]
    assert sorted((row["author"], row["value"]) for row in on_the_day) == sorted(
        [(ANA, 2100.0), ("measure", count_until(AS_OF) + 3)])
    assert next(row["note"] for row in on_the_day if row["author"] == ANA) == "Counted by hand"
    assert measured(db)["C1.3", AS_OF]["value"] == pytest.approx(revenue_until(AS_OF))  # the failed rerun kept it


# --------------------------------------------------------------------------- 4. bad sources


def test_each_bad_source_is_reported_and_skipped_and_the_good_ones_recorded(okr, db, analytics, notebooks, tmp_path):
    url = sqlite_url(analytics)
    bad = {  # key result: (source, words its line must hold)
        "C1.3": ({"db": url, "sql": "SELEC count(*) FROM signups"}, "syntax error"),
        "C2.1": ({"db": url, "sql": "SELECT count(*) FROM refunds"}, "no such table: refunds"),
        "C2.2": ({"db": url, "sql": "SELECT 1 FROM signups WHERE plan = 'gold'"}, "returned no row"),
        "C2.3": ({"db": url, "sql": "SELECT 1 FROM signups"}, "several rows"),
        "C3.1": ({"db": url, "sql": "SELECT count(*), max(amount) FROM signups"}, "2 columns"),
        "C3.2": ({"db": url, "sql": "SELECT max(amount) FROM signups WHERE created_at > :as_of AND 0"}, "NULL"),
        "C3.3": ({"db": url, "sql": "SELECT plan FROM signups WHERE created_at = :as_of"},
                 f"{plan_on(AS_OF)!r}, not a number"),
        "SALES-1.1": ({"notebook": str(notebooks.raises)}, "raised ValueError: the export is late"),
        "SALES-1.2": ({"notebook": str(notebooks.silent)}, "recorded nothing"),
        "SALES-1.3": ({"notebook": str(notebooks.raises.with_name("gone.ipynb"))}, "there is no notebook at"),
        "NOPE-9.9": ({"db": url, "sql": COUNT_SQL}, "no key result 'NOPE-9.9'"),
        "SALES-2.1": ({"db": f"sqlite:///${{{UNSET_VAR}}}/analytics.db", "sql": COUNT_SQL}, f"{UNSET_VAR} is not set"),
    }
    good = {
        "C1.1": ({"db": url, "sql": COUNT_SQL}, count_until(AS_OF)),
        "C1.2": ({"notebook": str(notebooks.derived)}, notebook_value("C1.2", AS_OF)),
        "SALES-2.2": ({"db": f"sqlite:///${{{DATA_VAR}}}/analytics.db", "sql": PREMIUM_SQL}, premium_until(AS_OF)),
    }
    measures = write_measures(tmp_path / "measures.yaml", [
        {"key_result": key, **source} for key, (source, _) in (bad | good).items()])
    _, before = store_state(db)

    result = okr("measure", measures, "--as-of", AS_OF, "--db", db)

    assert result.returncode == 1, result.stdout + result.stderr
    for key, (_, words) in bad.items():
        assert words in line_of(result.stderr, key)
    assert f"3 of {len(bad) + len(good)} sources gave a value; {len(bad)} failed" in result.stdout
    _, after = store_state(db)
    assert {k: v for k, v in after.items() if k not in {"checkins", "people"}} == {
        k: v for k, v in before.items() if k not in {"checkins", "people"}}
    assert [row["id"] for row in after["people"] if row not in before["people"]] == ["measure"]
    new = [row for row in after["checkins"] if row not in before["checkins"]]
    assert sorted((row["key_result"], row["value"]) for row in new) == sorted(
        (key, value) for key, (_, value) in good.items())
    assert {(row["author"], row["date"]) for row in new} == {("measure", AS_OF)}


# --------------------------------------------------------------------------- 5. an unreadable measures file


UNREADABLE = {  # name: (file text or None for no file, words of the message, line it names or None)
    "not-yaml": ("measures:\n  - key_result: C1.1\n    notebook: a.ipynb\n   sql: [\n", "not valid YAML", 4),
    "no-measures": ("measure:\n  - key_result: C1.1\n    notebook: a.ipynb\n", "a list under 'measures:'", 1),
    "measures-not-a-list": ("measures:\n  key_result: C1.1\n  notebook: a.ipynb\n", "a list under 'measures:'", 1),
    "no-key-result": ("measures:\n  - key_result: C1.1\n    notebook: a.ipynb\n  - notebook: b.ipynb\n",
                      "'key_result:'", 4),
    "notebook-and-query": ("measures:\n  - key_result: C1.1\n    notebook: a.ipynb\n"
                           "  - key_result: C1.2\n    notebook: b.ipynb\n    db: sqlite:///a.db\n    sql: SELECT 1\n",
                           "C1.2 names both a notebook and a query", 4),
    "unknown-key": ("measures:\n  - key_result: C1.1\n    notebook: a.ipynb\n"
                    "  - key_result: C1.2\n    query: SELECT 1\n", "unknown key 'query'", 4),
    "measured-twice": ("measures:\n  - key_result: C1.1\n    notebook: a.ipynb\n"
                       "  - key_result: C1.2\n    notebook: b.ipynb\n  - key_result: C1.1\n    notebook: c.ipynb\n",
                       "'C1.1' is measured twice (first on line 2)", 6),
    "no-file": (None, "cannot be read", None),
}


def test_an_unreadable_measures_file_exits_2_naming_the_file_and_line_and_writes_nothing(okr, db, tmp_path):
    for name, (text, _, _) in UNREADABLE.items():
        if text is not None:
            (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    before = store_state(db)

    results = okr.together({name: ["measure", f"{name}.yaml", "--db", db] for name in UNREADABLE})

    wrong = []
    for name, (_, words, line) in UNREADABLE.items():
        result, where = results[name], f"{name}.yaml" + (f", line {line}:" if line else ":")
        if result.returncode != 2 or where not in result.stderr or words not in result.stderr:
            wrong.append(f"{name}: exit {result.returncode}, stderr {result.stderr!r}; expected 2, {where!r}, "
                         f"{words!r}")
    assert not wrong, "\n".join(wrong)
    assert store_state(db) == before


def test_an_entry_that_is_no_mapping_names_its_line(tmp_path):
    path = tmp_path / "measures.yaml"
    path.write_text("measures:\n  - key_result: C1.1\n    notebook: a.ipynb\n  - C1.2\n", encoding="utf-8")
    with pytest.raises(MeasuresError, match=r"measures\.yaml, line 4:"):
        measuring.read_measures(path)


def test_no_file_and_no_attached_source_says_so(okr, db):
    result = okr("measure", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "No data sources" in result.stdout


# --------------------------------------------------------------------------- 6. dry run, jobs, time limit


def test_a_dry_run_says_what_it_would_record_and_writes_nothing(okr, db, analytics, tmp_path):
    measures = write_measures(tmp_path / "measures.yaml", [
        {"key_result": "C1.1", "db": sqlite_url(analytics), "sql": COUNT_SQL},
        {"key_result": "C1.3", "db": sqlite_url(analytics), "sql": "SELECT count(*) FROM refunds"}])
    before = store_state(db)

    result = okr("measure", measures, "--as-of", AS_OF, "--dry-run", "--progress", "--db", db)

    assert result.returncode == 1
    assert f"Would record C1.1 = {count_until(AS_OF)} on {AS_OF.isoformat()} (measured from analytics.db, query" \
        in result.stdout
    assert "Recorded" not in result.stdout
    assert "no such table: refunds" in line_of(result.stderr, "C1.3")
    assert "measures: 100%" in result.stderr and "2/2" in result.stderr  # the progress bar asked for
    assert store_state(db) == before


def test_one_job_and_four_jobs_record_the_same(okr, example_db, analytics, notebooks, tmp_path):
    url = sqlite_url(analytics)
    measures = write_measures(tmp_path / "measures.yaml", [
        {"key_result": "C1.1", "db": url, "sql": COUNT_SQL},
        {"key_result": "C1.2", "notebook": str(notebooks.derived)},
        {"key_result": "C1.3", "db": url, "sql": REVENUE_SQL},
        {"key_result": "C2.1", "db": url, "sql": PREMIUM_SQL},
        {"key_result": "C2.2", "db": url, "sql": "SELECT 1 FROM signups WHERE plan = 'gold'"},
        {"key_result": "C2.3", "db": url, "sql": "SELECT count(*) FROM signups"}])
    stores = {jobs: Path(shutil.copyfile(example_db, tmp_path / f"jobs{jobs}.db")) for jobs in (1, 4)}

    results = okr.together({jobs: ["measure", measures, "--as-of", AS_OF, "--jobs", jobs, "--db", store]
                            for jobs, store in stores.items()})

    one, four = results[1], results[4]
    assert (one.returncode, one.stdout, one.stderr) == (four.returncode, four.stdout, four.stderr)
    assert one.returncode == 1 and "returned no row" in line_of(one.stderr, "C2.2")
    assert checkins(stores[1]) == checkins(stores[4])
    assert {key: row["value"] for (key, _), row in measured(stores[4]).items()} == {
        "C1.1": count_until(AS_OF), "C1.2": notebook_value("C1.2", AS_OF), "C1.3": pytest.approx(revenue_until(AS_OF)),
        "C2.1": premium_until(AS_OF), "C2.3": len(SIGNUPS)}


@dataclass(frozen=True)
class TimedRun:
    result: subprocess.CompletedProcess
    seconds: float
    db: Path


@pytest.fixture(scope="module")
def timed_out(example_db, analytics, notebooks, tmp_path_factory) -> TimedRun:
    """One run with a 1 s limit: a good query, a query counting to 10**9 and a notebook sleeping for a minute."""
    folder = tmp_path_factory.mktemp("timeout")
    store = Path(shutil.copyfile(example_db, folder / "workshop.db"))
    measures = write_measures(folder / "measures.yaml", [
        {"key_result": "C1.1", "db": sqlite_url(analytics), "sql": COUNT_SQL},
        {"key_result": "C1.3", "db": sqlite_url(analytics), "sql": SLOW_SQL},
        {"key_result": "C2.1", "notebook": str(notebooks.slow)}])
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    started = time.monotonic()
    result = Command(folder, env)("measure", measures, "--as-of", AS_OF, "--timeout", 1, "--db", store)
    return TimedRun(result, time.monotonic() - started, store)


def test_the_time_limit_stops_a_slow_query_and_a_slow_notebook(timed_out):
    result = timed_out.result
    assert timed_out.seconds < 20, f"took {timed_out.seconds:.1f} s with a limit of 1 s"
    assert result.returncode == 1
    assert "the query took longer than the limit of 1 s" in line_of(result.stderr, "C1.3")
    assert "the notebook took longer than the limit of 1 s" in line_of(result.stderr, "C2.1")
    assert {key: row["value"] for (key, _), row in measured(timed_out.db).items()} == {"C1.1": count_until(AS_OF)}


def test_a_slow_notebook_leaves_only_our_words_on_stderr(timed_out):
    lines = [line for line in timed_out.result.stderr.splitlines() if line.strip()]
    assert all(line.startswith("Not recorded ") for line in lines), lines


def test_progress_hears_of_each_source_as_it_finishes(db, analytics):
    heard = []
    store = Store(db, create=False)
    try:
        measuring.measure(store, [Source("C1.3", 0, db=sqlite_url(analytics), sql=SLOW_SQL),
                                  Source("C1.1", 0, db=sqlite_url(analytics), sql=COUNT_SQL)],
                          AS_OF, jobs=2, timeout=1, dry_run=True,
                          progress=lambda outcome: heard.append(outcome.source.key_result))
    finally:
        store.close()
    assert heard == ["C1.1", "C1.3"]


# --------------------------------------------------------------------------- 7. sources attached in the store


def test_attached_sources_run_without_a_file_and_a_file_entry_wins(okr, db, analytics, tmp_path):
    url = sqlite_url(analytics)
    store = Store(db, create=False)
    try:
        attach_source(store, "C1.1", db=url, sql=COUNT_SQL, by=ANA)
        attach_source(store, "C1.3", db=url, sql="SELECT count(*) FROM refunds", by=ANA)
        attach_source(store, "C1.3", db=url, sql=REVENUE_SQL, by=ANA)  # replaces the one before
        assert [(s.key_result, s.sql) for s in stored_sources(store)] == [("C1.1", COUNT_SQL), ("C1.3", REVENUE_SQL)]
    finally:
        store.close()

    alone = okr("measure", "--as-of", AS_OF, "--db", db)
    assert alone.returncode == 0, alone.stderr
    assert {key: row["value"] for (key, _), row in measured(db).items()} == {
        "C1.1": count_until(AS_OF), "C1.3": pytest.approx(revenue_until(AS_OF))}

    measures = write_measures(tmp_path / "measures.yaml", [{"key_result": "C1.3", "db": url, "sql": PREMIUM_SQL}])
    with_file = okr("measure", measures, "--as-of", AS_OF, "--db", db)
    assert with_file.returncode == 0, with_file.stderr
    found = measured(db)
    assert (found["C1.1", AS_OF]["value"], found["C1.3", AS_OF]["value"]) == (count_until(AS_OF), premium_until(AS_OF))
    assert query_digest_in(found["C1.3", AS_OF]["note"], PREMIUM_SQL)
    assert len(with_file.stdout.splitlines()) == 3  # C1.1 (attached), C1.3 (the file's), the summary


@pytest.mark.parametrize("key_result, source", [
    ("NOPE-9.9", {"db": "sqlite:///analytics.db", "sql": COUNT_SQL}),
    ("C1.1", {"db": "sqlite:///analytics.db"}),
    ("C1.1", {"sql": COUNT_SQL}),
    ("C1.1", {"db": "  ", "sql": COUNT_SQL}),
    ("C1.1", {}),
    ("C1.1", {"notebook": "churn.ipynb", "sql": COUNT_SQL}),
], ids=["unknown-key-result", "no-query", "no-database", "blank-database", "nothing", "notebook-and-query"])
def test_attach_source_refuses_and_writes_nothing(db, key_result, source):
    before = store_state(db)
    store = Store(db, create=False)
    try:
        with pytest.raises(InputError):
            attach_source(store, key_result, **source)
    finally:
        store.close()
    assert store_state(db) == before


def test_test_source_gives_the_value_and_writes_nothing(db, analytics):
    store = Store(db, create=False)
    try:
        attach_source(store, "C1.1", db=sqlite_url(analytics), sql=COUNT_SQL)
        before = store_state(db)
        [source] = stored_sources(store)
        tested = test_source(source, EARLIER)
        failed = test_source(Source("C1.1", 0, db=sqlite_url(analytics), sql="SELECT plan FROM signups LIMIT 1"))
        assert store_state(db) == before
        detach_source(store, "C1.1")
        assert stored_sources(store) == []
    finally:
        store.close()
    assert (tested.ok, tested.value) == (True, count_until(EARLIER))
    assert not failed.ok and "not a number" in failed.error


# --------------------------------------------------------------------------- 8. the measure pseudo-person


def test_the_measure_author_is_nobody_to_pick(db, analytics):
    store = Store(db, create=False)
    try:
        [outcome] = measuring.measure(store, [Source("C1.1", 0, db=sqlite_url(analytics), sql=COUNT_SQL)], AS_OF)
        people = store.read_workbook()["people"]
    finally:
        store.close()
    assert outcome.ok and "measure" in set(people["id"])
    picked = [value for _label, value in PersonPicker(people).dropdown.options]
    assert "measure" not in picked
    assert set(picked) == {""} | set(people["id"]) - {"measure"}


def test_measuring_leaves_adoption_as_it_was(okr, db, analytics):
    def adoption() -> float:
        result = okr("status", "--as-of", AS_OF, "--format", "json", "--db", db)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["adoption"]

    before = adoption()
    store = Store(db, create=False)
    try:
        measuring.measure(store, [Source("C1.1", 0, db=sqlite_url(analytics), sql=COUNT_SQL)], AS_OF)
    finally:
        store.close()
    assert adoption() == before


# --------------------------------------------------------------------------- passwords in other spellings


def test_a_password_in_the_query_string_is_hidden_too(db, pg_analytics):
    pg = pg_analytics
    url = f"postgresql://{pg.user}@127.0.0.1:{pg.port}/{pg.database}?password={PASSWORD}"
    store = Store(db, create=False)
    try:
        [outcome] = measuring.measure(store, [Source("C1.1", 0, db=url, sql=COUNT_SQL)], AS_OF)
    finally:
        store.close()
    assert outcome.value == count_until(AS_OF)
    assert PASSWORD not in " ".join(row["note"] for row in checkins(db, "measure"))


def test_a_mistyped_url_does_not_show_its_password():
    outcome = test_source(Source("C1.1", 0, db=f"postgresql//analyst:{PASSWORD}@127.0.0.1/analytics", sql=COUNT_SQL))
    assert not outcome.ok
    assert PASSWORD not in outcome.error and PASSWORD not in outcome.source.described()


def test_a_missing_sqlite_file_is_reported_and_not_created(tmp_path):
    missing = tmp_path / "analytcs.db"
    outcome = test_source(Source("C1.1", 0, db=sqlite_url(missing), sql=COUNT_SQL))
    assert not outcome.ok
    assert not missing.exists()
