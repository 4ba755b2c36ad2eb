"""Which way a key result moves its measure: up, down, or held at a level ("keep churn below 2%").

:func:`read_direction` says ``increase``, ``decrease`` or ``steady``;
:func:`steady_side` gives the scorer's type for a level held: ``stay_above``,
``stay_below`` or ``stay``.
"""

from __future__ import annotations

import re

from okr_workshop.smart.language.tokens import Tokens, tokenize

HOLDING_VERBS = ("keep", "maintain", "stay", "remain", "hold", "sustain", "preserve", "protect")
"""The verbs that hold a level."""
_HOLD_WORDS = frozenset(f"{verb}{end}" for verb in HOLDING_VERBS for end in ("", "s", "ing", "ed"))

_DECREASE = re.compile(r"\b(reduc\w*|cut\w*|decreas\w*|lower\w*|shrink\w*|drop\w*|halv\w*|minimi[sz]\w*|"
                       r"below|under|less|fewer|down|eliminat\w*|shorten\w*|slash\w*|trim\w*|save\w*)\b", re.I)
_HOLD_VERB = re.compile(rf"\b(?:{'|'.join(HOLDING_VERBS)})(?:s|ing|ed)?\b", re.I)
_HOLD_SIDE = re.compile(r"\b(?:above|below|under|over|at|at least|at most)\b|[≥≤]", re.I)
_WITHIN = re.compile(r"\bwithin\b", re.I)
_INCREASE = re.compile(r"\b(increas\w*|rais\w*|grow\w*|boost\w*|lift\w*|improv\w*|doubl\w*|tripl\w*|expand\w*|"
                       r"more|above|over|higher|up|gain\w*|add\w*|achiev\w*|reach\w*|win\w*)\b", re.I)

_STEADY_LEVEL = re.compile(r"^\s*(?:keep|maintain|sustain|hold|preserve)\w*\s+(?:an?\s+|the\s+|our\s+)?"
                           r"\d[\d.,]*\s?%", re.I)
"""A level to hold named right after the verb: "maintain 99.9% uptime"."""


def _last_digit(text: str) -> int:
    """Where the last digit of ``text`` stands (-1 for none)."""
    return max(text.rfind(d) for d in "0123456789")


_SIDE = re.compile(
    r"\b(?P<above>above|over|at least|no less than|more than|min(?:imum)? of)\b|(?P<above_sign>>=|[≥>])"
    r"|\b(?P<below>below|under|at most|no more than|less than|fewer than|within|max(?:imum)? of)\b"
    r"|(?P<below_sign><=|[≤<])",
    re.I,
)
"""A side of a level; it counts when a number follows somewhere after it ("above 95%")."""
_LEVEL_NEXT = re.compile(r"\s+(?:an?\s+|the\s+|our\s+)?\d[\d.,]*\s?%")


def _hold(title: str, words: Tokens) -> str | None:
    """How the title holds a level, if it does: ``above`` or ``below`` it ("keep churn below 2%"), ``level`` (a
    level without a side: "maintain 99.9% uptime"), or ``loose`` (held, but no level the scorer can use:
    "stay within budget", "keep NPS at 50").
    """
    if not words.words & _HOLD_WORDS:
        return None
    verb = _HOLD_VERB.search(title)
    if verb is None:
        return None
    last = _last_digit(title)
    side = _SIDE.search(title, verb.end())
    if side is not None and side.end() <= last:
        return "below" if side["below"] or side["below_sign"] else "above"
    if _LEVEL_NEXT.match(title, verb.end()):
        return "level"
    side = _HOLD_SIDE.search(title, verb.end())
    if (side is not None and side.start() < last) or _WITHIN.search(title, verb.end()) \
            or _STEADY_LEVEL.search(title):
        return "loose"
    return None


_STEADY_SIDES = {"above": "stay_above", "below": "stay_below", "level": "stay"}


def steady_side(title: str) -> str:
    """The scorer's type for a title that holds a level: ``stay_above`` ("keep uptime above 99.9%"),
    ``stay_below``, ``stay`` (a level without a side: start and target decide), else ``""``.
    """
    if not title:
        return ""
    return _STEADY_SIDES.get(_hold(title, tokenize(title)), "")


def read_direction(title: str, words: Tokens) -> str | None:
    """``steady`` (a level held), ``decrease``, ``increase``, or None when the title names no direction."""
    if _hold(title, words) is not None:
        return "steady"
    if _DECREASE.search(title):
        return "decrease"
    if _INCREASE.search(title):
        return "increase"
    return None

