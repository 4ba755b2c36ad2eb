"""Outcome or output: does a key result measure a result, or the work done?

An *outcome* is a change in a result the organisation cares about: customers,
users, revenue, adoption, quality, speed, cost, satisfaction, reliability,
people reached, trained or retained. An *output* does or delivers a piece of
work: tasks held, features shipped, documents written, tools built, processes
defined, hires made, events run, talks given, counted or not. "Launch the
referral page" and "Speak at 3 conferences" are outputs; "the referral page
brings 200 sign-ups" and "40 managers trained" are outcomes. Where a key
result mixes both, a stated audience, usage or quality target ("Run 2
webinars with 400 sign-ups") makes it an outcome.

How it decides: one pass over the title reads its words and numbers, and
:func:`features` turns them into facts that carry meaning: the family of the
leading verb and what it acts on, what each number counts (work, people or a
result), the share of people in a state, an effect tied to the work, a service
level, an audience target, work reported done, a capability delivered, people
doing something, and general words. A logistic model weighs those facts; its
weights ship in ``models/kinds.json``, fitted by ``benchmarks/train_kinds.py``
on real published key results and our own labelled set and judged on
organisations it never saw (``benchmarks/bench_real_okrs.py``). Every verdict
names the title's own words behind its strongest reasons.

The parts live beside this module: :mod:`~okr_workshop.smart.language.facts` (the
facts), :mod:`~okr_workshop.smart.language.clauses` (reading a sentence),
:mod:`~okr_workshop.smart.language.vocabulary` (the word families) and
:mod:`~okr_workshop.smart.language.reasons` (the reason in words).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.smart.language.facts import features
from okr_workshop.smart.language.reasons import TARGETS, VERB_FACTS, explain

__all__ = ["MODEL", "Kind", "KindModel", "KindModelError", "classify", "features", "load_model"]

MODEL = Path(__file__).parent.parent / "models" / "kinds.json"
"""The fitted weights: plain JSON, read with the standard library."""


class Kind:
    """The classifier's verdict and the words that decided it.

    ``kind`` and ``score`` are worked out at once; ``reason``, ``words`` and ``verb`` when first asked for (a
    workbook check asks for them only where a rule reports the key result).
    """

    __slots__ = ("_facts", "_reason", "_verb", "_words", "kind", "score")

    def __init__(self, kind: str, reason: str | None = None, verb: str | None = None, words: tuple[str, ...] = (),
                 score: float = 0.0, *, facts: tuple[tuple, tuple, str | None] | None = None):
        self.kind = kind
        """``outcome`` or ``output``."""
        self.score = score
        """The model's log-odds of outcome: above 0 reads as outcome."""
        self._reason, self._verb, self._words, self._facts = reason, verb, tuple(words), facts

    def _explain(self) -> None:
        if self._reason is None:
            found, contributions, target = self._facts or ((), (), None)
            self._reason, self._words = explain(self.kind, dict(found), contributions, target)
            self._verb = next((words.split()[0].lower() for name, words in found if name in VERB_FACTS), None)
            self._facts = None

    @property
    def reason(self) -> str:
        """Why, quoting the title's own words; no full stop (a rule's message adds its own)."""
        self._explain()
        return self._reason

    @property
    def verb(self) -> str | None:
        """The leading verb as written (lower case), when the title starts with one the classifier knows."""
        self._explain()
        return self._verb

    @property
    def words(self) -> tuple[str, ...]:
        """The title's words behind the strongest reasons, strongest first."""
        self._explain()
        return self._words

    def _key(self) -> tuple:
        return (self.kind, self.reason, self.verb, self.words, self.score)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Kind) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Kind(kind={self.kind!r}, reason={self.reason!r}, verb={self.verb!r}, words={self.words!r}, " \
               f"score={self.score!r})"


class KindModel:
    """Weights over :func:`features`: the log-odds of outcome is the bias plus the weights of the facts found."""

    def __init__(self, bias: float, weights: dict[str, float]):
        self.bias = float(bias)
        self.weights = dict(weights)

    @classmethod
    def load(cls, path: Path | None = None) -> KindModel:
        """Read a model file written by ``benchmarks/train_kinds.py``; a broken one is refused, naming the file."""
        path = Path(path or MODEL)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            bias, weights = float(data["bias"]), data["weights"]
            if not isinstance(weights, dict) or not all(isinstance(k, str) and isinstance(v, (int, float))
                                                        and not isinstance(v, bool) for k, v in weights.items()):
                raise TypeError("weights must map feature names to numbers")
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            detail = f"no field {error}" if isinstance(error, KeyError) else str(error)
            raise KindModelError(f"{path}: not an outcome/output model ({detail}); "
                                 f"rebuild it with benchmarks/train_kinds.py") from error
        return cls(bias, {name: float(weight) for name, weight in weights.items()})

    def classify(self, title: str) -> Kind:
        """Outcome or output, with the reason in the title's own words."""
        found = features(title)
        score = self.bias
        contributions = []
        for name, words in found.items():
            weight = self.weights.get(name)
            if weight:
                score += weight
                contributions.append((weight, name, words))
        kind = "outcome" if score > 0 else "output"
        target = None
        if kind == "output":
            # The rubric's precedence: a stated audience, usage, quality, effect or service-level target makes
            # work that also counts itself an outcome ("Run 2 webinars with 400 sign-ups").
            target = next((name for name in TARGETS if name in found), None)
            if target is not None:
                kind = "outcome"
        # Only what the reason needs is kept, as tuples of strings and numbers: the garbage collector skips those.
        shown = tuple((name, words) for name, words in found.items() if name in VERB_FACTS or name in TARGETS)
        return Kind(kind, score=round(score, 4), facts=(shown, tuple(contributions), target))


class KindModelError(OkrWorkshopError):
    """The model file cannot be read."""


@lru_cache(maxsize=1)
def load_model() -> KindModel:
    """The shipped model, read once."""
    return KindModel.load()


@lru_cache(maxsize=65536)
def classify(title: str) -> Kind:
    """Outcome or output, with the reason in the title's own words (the shipped model)."""
    return load_model().classify(title)
