"""The text engine: what the words of a key result say, read once and shared by every reader.

- :mod:`~okr_workshop.smart.language.tokens`: the one pass that splits a title
  into words, numbers and signs (:func:`tokenize`, cached per title);
- :mod:`~okr_workshop.smart.language.parsing`: start, target, unit, due date,
  deadline, direction, a level held, a count of new things
  (:func:`parse_title`), read from those tokens and the phrases around them,
  with the parts it reads in their own modules (``masks``, ``numbers``,
  ``times``, ``periods``, ``deadlines``, ``levels``, ``counts``);
- :mod:`~okr_workshop.smart.language.kinds`: outcome or output (:func:`classify`),
  a small learned model over facts (:mod:`~okr_workshop.smart.language.facts`)
  built from the same tokens;
- :mod:`~okr_workshop.smart.language.phrases`: the word tables and patterns the
  parser and the classifier share, each written once.

The checker's rules, the scorer (``holds a level``, where a count starts)
and the onboarding course all ask these functions, so they cannot disagree
about a title.
"""

from okr_workshop.smart.language import kinds, parsing
from okr_workshop.smart.language.kinds import Kind, KindModel, KindModelError, classify, features, load_model
from okr_workshop.smart.language.levels import HOLDING_VERBS, steady_side
from okr_workshop.smart.language.numbers import Number
from okr_workshop.smart.language.parsing import Parsed, parse_title, starts_at_zero
from okr_workshop.smart.language.periods import period_span
from okr_workshop.smart.language.tokens import Token, Tokens, tokenize


def clear_caches() -> None:
    """Forget every title read so far (for benchmarks that must time a cold read, and for tests)."""
    tokenize.cache_clear()
    parsing.clear_cache()
    kinds.classify.cache_clear()


__all__ = [
    "HOLDING_VERBS", "Kind", "KindModel", "KindModelError", "Number", "Parsed", "Token", "Tokens", "classify",
    "clear_caches", "features", "load_model", "parse_title", "period_span", "starts_at_zero", "steady_side", "tokenize",
]
