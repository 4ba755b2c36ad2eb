"""A course cohort in the store: every graded attempt, and who started, who passed and the common mistakes."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from okr_workshop.store.database import Store, attempts_table

__all__ = ["FINAL", "CohortFigures", "attempts", "cohort", "record_attempt"]

FINAL = "final"
"""The exercise name of the final, graded exercise (lesson exercises use their lesson id)."""


def record_attempt(store: Store, person: str, exercise: str, passed: bool, reasons: list[str]) -> None:
    """Keep one graded attempt (every attempt counts, passed or not)."""
    with store.transaction() as conn:
        conn.execute(sa.insert(attempts_table), {
            "person": person, "exercise": exercise, "passed": bool(passed), "reasons": json.dumps(list(reasons)),
            "recorded_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        })


def attempts(store: Store, person: str | None = None) -> pd.DataFrame:
    """The attempts, oldest first: ``person``, ``exercise``, ``passed``, ``reasons`` (a list), ``recorded_at``."""
    statement = sa.select(attempts_table).order_by(attempts_table.c.seq)
    if person is not None:
        statement = statement.where(attempts_table.c.person == person)
    with store.engine.connect() as conn:
        rows = conn.execute(statement).mappings().all()
    frame = pd.DataFrame(rows, columns=["seq", "person", "exercise", "passed", "reasons", "recorded_at"])
    frame["reasons"] = frame["reasons"].map(json.loads)
    frame["passed"] = frame["passed"].astype(bool)
    return frame


_IDS = re.compile(r"^[\w.@-]+?(?::| is | has | gives )")


def _mistake(reason: str) -> str:
    """A reason without the learner's ids and words, so the same mistake counts once across people."""
    text = _IDS.sub("", reason).strip()
    text = re.sub(r"“[^”]*”", "…", text)
    return text.split(". ")[0].split(": ")[0].strip().rstrip(".")


@dataclass
class CohortFigures:
    """Per person: attempts, lessons done, passed; and the most common mistakes in final attempts."""

    people: pd.DataFrame
    """Index person: ``started`` (first attempt), ``lessons`` (lesson exercises passed), ``final_attempts``,
    ``passed`` (final exercise passed), ``passed_at``."""
    mistakes: list[tuple[str, int]]


def cohort(store: Store, people: list[str] | None = None) -> CohortFigures:
    """The cohort's progress; ``people`` lists learners who have not started yet too."""
    frame = attempts(store)
    final = frame[frame["exercise"] == FINAL]
    lessons = frame[(frame["exercise"] != FINAL) & frame["passed"]].groupby("person")["exercise"].nunique()
    table = pd.DataFrame(index=pd.Index(sorted(set(frame["person"]) | set(people or [])), name="person"))
    table["started"] = frame.groupby("person")["recorded_at"].min()
    table["lessons"] = lessons
    table["final_attempts"] = final.groupby("person").size()
    table["passed"] = final.groupby("person")["passed"].any()
    table["passed_at"] = final[final["passed"]].groupby("person")["recorded_at"].min()
    table[["lessons", "final_attempts"]] = table[["lessons", "final_attempts"]].fillna(0).astype("int64")
    table["passed"] = table["passed"].astype("boolean").fillna(False).astype(bool)
    counts = Counter(_mistake(reason) for reasons in final.loc[~final["passed"], "reasons"] for reason in reasons)
    return CohortFigures(people=table, mistakes=counts.most_common(8))
