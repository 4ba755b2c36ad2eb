"""Writing many rows at once: an upsert statement that keeps objectives' revisions, and a fast executemany.

:func:`upsert_statement` builds the INSERT-or-UPDATE of a table for SQLite
or PostgreSQL; :func:`execute_rows` runs any statement for every row of a
data frame. The store's import and a form's save both write through them
(both are importable from :mod:`okr_workshop.store.database` too).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from okr_workshop.exceptions import StoreError

__all__ = ["execute_rows", "upsert_statement"]


def upsert_statement(conn: Connection, table: sa.Table, *, bump: bool = True):
    """INSERT, or UPDATE the row with the same id: the statement for :func:`execute_rows` to run for every row.

    With ``bump`` (an import), a stored row identical to the new one is
    left alone, and an objective that changes gets its ``revision`` raised
    by one, so forms that have it open learn that it changed. Without (a
    form's save, which has counted its revision already), the row is
    always written.
    """
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert  # noqa: PLC0415 - a store loads only its own database's dialect
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415 - a store loads only its own database's dialect
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise StoreError(f"Unsupported database {dialect!r}: use SQLite or PostgreSQL")
    statement = insert(table)
    stamps = {"revision", "saved_at", "saved_by", "recorded_by"}
    data = [c.name for c in table.columns if c.name != "id" and c.name not in stamps]
    values = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in {"id", "revision"}}
    if not bump:
        return statement.on_conflict_do_update(index_elements=["id"], set_=values)
    if "revision" in table.c:
        values["revision"] = table.c.revision + sa.literal_column("1")  # a literal: execute_rows binds row values only
    changed = sa.or_(*[table.c[name].is_distinct_from(statement.excluded[name]) for name in data])
    return statement.on_conflict_do_update(index_elements=["id"], set_=values, where=changed)


def execute_rows(conn: Connection, statement, frame: pd.DataFrame, names: tuple[str, ...], **constants) -> None:
    """Execute ``statement`` for every row of ``frame``, handing the driver plain values in one executemany.

    This skips SQLAlchemy's per-value processing, which costs more than the
    database's own work for 200,000 rows: values are converted a column at a
    time, in the form SQLAlchemy itself would store them. ``constants`` are
    columns with one value for every row.
    """
    sqlite = conn.dialect.name == "sqlite"
    columns = []
    for name in names:
        series = frame[name]
        missing = series.isna().to_numpy()
        if series.dtype.kind == "M":
            if sqlite:  # SQLAlchemy keeps SQLite dates as ISO text
                values = np.datetime_as_string(series.to_numpy(), unit="D").astype(object)
            else:
                values = np.array(series.dt.date.tolist(), dtype=object)
        else:
            values = series.to_numpy(dtype=object)
        if missing.any():
            values = values.copy()
            values[missing] = None
        columns.append(values.tolist())
    for name, value in constants.items():
        names = (*names, name)
        if sqlite and isinstance(value, dt.datetime):
            value = value.isoformat(sep=" ")
        columns.append([value] * len(frame))
    compiled = statement.compile(dialect=conn.dialect, column_keys=list(names))
    if compiled.positional:
        order = [names.index(key) for key in compiled.positiontup]
        rows = list(zip(*[columns[i] for i in order], strict=True))
    else:
        rows = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    conn.exec_driver_sql(str(compiled), rows)
