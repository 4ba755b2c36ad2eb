"""Deadlines as an OKR coach reads them, and the due date a title names.

Every mention of time (:mod:`~okr_workshop.smart.language.times`) is read against
the OKR's period (:mod:`~okr_workshop.smart.language.periods`): a named date or month
("by 15 March"), another quarter or year than the OKR's own ("by Q3" in a Q2
OKR), the shorthand for an end ("by EOQ"), an event the work must be ready for
("at launch", "within 30 days of launch") are deadlines; the OKR's own period
("in Q3" inside a Q3 OKR) and a service level ("answer within 7 days") are not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from okr_workshop.smart.language.periods import Period, at_edge, judge, month_end, nearest_year, safe_day
from okr_workshop.smart.language.phrases import MONTH_NAMES, SENTENCE_START, SPACES, in_title_case, text_before
from okr_workshop.smart.language.times import leading_prep, prep_class, time_scanner
from okr_workshop.smart.language.tokens import tokenize

_MONTHS = {name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)}
"""Each month's number, by the first three letters of its name."""
_AT_EVENTS = {"launch", "launches", "launching", "release", "go-live", "golive", "go live", "ga", "kickoff",
              "kick-off", "kick off", "launch day", "release day", "general availability"}
_ONE_OFF = {"launch", "launching", "release", "releasing", "go-live", "golive", "kickoff", "kick-off", "start",
            "beginning", "announcement", "publication", "rollout", "roll-out", "ga", "debut", "quarter", "year",
            "program", "programme", "project", "pilot", "migration", "merger", "acquisition", "opening", "event",
            "conference", "summit"}
_NOT_NAMES = {"i", "we", "our", "the", "this", "that", "it", "they", "all", "a", "an"}
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan"}
"""Month words that are verbs or names too ("May", "March", "Jan"): a month only beside a day, year or preposition."""


def _year(text: str | None) -> int | None:
    """The year a date names ("2026", "'26"), if it names one."""
    if not text:
        return None
    digits = text.strip("'’ ")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


@dataclass(frozen=True)
class _Time:
    """One mention of time in a title and how the rubric reads it."""

    text: str
    deadline: bool
    own: bool
    due: dt.date | None


def _times(title: str, period: Period | None, year: int, chosen: tuple[int, ...]) -> list[_Time]:
    """Every mention of time in ``title``, in order, judged against ``period``."""
    if not chosen:
        return []
    out: list[_Time] = []
    for match in time_scanner(chosen).finditer(title):
        kind = match.lastgroup
        mention = _mention(match, kind, title, period, year)
        if mention is not None:
            out.append(mention)
    return out


def _mention(match: re.Match, kind: str, title: str, period: Period | None, year: int) -> _Time | None:
    """How the rubric reads one mention of time, of the ``kind`` of the scanner's group that matched; None for no
    mention of time at all ("the Q3 roadmap", "speak at the conference").
    """
    text = match.group(0)
    g = match.group
    if kind == "iso":
        try:
            day = dt.date.fromisoformat(g("iso_d"))
        except ValueError:
            day = None
        return _Time(text, True, False, day)
    if kind == "dnum":
        return _Time(text, True, False, None)
    if kind in ("dmy", "mdy"):
        month = _MONTHS[g(f"{kind}_m")[:3].lower()]
        day_number, given = int(g(f"{kind}_d")), _year(g(f"{kind}_y"))
        try:
            if given:
                day = dt.date(given, month, day_number)
            else:
                dt.date(2000, month, day_number)  # a real day of that month at all?
                day = nearest_year(lambda y: (safe_day(y, month, day_number),) * 2, period, year)[0]
        except ValueError:
            day = None
        prep = prep_class(leading_prep(text))
        if prep == "until" and period is not None and day is not None and day > period.last:
            return _Time(text, False, False, None)
        return _Time(text, True, False, day)
    if kind == "mon":
        word = g("m_m")
        prep, edge = g("m_p"), g("m_e")
        given = _year(g("m_y") or g("m_yy"))
        if not (prep or edge or g("m_w") or given):
            start = match.start("m_m")
            if not word[0].isupper() or word.lower() in _AMBIGUOUS_MONTHS or len(word) < 3:
                return None  # "may", "March" as a verb, lower-case words
            if in_title_case(tokenize(title)) and not SENTENCE_START.search(text_before(title, start, 4)):
                return None
        if match.start("m_m") and title[match.start("m_m") - 1] == "/":
            return None  # the second month of "October/February"
        pclass = prep_class(prep)
        if prep and prep.lower() == "after":
            return None  # "after April": a window, not a point it is due by
        month = _MONTHS[word[:3].lower()]
        span = (dt.date(given, month, 1), month_end(given, month)) if given else nearest_year(
            lambda y: (dt.date(y, month, 1), month_end(y, month)), period, year)
        first, last = at_edge(span, edge)
        if g("m_w"):
            last = first + dt.timedelta(days=6) if g("m_w").lower() == "first" else last
        if pclass == "until" and period is not None and first > period.last:
            return _Time(text, False, False, None)
        if pclass == "from" and period is not None and last < period.first:
            return _Time(text, False, False, None)  # "since January": a comparison
        return _Time(text, True, False, first if pclass == "from" else last)
    if kind == "qtr":
        prep, edge = prep_class(g("q_p")), g("q_e")
        if not (prep or edge):
            return None  # "the Q3 roadmap": a name
        n = int(g("q_n1") or g("q_n2") or g("q_n3"))
        given = _year(g("q_y1") or g("q_y2") or g("q_yy") or g("q_fy") or g("q_fy2"))
        place = lambda y: (dt.date(y, 3 * n - 2, 1), month_end(y, 3 * n))  # noqa: E731
        span = place(given) if given else nearest_year(place, period, year)
        point = at_edge(span, edge)
        deadline, own = judge(span, prep, period, edge)
        return _Time(text, deadline, own, point[0] if prep == "from" else point[1])
    if kind == "half":
        prep, edge = prep_class(g("h_p")), g("h_e")
        if g("h_of") and g("h_of").lower() in ("quarter", "month", "sprint"):
            return _Time(text, prep != "for", False, None)  # "in the first half of the quarter"
        given = _year(g("h_y") or g("h_y2") or g("h_y3"))
        if g("h_n"):
            if not (prep or edge):
                return None
            n = int(g("h_n"))
        else:
            n = 2 if (g("h_w") or "").lower() in ("second", "2nd") or (g("h_six") or "").lower() in ("last", "final") \
                else 1
        place = lambda y: (dt.date(y, 6 * n - 5, 1), month_end(y, 6 * n))  # noqa: E731
        if given:
            span = place(given)
        elif period is not None and period.kind in ("year", "half", "quarter", "month"):
            span = place(period.first.year)
        elif period is not None:
            span = nearest_year(place, period, year)
        else:
            span = place(year)
        point = at_edge(span, edge)
        deadline, own = judge(span, prep, period, edge)
        return _Time(text, deadline, own, point[1])
    if kind == "gen":
        prep = prep_class(g("g_p"))
        if g("g_each"):
            return None  # "at the end of every sprint": a habit
        if g("g_u2") and not prep:
            return None  # "the year-end review"
        if prep == "for" or (g("g_p") or "").lower() in ("during", "throughout", "through", "over"):
            return None  # "during the year-end push": when work happens, not a point it is due by
        unit = (g("g_u") or g("g_u2") or "").lower()
        eo = (g("g_eo") or "").upper()
        due = None
        if (g("g_e") or "end").lower() not in ("end", "close") or g("g_next"):
            pass  # "by the start of the quarter", "by the end of next quarter": no date to put on it here
        elif unit == "quarter" or eo == "EOQ":
            due = period.last if period is not None and period.kind == "quarter" else None
        elif unit == "year" or eo == "EOY":
            base = period.first.year if period is not None and period.kind != "span" else (
                None if period is not None else year)
            due = dt.date(base, 12, 31) if base else None
        return _Time(text, True, False, due)
    if kind == "own":
        due = period.last if period is not None and period.kind == "quarter" and "quarter" in text.lower() else None
        return _Time(text, False, True, due)
    if kind == "nxt":
        prep = prep_class(g("n_p"))
        return None if prep == "for" else _Time(text, True, False, None)
    if kind == "year":
        prep, edge = prep_class(g("y_p")), g("y_e")
        if not prep:
            return None  # "the 2026 report", "FY27 budget": names; "held in late 2026" says when something is
        if g("y_fy"):
            return _Time(text, prep != "for", False, None)  # a fiscal year: whose calendar is not known
        number = int(g("y_n"))
        span = (dt.date(number, 1, 1), dt.date(number, 12, 31))
        point = at_edge(span, edge)
        deadline, own = judge(span, prep, period, edge, calendar_year=True)
        due = None if prep in ("in", None) and not edge else point[1]
        return _Time(text, deadline, own, due)
    if kind == "season":
        return None if prep_class(g("s_p")) == "for" else _Time(text, True, False, None)
    if kind == "event":
        word = SPACES.sub(" ", (g("e_w") or "").lower())
        prep = SPACES.sub(" ", g("e_p").lower())
        if prep == "at" and (g("e_n") or (word and word not in _AT_EVENTS)):
            return None  # "speak at the conference", "at Acme": a place
        if g("e_n"):
            name = g("e_n")
            if prep in ("by", "at", "until", "till", "due by", "due at") or name.lower() in _NOT_NAMES:
                return None  # "adopted by Acme": who, not when; "until Acme ships it": a condition
        return _Time(text, True, False, None)
    if kind == "rel":
        first = (g("r_first") or "").lower()
        unit = g("r_u").lower()
        anchor = (g("r_a") or "").lower()
        if first in ("last", "past"):
            return None  # "active in the last 30 days": a window for a metric
        if g("r_p").lower() == "within":
            if first or (anchor and anchor in _ONE_OFF and "each" not in text.lower() and "every" not in text.lower()):
                return _Time(text, True, False, None)
            return None  # "answer within 7 days": a service level
        if first:
            return _Time(text, True, False, None)  # "in the first 6 weeks"
        if g("r_n") and not g("r_rel") and unit.startswith(("week", "wk", "month", "quarter", "sprint")):
            return _Time(text, True, False, None)  # "launch in 6 weeks"
        return None
    return None  # pragma: no cover - every alternative is named


def read_due(title: str, period: Period | None, year: int,
             chosen: tuple[int, ...]) -> tuple[dt.date | None, str | None, str | None]:
    """(due date, the words naming a point in time, the words naming a deadline).

    ``year`` stands in for the period's when there is none; ``chosen`` are the
    places in :data:`~okr_workshop.smart.language.times.TIME_PARTS` the title's words allow.
    """
    mentions = _times(title, period, year, chosen)
    deadlines = [m for m in mentions if m.deadline]
    own = [m for m in mentions if m.own]
    phrase = (deadlines or own or [None])[0]
    due = next((m.due for m in deadlines if m.due is not None), None)
    if due is None:
        due = next((m.due for m in own if m.due is not None), None)
    return due, (phrase.text.strip() if phrase else None), (deadlines[0].text.strip() if deadlines else None)

