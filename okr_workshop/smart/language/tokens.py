"""The one pass that splits a title into its words, numbers and signs.

Every reader of key result text (the parser of numbers and dates, the
outcome/output classifier, the rules, the scorer) starts from the
:class:`Tokens` of :func:`tokenize`: one regular-expression pass per title,
cached, so that no module splits the same words again with a pattern of its
own and none of them disagrees with another about what the words are.

A token is a word (letters first, digits, apostrophes and hyphens inside:
``trial-to-paid``, ``Q3``, ``p95``), a number with what is glued to it (a
percentage ``12%``, money ``$40k`` or ``300 EUR``, an ordinal or ratio label
``3rd``, ``1:1s``, a plain number ``1,200`` or ``3x``) or a sign
(``% # > ≥ < ≤ → & / + ~``). Each keeps where it stands in the title.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = ["STOP_WORDS", "Token", "Tokens", "content_words", "tokenize"]

_TOKEN = re.compile(
    r"\s*"  # spaces are skipped in one step rather than tried against every kind of token
    r"(?:(?P<word>[^\W\d_][\w'’-]*)"
    r"|(?P<sym>[%#>≥<≤→&/+~])"
    r"|(?P<money>[$€£¥]\s?\d[\d,.]*\s?(?:[kKmMbB](?:n|illion)?\b)?\+?|\d[\d,.]*\s?(?:[kKmM]|bn)?\s?"
    r"(?:EUR|USD|GBP|CHF|dollars?|euros?|pounds)\b)"
    r"|(?P<pct>\d[\d,.]*\s?(?:%|percent\b|per cent\b|pp\b))"
    r"|(?P<label>\d+(?:st|nd|rd|th)\b|\d+[:-]1s?\b)"
    r"|(?P<num>\d[\d,.:/]*(?:\s?[kKmM]\b|x\b|\+)?))"
)
_KINDS = ("word", "sym", "money", "pct", "label", "num")
_PIECES = re.compile(r"[^\W_]+")
_MARKS = frozenset("#/:.-")
_QUOTES = frozenset("“\"‘'")


class Token(NamedTuple):
    """One word, number or sign of a title, and where it stands."""

    text: str
    low: str
    kind: str
    """``word``, ``num``, ``pct``, ``money``, ``label`` (``3rd``, ``1:1s``) or ``sym``."""
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Tokens:
    """A title's tokens, and the facts about its words that decide which longer scans can find anything."""

    title: str
    tokens: tuple[Token, ...]
    words: frozenset
    """The lower-case runs of letters and digits ("trial-to-paid" gives trial, to, paid; "$40k" gives 40k)."""
    digits: bool
    years: bool
    """A word of four digits that reads as a year (19xx, 20xx)."""
    mixed: bool
    """A word of letters and digits: ``Q3``, ``Web3``, ``v2``, ``2FA``, ``1st``, ``40k``."""
    marks: bool
    """``#``, ``/``, ``:``, ``.`` or ``-``: in ids, ratios, dates and versions."""
    quotes: bool
    ends: tuple[int, ...]
    """Where each token ends, in order (to find the tokens before a place by bisection)."""

    def words_before(self, position: int, count: int) -> list[str]:
        """The lower-case text of the last ``count`` tokens (at most) that end at or before ``position``."""
        stop = bisect_right(self.ends, position)
        return [token.low for token in self.tokens[max(0, stop - count):stop]]


@lru_cache(maxsize=8192)
def tokenize(title: str) -> Tokens:
    """Split ``title`` once into its :class:`Token` s and word facts (cached: every reader shares the result)."""
    tokens = []
    words = set()
    digits = years = mixed = False
    lowered = title.lower()
    same = len(lowered) == len(title)  # lower case keeps every place (it does, but for a few letters such as "İ")
    new, find, isdigit = tuple.__new__, title.find, str.isdigit
    at = 0
    for groups in _TOKEN.findall(title):
        text = groups[0]
        if text:  # a word: the most common token first
            start = find(text, at)
            at = end = start + len(text)
            low = lowered[start:end] if same else text.lower()
            tokens.append(new(Token, (text, low, "word", start, end)))
            if low.isalpha():
                words.add(low)
            else:
                for piece in _PIECES.findall(low):
                    words.add(piece)
                    if not piece.isalpha():
                        digits = True
                        if not isdigit(piece):
                            mixed = True
            if start and isdigit(title[start - 1]):
                mixed = True  # "2FA": digits and letters in one run
            continue
        k = 1
        while not groups[k]:
            k += 1
        text, kind = groups[k], _KINDS[k]
        start = find(text, at)
        at = end = start + len(text)
        low = lowered[start:end] if same else text.lower()
        tokens.append(new(Token, (text, low, kind, start, end)))
        if kind != "sym":
            digits = True
            for piece in _PIECES.findall(low):
                words.add(piece)
                if isdigit(piece):
                    years = years or (len(piece) == 4 and piece[:2] in ("19", "20"))
                elif not piece.isalpha():
                    mixed = True
    chars = set(title) if len(title) < 400 else None
    marks = bool(_MARKS & chars) if chars is not None else any(c in title for c in _MARKS)
    quotes = bool(_QUOTES & chars) if chars is not None else any(c in title for c in _QUOTES)
    return Tokens(title, tuple(tokens), frozenset(words), digits, years, mixed, marks, quotes,
                  tuple(token.end for token in tokens))


STOP_WORDS = frozenset(
    "a an the of to from by in on at for with and or per our its their than into within across over under "
    "above below up down more less new all every each this that these those we is are be".split()
)
"""Small words that say nothing about what is measured."""


def content_words(title: str) -> frozenset[str]:
    """The words that say what is measured (the title's word tokens): numbers, signs and small words left out."""
    return frozenset(low for token in tokenize(title).tokens
                     if token.kind == "word" and (low := token.low.strip("'’-")) not in STOP_WORDS)
