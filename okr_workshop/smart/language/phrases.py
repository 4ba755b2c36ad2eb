"""The words and patterns every reader of a title shares, each written once so that no two readers drift apart.

Numbers written as words, units of time, months and years, the arrows of a
change ("40 -> 50"), the words that point at a number ("to", "at least"), a
rate ("a month", "per week"), the verbs of making or winning something ("sign",
"publish") and the few words right before a number. The title parser
(:mod:`~okr_workshop.smart.language.parsing` and the modules it reads with) and the
outcome/output classifier (:mod:`~okr_workshop.smart.language.facts`) take their
tables from here.
"""

from __future__ import annotations

import re

from okr_workshop.smart.language.tokens import Tokens

_ONE_TO_TWELVE = "one two three four five six seven eight nine ten eleven twelve".split()
NUMBER_WORDS = {word: value for value, word in enumerate(["zero", *_ONE_TO_TWELVE])} | {
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
    "thousand": 1000, "million": 1_000_000,
}
"""Numbers written as one word, and their values."""
NUM_WORD = "(?:" + "|".join(_ONE_TO_TWELVE) + ")"
"""One to twelve written as a word: "two", "eleven"."""
TIME_UNITS = frozenset({"ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr",
                        "hrs", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"})
"""Units of time a number can be measured in: "200 ms", "3 days"."""
ARROWS = ("->", "→", "=>")
"""The signs of a change from one level to another: "167 -> 500"."""
ARROW = "(?:" + "|".join(map(re.escape, ARROWS)) + ")"
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
"""The months, in order."""
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
"""A month's name or its abbreviation, as a pattern: "Sept", "March"."""
Y4 = r"(?:19|20)\d{2}"
"""A year written in full: "2026"."""
THRESHOLD = re.compile(
    r"\b(?P<word>to|reach(?:es|ing)?|hit|at least|at most|above|below|under|over|beyond|exceed(?:ing)?|"
    r"less than|more than|fewer than|greater than|no more than|no less than|minimum of|maximum of|of|at)\s*$",
    re.I,
)
"""A word that points at the number right after it: "to 50", "at least 3", "above 95%"."""
_WINDOW = 48
"""How far back a word that points at a number ("to", "from", "by", "at least") is looked for."""
SENTENCE_START = re.compile(r"(?:^|[.!?:;(\[]\s*|[-–•*]\s+)$")
"""Where a sentence starts: what comes before its first word."""
SPACES = re.compile(r"\s+")
"""A run of spaces, to read "end  of" as "end of"."""

_RATE = r"\s+(?:a|per|each|every)\s+(?:day|week|month|quarter|year|sprint)\b"
PER_PERIOD = re.compile(_RATE, re.I)
"""A rate right after a number: "twice a month", "3 per week"."""
ONE_RATE = re.compile(rf"(?:\s+[\w'’-]{{1,30}}){{0,2}}?{_RATE}", re.I)
"""A rate a few words after a number: "one book a month", "4 posts per week"."""


def text_before(text: str, position: int, width: int = _WINDOW) -> str:
    """The few characters before ``position``."""
    return text[max(0, position - width):position]


def leading_words(text: str, position: int) -> str:
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


def in_title_case(words: Tokens) -> bool:
    """Is the title written In Title Case (so a capital says nothing about a name)?"""
    title = words.title
    first = [t.text for t in words.tokens[:24] if t.kind == "word" and (t.start == 0 or title[t.start - 1].isspace())]
    first = first[:12]
    return len(first) >= 3 and sum(w[0].isupper() for w in first) >= 0.6 * len(first)


# ---------------------------------------------------------------------------------------------- verbs of making

MAKE = (r"(?:sign(?:s|ed|ing)?(?:\s+up)?|publish\w*|ship(?:s|ped|ping)?|writ(?:e|es|ing)|wrote|hir(?:e|es|ed|ing)|"
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
"""A verb of making or winning something, in its forms: "sign", "published", "run out"."""
_MAKE_WORD = re.compile(MAKE, re.I)
_ACTIVITY_WORD = re.compile(r"(?:speak\w*|spoke|present\w*|talk\w*|exhibit\w*|contribut\w*|volunteer\w*|"
                            r"participat\w*|partner\w*|attend\w*|appear\w*|teach\w*|publish\w*|post\w*|writ\w*|"
                            r"wrote|guest\w*|featur\w*)", re.I)
_ACTIVITY_PREPOSITIONS = {"at", "in", "to", "with", "on", "for"}
_COUNT_QUANTIFIERS = {("at", "least"), ("another",), ("a", "further"), ("an", "additional"), ("a", "additional"),
                      ("over",), ("more", "than"), ("up", "to"), ("around",), ("about",), ("approximately",),
                      ("some",), ("our", "first"), ("the", "first"), ("a", "total", "of")}


def count_verb_before(words: Tokens, position: int, lead: str, activities: bool = False) -> bool:
    """Does a verb of making or winning ("sign", "publish at least") stand right before the number at ``position``?

    ``lead`` is the text right before it (:func:`leading_words`); the words are the title's tokens.

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
        return _ACTIVITY_WORD.fullmatch(words[-2]) is not None or (
            _MAKE_WORD.fullmatch(words[-2]) is not None and words[-1] == "with")
    return _MAKE_WORD.fullmatch(words[-1]) is not None or (
        len(words) >= 2 and _MAKE_WORD.fullmatch(" ".join(words[-2:])) is not None)
