"""The workbook's tables and columns, read off the models in :mod:`okr_workshop.model`.

A :class:`Column` says what a cell may hold (its ``kind``), whether it is
required, its choices, its bounds and which table it refers to. Readers,
writers, the store and the blank templates all use these specs, so the contract
lives in one place.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache

import annotated_types
from pydantic import BaseModel, StringConstraints

from okr_workshop import model

__all__ = ["TABLES", "Column", "Table", "column_guide", "columns", "table"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a workbook table."""

    name: str
    kind: str
    """``text``, ``number``, ``date``, ``quarter``, ``choice`` or ``ids`` (``;``-separated ids)."""
    required: bool
    default: object = None
    choices: tuple[str, ...] = ()
    ref: str | None = None
    """The table whose ids this column holds."""
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    help: str = ""
    max_length: int | None = None
    """Longest text a cell may hold (ids: the store's column limit); None for columns that are not text."""
    multiline: bool = False
    """Free text (a description, a note): tabs and line breaks are kept. Other text is one line."""

    @property
    def text_form(self) -> str:
        """What the column's text may hold (:mod:`okr_workshop.text`): ``free``, ``line`` or ``id``."""
        if self.multiline:
            return "free"
        if self.kind == "ids" or self.ref is not None or (self.max_length or model.MAX_TEXT) < model.MAX_TEXT:
            return "id"
        return "line"


@dataclass(frozen=True, slots=True)
class Table:
    """A workbook table: its name (file or sheet name), model and columns."""

    name: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    key: str | None
    """The column that identifies a row (``id``), or None for check-ins."""

    @property
    def column_names(self) -> tuple[str, ...]:
        """The contract's column names, in order."""
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        """The columns every row must fill."""
        return tuple(c.name for c in self.columns if c.required)

    def __getitem__(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"No column named {name!r} in table {self.name!r}")


_HELP = {
    "teams": {
        "id": "short unique id of the team, e.g. cx",
        "name": "the team's name",
        "parent": "id of the team this team belongs to",
    },
    "people": {
        "id": "e-mail or handle, unique",
        "name": "full name",
        "team": "id of the person's team",
        "role": "leader, manager, member or facilitator",
        "start_date": "first working day (YYYY-MM-DD), for new hires",
    },
    "objectives": {
        "id": "unique id, e.g. C1 or CX-1",
        "title": "the objective in words, qualitative, no number",
        "level": "company, team or individual",
        "quarter": "the quarter it is for, YYYY-Qn, e.g. 2026-Q3",
        "team": "team id (required for team objectives)",
        "owner": "person id (required for individual objectives)",
        "parent": "id of the objective this one aligns to (empty for company objectives)",
        "visibility": "everyone (default), team or participants",
        "commitment": "aspirational (default) or committed",
        "description": "why it matters, in a sentence or two",
        "participants": "for visibility participants: person ids separated by ;",
        "carried_from": "id of the objective this one continues from an earlier quarter (set by carry-over)",
    },
    "key_results": {
        "id": "unique id, e.g. C1.1",
        "objective": "id of the objective it measures",
        "title": "the key result as written, e.g. Raise NPS from 40 to 50",
        "start": "baseline number",
        "target": "target number (below start for a decreasing metric)",
        "current": "latest value (defaults to the last check-in, else start)",
        "unit": "%, EUR, NPS, customers, ...",
        "due": "due date YYYY-MM-DD (defaults to the end of the quarter)",
        "owner": "person id",
        "weight": "positive number, default 1",
        "confidence": "0.0 to 1.0",
        "type": "increase, decrease, stay_above, stay_below or milestone (empty: read from start and target)",
        "carried_from": "id of the key result this one continues from an earlier quarter (set by carry-over)",
    },
    "initiatives": {
        "id": "unique id",
        "key_result": "id of the key result it should move",
        "title": "the work in words",
        "owner": "person id",
        "status": "planned, in_progress, done or dropped",
        "due": "due date YYYY-MM-DD",
    },
    "checkins": {
        "key_result": "id of the key result",
        "date": "date of the check-in, YYYY-MM-DD",
        "value": "the key result's value on that date",
        "confidence": "0.0 to 1.0: how sure the owner is to reach the target",
        "note": "what happened, what helps, what blocks",
        "author": "person id of who checked in",
    },
    "reflections": {
        "objective": "id of the objective looked back on",
        "author": "person id of who reflects",
        "date": "date of the reflection, YYYY-MM-DD",
        "score": "the final score the owner agrees, 0.0 to 1.0 (empty: the computed score)",
        "worked": "what worked",
        "did_not_work": "what did not work",
        "learned": "what we learned",
        "next": "keep, drop or carry (into the next quarter)",
    },
    "changes": {
        "key_result": "id of the key result changed",
        "date": "date of the change, YYYY-MM-DD",
        "author": "person id of who changed it",
        "field": "title, start, target, unit, due or weight",
        "old": "the value before",
        "new": "the value after",
        "reason": "why it changed",
    },
    "retro": {
        "team": "team id",
        "quarter": "the quarter looked back on, YYYY-Qn",
        "kind": "start, stop, continue or shout_out (a thank-you)",
        "text": "what to start, stop or continue, or whom to thank and why",
        "author": "person id of who wrote it",
        "date": "date, YYYY-MM-DD",
    },
}


def _column(table_name: str, name: str, field) -> Column:
    annotation = field.annotation
    args = typing.get_args(annotation)
    metadata = list(field.metadata)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in args if a is not type(None))
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for item in extra:
            metadata.extend(getattr(item, "metadata", [item]))
    element = typing.get_args(annotation)[0] if typing.get_origin(annotation) is tuple else annotation
    text_metadata = list(metadata) if element is annotation else list(typing.get_args(element)[1:])
    ref = next((m.table for m in metadata if isinstance(m, model.Ref)), None)
    bounds = {type(m): m for m in metadata}
    if typing.get_origin(annotation) is tuple:
        kind, choices = "ids", ()
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        kind, choices = "choice", tuple(e.value for e in annotation)
    elif annotation is float:
        kind, choices = "number", ()
    elif annotation is dt.date:
        kind, choices = "date", ()
    elif name == "quarter":
        kind, choices = "quarter", ()
    else:
        kind, choices = "text", ()
    default = field.get_default() if not field.is_required() else None
    if isinstance(default, Enum):
        default = default.value
    if default == ():
        default = None
    minimum = exclusive = None
    if annotated_types.Ge in bounds:
        minimum, exclusive = bounds[annotated_types.Ge].ge, False
    if annotated_types.Gt in bounds:
        minimum, exclusive = bounds[annotated_types.Gt].gt, True
    maximum = bounds[annotated_types.Le].le if annotated_types.Le in bounds else None
    max_length = next((m.max_length for m in text_metadata if isinstance(m, StringConstraints) and m.max_length),
                      None)
    return Column(
        name=name,
        kind=kind,
        required=field.is_required(),
        default=default,
        choices=choices,
        ref=ref,
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=bool(exclusive),
        help=_HELP[table_name][name],
        max_length=max_length if kind in ("text", "ids") else None,
        multiline=any(isinstance(m, model.FreeText) for m in text_metadata),
    )


def _table(name: str, record: type[BaseModel]) -> Table:
    cols = tuple(_column(name, field_name, f) for field_name, f in record.model_fields.items())
    return Table(name=name, model=record, columns=cols, key="id" if "id" in record.model_fields else None)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        _table("teams", model.Team),
        _table("people", model.Person),
        _table("objectives", model.Objective),
        _table("key_results", model.KeyResult),
        _table("initiatives", model.Initiative),
        _table("checkins", model.CheckIn),
        _table("reflections", model.Reflection),
        _table("changes", model.Change),
        _table("retro", model.RetroNote),
    )
}
"""Every table of a workbook, in the order they refer to each other."""


@cache
def table(name: str) -> Table:
    """The table spec called ``name``; a clear error if there is none."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"No table named {name!r}; tables are {', '.join(TABLES)}") from None


def columns(name: str) -> tuple[Column, ...]:
    """The columns of table ``name``."""
    return table(name).columns


def column_guide() -> str:
    """Every table and column with what to write in it, as Markdown (for blank templates)."""
    lines = [
        "# What to write in each column",
        "",
        "One file per table (or one sheet per table in a workbook). Columns marked * are required;",
        "leave any other cell empty when it does not apply. Extra columns of your own are kept.",
    ]
    for spec in TABLES.values():
        lines += ["", f"## {spec.name}", "", "| column | what to write |", "|---|---|"]
        lines += [f"| `{c.name}`{'*' if c.required else ''} | {c.help} |" for c in spec.columns]
    return "\n".join(lines) + "\n"
