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
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.language.tokens import tokenize

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
            self._reason, self._words = _explain(self.kind, dict(found), contributions, target)
            self._verb = next((words.split()[0].lower() for name, words in found if name in _VERB_FACTS), None)
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


# --- word families -----------------------------------------------------------------------------------------------
# General vocabulary grouped by meaning, not phrases of any one source. Verbs are given by their base form; the
# inflected forms (-s, -ed, -ing, a doubled consonant, -ied) are generated below.

_CHANGE = """increase raise grow reduce decrease lower cut improve boost lift double triple quadruple halve shorten
speed accelerate minimise minimize maximise maximize drop shrink slash trim deepen strengthen scale extend widen
broaden diminish decline lessen lose optimise optimize eliminate""".split()
"""Verbs that move a measure."""
_REACH = """reach hit achieve attain exceed surpass meet keep maintain stay sustain retain protect preserve prevent
avoid win sign close convert acquire gain generate earn save attract drive fundraise receive secure bring get become
have land add weigh""".split()
"""Verbs that name a level reached, kept or won."""
_ENSURE = """ensure guarantee confirm""".split()
"""Verbs that say a state will hold; what follows decides."""
_WORK = """launch ship release publish write hold host run organise organize deliver build create design develop
implement complete finish migrate deploy conduct perform prepare draft document make send call visit interview set
establish introduce roll present audit update redesign refactor integrate map define collect gather produce record
film post blog tweet distribute submit file apply plan schedule arrange kick start begin pilot prototype translate
upgrade install configure automate digitise digitize rewrite rebuild replace remove clean fix resolve answer process
handle respond contact email mail print demo showcase sponsor exhibit open refresh revamp renew approve agree
finalise finalize formalise formalize adopt standardise standardize consolidate certify obtain pass provide offer
enter decommission retire move relocate renegotiate negotiate plant repave pave inspect screen triage label tag
qualify retrain benchmark take donate fund enrol enroll register catalogue catalog archive scan index tidy sort buy
purchase procure order reorganise reorganize restructure speak attend participate support help assist share spend
invest allocate book merge contribute port patch facilitate coordinate execute track monitor continue do furnish
celebrate announce communicate compile outline specify decide choose select setup work exercise meditate go practise
practice enable test review teach train coach mentor educate onboard upskill reskill engage involve invite mobilise
mobilize expand""".split()
"""Verbs that do or deliver a piece of work (people trained, coached or reached are outcomes: see _PEOPLE)."""
_LEARN = """understand learn identify explore research investigate figure assess evaluate analyse analyze study
discover determine validate verify examine survey experiment read watch break measure interview""".split()
"""Verbs of finding out: the work is the learning."""
_HIRE = """hire recruit headhunt staff""".split()
_PEOPLE = """people person persons user users customer customers clients member members contributor contributors
developer developers participant participants attendee attendees student students learner learners volunteer
volunteers leader leaders team teams organization organizations organisation organisations company companies
employee employees staff partner partners visitor visitors subscriber subscribers follower followers reader readers
viewer viewers donor donors patient patients resident residents citizen citizens builder builders maintainer
maintainers community communities managers agents nurse nurses teacher teachers parent parents pupil pupils family
families household households buyer buyers shopper shoppers prospect prospects applicant applicants candidate
candidates graduate graduates alumni mentee mentees coachee coachees presenter presenters speaker speakers organizer
organizers organiser organisers everyone everybody anyone anybody influencer influencers fans audience audiences
players adult adults child children woman women men newcomer newcomers beginner beginners author authors committer
committers reviewer reviewers adopter adopters engineer engineers operators stakeholder stakeholders accounts
consumer consumers owners supporter supporters champions ambassador ambassadors mentors coaches clubs schools
campuses groups individual individuals worker workers folks rep reps representative representatives entrant entrants
recipient recipients beneficiary beneficiaries ally allies guests fellows grantee grantees admins signup signups
sign-up sign-ups""".split()
"""Who a result can be about: people reached, taking part, served or retained."""
_WORK_NOUNS = """post posts article articles blog blogs newsletter newsletters workshop workshops meeting meetings
training trainings course courses webinar webinars event events feature features page pages tool tools document
documents documentation doc docs report reports playbook playbooks guide guides process processes policy policies
plan plans dashboard dashboards call calls demo demos interview interviews hire hires campaign campaigns video
videos podcast podcasts talk talks presentation presentations survey surveys prototype prototypes pilot pilots
release releases version versions milestone milestones task tasks story stories epic epics sprint sprints pr prs
commit commits module modules template templates framework frameworks roadmap roadmaps strategy strategies analysis
analyses audit audits study studies whitepaper whitepapers ebook ebooks infographic infographics tutorial tutorials
lesson lessons spec specs specification specifications test tests experiment experiments patch patches fix fixes
meetup meetups conference conferences hackathon hackathons proposal proposals poc mvp design designs integration
integrations implementation implementations library libraries api apis improvement improvements initiative
initiatives program programs programme programmes project projects deck decks slide slides checklist checklists
runbook runbooks handbook handbooks curriculum curricula book books workout workouts grant grants contract contracts
episode episodes email emails mailing tweet tweets item items deliverable deliverables plugin plugins codec codecs
website websites site sites component components repo repos repository repositories script scripts outreach request
requests ticket tickets bug bugs issue issues assessment assessments review reviews consultation consultations class
classes lecture lectures experiment activity activities recommendation recommendations guideline guidelines
requirement requirements goal goals okr okrs metric metrics example examples capability capabilities functionality
tooling infrastructure architecture ui placement workflow workflows automation""".split()
"""Things work produces or holds."""
_RESULT_NOUNS = """revenue arr mrr bookings sales profit profits margin margins cost costs spend churn retention
renewal renewals nps csat ces satisfaction conversion conversions registrations adoption usage engagement activation
traffic downloads installs leads pipeline deals orders share growth latency uptime availability reliability error
errors defects incidents outages downtime crashes failures complaints escalations backlog turnaround response
resolution wait throughput capacity utilization utilisation accuracy quality score scores rating ratings attrition
turnover absenteeism enps wellbeing safety injuries emissions energy waste donations funding funds income savings
efficiency productivity coverage stars forks dependents views pageviews impressions clicks ctr rsvps attendance
participation awareness diversity sentiment trust confidence citations mentions dau mau wau daus maus stickiness
speed performance time lag regressions blockers burn runway weight cash budget roi ltv cac payback profitability
valuation rank ranking reach visibility recognition loyalty p50 p90 p95 p99 rate rates ratio percentage volume value
kg kgs lbs breakeven break-even enrolments enrollments enrolment enrollment""".split()
"""Measures of a result."""
_QUALITY = """fast faster easy easier reliable robust solid smooth quick quicker responsive secure safe safer accessible
intuitive happy happier satisfied productive accountable healthy healthier consistent seamless simple simpler
efficient cheaper smaller lighter stable""".split()
"""How good something is for the people who use it."""
_PEOPLE_STATES = """trained coached mentored engaged involved satisfied active retained reached served onboarded
certified educated empowered aligned aware informed equipped happy activated converted enrolled""".split()
"""States of people: "200 leaders coached", "70% of members satisfied"."""
_DONE_STATES = """available ready complete completed done live finished finalised finalized operational in-place
published launched""".split()
_CAPABILITY = """support supports allow allows enable enables let lets provide provides include includes contain
contains cover covers work works handle handles""".split()
_USE = """use uses used using usage adopt adopts adopted adoption rely relies""".split()
_PERSONAL = {"i", "i'm", "i’m", "i've", "i’ve", "i'll", "i’ll", "my", "me", "myself"}
_NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve"
                                              .split())}
_NUMBER_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
                      "thousand": 1000, "million": 10 ** 6})
_PERIODS = {"day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "sprint",
            "sprints", "semester", "term", "weekday", "workday", "release", "meeting"}
_FREQUENCY_WORDS = {"daily", "weekly", "monthly", "quarterly", "yearly", "annually", "biweekly", "fortnightly",
                    "twice", "once", "thrice", "regularly", "routinely", "routine", "biannual", "biannually"}
_TIME_UNITS = {"second", "seconds", "sec", "secs", "s", "ms", "minute", "minutes", "min", "mins", "hour", "hours",
               "h", "hr", "hrs", "day", "days", "week", "weeks", "month", "months"}
_ADVERBS = {"successfully", "fully", "properly", "publicly", "further", "jointly", "independently", "proactively",
            "actively", "continuously", "consistently", "formally", "officially", "clearly", "quickly", "also",
            "then", "finally", "really", "effectively", "significantly", "substantially", "dramatically",
            "meaningfully", "measurably", "truly", "safely", "reliably", "regularly", "always", "still", "now"}
_SUBJECTS = {"we", "i", "you", "they", "our", "us", "my", "i'm", "i’m", "we're", "we’re", "we've", "we’ve",
             "i've", "i’ve", "we'll", "we’ll", "i'll", "i’ll"}
_AUXILIARIES = {"will", "shall", "should", "must", "can", "could", "would", "to", "want", "aim", "need", "have", "has",
                "had", "are", "is", "be", "been", "do", "does", "did", "am", "were", "was", "plan", "intend", "try",
                "going", "able", "keep", "continue"}
_BE = {"is", "are", "be", "been", "being", "was", "were", "gets", "get", "got", "become", "becomes", "remain",
       "remains", "stays", "stay"}
_HAVE = {"has", "have", "had"}
_MODAL = {"can", "could", "will", "should", "must", "would", "may", "shall"}
_FUNCTION_WORDS = {"to", "in", "on", "for", "by", "with", "from", "at", "of", "per", "and", "or", "that", "who",
                   "which", "across", "through", "via", "into", "within", "over", "under", "than", "as", "about",
                   "before", "after", "until", "during", "between", "among", "without", "while", "where", "when",
                   "so", "but", "if", "because", "w", "vs", "including", "like", "such", "beyond", "against", "below",
                   "above", "toward", "towards", "inside", "outside"}
_DETERMINERS = {"the", "a", "an", "our", "their", "its", "his", "her", "your", "my", "all", "of", "new", "more",
                "total",
                "each", "every", "at", "least", "most", "some", "additional", "extra", "unique", "first", "existing",
                "other", "key", "major", "top", "different", "distinct", "these", "those", "this", "that", "up", "to",
                "about", "around", "nearly", "almost", "approximately", "over", "than", "or", "and", "x", "times",
                "least", "number", "amount", "count", "total", "minimum", "maximum", "avg", "average"}
_VERB_NOUNS = {"support", "call", "post", "email", "demo", "test", "review", "plan", "survey", "share", "process",
               "release", "report", "order", "visit", "design", "update", "build", "contact", "help", "sign", "change",
               "return", "search", "run", "use", "answer", "request", "service", "sales", "training", "onboarding"}
"""Words that open a key result as a verb or as a noun: "Support the team", "Support tickets per week"."""
_AUDIENCE = set("""attendee attendees participant participants signup signups sign-up sign-ups registration
registrations registrant registrants enrolment enrolments enrollment enrollments viewer viewers view views pageviews
download downloads install installs listener listeners reader readers visitor visitors subscriber subscribers
follower followers user users people guests learners responses rsvps players fans""".split())
"""Who or what a piece of work is judged by when it names a number of them: its audience or its use."""
_EVENTS = set("""event events webinar webinars workshop workshops meetup meetups conference conferences launch
festival festivals fair fairs day days session sessions talk talks course courses class classes hackathon hackathons
summit summits evening evenings camp camps programme programmes program programs challenge challenges""".split())
"""Work people attend: "with 250 families" after one of these is its audience, not who the work is done with."""
_AUDIENCE_CUES = {"with", "w", "w/", "reaching", "reach"}
_FREQUENCY_LEADS = {"every", "each", "per", "a", "an", "once", "twice"}
_CONTAINERS = {"number", "count", "amount", "breadth", "quantity", "total", "set", "list", "variety", "range", "pool",
               "base", "cohort", "batch", "collection", "portfolio", "network", "mix"}
"""Words that hold what counts: "the number of contributors", "the breadth of contributors"."""
_HEADCOUNT = {"team", "teams", "staff", "headcount", "workforce", "hires", "engineers", "developers", "people"}
"""What a team grows by hiring: "Grow the team", "Add 3 engineers"."""
_QUANTITY_WORDS = {"number", "#", "share", "percentage", "most", "all", "half", "amount", "majority", "count", "some",
                   "none", "each", "any", "total", "proportion", "rate", "many", "few", "much", "lots", "one", "two",
                   "three"}
_STOPWORDS = _FUNCTION_WORDS | _BE | _HAVE | _MODAL | _SUBJECTS | {
    "the", "a", "an", "our", "their", "its", "his", "her", "your", "it", "this", "that", "these", "those", "them",
    "he", "she", "do", "does", "did", "not", "no", "all", "any", "each", "every", "some", "also", "other", "etc", "e",
    "g", "eg", "ie", "i", "s", "how", "what", "why", "there", "then", "just", "very", "only", "both", "either",
    "neither", "nor", "yet", "rather", "into", "onto", "upon", "off", "out", "up", "down", "again", "here",
} | _CONTAINERS
"""Words too common to carry meaning by themselves."""
_COMPARATIVES = {"more", "less", "fewer", "faster", "easier", "higher", "lower", "better", "greater", "quicker",
                 "cheaper", "safer", "simpler", "shorter", "smaller", "larger", "bigger", "stronger"}
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
_ARROW = re.compile(r"(?P<a>\d[\d,.]*)\s*(?:->|→|=>)\s*[$€£]?(?P<b>\d[\d,.]*)")
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
_NAMED = {"version", "v", "python", "java", "node", "release", "phase", "stage", "level", "tier", "step", "part",
          "chapter", "batch", "cohort", "wave", "round", "season", "episode", "sprint", "week", "day", "line", "plant",
          "site", "zone", "ward", "gate", "building", "floor", "room", "number", "no", "point", "points", "item",
          "issue", "ticket", "grade", "year", "top"}
"""Words a number names rather than counts: "line 2", "version 3", "Year 9"."""
_YEAR = re.compile(r"(?:19[5-9]|20[0-4])\d")
_PREFIX = re.compile(r"^\s*(?:\[[^\]]{0,60}\]\s*|\([^)]{0,60}\)\s*)*(?:(?:kr|key result)\s*\d*\s*[:.)-]\s*|"
                     r"\d{1,2}[.)]\s+)?", re.I)
"""What comes before a key result: "[Q3]", "KR1:", "1."."""
_LABEL_BREAKERS = {"the", "a", "an", "our", "my", "this", "these", "following", "we", "i", "to", "of", "for", "is",
                   "are"}
_LABEL = re.compile(r"^([A-Za-z][\w&/-]*(?: [\w&/-]+){0,2}):\s+(?=\S)")
"""A label of up to three words before a colon: "Stretch:", "Learning goal:" (not "Implement the following:")."""


def _forms(base: str) -> set[str]:
    """The inflected forms of a verb: launch, launches, launched, launching; ship, shipped; apply, applied."""
    forms = {base}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    else:
        forms |= {base + ("es" if base.endswith(("s", "x", "z", "ch", "sh")) else "s"), base + "ed", base + "ing"}
        if len(base) >= 3 and base[-1] in "bdgmnprt" and base[-2] in "aeiou" and base[-3] not in "aeiou":
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


_IRREGULAR = {"write": "written wrote", "build": "built", "run": "ran", "hold": "held", "make": "made",
              "do": "done did", "set": "set", "get": "got gotten", "give": "gave given", "take": "took taken",
              "begin": "began begun", "grow": "grew grown", "bring": "brought", "buy": "bought", "win": "won",
              "lead": "led", "meet": "met", "keep": "kept", "spend": "spent", "speak": "spoke spoken", "send": "sent",
              "find": "found", "understand": "understood", "choose": "chose chosen", "teach": "taught", "cut": "cut",
              "read": "read", "pay": "paid", "learn": "learnt", "become": "became", "know": "knew known",
              "say": "said", "tell": "told", "feel": "felt", "rebuild": "rebuilt", "rewrite": "rewritten rewrote",
              "go": "went gone", "drive": "drove driven", "hit": "hit", "put": "put", "come": "came"}


def _family(bases: list[str]) -> dict[str, str]:
    """Every form of every verb in ``bases`` mapped to its base."""
    out: dict[str, str] = {}
    for base in bases:
        for form in _forms(base) | set(_IRREGULAR.get(base, "").split()):
            out.setdefault(form, base)
    return out


_FAMILIES = (("change", _family(_CHANGE)), ("hire", _family(_HIRE)), ("learn", _family(_LEARN)),
             ("ensure", _family(_ENSURE)), ("make", _family(["make"])), ("reach", _family(_REACH)),
             ("work", _family(_WORK)))
"""Checked in this order: a verb in two families belongs to the first."""
_EXPERIENCE = """feel trust rate say believe recommend choose prefer love enjoy like know understand find see return
stay want talk come renew use rely report tell give value join respond follow pay subscribe graduate donate switch
cite mention wait click invite think ask receive leave churn lose spend buy visit attend participate contribute
collaborate engage complete apply upgrade adopt share read watch open""".split()
"""What people feel, think or do: people doing one of these are a result (they are reached, taking part, served)."""
_EXPERIENCE_FORMS = _family(_EXPERIENCE)
_BASES = {base for bases in (_CHANGE, _REACH, _ENSURE, _WORK, _LEARN, _HIRE) for base in bases}
_LESS_FORMS = _family("""reduce decrease lower cut halve shorten minimise minimize drop shrink slash trim diminish
lessen lose eliminate""".split())
"""Verbs of less: fewer work items (meetings, reports, tickets) is a result, more of them is work."""
_FAMILY_OF: dict[str, str] = {}
for _name, _forms_of in _FAMILIES:
    for _form in _forms_of:
        _FAMILY_OF.setdefault(_form, _name)
_ANY_VERB = {form for _, forms in _FAMILIES for form in forms} | set(_EXPERIENCE_FORMS)
_PEOPLE_SET = frozenset(_PEOPLE)
_WORK_NOUN_SET = frozenset(_WORK_NOUNS)
_RESULT_SET = frozenset(_RESULT_NOUNS)
_NOUNS = _PEOPLE_SET | _WORK_NOUN_SET | _RESULT_SET
_CLASS_OF = {word: "result" for word in _RESULT_SET} | {word: "work" for word in _WORK_NOUN_SET} \
    | {word: "people" for word in _PEOPLE_SET}
"""People first, then work, then results, for the words in more than one family."""
_QUALITY_SET = frozenset(_QUALITY)
_PEOPLE_STATE_SET = frozenset(_PEOPLE_STATES)
_DONE_STATE_SET = frozenset(_DONE_STATES)
_CAPABILITY_SET = frozenset(_CAPABILITY)
_USE_SET = frozenset(_USE)
_IRREGULAR_PARTICIPLES = {form for forms in _IRREGULAR.values() for form in forms.split()}
_KNOWN = _NOUNS | _ANY_VERB | _QUALITY_SET | _PEOPLE_STATE_SET | _DONE_STATE_SET
"""Words a family already stands for: the model learns them through the family, never one by one."""


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A word's plain form for the vocabulary: lower case, plural and possessive ending dropped."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'-")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


class _Token:
    """One word, number or sign of a title, with what the classifier asks of it worked out once."""

    __slots__ = ("kind", "low", "number", "participle", "text")

    def __init__(self, text: str, low: str, kind: str):
        self.text = text
        self.low = low
        self.kind = kind
        """``word``, ``num``, ``pct``, ``money`` or ``sym``."""
        self.number = kind in ("num", "pct", "money")
        self.participle = kind == "word" and (low.endswith("ed") or low in _IRREGULAR_PARTICIPLES)


_WORD_TOKENS: dict[str, _Token] = {}
"""Words seen before, shared: a token is never changed once made."""


def _tokens(title: str, offset: int) -> list[_Token]:
    """The title's tokens (:func:`~okr_workshop.language.tokens.tokenize`) from ``offset`` on, as the classifier reads them."""
    out: list[_Token] = []
    shared = _WORD_TOKENS
    for token in tokenize(title).tokens:
        if token.start < offset:
            continue
        kind, value = token.kind, token.text
        if kind == "word":
            mine = shared.get(value)
            if mine is None:
                mine = _Token(value, token.low, "num" if token.low in _NUMBER_WORDS else "word")
                if len(shared) < 100_000:
                    shared[value] = mine
            out.append(mine)
            continue
        if kind == "label" or (kind == "num" and _YEAR.fullmatch(value)):
            kind = "word"  # "3rd", "1:1s", "2024": a word, not a quantity
        elif kind == "num" and out and out[-1].kind == "word" and (
                (out[-1].text.isupper() and len(out[-1].text) > 1 and out[-1].low not in _RESULT_SET)
                or out[-1].low in _NAMED):
            kind = "word"  # "ISO 27001", "Python 3.8", "version 2": a name, not a quantity
        out.append(_Token(value, token.low, kind))
    return out


def _strip_prefix(title: str) -> str:
    text = title.lstrip()
    if text[:1] in "[(0123456789kK":
        text = _PREFIX.sub("", text, count=1)
    if ":" in text[:40] and (label := _LABEL.match(text)) \
            and not (set(label.group(1).lower().split()) & _LABEL_BREAKERS):
        text = text[label.end():]  # "Stretch:", "Learning goal:", but not "Implement the following:"
    return text


def _level(number: str) -> float | None:
    try:
        return float(number.replace(",", "").rstrip("."))
    except ValueError:
        return None


def _family_of(word: str) -> str | None:
    return _FAMILY_OF.get(word)


def _phrase(tokens: list[_Token], start: int, skip: int = 4) -> tuple[int, int] | None:
    """The noun phrase starting at ``start`` (after up to ``skip`` determiners or numbers): its first and last index.

    The last word is its head: "3 new code contributors" -> contributors; "6 case studies on the site" -> studies.
    """
    first = None
    for i in range(start, min(len(tokens), start + skip + 1)):
        token = tokens[i]
        if token.kind != "word" or token.low in _DETERMINERS:
            continue
        if token.low in _FUNCTION_WORDS or token.low in _BE or token.low in _HAVE or token.low in _MODAL:
            return None
        first = i
        break
    if first is None:
        return None
    if tokens[first].low in _CONTAINERS and first + 1 < len(tokens) and tokens[first + 1].low == "of":
        return _phrase(tokens, first + 2, skip)  # "the number of weekly volunteers": the volunteers
    last = first
    for j in range(first + 1, min(len(tokens), first + 5)):
        token = tokens[j]
        if tokens[last].low in _PEOPLE_SET and token.low in _ANY_VERB \
                and not (token.low in _NOUNS and token.low.endswith("s")):
            break  # "50 members share ...": the people end the phrase (but not in "6 customer interviews")
        if token.kind != "word" or token.low in _FUNCTION_WORDS or token.low in _BE or token.low in _HAVE \
                or token.low in _MODAL or token.low.endswith("ing") \
                or ((token.low in _ANY_VERB or token.low in _CAPABILITY_SET or token.low in ("exist", "exists"))
                    and token.low not in _NOUNS and not _adjectival(tokens, j)) \
                or (token.participle and token.low not in _NOUNS and not _adjectival(tokens, j)):
            break
        last = j
    return first, last


def _adjectival(tokens: list[_Token], k: int) -> bool:
    """A participle that describes the next word ("hosted sites", "trained staff"), not a verb."""
    token = tokens[k]
    if not token.participle or k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    return nxt.kind == "word" and nxt.low not in _FUNCTION_WORDS and nxt.low not in _BE and nxt.low not in _HAVE \
        and nxt.low not in _DETERMINERS and not nxt.participle


def _after_subject(tokens: list[_Token], k: int) -> bool:
    """Can the verb form at ``k`` follow its subject? "Prototypes support", "The app supports", not "Better support"."""
    token, before = tokens[k], tokens[k - 1]
    if token.participle or token.low.endswith("s"):
        return True
    return before.low.endswith("s") or before.low in _PEOPLE_SET or before.kind != "word" \
        or (before.text[:1].isupper() and k > 1) or any(c.isdigit() for c in before.text) \
        or before.low in ("everyone", "everybody", "people", "staff", "team", "who", "that", "which")


def _class_of(word: str) -> str | None:
    return _CLASS_OF.get(word)


def _span(tokens: list[_Token], first: int, last: int) -> str:
    return " ".join(t.text for t in tokens[first:last + 1])


def features(title: str) -> dict[str, str]:
    """The facts the model weighs, each with the words of the title that show it.

    Names read ``group:value`` ("lead:work", "count:people", "w:tutorial"); values are the title's own words.
    """
    text = _strip_prefix(title)
    offset = len(title) - len(text)
    tokens = _tokens(title, offset)
    found: dict[str, str] = {}
    add = found.setdefault  # the first words that show a fact are the ones quoted

    if not tokens:
        return {"empty": ""}
    n = len(tokens)

    # The lead: skip a subject ("we", "I"), modal verbs and adverbs to the first verb or noun.
    i, subject = 0, None
    while i < n and tokens[i].kind == "word":
        word = tokens[i].low
        if word in _SUBJECTS and subject is None:
            subject = tokens[i]
        elif not (word in _ADVERBS or word in ("to", "let's", "lets", "please", "will", "shall", "must")
                  or (subject is not None and word in _AUXILIARIES)):
            break
        i += 1
    lead_index = i
    lead = tokens[i] if i < n else None
    family = _family_of(lead.low) if lead is not None and lead.kind == "word" else None
    if lead is not None and lead.low in ("make", "made") and i + 1 < n and tokens[i + 1].low == "sure":
        family, i = "ensure", i + 1
    verb = None
    object_numbers: set[int] = set()
    hiring = False
    if subject is not None:
        add("subject:i" if subject.low in _PERSONAL else "subject:we", subject.text)
    if family is not None and i + 1 < n and tokens[i + 1].low == "of":
        family = None  # "Share of requests", "Use of the toggle": a noun
    if family is not None and lead.low in _VERB_NOUNS and i + 2 < n and tokens[i + 1].low in _NOUNS \
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
        if lead.low.endswith("ing") and lead.low not in _BASES:
            add("lead:gerund", lead.text)
        elif lead.participle:
            add("lead:past", lead.text)
        if (span := _phrase(tokens, i + 1)) is not None:
            head = tokens[span[1]]
            counted = [k for k in range(i + 1, span[0]) if tokens[k].number]
            kind = _class_of(head.low)
            if family == "hire" or (family in ("change", "reach") and head.low in _HEADCOUNT):
                kind = "hires"  # "Hire 3 engineers", "Grow the team": hiring is work the team does
                hiring = True
            if kind:
                counted_kind = f"{kind}{':counted' if counted and kind in ('people', 'work') else ''}"
                first = next((k for k in range(i + 1, span[0] + 1) if tokens[k].low not in _FUNCTION_WORDS), span[0])
                add(f"object:{counted_kind}", _span(tokens, first, span[1]))
                if kind != "hires":
                    how = family
                    if family == "change":
                        how = "less" if lead.low in _LESS_FORMS else "more"
                    add(f"object:{how}-on-{kind}", _span(tokens, i, span[1]))  # "Train 40 managers"
                object_numbers.update(counted)
    elif lead is not None and lead.number:
        add(f"lead:{lead.kind}", lead.text)
    elif lead is not None:
        add("lead:noun", lead.text)
        quality = next((t for t in tokens[lead_index:lead_index + 2]
                        if t.low in _QUALITY_SET or t.low in _COMPARATIVES), None)
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
        span = _phrase(tokens, k + 1, 3)
        kind = _class_of(tokens[span[1]].low) if span is not None else None
        if token.kind == "pct":
            add("percent", token.text)
        if kind is None:
            continue
        if kind == "people" and hiring:
            kind = "hires"  # "Grow the team to 12 engineers"
        add(f"{'share' if token.kind == 'pct' else 'count'}:{kind}", _span(tokens, k, span[1]))

    # A sentence that does not open with a verb: its subject, and what it says about it.
    if verb is None and lead is not None:
        _clause(tokens, lead_index, add)
    if verb is not None:
        # "Reps who attended rate ...", "members fill out the survey": people acting later in the sentence.
        for k in range(i + 1, n - 1):
            if tokens[k].low in _PEOPLE_SET and tokens[k + 1].low in ("say", "rate", "report", "tell", "use", "feel",
                                                                       "know", "give", "fill", "return", "come",
                                                                       "understand", "adopt", "attend", "share"):
                add("people:act", f"{tokens[k].text} {tokens[k + 1].text}")
                break

    low = text.lower()
    lows = {t.low for t in tokens}
    to_verb = "to" in lows and lows & _EFFECT_VERBS and any(
        t.low == "to" and tokens[k + 1].low in _EFFECT_VERBS for k, t in enumerate(tokens[:-1]))
    if (lows & _EFFECT_CUES or to_verb) and (match := _EFFECT.search(text)):
        measured = any(t.number for t in _tokens(title, offset + match.end())) or _FROM_TO.search(text, match.end())
        add("effect:quantified" if measured else "effect:purpose", match.group(0))
    if (lows & _SERVICE_CUES or "<" in text or "≤" in text) and (match := _SERVICE.search(text)):
        add("service-level", match.group(0).strip())
    if ":" in text and _NAME_VALUE.match(text):
        add("metric:name-value", text.split(":")[0].strip())
    if verb is None and ("#" in text or "of" in lows) and (match := _NUMBER_OF.search(text)):
        at = next((k for k, t in enumerate(tokens) if t.low in ("of", "#") and k and tokens[k - 1].low != "of"), None)
        span = _phrase(tokens, at + 1, 3) if at is not None else None
        what = _class_of(tokens[span[1]].low) if span is not None else None
        add(f"metric:number-of:{what or 'thing'}", match.group(0).strip())
    # One pass for the rest: an audience target, how often, comparatives, qualities, use, the first person.
    audience = frequency = ratio = False
    for k, token in enumerate(tokens):
        low_k = token.low
        if token.kind != "word":
            continue
        if not audience and (low_k in _AUDIENCE_CUES or (low_k == "by" and k and tokens[k - 1].participle)) \
                and k + 1 < n and any(t.number and t.kind != "pct" for t in tokens[k + 1:k + 5]):
            span = _phrase(tokens, k + 1, 4)
            if span is not None:
                head_low = tokens[span[1]].low
                head_class = _class_of(head_low)
                if head_low in _AUDIENCE or head_class == "result" or (
                        head_class == "people" and any(t.low in _EVENTS for t in tokens[max(0, k - 4):k])):
                    add("with:audience", _span(tokens, k, span[1]))  # "with 400 sign-ups", not "with 30 employees"
                    audience = True
        if not frequency:
            words = None
            if low_k in _FREQUENCY_WORDS:
                words = token.text
            elif low_k in _FREQUENCY_LEADS and k + 1 < n and tokens[k + 1].low in _PERIODS:
                words = f"{token.text} {tokens[k + 1].text}"
            if words:
                # "150 sign-ups a month" is a rate of a result; "every week" alone repeats an activity
                rate = any(t.number and t.low not in ("once", "twice") for t in tokens[max(0, k - 4):k])
                add("frequency:rate" if rate else "frequency", words)
                frequency = True
        if not ratio and low_k == "per" and k + 1 < n and tokens[k + 1].kind in ("word", "num") \
                and tokens[k + 1].low not in _PERIODS and tokens[k + 1].low not in ("a", "an", "each", "every"):
            add("metric:ratio", _span(tokens, max(0, k - 1), k + 1))  # "pages per session", "tickets per 1,000 users"
            ratio = True
        if low_k in _COMPARATIVES and not (k and tokens[k - 1].low in ("or", "and", "+")) \
                and not (k + 1 < n and tokens[k + 1].low == "than"):
            add("comparative", token.text)
        if low_k in _QUALITY_SET:
            add("quality", token.text)
        if low_k in _USE_SET and token is not verb:
            add("usage", token.text)
        if low_k in _PERSONAL:
            add("personal", token.text)
    match = None
    if "from" in lows:
        at = text.lower().find("from")
        match = _FROM_TO.search(text, max(0, at - 6))
    if match is None and ("→" in text or "->" in text or "=>" in text):
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
        if token.kind == "word" and len(token.low) > 1 and token.low not in _STOPWORDS and token.low not in _KNOWN:
            add(f"w:{_stem(token.text)}", token.text)
    if verb is not None:
        add(f"v:{_stem(verb.text)}", verb.text)
    return found


def _clause(tokens: list[_Token], start: int, add) -> None:
    """Subject and predicate of a sentence that opens with a noun: "Reps have run 3 events", "The spec is done"."""
    n = len(tokens)
    p = None
    for k in range(start, min(n, start + 12)):
        token = tokens[k]
        if token.kind != "word" or k == start:
            continue
        if token.low in _BE or token.low in _HAVE or token.low in _MODAL or token.low in ("exist", "exists") \
                or (token.low in _CAPABILITY_SET and (token.low.endswith("s") or tokens[k - 1].low.endswith("s"))) \
                or (tokens[k - 1].low in _PEOPLE_SET and token.low in _ANY_VERB) \
                or (token.low in _ANY_VERB and token.low not in _NOUNS and not token.low.endswith("ing")
                    and not _adjectival(tokens, k) and _after_subject(tokens, k)):
            p = k
            break
    subject_words = []
    for k in range(start, p if p is not None else min(n, start + 6)):
        token = tokens[k]
        if token.low in _FUNCTION_WORDS and not (token.low == "of" and k and (tokens[k - 1].number or tokens[k - 1].low
                                                                                in _QUANTITY_WORDS)):
            break  # "a review routine in 4 depots": the subject is the routine
        if token.kind == "word":
            subject_words.append(token)
    subject_class = None
    heads = [t for t in subject_words if t.low not in _DETERMINERS and t.low not in _QUANTITY_WORDS]
    if heads and (cls := _class_of(heads[-1].low)):
        subject_class = cls
        add(f"subject:{cls}", heads[-1].text)
    if p is None:
        if tokens[-1].participle and (tokens[-1].low in _ANY_VERB or tokens[-1].low.endswith("ed")):
            _predicate(tokens, n - 1, subject_class, add, bare=True)
        return
    _predicate(tokens, p, subject_class, add)


def _state(add, who: str, what: str, words: str) -> None:
    """What a sentence says about its subject, with who the subject is: "state:people:did", "state:thing:done"."""
    add(f"state:{who}:{what}", words)


def _predicate(tokens: list[_Token], p: int, subject: str | None, add, bare: bool = False) -> None:
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
    shown = "" if after is None else after.text if bare else _span(tokens, p, q)
    if word in _BE or word in _HAVE:
        if after is None:
            return
        a = after.low
        if a in _PEOPLE_STATE_SET:
            _state(add, who, "people-state", shown)
        elif a in _USE_SET:
            add("usage", after.text)
            _state(add, who, "used", shown)
        elif after.participle or a in _ANY_VERB:
            fam = _family_of(a)
            what = "changed" if fam == "change" else "done"
            if word in _HAVE and who == "people":
                what = "did"
            _state(add, who, what, shown)
        elif a in _DONE_STATE_SET:
            _state(add, who, "in-place", shown)
        elif a in _QUALITY_SET:
            _state(add, who, "quality", shown)
        elif word in _HAVE:
            _state(add, who, "has", shown)
        return
    if token.participle and (word in _ANY_VERB or word in _PEOPLE_STATE_SET):
        # "80% of the workshops delivered", "40 volunteers trained": a passive without its "is"
        if word in _PEOPLE_STATE_SET:
            _state(add, who, "people-state", token.text)
        elif word in _USE_SET:
            _state(add, who, "used", token.text)
        else:
            _state(add, who, "changed" if _family_of(word) == "change" else "done", token.text)
        return
    if word in _MODAL:
        following = next((t for t in tokens[p + 1:p + 4] if t.kind == "word" and t.low not in _ADVERBS
                          and t.low not in ("be", "not", "now", "also")), None)
        knowing = following is not None and following.low in _EXPERIENCE_FORMS \
            and following.low not in _FAMILIES[-1][1]
        _state(add, who, "can-know" if knowing else "can", _span(tokens, p, tokens.index(following, p))
               if following is not None else token.text)
        return
    if word in ("exist", "exists"):
        _state(add, who, "exists", token.text)
        return
    if word in _CAPABILITY_SET and who != "people":
        _state(add, who, "capability", token.text)
        return
    if word in _USE_SET:
        _state(add, who, "used", token.text)
        return
    _state(add, who, "acts", token.text)


# --- the model ---------------------------------------------------------------------------------------------------

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
            target = next((name for name in _TARGETS if name in found), None)
            if target is not None:
                kind = "outcome"
        # Only what the reason needs is kept, as tuples of strings and numbers: the garbage collector skips those.
        shown = tuple((name, words) for name, words in found.items() if name in _VERB_FACTS or name in _TARGETS)
        return Kind(kind, score=round(score, 4), facts=(shown, tuple(contributions), target))


def _explain(kind: str, found: dict[str, str], contributions: tuple, target: str | None) -> tuple[str, tuple[str, ...]]:
    """The reason for ``kind`` in words, and the title's words it quotes."""
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


class KindModelError(OkrWorkshopError):
    """The model file cannot be read."""


_VERB_FACTS = {f"lead:{name}" for name, _ in _FAMILIES}
_TARGETS = ("service-level", "with:audience", "effect:quantified", "share:people", "quality-phrase")
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
    quoted = f"'{words.lower() if name in _VERB_FACTS or name in ('lead:past', 'lead:gerund') else words}'"
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


@lru_cache(maxsize=1)
def load_model() -> KindModel:
    """The shipped model, read once."""
    return KindModel.load()


@lru_cache(maxsize=65536)
def classify(title: str) -> Kind:
    """Outcome or output, with the reason in the title's own words (the shipped model)."""
    return load_model().classify(title)
