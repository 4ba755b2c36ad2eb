"""Where the store is: its SQLAlchemy URL from a path, a URL or ``$OKR_WORKSHOP_DB``, without importing the store.

:mod:`okr_workshop.store.database` re-exports these; a process that only needs to
know where the store is (``okr-workshop report`` before its kernels run)
imports this module and not the store's pandas and SQLAlchemy.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

__all__ = ["DEFAULT_DB", "ENV_VAR", "connect_sqlite", "database_url", "sqlite_file"]

ENV_VAR = "OKR_WORKSHOP_DB"
DEFAULT_DB = "workshop.db"


def database_url(db: str | os.PathLike | None = None) -> str:
    """The SQLAlchemy URL for ``db``: a URL as given, a path as SQLite.

    Without ``db``: ``$OKR_WORKSHOP_DB``, else ``./workshop.db``.
    """
    db = os.fspath(db) if db is not None else os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in db:
        for scheme in ("postgresql://", "postgres://"):  # postgres:// is what some hosting providers hand out
            if db.startswith(scheme):
                return "postgresql+psycopg://" + db.removeprefix(scheme)
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def sqlite_file(db: str | os.PathLike | None = None) -> Path | None:
    """The SQLite file ``db`` names (as :func:`database_url` reads it) when it exists; None for any other store."""
    text = os.fspath(db) if db is not None else os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in text:
        if not text.startswith("sqlite:///"):
            return None
        text = text.removeprefix("sqlite:///")
    path = Path(text).expanduser()
    return path if path.is_file() else None


def connect_sqlite(db: str | os.PathLike | None = None):
    """A standard-library ``sqlite3`` connection to the SQLite file ``db`` names, or None for any other store
    (or a file sqlite3 cannot open): for readers that skip SQLAlchemy where it costs more than the read.
    """
    path = sqlite_file(db)
    if path is None:
        return None
    try:
        return sqlite3.connect(path)
    except sqlite3.Error:
        return None
