"""Saving what people write in the workshop: one objective with its key results at a time.

The apps collect an :class:`ObjectiveDraft` from their forms and call
:func:`save_objective`. A save is one transaction: the objective and all its
key results land together, or nothing does, and every problem is reported at
once, naming the field (``key result 2, field 'target'``). New objectives get a
readable id (``C4``, ``SALES-3``, ``I-sofia-2``); new key results the
objective's id and a number (``C4.1``). Ids are claimed with a plain insert, so
two people saving new objectives at the same moment both land, under
different ids, on SQLite and on PostgreSQL alike.

Two people editing the same objective never overwrite each other unseen: a
draft remembers the objective's ``revision`` when it was loaded, and a save
goes through only while the store still holds that revision (``UPDATE ...
WHERE revision = ?`` in the save's transaction). Otherwise it raises
:class:`ConflictError`, naming when the other save happened and by whom.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
import pydantic
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from okr_workshop.exceptions import ConflictError, Problem, StoreError, WorkbookError
from okr_workshop.model import KeyResult, Objective, quarter_bounds
from okr_workshop.schema import TABLES
from okr_workshop.store.changes import changed_fields, record_changes
from okr_workshop.store.database import SQL_TABLES, Store
from okr_workshop.store.rows import execute_rows, upsert_statement
from okr_workshop.validate import validate_workbook
from okr_workshop.workbook import Workbook

__all__ = ["ConflictError", "KeyResultDraft", "ObjectiveDraft", "delete_objective", "load_draft", "save_objective"]

_SOURCE = "the form"
_ATTEMPTS = 8
"""A save is tried at least this often when another writer took the same new id or held the lock..."""
_PATIENCE = 30.0
"""...and for at least this many seconds, so a busy workshop store delays a save rather than refuse it."""


@dataclass
class KeyResultDraft:
    """A key result as typed into a form; ``id`` is None until it is saved."""

    title: str = ""
    start: float | None = None
    target: float | None = None
    unit: str | None = None
    due: dt.date | None = None
    confidence: float | None = None
    weight: float = 1.0
    owner: str | None = None
    id: str | None = None

    @property
    def blank(self) -> bool:
        """Nothing typed: an empty row the form may leave out."""
        return not self.title.strip() and self.start is None and self.target is None


@dataclass
class ObjectiveDraft:
    """An objective as typed into a form, with its key results in order."""

    title: str = ""
    level: str = "company"
    quarter: str | None = None
    team: str | None = None
    owner: str | None = None
    parent: str | None = None
    visibility: str = "everyone"
    commitment: str = "aspirational"
    description: str | None = None
    participants: tuple[str, ...] = ()
    key_results: list[KeyResultDraft] = field(default_factory=list)
    id: str | None = None
    revision: int | None = None
    """The objective's revision when it was loaded (None: new, or saved without checking for other saves)."""
    reason: str | None = None
    """Why stored key results change: required once the quarter has begun (the changes stay on the record)."""
    today: dt.date | None = None
    """The day of the save (None: today); it decides whether the quarter has begun."""


def _clean(value):
    """Empty text from a form means 'not given'."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


_EXPECTED = {
    "title": "some text", "confidence": "a number from 0 to 1",
    "weight": "a number above 0", "start": "a number", "target": "a number", "due": "a date such as 2026-12-31",
    "level": "company, team or individual", "visibility": "everyone, team or participants",
    "commitment": "aspirational or committed",
}


def _problems_of(error: pydantic.ValidationError, what: str) -> list[Problem]:
    problems = []
    for item in error.errors():
        column = ".".join(str(part) for part in item["loc"]) or None
        value = item.get("input")
        shown = value.isoformat() if isinstance(value, dt.date) else value
        found = repr(shown) if value not in (None, "") else "nothing"
        expected = _EXPECTED.get(column or "", item["msg"].lower())
        said = str(item.get("ctx", {}).get("error", ""))
        if item["type"] == "value_error" and said.startswith("it "):  # the model's words: "it holds ...; expected ..."
            holds, _, expected = said.partition("; expected ")
            found = f"{found}, which {holds.removeprefix('it ')}"
        problems.append(Problem(f"{_SOURCE} ({what})", None, column, found, expected))
    return problems


def _records(draft: ObjectiveDraft, objective_id: str, kr_ids: list[str]) -> tuple[Objective, list[KeyResult]]:
    """The draft as model records; every field problem of the objective and its key results at once."""
    problems: list[Problem] = []
    objective = None
    try:
        objective = Objective(
            id=objective_id, title=draft.title, level=draft.level, quarter=_clean(draft.quarter),
            team=_clean(draft.team), owner=_clean(draft.owner), parent=_clean(draft.parent),
            visibility=draft.visibility or "everyone", commitment=draft.commitment or "aspirational",
            description=_clean(draft.description), participants=tuple(p for p in draft.participants if p),
        )
    except pydantic.ValidationError as error:
        problems += _problems_of(error, "objective")
    key_results = []
    rows = [kr for kr in draft.key_results if not kr.blank]
    for number, (kr, kr_id) in enumerate(zip(rows, kr_ids, strict=True), start=1):
        try:
            key_results.append(KeyResult(
                id=kr_id, objective=objective_id, title=kr.title, start=kr.start, target=kr.target,
                unit=_clean(kr.unit), due=kr.due, confidence=kr.confidence, weight=kr.weight,
                owner=_clean(kr.owner) or _clean(draft.owner),
            ))
        except pydantic.ValidationError as error:
            problems += _problems_of(error, f"key result {number}")
    if problems:
        raise WorkbookError(problems)
    return objective, key_results


def _prefix(draft: ObjectiveDraft) -> str:
    if draft.level == "team" and draft.team:
        return re.sub(r"[^A-Za-z0-9]+", "-", draft.team).strip("-").upper() + "-"
    if draft.level == "individual" and draft.owner:
        handle = draft.owner.split("@")[0].split(".")[0]
        return "I-" + (re.sub(r"[^A-Za-z0-9]+", "-", handle).strip("-").lower() or "person") + "-"
    return "C"


def _next_id(conn: Connection, table: sa.Table, prefix: str, taken: Iterable[str] = ()) -> str:
    """The prefix and one more than the highest number stored after it (``C3`` → ``C4``).

    On PostgreSQL the transaction first takes a lock on the prefix, so two
    saves wanting the next ``C`` id take turns instead of colliding and
    retrying (SQLite's write lock, taken when the save began, does the same).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"{table.name}:{prefix}"))))
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    ids = list(conn.execute(sa.select(table.c.id).where(table.c.id.startswith(prefix, autoescape=True))).scalars())
    numbers = [int(m[1]) for i in [*ids, *taken] if (m := pattern.match(i))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _claim(conn: Connection, draft: ObjectiveDraft) -> int:
    """Take the stored objective for this save: its revision goes up by one, if it is still the one the draft saw.

    The UPDATE also locks the row (PostgreSQL) or runs under the write lock
    (SQLite), so of two saves of the same revision exactly one gets through.
    Returns the new revision.
    """
    objectives = SQL_TABLES["objectives"]
    claim = sa.update(objectives).where(objectives.c.id == draft.id).values(revision=objectives.c.revision + 1)
    if draft.revision is not None:
        claim = claim.where(objectives.c.revision == draft.revision)
    if conn.execute(claim).rowcount == 1:
        return conn.execute(sa.select(objectives.c.revision).where(objectives.c.id == draft.id)).scalar_one()
    row = conn.execute(sa.select(objectives.c.saved_at, objectives.c.saved_by)
                       .where(objectives.c.id == draft.id)).first()
    if row is None:
        raise StoreError(f"The objective {draft.id!r} is no longer in the store (someone deleted it); "
                         f"copy your text and start a new objective.")
    raise ConflictError(draft.id, row.saved_at, row.saved_by)


def _save(conn: Connection, store: Store, draft: ObjectiveDraft, by: str | None,
          recorded_by: str | None) -> tuple[str, list[str], int]:
    objectives, key_results = SQL_TABLES["objectives"], SQL_TABLES["key_results"]
    new = draft.id is None
    objective_id = draft.id or _next_id(conn, objectives, _prefix(draft))
    revision = 1 if new else _claim(conn, draft)
    kr_ids: list[str] = []
    for kr in (kr for kr in draft.key_results if not kr.blank):
        kr_ids.append(kr.id or _next_id(conn, key_results, f"{objective_id}.", kr_ids))
    objective, records = _records(draft, objective_id, kr_ids)
    workbook = Workbook.from_records(objectives=[objective], key_results=records)
    known = store.known_ids(conn)
    known["objectives"] = known["objectives"] - {objective_id}
    known["key_results"] = known["key_results"] - set(kr_ids)
    if problems := validate_workbook(workbook, known):
        raise WorkbookError([Problem(_SOURCE, p.row, p.column, p.found, p.expected) for p in problems])
    stored = set(conn.execute(sa.select(key_results.c.id).where(key_results.c.objective == objective_id)).scalars())
    _remove_key_results(conn, stored - set(kr_ids))
    upsert = upsert_statement(conn, objectives, bump=False)  # _claim counted this save already
    execute_rows(conn, sa.insert(objectives) if new else upsert, workbook["objectives"],
                 TABLES["objectives"].column_names, saved_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), saved_by=by,
                 recorded_by=recorded_by)
    new_krs = workbook["key_results"][~workbook["key_results"]["id"].isin(stored)]
    old_krs = workbook["key_results"][workbook["key_results"]["id"].isin(stored)]
    _keep_changes_on_record(conn, draft, old_krs, by, recorded_by)
    names = TABLES["key_results"].column_names
    if len(new_krs):
        execute_rows(conn, sa.insert(key_results), new_krs, names, recorded_by=recorded_by)
    if len(old_krs):  # an unchanged key result keeps its recorder: the upsert leaves identical rows alone
        execute_rows(conn, upsert_statement(conn, key_results), old_krs, names, recorded_by=recorded_by)
    return objective_id, kr_ids, revision


def _keep_changes_on_record(conn: Connection, draft: ObjectiveDraft, edited: pd.DataFrame, by: str | None,
                            recorded_by: str | None) -> None:
    """Record the changes to tracked key results once the quarter has begun; refused without a reason or a person.

    A key result is tracked once it has a check-in: until then it is still a draft being written (a new
    hire's first OKRs, a key result added mid-quarter), and editing it changes nothing anyone measured.
    """
    day = draft.today or dt.date.today()
    if edited.empty or not draft.quarter or day < quarter_bounds(draft.quarter)[0]:
        return
    checkins = SQL_TABLES["checkins"]
    tracked = set(conn.execute(sa.select(checkins.c.key_result).distinct()
                               .where(checkins.c.key_result.in_(edited["id"].tolist()))).scalars())
    edited = edited[edited["id"].isin(tracked)]
    if edited.empty:
        return
    table = SQL_TABLES["key_results"]
    stored = {row["id"]: row for row in conn.execute(
        sa.select(table).where(table.c.id.in_(edited["id"].tolist()))).mappings()}
    rows = edited.astype(object).where(edited.notna(), None).to_dict("records")
    changed = {row["id"]: found for row in rows if (found := changed_fields(stored[row["id"]], row))}
    if not changed:
        return
    reason = _clean(draft.reason)
    if reason is None or by is None:
        listed = ", ".join(f"{kr} ({', '.join(f for f, _, _ in fields)})" for kr, fields in changed.items())
        raise WorkbookError([Problem(_SOURCE, None, "reason" if by else "person", f"changes to {listed}",
                                     "why they change: once the quarter has begun, changes to a key result stay "
                                     "on the record with a reason" if by else
                                     "your name picked: changes after the quarter began say who made them")])
    for key_result, fields in changed.items():
        record_changes(conn, key_result, fields, reason=reason, author=by, date=day, recorded_by=recorded_by)


def _remove_key_results(conn: Connection, ids: set[str]) -> None:
    """Delete key results left out of the form; refused for one with check-ins (its history would be lost)."""
    if not ids:
        return
    checkins = SQL_TABLES["checkins"]
    with_history = sorted(conn.execute(
        sa.select(checkins.c.key_result).where(checkins.c.key_result.in_(ids)).distinct()).scalars())
    if with_history:
        raise StoreError(
            f"The key result{'s' if len(with_history) > 1 else ''} {', '.join(with_history)} already "
            f"{'have' if len(with_history) > 1 else 'has'} check-ins, so removing it would lose its history; "
            f"keep it and change its title or target instead.")
    initiatives = SQL_TABLES["initiatives"]
    conn.execute(sa.delete(initiatives).where(initiatives.c.key_result.in_(ids)))
    conn.execute(sa.delete(SQL_TABLES["key_results"]).where(SQL_TABLES["key_results"].c.id.in_(ids)))


def save_objective(store: Store, draft: ObjectiveDraft, by: str | None = None, *,
                   recorded_by: str | None = None) -> str:
    """Store the draft in one transaction and return the objective's id (new or as given).

    Once saved, the draft holds the ids of the objective and of each written
    key result and the objective's new revision, so saving it again updates
    the same rows. ``by`` is whom the save is for (a person id, named to anyone
    whose save this one overtakes, and the author of the changes it records);
    ``recorded_by`` is who typed it (a facilitator saving for someone else),
    kept with the objective, its key results and its changes. Raises :class:`WorkbookError` listing every field
    problem, :class:`ConflictError` when someone saved the objective after the
    draft was loaded, or :class:`StoreError` when the store refuses the save;
    in each case nothing is written.
    """
    deadline = time.monotonic() + _PATIENCE
    for attempt in itertools.count():
        last = attempt >= _ATTEMPTS - 1 and time.monotonic() > deadline
        try:
            with store.transaction() as conn:
                objective_id, kr_ids, revision = _save(conn, store, draft, by, recorded_by)
            draft.id, draft.revision = objective_id, revision
            for kr, kr_id in zip([kr for kr in draft.key_results if not kr.blank], kr_ids, strict=True):
                kr.id = kr_id
            return objective_id
        except sa.exc.IntegrityError as error:  # another writer claimed the same new id first
            if last:
                raise StoreError(f"Nothing was saved: the store refused the objective ({error.orig})") from error
        except sa.exc.OperationalError as error:  # another writer held the lock (SQLite: a stale snapshot)
            if last:
                raise StoreError(f"Nothing was saved: the store is busy ({error.orig}); try again") from error
        time.sleep(random.uniform(0.01, 0.05) * min(attempt + 1, 10))  # jitter: writers stop colliding
    raise AssertionError("unreachable")  # pragma: no cover


def load_draft(store: Store, objective_id: str) -> ObjectiveDraft:
    """A stored objective and its key results, as a draft to edit."""
    objectives, key_results = SQL_TABLES["objectives"], SQL_TABLES["key_results"]
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(objectives).where(objectives.c.id == objective_id)).mappings().first()
        if row is None:
            raise StoreError(f"No objective {objective_id!r} in the store")
        krs = conn.execute(sa.select(key_results).where(key_results.c.objective == objective_id)
                           .order_by(key_results.c.id)).mappings().all()
    return ObjectiveDraft(
        id=row["id"], title=row["title"], level=row["level"], quarter=row["quarter"], team=row["team"],
        owner=row["owner"], parent=row["parent"], visibility=row["visibility"] or "everyone",
        commitment=row["commitment"] or "aspirational", description=row["description"], revision=row["revision"],
        participants=tuple(p for p in (row["participants"] or "").split(";") if p),
        key_results=[KeyResultDraft(
            id=kr["id"], title=kr["title"], start=kr["start"], target=kr["target"], unit=kr["unit"],
            due=kr["due"], confidence=kr["confidence"], weight=kr["weight"] or 1.0, owner=kr["owner"],
        ) for kr in sorted(krs, key=lambda kr: _natural(kr["id"]))],
    )


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def delete_objective(store: Store, objective_id: str) -> None:
    """Remove an objective nobody builds on: no child objectives, no check-ins on its key results."""
    objectives, key_results = SQL_TABLES["objectives"], SQL_TABLES["key_results"]
    with store.transaction() as conn:
        children = sorted(conn.execute(
            sa.select(objectives.c.id).where(objectives.c.parent == objective_id)).scalars())
        if children:
            raise StoreError(f"The objective {objective_id!r} has objectives aligned to it ({', '.join(children)}); "
                             f"align them elsewhere first.")
        ids = set(conn.execute(sa.select(key_results.c.id).where(key_results.c.objective == objective_id)).scalars())
        _remove_key_results(conn, ids)
        conn.execute(sa.delete(objectives).where(objectives.c.id == objective_id))
