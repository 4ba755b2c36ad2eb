"""Schema migrations: a store made by an older version opens in this one with its data intact, on both backends.

``tests/data/store-schema-1.db`` was made by the first released okr-workshop
(commit 1238c75, ``store_meta.schema_version`` 1) from the full test workbook;
on PostgreSQL the same store is rebuilt with that release's tables (migration
0001) and the same rows.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from okr_workshop.exceptions import StoreError
from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store, database_url
from okr_workshop.store.drafts import load_draft, save_objective
from okr_workshop.store.migrate import revision_of, upgrade
from okr_workshop.store.revisions import HEAD, LEGACY_VERSIONS, REVISIONS
from okr_workshop.tracking.checkins import record_checkin
from okr_workshop.workbook import Workbook

FIRST_RELEASE = Path(__file__).parent / "data" / "store-schema-1.db"
TABLES_OF_THE_FIRST_RELEASE = ("teams", "people", "objectives", "key_results", "initiatives", "checkins",
                               "store_meta")


def _engine(db: str) -> sa.Engine:
    return sa.create_engine(database_url(db))


def _at_revision(db: str, revision: str, legacy: str | None = None) -> None:
    """Build the tables as of ``revision``; with ``legacy``, as a store made before alembic (``store_meta`` only)."""
    engine = _engine(db)
    with engine.begin() as conn:
        upgrade(conn, revision)
        if legacy is not None:
            conn.exec_driver_sql("DROP TABLE alembic_version")
            conn.exec_driver_sql(f"INSERT INTO store_meta (key, value) VALUES ('schema_version', '{legacy}')")
    engine.dispose()


def _first_release_store(backend: str, db_url: str) -> str:
    """A store made by the first release: the committed file, or on PostgreSQL its tables and rows rebuilt."""
    if backend == "sqlite":
        shutil.copyfile(FIRST_RELEASE, db_url)
        return db_url
    _at_revision(db_url, "0001", legacy="1")
    source = sqlite3.connect(FIRST_RELEASE)
    engine = _engine(db_url)
    with engine.begin() as conn:
        for name in TABLES_OF_THE_FIRST_RELEASE:
            if name == "store_meta":
                continue
            cursor = source.execute(f"SELECT * FROM {name}")
            columns = [d[0] for d in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor]
            conn.execute(sa.text(f"INSERT INTO {name} ({', '.join(columns)}) "
                                 f"VALUES ({', '.join(':' + c for c in columns)})"), rows)
        conn.exec_driver_sql("SELECT setval('checkins_seq_seq', (SELECT max(seq) FROM checkins))")
    engine.dispose()
    source.close()
    return db_url


def _columns(store: Store, table: str) -> dict[str, sa.types.TypeEngine]:
    with store.engine.connect() as conn:
        return {c["name"]: c["type"] for c in sa.inspect(conn).get_columns(table)}


def test_the_revisions_are_the_migration_files_in_order():
    from alembic.script import ScriptDirectory

    from okr_workshop.store.migrate import MIGRATIONS

    script = ScriptDirectory(str(MIGRATIONS))
    chain = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(chain) == REVISIONS and script.get_current_head() == HEAD
    assert set(LEGACY_VERSIONS.values()) <= set(REVISIONS)


def test_the_first_released_store_file_is_what_that_release_made():
    with sqlite3.connect(FIRST_RELEASE) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == set(TABLES_OF_THE_FIRST_RELEASE)
        assert conn.execute("SELECT value FROM store_meta").fetchall() == [("1",)]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(key_results)")]
        assert "type" not in columns and "carried_from" not in columns


TABLES_SINCE = ("reflections", "changes", "retro")
"""Tables the first release did not have."""


def test_a_store_of_the_first_release_opens_with_its_data_intact(backend, db_url, full_dir):
    db = _first_release_store(backend, db_url)
    store = Store(db, create=False)
    book = store.read_workbook()
    then = read_workbook(full_dir)
    then = Workbook(tables={name: frame for name, frame in then.tables.items() if name not in TABLES_SINCE})
    assert book.same_data(then)  # every row as written then; the new columns and tables empty
    assert book["key_results"]["type"].isna().all() and book["objectives"]["carried_from"].isna().all()
    with store.engine.connect() as conn:
        assert revision_of(conn) == HEAD
        assert "ix_checkins_author" not in {i["name"] for i in sa.inspect(conn).get_indexes("checkins")}
        assert set(conn.execute(sa.text("SELECT revision FROM objectives")).scalars()) == {1}
    assert "course_attempts" in sa.inspect(store.engine).get_table_names()
    if backend == "postgresql":
        assert isinstance(_columns(store, "objectives")["participants"], sa.Text)
    # and the current version writes to it
    draft = load_draft(store, "C1")
    draft.title = "Delight every customer"
    save_objective(store, draft, by="ana@example.org")
    record = record_checkin(store, "C1.1", 47, author="ana@example.org", date="2026-09-01")
    assert record.seq == 6
    assert load_draft(store, "C1").revision == 2
    store.close()


@pytest.mark.parametrize("version", sorted(LEGACY_VERSIONS))
def test_a_store_made_before_alembic_is_upgraded_from_the_version_it_says(backend, db_url, valid_dir, version):
    _at_revision(db_url, LEGACY_VERSIONS[version], legacy=version)
    store = Store(db_url)
    store.write_workbook(read_workbook(valid_dir))
    with store.engine.connect() as conn:
        assert revision_of(conn) == HEAD
    assert {"revision", "saved_at", "saved_by", "carried_from"} <= set(_columns(store, "objectives"))
    assert load_draft(store, "C1").revision == 1
    store.close()


def _type(column: dict, backend: str) -> str:
    kind = str(column["type"])
    if backend == "sqlite" and kind.startswith("VARCHAR"):
        return "TEXT"  # SQLite ignores declared lengths (0004 widens participants on PostgreSQL only)
    return kind


def _schema(db: str, backend: str) -> dict:
    """Every table's columns, keys, indexes and (on PostgreSQL) checks, as the database reports them.

    SQLite cannot add a check to an existing table, so checks count on PostgreSQL only.
    """
    engine = _engine(db)
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        found = {}
        for name in sorted(inspector.get_table_names()):
            found[name] = {
                "columns": [(c["name"], _type(c, backend), c["nullable"], c.get("default")) for c in
                            inspector.get_columns(name)],
                "primary": inspector.get_pk_constraint(name)["constrained_columns"],
                "foreign": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                                  for f in inspector.get_foreign_keys(name)),
                "indexes": sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(name)),
                "checks": sorted(c["name"] for c in inspector.get_check_constraints(name))
                if backend == "postgresql" else [],
            }
    engine.dispose()
    return found


def test_a_new_store_has_the_tables_the_migrations_build(backend, db_url, request, tmp_path):
    Store(db_url).close()
    if backend == "sqlite":
        other = str(tmp_path / "migrated.db")
    else:
        other = request.getfixturevalue("pg_cluster").create_schema()
    engine = _engine(other)
    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()
    new, migrated = _schema(db_url, backend), _schema(other, backend)
    assert set(new) == set(migrated)
    for name in new:  # column order differs where a migration added columns: compare as sets
        assert sorted(new[name]["columns"]) == sorted(migrated[name]["columns"]), name
        assert {k: v for k, v in new[name].items() if k != "columns"} == \
               {k: v for k, v in migrated[name].items() if k != "columns"}, name


def test_a_store_from_a_newer_version_is_refused(db_url):
    Store(db_url).close()
    engine = _engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this okr-workshop knows"):
        Store(db_url)


def test_a_failed_upgrade_leaves_the_store_as_it_was(db_url, valid_dir):
    _at_revision(db_url, "0003", legacy="3")
    engine = _engine(db_url)
    with engine.begin() as conn:  # a column in the way of migration 0004, after it has added `revision`
        conn.exec_driver_sql("ALTER TABLE objectives ADD COLUMN saved_by TEXT")
    engine.dispose()
    with pytest.raises(StoreError, match="Cannot open the store"):
        Store(db_url)
    engine = _engine(db_url)
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("objectives")}
        assert "revision" not in columns and "saved_at" not in columns
        assert not sa.inspect(conn).has_table("alembic_version")
    engine.dispose()


def test_opening_an_empty_database_without_create_is_refused(db_url):
    if "://" not in db_url:
        Path(db_url).touch()  # an empty file: SQLite's version of an empty database
    with pytest.raises(StoreError, match="No store at"):
        Store(db_url, create=False)


def test_kernels_opening_an_old_store_at_once_upgrade_it_once(db_url, valid_dir):
    _at_revision(db_url, "0002", legacy="2")
    errors, barrier = [], threading.Barrier(6)

    def open_store() -> None:
        barrier.wait()
        try:
            Store(db_url).close()
        except Exception as error:  # collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    store = Store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
        assert revision_of(conn) == HEAD
    store.close()


def test_opening_an_old_store_waits_for_a_writer_instead_of_failing(tmp_path, valid_dir):
    """SQLite's switch to WAL skips the busy handler when another connection holds the write lock:
    a writer on an old store must delay the opener, not fail it."""
    path = str(tmp_path / "store.db")
    _at_revision(path, "0002", legacy="2")  # made by the plain driver: a rollback-journal file, not WAL yet
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    assert writer.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock until it ends
    writer.execute("DELETE FROM store_meta WHERE key = 'nothing'")
    release = threading.Timer(0.5, lambda: writer.execute("COMMIT"))
    release.start()
    try:
        store = Store(path)
    finally:
        release.join()
        writer.close()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert revision_of(conn) == HEAD
    store.close()
