"""The digits and number words of a title that are no quantity: dates, versions, names, ids, choices, quotes.

``Raise NPS on v2 from 40 to 50 by 30 September`` holds five numbers and two
quantities: :func:`mask` replaces the digits of ``v2`` and ``30 September``
by ``#`` (positions kept), so that the reader of numbers
(:mod:`~okr_workshop.smart.language.numbers`) sees only ``40`` and ``50``. Spans that
choose or compare things ("the last 2 releases", "split into two") and titles
in quotes lose their number words too.
"""

from __future__ import annotations

import functools
import re

from okr_workshop.smart.language.gates import (
    ID_WORDS,
    PRODUCT_WORDS,
    has_clock,
    has_fiscal,
    has_id,
    has_marks,
    has_mixed,
    has_month,
    has_name,
    has_offer,
    has_product,
    has_scale,
    has_symbol,
    has_within,
    has_year,
)
from okr_workshop.smart.language.phrases import MONTH, NUM_WORD, Y4
from okr_workshop.smart.language.tokens import Tokens

_PRODUCTS = "|".join(sorted(PRODUCT_WORDS)) + r"|node\.js"
"""Names a version number follows: "Python 3", "ISO 27001", "node.js 20"."""
_IDS = "|".join(sorted(ID_WORDS)) + r"|no\."
"""Words a number names rather than counts: "batch 5", "plant 2", "no. 4"."""

NOT_TARGETS = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), has_marks),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?{MONTH}\b"
               rf"(?:,?\s+\d{{4}})?", re.I), has_month),
    (re.compile(rf"\b{MONTH}\.?,?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?\b)?"
               rf"(?:,?\s+\d{{4}})?", re.I), has_month),
    (re.compile(rf"\b{MONTH}\.?\s*(?:['’]\d{{2}}|{Y4})\b", re.I), has_month),  # "July '23", "June 2024"
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), has_marks),
    (re.compile(r"\b(?:FY|CY)?\s?Q[1-4](?:\s?(?:FY)?'?\d{2,4})?\b", re.I), has_mixed),
    (re.compile(r"\bH[12](?:\s?\d{4})?\b"), has_mixed),
    (re.compile(r"\b(?:FY|CY)\s?'?\d{2,4}\b", re.I), has_fiscal),
    (re.compile(r"\b[vV]\d+(?:\.\d+)*\b"), has_mixed),
    (re.compile(r"\b\d+\.\d+\.\d+\b"), has_marks),
    (re.compile(rf"\b(?:{_PRODUCTS})\s?\d+(?:\.\d+)*(?:\s?(?:type\s)?(?:i{{1,3}}|\d))?", re.I), has_product),
    (re.compile(r"\b\d(?:G|D)\b"), has_mixed),  # 5G, 3D
    (re.compile(r"\b\d+(?:\.\d+)+\s+(?:release|version)\b", re.I), has_marks),
    (re.compile(r"\b[A-Za-z]+-?\d+[A-Za-z]*\b"), has_name),  # Web3, K8s, S3, GPT-4, B2B, p95
    (re.compile(r"\b\d+[A-Za-z]+\d+\w*\b"), has_mixed),  # 4G5, 2FA2
    (re.compile(r"\b(?:B2B|B2C|P2P|1:1s?|one-on-one|24/7|365)\b", re.I), has_symbol),
    (re.compile(rf"\b(?:{_IDS})s?\s*#?\s?\d+(?:\s*(?:,|&|and)\s*\d+)*\b", re.I),
     has_id),  # ids: "batch 5", "points 1, 2 & 3", "plant 2"
    (re.compile(r"\b[A-Za-z]+/\d+\w*|\b\d+(?-i:[A-Z]{2,})\w*"), has_name),  # S/4HANA, 4HANA
    (re.compile(r"#\s?\d+\b"), has_marks),  # "#4"
    (re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|o['’]clock)\b", re.I), has_clock),
    (re.compile(rf"\b(?:in|by|for|during|before|after|of|since|from|until|till|through|throughout|beyond|around|"
               rf"circa|early|mid|late|end|on)[\s-]+{Y4}\b(?!\s*(?:to|->|→))", re.I), has_year),
    (re.compile(rf"\b{Y4}\b(?=\s*$)"), has_year),
    (re.compile(rf"\b{Y4}\s?[-–/]\s?(?:{Y4}|\d{{2}})\b"), has_year),  # 2026-2027, 2026/27
    (re.compile(rf"\b(?:the|our|this|its|their|next|last)\s+{Y4}(?:\s?[-–/]\s?(?:{Y4}|\d{{2}}))?\b",
               re.I), has_year),  # "the 2027 budget", "the 2026/27 season"
    (re.compile(r"\bout\s+of\s+\d+(?:\.\d+)?\b|(?<=\d)\s?/\s?\d+(?:\.\d+)?\b", re.I),
     has_scale),  # a scale: "out of 5", "/5"
    (re.compile(r"\bwithin\s+\d+\s+(?:days?|weeks?|months?)\s+(?:of|after|from)\b", re.I), has_within),
    (re.compile(r"\b\d+(?:\.\d+)?\s?%\s+(?:discount|off|rebate|cashback|coupon)\b|\bdiscounts?\s+of\s+\d+(?:\.\d+)?\s?%",
               re.I), has_offer),  # an offer, not a target
]
"""Spans that hold digits but no target (dates, quarters, versions, names, ids, times of day), each with what a
title must hold for it to match at all (:mod:`~okr_workshop.smart.language.gates`)."""
_NOT_COUNTS = [
    re.compile(rf"\b(?:latest|last|past|previous|prior|recent)\s+(?:\d+|{NUM_WORD})\b(?!\s*%)", re.I),
    re.compile(rf"\b(?:split|divided|converted|broken|separated|grouped|organi[sz]ed|sorted)\s+"
               rf"(?:[\w'’-]{{1,30}}\s+){{0,4}}?into\s+(?:\d+|{NUM_WORD})\b", re.I),
    re.compile(rf"\bbetween\s+(?:\d+|{NUM_WORD})\b(?!\s*(?:%|and\b|-|–|to\b|\d))", re.I),
    re.compile(r"“[^”\n]{1,80}”|\"[^\"\n]{1,80}\"|‘[^’\n]{1,80}’|(?<![\w'’])'[^'\n]{1,80}'(?!\w)"),
]
"""Spans whose number words are no quantity either: what is being chosen or compared, titles in quotes."""

_NOT_TARGET_GATE = r"(?:(?=\b\w)|(?=#)|(?=\s?Q)|(?<=\d)(?=\s?/))"
"""Where a span of them can start: a word, ``#``, ``Q`` or the ``/`` after a digit."""


@functools.lru_cache(maxsize=512)
def _not_target_scanner(chosen: tuple[int, ...]) -> re.Pattern:
    """One pattern for the spans of ``NOT_TARGETS`` that can match in a title (in their order)."""
    return re.compile(_NOT_TARGET_GATE + "(?:" + "|".join(f"(?:{NOT_TARGETS[i][0].pattern})" for i in chosen) + ")",
                      re.I)


_NOT_COUNT = re.compile("|".join(f"(?:{p.pattern})" for p in _NOT_COUNTS), re.I)
_DIGIT = re.compile(r"\d")
_NOT_SPACE = re.compile(r"\S")
_NOT_COUNT_WORDS = {"latest", "last", "past", "previous", "prior", "recent", "split", "divided", "converted", "broken",
                    "separated", "grouped", "organized", "organised", "sorted", "between"}


def _may_choose(words: Tokens) -> bool:
    """Could the title choose or compare things ("the last 2", "split into two") or quote a name?"""
    return words.quotes or bool(words.words & _NOT_COUNT_WORDS)


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


def mask(title: str, words: Tokens, chosen: tuple[int, ...]) -> str:
    """The title with every digit that is no quantity replaced by ``#``, positions kept.

    ``chosen`` are the places in :data:`NOT_TARGETS` whose need the title
    meets (:func:`~okr_workshop.smart.language.gates.allowed`). Spans that choose or
    compare things ("the last 2 releases", "split into two") and titles in
    quotes lose their number words too.
    """
    masked = title
    if words.digits and chosen:
        opening = len(title) - len(title.lstrip())
        masked = _not_target_scanner(chosen).sub(
            lambda m: m.group(0) if m.start() == opening and _opening_verb(m.group(0))
            else _DIGIT.sub("#", m.group(0)), masked)
    if _may_choose(words):
        masked = _NOT_COUNT.sub(lambda m: _NOT_SPACE.sub("#", m.group(0)), masked)
    return masked
