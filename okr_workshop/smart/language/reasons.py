"""Why the classifier decided as it did, in the title's own words ("'launch' describes an activity").

:func:`explain` picks the strongest facts that argue for the verdict and
words each as a reason quoting the title; a stated audience, usage, quality,
effect or service-level target (:data:`TARGETS`) decides for outcome whatever
the weights say, as the rubric does.
"""

from __future__ import annotations

from okr_workshop.smart.language.vocabulary import FAMILIES

VERB_FACTS = {f"lead:{name}" for name, _ in FAMILIES}
"""The facts of a leading verb ("lead:work"): their words give the verdict's verb."""
TARGETS = ("service-level", "with:audience", "effect:quantified", "share:people", "quality-phrase")
"""Facts that decide for outcome whatever else the key result counts: a target for people, use or quality."""
_TEMPLATES = {
    "lead:change": "{w} states a change in a result",
    "lead:reach": "{w} names a level to reach",
    "lead:ensure": "{w} names a state to hold",
    "lead:work": "{w} describes an activity, not its result",
    "lead:make": "{w} says how something should end up",
    "lead:learn": "{w} describes finding something out",
    "lead:hire": "{w} is hiring, work the team does",
    "lead:past": "{w} reports work done",
    "lead:gerund": "{w} describes an activity",
    "lead:num": "it opens with a count ({w})",
    "lead:quality": "it names a quality ({w})",
    "lead:pct": "it opens with a share ({w})",
    "lead:money": "it opens with an amount ({w})",
    "object:people": "it acts on people ({w})",
    "object:people:counted": "it counts people reached ({w})",
    "object:result": "it acts on a result ({w})",
    "object:work": "it acts on work items ({w})",
    "object:work:counted": "it counts work items ({w})",
    "object:hires": "it counts hires ({w})",
    "count:hires": "it counts hires ({w})",
    "object:work-on-people": "{w} reaches people",
    "object:learn-on-people": "{w} learns about people",
    "object:work-on-result": "{w} acts on a result",
    "object:learn-on-result": "{w} studies a result",
    "count:people": "it counts people ({w})",
    "count:work": "it counts work done ({w})",
    "count:result": "it counts a result ({w})",
    "share:people": "it states the share of people in a state ({w})",
    "share:work": "it states the share of work done ({w})",
    "share:result": "it states a share of a result ({w})",
    "money": "it is measured in money ({w})",
    "percent": "it is measured as a percentage ({w})",
    "number:time": "it is measured in time ({w})",
    "number:times": "it counts how often something is done ({w})",
    "people:act": "it says what people do ({w})",
    "subject:people": "it is about people ({w})",
    "subject:work": "it is about a piece of work ({w})",
    "subject:result": "it is about a result ({w})",
    "subject:we": "it says what the team does ({w})",
    "subject:i": "it is a personal commitment ({w})",
    "personal": "it is a personal commitment ({w})",
    "effect": "the work is tied to an effect ({w})",
    "service-level": "it sets a service level ({w})",
    "with:audience": "it states an audience or usage target ({w})",
    "frequency": "it repeats an activity ({w})",
    "frequency:rate": "it counts per period ({w})",
    "comparative": "it states a change ({w})",
    "quality": "it states a quality ({w})",
    "usage": "it is about use ({w})",
    "metric:name-value": "it gives a metric its value ({w})",
    "metric:ratio": "it measures a ratio ({w})",
    "metric:number-of:people": "it counts people ({w})",
    "metric:number-of:result": "it counts a result ({w})",
    "metric:number-of:thing": "it counts ({w})",
    "metric:number-of:work": "it counts work items ({w})",
    "quality-phrase": "it states a quality ({w})",
    "change:from-to": "it moves a measure ({w})",
    "change:down": "it brings a measure down ({w})",
    "effect:quantified": "the work is tied to a measured effect ({w})",
    "effect:purpose": "it names the purpose of the work ({w})",
    "state:in-place": "it reports something put in place ({w})",
}
_STATES = {
    "people-state": "it says what state people reach ({w})",
    "used": "it is about use ({w})",
    "changed": "it reports a measure changed ({w})",
    "done": "it reports work done ({w})",
    "did": "it says what people did ({w})",
    "in-place": "it reports something put in place ({w})",
    "quality": "it states a quality ({w})",
    "has": "it reports something delivered ({w})",
    "can": "it states a capability ({w})",
    "can-know": "it says what people know or do ({w})",
    "exists": "it reports something that exists ({w})",
    "capability": "it states what something does ({w})",
    "acts": "it says what happens ({w})",
}


def _direction(name: str) -> str | None:
    """Which verdict a fact argues for when it is named as a reason (None: either, as its weight says)."""
    if name.startswith(("w:", "v:")):
        return None
    if name.startswith("object:") and "-on-" in name:
        how, what = name[len("object:"):].split("-on-")
        return "outcome" if what in ("people", "result") or how == "less" else "output"
    if name.startswith("state:"):
        return "output" if name.rsplit(":", 1)[1] in _OUTPUT_STATES and not name.startswith("state:people:") \
            else "outcome"
    return "output" if name in _OUTPUT_FACTS else "outcome"


_OUTPUT_STATES = {"done", "in-place", "has", "can", "exists", "capability", "acts"}
_OUTPUT_FACTS = {"lead:work", "lead:learn", "lead:hire", "lead:past", "lead:gerund", "object:work",
                 "object:work:counted",
                 "object:hires", "count:work", "count:hires", "share:work", "frequency", "subject:we", "subject:i",
                 "subject:work", "personal", "effect:purpose", "number:times", "state:in-place", "no-number",
                 "metric:number-of:work", "lead:noun"}


def _describe(name: str, words: str, kind: str) -> str | None:
    """The reason a fact gives, quoting the title's words; None when the fact argues for the other verdict."""
    direction = _direction(name)
    if direction is not None and direction != kind:
        return None
    quoted = f"'{words.lower() if name in VERB_FACTS or name in ('lead:past', 'lead:gerund') else words}'"
    if name in _TEMPLATES:
        return _TEMPLATES[name].format(w=quoted)
    if name.startswith("object:") and "-on-" in name:
        how, what = name[len("object:"):].split("-on-")
        if what == "people":
            return f"{quoted} reaches people"
        if what == "result":
            return f"{quoted} acts on a result"
        return f"{quoted} asks for fewer work items, a result" if how == "less" else f"{quoted} is work to do"
    if name.startswith("state:"):
        what = name.rsplit(":", 1)[1]
        if name.startswith("state:people:") and what in ("acts", "did", "done", "has"):
            return f"it says what people do ({quoted})"
        return _STATES.get(what, "it says {w}").format(w=quoted)
    return f"{quoted} is a word of {'results' if kind == 'outcome' else 'work'}"


def explain(kind: str, found: dict[str, str], contributions: tuple, target: str | None) -> tuple[str, tuple[str, ...]]:
    """The reason for ``kind`` in words, and the title's words it quotes.

    ``found`` maps the facts to the words that show them, ``contributions``
    holds ``(weight, fact, words)`` for each fact the model weighed, and
    ``target`` is the fact of :data:`TARGETS` that decided, if one did.
    """
    sign = 1 if kind == "outcome" else -1
    # The facts that pushed towards the verdict, those that carry meaning before bare words, strongest first.
    deciding = sorted((c for c in contributions if c[0] * sign > 0),
                      key=lambda c: (c[1].startswith(("w:", "v:")), -abs(c[0])))
    if target is not None:  # decided by the rubric's precedence, not by the weights
        deciding = [(0.0, target, found[target])]
    reasons: list[str] = []
    shown: list[str] = []
    for _, name, words in deciding:
        if not words or any(words.lower() in s.lower() or s.lower() in words.lower() for s in shown):
            continue
        reason = _describe(name, words, kind)
        if reason is None:
            continue
        reasons.append(reason)
        shown.append(words)
        if len(reasons) == 2:
            break
    if not reasons:
        reasons = ["it names no change in a result" if kind == "output" else "it names no activity"]
    return " and ".join(reasons), tuple(shown)

