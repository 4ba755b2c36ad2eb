"""How the classifier reads a sentence: its tokens, its noun phrases, and what it says about its subject.

:func:`read_tokens` turns a title's tokens (:mod:`~okr_workshop.smart.language.tokens`)
into :class:`Term` s that know whether they are a number or a participle;
:func:`noun_phrase` finds the phrase a verb or a number acts on ("3 new code
contributors"); :func:`read_clause` reads a sentence that opens with a noun
("Reps have run 3 events", "The spec is done") into facts about its subject.
"""

from __future__ import annotations

import re

from okr_workshop.smart.language.phrases import NUMBER_WORDS
from okr_workshop.smart.language.tokens import tokenize
from okr_workshop.smart.language.vocabulary import (
    ADVERBS,
    ANY_VERB,
    BE,
    CAPABILITY_SET,
    CONTAINERS,
    DETERMINERS,
    DONE_STATE_SET,
    EXPERIENCE_FORMS,
    FAMILIES,
    FUNCTION_WORDS,
    HAVE,
    IRREGULAR_PARTICIPLES,
    MODAL,
    NOUNS,
    PEOPLE_SET,
    PEOPLE_STATE_SET,
    QUALITY_SET,
    QUANTIFIERS,
    RESULT_SET,
    USE_SET,
    class_of,
    family_of,
)

_NUMBER_WORDS = NUMBER_WORDS.keys() - {"fifteen"}
"""Number words read as a number, as when the model was fitted (without "fifteen")."""
_NAMED = {"version", "v", "python", "java", "node", "release", "phase", "stage", "level", "tier", "step", "part",
          "chapter", "batch", "cohort", "wave", "round", "season", "episode", "sprint", "week", "day", "line", "plant",
          "site", "zone", "ward", "gate", "building", "floor", "room", "number", "no", "point", "points", "item",
          "issue", "ticket", "grade", "year", "top"}
"""Words a number names rather than counts: "line 2", "version 3", "Year 9"."""
_YEAR = re.compile(r"(?:19[5-9]|20[0-4])\d")
"""A year, which the classifier reads as a word: "2024"."""
_PREFIX = re.compile(r"^\s*(?:\[[^\]]{0,60}\]\s*|\([^)]{0,60}\)\s*)*(?:(?:kr|key result)\s*\d*\s*[:.)-]\s*|"
                     r"\d{1,2}[.)]\s+)?", re.I)
"""What comes before a key result: "[Q3]", "KR1:", "1."."""
_LABEL_BREAKERS = {"the", "a", "an", "our", "my", "this", "these", "following", "we", "i", "to", "of", "for", "is",
                   "are"}
_LABEL = re.compile(r"^([A-Za-z][\w&/-]*(?: [\w&/-]+){0,2}):\s+(?=\S)")
"""A label of up to three words before a colon: "Stretch:", "Learning goal:" (not "Implement the following:")."""


class Term:
    """One word, number or sign of a title, with what the classifier asks of it worked out once."""

    __slots__ = ("kind", "low", "number", "participle", "text")

    def __init__(self, text: str, low: str, kind: str):
        self.text = text
        self.low = low
        self.kind = kind
        """``word``, ``num``, ``pct``, ``money`` or ``sym``."""
        self.number = kind in ("num", "pct", "money")
        self.participle = kind == "word" and (low.endswith("ed") or low in IRREGULAR_PARTICIPLES)


_WORD_TOKENS: dict[str, Term] = {}
"""Words seen before, shared: a token is never changed once made."""


def read_tokens(title: str, offset: int) -> list[Term]:
    """The title's tokens (:func:`~okr_workshop.smart.language.tokens.tokenize`) from ``offset`` on, as the classifier
    reads them: a number word is a number; a year, an ordinal or a version ("Python 3.8") is a word.
    """
    out: list[Term] = []
    shared = _WORD_TOKENS
    for token in tokenize(title).tokens:
        if token.start < offset:
            continue
        kind, value = token.kind, token.text
        if kind == "word":
            mine = shared.get(value)
            if mine is None:
                mine = Term(value, token.low, "num" if token.low in _NUMBER_WORDS else "word")
                if len(shared) < 100_000:
                    shared[value] = mine
            out.append(mine)
            continue
        if kind == "label" or (kind == "num" and _YEAR.fullmatch(value)):
            kind = "word"  # "3rd", "1:1s", "2024": a word, not a quantity
        elif kind == "num" and out and out[-1].kind == "word" and (
                (out[-1].text.isupper() and len(out[-1].text) > 1 and out[-1].low not in RESULT_SET)
                or out[-1].low in _NAMED):
            kind = "word"  # "ISO 27001", "Python 3.8", "version 2": a name, not a quantity
        out.append(Term(value, token.low, kind))
    return out


def strip_prefix(title: str) -> str:
    """The title without what comes before a key result: "[Q3]", "KR1:", "1.", a label such as "Stretch:"."""
    text = title.lstrip()
    if text[:1] in "[(0123456789kK":
        text = _PREFIX.sub("", text, count=1)
    if ":" in text[:40] and (label := _LABEL.match(text)) \
            and not (set(label.group(1).lower().split()) & _LABEL_BREAKERS):
        text = text[label.end():]  # "Stretch:", "Learning goal:", but not "Implement the following:"
    return text


def noun_phrase(tokens: list[Term], start: int, skip: int = 4) -> tuple[int, int] | None:
    """The noun phrase starting at ``start`` (after up to ``skip`` determiners or numbers): its first and last index.

    The last word is its head: "3 new code contributors" -> contributors; "6 case studies on the site" -> studies.
    """
    first = None
    for i in range(start, min(len(tokens), start + skip + 1)):
        token = tokens[i]
        if token.kind != "word" or token.low in DETERMINERS:
            continue
        if token.low in FUNCTION_WORDS or token.low in BE or token.low in HAVE or token.low in MODAL:
            return None
        first = i
        break
    if first is None:
        return None
    if tokens[first].low in CONTAINERS and first + 1 < len(tokens) and tokens[first + 1].low == "of":
        return noun_phrase(tokens, first + 2, skip)  # "the number of weekly volunteers": the volunteers
    last = first
    for j in range(first + 1, min(len(tokens), first + 5)):
        token = tokens[j]
        if tokens[last].low in PEOPLE_SET and token.low in ANY_VERB \
                and not (token.low in NOUNS and token.low.endswith("s")):
            break  # "50 members share ...": the people end the phrase (but not in "6 customer interviews")
        if token.kind != "word" or token.low in FUNCTION_WORDS or token.low in BE or token.low in HAVE \
                or token.low in MODAL or token.low.endswith("ing") \
                or ((token.low in ANY_VERB or token.low in CAPABILITY_SET or token.low in ("exist", "exists"))
                    and token.low not in NOUNS and not _adjectival(tokens, j)) \
                or (token.participle and token.low not in NOUNS and not _adjectival(tokens, j)):
            break
        last = j
    return first, last


def _adjectival(tokens: list[Term], k: int) -> bool:
    """A participle that describes the next word ("hosted sites", "trained staff"), not a verb."""
    token = tokens[k]
    if not token.participle or k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    return nxt.kind == "word" and nxt.low not in FUNCTION_WORDS and nxt.low not in BE and nxt.low not in HAVE \
        and nxt.low not in DETERMINERS and not nxt.participle


def _after_subject(tokens: list[Term], k: int) -> bool:
    """Can the verb form at ``k`` follow its subject? "Prototypes support", "The app supports", not "Better support"."""
    token, before = tokens[k], tokens[k - 1]
    if token.participle or token.low.endswith("s"):
        return True
    return before.low.endswith("s") or before.low in PEOPLE_SET or before.kind != "word" \
        or (before.text[:1].isupper() and k > 1) or any(c.isdigit() for c in before.text) \
        or before.low in ("everyone", "everybody", "people", "staff", "team", "who", "that", "which")


def span_text(tokens: list[Term], first: int, last: int) -> str:
    """The words of the tokens from ``first`` to ``last``, both included."""
    return " ".join(t.text for t in tokens[first:last + 1])


def read_clause(tokens: list[Term], start: int, add) -> None:
    """Subject and predicate of a sentence that opens with a noun: "Reps have run 3 events", "The spec is done"."""
    n = len(tokens)
    p = None
    for k in range(start, min(n, start + 12)):
        token = tokens[k]
        if token.kind != "word" or k == start:
            continue
        if token.low in BE or token.low in HAVE or token.low in MODAL or token.low in ("exist", "exists") \
                or (token.low in CAPABILITY_SET and (token.low.endswith("s") or tokens[k - 1].low.endswith("s"))) \
                or (tokens[k - 1].low in PEOPLE_SET and token.low in ANY_VERB) \
                or (token.low in ANY_VERB and token.low not in NOUNS and not token.low.endswith("ing")
                    and not _adjectival(tokens, k) and _after_subject(tokens, k)):
            p = k
            break
    subject_words = []
    for k in range(start, p if p is not None else min(n, start + 6)):
        token = tokens[k]
        if token.low in FUNCTION_WORDS and not (token.low == "of" and k and (tokens[k - 1].number or tokens[k - 1].low
                                                                             in QUANTIFIERS)):
            break  # "a review routine in 4 depots": the subject is the routine
        if token.kind == "word":
            subject_words.append(token)
    subject_class = None
    heads = [t for t in subject_words if t.low not in DETERMINERS and t.low not in QUANTIFIERS]
    if heads and (cls := class_of(heads[-1].low)):
        subject_class = cls
        add(f"subject:{cls}", heads[-1].text)
    if p is None:
        if tokens[-1].participle and (tokens[-1].low in ANY_VERB or tokens[-1].low.endswith("ed")):
            _predicate(tokens, n - 1, subject_class, add, bare=True)
        return
    _predicate(tokens, p, subject_class, add)


def _state(add, who: str, what: str, words: str) -> None:
    """What a sentence says about its subject, with who the subject is: "state:people:did", "state:thing:done"."""
    add(f"state:{who}:{what}", words)


def _predicate(tokens: list[Term], p: int, subject: str | None, add, bare: bool = False) -> None:
    """What the verb at ``p`` says about the subject (``people``, ``work``, ``result`` or None for a thing)."""
    n = len(tokens)
    who = subject or "thing"
    token = tokens[p]
    word = token.low
    q = p + 1
    if q < n and tokens[q].low in ("being", "been", "now", "not", "also", "all", "fully", "successfully", "actively") \
            and q + 1 < n:
        q += 1
    if bare:
        q, word = p, "is"
    after = tokens[q] if q < n else None
    shown = "" if after is None else after.text if bare else span_text(tokens, p, q)
    if word in BE or word in HAVE:
        if after is None:
            return
        a = after.low
        if a in PEOPLE_STATE_SET:
            _state(add, who, "people-state", shown)
        elif a in USE_SET:
            add("usage", after.text)
            _state(add, who, "used", shown)
        elif after.participle or a in ANY_VERB:
            fam = family_of(a)
            what = "changed" if fam == "change" else "done"
            if word in HAVE and who == "people":
                what = "did"
            _state(add, who, what, shown)
        elif a in DONE_STATE_SET:
            _state(add, who, "in-place", shown)
        elif a in QUALITY_SET:
            _state(add, who, "quality", shown)
        elif word in HAVE:
            _state(add, who, "has", shown)
        return
    if token.participle and (word in ANY_VERB or word in PEOPLE_STATE_SET):
        # "80% of the workshops delivered", "40 volunteers trained": a passive without its "is"
        if word in PEOPLE_STATE_SET:
            _state(add, who, "people-state", token.text)
        elif word in USE_SET:
            _state(add, who, "used", token.text)
        else:
            _state(add, who, "changed" if family_of(word) == "change" else "done", token.text)
        return
    if word in MODAL:
        following = next((t for t in tokens[p + 1:p + 4] if t.kind == "word" and t.low not in ADVERBS
                          and t.low not in ("be", "not", "now", "also")), None)
        knowing = following is not None and following.low in EXPERIENCE_FORMS \
            and following.low not in FAMILIES[-1][1]
        _state(add, who, "can-know" if knowing else "can", span_text(tokens, p, tokens.index(following, p))
               if following is not None else token.text)
        return
    if word in ("exist", "exists"):
        _state(add, who, "exists", token.text)
        return
    if word in CAPABILITY_SET and who != "people":
        _state(add, who, "capability", token.text)
        return
    if word in USE_SET:
        _state(add, who, "used", token.text)
        return
    _state(add, who, "acts", token.text)
