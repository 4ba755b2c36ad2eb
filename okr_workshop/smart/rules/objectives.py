"""Rules on an objective and its set of key results: wording, count, duplicates, alignment, focus."""

from __future__ import annotations

import re

from okr_workshop.smart.language.parsing import may_hold_quantity, parse_title
from okr_workshop.smart.language.tokens import tokenize
from okr_workshop.smart.rules.base import ObjectiveFacts, Rule, register

_DIGIT = re.compile(r"\d")


@register
class ObjectiveHasNumber(Rule):
    """An objective carries a number or reads like a key result; objectives say what and why, in words.

    Weak: Grow revenue 20%
    Better: Make Brightwell the first choice for commuters (with revenue growth as a key result)
    """

    code = "specific.objective-has-number"
    criterion = "specific"
    scope = "objective"

    def check(self, facts: ObjectiveFacts):
        """Flag an objective title that carries a measure, which belongs in its key results."""
        if not may_hold_quantity(tokenize(facts.title)):
            return
        parsed = parse_title(facts.title, times=False)  # quantities only: dates are no concern here
        if parsed.quantified or any(n.unit is not None or _DIGIT.search(facts.title[n.start:n.end])
                                    for n in parsed.numbers):
            yield (
                f"The objective {facts.quoted} carries a number: it reads like a key result.",
                "Say what you want to achieve and why in words people remember, and move the number into a "
                "key result under it.",
            )


@register
class TooFewKeyResults(Rule):
    """An objective needs two to five key results; one alone measures a single side of it.

    Weak: An objective with one key result
    Better: Two to five key results that together show the objective is met
    """

    code = "structure.too-few-key-results"
    criterion = "structure"
    scope = "objective"

    def check(self, facts: ObjectiveFacts):
        """Flag an objective with fewer than two key results."""
        count = len(facts.key_results)
        if count < 2:
            yield (
                f"The objective {facts.quoted} has {count or 'no'} key result{'' if count == 1 else 's'}.",
                "Add key results until two to five of them together show the objective is met (three is typical).",
            )


@register
class TooManyKeyResults(Rule):
    """More than five key results blur the focus of an objective.

    Weak: An objective with six key results
    Better: Keep the three to five that matter most; move the rest to a dashboard or another objective
    """

    code = "structure.too-many-key-results"
    criterion = "structure"
    scope = "objective"

    def check(self, facts: ObjectiveFacts):
        """Flag an objective with more than five key results."""
        count = len(facts.key_results)
        if count > 5:
            yield (
                f"The objective {facts.quoted} has {count} key results.",
                "Keep the three to five that best show the objective is met; track the others elsewhere.",
            )


def _near_duplicates(first: frozenset[str], second: frozenset[str]) -> bool:
    """The same words, one word added to the other ("... in the EU"), or four in five words shared."""
    if not first or not second:
        return False
    if first == second:
        return True
    small, large = sorted((first, second), key=len)
    if small < large and len(large - small) == 1 and len(small) >= 2:
        return True
    return len(first & second) / len(first | second) >= 0.8


@register
class NearDuplicates(Rule):
    """Two key results of one objective say nearly the same thing.

    Weak: Raise NPS to 45 / Raise NPS to 50
    Better: One key result per measure
    """

    code = "structure.near-duplicate"
    criterion = "structure"
    scope = "objective"

    def check(self, facts: ObjectiveFacts):
        """Flag each pair of the objective's key results that use nearly the same words."""
        krs = facts.key_results
        words = [kr.words for kr in krs]
        for i, first in enumerate(krs):
            for j in range(i + 1, len(krs)):
                if _near_duplicates(words[i], words[j]):
                    second = krs[j]
                    yield (
                        f"{first.quoted} and {second.quoted} measure nearly the same thing.",
                        "Merge them into one key result, or make each measure a different side of the objective.",
                    )


@register
class Orphan(Rule):
    """A team or individual objective aligned to nothing: nobody can see which company goal it serves.

    Weak: A team objective with an empty parent
    Better: Name the company (or team) objective it moves forward
    """

    code = "relevant.orphan"
    criterion = "relevant"
    scope = "objective"

    def check(self, facts: ObjectiveFacts):
        """Flag a team or individual objective aligned to no objective above it."""
        if facts.level in ("team", "individual") and facts.parent is None:
            above = "a company objective" if facts.level == "team" else "one of your team's objectives"
            yield (
                f"The {facts.level} objective {facts.quoted} is aligned to nothing.",
                f"Pick {above} it serves as its parent, or ask whether it belongs in this quarter.",
            )


@register
class ParentInOtherQuarter(Rule):
    """An objective is aligned to a parent from another quarter.

    Weak: A 2026-Q4 team objective whose parent is a 2026-Q3 company objective
    Better: Align it to this quarter's company objective
    """

    code = "relevant.parent-other-quarter"
    criterion = "relevant"
    scope = "objective"

    def check(self, facts: ObjectiveFacts):
        """Flag an objective aligned to a parent from another quarter."""
        if facts.parent and facts.parent_quarter and facts.quarter and facts.parent_quarter != facts.quarter:
            yield (
                f"The objective {facts.quoted} ({facts.quarter}) is aligned to {facts.parent!r} from "
                f"{facts.parent_quarter}.",
                f"Align it to an objective of {facts.quarter}, or carry the parent over to this quarter.",
            )


@register
class TooManyObjectives(Rule):
    """More than five objectives for one owner in a quarter: focus is lost.

    Weak: Six objectives for one person in a quarter
    Better: Three to five objectives; drop or merge the rest
    """

    code = "structure.too-many-objectives"
    criterion = "structure"
    scope = "objective"
    limit = 5

    def check(self, facts: ObjectiveFacts):
        """Flag an owner's objectives beyond the limit for one quarter."""
        if facts.owner_objectives > self.limit and facts.owner_rank > self.limit:
            yield (
                f"{facts.owner_label} has {facts.owner_objectives} objectives in {facts.quarter or 'this quarter'}; "
                f"{facts.quoted} is number {facts.owner_rank}.",
                f"Keep the {self.limit} that matter most and drop, merge or postpone the others.",
            )
