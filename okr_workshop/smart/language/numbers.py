"""The amounts a title names: numbers with their units, number words, factors, and quantities in words.

:func:`read_numbers` finds each :class:`Number` of a masked title (see
:mod:`~okr_workshop.smart.language.masks`): its value, its unit ("%", "$", "pp",
"customers", "out of 5") and where it stands; it leaves out numbers that name
rather than count ("a 3-year plan", "Windows 11", "the 2026 report").
:data:`QUANTITY_WORDS` finds a quantity stated without a number ("every week",
"half of", "within an hour", "above the industry average").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from okr_workshop.smart.language.phrases import (
    NUM_WORD,
    NUMBER_WORDS,
    ONE_RATE,
    PER_PERIOD,
    SENTENCE_START,
    Y4,
    count_verb_before,
    in_title_case,
    leading_words,
    text_before,
)
from okr_workshop.smart.language.tokens import Tokens, tokenize

FACTORS = {"double": 2.0, "doubling": 2.0, "triple": 3.0, "tripling": 3.0, "quadruple": 4.0,
           "halve": 0.5, "halving": 0.5, "half": 0.5, "order of magnitude": 10.0}
"""Words that multiply the start, and by how much: "double", "halve", "by an order of magnitude"."""
_CURRENCY = {"$": "$", "€": "EUR", "£": "GBP", "eur": "EUR", "usd": "$", "gbp": "GBP", "chf": "CHF"}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9}
_WORDS = {word: value for word, value in NUMBER_WORDS.items() if word not in _SCALE} | {
    "a hundred": 100, "a dozen": 12, "a thousand": 1000, "twice": 2, "thrice": 3,
}
"""Number words read as a count ("three partners", "a dozen talks"); "thousand" and "million" alone scale the
number before them ("40 thousand")."""

_NUMBER = re.compile(
    r"(?P<neg>(?<![\w.,#-])[-−])?"
    r"(?P<cur>[$€£]|\b(?:EUR|USD|GBP|CHF)\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s?(?P<scale>k|K|mm|MM|m|M|bn|BN|B|thousand|million|billion)\b)?"
    r"(?P<pct>\s?%|\s?percent\b|\s?pp\b|\s?percentage points?\b)?"
    r"(?P<x>x\b)?"
    r"(?:\s?(?P<cur2>EUR|USD|GBP|CHF|€)\b)?",
    re.I,
)
_WORD_NUMBER = re.compile(r"\b(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b", re.I)
FACTOR = re.compile(r"\b(" + "|".join(f for f in FACTORS if f not in ("half", "order of magnitude"))
                    + r"|(?<=by\s)half|(?<=in\s)half|(?<=by\san\s)order of magnitude"
                    r"|(?<=by\sone\s)order of magnitude)\b", re.I)
"""A factor as a change: "double sign-ups", "cut costs in half"."""
_UNIT_WORD = re.compile(r"\s*(?:(?:new|more|additional|extra|active|paying|qualified|monthly|weekly|daily|"
                        r"unique|net|total|open|fewer|less)\s+)*([^\W\d_](?:[^\W\d_]|[/-])*)"
                        r"(?:\s+([^\W\d_](?:[^\W\d_]|-)*s)\b)?")
_SCALE_UNIT = re.compile(r"\s?(?:out\s+of\s+|/\s?)(\d+(?:\.\d+)?)\b", re.I)
_RATIO = re.compile(r"\b(\d+(?:\.\d+)?)\s?:\s?(\d+(?:\.\d+)?)\b")
_UNIT_STOP = {"to", "from", "by", "in", "of", "on", "at", "and", "or", "the", "a", "an", "per", "within", "before",
              "after", "for", "with", "than", "over", "under", "above", "below", "across", "each", "every"}

# ---------------------------------------------------------------------------------------------- quantities in words

_EVENT_NOUNS = (r"(?:meetings?|calls?|sessions?|reports?|reviews?|retros?|retrospectives?|updates?|newsletters?|"
                r"digests?|check-?ins?|stand-?ups?|syncs?|demos?|events?|meetups?|nights?|workshops?|webinars?|"
                r"posts?|blogs?|office\s+hours|1:1s?|one-on-ones?|releases?|deploys?|deployments?|audits?|"
                r"summar(?:y|ies)|round-?ups?|podcasts?|episodes?|videos?|livestreams?|streams?|classes|lessons?|"
                r"trainings?|talks?|groups?|gatherings?|socials?|dinners?|lunches?|hangouts?|town\s?halls?|"
                r"all-hands|emails?|briefings?|surveys?|polls?|challenges?|hackathons?|clinics?|catch-?ups?|"
                r"touchpoints?|visits?|sprints?|planning)")
_PERIOD_WORDS = (r"(?:day|week|month|quarter|year|sprint|cycle|iteration|weekday|workday|business\s+day|morning|"
                 r"evening|night|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|fortnight|"
                 r"semester|term|season)s?")
_QUANTITY_HEADS = (rf"every|each|once|twice|thrice|\d|{NUM_WORD}|on|daily|weekly|bi|fortnightly|monthly|quarterly|"
                   rf"nightly|half|a|the|within|under|in|less|more|no|at|longer|above|below|better|over|beat|exceed|"
                   rf"outperform|match|hit|meet|reach|achieve|surpass|deliver")
QUANTITY_WORDS = re.compile(
    rf"(?=\b(?:{_QUANTITY_HEADS}))(?:"
    # a frequency
    rf"(?P<freq>\b(?:every|each)\s+(?:other\s+|single\s+|second\s+|two\s+|three\s+|\d+(?:st|nd|rd|th)?\s+)?"
    rf"{_PERIOD_WORDS}\b(?!\s+of\s+(?:the|this|our|a|its)\b)"  # "every week of the quarter" is "throughout"
    rf"|\b(?:once|twice|thrice|(?:\d+|{NUM_WORD})\s+times)\s+(?:a|an|per|every|each)\s+"
    rf"(?:day|week|month|quarter|year|sprint|fortnight)\b"
    rf"|\bon\s+an?\s+(?:daily|weekly|bi-?weekly|fortnightly|monthly|bi-?monthly|quarterly|yearly|annual)\s+basis\b"
    rf"|(?<!\ba\s)(?<!\ban\s)(?<!the\s)(?<!our\s)(?<!this\s)\b(?:daily|weekly|bi-?weekly|fortnightly|monthly|"
    rf"bi-?monthly|quarterly|"
    rf"nightly)\s+(?:[\w'’-]{{1,30}}\s+){{0,3}}?{_EVENT_NOUNS}\b)"
    # a share
    r"|(?P<share>\b(?:half|a\s+third|one\s+third|two\s+thirds|a\s+quarter|one\s+quarter|three\s+quarters|"
    r"a\s+fifth|one\s+fifth|the\s+majority)\s+of\b)"
    # a limit in time
    r"|(?P<limit>\b(?:within|under|in\s+under|in\s+less\s+than|less\s+than|more\s+than|no\s+more\s+than|"
    r"at\s+most|longer\s+than)\s+(?:an?|one|half\s+an?)\s+(?:minute|hour|(?:business\s+|working\s+)?day|week|month)"
    r"\b(?!\s+(?:of|after|from)\b))"
    # a benchmark
    r"|(?P<bench>\b(?:above|below|better\s+than|over|under|beat(?:ing)?|exceed(?:ing)?|outperform(?:ing)?|"
    r"match(?:ing)?)[\s-]+(?:the\s+)?(?:industry|market|sector|national|regional|peer|category|competitor)[\s-]+"
    r"(?:average|median|benchmark|norm|standard|rate)\b)"
    # a target set elsewhere
    r"|(?P<ref>\b(?:hit|meet|reach|achieve|exceed|beat|surpass|deliver)(?:s|es|ed|ing)?\s+(?:our|the|its|their)\s+"
    r"(?:[\w'’-]{1,30}\s+){0,3}?(?:targets?|quotas?|forecast|budget)\b"
    r"|\b(?:within|under|on)\s+(?:the\s+|our\s+)?(?:[\w'’-]{1,30}\s+){0,2}?budget\b))",
    re.I,
)
"""A quantity stated in words: a frequency, a share, a limit in time, a benchmark, a target set elsewhere."""
_ONE_LEAD = re.compile(r"\b(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|"
                       r"no\s+less\s+than|maximum(?:\s+of)?|minimum(?:\s+of)?|max\.?|min\.?|only|exactly|just|over|"
                       r"under|below|above)\s+$", re.I)

# ---------------------------------------------------------------------------------------------- skipping numbers

_YEAR_LIKE = re.compile(rf"{Y4}")
_PLURAL_AFTER = re.compile(r"\s+(?:[^\W\d_][\w-]{0,30}\s+)?[^\W\d_][\w-]{0,30}s\b")
_QUANTITY_LEAD = re.compile(r"\b(?:to|from|reach(?:es|ed|ing)?|hit|at\s+least|at\s+most|above|below|under|over|"
                            r"than|exceed\w*|beyond|of|at)\s+$", re.I)
_COMPOUND_UNIT = re.compile(r"-(?:second|minute|hour|day|week|month|quarter|year|person|page|step|part)s?\b"
                            r"(?=\s+[^\W\d])", re.I)
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+$", re.I)
_AGE_UNIT = re.compile(r"\s+(?:years?|months?|weeks?|days?|hours?)\b(?=\s+[^\W\d])", re.I)
_NAME_BEFORE = re.compile(r"(?-i:[A-Z][a-z]+)\s$")
_VERSION_ZERO = re.compile(r"\d+\.0\b(?!\s*(?:%|x\b|out\s+of|/|stars?|points?|rating))", re.I)

_QUANTITY_WORDS_ANY = {
    "every", "each", "once", "twice", "thrice", "times", "basis", "daily", "weekly", "biweekly", "bi", "fortnightly",
    "monthly", "bimonthly", "quarterly", "nightly", "half", "third", "thirds", "quarter", "quarters", "fifth",
    "majority", "minute", "hour", "day", "week", "month", "average", "median", "benchmark", "norm", "standard",
    "rate", "target", "targets", "quota", "quotas", "forecast", "budget"}
"""Words without which :data:`QUANTITY_WORDS` cannot match."""
_NUMBER_WORDS = frozenset(word.split()[-1] for word in _WORDS)
"""Words without which no number word can be read."""
_AMOUNT_WORDS = frozenset(_NUMBER_WORDS | {factor.split()[-1] for factor in FACTORS} | _QUANTITY_WORDS_ANY)
"""Words without which a title without digits names no amount (checked in the tests against the parser)."""


def may_hold_quantity(words: Tokens) -> bool:
    """Could the title name an amount at all: a digit, a number word, a factor ("double"), a quantity in words?

    False means :func:`parse_title` finds no number, change or quantity in it: no need to ask.
    """
    return words.digits or bool(words.words & _AMOUNT_WORDS)


def may_state_quantity(words: Tokens) -> bool:
    """Could the title state a quantity in words ("every week", "half of")?"""
    return bool(words.words & _QUANTITY_WORDS_ANY)


@dataclass(frozen=True)
class Number:
    """A quantity found in a title: its value, unit and where it stands."""

    value: float
    unit: str | None
    start: int
    end: int
    relative: bool = False
    """A factor or ``x``-multiple rather than a level."""


_POINTS = re.compile(r"pp|point", re.I)
_MORE = re.compile(r"\b(new|more|additional)\b", re.I)


def _unit_after(title: str, end: int) -> str | None:
    """The unit written right after a number: "out of 5", "customers", "enterprise customers", or None."""
    if scale := _SCALE_UNIT.match(title, end):
        return f"out of {scale[1]}"  # "4.5 out of 5", "4.5/5"
    match = _UNIT_WORD.match(title, end)
    if not match:
        return None
    word = match.group(1).strip("-/")
    if word.lower() in _UNIT_STOP or not word:
        return None
    second = match.group(2)
    if second and second.lower() not in _UNIT_STOP and not word.lower().endswith("s"):
        return f"{word} {second}"  # "enterprise customers", "beta users"
    return word


def _no_quantity(match: re.Match, title: str, masked: str) -> bool:
    """A number that names something rather than counting it: a year, "a 3-year plan", "multistream 2.0"."""
    raw = match["num"]
    plain = not (match["cur"] or match["cur2"] or match["pct"] or match["scale"] or match["x"] or match["neg"])
    if not plain:
        return False
    lead = leading_words(masked, match.start())
    pointed = _QUANTITY_LEAD.search(lead) is not None or count_verb_before(tokenize(title), match.start(), lead)
    if len(raw) == 4 and _YEAR_LIKE.fullmatch(raw):
        return not (pointed and _PLURAL_AFTER.match(title, match.end()))  # "set up 2021 taxes", "reach 2000 users"
    if pointed:
        return False
    if _COMPOUND_UNIT.match(title, match.end()):
        return True  # "a 3-year plan", "a 30-day trial"
    if _ARTICLE_BEFORE.search(lead) and _AGE_UNIT.match(title, match.end()):
        return True  # "a 10 years anniversary post"
    if _VERSION_ZERO.match(title, match.start()) and lead[-1:].isspace() and lead.rstrip()[-1:].isalpha():
        return True  # "the exporter 2.0 is out": a version after a name
    name = _NAME_BEFORE.search(lead)  # "Llama 3", "Windows 11": a product's name
    return name is not None and len(raw) <= 2 and not SENTENCE_START.search(lead[:name.start()]) \
        and not in_title_case(tokenize(title))


def read_numbers(title: str, masked: str, words: Tokens) -> list[Number]:
    """The numbers of ``title`` that are quantities, in order: those in digits that ``masked`` keeps, and number
    words ("three partners", "at least one").
    """
    found: list[Number] = []
    if ":" in masked:
        pieces, last = [], 0
        for match in _RATIO.finditer(masked):
            if float(match[2]):
                found.append(Number(float(match[1]) / float(match[2]), "ratio", match.start(), match.end()))
                pieces += [masked[last:match.start()], "#" * (match.end() - match.start())]
                last = match.end()
        masked = "".join(pieces) + masked[last:]
    for match in _NUMBER.finditer(masked):
        if _no_quantity(match, title, masked):
            continue
        raw = match["num"]
        value = float(raw.replace(",", "")) * (-1 if match["neg"] else 1)
        if match["scale"]:
            value *= _SCALE.get(match["scale"].lower(), 1.0)
        if match["pct"]:
            unit = "pp" if _POINTS.search(match["pct"]) else "%"
        elif match["cur"] or match["cur2"]:
            unit = _CURRENCY[(match["cur"] or match["cur2"]).strip().lower()]
        else:
            unit = _unit_after(title, match.end())
        found.append(Number(value, unit, match.start(), match.end(), relative=bool(match["x"])))
    found.sort(key=lambda n: n.start)
    if not words.words & _NUMBER_WORDS:
        return found
    starts = [n.start for n in found]
    title_case = None
    spelled: list[Number] = []
    for match in _WORD_NUMBER.finditer(masked):
        at = bisect_right(starts, match.start()) - 1
        if at >= 0 and found[at].start <= match.start() < found[at].end:
            continue
        word = match.group(1).lower()
        before = masked[max(0, match.start() - 4):match.start()].lower()
        if word == "one" and not (_MORE.search(title, match.end(), match.end() + 12)
                                  or _ONE_LEAD.search(leading_words(masked, match.start()))
                                  or ONE_RATE.match(title, match.end())):
            continue  # "one of", "the one thing": rarely a count; "at least one", "one book a month" are
        if "no " in before:
            continue
        if word in ("twice", "thrice") and not PER_PERIOD.match(title, match.end()):
            continue  # "ask twice" is a manner of speaking; "twice a month" is a rate
        if title[match.start()].isupper() and not SENTENCE_START.search(text_before(title, match.start(), 4)):
            if title_case is None:
                title_case = in_title_case(tokenize(title))
            if not title_case:
                continue  # "Two Scoops of Django": a name
        spelled.append(Number(float(_WORDS[word]), _unit_after(title, match.end()), match.start(), match.end()))
    if spelled:
        found = sorted(found + spelled, key=lambda n: n.start)
    return found

