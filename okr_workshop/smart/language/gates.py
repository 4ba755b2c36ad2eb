"""What a title's words must hold for a pattern to match at all: cheap tests that skip the scans that cannot.

The parser runs two long scans over a title: the spans whose digits are no
target (:mod:`~okr_workshop.smart.language.masks`) and the ways of naming a time
(:mod:`~okr_workshop.smart.language.times`). Each of their patterns comes with a
*need* here, a test of the title's :class:`~okr_workshop.smart.language.tokens.Tokens`
that is necessary, never enough: a title without a month name cannot hold
"15 March". :func:`allowed` keeps the patterns whose needs a title meets.

The needs see a title through :class:`Gate`: its words among
:data:`GATE_WORDS` and the flags of its tokens, so that titles alike in those
share one choice of scans.
"""

from __future__ import annotations

from typing import NamedTuple

from okr_workshop.smart.language.phrases import MONTH_NAMES

_SYMBOL_WORDS = frozenset({"one", "365"})
_CLOCK_WORDS = frozenset({"am", "pm", "clock"})
_OFFER_WORDS = frozenset({"discount", "discounts", "off", "rebate", "cashback", "coupon"})
_MONTH_WORDS = frozenset(MONTH_NAMES) | {name[:3] for name in MONTH_NAMES} | {"sept"}
PRODUCT_WORDS = frozenset({
    "version", "release", "api", "sdk", "python", "java", "ios", "android", "iso", "iec", "soc", "pci", "wcag", "http",
    "ipv", "windows", "macos", "postgres", "postgresql", "mysql", "ubuntu", "debian", "node", "nodejs", "php", "ruby",
    "rails", "django", "react", "angular", "vue", "kubernetes", "chrome", "firefox", "safari", "excel", "office"})
"""Products and standards a version number follows: "Python 3", "ISO 27001", "Windows 11"."""
ID_WORDS = frozenset({
    "top", "tier", "level", "phase", "stage", "step", "grade", "part", "batch", "iteration", "cohort", "round", "wave",
    "milestone", "chapter", "lesson", "module", "episode", "edition", "volume", "section", "item", "point", "issue",
    "ticket", "sprint", "season", "day", "week", "year", "no", "number", "plant", "site", "building", "line", "ward",
    "room", "floor", "gate", "zone", "district", "platform", "terminal", "lab", "studio"})
"""Words a number names rather than counts: "batch 5", "plant 2", "week 3"."""
_ID_ALL = ID_WORDS | {w + "s" for w in ID_WORDS}
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


def has_marks(gate: Gate) -> bool:
    """``#``, ``/``, ``:``, ``.`` or ``-``: an ISO date, "12/31/2026", "1.2.3", "#4"."""
    return gate.marks


def has_month(gate: Gate) -> bool:
    """A month's name: "15 March", "June 2024"."""
    return bool(gate.words & _MONTH_WORDS)


def has_mixed(gate: Gate) -> bool:
    """A word of letters and digits: "Q3", "H1", "v2", "5G", "4G5"."""
    return gate.mixed


def has_fiscal(gate: Gate) -> bool:
    """A fiscal or calendar year: "FY27", "CY 2026"."""
    return gate.mixed or bool(gate.words & _FISCAL_WORDS)


def has_product(gate: Gate) -> bool:
    """A product or standard a version follows: "Python 3", "ISO 27001"."""
    return gate.mixed or bool(gate.words & PRODUCT_WORDS)


def has_name(gate: Gate) -> bool:
    """A name with digits in it: "Web3", "GPT-4", "S/4HANA"."""
    return gate.mixed or gate.marks


def has_symbol(gate: Gate) -> bool:
    """A name made of digits and signs: "B2B", "1:1s", "24/7", "365"."""
    return gate.mixed or gate.marks or bool(gate.words & _SYMBOL_WORDS)


def has_id(gate: Gate) -> bool:
    """A word a number names rather than counts: "batch 5", "plant 2"."""
    return bool(gate.words & _ID_ALL)


def has_clock(gate: Gate) -> bool:
    """A time of day: "9am", "5 o'clock"."""
    return gate.mixed or bool(gate.words & _CLOCK_WORDS)


def has_year(gate: Gate) -> bool:
    """A year written in full: "2026"."""
    return gate.years


def has_scale(gate: Gate) -> bool:
    """A scale: "4.5 out of 5", "4/5"."""
    return gate.marks or "out" in gate.words


def has_within(gate: Gate) -> bool:
    """A window after an event: "within 30 days of launch"."""
    return "within" in gate.words


def has_offer(gate: Gate) -> bool:
    """An offer: "20% off", "a discount of 10%"."""
    return bool(gate.words & _OFFER_WORDS)


def has_half(gate: Gate) -> bool:
    """A half year: "H2", "the second half", "the first six months"."""
    return gate.mixed or bool(gate.words & _HALF_WORDS)


def has_end(gate: Gate) -> bool:
    """The end or start of a period: "EOQ", "by the end of the year"."""
    return bool(gate.words & _EO) or bool(gate.words & _EDGES and gate.words & _GEN_UNITS)


def has_own_period(gate: Gate) -> bool:
    """The OKR's own period: "this quarter", "during the year"."""
    return bool(gate.words & _OWN_WORDS)


def has_next(gate: Gate) -> bool:
    """The next period: "by next quarter", "in the coming month"."""
    return bool(gate.words & _NEXT_WORDS)


def has_year_or_fiscal(gate: Gate) -> bool:
    """A year: "by 2027", "in FY27"."""
    return gate.years or gate.mixed or bool(gate.words & _FISCAL_WORDS)


def has_season(gate: Gate) -> bool:
    """A season: "by summer", "before the holiday season"."""
    return bool(gate.words & _SEASON_WORDS)


def has_event(gate: Gate) -> bool:
    """A word before an event the work must be ready for: "at launch", "ahead of the summit"."""
    return bool(gate.words & _EVENT_WORDS)


def has_relative(gate: Gate) -> bool:
    """A time counted from now or from an event: "in 6 weeks", "within 30 days of launch"."""
    return bool(gate.words & _IN_WORDS and gate.words & _REL_UNITS)


GATE_WORDS = frozenset().union(
    _MONTH_WORDS, PRODUCT_WORDS, _ID_ALL, _SYMBOL_WORDS, _CLOCK_WORDS, _OFFER_WORDS, _FISCAL_WORDS, _HALF_WORDS,
    _EO, _EDGES, _GEN_UNITS, _OWN_WORDS, _NEXT_WORDS, _SEASON_WORDS, _EVENT_WORDS, _IN_WORDS, _REL_UNITS,
    {"out", "within"},
)
"""Every word a need above looks for: the needs see a title's words through this set, so titles that share
these words and the flags share one choice of scans."""


class Gate(NamedTuple):
    """What the needs may see of a title: its words among :data:`GATE_WORDS`, and the flags of its tokens."""

    words: frozenset
    digits: bool
    years: bool
    mixed: bool
    marks: bool
    quotes: bool


def allowed(parts, gate: Gate) -> tuple[int, ...]:
    """The places of the ``(pattern, need)`` parts whose need the title meets."""
    met: dict = {}
    chosen = []
    for i, (_, need) in enumerate(parts):
        hit = met.get(need)
        if hit is None:
            hit = met[need] = need(gate)
        if hit:
            chosen.append(i)
    return tuple(chosen)
