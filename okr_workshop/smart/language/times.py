"""The ways a title names a time: dates, months, quarters, halves, years, seasons, events, "within 30 days".

:data:`TIME_PARTS` holds one pattern per way, each with the need
(:mod:`~okr_workshop.smart.language.gates`) a title must meet for it to match at all;
:func:`time_scanner` joins the ones a title allows into one pattern, tried
only where a time phrase can start. :func:`prep_class` sorts the preposition
in front ("by", "in", "from", "for"), which decides what the mention says.
"""

from __future__ import annotations

import functools
import re

from okr_workshop.smart.language.gates import (
    has_end,
    has_event,
    has_half,
    has_marks,
    has_mixed,
    has_month,
    has_next,
    has_own_period,
    has_relative,
    has_season,
    has_year_or_fiscal,
)
from okr_workshop.smart.language.phrases import MONTH, SPACES, Y4

_DATE_PREP = (r"(?:by|before|until|till|on|due(?:\s+(?:by|on))?|no\s+later\s+than|not\s+later\s+than|after|from|"
              r"starting(?:\s+on)?|as\s+of|around|ahead\s+of|prior\s+to|in\s+time\s+for|ready\s+(?:by|for|on))")
_SPAN_PREP = (r"(?:by|before|until|till|in|during|throughout|through|within|for|after|from|starting(?:\s+in)?|"
              r"beginning(?:\s+in)?|as\s+of|since|ahead\s+of|prior\s+to|no\s+later\s+than|in\s+time\s+for|"
              r"ready\s+(?:for|by|in)|at|due(?:\s+(?:by|in))?)")
_EDGE = r"(?:end|close|start|beginning|middle|mid)"
_ORD = r"(?:st|nd|rd|th)?"
_YY = r"['’]\d{2}"
_EVENTS = (r"(?:launch(?:es|ing)?|release|go[- ]?live|(?-i:GA)|general\s+availability|kick[- ]?off|birthday|"
           r"anniversary|conference|summit|off-?site|on-?site|all[- ]hands|hackathon|meetup|demo\s+day|launch\s+day|"
           r"release\s+day|holidays|christmas|xmas|new\s+year(?:['’]s)?|black\s+friday|thanksgiving|board\s+meeting|"
           r"(?-i:AGM)|annual\s+(?:general\s+)?meeting|town\s+hall|audit|renewal|deadline|elections?|expo|"
           r"trade\s+(?:show|fair)|job\s+fair|fair|festival|graduation|(?:code|feature)\s+freeze|cut-?over|handover|hand-?off|(?-i:IPO)|"
           r"retreat|camp|monday|tuesday|wednesday|thursday|friday|weekend|tomorrow|sprint\s+(?:end|review|demo)|"
           r"end\s+of\s+(?:the\s+)?sprint|year[- ]end|quarter[- ]end|month[- ]end|event|workshop|webinar|keynote|"
           r"premiere|opening)")
"""Events the work can be due for: "at launch", "before the board meeting", "ready for the summit"."""

_TIME_HEADS = (rf"by|before|until|till|no|not|due|after|from|starting|as|around|ahead|prior|in|ready|on|during|"
               rf"throughout|through|within|for|beginning|since|at|the|end|close|start|middle|mid|early|late|first|"
               rf"second|third|fourth|last|final|this|current|over|eo[qymwh]|eofy|quarter|year|month|week|next|coming|"
               rf"following|fy|cy|fiscal|summer|winter|spring|autumn|fall|holiday|q[1-4]|h[12]|\d|{MONTH}")
"""Every word a time phrase can start with: the scan tries its alternatives only where one stands."""

_TIME_SOURCE = (
    rf"(?P<iso>(?:\b{_DATE_PREP}\s+)?\b(?P<iso_d>\d{{4}}-\d{{2}}-\d{{2}})\b(?!\.\.))"
    rf"|(?P<dnum>(?:\b{_DATE_PREP}\s+)?\b\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})\b)"
    rf"|(?P<dmy>(?:\b{_DATE_PREP}\s+)?(?:the\s+)?\b(?P<dmy_d>[0-3]?\d){_ORD}(?:\s*[-–]\s*[0-3]?\d{_ORD})?\s+"
    rf"(?:of\s+)?(?P<dmy_m>{MONTH})\b\.?(?:,?\s+(?P<dmy_y>{Y4}\b|{_YY}\b))?)"
    rf"|(?P<mdy>(?:\b{_DATE_PREP}\s+)?\b(?P<mdy_m>{MONTH})\b\.?,?\s+(?P<mdy_d>[0-3]?\d){_ORD}\b"
    rf"(?!\s*(?:%|[.,]\d|k\b|m\b))(?:\s*[-–]\s*[0-3]?\d{_ORD}\b)?(?:,?\s+(?P<mdy_y>{Y4}\b|{_YY}\b))?)"
    rf"|(?P<qtr>(?:\b(?P<q_p>{_SPAN_PREP})\s+(?:the\s+)?)?(?:\b(?P<q_e>{_EDGE})[\s-]+(?:of\s+)?(?:the\s+)?)?\b"
    rf"(?:(?P<q_y1>{Y4})[\s-]?Q(?P<q_n1>[1-4])"
    rf"|Q(?P<q_n2>[1-4])(?:\s*[-–/]\s*Q[1-4])?(?:\s*,?\s*(?P<q_y2>{Y4})|\s*(?P<q_yy>{_YY})"
    rf"|\s*FY\s?['’]?(?P<q_fy>\d{{2}}(?:\d{{2}})?))?"
    rf"|FY\s?['’]?(?P<q_fy2>\d{{2}}(?:\d{{2}})?)\s*[-/]?\s*Q(?P<q_n3>[1-4]))\b)"
    rf"|(?P<half>(?:\b(?P<h_p>{_SPAN_PREP})\s+(?:the\s+)?)?(?:\b(?P<h_e>{_EDGE})[\s-]+(?:of\s+)?(?:the\s+)?)?\b"
    rf"(?:(?-i:H)(?P<h_n>[12])(?:\s*(?P<h_y>{Y4}))?"
    rf"|(?P<h_w>first|second|1st|2nd)\s+half(?:\s+of\s+(?:the\s+|this\s+)?(?:(?P<h_of>year|quarter|month|sprint)"
    rf"|(?P<h_y2>{Y4})))?"
    rf"|(?P<h_six>first|last|final)\s+(?:six|6)\s+months(?:\s+of\s+(?:the\s+|this\s+)?(?:year|(?P<h_y3>{Y4})))?)\b)"
    rf"|(?P<gen>(?:\b(?P<g_p>{_SPAN_PREP}|on)\s+)?(?:the\s+)?\b(?:(?P<g_eo>EO[QYMWH]|EOFY)"
    rf"|(?P<g_e>{_EDGE})[\s-]+of\s+(?:the\s+|this\s+|our\s+|(?P<g_each>each|every)\s+|(?P<g_next>next|coming)\s+)?"
    rf"(?P<g_u>quarter|year|month|week|sprint|cycle|term|semester|half|period|season|fiscal\s+year|"
    rf"financial\s+year|school\s+year|academic\s+year)"
    rf"|(?P<g_u2>quarter|year|month|week)[\s-]end)\b)"
    rf"|(?P<own>\b(?:this|the\s+current|current)\s+(?:quarter|year|half|cycle|period)\b"
    rf"|\b(?:in|during|within|over)\s+the\s+(?:quarter|year|half)\b(?!\s+(?:after|before|of|when|that)\b))"
    rf"|(?P<nxt>\b(?P<n_p>by|before|until|till|in|during|for|over|within)\s+(?:the\s+)?(?:next|coming|following)\s+"
    rf"(?:quarter|month|year|week|sprint|half|release|cycle)\b)"
    rf"|(?P<season>\b(?P<s_p>{_SPAN_PREP})\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?"
    rf"(?:summer|winter|spring|autumn|fall|holiday\s+season)\b(?:\s+(?:{Y4}|{_YY}))?)"
    rf"|(?P<mon>(?:\b(?P<m_p>{_SPAN_PREP})\s+(?:the\s+)?)?"
    rf"(?:\b(?P<m_w>first|second|third|fourth|last|final)\s+(?:week|fortnight|half|days?)\s+of\s+)?"
    rf"(?:\b(?P<m_e>{_EDGE}|early|late)[\s-]+(?:of\s+)?)?\b(?P<m_m>{MONTH})\b\.?(?!\s*[/–-]\s*{MONTH})"
    rf"(?:\s+(?P<m_y>{Y4})\b|\s*(?P<m_yy>{_YY})\b)?)"
    rf"|(?P<event>\b(?P<e_p>by|before|until|till|at|ahead\s+of|prior\s+to|in\s+time\s+for|"
    rf"ready\s+(?:for|by|before|at|in\s+time\s+for)|due\s+(?:by|at|before))\s+"
    rf"(?:(?:the|our|its|their|my|this|next|first|public|official)\s+)*"
    rf"(?:(?:(?-i:[A-Z0-9])[\w.-]{{0,20}}\s+){{0,3}}?(?P<e_w>{_EVENTS})\b"  # "the SOC 2 audit", "the 2026 kickoff"
    rf"|(?P<e_rel>(?:v?\d+(?:\.\d+)*|(?-i:[A-Z])[\w.+-]*|beta|stable|major|final)\s+"
    rf"(?:release|launch|version|(?-i:GA)|beta|rollout)\b|(?:release|version)\s+v?\d+(?:\.\d+)*\b)"
    rf"|(?P<e_n>(?-i:[A-Z])[\w'’.-]*(?-i:[a-z])[\w'’-]*|(?-i:[A-Z]{{2,}})\d*\b)))"
    rf"|(?P<year>(?:\b(?P<y_p>{_SPAN_PREP})\s+(?:the\s+)?)?(?:\b(?P<y_e>{_EDGE}|early|late)[\s-]+(?:of\s+)?"
    rf"(?:the\s+)?)?\b(?:(?P<y_n>{Y4})(?!\s*[-–/]\s*\d)(?!\s*(?:%|[.,]\d))"
    rf"|(?:FY|CY|fiscal\s+year\s)\s?['’]?(?P<y_fy>\d{{2}}(?:\d{{2}})?))\b)"
    rf"|(?P<rel>\b(?P<r_p>within|in)\s+(?:the\s+)?(?:(?P<r_first>first|next|coming|last|past|initial)\s+)?"
    rf"(?P<r_n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    rf"thirty|sixty|ninety|few|couple\s+of)?\s*(?:business\s+|working\s+|calendar\s+)?"
    rf"(?P<r_u>minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|quarters?|years?|sprints?)\b"
    rf"(?:\s+(?P<r_rel>of|after|from|following|since)\s+"
    rf"(?:(?:the|our|its|their|his|her|a|an|each|every|being|first|initial|public|official)\s+)*"
    rf"(?P<r_a>[\w-]{{1,40}}))?)"
)
"""Every way a time is named; :func:`time_scanner` joins the ones a title's words allow."""


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (split at each ``|`` outside parentheses and brackets)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


_TIME_NEEDS = {
    "iso": has_marks, "dnum": has_marks, "dmy": has_month, "mdy": has_month, "mon": has_month,
    "qtr": has_mixed, "half": has_half, "gen": has_end, "own": has_own_period, "nxt": has_next,
    "year": has_year_or_fiscal, "season": has_season, "event": has_event, "rel": has_relative,
}
"""What a title's words must hold for each way of naming a time to match at all."""
TIME_PARTS = [(part, _TIME_NEEDS[part[4:part.index(">")]]) for part in _alternatives(_TIME_SOURCE)]


def _first_letters(pattern: str) -> set[str]:
    """The characters the alternatives of ``pattern`` can start with (``\\d`` for a digit)."""
    out: set[str] = set()
    for alternative in _alternatives(pattern):
        if alternative.startswith("(?:"):
            out |= _first_letters(alternative[3:alternative.rindex(")")])
        elif alternative.startswith("\\"):
            out.add(alternative[:2])
        else:
            out.add(alternative[0].lower())
    return out


_HEAD_LETTERS = "".join(sorted(_first_letters(_TIME_HEADS)))
"""The first letters of the words a time phrase starts with: one character test rules out most places at once."""


@functools.lru_cache(maxsize=512)
def time_scanner(chosen: tuple[int, ...]) -> re.Pattern:
    """One pattern for the ways of naming a time a title's words allow, tried only where a time phrase can start."""
    return re.compile(rf"(?=\b[{_HEAD_LETTERS}])(?=\b(?:{_TIME_HEADS}))(?:"
                      + "|".join(TIME_PARTS[i][0] for i in chosen) + ")", re.I)


_PREP_CLASS = {
    "by": "by", "before": "by", "until": "until", "till": "until", "no later than": "by", "not later than": "by",
    "due": "by", "due by": "by", "due on": "by", "due in": "by", "due at": "by", "due before": "by",
    "ahead of": "by", "prior to": "by", "in time for": "by", "ready for": "by", "ready by": "by", "ready in": "by",
    "ready on": "by", "ready before": "by", "ready at": "by",
    "in": "in", "during": "in", "throughout": "in", "through": "in", "within": "in", "at": "in", "on": "in",
    "over": "in",
    "after": "from", "from": "from", "starting": "from", "starting in": "from", "starting on": "from",
    "beginning": "from", "beginning in": "from", "as of": "from", "since": "from", "around": "by",
    "for": "for",
}
"""What each preposition before a time says: a deadline (``by``), a span (``in``), a start (``from``)..."""


def prep_class(word: str | None) -> str | None:
    """The class of a preposition: ``by`` (a deadline), ``until``, ``in`` (a span), ``from`` (a start), ``for``."""
    if not word:
        return None
    return _PREP_CLASS.get(SPACES.sub(" ", word.lower()), "by")


_LEADING_PREP = re.compile(rf"^\s*({_DATE_PREP})\b", re.I)


def leading_prep(text: str) -> str | None:
    """The preposition a date phrase opens with ("by", "no later than"), if any."""
    match = _LEADING_PREP.match(text)
    return match.group(1) if match else None

