"""Outcome or output: does a key result measure a result, or count the work done?

An *outcome* is a change in a result: customers, revenue, cost, quality,
time, adoption, satisfaction, risk. An *output* counts or completes work the
team does: things launched, published, held, built, hired, trained, analysed.
"Launch the referral page" is an output; "the referral page brings 200
sign-ups" is an outcome.

The classifier reads the leading verb, the thing counted and words that state
an effect; each list below is a family of words, not phrases from one set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Kind", "classify"]

_OUTPUT_VERBS = (
    "launch ship release publish write hold host run organi[sz]e deliver build create design develop implement "
    "complete finish migrate deploy hire recruit onboard train coach conduct perform prepare draft document "
    "analy[sz]e research investigate explore study assess evaluate help support assist participate attend "
    "make send call visit interview set establish introduce roll present review audit update redesign refactor "
    "add integrate map define collect gather produce record film post blog tweet distribute submit file apply "
    "plan schedule arrange organise kick start begin pilot prototype test try draft translate upgrade install "
    "configure automate digiti[sz]e rewrite rebuild replace remove clean fix resolve answer process handle "
    "respond contact reach-out email mail print mentor teach educate run speak demo showcase sponsor exhibit "
    "open refresh revamp renew sign-off approve agree finali[sz]e formali[sz]e adopt standardi[sz]e consolidate "
    "certify obtain pass prepare enable provide offer expand enter decommission retire move relocate renegotiate "
    "negotiate plant repave pave inspect screen triage label tag qualify retrain fine-tune benchmark take "
    "vaccinate distribute donate fund sponsor recruit enrol enroll register catalogue catalog archive "
    "digitise digitize scan index tidy sort review upskill reskill certify buy purchase procure order "
    "reorgani[sz]e restructure"
).split()
_OUTCOME_VERBS = (
    "increase raise grow reduce cut decrease lower improve achieve reach attain boost lift double triple halve "
    "retain keep maintain win close convert acquire gain generate save earn attract sign drive accelerate "
    "shorten speed minimi[sz]e maximi[sz]e eliminate prevent avoid stop decline drop shrink slash trim hit "
    "exceed surpass sustain protect preserve get become bring deliver-value"
).split()
_RESULT_WORDS = (
    "revenue arr mrr bookings sales profit margin cost costs spend churn retention renewal renewals nps csat ces "
    "satisfaction conversion signups sign-ups registrations subscribers users customers clients members accounts "
    "active adoption usage engagement activation traffic visitors visits downloads installs leads pipeline "
    "deals orders share growth latency uptime availability reliability error errors defects bugs incidents "
    "outages downtime crashes failures complaints escalations backlog turnaround response resolution wait "
    "lead cycle time-to lifetime ltv cac payback roi yield throughput capacity utilization utilisation "
    "accuracy quality score rating ratings reviews attrition turnover absenteeism enps wellbeing "
    "safety injuries emissions energy waste recycling donations donors funds volunteers enrolment enrollment "
    "attendance graduation literacy completion readmissions infections mortality patients residents citizens "
    "applications approvals compliance violations findings risk fraud losses savings efficiency productivity "
    "cycle-time lead-time mttr mttd coverage contributors stars forks dependents"
).split()
_WORK_NOUNS = (
    "post posts article articles blog blogs newsletter newsletters workshop workshops meeting meetings session "
    "sessions training trainings course courses webinar webinars event events feature features page pages "
    "tool tools document documents documentation doc docs report reports playbook playbooks guide guides "
    "process processes policy policies plan plans dashboard dashboards call calls demo demos interview "
    "interviews hires campaign campaigns video videos podcast podcasts talk talks presentation presentations "
    "survey surveys prototype prototypes pilot pilots release releases version milestone milestones tasks "
    "task story stories epic epics sprint sprints pr prs pull commit commits module modules "
    "template templates framework frameworks roadmap roadmaps strategy analysis analyses audit audits study "
    "studies research case-study case-studies whitepaper whitepapers ebook ebooks infographic"
).split()
_EFFECT = re.compile(
    r"\b(so that|resulting in|leading to|which (?:brings|drives|raises|cuts|reduces|increases)|that (?:brings|"
    r"drives|raises|cuts|reduces|increases|lifts)|brings? in|bringing|driving|to (?:increase|raise|reduce|cut|"
    r"lift|grow|improve|lower)|measured by|as measured)\b",
    re.I,
)
_STATE = re.compile(
    r"\b(?:feel|feels|trust|trusts|rate|rates|say|says|believe|believes|recommend|recommends|choose|chooses|"
    r"prefer|prefers|love|loves|know|knows|understand|understands|find|finds|return|returns|stay|stays|"
    r"want|wants|talk|talks|come back|renew|renews|use|uses|rely|relies|speak up)\b",
    re.I,
)
"""Verbs of what people feel, think or do: a subject + one of these states a result."""
_COMPARATIVE = re.compile(r"\b(?:faster|quicker|fewer|lower|higher|cheaper|safer|shorter|happier|healthier|"
                          r"cleaner|more reliable|less)\b", re.I)
_DONE = re.compile(r"\b(?:completed|delivered|published|held|shipped|launched|written|rewritten|built|done|"
                   r"finished|conducted|trained|hired|run|created|produced|implemented|migrated|closed)\s*$", re.I)
# A time limit: "answer calls within 60 seconds" sets a service level, not a volume of work.
_SERVICE_LEVEL = re.compile(r"\bwithin\s+\d+(?:\.\d+)?\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|"
                            r"working days?|business days?)\b", re.I)
_SHARE = re.compile(r"\d+(?:\.\d+)?\s?%\s+of\b")
"""A share served: "resolve 85% of tickets on first contact" is a service level, "resolve 200 tickets" is work."""
_MONEY = re.compile(r"[$€£]\s?\d|\b(?:EUR|USD|GBP|CHF)\s?\d|\d\s?(?:EUR|USD|GBP|CHF)\b")
_FILLER = re.compile(r"^\s*(?:(?:we|i|the team|team|they)\s+(?:will|shall|should|must|want to|aim to)\s+|"
                     r"(?:kr\s*\d*[:.)-]\s*)|(?:\d+[.)]\s*)|to\s+|successfully\s+|fully\s+)+", re.I)


def _family(words: list[str]) -> re.Pattern:
    stems = "|".join(w.replace("-", r"[- ]?") for w in words)
    return re.compile(rf"^(?:{stems})(?:e?s|e?d|ing|ion|ions)?$", re.I)


_OUTPUT_VERB = _family(_OUTPUT_VERBS)
_OUTCOME_VERB = _family(_OUTCOME_VERBS)
_LESS_VERB = _family("reduce cut decrease lower minimi[sz]e halve shrink slash trim shorten".split())
"""Verbs of less: fewer work items (meetings, reports, tickets) is a result, not more work done."""
_RESULT = frozenset(_RESULT_WORDS) | {w.replace("-", "") for w in _RESULT_WORDS}
_WORK = frozenset(_WORK_NOUNS) | {w.replace("-", "") for w in _WORK_NOUNS}
_TOKEN = re.compile(r"[a-z][a-z-]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
_WORD_OR_NUMBER = re.compile(r"[A-Za-z][A-Za-z-]*|\d[\d.,%]*")
_MAKE_COUNT = re.compile(r"make\s+\d", re.I)
_SPEND = re.compile(r"(?:spend|invest|allocate|budget)")


def _first(words: list[str], vocabulary: frozenset) -> tuple[int, str] | None:
    """The position and word of the first of ``words`` (or its hyphen parts) in ``vocabulary``."""
    for position, word in enumerate(words):
        if word in vocabulary or word.replace("-", "") in vocabulary:
            return position, word
        for part in word.split("-"):
            if part in vocabulary:
                return position, part
    return None
_COUNT_OF_WORK = re.compile(
    r"\b(?:number of|count of|#\s*of)\s+(?:\w+\s+){0,2}?(?:" + "|".join(_WORK_NOUNS) + r")\b", re.I
)


@dataclass(frozen=True)
class Kind:
    """The classifier's verdict and the words that decided it."""

    kind: str
    """``outcome`` or ``output``."""
    reason: str
    verb: str | None = None


def _lead_verb(text: str) -> str | None:
    match = _WORD.match(text)
    return match.group(0).lower() if match else None


_DETERMINERS = {"the", "a", "an", "our", "their", "its", "all", "number", "numbers", "count", "of", "new", "more",
                "total", "amount", "share", "weekly", "monthly", "published", "completed", "delivered"}


_PHRASE_END = {"from", "to", "by", "in", "on", "for", "that", "which", "per", "and", "at", "of", "with", "within",
               "after", "before", "following",
               "below", "above", "under", "over", "across", "through", "via", "among", "between", "than"}


def _direct_object(text: str, verb: str) -> str | None:
    """The head noun of what the verb acts on: the last word of the phrase after it ("the feedback score")."""
    head = None
    for word in _WORD_OR_NUMBER.findall(text, len(verb)):
        lower = word.lower()
        if lower in _PHRASE_END:
            break
        if lower in _DETERMINERS or word[0].isdigit() or lower.endswith(("ed", "ing")):
            continue
        head = lower
    return head


_FEWER = re.compile(r"\b(?:down|below|under|fewer|less)\b", re.I)
_METRIC_NAME = re.compile(r"^[A-Za-z][A-Za-z-]*\s+[a-z][a-z-]*s\s+(?:per|from|down|up|below|under|above)\b"
                          r"(?=.*\d.*\bto\s+\S*\d|\s+\w+\s+(?:from|down|up|below|under|above)\b)", re.I)
"""A metric named by a noun pair ("Support tickets per week from 120 to 90"), not a verb and its object."""
_SHARE_REACHING = re.compile(r"^\d+(?:\.\d+)?\s?%\s+of\s+(?:(?:all|our|the|new|active)\s+)*[a-z-]+s?\b(?!.*\b(?:done|"
                             r"completed|delivered|published|finished|closed|shipped|written)\s*$)", re.I)
"""The share of people or things in a state ("80% of new hires productive within 30 days")."""


def classify(title: str) -> Kind:
    """Outcome or output, with the reason in words."""
    text = _FILLER.sub("", title).strip()
    if share := _SHARE_REACHING.match(text):
        return Kind("outcome", f"it states the share that reaches a result ({share.group(0)!r})", None)
    verb = _lead_verb(text)
    if verb and _OUTPUT_VERB.match(verb) and _METRIC_NAME.match(text):
        verb = None  # "Support tickets per week ...": the first word names the metric
        if _FEWER.search(text):
            return Kind("outcome", "fewer of them is a result, not more work", None)
    effect = _EFFECT.search(title)
    words = _TOKEN.findall(title.lower())
    result = _first(words, _RESULT)
    work = _first(words, _WORK)
    if count := _COUNT_OF_WORK.search(title):
        return Kind("output", f"it counts work done ({count.group(0)!r})", verb)
    if verb == "make":  # "make 200 calls" is work; "make deployments boring" states a result
        if _MAKE_COUNT.match(text):
            return Kind("output", "'make' with a count describes an activity", verb)
        return Kind("outcome", "'make ...' states how things should end up", verb)
    if verb and _OUTCOME_VERB.match(verb):
        target = _direct_object(text, verb)
        if target and target in _WORK and not _LESS_VERB.match(verb):
            return Kind("output", f"{verb!r} applies to work items ({target!r}), not a result", verb)
        return Kind("outcome", f"{verb!r} states a change in a result", verb)
    if verb and _OUTPUT_VERB.match(verb):
        if effect:
            return Kind("outcome", f"the work is tied to an effect ({effect.group(0)!r})", verb)
        if level := _SERVICE_LEVEL.search(title):
            return Kind("outcome", f"it sets a service level ({level.group(0)!r})", verb)
        if _MONEY.search(title) and not _SPEND.match(verb):
            return Kind("outcome", "it is measured in money brought in", verb)
        after_verb = words[words.index(verb) + 1:] if verb in words else words  # "process" the verb is no work item
        if verb.startswith(("deliver", "provide", "offer", "expand", "enter", "resolve", "answer", "process",
                            "handle", "respond")) and (result or _SHARE.search(title)) \
                and not _first(after_verb, _WORK):
            measure = result[1] if result else _SHARE.search(title).group(0)
            return Kind("outcome", f"{verb!r} is measured on a result ({measure!r})", verb)
        return Kind("output", f"{verb!r} describes an activity, not its result", verb)
    if done := _DONE.search(title):
        return Kind("output", f"it counts work finished ({done.group(0).strip()!r})", verb)
    if state := _STATE.search(title):
        return Kind("outcome", f"it says what people {state.group(0).lower()}", verb)
    if comparative := _COMPARATIVE.search(title):
        return Kind("outcome", f"it states a change ({comparative.group(0)!r})", verb)
    if result:
        return Kind("outcome", f"it names a result ({result[1]!r})", verb)
    if work:
        return Kind("output", f"it names work items ({work[1]!r})", verb)
    return Kind("outcome", "it names no activity", verb)
