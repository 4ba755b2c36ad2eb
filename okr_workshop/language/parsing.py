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

Every pattern here runs in time linear in the title: a title at the 10,000
character limit is read about as fast as a short one.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from okr_workshop.language.tokens import Tokens, tokenize

__all__ = ["HOLDING_VERBS", "Number", "Parsed", "may_hold_quantity", "parse_title", "period_span", "starts_at_zero", "steady_side"]

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12, "a thousand": 1000,
    "zero": 0, "twice": 2, "thrice": 3,
}
_FACTORS = {"double": 2.0, "doubling": 2.0, "triple": 3.0, "tripling": 3.0, "quadruple": 4.0,
            "halve": 0.5, "halving": 0.5, "half": 0.5, "order of magnitude": 10.0}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_CURRENCY = {"$": "$", "€": "EUR", "£": "GBP", "eur": "EUR", "usd": "$", "gbp": "GBP", "chf": "CHF"}
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_Y4 = r"(?:19|20)\d{2}"
_NUM_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"


# What a title's words (its Tokens) must hold for a pattern to match at all: necessary, never enough.
def _marked(w) -> bool:
    return w.marks


def _months_named(w) -> bool:
    return bool(w.words & _MONTH_WORDS)


def _mixed(w) -> bool:
    return w.mixed


def _fiscal(w) -> bool:
    return w.mixed or bool(w.words & _FISCAL_WORDS)


def _product(w) -> bool:
    return w.mixed or bool(w.words & _PRODUCT_WORDS)


def _named(w) -> bool:
    return w.mixed or w.marks


def _symbols(w) -> bool:
    return w.mixed or w.marks or bool(w.words & _SYMBOL_WORDS)


def _id(w) -> bool:
    return bool(w.words & _ID_ALL)


def _clock(w) -> bool:
    return w.mixed or bool(w.words & _CLOCK_WORDS)


def _years(w) -> bool:
    return w.years


def _scale_or_mark(w) -> bool:
    return w.marks or "out" in w.words


def _within(w) -> bool:
    return "within" in w.words


def _offer(w) -> bool:
    return bool(w.words & _OFFER_WORDS)


_SYMBOL_WORDS = frozenset({"one", "365"})
_CLOCK_WORDS = frozenset({"am", "pm", "clock"})
_OFFER_WORDS = frozenset({"discount", "discounts", "off", "rebate", "cashback", "coupon"})


_MONTH_WORDS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
                "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
                "december"}
_PRODUCT_WORDS = {"version", "release", "api", "sdk", "python", "java", "ios", "android", "iso", "iec", "soc", "pci",
                  "wcag", "http", "ipv", "windows", "macos", "postgres", "postgresql", "mysql", "ubuntu", "debian",
                  "node", "nodejs", "php", "ruby", "rails", "django", "react", "angular", "vue", "kubernetes",
                  "chrome", "firefox", "safari", "excel", "office"}
_ID_WORDS = {"top", "tier", "level", "phase", "stage", "step", "grade", "part", "batch", "iteration", "cohort", "round",
             "wave", "milestone", "chapter", "lesson", "module", "episode", "edition", "volume", "section", "item",
             "point", "issue", "ticket", "sprint", "season", "day", "week", "year", "no", "number", "plant", "site",
             "building", "line", "ward", "room", "floor", "gate", "zone", "district", "platform", "terminal", "lab",
             "studio"}
_ID_ALL = _ID_WORDS | {w + "s" for w in _ID_WORDS}

# Spans that hold digits but no target: dates, quarters, versions, names, ids, times of day.
_NOT_TARGETS = [  # (pattern, what the title must hold for it to match at all)
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), _marked),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?{_MONTH}\b"
               rf"(?:,?\s+\d{{4}})?", re.I), _months_named),
    (re.compile(rf"\b{_MONTH}\.?,?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?\b)?"
               rf"(?:,?\s+\d{{4}})?", re.I), _months_named),
    (re.compile(rf"\b{_MONTH}\.?\s*(?:['’]\d{{2}}|{_Y4})\b", re.I), _months_named),  # "July '23", "June 2024"
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), _marked),
    (re.compile(r"\b(?:FY|CY)?\s?Q[1-4](?:\s?(?:FY)?'?\d{2,4})?\b", re.I), _mixed),
    (re.compile(r"\bH[12](?:\s?\d{4})?\b"), _mixed),
    (re.compile(r"\b(?:FY|CY)\s?'?\d{2,4}\b", re.I), _fiscal),
    (re.compile(r"\b[vV]\d+(?:\.\d+)*\b"), _mixed),
    (re.compile(r"\b\d+\.\d+\.\d+\b"), _marked),
    (re.compile(r"\b(?:version|release|api|sdk|python|java|ios|android|iso|iec|soc|pci|wcag|http|ipv|windows|macos|"
               r"postgres(?:ql)?|mysql|ubuntu|debian|node(?:\.?js)?|php|ruby|rails|django|react|angular|vue|"
               r"kubernetes|chrome|firefox|safari|excel|office)\s?\d+(?:\.\d+)*(?:\s?(?:type\s)?(?:i{1,3}|\d))?",
               re.I), _product),
    (re.compile(r"\b\d(?:G|D)\b"), _mixed),  # 5G, 3D
    (re.compile(r"\b\d+(?:\.\d+)+\s+(?:release|version)\b", re.I), _marked),
    (re.compile(r"\b[A-Za-z]+-?\d+[A-Za-z]*\b"), _named),  # Web3, K8s, S3, GPT-4, B2B, p95
    (re.compile(r"\b\d+[A-Za-z]+\d+\w*\b"), _mixed),  # 4G5, 2FA2
    (re.compile(r"\b(?:B2B|B2C|P2P|1:1s?|one-on-one|24/7|365)\b", re.I), _symbols),
    (re.compile(r"\b(?:top|tier|level|phase|stage|step|grade|part|batch|iteration|cohort|round|wave|milestone|"
               r"chapter|lesson|module|episode|edition|volume|section|item|point|issue|ticket|sprint|season|"
               r"day|week|year|no\.?|number|plant|site|building|line|ward|room|floor|gate|zone|district|platform|"
               r"terminal|lab|studio)s?\s*#?\s?\d+(?:\s*(?:,|&|and)\s*\d+)*\b",
               re.I), _id),  # ids: "batch 5", "points 1, 2 & 3", "plant 2"
    (re.compile(r"\b[A-Za-z]+/\d+\w*|\b\d+(?-i:[A-Z]{2,})\w*"), _named),  # S/4HANA, 4HANA
    (re.compile(r"#\s?\d+\b"), _marked),  # "#4"
    (re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|o['’]clock)\b", re.I), _clock),
    (re.compile(rf"\b(?:in|by|for|during|before|after|of|since|from|until|till|through|throughout|beyond|around|"
               rf"circa|early|mid|late|end|on)[\s-]+{_Y4}\b(?!\s*(?:to|->|→))", re.I), _years),
    (re.compile(rf"\b{_Y4}\b(?=\s*$)"), _years),
    (re.compile(r"\b(?:19|20)\d{2}\s?[-–/]\s?(?:(?:19|20)\d{2}|\d{2})\b"), _years),  # 2026-2027, 2026/27
    (re.compile(r"\b(?:the|our|this|its|their|next|last)\s+(?:19|20)\d{2}(?:\s?[-–/]\s?(?:(?:19|20)\d{2}|\d{2}))?\b",
               re.I), _years),  # "the 2027 budget", "the 2026/27 season"
    (re.compile(r"\bout\s+of\s+\d+(?:\.\d+)?\b|(?<=\d)\s?/\s?\d+(?:\.\d+)?\b", re.I), _scale_or_mark),  # a scale: "out of 5", "/5"
    (re.compile(r"\bwithin\s+\d+\s+(?:days?|weeks?|months?)\s+(?:of|after|from)\b", re.I), _within),
    (re.compile(r"\b\d+(?:\.\d+)?\s?%\s+(?:discount|off|rebate|cashback|coupon)\b|\bdiscounts?\s+of\s+\d+(?:\.\d+)?\s?%",
               re.I), _offer),  # an offer, not a target
]
# Spans whose number words are no quantity either: what is being chosen or compared, titles in quotes.
_NOT_COUNTS = [
    re.compile(rf"\b(?:latest|last|past|previous|prior|recent)\s+(?:\d+|{_NUM_WORD})\b(?!\s*%)", re.I),
    re.compile(rf"\b(?:split|divided|converted|broken|separated|grouped|organi[sz]ed|sorted)\s+"
               rf"(?:[\w'’-]{{1,30}}\s+){{0,4}}?into\s+(?:\d+|{_NUM_WORD})\b", re.I),
    re.compile(rf"\bbetween\s+(?:\d+|{_NUM_WORD})\b(?!\s*(?:%|and\b|-|–|to\b|\d))", re.I),
    re.compile(r"“[^”\n]{1,80}”|\"[^\"\n]{1,80}\"|‘[^’\n]{1,80}’|(?<![\w'’])'[^'\n]{1,80}'(?!\w)"),
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
_FACTOR = re.compile(r"\b(" + "|".join(f for f in _FACTORS if f not in ("half", "order of magnitude"))
                     + r"|(?<=by\s)half|(?<=in\s)half|(?<=by\san\s)order of magnitude"
                     r"|(?<=by\sone\s)order of magnitude)\b", re.I)
_UNIT_WORD = re.compile(r"\s*(?:(?:new|more|additional|extra|active|paying|qualified|monthly|weekly|daily|"
                        r"unique|net|total|open|fewer|less)\s+)*([^\W\d_](?:[^\W\d_]|[/-])*)"
                        r"(?:\s+([^\W\d_](?:[^\W\d_]|-)*s)\b)?")
_SCALE_UNIT = re.compile(r"\s?(?:out\s+of\s+|/\s?)(\d+(?:\.\d+)?)\b", re.I)
_SCORE_UNITS = re.compile(r"\b(e?NPS|CSAT|CES|ARR|MRR)\b")
_RATIO = re.compile(r"\b(\d+(?:\.\d+)?)\s?:\s?(\d+(?:\.\d+)?)\b")
_UNIT_STOP = {"to", "from", "by", "in", "of", "on", "at", "and", "or", "the", "a", "an", "per", "within", "before",
              "after", "for", "with", "than", "over", "under", "above", "below", "across", "each", "every"}
_FROM_TO = re.compile(r"\bfrom\s+(?P<a>[^\s]{1,40}(?:\s?[kKmM%])?(?:\s+[^\s\d]{1,40}){0,3}?)\s+(?:up |down )?to\s+",
                      re.I)
_ARROW = re.compile(r"(?:->|→|=>)")
_THRESHOLD = re.compile(
    r"\b(?P<word>to|reach(?:es|ing)?|hit|at least|at most|above|below|under|over|beyond|exceed(?:ing)?|"
    r"less than|more than|fewer than|greater than|no more than|no less than|minimum of|maximum of|of|at)\s*$",
    re.I,
)
_RELATIVE = re.compile(r"\bby\s*$", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
_BASELINE = re.compile(r"\b(?P<word>currently|today|now|baseline|at present|presently|from)\b[\s:=]*"
                       r"(?:(?:is|at|of|was)\s+)?$", re.I)
_DECREASE = re.compile(r"\b(reduc\w*|cut\w*|decreas\w*|lower\w*|shrink\w*|drop\w*|halv\w*|minimi[sz]\w*|"
                       r"below|under|less|fewer|down|eliminat\w*|shorten\w*|slash\w*|trim\w*|save\w*)\b", re.I)
_HOLD_VERB = re.compile(r"\b(?:keep|maintain|stay|remain|hold|sustain|preserve|protect)(?:s|ing|ed)?\b", re.I)
_HOLD_SIDE = re.compile(r"\b(?:above|below|under|over|at|at least|at most)\b|[≥≤]", re.I)
_WITHIN = re.compile(r"\bwithin\b", re.I)
_WINDOW = 48
"""How far back a word that points at a number ("to", "from", "by", "at least") is looked for."""

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
_QUANTITY_HEADS = (rf"every|each|once|twice|thrice|\d|{_NUM_WORD}|on|daily|weekly|bi|fortnightly|monthly|quarterly|"
                   rf"nightly|half|a|the|within|under|in|less|more|no|at|longer|above|below|better|over|beat|exceed|"
                   rf"outperform|match|hit|meet|reach|achieve|surpass|deliver")
_QUANTITY_WORDS = re.compile(
    rf"(?=\b(?:{_QUANTITY_HEADS}))(?:"
    # a frequency
    rf"(?P<freq>\b(?:every|each)\s+(?:other\s+|single\s+|second\s+|two\s+|three\s+|\d+(?:st|nd|rd|th)?\s+)?"
    rf"{_PERIOD_WORDS}\b(?!\s+of\s+(?:the|this|our|a|its)\b)"  # "every week of the quarter" is "throughout"
    rf"|\b(?:once|twice|thrice|(?:\d+|{_NUM_WORD})\s+times)\s+(?:a|an|per|every|each)\s+"
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
_ONE_LEAD = re.compile(r"\b(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|"
                       r"no\s+less\s+than|maximum(?:\s+of)?|minimum(?:\s+of)?|max\.?|min\.?|only|exactly|just|over|"
                       r"under|below|above)\s+$", re.I)
_ONE_RATE = re.compile(r"(?:\s+[\w'’-]{1,30}){0,2}?\s+(?:a|per|each|every)\s+(?:day|week|month|quarter|year|sprint)\b",
                       re.I)

# ---------------------------------------------------------------------------------------------- counts of new things

_MAKE = (r"(?:sign(?:s|ed|ing)?(?:\s+up)?|publish\w*|ship(?:s|ped|ping)?|writ(?:e|es|ing)|wrote|hir(?:e|es|ed|ing)|"
         r"recruit\w*|onboard\w*|win(?:s|ning)?|won|clos(?:e|es|ed|ing)|land(?:s|ed|ing)?|add(?:s|ed|ing)?|"
         r"creat\w*|build(?:s|ing)?|built|launch\w*|releas\w*|deliver\w*|run(?:s|ning)?|ran|hold(?:s|ing)?|held|"
         r"host\w*|organi[sz]\w*|giv(?:e|es|en|ing)|gave|speak(?:s|ing)?|spoke|present\w*|complet\w*|finish\w*|"
         r"conduct\w*|interview\w*|visit\w*|book(?:s|ed|ing)?|acquir\w*|get(?:s|ting)?|got|gain\w*|attract\w*|"
         r"secur\w*|earn\w*|collect\w*|gather\w*|record\w*|produc\w*|open(?:s|ed|ing)?|start(?:s|ed|ing)?|"
         r"train\w*|mentor\w*|enrol\w*|welcom\w*|post(?:s|ed|ing)?|send(?:s|ing)?|sent|mak(?:e|es|ing)|made|"
         r"design\w*|draft\w*|prototyp\w*|fix(?:es|ed|ing)?|resolv\w*|merg\w*|review\w*|submit\w*|"
         r"teach\w*|taught|coach\w*|sell(?:s|ing)?|sold|generat\w*|find(?:s|ing)?|found|identif\w*|survey\w*|"
         r"document\w*|automat\w*|migrat\w*|contribut\w*|translat\w*|film\w*|announc\w*|award\w*|fund(?:s|ed|ing)?|"
         r"certif\w*|graduat\w*|invit\w*|attend\w*|appoint\w*|establish\w*|set(?:s|ting)?\s+up|partner\w*\s+with|"
         r"bring\s+in|brought\s+in|receiv\w*|obtain\w*|convert\w*|serv(?:e|es|ed|ing)|help(?:s|ed|ing)?|"
         r"support(?:s|ed|ing)?|contact\w*|deploy\w*|integrat\w*|implement\w*|test(?:s|ed|ing)?|plant\w*|"
         r"issu(?:e|es|ed|ing)|install\w*|repair\w*|renovat\w*|replac\w*|vaccinat\w*|screen(?:s|ed|ing)?|"
         r"distribut\w*|donat\w*|rais(?:e|es|ed|ing)\s+funds\s+for|run\s+out)")
_MAKE_WORD = re.compile(_MAKE, re.I)
_ACTIVITY_WORD = re.compile(r"(?:speak\w*|spoke|present\w*|talk\w*|exhibit\w*|contribut\w*|volunteer\w*|"
                            r"participat\w*|partner\w*|attend\w*|appear\w*|teach\w*|publish\w*|post\w*|writ\w*|"
                            r"wrote|guest\w*|featur\w*)", re.I)
_ACTIVITY_PREPOSITIONS = {"at", "in", "to", "with", "on", "for"}
_COUNT_QUANTIFIERS = {("at", "least"), ("another",), ("a", "further"), ("an", "additional"), ("a", "additional"),
                      ("over",), ("more", "than"), ("up", "to"), ("around",), ("about",), ("approximately",),
                      ("some",), ("our", "first"), ("the", "first"), ("a", "total", "of")}
_LEVEL_LEAD = re.compile(r"\b(?:to|reach\w*|of)\s*$", re.I)
_NEW_AFTER = re.compile(r"\s*(?:new|more|additional|extra|fresh|first-time)\b", re.I)
_MAKE_FIRST = re.compile(rf"^\s*(?:(?:we|i|the\s+team|our\s+team)\s+(?:will\s+)?)?{_MAKE}\b", re.I)
_LEVEL_CUE = re.compile(r"\b(?:to|from|reach\w*|grow\w*|increas\w*|rais\w*|lift\w*|boost\w*|improv\w*|total\w*|"
                        r"maintain\w*|keep\w*|at\s+least|per|rate|share|average|median)\b|%", re.I)
_MONEY_LEAD = re.compile(r"\b(?:clos(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|secur\w*|win(?:s|ning)?|won|book\w*|"
                         r"land\w*|sign\w*|generat\w*|bring\s+in|brought\s+in|earn\w*|receiv\w*|obtain\w*)\s+"
                         r"(?:at\s+least\s+|another\s+|over\s+)?$", re.I)
_TIME_UNITS = {"ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr", "hrs",
               "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"}
_NOT_COUNT_UNITS = {"%", "pp", "ratio", "points", "point", "pts", "stars", "star", "x"} | _TIME_UNITS

# ---------------------------------------------------------------------------------------------- skipping numbers

_YEAR_LIKE = re.compile(rf"{_Y4}")
_PLURAL_AFTER = re.compile(r"\s+(?:[^\W\d_][\w-]{0,30}\s+)?[^\W\d_][\w-]{0,30}s\b")
_QUANTITY_LEAD = re.compile(r"\b(?:to|from|reach(?:es|ed|ing)?|hit|at\s+least|at\s+most|above|below|under|over|"
                            r"than|exceed\w*|beyond|of|at)\s+$", re.I)
_COMPOUND_UNIT = re.compile(r"-(?:second|minute|hour|day|week|month|quarter|year|person|page|step|part)s?\b(?=\s+[^\W\d])",
                            re.I)
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+$", re.I)
_AGE_UNIT = re.compile(r"\s+(?:years?|months?|weeks?|days?|hours?)\b(?=\s+[^\W\d])", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;(\[]\s*|[-–•*]\s+)$")
_NAME_BEFORE = re.compile(r"(?-i:[A-Z][a-z]+)\s$")
_VERSION_ZERO = re.compile(r"\d+\.0\b(?!\s*(?:%|x\b|out\s+of|/|stars?|points?|rating))", re.I)

_NOT_TARGET_GATE = r"(?:(?=\b\w)|(?=#)|(?=\s?Q)|(?<=\d)(?=\s?/))"
"""Where a span of them can start: a word, ``#``, ``Q`` or the ``/`` after a digit."""


@functools.lru_cache(maxsize=512)
def _not_target_scanner(chosen: tuple[int, ...]) -> re.Pattern:
    """One pattern for the spans of ``_NOT_TARGETS`` that can match in a title (in their order)."""
    return re.compile(_NOT_TARGET_GATE + "(?:" + "|".join(f"(?:{_NOT_TARGETS[i][0].pattern})" for i in chosen) + ")",
                      re.I)


_NOT_COUNT = re.compile("|".join(f"(?:{p.pattern})" for p in _NOT_COUNTS), re.I)
_DIGIT = re.compile(r"\d")
_NOT_SPACE = re.compile(r"\S")

_QUANTITY_WORDS_ANY = {
    "every", "each", "once", "twice", "thrice", "times", "basis", "daily", "weekly", "biweekly", "bi", "fortnightly",
    "monthly", "bimonthly", "quarterly", "nightly", "half", "third", "thirds", "quarter", "quarters", "fifth",
    "majority", "minute", "hour", "day", "week", "month", "average", "median", "benchmark", "norm", "standard",
    "rate", "target", "targets", "quota", "quotas", "forecast", "budget"}
_NOT_COUNT_WORDS = {"latest", "last", "past", "previous", "prior", "recent", "split", "divided", "converted", "broken",
                    "separated", "grouped", "organized", "organised", "sorted", "between"}
_NUMBER_WORDS = {w for w in _WORDS if " " not in w} | {"dozen", "thousand", "hundred"}
_AMOUNT_WORDS = frozenset(_NUMBER_WORDS | {"double", "doubling", "triple", "tripling", "quadruple", "halve",
                                           "halving", "half", "magnitude"} | _QUANTITY_WORDS_ANY)
"""Words without which a title without digits names no amount (checked in the tests against the parser)."""
_MARKS = frozenset("#/:.-")
_QUOTES = frozenset("“\"‘'")


def _may_choose(words: Tokens) -> bool:
    """Could the title choose or compare things ("the last 2", "split into two") or quote a name?"""
    return words.quotes or bool(words.words & _NOT_COUNT_WORDS)


def may_hold_quantity(words: Tokens) -> bool:
    """Could the title name an amount at all: a digit, a number word, a factor ("double"), a quantity in words?

    False means :func:`parse_title` finds no number, change or quantity in it: no need to ask.
    """
    return words.digits or bool(words.words & _AMOUNT_WORDS)


def _may_state_quantity(words: Tokens) -> bool:
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


def _before(text: str, position: int, width: int = _WINDOW) -> str:
    """The few characters before ``position``."""
    return text[max(0, position - width):position]


def _lead(text: str, position: int) -> str:
    """The few words right before a number ("reach at least", "currently:"), or "" when no word stands there.

    Every word that points at a number stands right before it; a number after
    a digit, a dash or a bracket has none, and the searches are skipped.
    """
    i, stop = position - 1, max(-1, position - 8)
    while i > stop and text[i] in " \t:=":
        i -= 1
    if i < 0 or not text[i].isalpha():
        return ""
    return text[max(0, position - _WINDOW):position]


def _chosen(parts, words: Tokens) -> tuple[int, ...]:
    """The places of the ``(pattern, need)`` parts whose need the title's words meet."""
    met: dict = {}
    chosen = []
    for i, (_, need) in enumerate(parts):
        hit = met.get(need)
        if hit is None:
            hit = met[need] = need(words)
        if hit:
            chosen.append(i)
    return tuple(chosen)


_ID_VERBS = {"plant", "issue", "stage", "grade", "building", "line", "floor", "gate", "point", "round", "step", "part",
             "wave", "sprint", "section", "ticket", "batch"}
"""Words of ids that are verbs too: the first word of "Plant 2,000 trees" or "Issue 40 grants" says what to do."""


_VERB_AND_COUNT = re.compile(r"([^\W\d_]+)\s+\d{1,3}(?:,\d{3})+|([^\W\d_]+)\s+\d+")


def _opening_verb(span: str) -> bool:
    """Does ``span`` ("Plant 2,000") open the title with a verb and one number, rather than an id ("Points # 1, 2")?"""
    match = _VERB_AND_COUNT.fullmatch(span)
    if match is None:
        return False
    word = (match.group(1) or match.group(2)).lower()
    return word in _ID_VERBS or (word.endswith("s") and word[:-1] in _ID_VERBS)


def _mask(title: str, words: Tokens, chosen: tuple[int, ...]) -> str:
    """The title with every digit that is no quantity replaced by ``#``, positions kept.

    Spans that choose or compare things ("the last 2 releases", "split into
    two") and titles in quotes lose their number words too.
    """
    masked = title
    if words.digits:
        if chosen:
            opening = len(title) - len(title.lstrip())
            masked = _not_target_scanner(chosen).sub(
                lambda m: m.group(0) if m.start() == opening and _opening_verb(m.group(0))
                else _DIGIT.sub("#", m.group(0)), masked)
    if _may_choose(words):
        masked = _NOT_COUNT.sub(lambda m: _NOT_SPACE.sub("#", m.group(0)), masked)
    return masked


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


def _title_case(words: Tokens) -> bool:
    """Is the title written In Title Case (so a capital says nothing about a name)?"""
    title = words.title
    first = [t.text for t in words.tokens[:24] if t.kind == "word" and (t.start == 0 or title[t.start - 1].isspace())]
    first = first[:12]
    return len(first) >= 3 and sum(w[0].isupper() for w in first) >= 0.6 * len(first)


def _no_quantity(match: re.Match, title: str, masked: str) -> bool:
    """A number that names something rather than counting it: a year, "a 3-year plan", "multistream 2.0"."""
    raw = match["num"]
    plain = not (match["cur"] or match["cur2"] or match["pct"] or match["scale"] or match["x"] or match["neg"])
    if not plain:
        return False
    lead = _lead(masked, match.start())
    pointed = _QUANTITY_LEAD.search(lead) is not None or _count_verb_before(tokenize(title), match.start(), lead)
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
    name = _NAME_BEFORE.search(lead)
    if name and len(raw) <= 2 and not _SENTENCE_START.search(lead[:name.start()]) and not _title_case(tokenize(title)):
        return True  # "Llama 3", "Windows 11": a product's name
    return False


def _numbers(title: str, masked: str, words: Tokens) -> list[Number]:
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
    words: list[Number] = []
    for match in _WORD_NUMBER.finditer(masked):
        at = bisect_right(starts, match.start()) - 1
        if at >= 0 and found[at].start <= match.start() < found[at].end:
            continue
        word = match.group(1).lower()
        before = masked[max(0, match.start() - 4):match.start()].lower()
        if word == "one" and not (_MORE.search(title, match.end(), match.end() + 12)
                                  or _ONE_LEAD.search(_lead(masked, match.start()))
                                  or _ONE_RATE.match(title, match.end())):
            continue  # "one of", "the one thing": rarely a count; "at least one", "one book a month" are
        if "no " in before:
            continue
        if word in ("twice", "thrice") and not _PER_PERIOD.match(title, match.end()):
            continue  # "ask twice" is a manner of speaking; "twice a month" is a rate
        if title[match.start()].isupper() and not _SENTENCE_START.search(_before(title, match.start(), 4)):
            if title_case is None:
                title_case = _title_case(tokenize(title))
            if not title_case:
                continue  # "Two Scoops of Django": a name
        words.append(Number(float(_WORDS[word]), _unit_after(title, match.end()), match.start(), match.end()))
    if words:
        found = sorted(found + words, key=lambda n: n.start)
    return found


# ---------------------------------------------------------------------------------------------- periods and deadlines


@dataclass(frozen=True)
class _Period:
    first: dt.date
    last: dt.date
    kind: str
    """``quarter``, ``half``, ``year``, ``month`` or ``span``."""


_PERIOD_TEXT = re.compile(r"\s*(\d{4})(?:-(?:Q([1-4])|H([12])|(\d{2}))(?:\s*\.\.\s*(\d{4})-(\d{2}))?)?\s*", re.I)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


@functools.lru_cache(maxsize=256)
def _period(text: str | None) -> _Period | None:
    if not text:
        return None
    match = _PERIOD_TEXT.fullmatch(str(text))
    if match is None:
        return None
    year, quarter, half, month, to_year, to_month = match.groups()
    year = int(year)
    try:
        if quarter:
            q = int(quarter)
            return _Period(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), "quarter")
        if half:
            h = int(half)
            return _Period(dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h), "half")
        if month and to_year:
            return _Period(dt.date(year, int(month), 1), _month_end(int(to_year), int(to_month)), "span")
        if month:
            return _Period(dt.date(year, int(month), 1), _month_end(year, int(month)), "month")
        return _Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    except ValueError:
        return None


def period_span(period: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a period written ``2026-Q3``, ``2026-H1``, ``2026``, ``2026-02`` or ``2025-07..2026-06``.

    None when the text is none of these.
    """
    found = _period(period)
    return (found.first, found.last) if found else None


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
_AT_EVENTS = {"launch", "launches", "launching", "release", "go-live", "golive", "go live", "ga", "kickoff",
              "kick-off", "kick off", "launch day", "release day", "general availability"}
_ONE_OFF = {"launch", "launching", "release", "releasing", "go-live", "golive", "kickoff", "kick-off", "start",
            "beginning", "announcement", "publication", "rollout", "roll-out", "ga", "debut", "quarter", "year",
            "program", "programme", "project", "pilot", "migration", "merger", "acquisition", "opening", "event",
            "conference", "summit"}
_NOT_NAMES = {"i", "we", "our", "the", "this", "that", "it", "they", "all", "a", "an"}
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan"}
"""Month words that are verbs or names too ("May", "March", "Jan"): a month only beside a day, year or preposition."""

_TIME_HEADS = (rf"by|before|until|till|no|not|due|after|from|starting|as|around|ahead|prior|in|ready|on|during|"
               rf"throughout|through|within|for|beginning|since|at|the|end|close|start|middle|mid|early|late|first|"
               rf"second|third|fourth|last|final|this|current|over|eo[qymwh]|eofy|quarter|year|month|week|next|coming|"
               rf"following|fy|cy|fiscal|summer|winter|spring|autumn|fall|holiday|q[1-4]|h[12]|\d|{_MONTH}")
"""Every word a time phrase can start with: the scan tries its alternatives only where one stands."""

_TIME_SOURCE = (
    rf"(?P<iso>(?:\b{_DATE_PREP}\s+)?\b(?P<iso_d>\d{{4}}-\d{{2}}-\d{{2}})\b(?!\.\.))"
    rf"|(?P<dnum>(?:\b{_DATE_PREP}\s+)?\b\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})\b)"
    rf"|(?P<dmy>(?:\b{_DATE_PREP}\s+)?(?:the\s+)?\b(?P<dmy_d>[0-3]?\d){_ORD}(?:\s*[-–]\s*[0-3]?\d{_ORD})?\s+"
    rf"(?:of\s+)?(?P<dmy_m>{_MONTH})\b\.?(?:,?\s+(?P<dmy_y>{_Y4}\b|{_YY}\b))?)"
    rf"|(?P<mdy>(?:\b{_DATE_PREP}\s+)?\b(?P<mdy_m>{_MONTH})\b\.?,?\s+(?P<mdy_d>[0-3]?\d){_ORD}\b"
    rf"(?!\s*(?:%|[.,]\d|k\b|m\b))(?:\s*[-–]\s*[0-3]?\d{_ORD}\b)?(?:,?\s+(?P<mdy_y>{_Y4}\b|{_YY}\b))?)"
    rf"|(?P<qtr>(?:\b(?P<q_p>{_SPAN_PREP})\s+(?:the\s+)?)?(?:\b(?P<q_e>{_EDGE})[\s-]+(?:of\s+)?(?:the\s+)?)?\b"
    rf"(?:(?P<q_y1>{_Y4})[\s-]?Q(?P<q_n1>[1-4])"
    rf"|Q(?P<q_n2>[1-4])(?:\s*[-–/]\s*Q[1-4])?(?:\s*,?\s*(?P<q_y2>{_Y4})|\s*(?P<q_yy>{_YY})"
    rf"|\s*FY\s?['’]?(?P<q_fy>\d{{2}}(?:\d{{2}})?))?"
    rf"|FY\s?['’]?(?P<q_fy2>\d{{2}}(?:\d{{2}})?)\s*[-/]?\s*Q(?P<q_n3>[1-4]))\b)"
    rf"|(?P<half>(?:\b(?P<h_p>{_SPAN_PREP})\s+(?:the\s+)?)?(?:\b(?P<h_e>{_EDGE})[\s-]+(?:of\s+)?(?:the\s+)?)?\b"
    rf"(?:(?-i:H)(?P<h_n>[12])(?:\s*(?P<h_y>{_Y4}))?"
    rf"|(?P<h_w>first|second|1st|2nd)\s+half(?:\s+of\s+(?:the\s+|this\s+)?(?:(?P<h_of>year|quarter|month|sprint)"
    rf"|(?P<h_y2>{_Y4})))?"
    rf"|(?P<h_six>first|last|final)\s+(?:six|6)\s+months(?:\s+of\s+(?:the\s+|this\s+)?(?:year|(?P<h_y3>{_Y4})))?)\b)"
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
    rf"(?:summer|winter|spring|autumn|fall|holiday\s+season)\b(?:\s+(?:{_Y4}|{_YY}))?)"
    rf"|(?P<mon>(?:\b(?P<m_p>{_SPAN_PREP})\s+(?:the\s+)?)?"
    rf"(?:\b(?P<m_w>first|second|third|fourth|last|final)\s+(?:week|fortnight|half|days?)\s+of\s+)?"
    rf"(?:\b(?P<m_e>{_EDGE}|early|late)[\s-]+(?:of\s+)?)?\b(?P<m_m>{_MONTH})\b\.?(?!\s*[/–-]\s*{_MONTH})"
    rf"(?:\s+(?P<m_y>{_Y4})\b|\s*(?P<m_yy>{_YY})\b)?)"
    rf"|(?P<event>\b(?P<e_p>by|before|until|till|at|ahead\s+of|prior\s+to|in\s+time\s+for|"
    rf"ready\s+(?:for|by|before|at|in\s+time\s+for)|due\s+(?:by|at|before))\s+"
    rf"(?:(?:the|our|its|their|my|this|next|first|public|official)\s+)*"
    rf"(?:(?:(?-i:[A-Z0-9])[\w.-]{{0,20}}\s+){{0,3}}?(?P<e_w>{_EVENTS})\b"  # "the SOC 2 audit", "the 2026 kickoff"
    rf"|(?P<e_rel>(?:v?\d+(?:\.\d+)*|(?-i:[A-Z])[\w.+-]*|beta|stable|major|final)\s+"
    rf"(?:release|launch|version|(?-i:GA)|beta|rollout)\b|(?:release|version)\s+v?\d+(?:\.\d+)*\b)"
    rf"|(?P<e_n>(?-i:[A-Z])[\w'’.-]*(?-i:[a-z])[\w'’-]*|(?-i:[A-Z]{{2,}})\d*\b)))"
    rf"|(?P<year>(?:\b(?P<y_p>{_SPAN_PREP})\s+(?:the\s+)?)?(?:\b(?P<y_e>{_EDGE}|early|late)[\s-]+(?:of\s+)?"
    rf"(?:the\s+)?)?\b(?:(?P<y_n>{_Y4})(?!\s*[-–/]\s*\d)(?!\s*(?:%|[.,]\d))"
    rf"|(?:FY|CY|fiscal\s+year\s)\s?['’]?(?P<y_fy>\d{{2}}(?:\d{{2}})?))\b)"
    rf"|(?P<rel>\b(?P<r_p>within|in)\s+(?:the\s+)?(?:(?P<r_first>first|next|coming|last|past|initial)\s+)?"
    rf"(?P<r_n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    rf"thirty|sixty|ninety|few|couple\s+of)?\s*(?:business\s+|working\s+|calendar\s+)?"
    rf"(?P<r_u>minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|quarters?|years?|sprints?)\b"
    rf"(?:\s+(?P<r_rel>of|after|from|following|since)\s+"
    rf"(?:(?:the|our|its|their|his|her|a|an|each|every|being|first|initial|public|official)\s+)*"
    rf"(?P<r_a>[\w-]{{1,40}}))?)"
)
"""Every way a time is named; :func:`_time_scanner` joins the ones a title's words allow."""


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


_EO = {"eoq", "eoy", "eom", "eow", "eoh", "eofy"}
_EDGES = {"end", "close", "start", "beginning", "middle", "mid"}
_GEN_UNITS = {"quarter", "year", "month", "week", "sprint", "cycle", "term", "semester", "half", "period", "season",
              "fiscal", "financial", "school", "academic"}
_REL_UNITS = {"minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days", "week", "weeks", "wk",
              "wks", "month", "months", "quarter", "quarters", "year", "years", "sprint", "sprints"}
_HALF_WORDS = frozenset({"half", "months"})
_OWN_WORDS = frozenset({"quarter", "year", "half", "cycle", "period"})
_NEXT_WORDS = frozenset({"next", "coming", "following"})
_FISCAL_WORDS = frozenset({"fy", "cy", "fiscal"})
_SEASON_WORDS = frozenset({"summer", "winter", "spring", "autumn", "fall", "holiday"})
_EVENT_WORDS = frozenset({"by", "before", "until", "till", "at", "ahead", "prior", "time", "ready", "due"})
_IN_WORDS = frozenset({"within", "in"})
_TIME_NEEDS = {
    "iso": _marked, "dnum": _marked, "dmy": _months_named, "mdy": _months_named, "mon": _months_named,
    "qtr": _mixed,
    "half": lambda w: w.mixed or bool(w.words & _HALF_WORDS),
    "gen": lambda w: bool(w.words & _EO) or bool(w.words & _EDGES and w.words & _GEN_UNITS),
    "own": lambda w: bool(w.words & _OWN_WORDS),
    "nxt": lambda w: bool(w.words & _NEXT_WORDS),
    "year": lambda w: w.years or w.mixed or bool(w.words & _FISCAL_WORDS),
    "season": lambda w: bool(w.words & _SEASON_WORDS),
    "event": lambda w: bool(w.words & _EVENT_WORDS),
    "rel": lambda w: bool(w.words & _IN_WORDS and w.words & _REL_UNITS),
}
"""What a title's words must hold for each way of naming a time to match at all."""
_TIME_PARTS = [(part, _TIME_NEEDS[part[4:part.index(">")]]) for part in _alternatives(_TIME_SOURCE)]


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

_GATE_WORDS = frozenset().union(
    _MONTH_WORDS, _PRODUCT_WORDS, _ID_ALL, _SYMBOL_WORDS, _CLOCK_WORDS, _OFFER_WORDS, _FISCAL_WORDS, _HALF_WORDS,
    _EO, _EDGES, _GEN_UNITS, _OWN_WORDS, _NEXT_WORDS, _SEASON_WORDS, _EVENT_WORDS, _IN_WORDS, _REL_UNITS,
    {"out", "within"},
)
"""Every word a need above looks for: the needs see a title's words through this set, so titles that share
these words and the flags share one choice of scans."""


class _Gate(NamedTuple):
    """What the needs may see of a title: its words among :data:`_GATE_WORDS`, and the flags of its tokens."""

    words: frozenset
    digits: bool
    years: bool
    mixed: bool
    marks: bool
    quotes: bool


_SCANS: dict[_Gate, tuple[tuple[int, ...], tuple[int, ...]]] = {}


def _scans(words: Tokens) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The not-a-target patterns and the ways of naming a time a title's words allow.

    Few titles differ in what the needs see, so the answers are kept (up to 4,096 of them).
    """
    gate = _Gate(words.words & _GATE_WORDS, words.digits, words.years, words.mixed, words.marks, words.quotes)
    found = _SCANS.get(gate)
    if found is None:
        found = (_chosen(_NOT_TARGETS, gate), _chosen(_TIME_PARTS, gate))
        if len(_SCANS) < 4096:
            _SCANS[gate] = found
    return found


@functools.lru_cache(maxsize=512)
def _time_scanner(chosen: tuple[int, ...]) -> re.Pattern:
    """One pattern for the ways of naming a time a title's words allow, tried only where a time phrase can start."""
    return re.compile(rf"(?=\b[{_HEAD_LETTERS}])(?=\b(?:{_TIME_HEADS}))(?:"
                      + "|".join(_TIME_PARTS[i][0] for i in chosen) + ")", re.I)
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
_SPACES = re.compile(r"\s+")


def _prep(word: str | None) -> str | None:
    """The class of a preposition: ``by`` (a deadline), ``until``, ``in`` (a span), ``from`` (a start), ``for``."""
    if not word:
        return None
    return _PREP_CLASS.get(_SPACES.sub(" ", word.lower()), "by")


def _year(text: str | None) -> int | None:
    if not text:
        return None
    digits = text.strip("'’ ")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _nearest_year(place, period: _Period | None, fallback: int) -> tuple[dt.date, dt.date]:
    """The span ``place(year)`` of the year nearest the OKR's period (the current year without one)."""
    if period is None:
        return place(fallback)
    best = None
    for year in range(period.first.year - 1, period.last.year + 2):
        try:
            first, last = place(year)
        except ValueError:
            continue
        gap = max((period.first - last).days, (first - period.last).days, 0)
        if best is None or gap < best[0]:
            best = (gap, first, last)
    if best is None:
        return place(fallback)
    return best[1], best[2]


def _edge(span: tuple[dt.date, dt.date], edge: str | None) -> tuple[dt.date, dt.date]:
    """A point of a span: its end ("end of Q2", "late March"), start ("early 2026") or middle ("mid November")."""
    if not edge:
        return span
    edge = edge.lower()
    first, last = span
    if edge in ("end", "close", "late"):
        return last, last
    if edge in ("start", "beginning"):
        return first, first
    if edge == "early":
        point = first + (last - first) / 3
        return point, point
    middle = first + (last - first) / 2
    return middle, middle


@dataclass(frozen=True)
class _Time:
    """One mention of time in a title and how the rubric reads it."""

    text: str
    deadline: bool
    own: bool
    due: dt.date | None


def _judge(span: tuple[dt.date, dt.date] | None, prep: str | None, period: _Period | None, edge: str | None,
           calendar_year: bool = False) -> tuple[bool, bool]:
    """(deadline, own period) for a mention of a quarter, half or year, read against the OKR's period.

    The OKR's own period, or the year it falls in, named again is no deadline
    ("in Q3" or "by the end of Q3" in a Q3 OKR, "by the end of 2024" in a Q4
    2024 OKR); a part of it is ("by Q2" in a 2026 OKR), and so is a later one
    with "by" ("by Q1" in a Q4 OKR).
    """
    if prep == "for":
        return False, False  # "the plan for 2027": what it is for, not when it is due
    if period is None or span is None:
        return True, False
    first, last = span
    covers = first <= period.first and last >= period.last
    point = _edge(span, edge)
    if prep in ("by", "until") or (prep is None and edge):
        if covers and point[1] == period.last:
            return False, True  # restates the period: "by the end of Q3" in a Q3 OKR
        if prep == "until" and point[1] > period.last:
            return False, False  # "valid until Q2 2027": how long something lasts
        return True, False
    if prep == "from":
        return point[0] >= period.first, False
    # "in", "during", "at"
    if covers:
        return False, True  # its own period, or the year it falls in
    if first >= period.first and last <= period.last:
        return True, False  # a part of it: "in Q2" of a 2026 OKR
    if first > period.last:
        return not calendar_year, False  # "in FY27"; "participation in 2027" describes something else
    return False, False  # the past: a comparison


def _times(title: str, period: _Period | None, year: int, chosen: tuple[int, ...]) -> list[_Time]:
    """Every mention of time in ``title``, in order, judged against ``period``."""
    if not chosen:
        return []
    out: list[_Time] = []
    for match in _time_scanner(chosen).finditer(title):
        kind = match.lastgroup
        mention = _mention(match, kind, title, period, year)
        if mention is not None:
            out.append(mention)
    return out


def _mention(match: re.Match, kind: str, title: str, period: _Period | None, year: int) -> _Time | None:  # noqa: C901, PLR0911, PLR0912
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
                day = _nearest_year(lambda y: (_safe_day(y, month, day_number),) * 2, period, year)[0]
        except ValueError:
            day = None
        prep = _prep(_leading_prep(text))
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
            if _title_case(tokenize(title)) and not _SENTENCE_START.search(_before(title, start, 4)):
                return None
        if match.start("m_m") and title[match.start("m_m") - 1] == "/":
            return None  # the second month of "October/February"
        pclass = _prep(prep)
        if prep and prep.lower() == "after":
            return None  # "after April": a window, not a point it is due by
        month = _MONTHS[word[:3].lower()]
        span = (dt.date(given, month, 1), _month_end(given, month)) if given else _nearest_year(
            lambda y: (dt.date(y, month, 1), _month_end(y, month)), period, year)
        first, last = _edge(span, edge)
        if g("m_w"):
            last = first + dt.timedelta(days=6) if g("m_w").lower() == "first" else last
        if pclass == "until" and period is not None and first > period.last:
            return _Time(text, False, False, None)
        if pclass == "from" and period is not None and last < period.first:
            return _Time(text, False, False, None)  # "since January": a comparison
        return _Time(text, True, False, first if pclass == "from" else last)
    if kind == "qtr":
        prep, edge = _prep(g("q_p")), g("q_e")
        if not (prep or edge):
            return None  # "the Q3 roadmap": a name
        n = int(g("q_n1") or g("q_n2") or g("q_n3"))
        given = _year(g("q_y1") or g("q_y2") or g("q_yy") or g("q_fy") or g("q_fy2"))
        place = lambda y: (dt.date(y, 3 * n - 2, 1), _month_end(y, 3 * n))  # noqa: E731
        span = place(given) if given else _nearest_year(place, period, year)
        point = _edge(span, edge)
        deadline, own = _judge(span, prep, period, edge)
        return _Time(text, deadline, own, point[0] if prep == "from" else point[1])
    if kind == "half":
        prep, edge = _prep(g("h_p")), g("h_e")
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
        place = lambda y: (dt.date(y, 6 * n - 5, 1), _month_end(y, 6 * n))  # noqa: E731
        if given:
            span = place(given)
        elif period is not None and period.kind in ("year", "half", "quarter", "month"):
            span = place(period.first.year)
        elif period is not None:
            span = _nearest_year(place, period, year)
        else:
            span = place(year)
        point = _edge(span, edge)
        deadline, own = _judge(span, prep, period, edge)
        return _Time(text, deadline, own, point[1])
    if kind == "gen":
        prep = _prep(g("g_p"))
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
        prep = _prep(g("n_p"))
        return None if prep == "for" else _Time(text, True, False, None)
    if kind == "year":
        prep, edge = _prep(g("y_p")), g("y_e")
        if not prep:
            return None  # "the 2026 report", "FY27 budget": names; "held in late 2026" says when something is
        if g("y_fy"):
            return _Time(text, prep != "for", False, None)  # a fiscal year: whose calendar is not known
        number = int(g("y_n"))
        span = (dt.date(number, 1, 1), dt.date(number, 12, 31))
        point = _edge(span, edge)
        deadline, own = _judge(span, prep, period, edge, calendar_year=True)
        due = None if prep in ("in", None) and not edge else point[1]
        return _Time(text, deadline, own, due)
    if kind == "season":
        return None if _prep(g("s_p")) == "for" else _Time(text, True, False, None)
    if kind == "event":
        word = _SPACES.sub(" ", (g("e_w") or "").lower())
        prep = _SPACES.sub(" ", g("e_p").lower())
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


_LEADING_PREP = re.compile(rf"^\s*({_DATE_PREP})\b", re.I)


def _leading_prep(text: str) -> str | None:
    match = _LEADING_PREP.match(text)
    return match.group(1) if match else None


def _safe_day(year: int, month: int, day: int) -> dt.date:
    """The day, or the last day of the month for 29 February of a year that has none."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return _month_end(year, month)


def _due(title: str, period: _Period | None, year: int, chosen: tuple[int, ...]) -> tuple[dt.date | None, str | None, str | None]:
    """(due date, the words naming a point in time, the words naming a deadline)."""
    mentions = _times(title, period, year, chosen)
    deadlines = [m for m in mentions if m.deadline]
    own = [m for m in mentions if m.own]
    phrase = (deadlines or own or [None])[0]
    due = next((m.due for m in deadlines if m.due is not None), None)
    if due is None:
        due = next((m.due for m in own if m.due is not None), None)
    return due, (phrase.text.strip() if phrase else None), (deadlines[0].text.strip() if deadlines else None)


# ---------------------------------------------------------------------------------------------- direction


_STEADY_LEVEL = re.compile(r"^\s*(?:keep|maintain|sustain|hold|preserve)\w*\s+(?:an?\s+|the\s+|our\s+)?"
                           r"\d[\d.,]*\s?%", re.I)
"""A level to hold named right after the verb: "maintain 99.9% uptime"."""


def _last_digit(text: str) -> int:
    return max(text.rfind(d) for d in "0123456789")


_SIDE = re.compile(
    r"\b(?P<above>above|over|at least|no less than|more than|min(?:imum)? of)\b|(?P<above_sign>>=|[≥>])"
    r"|\b(?P<below>below|under|at most|no more than|less than|fewer than|within|max(?:imum)? of)\b"
    r"|(?P<below_sign><=|[≤<])",
    re.I,
)
"""A side of a level; it counts when a number follows somewhere after it ("above 95%")."""
_LEVEL_NEXT = re.compile(r"\s+(?:an?\s+|the\s+|our\s+)?\d[\d.,]*\s?%")
HOLDING_VERBS = ("keep", "maintain", "stay", "remain", "hold", "sustain", "preserve", "protect")
"""The verbs that hold a level."""
_HOLD_WORDS = frozenset(f"{verb}{end}" for verb in HOLDING_VERBS for end in ("", "s", "ing", "ed"))


def _hold(title: str, words: Tokens) -> str | None:
    """How the title holds a level, if it does: ``above`` or ``below`` it ("keep churn below 2%"), ``level`` (a
    level without a side: "maintain 99.9% uptime"), or ``loose`` (held, but no level the scorer can use:
    "stay within budget", "keep NPS at 50")."""
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
    ``stay_below``, ``stay`` (a level without a side: start and target decide), else ``""``."""
    if not title:
        return ""
    return _STEADY_SIDES.get(_hold(title, tokenize(title)), "")


def _direction(title: str, words: Tokens) -> str | None:
    if _hold(title, words) is not None:
        return "steady"
    if _DECREASE.search(title):
        return "decrease"
    if _INCREASE.search(title):
        return "increase"
    return None


# ---------------------------------------------------------------------------------------------- counts of new things


def _count_verb_before(words: Tokens, position: int, lead: str, activities: bool = False) -> bool:
    """Does a verb of making or winning ("sign", "publish at least") stand right before the number at ``position``?

    ``lead`` is the text right before it (:func:`_lead`); the words are the title's tokens.

    With ``activities``, also a verb of taking part and its preposition
    ("speak at", "contribute to"). Read word by word from the end: cheap, however
    long the title.
    """
    if not lead[-1:].isspace():
        return False
    words = words.words_before(position, 6)
    for size in (3, 2, 1):
        if len(words) > size and tuple(words[-size:]) in _COUNT_QUANTIFIERS:
            words = words[:-size]
            break
    if not words:
        return False
    if activities and len(words) >= 2 and words[-1] in _ACTIVITY_PREPOSITIONS:
        return _ACTIVITY_WORD.fullmatch(words[-2]) is not None or _MAKE_WORD.fullmatch(words[-2]) is not None \
            and words[-1] == "with"
    return _MAKE_WORD.fullmatch(words[-1]) is not None or (
        len(words) >= 2 and _MAKE_WORD.fullmatch(" ".join(words[-2:])) is not None)


def _counts_new(title: str, masked: str, number: Number | None) -> bool:
    """Does the target count new things: "sign 3 partners", "25 new schools", "close $40k in new deals"?"""
    if number is None:
        # a target in the columns: the title must lead with making or winning something and name no level
        return bool(_MAKE_FIRST.search(title)) and not _LEVEL_CUE.search(title)
    unit = (number.unit or "").lower()
    if number.relative or number.value < 0 or unit in _NOT_COUNT_UNITS or unit.startswith("out of"):
        return False
    lead = _lead(masked, number.start)
    if unit in ("$", "eur", "gbp", "chf"):
        return bool(_MONEY_LEAD.search(lead)) or bool(_NEW_AFTER.match(title, number.end))
    if _ONE_RATE.match(title, number.end):
        return False  # "publish 4 posts a month": a rate, which has a level of its own
    if _NEW_AFTER.match(title, number.end):
        return not _LEVEL_LEAD.search(lead)  # "25 new schools", "at least 5 new groups"; not "grow to 50 new"
    counted = _count_verb_before(tokenize(title), number.start, lead, activities=True)
    if _THRESHOLD.search(lead) and not counted:
        return False  # "grow to 300 members": a level
    return counted


def starts_at_zero(title: str, target: float | None = None) -> bool:
    """Does ``title`` count new things, so that a missing start is 0 ("sign 3 partners", "publish 5 articles")?

    ``target`` is the target column, if any; the scorer asks this of key
    results that have a target but no start.
    """
    return parse_title(title or "", target=target).from_zero


# ---------------------------------------------------------------------------------------------- the parser


@dataclass(frozen=True)
class _Reading:
    """What a title's words say before any column is known: shared by every key result with that title."""

    parsed: Parsed
    """Never changed: :func:`parse_title` copies it before applying the columns."""
    masked: str
    chosen: Number | None
    """The number read as the target, if one was."""


@functools.lru_cache(maxsize=4096)
def _read(title: str, quarter: str | None, times: bool = True) -> _Reading:  # noqa: C901, PLR0912, PLR0915
    """The reading of ``title`` alone (cached: the apps re-check a title at every pause in typing)."""
    period = _period(quarter)
    year = period.first.year if period is not None else dt.date.today().year
    words = tokenize(title)
    not_targets, times_named = _scans(words)
    masked = _mask(title, words, not_targets)
    numbers = _numbers(title, masked, words)
    parsed = Parsed(numbers=numbers, direction=_direction(title, words))
    if times:
        parsed.due, parsed.time_phrase, parsed.deadline = _due(title, period, year, times_named)
    stated = _QUANTITY_WORDS.search(title) if _may_state_quantity(words) else None
    parsed.quantity_phrase = stated.group(0) if stated else None
    levels = [n for n in numbers if not n.relative]
    # "watched by 60% of viewers" says who, beside a count: the count is the target
    agents = [n for n in levels if n.unit == "%" and _RELATIVE.search(_lead(masked, n.start))
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
        factor = _FACTOR.search(title)
        multiple = next((n for n in numbers if n.relative), None)
        by = next((n for n in levels if _RELATIVE.search(_lead(masked, n.start))
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
            word = _SPACES.sub(" ", factor.group(1).lower())
            if word == "half" and parsed.direction == "increase":
                parsed.change = 0.5
            elif word == "order of magnitude":
                parsed.change = -0.9 if parsed.direction == "decrease" else 9.0
            else:
                parsed.change = _FACTORS[word] - 1
        elif levels:
            chosen = _target_number(levels, masked)
            pointed = _THRESHOLD.search(_lead(masked, chosen.start))
            if len(levels) == 1 and parsed.direction in ("increase", "decrease") \
                    and _FROM_END.search(_lead(masked, chosen.start)):
                parsed.start, parsed.unit = chosen.value, chosen.unit  # "raise NPS from 40": a start, no target
                chosen = None
            elif chosen.unit == "%" and not pointed and parsed.direction in ("increase", "decrease") and len(levels) == 1:
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
            and (parsed.unit or "").lower() not in _NOT_COUNT_UNITS:
        parsed.from_zero = _counts_new(title, masked, chosen)
    return parsed


def _baseline(levels: list[Number], masked: str) -> Number | None:
    """A number stated as where things stand ("currently 38", "(from 4.8%)" beside a target in the same unit)."""
    for number in levels:
        match = _BASELINE.search(_lead(masked, number.start))
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
    return next((n for n in levels if _THRESHOLD.search(_lead(masked, n.start))), None)


def _target_number(levels: list[Number], masked: str) -> Number:
    """Of several numbers, the one a threshold word points at ("to 90%", "below 200 ms"), else the last."""
    if (pointed := _pointed(levels, masked)) is not None:
        return pointed
    return levels[-1] if len(levels) > 1 and levels[-1].unit in ("%", "$", "EUR", "GBP") else levels[0]
