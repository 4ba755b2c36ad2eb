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
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from okr_workshop.quarters import (
    DATE_RANGE,
    FIRST_DAY,
    LAST_DAY,
    QUARTER_PATTERN,
    Quarter,
    check_day,
    check_quarter,
    quarter_bounds,
)
from okr_workshop.text import MAX_ID, describe, unsafe_char

__all__ = [
    "DATE_RANGE",
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_ID",
    "MAX_TEXT",
    "MEASURE_AUTHOR",
    "MEASURE_AUTHOR_NAME",
    "QUARTER_PATTERN",
    "CheckIn",
    "Commitment",
    "FreeText",
    "Initiative",
    "InitiativeStatus",
    "KeyResult",
    "KeyResultType",
    "Level",
    "Objective",
    "Person",
    "Quarter",
    "QuarterText",
    "Ref",
    "Role",
    "Team",
    "Visibility",
    "check_day",
    "check_quarter",
    "check_text",
    "quarter_bounds",
    "text_expectation",
]

MAX_TEXT = 10_000
"""Longest text a cell may hold; a title or note is far shorter."""
MEASURE_AUTHOR = "measure"
"""The person every measured check-in is by (:mod:`okr_workshop.measure` adds them to the store when missing):
nobody who writes OKRs, so pickers, identities and adoption leave them out."""
MEASURE_AUTHOR_NAME = "Measured from data"

@dataclass(frozen=True, slots=True)
class Ref:
    """Field metadata: the value is the id of a row in ``table``."""

    table: str


@dataclass(frozen=True, slots=True)
class FreeText:
    """Field metadata: free text (a description, a note), which may hold tabs and line breaks."""


def text_expectation(form: str) -> str:
    """What text of ``form`` (``free``, ``line`` or ``id``, see :mod:`okr_workshop.text`) may hold, in words."""
    if form == "id":
        return "an id on one line, without tabs, control characters or invisible bidi controls"
    if form == "free":
        return "text without control characters or invisible bidi controls (tabs and line breaks are fine)"
    return ("text on one line, without control characters or invisible bidi controls "
            "(a description or a note may hold line breaks)")


def check_text(value: str, form: str = "line") -> str:
    """``value`` when it holds no character text of ``form`` may not; else a ValueError saying which."""
    char = unsafe_char(value, form)
    if char is not None:
        raise ValueError(f"it holds {describe(char)}; expected {text_expectation(form)}")
    return value


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


class Next(StrEnum):
    """What a team decides for an objective at the end of its quarter."""

    KEEP = "keep"
    DROP = "drop"
    CARRY = "carry"


class ChangeField(StrEnum):
    """The fields of a key result whose changes after the quarter began are kept on the record."""

    TITLE = "title"
    START = "start"
    TARGET = "target"
    UNIT = "unit"
    DUE = "due"
    WEIGHT = "weight"


class RetroKind(StrEnum):
    """A line of a team's end-of-quarter retro: what to start, stop or continue, or a thank-you."""

    START = "start"
    STOP = "stop"
    CONTINUE = "continue"
    SHOUT_OUT = "shout_out"


Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ID),
               AfterValidator(lambda v: check_text(v, "id"))]
"""An id or a reference: at most the store's column limit, one line, no control characters."""
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
                 AfterValidator(check_text)]
"""A title, a name, a unit: one line (tabs are fine), no control characters."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT), FreeText(),
                 AfterValidator(lambda v: check_text(v, "free"))]
"""Free text (a description, a note): tabs and line breaks are kept, control characters refused."""
Day = Annotated[dt.date, AfterValidator(check_day)]
QuarterText = Annotated[str, BeforeValidator(check_quarter)]
"""A quarter as ``YYYY-Qn`` (see :class:`Quarter`)."""
Confidence = Annotated[float, Field(ge=0.0, le=1.0)]


class Record(BaseModel):
    """Common configuration: unknown fields are kept, values re-checked on assignment."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, use_enum_values=True)


class Team(Record):
    """A team; ``parent`` makes a hierarchy of teams."""

    id: Id
    name: Line
    parent: Annotated[Id | None, Ref("teams")] = None


class Person(Record):
    """Someone taking part: ``id`` is an e-mail or handle."""

    id: Id
    name: Line | None = None
    team: Annotated[Id | None, Ref("teams")] = None
    role: Role | None = None
    start_date: Day | None = None


class Objective(Record):
    """A qualitative goal for a quarter, at company, team or individual level."""

    id: Id
    title: Line
    level: Level
    quarter: QuarterText | None = None
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
    title: Line
    start: float | None = None
    target: float | None = None
    current: float | None = None
    unit: Line | None = None
    due: Day | None = None
    owner: Annotated[Id | None, Ref("people")] = None
    weight: Annotated[float, Field(gt=0.0)] = 1.0
    confidence: Confidence | None = None
    type: KeyResultType | None = None
    carried_from: Id | None = None


class Initiative(Record):
    """A piece of work that should move a key result."""

    id: Id
    key_result: Annotated[Id, Ref("key_results")]
    title: Line
    owner: Annotated[Id | None, Ref("people")] = None
    status: InitiativeStatus | None = None
    due: Day | None = None


class CheckIn(Record):
    """A key result's value (and the owner's confidence) on a date."""

    key_result: Annotated[Id, Ref("key_results")]
    date: Day
    value: float
    confidence: Confidence | None = None
    note: Text | None = None
    author: Annotated[Id | None, Ref("people")] = None


class Reflection(Record):
    """An objective looked back on at the end of its quarter, by one person; a later one replaces theirs."""

    objective: Annotated[Id, Ref("objectives")]
    author: Annotated[Id, Ref("people")]
    date: Day
    score: Confidence | None = None
    worked: Text | None = None
    did_not_work: Text | None = None
    learned: Text | None = None
    next: Next | None = None


class Change(Record):
    """One field of a key result changed after its quarter began: who, when, old, new and why."""

    key_result: Annotated[Id, Ref("key_results")]
    date: Day
    author: Annotated[Id, Ref("people")]
    field: ChangeField
    old: Line | None = None
    new: Line | None = None
    reason: Text


class RetroNote(Record):
    """A line of a team's end-of-quarter retro (start, stop, continue) or a shout-out."""

    team: Annotated[Id, Ref("teams")]
    quarter: QuarterText
    kind: RetroKind
    text: Text
    author: Annotated[Id | None, Ref("people")] = None
    date: Day
