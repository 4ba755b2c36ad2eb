"""What ``okr-workshop report`` checks in the store before any report runs: its quarters, its teams, the viewer.

A SQLite store at the newest schema is read with the standard library's
``sqlite3``: a report needs nothing else from the store in the command's
process, and opening a :class:`~okr_workshop.store.database.Store` would cost the
import of pandas, pydantic and SQLAlchemy (about 0.6 s). Any other store is
opened as a :class:`~okr_workshop.store.database.Store`, which upgrades it or says
what is wrong.
"""

from __future__ import annotations

import sqlite3

from okr_workshop.store.revisions import HEAD
from okr_workshop.store.url import connect_sqlite

__all__ = ["store_facts"]


def store_facts(db: str | None, viewer: str | None) -> tuple[list[str], list[str], bool]:
    """The store's quarters (oldest first) and teams (in the store's order), and whether ``viewer`` is a person there.

    ``viewer`` None counts as known: a report for anyone.
    """
    facts = _sqlite_facts(db, viewer)
    return facts if facts is not None else _facts_through_the_store(db, viewer)


def _sqlite_facts(db: str | None, viewer: str | None) -> tuple[list[str], list[str], bool] | None:
    """:func:`store_facts` read with ``sqlite3`` from a SQLite store at the newest schema; None for any other store.

    None for another database, no file, an older or newer schema, or a file
    that is no store. The queries are the ones the store's give.
    """
    conn = connect_sqlite(db)
    if conn is None:
        return None
    try:
        if conn.execute("SELECT version_num FROM alembic_version").fetchall() != [(HEAD,)]:
            return None
        quarters = sorted(q for (q,) in conn.execute("SELECT DISTINCT quarter FROM objectives "
                                                    "WHERE quarter IS NOT NULL"))
        teams = [team for (team,) in conn.execute("SELECT teams.id FROM teams")]
        known = viewer is None or conn.execute("SELECT people.id FROM people WHERE people.id = ?",
                                               (viewer,)).fetchone() is not None
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return quarters, teams, known


def _facts_through_the_store(db: str | None, viewer: str | None) -> tuple[list[str], list[str], bool]:
    """:func:`store_facts` read through a :class:`~okr_workshop.store.database.Store` (any database, any schema)."""
    import sqlalchemy as sa  # noqa: PLC0415 - only when sqlite3 cannot read the store

    from okr_workshop.store.database import SQL_TABLES, Store  # noqa: PLC0415 - only when sqlite3 cannot read the store

    store = Store(db, create=False)
    try:
        quarters = store.quarters()
        with store.engine.connect() as conn:
            teams = list(conn.execute(sa.select(SQL_TABLES["teams"].c.id)).scalars())
            people = SQL_TABLES["people"]
            known = viewer is None or conn.execute(sa.select(people.c.id).where(people.c.id == viewer)).first()
    finally:
        store.close()
    return quarters, teams, bool(known)
