"""Key results that measure themselves: a SQL query or a notebook gives the value, the toolkit records it.

A measures file (YAML) names each key result's source::

    measures:
      - key_result: C1.1
        db: sqlite:///analytics.db          # any SQLAlchemy URL; ${VAR} is read from the environment
        sql: SELECT count(*) FROM signups WHERE created_at <= :as_of
      - key_result: C1.2
        notebook: measures/churn.ipynb       # run by papermill with parameters key_result and as_of

A query must return exactly one row holding one number (``:as_of`` is bound
to the day measured). A notebook calls :func:`record` with its value.
:func:`measure` runs the sources side by side, each within a time limit, and
writes one check-in per key result for the day, with author ``measure`` and a
note naming the source (the query's digest, or the notebook's path). Running it
again on the same day replaces its own check-in, never a person's. A source that
fails is reported with the key result and the reason, and nothing is written for
it; the others are recorded.

A password in a URL never appears in a message or a note.

The file is read by :mod:`okr_workshop.measure.sources`, a source is run by
:mod:`okr_workshop.measure.execute`; this module keeps sources in the store and
records what they give. Their public names are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from okr_workshop.exceptions import InputError
from okr_workshop.measure.execute import DEFAULT_TIMEOUT, MIME, Engines, Outcome, record, run_source, test_source
from okr_workshop.measure.sources import MeasuresError, Source, read_measures
from okr_workshop.model import MEASURE_AUTHOR, MEASURE_AUTHOR_NAME
from okr_workshop.store.changes import now

__all__ = ["AUTHOR", "MIME", "MeasuresError", "Outcome", "Source", "attach_source", "detach_source", "measure",
           "read_measures", "record", "sources_to_run", "stored_sources", "test_source"]

AUTHOR = MEASURE_AUTHOR
"""The author of every check-in a source records (a person of that id is added to the store when missing)."""
AUTHOR_NAME = MEASURE_AUTHOR_NAME


# ------------------------------------------------------------------------------------------- sources kept in the store


def attach_source(store, key_result: str, *, db: str | None = None, sql: str | None = None,
                  notebook: str | None = None, by: str | None = None) -> Source:
    """Keep ``key_result``'s data source in the store (replacing one attached before); the source as read.

    Give ``db`` and ``sql``, or ``notebook``. A wrong combination or an unknown key
    result is an :class:`~okr_workshop.exceptions.InputError` and nothing is written.
    """
    import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy only with a store; measure notebooks import this for record()

    from okr_workshop.store.database import SQL_TABLES, measures_table  # noqa: PLC0415 - the store brings pandas and SQLAlchemy

    db, sql, notebook = (v.strip() if isinstance(v, str) and v.strip() else None for v in (db, sql, notebook))
    if notebook is None and (db is None or sql is None):
        raise InputError("source", "an incomplete source", "a database URL and a query, or a notebook", key_result)
    if notebook is not None and (db or sql):
        raise InputError("source", "a notebook and a query", "one of them", key_result)
    krs = SQL_TABLES["key_results"]
    with store.transaction() as conn:
        if conn.execute(sa.select(krs.c.id).where(krs.c.id == key_result)).first() is None:
            raise InputError("key_result", repr(key_result), "the id of a key result in the store")
        conn.execute(sa.delete(measures_table).where(measures_table.c.key_result == key_result))
        conn.execute(sa.insert(measures_table).values(
            key_result=key_result, db=db, sql=sql, notebook=notebook, saved_by=by,
            saved_at=now()))
    return Source(key_result, 0, db=db, sql=sql, notebook=Path(notebook) if notebook else None)


def detach_source(store, key_result: str) -> None:
    """Forget the data source attached to ``key_result`` (its recorded check-ins stay)."""
    import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy only with a store; measure notebooks import this for record()

    from okr_workshop.store.database import measures_table  # noqa: PLC0415 - the store brings pandas and SQLAlchemy

    with store.transaction() as conn:
        conn.execute(sa.delete(measures_table).where(measures_table.c.key_result == key_result))


def stored_sources(store) -> list[Source]:
    """The data sources attached to key results in the store, by key result id."""
    import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy only with a store; measure notebooks import this for record()

    from okr_workshop.store.database import measures_table  # noqa: PLC0415 - the store brings pandas and SQLAlchemy

    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(measures_table).order_by(measures_table.c.key_result)).mappings().all()
    return [Source(row["key_result"], 0, db=row["db"], sql=row["sql"],
                   notebook=Path(row["notebook"]) if row["notebook"] else None) for row in rows]


def sources_to_run(store, path: str | os.PathLike | None) -> list[Source]:
    """The sources a ``measure`` run takes: the store's attached ones, and the file's, which win for a key result."""
    from_file = read_measures(path) if path is not None else []
    named = {source.key_result for source in from_file}
    return [s for s in stored_sources(store) if s.key_result not in named] + from_file


# --------------------------------------------------------------------------------------------- recording


def measure(store, sources: Sequence[Source], as_of: dt.date | None = None, *, jobs: int = 4,
            timeout: float = DEFAULT_TIMEOUT, dry_run: bool = False,
            progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Run every source (``jobs`` at a time) and record each value as ``as_of``'s check-in; the outcomes, in order.

    A source for a key result the store does not have is an outcome with that
    error, and is not run. With ``dry_run`` nothing is written. ``progress``
    is called with each outcome as it arrives.
    """
    as_of = as_of or dt.date.today()
    known = store.known_ids()["key_results"]
    engines = Engines()
    outcomes: dict[int, Outcome] = {}
    runnable = []
    for i, source in enumerate(sources):
        if source.key_result not in known:
            outcomes[i] = Outcome(source, error=f"the store has no key result {source.key_result!r}")
            if progress:
                progress(outcomes[i])
        else:
            runnable.append(i)
    try:
        with tempfile.TemporaryDirectory(prefix="okr-measure-") as scratch, \
                ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(run_source, sources[i], as_of, timeout, engines, Path(scratch)): i for i in runnable}
            for future in as_completed(futures):
                i = futures[future]
                outcomes[i] = future.result()
                if progress:
                    progress(outcomes[i])
    finally:
        engines.close()
    ordered = [outcomes[i] for i in range(len(sources))]
    if not dry_run:
        _write(store, [o for o in ordered if o.ok], as_of)
    return ordered


def _write(store, outcomes: Iterable[Outcome], as_of: dt.date) -> None:
    """Replace ``measure``'s own check-ins of ``as_of`` for these key results with the new values.

    All of it happens in one transaction.
    """
    import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy only with a store; measure notebooks import this for record()

    from okr_workshop.store.database import SQL_TABLES  # noqa: PLC0415 - the store brings pandas and SQLAlchemy

    outcomes = list(outcomes)
    if not outcomes:
        return
    checkins, people = SQL_TABLES["checkins"], SQL_TABLES["people"]
    recorded_at = now()
    with store.transaction() as conn:
        if conn.execute(sa.select(people.c.id).where(people.c.id == AUTHOR)).first() is None:
            conn.execute(sa.insert(people).values(id=AUTHOR, name=AUTHOR_NAME))
        ids = [o.source.key_result for o in outcomes]
        conn.execute(sa.delete(checkins).where(checkins.c.key_result.in_(ids), checkins.c.date == as_of,
                                               checkins.c.author == AUTHOR))
        conn.execute(sa.insert(checkins), [
            {"key_result": o.source.key_result, "date": as_of, "value": o.value, "confidence": None,
             "note": o.note, "author": AUTHOR, "recorded_at": recorded_at} for o in outcomes])
