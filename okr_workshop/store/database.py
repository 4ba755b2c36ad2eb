"""The store: every table of the model in a database, SQLite by default.

The store is chosen by a file path (SQLite) or a SQLAlchemy URL; without one,
``OKR_WORKSHOP_DB``, else ``./workshop.db``. SQLite runs with foreign keys on,
write-ahead logging and a busy timeout, so several kernels of one workshop can
share a file; its write transactions begin ``IMMEDIATE`` (taking the write
lock up front and waiting for it), so concurrent writers queue instead of
failing. A ``postgresql://`` URL opens PostgreSQL through psycopg 3, with the
same tables and the same code. An import is one transaction: all of the
workbook or nothing.

The tables are kept current by :mod:`okr_workshop.store.migrate` (alembic
migrations): a new store is created at the newest schema, an older one is
upgraded when it opens. Objectives carry a ``revision`` that every save
increments, so a form can tell whether someone saved the objective after it
was opened (see :mod:`okr_workshop.store.drafts`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from okr_workshop.exceptions import StoreError
from okr_workshop.schema import TABLES, Column
from okr_workshop.store.migrate import ensure_schema
from okr_workshop.store.rows import execute_rows, upsert_statement
from okr_workshop.store.url import DEFAULT_DB, ENV_VAR, database_url
from okr_workshop.visibility import visible_mask
from okr_workshop.workbook import Workbook, typed_frame

__all__ = ["DEFAULT_DB", "ENV_VAR", "RECORDED_BY", "ImportResult", "Store", "database_url"]

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536
"""SQLite page cache per connection: enough to keep the indexes in memory during a large import."""

metadata = sa.MetaData()

_TYPES = {
    "text": sa.Text,
    "number": sa.Float,
    "date": sa.Date,
    "quarter": lambda: sa.String(7),
    "choice": lambda: sa.String(20),
    "ids": sa.Text,
}


_UNINDEXED = {"author"}
"""References no query looks up by (an index only slows the bulk import)."""

ONE_PER = {"reflections": ("objective", "author")}
"""Tables without ids that hold one row per these columns: a new row replaces the stored one."""

RECORDED_BY = ("objectives", "key_results", "checkins", "reflections", "changes", "retro")
"""Tables the apps write, whose rows keep who recorded them (``recorded_by``, a person id; empty when imported).

A facilitator saving for someone else records the row as theirs (the owner or
author) and themself as its recorder. Like ``recorded_at``, it is bookkeeping
of the store, not a column of the workbook.
"""


def _sql_column(column: Column, key: str | None) -> sa.Column:
    keyed = column.name == key or (column.ref and column.kind != "ids")
    kind = sa.String(200) if keyed else _TYPES[column.kind]()
    args = []
    if column.ref and column.kind != "ids":
        args.append(sa.ForeignKey(f"{column.ref}.id", deferrable=True, initially="DEFERRED"))
    if column.choices:
        args.append(sa.CheckConstraint(
            f"{column.name} IN ({', '.join(repr(c) for c in column.choices)})", name=f"ck_{column.name}"
        ))
    return sa.Column(column.name, kind, *args, primary_key=column.name == key,
                     nullable=not column.required,
                     index=bool(column.ref and column.kind != "ids" and column.name not in _UNINDEXED))


def _sql_table(name: str) -> sa.Table:
    spec = TABLES[name]
    extra = []
    if spec.key is None:
        extra = [sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True)]
    columns = [_sql_column(column, spec.key) for column in spec.columns]
    if spec.key is None:
        columns.append(sa.Column("recorded_at", sa.DateTime, nullable=False,
                                 default=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)))
    if name == "objectives":
        columns += [
            sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
            sa.Column("saved_at", sa.DateTime),
            sa.Column("saved_by", sa.String(200)),
        ]
    if name in RECORDED_BY:
        columns.append(sa.Column("recorded_by", sa.String(200)))
    return sa.Table(name, metadata, *extra, *columns)


SQL_TABLES: dict[str, sa.Table] = {name: _sql_table(name) for name in TABLES}
meta_table = sa.Table("store_meta", metadata, sa.Column("key", sa.String(50), primary_key=True),
                      sa.Column("value", sa.Text, nullable=False))
"""Settings of the store; stores made before alembic kept their ``schema_version`` here."""
attempts_table = sa.Table(
    "course_attempts", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person", sa.String(200), nullable=False, index=True),
    sa.Column("exercise", sa.String(100), nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("reasons", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)
"""Onboarding course attempts: one row per graded exercise (``reasons`` is a JSON list of texts)."""
measures_table = sa.Table(
    "measures", metadata,
    sa.Column("key_result", sa.String(200), sa.ForeignKey("key_results.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("db", sa.Text), sa.Column("sql", sa.Text), sa.Column("notebook", sa.Text),
    sa.Column("saved_by", sa.String(200)), sa.Column("saved_at", sa.DateTime, nullable=False),
)
"""Data sources attached to key results in the workshop forms (:mod:`okr_workshop.measure`)."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # the driver begins nothing itself: _sqlite_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: turning WAL on waits for other connections
    cursor.execute("PRAGMA foreign_keys=ON")
    _turn_on_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def _turn_on_wal(cursor) -> None:
    """Put the file in WAL mode (it stays so), retrying while other connections hold it.

    SQLite takes the exclusive lock this needs without calling the busy
    handler, so when several kernels open an old rollback-journal store at
    once, all but one get "database is locked" at once: wait and try again,
    up to the busy timeout, as any other lock would.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _sqlite_begin(conn: Connection) -> None:
    """Every transaction begins explicitly: ``IMMEDIATE`` for writes (see :meth:`Store.transaction`), else deferred.

    Python's sqlite3 would begin only before the first write, after the reads
    that decided it, and a deferred transaction that reads and then writes
    fails at once ("database is locked") when another connection wrote in
    between; ``BEGIN IMMEDIATE`` takes the write lock first and waits up to
    the busy timeout for it.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


_WRITE = "okr_write"
"""Execution option marking a connection that will write (SQLite begins it IMMEDIATE)."""


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: rows added and rows replaced, per table."""

    added: Mapping[str, int]
    replaced: Mapping[str, int]


class Store:
    """A workshop store. ``Store()`` opens ``$OKR_WORKSHOP_DB`` or ``./workshop.db``, creating it when new."""

    def __init__(self, db: str | os.PathLike | None = None, *, create: bool = True):
        self.url = database_url(db)
        if self.url.startswith("sqlite:///") and not create:
            path = Path(self.url.removeprefix("sqlite:///"))
            if not path.exists():
                raise StoreError(f"No store at {path}: import a workbook first (okr-workshop import WORKBOOK)")
        # A kernel may sit idle for hours: on a server, test a pooled connection before use (a
        # restart, a firewall or pgbouncer may have closed it meanwhile) rather than fail a save.
        options = {"pool_pre_ping": True} if not self.url.startswith("sqlite") else {}
        try:
            self.engine: Engine = sa.create_engine(self.url, future=True, **options)
        except (sa.exc.ArgumentError, ImportError) as error:
            shown = re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", self.url)
            raise StoreError(f"Cannot open the store {shown!r}: {error}") from error
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        elif self.engine.dialect.name != "postgresql":
            raise StoreError(f"Unsupported database {self.engine.dialect.name!r}: use SQLite or PostgreSQL")
        self._ensure_schema(create)

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    @property
    def location(self) -> str:
        """Where the store is, fit to print: the SQLite file, or the URL without its password."""
        if self.url.startswith("sqlite:///"):
            return self.url.removeprefix("sqlite:///")
        return self.engine.url.render_as_string(hide_password=True)

    def _ensure_schema(self, create: bool) -> None:
        try:
            ensure_schema(self, metadata, create=create)
        except sa.exc.SQLAlchemyError as error:
            raise StoreError(f"Cannot open the store {self!r}: {error.orig or error}") from error

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection inside one transaction: committed when the block ends, rolled back on error.

        On SQLite the transaction holds the write lock from its start, so
        what it reads stays true until it commits.
        """
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def known_ids(self, conn: Connection | None = None) -> dict[str, set[str]]:
        """The ids already stored, per table (read on ``conn`` when given)."""
        if conn is None:
            with self.engine.connect() as own:
                return self.known_ids(own)
        return {
            name: set(conn.execute(sa.select(SQL_TABLES[name].c.id)).scalars())
            for name, spec in TABLES.items() if spec.key
        }

    def quarters(self) -> list[str]:
        """The quarters the stored objectives are for, oldest first."""
        column = SQL_TABLES["objectives"].c.quarter
        with self.engine.connect() as conn:
            return sorted(conn.execute(sa.select(column).where(column.is_not(None)).distinct()).scalars())

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.engine.connect() as conn:
            return {
                name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for name, t in SQL_TABLES.items()
            }

    def write_workbook(self, workbook: Workbook, conn: Connection | None = None) -> ImportResult:
        """Store every row of an already checked workbook in one transaction; rows with a known id are replaced.

        Check-ins identical to a stored one (same key result, date, value,
        confidence, note and author) are not added again, so importing the
        same workbook twice changes nothing. With ``conn`` (from
        :meth:`transaction`) the rows join the caller's transaction.
        """
        if conn is None:
            try:
                with self.transaction() as own:
                    return self.write_workbook(workbook, own)
            except sa.exc.SQLAlchemyError as error:
                raise StoreError(
                    f"Nothing was imported: the store refused the data ({error.orig or error})") from error
        added, replaced = {}, {}
        known = self.known_ids(conn)
        for name, spec in TABLES.items():
            frame = workbook[name]
            if frame.empty:
                continue
            if spec.key:
                replaced[name] = int(frame[spec.key].isin(known[name]).sum())
                added[name] = len(frame) - replaced[name]
                stamp = {"saved_at": _now(), "saved_by": None} if name == "objectives" else {}
                execute_rows(conn, upsert_statement(conn, SQL_TABLES[name]), frame, spec.column_names, **stamp)
            else:
                frame, replacing = self._new_rows(conn, name, frame)
                added[name] = len(frame) - replacing
                if replacing:
                    replaced[name] = replacing
                if len(frame):
                    execute_rows(conn, sa.insert(SQL_TABLES[name]), frame, spec.column_names, recorded_at=_now())
        return ImportResult(added=added, replaced=replaced)

    def _new_rows(self, conn: Connection, name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
        """The rows of a table without ids that are not stored yet, and how many of them replace a stored one.

        A row identical to a stored one is not added again. A reflection
        replaces the stored one of the same author on the same objective (of
        several in the workbook, the latest counts); the one it replaces is deleted here.
        """
        table = SQL_TABLES[name]
        fields = list(TABLES[name].column_names)
        if name in ONE_PER:
            frame = frame.sort_values("date", kind="stable").drop_duplicates(list(ONE_PER[name]), keep="last")
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0:
            return frame, 0
        stored = typed_frame(name, pd.read_sql(sa.select(*[table.c[f] for f in fields]), conn))
        merged = frame.merge(stored[fields].drop_duplicates(), on=fields, how="left", indicator=True)
        frame = frame[(merged["_merge"] == "left_only").to_numpy()]
        if name not in ONE_PER or frame.empty:
            return frame, 0
        keys = list(ONE_PER[name])
        replacing = frame.merge(stored[keys].drop_duplicates(), on=keys, how="inner")
        for values in replacing[keys].itertuples(index=False):
            conn.execute(sa.delete(table).where(*[table.c[k] == v for k, v in zip(keys, values, strict=True)]))
        return frame, len(replacing)

    def read_workbook(self, quarter: str | None = None, viewer: str | None = None,
                      conn: Connection | None = None) -> Workbook:
        """The stored data as a workbook: one quarter's objectives or all, as ``viewer`` may see it (None: all).

        All tables are read from one snapshot of the store, so a save landing
        meanwhile is either wholly in the workbook or not at all. With ``conn``
        (from :meth:`transaction`) the rows are read inside the caller's transaction.
        """
        if conn is None:
            with self.engine.connect() as own:
                if own.dialect.name == "postgresql":  # SQLite's transactions are snapshots already
                    own.execution_options(isolation_level="REPEATABLE READ")
                with own.begin():
                    return self.read_workbook(quarter, viewer, own)
        tables = {}
        for name, spec in TABLES.items():
            statement = sa.select(*[SQL_TABLES[name].c[c] for c in spec.column_names])
            if spec.key is None:
                statement = statement.order_by(SQL_TABLES[name].c.seq)
            # The driver's rows straight into a frame; typed_frame parses the dates a column at a time.
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.execute(str(statement.compile(dialect=conn.dialect)))
            rows = cursor.fetchall()
            cursor.close()
            tables[name] = typed_frame(name, pd.DataFrame.from_records(rows, columns=list(spec.column_names)))
        workbook = Workbook(tables=tables, source=repr(self))
        return _filtered(workbook, quarter, viewer)


def _now() -> dt.datetime:
    """The time now in UTC, without a zone (as the store keeps times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _filtered(workbook: Workbook, quarter: str | None, viewer: str | None) -> Workbook:
    objectives = workbook["objectives"]
    visible = visible_mask(objectives, workbook["people"], viewer)
    keep = visible & (objectives["quarter"] == quarter) if quarter is not None else visible
    workbook = workbook.only_objectives(keep.to_numpy(), nameable=visible.to_numpy())
    retro = workbook["retro"]
    if quarter is not None and not (retro["quarter"] == quarter).all():
        tables = dict(workbook.tables)
        tables["retro"] = retro[retro["quarter"] == quarter].reset_index(drop=True)
        workbook = Workbook(tables=tables, source=workbook.source)
    return workbook
