"""``okr-workshop report`` as a process of its own: a single report's kernel starts before the checks and never
outlives the command; the command reads a SQLite store without the store's own imports.

(What the reports hold is tested in ``test_reports.py``; how fast the command is, in
``benchmarks/bench_report_command.py``.)
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from test_report_sections import EXAMPLE, OWNER, QUARTER

from okr_workshop.cli import EXIT_BAD_INPUT, main
from okr_workshop.io import read_workbook
from okr_workshop.reports.store_facts import _sqlite_facts
from okr_workshop.store.database import Store


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("command-store") / "example.db"
    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    return path


def facts_through_the_store(path: Path, viewer: str | None) -> tuple[list[str], list[str], bool]:
    import sqlalchemy as sa

    from okr_workshop.store.database import SQL_TABLES

    store = Store(path, create=False)
    try:
        with store.engine.connect() as conn:
            teams = list(conn.execute(sa.select(SQL_TABLES["teams"].c.id)).scalars())
            people = SQL_TABLES["people"]
            known = viewer is None or conn.execute(sa.select(people.c.id).where(people.c.id == viewer)).first()
        return store.quarters(), teams, bool(known)
    finally:
        store.close()


@pytest.mark.parametrize("viewer", [None, OWNER, "nobody@example.org"])
def test_a_current_sqlite_store_is_read_as_the_store_reads_it(store_file, viewer):
    assert _sqlite_facts(str(store_file), viewer) == facts_through_the_store(store_file, viewer)
    assert _sqlite_facts(f"sqlite:///{store_file}", viewer) == facts_through_the_store(store_file, viewer)


def test_any_other_store_is_left_to_the_store(store_file, tmp_path, monkeypatch):
    older = tmp_path / "older.db"
    older.write_bytes(store_file.read_bytes())
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    (tmp_path / "notes.db").write_bytes(b"SQLite format 3\x00 but not really")
    with sqlite3.connect(tmp_path / "empty.db") as conn:
        conn.execute("CREATE TABLE other (x)")
    for db in (older, tmp_path / "notes.db", tmp_path / "empty.db", tmp_path / "missing.db",
               "postgresql://user@localhost/okr"):
        assert _sqlite_facts(str(db), None) is None, db
    monkeypatch.setenv("OKR_WORKSHOP_DB", str(store_file))
    assert _sqlite_facts(None, None) == facts_through_the_store(store_file, None)


def new_children(before: set[int]) -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.integration
@pytest.mark.parametrize("bad", [["--quarter", "2031-Q1", "--team", "fleet"],
                                 ["--quarter", QUARTER, "--team", "fleet", "--viewer", "nobody@example.org"]],
                         ids=["unknown quarter", "unknown viewer"])
def test_a_refused_single_report_leaves_no_kernel_behind(store_file, tmp_path, monkeypatch, bad):
    sockets = tmp_path / "s"
    sockets.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(sockets))
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    result = CliRunner().invoke(main, ["report", *bad, "--out", str(tmp_path / "out"), "--db", str(store_file)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert new_children(before) == []
    assert list(sockets.iterdir()) == [], "the early kernel's socket folder is gone"
    assert not (tmp_path / "out").exists()


LEAN = """
import json, sys
from okr_workshop.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = ("pandas", "numpy", "nbconvert", "sqlalchemy", "okr_workshop.store.database")
    print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


@pytest.mark.integration
def test_a_team_report_is_written_by_a_process_without_pandas_nbconvert_sqlalchemy_or_the_store(store_file, tmp_path):
    """They cost the command about 2 s of its start: only the kernel needs pandas; the page is written directly."""
    done = subprocess.run([sys.executable, "-c", LEAN, "report", "--quarter", QUARTER, "--team", "fleet", "--as-of",
                           "2026-11-20", "--out", str(tmp_path), "--db", str(store_file)],
                          capture_output=True, text=True, check=True)
    assert (tmp_path / "team-fleet.html").is_file() and (tmp_path / "index.html").is_file()
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


@pytest.mark.integration
@pytest.mark.parametrize("as_of", ["2026-11-20", "2027-01-08"])  # mid-quarter, and after its end (calibration trend)
def test_a_report_kernel_reads_a_sqlite_store_without_sqlalchemy(store_file, tmp_path, as_of):
    """SQLAlchemy costs each kernel about 0.2 s; on a SQLite store the review reads the file with sqlite3 only."""
    import nbformat
    import papermill

    from okr_workshop.kernels import papermill_options

    notebook = nbformat.read(Path(__file__).resolve().parents[1] / "templates" / "quarterly_review.ipynb", 4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import json, sys\nprint(json.dumps(sorted(m for m in ('sqlalchemy', 'okr_workshop.store.database') "
        "if m in sys.modules)))"))
    source = tmp_path / "review.ipynb"
    nbformat.write(notebook, source)
    done = papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), progress_bar=False,
                                      parameters={"db": str(store_file), "quarter": QUARTER, "scope": "team:fleet",
                                                  "as_of": as_of}, **papermill_options())
    printed = done.cells[-1].outputs[0]["text"]
    assert json.loads(printed) == []
