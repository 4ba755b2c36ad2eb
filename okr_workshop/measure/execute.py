"""Running one measure source: a SQL query or a notebook gives a number, within a time limit.

:func:`test_source` runs one source and records nothing (the forms' "Test the
query"); :func:`okr_workshop.measure.measure` runs many side by side with
:func:`run_source` and records their values. A notebook hands its value back
with :func:`record`. A source that gives no number is an :class:`Outcome`
with the reason, in words, for the person who owns the key result.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from pathlib import Path

from okr_workshop.measure.sources import VARIABLE, Source

__all__ = ["DEFAULT_TIMEOUT", "MIME", "Engines", "Outcome", "record", "run_source", "test_source"]

MIME = "application/vnd.okr-workshop.measure+json"
"""The output type :func:`record` displays and the runner reads back from the executed notebook."""
DEFAULT_TIMEOUT = 60.0
"""Seconds a source may take."""

_AS_OF = re.compile(r"(?<![:\w]):as_of\b")
"""The query's ``:as_of`` placeholder (``::as_of`` is a PostgreSQL cast, not a placeholder)."""


class SourceError(Exception):
    """A source gave no value: the reason, in words, for the person who owns the key result."""


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


def _database_url(template: str) -> str:
    """``template`` with each ``${VAR}`` read from the environment; a missing one is the source's error."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise SourceError(f"the environment variable {name} is not set (the database URL names it)")
        return os.environ[name]

    return VARIABLE.sub(value, template)


class Engines:
    """One SQLAlchemy engine per database URL, shared by the sources that query it (thread-safe)."""

    def __init__(self) -> None:
        self._engines: dict[str, object] = {}
        self._lock = threading.Lock()

    def get(self, url: str):
        """The engine of ``url``, made on first use; a SourceError when it cannot open that database."""
        import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy only when a query runs; the server imports this package

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
        """Close every engine made."""
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


def _run_sql(source: Source, as_of: dt.date, timeout: float, engines: Engines) -> float:
    import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy only when a query runs; the server imports this package

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
        from IPython.display import display  # noqa: PLC0415 - IPython only inside a notebook
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
    global _quiet_depth
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
    import papermill  # noqa: PLC0415 - Jupyter only when a notebook measure runs

    from okr_workshop.kernels import papermill_options  # noqa: PLC0415 - Jupyter only when a notebook measure runs

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


def run_source(source: Source, as_of: dt.date, timeout: float, engines: Engines, scratch: Path) -> Outcome:
    """What ``source`` gives on ``as_of``: a value, or the reason it gave none (never raises for a source's fault).

    A query opens its database through ``engines``; a notebook is executed into ``scratch``.
    """
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
    engines = Engines()
    try:
        with tempfile.TemporaryDirectory(prefix="okr-measure-") as scratch:
            return run_source(source, as_of or dt.date.today(), timeout, engines, Path(scratch))
    finally:
        engines.close()


test_source.__test__ = False  # not a test for pytest to collect, for all its name
