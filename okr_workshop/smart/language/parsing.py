"""Reading start, target, unit and due date from a key result as people write it.

``parse_title("Raise NPS from 40 to 50 by 30 September", quarter="2026-Q3")``
reads start 40, target 50, unit NPS, due 2026-09-30. The parser never invents
a number: versions (``v2``, ``3.0``), quarters (``Q3``), years, dates, ids
(``#4``, ``batch 5``), titles in quotes and names with digits (``Web3``,
``K8s``, ``ISO 27001``, ``24/7``) are not targets. Relative changes ("by
20%", "double", "halve") are kept as a change, and become a target only when
the start is known.

Beside numbers, a key result can state a quantity in words: a frequency
("every week", "twice a month", "weekly demos"), a share ("at least half of"),
a limit ("within an hour"), a benchmark ("above the industry average") or a
target set elsewhere ("hit our Q3 revenue target"); :attr:`Parsed.quantity_phrase`
keeps those words.

Deadlines are read as an OKR coach reads them (:attr:`Parsed.deadline`): a
named date or month ("by 15 March", "by mid November", "starting September"),
another quarter or year than the OKR's own ("by Q3" in a Q2 OKR), the shorthand
for an end ("by EOQ", "by the end of the year"), an event the work must be ready
for ("at launch", "before the 1.0 release", "ready for FY27", "within 30 days of
launch"). The OKR's own period is no deadline ("in Q3" inside a Q3 OKR, "by the
end of 2024" in a 2024 OKR), nor is a service level ("answer within 7 days",
"24/7"). Pass the period the key result belongs to as ``quarter``: ``2026-Q3``,
or ``2026-H1``, ``2026``, ``2026-02`` or ``2025-07..2026-06``.

A count of new things ("sign 3 partners", "publish 5 articles", "25 new
schools") starts at 0 (:attr:`Parsed.from_zero`): it needs no baseline.

Every pattern the parser runs is linear in the title: a title at the 10,000
character limit is read about as fast as a short one.

This module puts the reading together (:func:`parse_title`); the parts live
beside it: :mod:`~okr_workshop.smart.language.masks` (digits that are no quantity),
:mod:`~okr_workshop.smart.language.numbers` (numbers, units, quantities in words),
:mod:`~okr_workshop.smart.language.times`, :mod:`~okr_workshop.smart.language.periods` and
:mod:`~okr_workshop.smart.language.deadlines` (dates and deadlines),
:mod:`~okr_workshop.smart.language.levels` (direction, a level held),
:mod:`~okr_workshop.smart.language.counts` (counts of new things), on the shared
tables of :mod:`~okr_workshop.smart.language.phrases` and the cheap tests of
:mod:`~okr_workshop.smart.language.gates` that skip the scans a title cannot match.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field

from okr_workshop.smart.language.counts import NOT_COUNT_UNITS, counts_new
from okr_workshop.smart.language.deadlines import read_due
from okr_workshop.smart.language.gates import GATE_WORDS, Gate, allowed
from okr_workshop.smart.language.levels import HOLDING_VERBS, read_direction, steady_side
from okr_workshop.smart.language.masks import NOT_TARGETS, mask
from okr_workshop.smart.language.numbers import (
    FACTOR,
    FACTORS,
    QUANTITY_WORDS,
    Number,
    may_hold_quantity,
    may_state_quantity,
    read_numbers,
)
from okr_workshop.smart.language.periods import period_span, read_period
from okr_workshop.smart.language.phrases import ARROW, SPACES, THRESHOLD, leading_words
from okr_workshop.smart.language.times import TIME_PARTS
from okr_workshop.smart.language.tokens import Tokens, tokenize

__all__ = [
    "HOLDING_VERBS", "Number", "Parsed", "may_hold_quantity", "parse_title", "period_span", "starts_at_zero",
    "steady_side",
]

_SCORE_UNITS = re.compile(r"\b(e?NPS|CSAT|CES|ARR|MRR)\b")
_FROM_TO = re.compile(r"\bfrom\s+(?P<a>[^\s]{1,40}(?:\s?[kKmM%])?(?:\s+[^\s\d]{1,40}){0,3}?)\s+(?:up |down )?to\s+",
                      re.I)
_ARROW = re.compile(ARROW)
_RELATIVE = re.compile(r"\bby\s*$", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
_BASELINE = re.compile(r"\b(?P<word>currently|today|now|baseline|at present|presently|from)\b[\s:=]*"
                       r"(?:(?:is|at|of|was)\s+)?$", re.I)
_TO_OR_DASH = re.compile(r"\s*(?:to|-|–)\s*")
_DASH = re.compile(r"\s*(?:-|–)\s*")
_FROM_END = re.compile(r"\bfrom\s*$", re.I)


@dataclass
class Parsed:
    """What was read from a key result: ``start``, ``target``, ``unit``, ``due``, plus how it was found."""

    start: float | None = None
    target: float | None = None
    unit: str | None = None
    due: dt.date | None = None
    change: float | None = None
    """A relative change: 0.2 for "by 20%", 1.0 for "double", -0.5 for "halve"."""
    change_absolute: bool = False
    """``change`` is in the key result's unit ("by 5 points", "by 3 pp"), not a share of the start."""
    numbers: list[Number] = field(default_factory=list)
    time_phrase: str | None = None
    """The words that name a point in time ("by end of Q3"), the OKR's own period included, if any."""
    direction: str | None = None
    """``increase``, ``decrease`` or ``steady``."""
    deadline: str | None = None
    """The words that name a deadline as the rubric reads it ("by EOQ", "at launch"); never the OKR's own period."""
    quantity_phrase: str | None = None
    """Words that state a quantity without a number: "every week", "at least half of", "within an hour"."""
    from_zero: bool = False
    """The target counts new things ("sign 3 partners"), so it starts at 0 when no start is given."""

    @property
    def quantified(self) -> bool:
        """Does the text (or the columns) state a quantified target?"""
        return self.target is not None or self.change is not None or self.quantity_phrase is not None

    @property
    def deadline_in_text(self) -> bool:
        """Does the text itself name a deadline (the OKR's own quarter does not count)?"""
        return self.deadline is not None

    def as_json(self) -> dict:
        """The contract's ``parsed`` object."""
        return {
            "start": _plain(self.start), "target": _plain(self.target), "unit": self.unit,
            "due": self.due.isoformat() if self.due else None,
        }


def _plain(value: float | None) -> float | int | None:
    """A number as JSON shows it: ``40`` rather than ``40.0``."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else round(value, 6)


# ---------------------------------------------------------------------------------------------- the parser


@dataclass(frozen=True)
class _Reading:
    """What a title's words say before any column is known: shared by every key result with that title."""

    parsed: Parsed
    """Never changed: :func:`parse_title` copies it before applying the columns."""
    masked: str
    chosen: Number | None
    """The number read as the target, if one was."""


_SCANS: dict[Gate, tuple[tuple[int, ...], tuple[int, ...]]] = {}


def _scans(words: Tokens) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The not-a-target patterns and the ways of naming a time a title's words allow.

    Few titles differ in what the needs see, so the answers are kept (up to 4,096 of them).
    """
    gate = Gate(words.words & GATE_WORDS, words.digits, words.years, words.mixed, words.marks, words.quotes)
    found = _SCANS.get(gate)
    if found is None:
        found = (allowed(NOT_TARGETS, gate), allowed(TIME_PARTS, gate))
        if len(_SCANS) < 4096:
            _SCANS[gate] = found
    return found


@functools.lru_cache(maxsize=4096)
def _read(title: str, quarter: str | None, times: bool = True) -> _Reading:
    """The reading of ``title`` alone (cached: the apps re-check a title at every pause in typing)."""
    period = read_period(quarter)
    year = period.first.year if period is not None else dt.date.today().year
    words = tokenize(title)
    not_targets, times_named = _scans(words)
    masked = mask(title, words, not_targets)
    numbers = read_numbers(title, masked, words)
    parsed = Parsed(numbers=numbers, direction=read_direction(title, words))
    if times:
        parsed.due, parsed.time_phrase, parsed.deadline = read_due(title, period, year, times_named)
    stated = QUANTITY_WORDS.search(title) if may_state_quantity(words) else None
    parsed.quantity_phrase = stated.group(0) if stated else None
    levels = [n for n in numbers if not n.relative]
    # "watched by 60% of viewers" says who, beside a count: the count is the target
    agents = [n for n in levels if n.unit == "%" and _RELATIVE.search(leading_words(masked, n.start))
              and _OF_AFTER.match(masked, n.end)]
    if agents and len(agents) < len(levels):
        levels = [n for n in levels if n not in agents]
    chosen: Number | None = None
    # "from X to Y" and "X -> Y"
    pair = None
    for match in _FROM_TO.finditer(masked):
        after = [n for n in levels if n.start >= match.end()]
        before = [n for n in levels if match.start() <= n.start < match.end()]
        if after and before:
            pair = (before[-1], after[0])
            break
    if pair is None and len(levels) >= 2:
        for a, b in itertools.pairwise(levels):
            between = masked[a.end:b.start]
            if _ARROW.search(between) or _TO_OR_DASH.fullmatch(between):
                if _DASH.fullmatch(between):
                    continue  # "5-10 people" is a range, not a change
                pair = (a, b)
                break
    if pair:
        parsed.start, parsed.target = pair[0].value, pair[1].value
        parsed.unit = pair[1].unit or pair[0].unit
    else:
        baseline = _baseline(levels, masked)
        if baseline is not None:
            levels = [n for n in levels if n is not baseline]
            parsed.start, parsed.unit = baseline.value, baseline.unit
        factor = FACTOR.search(title)
        multiple = next((n for n in numbers if n.relative), None)
        by = next((n for n in levels if _RELATIVE.search(leading_words(masked, n.start))
                   and not _OF_AFTER.match(masked, n.end)), None)
        if by is not None and by.unit in ("%", "pp") and parsed.direction in ("increase", "decrease", None):
            sign = -1 if parsed.direction == "decrease" else 1
            parsed.change = sign * abs(by.value) / 100 if by.unit == "%" else None
            if by.unit == "pp":
                parsed.unit, parsed.change, parsed.change_absolute = "pp", sign * abs(by.value), True
            else:
                parsed.unit = "%"
        elif by is not None:
            parsed.change = (-1 if parsed.direction == "decrease" else 1) * abs(by.value)
            parsed.unit, parsed.change_absolute = by.unit, True
        elif multiple is not None:
            parsed.change = multiple.value - 1 if parsed.direction != "decrease" else 1 / multiple.value - 1
        elif factor is not None and (pointed := _pointed(levels, masked)) is not None:
            parsed.target, parsed.unit = pointed.value, pointed.unit  # "double sign-ups to 2,000"
            chosen = pointed
        elif factor is not None:
            word = SPACES.sub(" ", factor.group(1).lower())
            if word == "half" and parsed.direction == "increase":
                parsed.change = 0.5
            elif word == "order of magnitude":
                parsed.change = -0.9 if parsed.direction == "decrease" else 9.0
            else:
                parsed.change = FACTORS[word] - 1
        elif levels:
            chosen = _target_number(levels, masked)
            pointed = THRESHOLD.search(leading_words(masked, chosen.start))
            if len(levels) == 1 and parsed.direction in ("increase", "decrease") \
                    and _FROM_END.search(leading_words(masked, chosen.start)):
                parsed.start, parsed.unit = chosen.value, chosen.unit  # "raise NPS from 40": a start, no target
                chosen = None
            elif chosen.unit == "%" and not pointed and parsed.direction in ("increase", "decrease") \
                    and len(levels) == 1:
                sign = -1 if parsed.direction == "decrease" else 1
                parsed.change = sign * abs(chosen.value) / 100  # "grow revenue 20%"
                parsed.unit = "%"
                chosen = None
            else:
                parsed.target = chosen.value
                parsed.unit = chosen.unit
    return _Reading(parsed, masked, chosen)


def clear_cache() -> None:
    """Forget the titles read so far."""
    _read.cache_clear()
    _SCANS.clear()


def parse_title(
    title: str,
    quarter: str | None = None,
    *,
    start: float | None = None,
    target: float | None = None,
    unit: str | None = None,
    due: dt.date | None = None,
    times: bool = True,
) -> Parsed:
    """What ``title`` says about start, target, unit and due date; given columns win over the text.

    ``quarter`` is the period the key result belongs to (its objective's
    quarter, ``2026-Q3``; other shapes such as ``2026-H1``, ``2026`` or
    ``2025-07..2026-06`` are read too): the OKR's own period named in the
    text is no deadline. ``times=False`` skips dates and deadlines, for
    readers that only ask about quantities.
    """
    reading = _read(title, quarter, times)
    parsed = object.__new__(Parsed)  # a copy: the cached reading is never changed
    parsed.__dict__.update(reading.parsed.__dict__)
    masked, chosen = reading.masked, reading.chosen
    # Columns win over the text.
    if start is not None:
        parsed.start = start
    if target is not None:
        parsed.target = target
    if unit:
        parsed.unit = unit
    elif parsed.unit is None and (score := _SCORE_UNITS.search(title)):
        parsed.unit = score.group(1)
    if parsed.target is None and parsed.change is not None and parsed.start is not None:
        if parsed.change_absolute:
            parsed.target = parsed.start + parsed.change
        else:
            parsed.target = parsed.start * (1 + parsed.change)
    parsed.due = due or parsed.due
    if parsed.start is None and parsed.target is not None and parsed.direction not in ("decrease", "steady") \
            and (parsed.unit or "").lower() not in NOT_COUNT_UNITS:
        parsed.from_zero = counts_new(title, masked, chosen)
    return parsed


def starts_at_zero(title: str, target: float | None = None) -> bool:
    """Does ``title`` count new things, so that a missing start is 0 ("sign 3 partners", "publish 5 articles")?

    ``target`` is the target column, if any; the scorer asks this of key
    results that have a target but no start.
    """
    return parse_title(title or "", target=target).from_zero


def _baseline(levels: list[Number], masked: str) -> Number | None:
    """A number stated as where things stand ("currently 38", "(from 4.8%)" beside a target in the same unit)."""
    for number in levels:
        match = _BASELINE.search(leading_words(masked, number.start))
        if not match:
            continue
        if match["word"].lower() != "from" or any(
            other is not number and (other.unit == number.unit or None in (other.unit, number.unit))
            for other in levels
        ):
            return number
    return None


def _pointed(levels: list[Number], masked: str) -> Number | None:
    """The number a threshold word points at ("to 2,000", "above 95%"), if any."""
    return next((n for n in levels if THRESHOLD.search(leading_words(masked, n.start))), None)


def _target_number(levels: list[Number], masked: str) -> Number:
    """Of several numbers, the one a threshold word points at ("to 90%", "below 200 ms"), else the last."""
    if (pointed := _pointed(levels, masked)) is not None:
        return pointed
    return levels[-1] if len(levels) > 1 and levels[-1].unit in ("%", "$", "EUR", "GBP") else levels[0]
