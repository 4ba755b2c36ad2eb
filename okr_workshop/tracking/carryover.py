"""Carry-over: unfinished key results of one quarter start the next one where they stopped.

A key result is unfinished when its progress on its last value is below 1.0
(a milestone not done, a level not held, a key result that could not be
scored). :func:`plan_carry_over` copies each into the new quarter with:

- its last value (latest check-in, else ``current``, else ``start``) as the
  new ``start``, the same ``target``, unit, owner and weight, its type
  written out (so the new numbers cannot change how it is scored), and
  ``carried_from`` naming the key result it continues;
- under a copy of its objective in the new quarter (``carried_from`` names
  the original), made once and reused; the copy aligns to the copy of its
  parent where that was carried too, and otherwise has no parent yet (a
  finding says so).

Anything already carried (a row in the new quarter whose ``carried_from``
names it) is not copied again, so running it twice creates nothing new.
:func:`carry_over` reads, plans and writes in one store transaction: all of
it or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa

from okr_workshop.exceptions import InputError, QuarterError, StoreError
from okr_workshop.model import QUARTER_PATTERN, Quarter
from okr_workshop.tracking import scoring, standing
from okr_workshop.tracking.scoring import DataFinding
from okr_workshop.workbook import Workbook, typed_frame

__all__ = ["CarryOver", "carry_over", "decisions", "plan_carry_over"]

_OBJECTIVE_COPIED = ("title", "level", "team", "owner", "visibility", "commitment", "description", "participants")
_KR_COPIED = ("title", "target", "unit", "owner", "weight")


@dataclass
class CarryOver:
    """What a carry-over created (or, planned only, would create)."""

    from_quarter: str
    to_quarter: str
    objectives: list[str] = field(default_factory=list)
    """Ids of the objectives made in the new quarter."""
    key_results: list[str] = field(default_factory=list)
    """Ids of the key results made in the new quarter."""
    carried_before: int = 0
    """Unfinished key results that an earlier carry-over copied already."""
    dropped: int = 0
    """Unfinished key results left behind because the review decided to drop their objective."""
    finished: int = 0
    """Key results of the old quarter that were done and stay behind."""
    findings: list[DataFinding] = field(default_factory=list)
    workbook: Workbook = field(default_factory=Workbook, repr=False)
    """The new rows, as a workbook of objectives and key results."""


def _quarter(value: str, field_name: str) -> Quarter:
    """The quarter ``value`` writes; an InputError about ``field_name`` when it writes none."""
    try:
        return Quarter.parse(value)
    except QuarterError as error:
        raise InputError(field_name, repr(value), error.expected) from None


_SUFFIX = re.compile(rf"-{QUARTER_PATTERN.pattern}$")


def _new_id(old: str, quarter: str, taken: set[str]) -> str:
    base = f"{_SUFFIX.sub('', old)}-{quarter}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def decisions(workbook: Workbook, objectives: pd.DataFrame) -> dict[str, str]:
    """What the review decided for each of ``objectives`` (``keep``, ``drop`` or ``carry``), where it decided.

    The owner's latest reflection speaks for an individual objective; otherwise the latest reflection
    that names a decision.
    """
    reflections = workbook["reflections"]
    chosen = reflections[reflections["objective"].isin(objectives["id"]) & reflections["next"].notna()]
    owner = chosen["objective"].map(objectives.set_index("id")["owner"])
    chosen = chosen.assign(by_owner=(chosen["author"] == owner).astype(int))
    latest = chosen.sort_values(["by_owner", "date"], kind="stable").drop_duplicates("objective", keep="last")
    return dict(zip(latest["objective"], latest["next"], strict=True))


def plan_carry_over(workbook: Workbook, from_quarter: str, to_quarter: str) -> CarryOver:
    """The rows a carry-over from ``from_quarter`` to ``to_quarter`` adds to ``workbook`` (which holds every quarter).

    An objective the review decided to drop (a reflection with ``next: drop``) stays behind whole.
    """
    old_quarter, new_quarter = _quarter(from_quarter, "from"), _quarter(to_quarter, "to")
    if new_quarter <= old_quarter:
        raise InputError("to", repr(to_quarter), f"a quarter after {old_quarter}")
    source, target = str(old_quarter), str(new_quarter)
    objectives, krs = workbook["objectives"], workbook["key_results"]
    old_objectives = objectives[objectives["quarter"] == source]
    if old_objectives.empty:
        raise InputError("from", repr(from_quarter), "a quarter that has objectives in the store")
    plan = CarryOver(source, target)
    old = krs[krs["objective"].isin(old_objectives["id"])].reset_index(drop=True)
    values = standing.values_on(old, workbook["checkins"], as_of=None)
    given = old["type"].astype(object).where(old["type"].notna(), "").to_numpy(dtype=object)
    start, goal = old["start"].to_numpy(dtype="float64"), old["target"].to_numpy(dtype="float64")
    start = scoring.starts(start, goal, old["title"], given)  # a count of new things starts at 0
    kinds = scoring.infer_types(start, goal, given, scoring.steady_sides(old["title"]))
    last = values["current"].to_numpy(dtype="float64")
    progress, _ = scoring.progress(kinds, start, goal, last)
    unfinished = ~(np.nan_to_num(progress) >= 1.0)
    plan.finished = int((~unfinished).sum())
    dropped = old["objective"].map(decisions(workbook, old_objectives)).eq("drop").to_numpy()
    plan.dropped = int((unfinished & dropped).sum())
    unfinished &= ~dropped

    in_target = set(objectives.loc[objectives["quarter"] == target, "id"])
    carried_objective = {src: oid for oid, src in zip(objectives["id"], objectives["carried_from"], strict=True)
                         if oid in in_target and isinstance(src, str)}
    carried_kr = {src for src, obj in zip(krs["carried_from"], krs["objective"], strict=True)
                  if isinstance(src, str) and obj in in_target}
    todo = unfinished & ~old["id"].isin(carried_kr).to_numpy()
    plan.carried_before = int((unfinished & ~todo).sum())
    if not todo.any():
        return plan

    taken = set(objectives["id"]) | set(krs["id"])
    by_id = old_objectives.set_index("id")
    needed = list(dict.fromkeys(old.loc[todo, "objective"]))
    new_objective_rows = []
    for oid in needed:
        if oid in carried_objective:
            continue
        carried_objective[oid] = _new_id(oid, target, taken)
        plan.objectives.append(carried_objective[oid])
    for oid in needed:
        new_id = carried_objective[oid]
        if new_id not in plan.objectives:
            continue
        row = by_id.loc[oid]
        parent = row["parent"] if isinstance(row["parent"], str) else None
        new_parent = carried_objective.get(parent) if parent else None
        if parent and new_parent is None:
            plan.findings.append(DataFinding("carry.no-parent", new_id, (
                f"{new_id}: carried from {oid}, whose parent {parent} stays in {source} (finished, or dropped at the "
                f"review); "
                f"name the objective it serves in {target} in 'parent'."), "warning"))
        new_objective_rows.append({"id": new_id, **{c: _plain(row[c]) for c in _OBJECTIVE_COPIED},
                                   "quarter": target, "parent": new_parent, "carried_from": oid})

    first, last_day = new_quarter.bounds
    new_kr_rows = []
    for i in np.flatnonzero(todo):
        row = old.iloc[i]
        new_id = _new_id(row["id"], target, taken)
        due = row["due"]
        keep_due = isinstance(due, pd.Timestamp) and not pd.isna(due) and first <= due.date() <= last_day
        new_kr_rows.append({
            "id": new_id, "objective": carried_objective[row["objective"]],
            **{c: _plain(row[c]) for c in _KR_COPIED},
            "start": None if np.isnan(last[i]) else float(last[i]),
            "due": due if keep_due else None, "type": kinds[i] or None, "carried_from": row["id"],
        })
        plan.key_results.append(new_id)
    plan.workbook = Workbook(tables={"objectives": typed_frame("objectives", new_objective_rows),
                                     "key_results": typed_frame("key_results", new_kr_rows)})
    return plan


def _plain(value: object) -> object:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def carry_over(store, from_quarter: str, to_quarter: str) -> CarryOver:
    """Plan and write a carry-over in one transaction of ``store``; returns what was created."""
    try:
        with store.transaction() as conn:
            plan = plan_carry_over(store.read_workbook(conn=conn), from_quarter, to_quarter)
            if plan.key_results:
                store.write_workbook(plan.workbook, conn)
    except sa.exc.SQLAlchemyError as error:
        raise StoreError(f"Nothing was carried over: the store refused it ({error.orig or error})") from error
    return plan
