"""Backup and restore: ``okr-workshop export`` of a whole store and ``import`` into an empty one give the same data.

On each backend, and across them (a workshop moving from its SQLite file to PostgreSQL, and back).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from okr_workshop.cli import main
from okr_workshop.io import read_workbook
from okr_workshop.store.database import ENV_VAR, Store
from okr_workshop.tracking.carryover import carry_over
from okr_workshop.tracking.checkins import record_checkin

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
ANA = "ana.ortiz@brightwell.example"


@pytest.fixture
def cli(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: object) -> str:
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return run


def _a_quarter_of_work(db: str) -> Store:
    """The example company after a quarter: check-ins with notes, key results carried into the next quarter."""
    store = Store(db)
    store.write_workbook(read_workbook(EXAMPLE))
    record_checkin(store, "C1.1", "1,920", confidence=0.7, note='=HYPERLINK("x") and a, comma', author=ANA,
                   date="2026-12-01")
    carry_over(store, "2026-Q4", "2027-Q1")
    return store


def test_export_then_import_into_an_empty_store_gives_the_same_data(cli, db_url, tmp_path, request, backend):
    source = _a_quarter_of_work(db_url)
    cli("export", tmp_path / "backup", "--db", db_url)
    if backend == "sqlite":
        target = str(tmp_path / "restored.db")
    else:  # with a password in the URL (the test server trusts any): never printed
        target = request.getfixturevalue("pg_cluster").create_schema().replace("postgres@", "postgres:s3cret@")
    output = cli("import", tmp_path / "backup", "--db", target)
    assert "Imported" in output and "s3cret" not in output
    restored = Store(target, create=False)
    original = source.read_workbook()
    assert original["key_results"]["carried_from"].notna().any()
    assert restored.read_workbook().same_data(original)
    assert restored.counts() == source.counts()
    restored.close()
    source.close()


def test_a_sqlite_store_moves_to_postgresql_and_back(cli, tmp_path, pg_cluster):
    source = _a_quarter_of_work(str(tmp_path / "workshop.db"))
    cli("export", tmp_path / "backup", "--db", tmp_path / "workshop.db")
    postgres = pg_cluster.create_schema()
    cli("import", tmp_path / "backup", "--db", postgres)
    cli("export", tmp_path / "again", "--db", postgres)
    cli("import", tmp_path / "again", "--db", tmp_path / "back.db")
    original = source.read_workbook()
    for db in (postgres, tmp_path / "back.db"):
        store = Store(db, create=False)
        assert store.read_workbook().same_data(original)
        store.close()
    source.close()
