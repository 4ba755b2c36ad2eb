"""Reading start, target, unit and due date from a key result as people write it.

``parse_title("Raise NPS from 40 to 50 by 30 September", quarter="2026-Q3")``
reads start 40, target 50, unit NPS, due 2026-09-30. The parser never invents
a number: versions (``v2``, ``3.0``), quarters (``Q3``), years, dates and
names with digits (``Web3``, ``K8s``, ``ISO 27001``, ``24/7``) are not targets.
Relative changes ("by 20%", "double", "halve") are kept as a change, and
become a target only when the start is known.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from okr_workshop.model import quarter_bounds

__all__ = ["Number", "Parsed", "parse_title"]

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12, "a thousand": 1000,
    "zero": 0, "twice": 2, "thrice": 3,
}
_FACTORS = {"double": 2.0, "doubling": 2.0, "triple": 3.0, "tripling": 3.0, "quadruple": 4.0,
            "halve": 0.5, "halving": 0.5, "half": 0.5}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_CURRENCY = {"$": "$", "€": "EUR", "£": "GBP", "eur": "EUR", "usd": "$", "gbp": "GBP", "chf": "CHF"}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

# Spans that hold digits but no target: dates, quarters, versions, names, times of day.
_NOT_TARGETS = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b(?:,?\s+\d{{4}})?", re.I),
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?", re.I),
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b(?:FY|CY)?\s?Q[1-4](?:\s?(?:FY)?'?\d{2,4})?\b", re.I),
    re.compile(r"\bH[12](?:\s?\d{4})?\b"),
    re.compile(r"\b(?:FY|CY)\s?'?\d{2,4}\b", re.I),
    re.compile(r"\b[vV]\d+(?:\.\d+)*\b"),
    re.compile(r"\b\d+\.\d+\.\d+\b"),
    re.compile(r"\b(?:version|release|api|sdk|python|java|ios|android|iso|iec|soc|pci|wcag|http|ipv|windows|macos|"
               r"postgres(?:ql)?|mysql|ubuntu|debian|node(?:\.?js)?|php|ruby|rails|django|react|angular|vue|"
               r"kubernetes|chrome|firefox|safari|excel|office)\s?\d+(?:\.\d+)*(?:\s?(?:type\s)?(?:i{1,3}|\d))?",
               re.I),
    re.compile(r"\b\d(?:G|D)\b"),  # 5G, 3D
    re.compile(r"\b\d+(?:\.\d+)+\s+(?:release|version)\b", re.I),
    re.compile(r"\b[A-Za-z]+-?\d+[A-Za-z]*\b"),  # Web3, K8s, S3, GPT-4, B2B, p95
    re.compile(r"\b\d+[A-Za-z]+\d+\w*\b"),  # 4G5, 2FA2
    re.compile(r"\b(?:B2B|B2C|P2P|1:1s?|one-on-one|24/7|365)\b", re.I),
    re.compile(r"\b(?:top|tier|level|phase|stage|step|grade|part)\s+\d+\b", re.I),
    re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b", re.I),
    re.compile(r"\b(?:in|by|for|during|before|after|of|since|from)\s+(?:19|20)\d{2}\b(?!\s*(?:to|->|→))", re.I),
    re.compile(r"\b(?:19|20)\d{2}\b(?=\s*$)"),
    re.compile(r"\b(?:19|20)\d{2}\s?[-–/]\s?(?:(?:19|20)\d{2}|\d{2})\b"),  # 2026-2027, 2026/27
    re.compile(r"\b(?:the|our|this|its|their|next|last)\s+(?:19|20)\d{2}(?:\s?[-–/]\s?(?:(?:19|20)\d{2}|\d{2}))?\b",
               re.I),  # "the 2027 budget", "the 2026/27 season"
    re.compile(r"\bout\s+of\s+\d+(?:\.\d+)?\b|(?<=\d)\s?/\s?\d+(?:\.\d+)?\b", re.I),  # a scale: "out of 5", "/5"
    re.compile(r"\bwithin\s+\d+\s+(?:days?|weeks?|months?)\s+(?:of|after|from)\b", re.I),
]

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
_FACTOR = re.compile(r"\b(" + "|".join(f for f in _FACTORS if f != "half") + r"|(?<=by\s)half|(?<=in\s)half)\b", re.I)
_UNIT_WORD = re.compile(r"\s*(?:(?:new|more|additional|extra|active|paying|qualified|monthly|weekly|daily|"
                        r"unique|net|total|open|fewer|less)\s+)*([^\W\d_](?:[^\W\d_]|[/-])*)"
                        r"(?:\s+([^\W\d_](?:[^\W\d_]|-)*s)\b)?")
_SCALE_UNIT = re.compile(r"\s?(?:out\s+of\s+|/\s?)(\d+(?:\.\d+)?)\b", re.I)
_SCORE_UNITS = re.compile(r"\b(e?NPS|CSAT|CES|ARR|MRR)\b")
_RATIO = re.compile(r"\b(\d+(?:\.\d+)?)\s?:\s?(\d+(?:\.\d+)?)\b")
_UNIT_STOP = {"to", "from", "by", "in", "of", "on", "at", "and", "or", "the", "a", "an", "per", "within", "before",
              "after", "for", "with", "than", "over", "under", "above", "below", "across", "each", "every"}
_FROM_TO = re.compile(r"\bfrom\s+(?P<a>[^\s]+(?:\s?[kKmM%])?(?:\s+[^\s\d]+){0,3}?)\s+(?:up |down )?to\s+", re.I)
_ARROW = re.compile(r"(?:->|→|=>)")
_THRESHOLD = re.compile(
    r"\b(?P<word>to|reach(?:es|ing)?|hit|at least|at most|above|below|under|over|beyond|exceed(?:ing)?|"
    r"less than|more than|fewer than|greater than|no more than|no less than|minimum of|maximum of|of|at)\s*$",
    re.I,
)
_RELATIVE = re.compile(r"\bby\s*$", re.I)
_BASELINE = re.compile(r"\b(?P<word>currently|today|now|baseline|at present|presently|from)\b[\s:=]*"
                       r"(?:(?:is|at|of|was)\s+)?$", re.I)
_DECREASE = re.compile(r"\b(reduc\w*|cut\w*|decreas\w*|lower\w*|shrink\w*|drop\w*|halv\w*|minimi[sz]\w*|"
                       r"below|under|less|fewer|down|eliminat\w*|shorten\w*|slash\w*|trim\w*|save\w*)\b", re.I)
_STEADY = re.compile(r"\b(keep|maintain|stay|remain|hold|sustain|preserve|protect)(?:s|ing|ed)?\b.*?"
                     r"(?:(?:\b(?:above|below|under|over|at|at least|at most)\b|[≥≤])(?=\D*\d)|\bwithin\b)", re.I)
"""A level to hold, with a number after it ("above 95%"); "hold a retro at the end of the sprint" holds no level."""

_DUE_FORMS = [
    re.compile(rf"\b(?:by|before|until|till|on|due|no later than)\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})\b(?:,?\s+(?P<y>\d{{4}}))?", re.I),
    re.compile(rf"\b(?:by|before|until|till|on|due|no later than)\s+(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?", re.I),
    re.compile(r"\b(?:by|before|until|on|due)\s+(?P<iso>\d{4}-\d{2}-\d{2})\b", re.I),
    re.compile(rf"\b(?:by|before|until|in)\s+(?:the\s+)?(?:end\s+of\s+)?(?P<mo>{_MONTH})\b(?:\s+(?P<y>\d{{4}}))?", re.I),
]
_END_OF_QUARTER = re.compile(r"\b(?:by|before|until|in|during|this|end of|within)\s+(?:the\s+)?(?:end\s+of\s+)?"
                             r"(?:(?:the|this)\s+)?(?:(?P<q>Q[1-4])(?:\s?(?P<y>\d{4}))?|quarter)\b", re.I)
_END_OF_YEAR = re.compile(r"\b(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(?:the|this)\s+year\b", re.I)
_TIME_WORDS = re.compile(
    r"\b(?:by|before|until|within|in)\s+(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?"
    r"(?:\d+\s+(?:days?|weeks?|months?)|(?:first|next|coming)\s+\w+|launch|release|go-?live|year|(?<=the\s)half|"
    r"h[12]|"
    r"summer|winter|spring|autumn|fall|(?:the\s+)?(?:\d+(?:\.\d+)*|v\d[\w.]*)\s+release|deadline|sprint|"
    r"(?:19|20)\d{2})\b",
    re.I,
)


@dataclass(frozen=True)
class Number:
    """A quantity found in a title: its value, unit and where it stands."""

    value: float
    unit: str | None
    start: int
    end: int
    relative: bool = False
    """A factor or ``x``-multiple rather than a level."""


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
    """The words that name a point in time ("by end of Q3"), if any."""
    direction: str | None = None
    """``increase``, ``decrease`` or ``steady``."""

    @property
    def quantified(self) -> bool:
        """Does the text (or the columns) state a quantified target?"""
        return self.target is not None or self.change is not None

    def as_json(self) -> dict:
        """The contract's ``parsed`` object."""
        return {
            "start": _plain(self.start), "target": _plain(self.target), "unit": self.unit,
            "due": self.due.isoformat() if self.due else None,
        }


def _plain(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else round(value, 6)


_PER_PERIOD = re.compile(r"\s+(?:a|per|each|every)\s+(?:day|week|month|quarter|year|sprint)\b", re.I)
_POINTS = re.compile(r"pp|point", re.I)
_MORE = re.compile(r"\b(new|more|additional)\b", re.I)
_INCREASE = re.compile(r"\b(increas\w*|rais\w*|grow\w*|boost\w*|lift\w*|improv\w*|doubl\w*|tripl\w*|expand\w*|"
                       r"more|above|over|higher|up|gain\w*|add\w*|achiev\w*|reach\w*|win\w*)\b", re.I)
_TO_OR_DASH = re.compile(r"\s*(?:to|-|–)\s*")
_DASH = re.compile(r"\s*(?:-|–)\s*")
_FROM_END = re.compile(r"\bfrom\s*$", re.I)
_NOT_TARGET = re.compile("|".join(f"(?:{p.pattern})" for p in _NOT_TARGETS), re.I)
_DIGIT = re.compile(r"\d")


def _mask(title: str) -> str:
    """The title with every digit that is no quantity replaced by ``#``, positions kept."""
    if not _DIGIT.search(title):
        return title
    return _NOT_TARGET.sub(lambda m: _DIGIT.sub("#", m.group(0)), title)


def _unit_after(title: str, end: int) -> str | None:
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


def _numbers(title: str, masked: str) -> list[Number]:
    found: list[Number] = []
    for match in _RATIO.finditer(masked):
        if float(match[2]):
            found.append(Number(float(match[1]) / float(match[2]), "ratio", match.start(), match.end()))
            masked = masked[:match.start()] + "#" * (match.end() - match.start()) + masked[match.end():]
    for match in _NUMBER.finditer(masked):
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
    for match in _WORD_NUMBER.finditer(masked):
        if any(n.start <= match.start() < n.end for n in found):
            continue
        word = match.group(1).lower()
        before = masked[max(0, match.start() - 4):match.start()].lower()
        if word == "one" and not _MORE.search(title, match.end(), match.end() + 12):
            continue  # "one of", "the one thing": rarely a count
        if "no " in before:
            continue
        if word in ("twice", "thrice") and not _PER_PERIOD.match(title, match.end()):
            continue  # "ask twice" is a manner of speaking; "twice a month" is a rate
        found.append(Number(float(_WORDS[word]), _unit_after(title, match.end()), match.start(), match.end()))
    return sorted(found, key=lambda n: n.start)


def _due(title: str, quarter: str | None) -> tuple[dt.date | None, str | None]:
    year = int(quarter[:4]) if quarter else dt.date.today().year
    for pattern in _DUE_FORMS:
        match = pattern.search(title)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("iso"):
            try:
                return dt.date.fromisoformat(groups["iso"]), match.group(0)
            except ValueError:
                return None, match.group(0)
        month_name = groups.get("m") or groups.get("mo")
        month = _MONTHS[month_name[:3].lower()]
        y = int(groups["y"]) if groups.get("y") else year
        try:
            if groups.get("d"):
                return dt.date(y, month, int(groups["d"])), match.group(0)
            last = (dt.date(y + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
            return last, match.group(0)
        except ValueError:
            return None, match.group(0)
    match = _END_OF_YEAR.search(title)
    if match:
        return dt.date(year, 12, 31), match.group(0)
    match = _END_OF_QUARTER.search(title)
    if match:
        if match["q"]:
            y = int(match["y"]) if match["y"] else year
            return quarter_bounds(f"{y}-{match['q'].upper()}")[1], match.group(0)
        if quarter:
            return quarter_bounds(quarter)[1], match.group(0)
        return None, match.group(0)
    match = _TIME_WORDS.search(title)
    if match:
        return None, match.group(0)
    return None, None


_STEADY_LEVEL = re.compile(r"^\s*(?:keep|maintain|sustain|hold|preserve)\w*\s+(?:an?\s+|the\s+|our\s+)?"
                           r"\d[\d.,]*\s?%", re.I)
"""A level to hold named right after the verb: "maintain 99.9% uptime"."""


def _direction(title: str) -> str | None:
    if _STEADY.search(title) or _STEADY_LEVEL.search(title):
        return "steady"
    if _DECREASE.search(title):
        return "decrease"
    if _INCREASE.search(title):
        return "increase"
    return None


def parse_title(
    title: str,
    quarter: str | None = None,
    *,
    start: float | None = None,
    target: float | None = None,
    unit: str | None = None,
    due: dt.date | None = None,
) -> Parsed:
    """What ``title`` says about start, target, unit and due date; given columns win over the text."""
    masked = _mask(title)
    numbers = _numbers(title, masked)
    parsed = Parsed(numbers=numbers, direction=_direction(title))
    text_due, parsed.time_phrase = _due(title, quarter)
    levels = [n for n in numbers if not n.relative]
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
        factor = _FACTOR.search(title)
        multiple = next((n for n in numbers if n.relative), None)
        by = next((n for n in levels if _RELATIVE.search(masked[:n.start])), None)
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
        elif factor is not None:
            word = factor.group(1).lower()
            parsed.change = 0.5 if word == "half" and parsed.direction == "increase" else _FACTORS[word] - 1
        elif levels:
            chosen = _target_number(levels, masked)
            pointed = _THRESHOLD.search(masked[:chosen.start])
            if len(levels) == 1 and _FROM_END.search(masked, 0, chosen.start):
                parsed.start, parsed.unit = chosen.value, chosen.unit  # "raise NPS from 40": a start, no target
            elif chosen.unit == "%" and not pointed and parsed.direction in ("increase", "decrease") and len(levels) == 1:
                sign = -1 if parsed.direction == "decrease" else 1
                parsed.change = sign * abs(chosen.value) / 100  # "grow revenue 20%"
                parsed.unit = "%"
            else:
                parsed.target = chosen.value
                parsed.unit = chosen.unit
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
    parsed.due = due or text_due
    return parsed


def _baseline(levels: list[Number], masked: str) -> Number | None:
    """A number stated as where things stand ("currently 38", "(from 4.8%)" beside a target in the same unit)."""
    for number in levels:
        match = _BASELINE.search(masked[:number.start])
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
    return next((n for n in levels if _THRESHOLD.search(masked[:n.start])), None)


def _target_number(levels: list[Number], masked: str) -> Number:
    """Of several numbers, the one a threshold word points at ("to 90%", "below 200 ms"), else the last."""
    if (pointed := _pointed(levels, masked)) is not None:
        return pointed
    return levels[-1] if len(levels) > 1 and levels[-1].unit in ("%", "$", "EUR", "GBP") else levels[0]
