"""The tables of one quarter for a report: read from the store, or from a snapshot shared by many reports.

A kernel reads a SQLite store with the standard library's sqlite3, and for a
team or a person only the rows that scope needs. Any other database would
cost every kernel the import of SQLAlchemy and a full read of the quarter,
so there ``okr-workshop report`` reads the quarter once, writes it to a
snapshot file in a private temporary folder, hands its path to every
notebook (the ``snapshot`` parameter) and deletes it at the end. A
snapshot holds the quarter as the store had it, every objective included:
each report applies its own audience's visibility after loading it, exactly
as it would after reading the store.

Snapshots are pickles: load only the ones this module wrote.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from okr_workshop.exceptions import ReportError
from okr_workshop.reports.scope import Scope, needed_mask
from okr_workshop.schema import TABLES
from okr_workshop.store.url import connect_sqlite
from okr_workshop.workbook import Workbook, typed_frame

__all__ = ["SNAPSHOT_SUFFIX", "SNAPSHOT_VERSION", "Snapshot", "load_quarter", "read_snapshot", "write_snapshot"]

SNAPSHOT_SUFFIX = ".okr-snapshot"
SNAPSHOT_VERSION = 1
"""Bumped when what a snapshot holds changes; an older one is refused, not misread."""


@dataclass
class Snapshot:
    """One quarter of a store, as read at ``taken``."""

    version: int
    db: str
    quarter: str
    taken: dt.datetime
    workbook: Workbook


def write_snapshot(db: str | os.PathLike | None, quarter: str, folder: str | os.PathLike) -> Path:
    """Read ``quarter`` from the store ``db`` once and write it to ``folder``; returns the file's path."""
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only the runner reads the store

    store = Store(db, create=False)
    try:
        workbook = store.read_workbook(quarter=quarter)
    finally:
        store.close()
    path = Path(folder) / f"{quarter}{SNAPSHOT_SUFFIX}"
    snapshot = Snapshot(SNAPSHOT_VERSION, store.url, quarter, dt.datetime.now(dt.UTC).replace(microsecond=0), workbook)
    with path.open("wb") as handle:
        pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def read_snapshot(path: str | os.PathLike) -> Snapshot:
    """A snapshot written by :func:`write_snapshot`."""
    path = Path(path)
    if path.suffix != SNAPSHOT_SUFFIX or not path.is_file():
        raise ReportError(f"{path} is no snapshot made by okr-workshop report")
    try:
        with path.open("rb") as handle:
            snapshot = pickle.load(handle)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as error:
        raise ReportError(f"{path} is no snapshot made by okr-workshop report ({error})") from None
    if not isinstance(snapshot, Snapshot) or snapshot.version != SNAPSHOT_VERSION:
        raise ReportError(f"{path} was made by another version of okr-workshop; run the report again")
    return snapshot


def load_quarter(db: str | os.PathLike | None, quarter: str | None, snapshot: str | os.PathLike | None = None,
                 as_of: dt.date | None = None, scope: Scope | None = None) -> tuple[str, Workbook]:
    """The quarter (``quarter``, else the one :func:`~okr_workshop.tracking.status.pick_quarter` picks) and its tables.

    From ``snapshot`` when given (its quarter must be ``quarter``), else
    from the store ``db``. Every objective is included (visibility is the
    caller's next step); with a team or person ``scope``, a SQLite store's
    key results, initiatives and check-ins are read only for the objectives
    that scope needs (:func:`~okr_workshop.reports.scope.needed_mask`).
    """
    if snapshot:
        shot = read_snapshot(snapshot)
        if quarter and quarter != shot.quarter:
            raise ReportError(f"the snapshot {snapshot} holds {shot.quarter}, not {quarter}")
        return shot.quarter, shot.workbook
    from okr_workshop.tracking.status import pick_quarter  # noqa: PLC0415 - tracking.status loads SQLAlchemy; importing this module does not

    fast = _read_sqlite(db, quarter, as_of, scope)
    if fast is not None:
        known, chosen, workbook = fast
    else:
        from okr_workshop.store.database import Store  # noqa: PLC0415 - SQLAlchemy only for a store sqlite3 cannot read

        store = Store(db, create=False)
        try:
            known = store.quarters()
            chosen = quarter or pick_quarter(known, as_of or dt.date.today())
            workbook = store.read_workbook(quarter=chosen) if chosen in known else None
        finally:
            store.close()
    if workbook is None:
        listed = ", ".join(known) or "none yet"
        raise ReportError(f"the store has no objectives for {chosen or 'any quarter'} (quarters: {listed})")
    return chosen, workbook


_IN_QUARTER = "SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective WHERE o.quarter = :quarter"
_QUARTER_ROWS = {
    "teams": "ORDER BY rowid",
    "people": "ORDER BY rowid",
    "objectives": "WHERE quarter = :quarter ORDER BY rowid",
    "key_results": "WHERE objective IN (SELECT id FROM objectives WHERE quarter = :quarter) ORDER BY rowid",
    "initiatives": f"WHERE key_result IN ({_IN_QUARTER}) ORDER BY rowid",
    "checkins": f"WHERE key_result IN ({_IN_QUARTER}) ORDER BY seq",
    "reflections": "WHERE objective IN (SELECT id FROM objectives WHERE quarter = :quarter) ORDER BY seq",
    "changes": f"WHERE key_result IN ({_IN_QUARTER}) ORDER BY seq",
    "retro": "WHERE quarter = :quarter ORDER BY seq",
}
"""The rows of one quarter, in the order the store keeps them (as its own reads give them)."""
_ALL_ROWS = {name: "ORDER BY seq" if "seq" in where else "ORDER BY rowid" for name, where in _QUARTER_ROWS.items()}
"""Every row, in the same order: for a store that holds one quarter only."""


MAX_LISTED = 900
"""Objectives a scope may need before its rows are read for the whole quarter instead (SQLite's bound parameters)."""


def _narrowed(tables: dict, scope: Scope | None) -> tuple[dict[str, str], dict[str, str]] | None:
    """The conditions (and their parameters) that read only the rows of the objectives a team or person needs."""
    if scope is None or scope.kind == "company":
        return None
    needed = needed_mask(tables["objectives"], tables["people"], tables["teams"], scope)
    ids = tables["objectives"]["id"][needed.to_numpy()].tolist()
    if len(ids) > MAX_LISTED:
        return None
    marks = ", ".join(f":o{i}" for i in range(len(ids))) or "NULL"
    listed = f"SELECT id FROM key_results WHERE objective IN ({marks})"
    return ({"key_results": f"WHERE objective IN ({marks}) ORDER BY rowid",
             "initiatives": f"WHERE key_result IN ({listed}) ORDER BY rowid",
             "checkins": f"WHERE key_result IN ({listed}) ORDER BY seq",
             "changes": f"WHERE key_result IN ({listed}) ORDER BY seq",
             "reflections": f"WHERE objective IN ({marks}) ORDER BY seq"},
            {f"o{i}": oid for i, oid in enumerate(ids)})


def _read_sqlite(db: str | os.PathLike | None, quarter: str | None, as_of: dt.date | None,
                 scope: Scope | None = None) -> tuple[list[str], str | None, Workbook | None] | None:
    """A SQLite store's quarter read with the standard library's sqlite3; None when another way must do.

    A report kernel would otherwise import SQLAlchemy and check the schema
    just to read (about 0.4 s of its time). The rows and their order are the
    ones :meth:`okr_workshop.store.database.Store.read_workbook` gives; a store of an
    older schema, or any other database, goes through the store.
    """
    conn = connect_sqlite(db)
    if conn is None:
        return None
    from okr_workshop.tracking.status import pick_quarter  # noqa: PLC0415 - tracking.status loads SQLAlchemy; importing this module does not

    try:
        known = sorted(q for (q,) in conn.execute("SELECT DISTINCT quarter FROM objectives WHERE quarter IS NOT NULL"))
        chosen = quarter or pick_quarter(known, as_of or dt.date.today())
        if chosen not in known:
            return known, chosen, None
        others = conn.execute("SELECT COUNT(*) FROM objectives WHERE quarter IS NULL OR quarter != :quarter",
                              {"quarter": chosen}).fetchone()[0]
        rows_of = _QUARTER_ROWS if others else _ALL_ROWS  # one quarter in the store: no join to find its rows
        tables, narrowed = {}, None
        for name, spec in TABLES.items():
            columns = ", ".join(f'"{c}"' for c in spec.column_names)
            where, parameters = rows_of.get(name, ""), {"quarter": chosen}
            if name == "key_results":
                narrowed = _narrowed(tables, scope)
            if narrowed is not None:
                where, parameters = narrowed[0].get(name, where), narrowed[1] | {"quarter": chosen}
            rows = conn.execute(f"SELECT {columns} FROM {name} {where}", parameters).fetchall()
            tables[name] = typed_frame(name, pd.DataFrame.from_records(rows, columns=list(spec.column_names)))
        file = conn.execute("PRAGMA database_list").fetchone()[2]  # the main database's file, as opened
    except sqlite3.Error:
        return None  # not a store this version knows how to read directly: the store will say why
    finally:
        conn.close()
    return known, chosen, Workbook(tables=tables, source=f"Store('sqlite:///{Path(file).resolve()}')")
