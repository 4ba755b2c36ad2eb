"""The facts the outcome/output model weighs, read from a title's words: :func:`features`.

The family of the leading verb and what it acts on, what each number counts
(work, people or a result), the share of people in a state, an effect tied to
the work, a service level, an audience target, work reported done, a
capability delivered, people doing something, and general words; each named
``group:value`` ("lead:work", "count:people", "w:tutorial") with the title's
own words that show it.
"""

from __future__ import annotations

import re

from okr_workshop.smart.language.clauses import noun_phrase, read_clause, read_tokens, span_text, strip_prefix
from okr_workshop.smart.language.phrases import ARROW, ARROWS, TIME_UNITS
from okr_workshop.smart.language.vocabulary import (
    ADVERBS,
    AUDIENCE,
    AUDIENCE_CUES,
    AUXILIARIES,
    BASES,
    COMPARATIVES,
    EVENTS,
    FREQUENCY_LEADS,
    FREQUENCY_WORDS,
    FUNCTION_WORDS,
    HEADCOUNT,
    KNOWN,
    LESS_FORMS,
    NOUNS,
    PEOPLE_SET,
    PERIODS,
    PERSONAL,
    QUALITY_SET,
    STOPWORDS,
    SUBJECTS,
    USE_SET,
    VERB_NOUNS,
    class_of,
    family_of,
    stem,
)

_TIME_UNITS = TIME_UNITS - {"year", "years"}
"""Units a time is measured in, as when the model was fitted (without years)."""
_EFFECT = re.compile(
    r"\b(?:so that|such that|resulting in|results? in|leading to|leads? to|in order to|as a result|which (?:brings|"
    r"drives|raises|cuts|reduces|increases|lifts|helps)|that (?:brings|drives|raises|cuts|reduces|increases|lifts|"
    r"helps)|brings? in|bringing|measured by|as measured|to (?:increase|raise|reduce|cut|lift|grow|improve|lower|"
    r"boost|drive|decrease|double|halve|attract|retain))\b", re.I)
_SERVICE = re.compile(
    r"(?:\b(?:within|in under|in less than|under|below|less than|no more than|more than|at most|maximum of|max)|[<≤])"
    r"\s*(?:an?\s+|one\s+|\d+(?:[.,]\d+)?\s*)(?:business\s+|working\s+|calendar\s+)?(?:seconds?|secs?|s|ms|"
    r"minutes?|mins?|m|hours?|hrs?|h|days?|weeks?|months?)\b", re.I)
_FROM_TO = re.compile(r"\b(?:(?:up|down)\s+)?from\s+[~≈]?[$€£]?(?P<a>\d[\d,.]*)\s*(?:%|[kKmM]\b)?[^\d]{0,30}?"
                      r"\bto\s+"
                      r"[~≈<>]?[$€£]?(?P<b>\d[\d,.]*)|\b(?:up|down)\s+from\s+[$€£]?\d", re.I)
_ARROW = re.compile(rf"(?P<a>\d[\d,.]*)\s*{ARROW}\s*[$€£]?(?P<b>\d[\d,.]*)")
"""A measure moving from one level to another: "from 120 to 90", "down from 900", "167 → 500"."""
_QUALITY_PHRASE = re.compile(r"\b(?:on[- ]time|first[- ](?:contact|time|call|attempt)|right first time|"
                             r"without (?:errors?|defects?|incidents?|regressions?|downtime)|"
                             r"(?:error|defect|crash|incident|bug)[- ]free)\b", re.I)
"""A quality the work must have: "on time", "on first contact", "crash-free"."""
_EFFECT_CUES = {"so", "such", "resulting", "results", "result", "leading", "leads", "lead", "order", "which", "that",
                "brings", "bring", "bringing", "measured"}
_EFFECT_VERBS = {"increase", "raise", "reduce", "cut", "lift", "grow", "improve", "lower", "boost", "drive", "decrease",
                 "double", "halve", "attract", "retain"}
_SERVICE_CUES = {"within", "under", "below", "less", "more", "most", "maximum", "max"}
_QUALITY_CUES = {"time", "on-time", "first", "first-contact", "first-time", "first-call", "without", "free",
                 "error-free", "defect-free", "crash-free", "incident-free", "bug-free", "right"}
"""Words without which a pattern cannot match: the pattern is not run on a title that lacks them all."""
_NAME_VALUE = re.compile(r"^[^:]{2,80}:\s*[<>≥≤~+]?\s*[$€£]?\d[\d.,]*\s*(?:%|/\s*\d+|[kKmM])?\s*$")
"""A metric named and given a value: "Community members: 500"."""
_NUMBER_OF = re.compile(r"(?:^|\s)(?:#\s*(?=of\b|[A-Za-z])|number of\s|no\. of\s|amount of\s|count of\s)", re.I)


def _level(number: str) -> float | None:
    try:
        return float(number.replace(",", "").rstrip("."))
    except ValueError:
        return None


def features(title: str) -> dict[str, str]:
    """The facts the model weighs, each with the words of the title that show it.

    Names read ``group:value`` ("lead:work", "count:people", "w:tutorial"); values are the title's own words.
    """
    text = strip_prefix(title)
    offset = len(title) - len(text)
    tokens = read_tokens(title, offset)
    found: dict[str, str] = {}
    add = found.setdefault  # the first words that show a fact are the ones quoted

    if not tokens:
        return {"empty": ""}
    n = len(tokens)

    # The lead: skip a subject ("we", "I"), modal verbs and adverbs to the first verb or noun.
    i, subject = 0, None
    while i < n and tokens[i].kind == "word":
        word = tokens[i].low
        if word in SUBJECTS and subject is None:
            subject = tokens[i]
        elif not (word in ADVERBS or word in ("to", "let's", "lets", "please", "will", "shall", "must")
                  or (subject is not None and word in AUXILIARIES)):
            break
        i += 1
    lead_index = i
    lead = tokens[i] if i < n else None
    family = family_of(lead.low) if lead is not None and lead.kind == "word" else None
    if lead is not None and lead.low in ("make", "made") and i + 1 < n and tokens[i + 1].low == "sure":
        family, i = "ensure", i + 1
    verb = None
    object_numbers: set[int] = set()
    hiring = False
    if subject is not None:
        add("subject:i" if subject.low in PERSONAL else "subject:we", subject.text)
    if family is not None and i + 1 < n and tokens[i + 1].low == "of":
        family = None  # "Share of requests", "Use of the toggle": a noun
    if family is not None and lead.low in VERB_NOUNS and i + 2 < n and tokens[i + 1].low in NOUNS \
            and tokens[i + 1].low.endswith("s") \
            and tokens[i + 2].low in ("per", "from", "down", "up", "below", "under", "above", "at"):
        family = None  # "Support tickets per week from 120 to 90": a metric named by two nouns
    if family is not None and lead is not None:
        verb = lead
        shown = lead.text
        if i + 1 < n and tokens[i + 1].low in ("out", "up", "down", "off", "back", "on"):
            shown = f"{lead.text} {tokens[i + 1].text}"
            if tokens[i + 1].low == "down" and family == "reach":
                family = "change"
            i += 1
        add(f"lead:{family}", shown)
        if lead.low.endswith("ing") and lead.low not in BASES:
            add("lead:gerund", lead.text)
        elif lead.participle:
            add("lead:past", lead.text)
        if (span := noun_phrase(tokens, i + 1)) is not None:
            head = tokens[span[1]]
            counted = [k for k in range(i + 1, span[0]) if tokens[k].number]
            kind = class_of(head.low)
            if family == "hire" or (family in ("change", "reach") and head.low in HEADCOUNT):
                kind = "hires"  # "Hire 3 engineers", "Grow the team": hiring is work the team does
                hiring = True
            if kind:
                counted_kind = f"{kind}{':counted' if counted and kind in ('people', 'work') else ''}"
                first = next((k for k in range(i + 1, span[0] + 1) if tokens[k].low not in FUNCTION_WORDS), span[0])
                add(f"object:{counted_kind}", span_text(tokens, first, span[1]))
                if kind != "hires":
                    how = family
                    if family == "change":
                        how = "less" if lead.low in LESS_FORMS else "more"
                    add(f"object:{how}-on-{kind}", span_text(tokens, i, span[1]))  # "Train 40 managers"
                object_numbers.update(counted)
    elif lead is not None and lead.number:
        add(f"lead:{lead.kind}", lead.text)
    elif lead is not None:
        add("lead:noun", lead.text)
        quality = next((t for t in tokens[lead_index:lead_index + 2]
                        if t.low in QUALITY_SET or t.low in COMPARATIVES), None)
        if quality is not None:
            add("lead:quality", quality.text)  # "Rock solid webhooks", "Faster page loads"

    # What each number counts: work, people or a result; a share of people; a time; how often.
    for k, token in enumerate(tokens):
        if not token.number or k in object_numbers:
            continue
        if token.kind == "money":
            add("money", token.text)
            continue
        m = k + 1
        while m + 1 < n and tokens[m].low in ("or", "+", "and") and tokens[m + 1].low in ("more", "less", "fewer",
                                                                                         "above", "over", "higher"):
            m += 2  # "3 or more times"
        nxt = tokens[m] if m < n else None
        if nxt is not None and token.kind == "num" and nxt.low in _TIME_UNITS:
            add("number:time", f"{token.text} {nxt.text}")
            continue
        if nxt is not None and token.kind == "num" and nxt.low in ("times", "time", "x"):
            add("number:times", f"{token.text} {nxt.text}")
            continue
        span = noun_phrase(tokens, k + 1, 3)
        kind = class_of(tokens[span[1]].low) if span is not None else None
        if token.kind == "pct":
            add("percent", token.text)
        if kind is None:
            continue
        if kind == "people" and hiring:
            kind = "hires"  # "Grow the team to 12 engineers"
        add(f"{'share' if token.kind == 'pct' else 'count'}:{kind}", span_text(tokens, k, span[1]))

    # A sentence that does not open with a verb: its subject, and what it says about it.
    if verb is None and lead is not None:
        read_clause(tokens, lead_index, add)
    if verb is not None:
        # "Reps who attended rate ...", "members fill out the survey": people acting later in the sentence.
        for k in range(i + 1, n - 1):
            if tokens[k].low in PEOPLE_SET and tokens[k + 1].low in ("say", "rate", "report", "tell", "use", "feel",
                                                                     "know", "give", "fill", "return", "come",
                                                                     "understand", "adopt", "attend", "share"):
                add("people:act", f"{tokens[k].text} {tokens[k + 1].text}")
                break

    low = text.lower()
    lows = {t.low for t in tokens}
    to_verb = "to" in lows and lows & _EFFECT_VERBS and any(
        t.low == "to" and tokens[k + 1].low in _EFFECT_VERBS for k, t in enumerate(tokens[:-1]))
    if (lows & _EFFECT_CUES or to_verb) and (match := _EFFECT.search(text)):
        measured = any(t.number for t in read_tokens(title, offset + match.end())) or _FROM_TO.search(text, match.end())
        add("effect:quantified" if measured else "effect:purpose", match.group(0))
    if (lows & _SERVICE_CUES or "<" in text or "≤" in text) and (match := _SERVICE.search(text)):
        add("service-level", match.group(0).strip())
    if ":" in text and _NAME_VALUE.match(text):
        add("metric:name-value", text.split(":")[0].strip())
    if verb is None and ("#" in text or "of" in lows) and (match := _NUMBER_OF.search(text)):
        at = next((k for k, t in enumerate(tokens) if t.low in ("of", "#") and k and tokens[k - 1].low != "of"), None)
        span = noun_phrase(tokens, at + 1, 3) if at is not None else None
        what = class_of(tokens[span[1]].low) if span is not None else None
        add(f"metric:number-of:{what or 'thing'}", match.group(0).strip())
    # One pass for the rest: an audience target, how often, comparatives, qualities, use, the first person.
    audience = frequency = ratio = False
    for k, token in enumerate(tokens):
        low_k = token.low
        if token.kind != "word":
            continue
        if not audience and (low_k in AUDIENCE_CUES or (low_k == "by" and k and tokens[k - 1].participle)) \
                and k + 1 < n and any(t.number and t.kind != "pct" for t in tokens[k + 1:k + 5]):
            span = noun_phrase(tokens, k + 1, 4)
            if span is not None:
                head_low = tokens[span[1]].low
                head_class = class_of(head_low)
                if head_low in AUDIENCE or head_class == "result" or (
                        head_class == "people" and any(t.low in EVENTS for t in tokens[max(0, k - 4):k])):
                    add("with:audience", span_text(tokens, k, span[1]))  # "with 400 sign-ups", not "with 30 employees"
                    audience = True
        if not frequency:
            words = None
            if low_k in FREQUENCY_WORDS:
                words = token.text
            elif low_k in FREQUENCY_LEADS and k + 1 < n and tokens[k + 1].low in PERIODS:
                words = f"{token.text} {tokens[k + 1].text}"
            if words:
                # "150 sign-ups a month" is a rate of a result; "every week" alone repeats an activity
                rate = any(t.number and t.low not in ("once", "twice") for t in tokens[max(0, k - 4):k])
                add("frequency:rate" if rate else "frequency", words)
                frequency = True
        if not ratio and low_k == "per" and k + 1 < n and tokens[k + 1].kind in ("word", "num") \
                and tokens[k + 1].low not in PERIODS and tokens[k + 1].low not in ("a", "an", "each", "every"):
            # "pages per session", "tickets per 1,000 users"
            add("metric:ratio", span_text(tokens, max(0, k - 1), k + 1))
            ratio = True
        if low_k in COMPARATIVES and not (k and tokens[k - 1].low in ("or", "and", "+")) \
                and not (k + 1 < n and tokens[k + 1].low == "than"):
            add("comparative", token.text)
        if low_k in QUALITY_SET:
            add("quality", token.text)
        if low_k in USE_SET and token is not verb:
            add("usage", token.text)
        if low_k in PERSONAL:
            add("personal", token.text)
    match = None
    if "from" in lows:
        at = text.lower().find("from")
        match = _FROM_TO.search(text, max(0, at - 6))
    if match is None and any(arrow in text for arrow in ARROWS):
        match = _ARROW.search(text)
    if match is not None:
        levels = [_level(v) for v in match.group("a", "b") if v]
        down = match.group(0)[:4].lower() == "down" or (len(levels) == 2 and None not in levels
                                                       and levels[1] < levels[0])
        add("change:down" if down else "change:from-to", match.group(0))  # fewer of anything is a result
    if lows & _QUALITY_CUES and (match := _QUALITY_PHRASE.search(text)):
        add("quality-phrase", match.group(0))
    if " in place" in low or low.startswith(("there is", "there are")):
        add("state:in-place", "in place" if " in place" in low else "there is")
    if not any(t.number for t in tokens):
        add("no-number", "")
    # General words; the model keeps only those its training found in several organisations.
    for token in tokens:
        if token.kind == "word" and len(token.low) > 1 and token.low not in STOPWORDS and token.low not in KNOWN:
            add(f"w:{stem(token.text)}", token.text)
    if verb is not None:
        add(f"v:{stem(verb.text)}", verb.text)
    return found
