"""Counts of new things: "sign 3 partners", "publish 5 articles", "25 new schools" start at 0.

Such a target needs no baseline: :func:`counts_new` tells it from a level
("grow to 300 members", "publish 4 posts a month") that has a start of its own.
"""

from __future__ import annotations

import re

from okr_workshop.smart.language.numbers import Number
from okr_workshop.smart.language.phrases import MAKE, ONE_RATE, THRESHOLD, TIME_UNITS, count_verb_before, leading_words
from okr_workshop.smart.language.tokens import tokenize

_LEVEL_LEAD = re.compile(r"\b(?:to|reach\w*|of)\s*$", re.I)
_NEW_AFTER = re.compile(r"\s*(?:new|more|additional|extra|fresh|first-time)\b", re.I)
_MAKE_FIRST = re.compile(rf"^\s*(?:(?:we|i|the\s+team|our\s+team)\s+(?:will\s+)?)?{MAKE}\b", re.I)
_LEVEL_CUE = re.compile(r"\b(?:to|from|reach\w*|grow\w*|increas\w*|rais\w*|lift\w*|boost\w*|improv\w*|total\w*|"
                        r"maintain\w*|keep\w*|at\s+least|per|rate|share|average|median)\b|%", re.I)
_MONEY_LEAD = re.compile(r"\b(?:clos(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|secur\w*|win(?:s|ning)?|won|book\w*|"
                         r"land\w*|sign\w*|generat\w*|bring\s+in|brought\s+in|earn\w*|receiv\w*|obtain\w*)\s+"
                         r"(?:at\s+least\s+|another\s+|over\s+)?$", re.I)
NOT_COUNT_UNITS = {"%", "pp", "ratio", "points", "point", "pts", "stars", "star", "x"} | TIME_UNITS
"""Units of a level, never of a count of new things: shares, ratios, scores, times."""


def counts_new(title: str, masked: str, number: Number | None) -> bool:
    """Does the target count new things: "sign 3 partners", "25 new schools", "close $40k in new deals"?"""
    if number is None:
        # a target in the columns: the title must lead with making or winning something and name no level
        return bool(_MAKE_FIRST.search(title)) and not _LEVEL_CUE.search(title)
    unit = (number.unit or "").lower()
    if number.relative or number.value < 0 or unit in NOT_COUNT_UNITS or unit.startswith("out of"):
        return False
    lead = leading_words(masked, number.start)
    if unit in ("$", "eur", "gbp", "chf"):
        return bool(_MONEY_LEAD.search(lead)) or bool(_NEW_AFTER.match(title, number.end))
    if ONE_RATE.match(title, number.end):
        return False  # "publish 4 posts a month": a rate, which has a level of its own
    if _NEW_AFTER.match(title, number.end):
        return not _LEVEL_LEAD.search(lead)  # "25 new schools", "at least 5 new groups"; not "grow to 50 new"
    counted = count_verb_before(tokenize(title), number.start, lead, activities=True)
    if THRESHOLD.search(lead) and not counted:
        return False  # "grow to 300 members": a level
    return counted

