"""Importing a workbook file into the store: checked against what the store already holds, then all of it or nothing.

This is what ``okr-workshop import`` does; it lives here so that a notebook
or a script imports a workbook the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

from okr_workshop.exceptions import WorkbookError
from okr_workshop.io import read_workbook
from okr_workshop.store.database import ImportResult, Store, database_url

__all__ = ["import_workbook"]


def import_workbook(path: str | os.PathLike, db: str | os.PathLike | None = None) -> tuple[Store, ImportResult]:
    """Check the workbook at ``path`` and store all of it in ``db`` in one transaction; the store and what it wrote.

    The workbook is checked against the ids already in the store, so it may
    refer to a team or an objective stored before. Rows whose id is stored
    are replaced; check-ins already stored are not added twice. Raises
    :class:`~okr_workshop.exceptions.WorkbookError` with every problem when
    the workbook cannot be stored: then nothing is written, and a SQLite
    file that did not exist is not created.
    """
    store = None if _new_sqlite_file(db) else Store(db)
    try:
        book = read_workbook(path, known=store.known_ids() if store else None)
    except WorkbookError:
        if store is not None:
            store.close()
        raise
    store = store or Store(db)
    return store, store.write_workbook(book)


def _new_sqlite_file(db: str | os.PathLike | None) -> bool:
    """Whether ``db`` names a SQLite file that does not exist yet."""
    url = database_url(db)
    return url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()
