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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from pathlib import Path

from okr_workshop.exceptions import OkrWorkshopError

__all__ = ["AUTHOR", "MIME", "MeasuresError", "Outcome", "Source", "attach_source", "detach_source", "measure",
           "read_measures", "record", "sources_to_run", "stored_sources", "test_source"]

AUTHOR = "measure"
"""The author of every check-in a source records (a person of that id is added to the store when missing)."""
AUTHOR_NAME = "Measured from data"
MIME = "application/vnd.okr-workshop.measure+json"
"""The output type :func:`record` displays and the runner reads back from the executed notebook."""
DEFAULT_TIMEOUT = 60.0
"""Seconds a source may take."""

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_AS_OF = re.compile(r"(?<![:\w]):as_of\b")
"""The query's ``:as_of`` placeholder (``::as_of`` is a PostgreSQL cast, not a placeholder)."""


class MeasuresError(OkrWorkshopError):
    """The measures file cannot be read (exit status 2); the message names the file and the line."""


class SourceError(Exception):
    """A source gave no value: the reason, in words, for the person who owns the key result."""


@dataclass(frozen=True)
class Source:
    """Where one key result's value comes from: a query against a database, or a notebook."""

    key_result: str
    line: int
    db: str | None = None
    """The database URL as written (``${VAR}`` not yet read)."""
    sql: str | None = None
    notebook: Path | None = None

    @property
    def kind(self) -> str:
        """``sql`` or ``notebook``."""
        return "sql" if self.sql is not None else "notebook"

    def described(self) -> str:
        """The source in words, without any password: for notes and messages."""
        if self.kind == "notebook":
            return f"notebook {self.notebook}"
        digest = hashlib.sha256(self.sql.encode("utf-8")).hexdigest()[:10]
        return f"{_shown_database(self.db)}, query {digest}"


@dataclass(frozen=True)
class Outcome:
    """What one source gave: a value, or the reason it gave none."""

    source: Source
    value: float | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Did the source give a value?"""
        return self.error is None

    @property
    def note(self) -> str:
        """The check-in's note: where the value came from."""
        return f"measured from {self.source.described()}"


# --------------------------------------------------------------------------------------------- the file


def read_measures(path: str | os.PathLike) -> list[Source]:
    """The sources a measures file names; :class:`MeasuresError` with the file and line when it cannot be read.

    A notebook's path is read from the file's folder when it is relative.
    """
    from okr_workshop.io.yamlform import load_with_lines  # noqa: PLC0415

    path = Path(path)
    try:
        document = load_with_lines(path)
    except OkrWorkshopError as error:
        raise MeasuresError(str(error)) from error
    entries = document.get("measures") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        line = document.get("__line__", 1) if isinstance(document, dict) else 1
        raise MeasuresError(f"{path}, line {line}: expected a list under 'measures:', one entry per key result")
    sources, seen = [], {}
    for entry in entries:
        source = _source(path, entry)
        if source.key_result in seen:
            raise MeasuresError(f"{path}, line {source.line}: key result {source.key_result!r} is measured twice "
                                f"(first on line {seen[source.key_result]})")
        seen[source.key_result] = source.line
        sources.append(source)
    return sources


def _source(path: Path, entry: object) -> Source:
    if not isinstance(entry, dict):
        raise MeasuresError(f"{path}, line {_line_of(path, entry)}: expected each entry under 'measures:' to be a "
                            f"mapping (key_result, then db and sql, or notebook), not {str(entry)[:40]!r}")
    line = entry.get("__line__", 1)
    known = {"key_result", "db", "sql", "notebook", "__line__"}
    if unknown := sorted(set(entry) - known):
        raise MeasuresError(f"{path}, line {line}: unknown key {unknown[0]!r}; expected key_result, db, sql or notebook")
    key_result = entry.get("key_result")
    if not isinstance(key_result, str) or not key_result.strip():
        raise MeasuresError(f"{path}, line {line}: expected 'key_result:' with the id of a key result")
    sql, db, notebook = entry.get("sql"), entry.get("db"), entry.get("notebook")
    if notebook is not None and (sql is not None or db is not None):
        raise MeasuresError(f"{path}, line {line}: {key_result} names both a notebook and a query; keep one")
    if notebook is not None:
        if not isinstance(notebook, str) or not notebook.strip():
            raise MeasuresError(f"{path}, line {line}: expected 'notebook:' with the path of a notebook")
        where = Path(notebook.strip())
        return Source(key_result.strip(), line, notebook=where if where.is_absolute() else path.parent / where)
    if not isinstance(sql, str) or not sql.strip() or not isinstance(db, str) or not db.strip():
        raise MeasuresError(f"{path}, line {line}: {key_result} needs 'db:' (a database URL) and 'sql:' (a query), "
                            "or 'notebook:'")
    return Source(key_result.strip(), line, db=db.strip(), sql=sql.strip())


def _line_of(path: Path, entry: object) -> int | str:
    """The line of the first item under ``measures:`` that is the plain value ``entry`` (for a message)."""
    import yaml  # noqa: PLC0415

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        items = next(value for key, value in root.value if key.value == "measures").value
    except (yaml.YAMLError, AttributeError, StopIteration, OSError):
        return "?"
    wanted = str(entry)
    return next((item.start_mark.line + 1 for item in items
                 if isinstance(item, yaml.ScalarNode) and item.value == wanted), "?")


# --------------------------------------------------------------------------------------------- running a source


def _database_url(template: str) -> str:
    """``template`` with each ``${VAR}`` read from the environment; a missing one is the source's error."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise SourceError(f"the environment variable {name} is not set (the database URL names it)")
        return os.environ[name]

    return _VARIABLE.sub(value, template)


_USER_PASSWORD = re.compile(r"(//)([^:/@\s]*):\S*@")  # to the last @: a password may hold one
_QUERY_PASSWORD = re.compile(r"([?&](?:password|pwd|passwd)=)[^&\s]*", re.I)


def _shown_database(template: str | None) -> str:
    """A database as people read it: a SQLite file's name, else the URL as written, without any password
    (``user:password@`` and ``?password=`` alike, even in a URL that is mistyped)."""
    text = template or ""
    if text.startswith("sqlite:///"):  # a file's name says nothing secret: read its ${VAR} where it is set
        path = _VARIABLE.sub(lambda m: os.environ.get(m.group(1), m.group(0)), text.removeprefix("sqlite:///"))
        return Path(path).name or text
    return _QUERY_PASSWORD.sub(r"\1***", _USER_PASSWORD.sub(r"\1\2:***@", text))


class _Engines:
    """One SQLAlchemy engine per database URL, shared by the sources that query it (thread-safe)."""

    def __init__(self) -> None:
        self._engines: dict[str, object] = {}
        self._lock = threading.Lock()

    def get(self, url: str):
        import sqlalchemy as sa  # noqa: PLC0415

        with self._lock:
            engine = self._engines.get(url)
            if engine is None:
                try:
                    engine = sa.create_engine(url)
                except (sa.exc.ArgumentError, ImportError, ValueError) as error:
                    raise SourceError(f"cannot open the database: {error}") from None
                file = engine.url.database if engine.dialect.name == "sqlite" else None
                if file and file != ":memory:" and not file.startswith("file:") and not Path(file).is_file():
                    engine.dispose()  # SQLite would make an empty database there: say the file is missing instead
                    raise SourceError(f"there is no SQLite database at {file}")
                self._engines[url] = engine
            return engine

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()


def _number(value: object, what: str) -> float:
    """``value`` as a float when it is a number (a database's decimal included); else why it is none."""
    if value is None:
        raise SourceError(f"{what} gave NULL, not a number")
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        shown = str(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise SourceError(f"{what} gave {shown!r}, not a number")
    number = float(value)
    if not math.isfinite(number):
        raise SourceError(f"{what} gave {number}, not a finite number")
    return number


def _run_sql(source: Source, as_of: dt.date, timeout: float, engines: _Engines) -> float:
    import sqlalchemy as sa  # noqa: PLC0415

    engine = engines.get(_database_url(source.db))
    statement = sa.text(source.sql)
    parameters = {"as_of": as_of} if _AS_OF.search(source.sql) else {}
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET statement_timeout = {int(timeout * 1000)}")
            elif conn.dialect.name == "sqlite":
                conn.connection.driver_connection.set_progress_handler(
                    lambda: int(time.monotonic() > deadline), 10_000)
            rows = conn.execute(statement, parameters).fetchmany(2)
    except sa.exc.SQLAlchemyError as error:
        if time.monotonic() > deadline:
            raise SourceError(f"the query took longer than the limit of {timeout:g} s") from None
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise SourceError(f"the query failed: {reason}") from None
    if not rows:
        raise SourceError("the query returned no row; it must return one row with one number")
    if len(rows) > 1:
        raise SourceError("the query returned several rows; it must return one row with one number")
    if len(rows[0]) != 1:
        raise SourceError(f"the query returned {len(rows[0])} columns; it must return one number")
    return _number(rows[0][0], "the query")


def record(value: object) -> float:
    """Record ``value`` as the key result's measure, from inside a measure notebook; returns it as a number.

    Call it once, in the last cells: the last value recorded counts. Outside a
    ``measure`` run it only shows the value.
    """
    try:
        number = _number(value, "record()")
    except SourceError as error:
        raise ValueError(str(error)) from None
    try:
        from IPython.display import display  # noqa: PLC0415
    except ImportError:  # pragma: no cover - ipykernel brings IPython
        return number
    display({MIME: {"value": number}, "text/plain": f"measured: {number:g}"}, raw=True)
    return number


_NOISY = ("papermill", "nbclient", "traitlets", "asyncio")
"""Loggers that write their own lines on a notebook that fails or runs out of time: ours say it better."""
_quiet_lock = threading.Lock()
_quiet_depth = 0


@contextmanager
def _quiet_notebook_machinery() -> Iterator[None]:
    """Silence the notebook machinery's own log lines while notebooks run (from any number of threads)."""
    global _quiet_depth  # noqa: PLW0603 - one count for the process's loggers
    with _quiet_lock:
        if _quiet_depth == 0:
            for name in _NOISY:
                logging.getLogger(name).disabled = True
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                for name in _NOISY:
                    logging.getLogger(name).disabled = False


def _run_notebook(source: Source, as_of: dt.date, timeout: float, scratch: Path) -> float:
    import papermill  # noqa: PLC0415

    from okr_workshop.reports.kernels import papermill_options  # noqa: PLC0415

    if not source.notebook.is_file():
        raise SourceError(f"there is no notebook at {source.notebook}")
    out = scratch / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', source.key_result)}.ipynb"
    try:
        with _quiet_notebook_machinery():
            executed = papermill.execute_notebook(
                str(source.notebook), str(out),
                parameters={"key_result": source.key_result, "as_of": as_of.isoformat()},
                progress_bar=False, log_output=False, request_save_on_cell_execute=False, execution_timeout=timeout,
                **papermill_options())
    except papermill.PapermillExecutionError as error:
        raise SourceError(f"the notebook raised {error.ename}: {error.evalue}") from None
    except (TimeoutError, RuntimeError) as error:  # nbclient's cell timeout, a kernel that died
        if "timed out" in str(error).lower() or isinstance(error, TimeoutError):
            raise SourceError(f"the notebook took longer than the limit of {timeout:g} s") from None
        raise SourceError(f"the notebook could not run: {error}") from None
    values = [output["data"][MIME]["value"] for cell in executed.cells for output in cell.get("outputs", [])
              if MIME in output.get("data", {})]
    if not values:
        raise SourceError("the notebook recorded nothing: call okr_workshop.measure.record(value) in it")
    return float(values[-1])


def _run(source: Source, as_of: dt.date, timeout: float, engines: _Engines, scratch: Path) -> Outcome:
    started = time.perf_counter()
    try:
        if source.kind == "sql":
            value = _run_sql(source, as_of, timeout, engines)
        else:
            value = _run_notebook(source, as_of, timeout, scratch)
    except SourceError as error:
        return Outcome(source, error=str(error), seconds=time.perf_counter() - started)
    return Outcome(source, value=value, seconds=time.perf_counter() - started)


def test_source(source: Source, as_of: dt.date | None = None, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """Run one source without recording anything: what it gives today (the forms' "Test the query")."""
    import tempfile  # noqa: PLC0415

    engines = _Engines()
    try:
        with tempfile.TemporaryDirectory(prefix="okr-measure-") as scratch:
            return _run(source, as_of or dt.date.today(), timeout, engines, Path(scratch))
    finally:
        engines.close()


test_source.__test__ = False  # not a test for pytest to collect, for all its name


# --------------------------------------------------------------------------------------------- sources kept in the store


def attach_source(store, key_result: str, *, db: str | None = None, sql: str | None = None,
                  notebook: str | None = None, by: str | None = None) -> Source:
    """Keep ``key_result``'s data source in the store (replacing one attached before); the source as read.

    Give ``db`` and ``sql``, or ``notebook``. A wrong combination or an unknown key
    result is an :class:`~okr_workshop.exceptions.InputError` and nothing is written.
    """
    import sqlalchemy as sa  # noqa: PLC0415

    from okr_workshop.exceptions import InputError  # noqa: PLC0415
    from okr_workshop.store import SQL_TABLES, measures_table  # noqa: PLC0415

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
            saved_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)))
    return Source(key_result, 0, db=db, sql=sql, notebook=Path(notebook) if notebook else None)


def detach_source(store, key_result: str) -> None:
    """Forget the data source attached to ``key_result`` (its recorded check-ins stay)."""
    import sqlalchemy as sa  # noqa: PLC0415

    from okr_workshop.store import measures_table  # noqa: PLC0415

    with store.transaction() as conn:
        conn.execute(sa.delete(measures_table).where(measures_table.c.key_result == key_result))


def stored_sources(store) -> list[Source]:
    """The data sources attached to key results in the store, by key result id."""
    import sqlalchemy as sa  # noqa: PLC0415

    from okr_workshop.store import measures_table  # noqa: PLC0415

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
    import tempfile  # noqa: PLC0415

    as_of = as_of or dt.date.today()
    known = store.known_ids()["key_results"]
    engines = _Engines()
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
            futures = {pool.submit(_run, sources[i], as_of, timeout, engines, Path(scratch)): i for i in runnable}
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
    """Replace ``measure``'s own check-ins of ``as_of`` for these key results with the new values, in one transaction."""
    import sqlalchemy as sa  # noqa: PLC0415

    from okr_workshop.store import SQL_TABLES  # noqa: PLC0415

    outcomes = list(outcomes)
    if not outcomes:
        return
    checkins, people = SQL_TABLES["checkins"], SQL_TABLES["people"]
    recorded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with store.transaction() as conn:
        if conn.execute(sa.select(people.c.id).where(people.c.id == AUTHOR)).first() is None:
            conn.execute(sa.insert(people).values(id=AUTHOR, name=AUTHOR_NAME))
        ids = [o.source.key_result for o in outcomes]
        conn.execute(sa.delete(checkins).where(checkins.c.key_result.in_(ids), checkins.c.date == as_of,
                                               checkins.c.author == AUTHOR))
        conn.execute(sa.insert(checkins), [
            {"key_result": o.source.key_result, "date": as_of, "value": o.value, "confidence": None,
             "note": o.note, "author": AUTHOR, "recorded_at": recorded_at} for o in outcomes])
