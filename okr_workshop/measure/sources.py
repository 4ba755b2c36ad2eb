"""What a measure source is, and how a measures file (YAML) names one per key result.

See :mod:`okr_workshop.measure` for the file's layout. :func:`read_measures`
reads it into :class:`Source` objects, and a :class:`MeasuresError` names the
file and the line of anything it cannot take. A source in words
(:meth:`Source.described`) never shows a password of its database URL.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from okr_workshop.exceptions import OkrWorkshopError

__all__ = ["VARIABLE", "MeasuresError", "Source", "read_measures", "shown_database"]

VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A ``${VAR}`` in a database URL, read from the environment when the source runs."""


class MeasuresError(OkrWorkshopError):
    """The measures file cannot be read (exit status 2); the message names the file and the line."""


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
        return f"{shown_database(self.db)}, query {digest}"



def read_measures(path: str | os.PathLike) -> list[Source]:
    """The sources a measures file names; :class:`MeasuresError` with the file and line when it cannot be read.

    A notebook's path is read from the file's folder when it is relative.
    """
    from okr_workshop.io.yamlform import load_with_lines  # noqa: PLC0415 - okr_workshop.io brings pandas; the server imports this package

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
        raise MeasuresError(
            f"{path}, line {line}: unknown key {unknown[0]!r}; expected key_result, db, sql or notebook")
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
    import yaml  # noqa: PLC0415 - PyYAML only when a measures file is read; the server imports this package

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        items = next(value for key, value in root.value if key.value == "measures").value
    except (yaml.YAMLError, AttributeError, StopIteration, OSError):
        return "?"
    wanted = str(entry)
    return next((item.start_mark.line + 1 for item in items
                 if isinstance(item, yaml.ScalarNode) and item.value == wanted), "?")


_USER_PASSWORD = re.compile(r"(//)([^:/@\s]*):\S*@")  # to the last @: a password may hold one
_QUERY_PASSWORD = re.compile(r"([?&](?:password|pwd|passwd)=)[^&\s]*", re.I)


def shown_database(template: str | None) -> str:
    """A database as people read it: a SQLite file's name, else the URL as written, without any password.

    ``user:password@`` and ``?password=`` alike go, even in a URL that is mistyped.
    """
    text = template or ""
    if text.startswith("sqlite:///"):  # a file's name says nothing secret: read its ${VAR} where it is set
        path = VARIABLE.sub(lambda m: os.environ.get(m.group(1), m.group(0)), text.removeprefix("sqlite:///"))
        return Path(path).name or text
    return _QUERY_PASSWORD.sub(r"\1***", _USER_PASSWORD.sub(r"\1\2:***@", text))
