"""The end of a quarter on the record: adjustments to key results, reflections per objective, the team retro.

- :func:`adjust` changes a key result's title, start, target, unit, due date
  or weight and records each changed field in ``changes``: who, when, the old
  and the new value, and why. A reason is always required.
- :func:`reflect` records one person's reflection on an objective: the final
  score they agree, what worked, what did not, what was learned, and what
  next (``keep``, ``drop`` or ``carry``). A second one by the same person
  replaces the first.
- :func:`add_retro_note` records a line of a team's retro (start, stop,
  continue) or a shout-out.

Everything is checked before anything is written; a refusal is an
:class:`~okr_workshop.exceptions.InputError` naming the field, and the store
is left as it was.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from okr_workshop.exceptions import InputError, QuarterError, StoreError
from okr_workshop.model import MAX_TEXT, Next, Quarter, RetroKind, text_expectation
from okr_workshop.store.changes import FIELDS, changed_fields, now, record_changes
from okr_workshop.store.database import SQL_TABLES, Store
from okr_workshop.text import describe, unsafe_char
from okr_workshop.tracking.checkins import parse_date, parse_value

__all__ = [
    "Adjustment", "add_retro_note", "adjust", "reflect",
]

_NUMBERS = {"start", "target", "weight"}


@dataclass(frozen=True)
class Adjustment:
    """What :func:`adjust` changed: one ``(field, old, new)`` per changed field (empty: nothing to change)."""

    key_result: str
    changed: tuple[tuple[str, str | None, str | None], ...]
    date: dt.date


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(field: str, value: object, subject: str | None, form: str = "free", *, required: bool = False) -> str | None:
    """``value`` as clean text (None when empty and allowed); refuses control characters and overlong text."""
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise InputError(field, "nothing", "a few words", subject)
        return None
    if len(text) > MAX_TEXT:
        raise InputError(field, f"a text of {len(text):,} characters", f"at most {MAX_TEXT:,} characters", subject)
    if (char := unsafe_char(text, form)) is not None:
        raise InputError(field, f"{_shown(text)}, which holds {describe(char)}", text_expectation(form), subject)
    return text


def _exists(conn, table: str, ident: str) -> bool:
    column = SQL_TABLES[table].c.id
    return conn.execute(sa.select(column).where(column == ident)).first() is not None


def _person(conn, author: object, subject: str) -> str:
    person = (author or "").strip() if isinstance(author, str) else ""
    if not person or not _exists(conn, "people", person):
        raise InputError("author", _shown(author if author else ""), "the id of a person in the store", subject)
    return person


def _quarter_start(conn, objective: str) -> dt.date | None:
    table = SQL_TABLES["objectives"]
    quarter = conn.execute(sa.select(table.c.quarter).where(table.c.id == objective)).scalar()
    return Quarter.parse(quarter).first_day if quarter else None


def _new_values(key_result: str, values: Mapping[str, object]) -> dict[str, object]:
    """The requested values, each checked and in the store's type (``None`` leaves a field as it is)."""
    out: dict[str, object] = {}
    for field, value in values.items():
        if field not in FIELDS:
            raise InputError("field", _shown(field), f"one of {', '.join(FIELDS)}", key_result)
        if value is None:
            continue
        if field in _NUMBERS:
            try:
                number = parse_value(value, key_result) if not isinstance(value, float) else value
            except InputError as error:
                raise InputError(field, error.found, error.expected, key_result) from None
            if not math.isfinite(number):
                raise InputError(field, _shown(value), "a number", key_result)
            if field == "weight" and number <= 0:
                raise InputError("weight", _shown(value), "a number above 0", key_result)
            out[field] = number
        elif field == "due":
            try:
                out[field] = parse_date(value, key_result)
            except InputError as error:
                raise InputError("due", error.found, error.expected, key_result) from None
        else:
            out[field] = _text(field, value, key_result, "line", required=True)
    return out


def adjust(store: Store, key_result: str, values: Mapping[str, object], *, reason: object, author: object,
           date: object = None, recorded_by: str | None = None) -> Adjustment:
    """Change ``key_result``'s fields to ``values`` and record each change with ``author``, ``date`` and ``reason``.

    ``values`` maps field names (``title``, ``start``, ``target``, ``unit``,
    ``due``, ``weight``) to new values; a field already at its value is not
    recorded; ``recorded_by`` is who made the change for ``author``, if
    someone did. Refused, with nothing written: an unknown key result or
    author, a value that is no number where a number belongs, a missing
    reason, a date before the quarter's start.
    """
    key_result = (key_result or "").strip()
    new = _new_values(key_result, values)
    why = _text("reason", reason, key_result, required=True)
    day = parse_date(date, key_result)
    krs = SQL_TABLES["key_results"]
    try:
        with store.transaction() as conn:
            row = conn.execute(sa.select(krs).where(krs.c.id == key_result)).mappings().first() if key_result else None
            if row is None:
                raise InputError("key_result", _shown(key_result), "the id of a key result in the store")
            person = _person(conn, author, key_result)
            first = _quarter_start(conn, row["objective"])
            if first is not None and day < first:
                raise InputError("date", day.isoformat(), f"a day from the quarter's start ({first.isoformat()}) on",
                                 key_result)
            changed = changed_fields(row, new)
            if changed:
                conn.execute(sa.update(krs).where(krs.c.id == key_result)
                             .values({**{field: new[field] for field, _, _ in changed}, "recorded_by": recorded_by}))
                record_changes(conn, key_result, changed, reason=why, author=person, date=day,
                               recorded_by=recorded_by)
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"The key result was not changed: the store refused it ({error.orig or error})") from error
    return Adjustment(key_result, changed, day)


def reflect(store: Store, objective: str, *, author: object, score: object = None, worked: object = None,
            did_not_work: object = None, learned: object = None, next: object = None,
            date: object = None, recorded_by: str | None = None) -> dict:
    """Record ``author``'s reflection on ``objective`` (replacing theirs, if any); the row written, as a dict.

    ``score`` is the final score they agree, 0 to 1 (None: the computed
    score stands); ``next`` is ``keep``, ``drop`` or ``carry``; ``recorded_by``
    is who typed it for ``author``, if someone did (a facilitator). Refused, with
    nothing written: an unknown objective or author, a score that is no
    number or lies outside 0 to 1, an unknown ``next``.
    """
    objective = (objective or "").strip()
    agreed = None
    if score is not None and not (isinstance(score, str) and not score.strip()):
        try:
            agreed = parse_value(score, objective) if not isinstance(score, float) else score
        except InputError:
            raise InputError("score", _shown(score), "a number from 0 to 1 (0.7 for 70%)", objective) from None
        if not 0.0 <= agreed <= 1.0:
            raise InputError("score", _shown(score), "a number from 0 to 1 (0.7 for 70%)", objective)
    decision = None
    if next is not None and str(next).strip():
        decision = str(next).strip().lower()
        if decision not in {n.value for n in Next}:
            raise InputError("next", _shown(next), "keep, drop or carry", objective)
    row = {"objective": objective, "score": agreed, "next": decision,
           "worked": _text("worked", worked, objective), "did_not_work": _text("did_not_work", did_not_work, objective),
           "learned": _text("learned", learned, objective), "date": parse_date(date, objective)}
    table = SQL_TABLES["reflections"]
    try:
        with store.transaction() as conn:
            if not objective or not _exists(conn, "objectives", objective):
                raise InputError("objective", _shown(objective), "the id of an objective in the store")
            row["author"] = _person(conn, author, objective)
            conn.execute(sa.delete(table).where(table.c.objective == objective, table.c.author == row["author"]))
            conn.execute(sa.insert(table).values(**row, recorded_at=now(), recorded_by=recorded_by))
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"The reflection was not recorded: the store refused it ({error.orig or error})") from error
    return row


def add_retro_note(store: Store, team: str, quarter: str, kind: object, text: object, *, author: object = None,
                   date: object = None, recorded_by: str | None = None) -> dict:
    """Record a line of ``team``'s retro of ``quarter``: ``start``, ``stop``, ``continue`` or ``shout_out``.

    ``recorded_by`` is who typed it for ``author``, if someone did (a facilitator).
    """
    team = (team or "").strip()
    try:
        written = str(Quarter.parse(quarter))
    except QuarterError as error:
        raise InputError("quarter", _shown(quarter), error.expected, team) from None
    what = re.sub(r"[\s-]+", "_", str(kind or "").strip().lower())  # "shout-out" and "shout out" are shout_out
    if what not in {k.value for k in RetroKind}:
        raise InputError("kind", _shown(kind), "start, stop, continue or shout_out", team)
    row = {"team": team, "quarter": written, "kind": what,
           "text": _text("text", text, team, required=True), "date": parse_date(date, team)}
    try:
        with store.transaction() as conn:
            if not team or not _exists(conn, "teams", team):
                raise InputError("team", _shown(team), "the id of a team in the store")
            row["author"] = _person(conn, author, team) if author else None
            conn.execute(sa.insert(SQL_TABLES["retro"]).values(**row, recorded_at=now(), recorded_by=recorded_by))
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"The retro note was not recorded: the store refused it ({error.orig or error})") from error
    return row
