"""The OKR model: teams, people, objectives, key results, initiatives, check-ins.

Each record is a pydantic model whose fields are exactly the columns of the
workbook contract (``shared/okr-format.md``). The models are the single source
of the schema: :mod:`okr_workshop.schema` reads the columns, types, required
fields, choices and references off them, and the workbook readers, writers and
the store follow from that.

Use the models to build or change one record at a time (apps, API); bulk data
travels as a :class:`okr_workshop.workbook.Workbook` of typed tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

__all__ = [
    "CheckIn",
    "Commitment",
    "Initiative",
    "InitiativeStatus",
    "KeyResult",
    "KeyResultType",
    "Level",
    "MAX_TEXT",
    "Objective",
    "Person",
    "QUARTER_PATTERN",
    "Ref",
    "Role",
    "Team",
    "Visibility",
    "quarter_bounds",
]

MAX_TEXT = 10_000
"""Longest text a cell may hold; a title or note is far shorter."""

QUARTER_PATTERN = re.compile(r"(\d{4})-Q([1-4])")


@dataclass(frozen=True, slots=True)
class Ref:
    """Field metadata: the value is the id of a row in ``table``."""

    table: str


class Level(StrEnum):
    """Where an objective sits in the cascade."""

    COMPANY = "company"
    TEAM = "team"
    INDIVIDUAL = "individual"


class Visibility(StrEnum):
    """Who may see an objective."""

    EVERYONE = "everyone"
    TEAM = "team"
    PARTICIPANTS = "participants"


class Commitment(StrEnum):
    """Committed objectives are expected at 1.0, aspirational ones at about 0.7."""

    ASPIRATIONAL = "aspirational"
    COMMITTED = "committed"


class KeyResultType(StrEnum):
    """How a key result is scored; when a key result gives none, it is read from ``start`` and ``target``."""

    INCREASE = "increase"
    DECREASE = "decrease"
    STAY_ABOVE = "stay_above"
    STAY_BELOW = "stay_below"
    MILESTONE = "milestone"


class Role(StrEnum):
    """A person's role in the workshop."""

    LEADER = "leader"
    MANAGER = "manager"
    MEMBER = "member"
    FACILITATOR = "facilitator"


class InitiativeStatus(StrEnum):
    """Where a piece of work under a key result stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Quarter = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
    StringConstraints(pattern=QUARTER_PATTERN.pattern),
]
Confidence = Annotated[float, Field(ge=0.0, le=1.0)]


class Record(BaseModel):
    """Common configuration: unknown fields are kept, values re-checked on assignment."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, use_enum_values=True)


class Team(Record):
    """A team; ``parent`` makes a hierarchy of teams."""

    id: Id
    name: Text
    parent: Annotated[Id | None, Ref("teams")] = None


class Person(Record):
    """Someone taking part: ``id`` is an e-mail or handle."""

    id: Id
    name: Text | None = None
    team: Annotated[Id | None, Ref("teams")] = None
    role: Role | None = None
    start_date: dt.date | None = None


class Objective(Record):
    """A qualitative goal for a quarter, at company, team or individual level."""

    id: Id
    title: Text
    level: Level
    quarter: Quarter | None = None
    team: Annotated[Id | None, Ref("teams")] = None
    owner: Annotated[Id | None, Ref("people")] = None
    parent: Annotated[Id | None, Ref("objectives")] = None
    visibility: Visibility = Visibility.EVERYONE
    commitment: Commitment = Commitment.ASPIRATIONAL
    description: Text | None = None
    participants: Annotated[tuple[Id, ...], Ref("people")] = ()
    carried_from: Id | None = None

    @field_validator("participants", mode="before")
    @classmethod
    def _split_participants(cls, value: object) -> object:
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(";") if part.strip())
        return value


class KeyResult(Record):
    """A measurable result under an objective; ``target < start`` means a decreasing metric."""

    id: Id
    objective: Annotated[Id, Ref("objectives")]
    title: Text
    start: float | None = None
    target: float | None = None
    current: float | None = None
    unit: Text | None = None
    due: dt.date | None = None
    owner: Annotated[Id | None, Ref("people")] = None
    weight: Annotated[float, Field(gt=0.0)] = 1.0
    confidence: Confidence | None = None
    type: KeyResultType | None = None
    carried_from: Id | None = None


class Initiative(Record):
    """A piece of work that should move a key result."""

    id: Id
    key_result: Annotated[Id, Ref("key_results")]
    title: Text
    owner: Annotated[Id | None, Ref("people")] = None
    status: InitiativeStatus | None = None
    due: dt.date | None = None


class CheckIn(Record):
    """A key result's value (and the owner's confidence) on a date."""

    key_result: Annotated[Id, Ref("key_results")]
    date: dt.date
    value: float
    confidence: Confidence | None = None
    note: Text | None = None
    author: Annotated[Id | None, Ref("people")] = None


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter written ``YYYY-Qn``.

    >>> quarter_bounds("2026-Q3")
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    """
    match = QUARTER_PATTERN.fullmatch(quarter.strip().upper())
    if match is None:
        raise ValueError(f"not a quarter: {quarter!r}; expected YYYY-Qn such as 2026-Q3")
    year, q = int(match[1]), int(match[2])
    first = dt.date(year, 3 * q - 2, 1)
    last = (dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)) - dt.timedelta(days=1)
    return first, last
