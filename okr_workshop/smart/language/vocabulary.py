"""The classifier's vocabulary: words grouped by meaning, and the verb families with every form of their verbs.

Verbs that change a measure ("raise", "cut"), reach a level ("hit",
"retain"), do a piece of work ("launch", "write"), find something out
("research") or hire; the people a result can be about, the things work
produces, the measures of a result, qualities, states of people and of work.
General vocabulary grouped by meaning, not phrases of any one source:
:mod:`~okr_workshop.smart.language.facts` reads a title against these tables.
Verbs are given by their base form; their inflected forms (-s, -ed, -ing, a
doubled consonant, -ied, the irregular ones) are generated.
"""

from __future__ import annotations

from functools import lru_cache

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
PERSONAL = {"i", "i'm", "i’m", "i've", "i’ve", "i'll", "i’ll", "my", "me", "myself"}
PERIODS = {"day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "sprint",
           "sprints", "semester", "term", "weekday", "workday", "release", "meeting"}
FREQUENCY_WORDS = {"daily", "weekly", "monthly", "quarterly", "yearly", "annually", "biweekly", "fortnightly",
                   "twice", "once", "thrice", "regularly", "routinely", "routine", "biannual", "biannually"}
ADVERBS = {"successfully", "fully", "properly", "publicly", "further", "jointly", "independently", "proactively",
           "actively", "continuously", "consistently", "formally", "officially", "clearly", "quickly", "also",
           "then", "finally", "really", "effectively", "significantly", "substantially", "dramatically",
           "meaningfully", "measurably", "truly", "safely", "reliably", "regularly", "always", "still", "now"}
SUBJECTS = {"we", "i", "you", "they", "our", "us", "my", "i'm", "i’m", "we're", "we’re", "we've", "we’ve",
            "i've", "i’ve", "we'll", "we’ll", "i'll", "i’ll"}
AUXILIARIES = {"will", "shall", "should", "must", "can", "could", "would", "to", "want", "aim", "need", "have", "has",
               "had", "are", "is", "be", "been", "do", "does", "did", "am", "were", "was", "plan", "intend", "try",
               "going", "able", "keep", "continue"}
BE = {"is", "are", "be", "been", "being", "was", "were", "gets", "get", "got", "become", "becomes", "remain",
      "remains", "stays", "stay"}
HAVE = {"has", "have", "had"}
MODAL = {"can", "could", "will", "should", "must", "would", "may", "shall"}
FUNCTION_WORDS = {"to", "in", "on", "for", "by", "with", "from", "at", "of", "per", "and", "or", "that", "who",
                  "which", "across", "through", "via", "into", "within", "over", "under", "than", "as", "about",
                  "before", "after", "until", "during", "between", "among", "without", "while", "where", "when",
                  "so", "but", "if", "because", "w", "vs", "including", "like", "such", "beyond", "against", "below",
                  "above", "toward", "towards", "inside", "outside"}
DETERMINERS = {"the", "a", "an", "our", "their", "its", "his", "her", "your", "my", "all", "of", "new", "more",
               "total", "each", "every", "at", "least", "most", "some", "additional", "extra", "unique", "first",
               "existing", "other", "key", "major", "top", "different", "distinct", "these", "those", "this", "that",
               "up", "to", "about", "around", "nearly", "almost", "approximately", "over", "than", "or", "and", "x",
               "times", "number", "amount", "count", "minimum", "maximum", "avg", "average"}
VERB_NOUNS = {"support", "call", "post", "email", "demo", "test", "review", "plan", "survey", "share", "process",
              "release", "report", "order", "visit", "design", "update", "build", "contact", "help", "sign", "change",
              "return", "search", "run", "use", "answer", "request", "service", "sales", "training", "onboarding"}
"""Words that open a key result as a verb or as a noun: "Support the team", "Support tickets per week"."""
AUDIENCE = set("""attendee attendees participant participants signup signups sign-up sign-ups registration
registrations registrant registrants enrolment enrolments enrollment enrollments viewer viewers view views pageviews
download downloads install installs listener listeners reader readers visitor visitors subscriber subscribers
follower followers user users people guests learners responses rsvps players fans""".split())
"""Who or what a piece of work is judged by when it names a number of them: its audience or its use."""
EVENTS = set("""event events webinar webinars workshop workshops meetup meetups conference conferences launch
festival festivals fair fairs day days session sessions talk talks course courses class classes hackathon hackathons
summit summits evening evenings camp camps programme programmes program programs challenge challenges""".split())
"""Work people attend: "with 250 families" after one of these is its audience, not who the work is done with."""
AUDIENCE_CUES = {"with", "w", "w/", "reaching", "reach"}
FREQUENCY_LEADS = {"every", "each", "per", "a", "an", "once", "twice"}
CONTAINERS = {"number", "count", "amount", "breadth", "quantity", "total", "set", "list", "variety", "range", "pool",
              "base", "cohort", "batch", "collection", "portfolio", "network", "mix"}
"""Words that hold what counts: "the number of contributors", "the breadth of contributors"."""
HEADCOUNT = {"team", "teams", "staff", "headcount", "workforce", "hires", "engineers", "developers", "people"}
"""What a team grows by hiring: "Grow the team", "Add 3 engineers"."""
QUANTIFIERS = {"number", "#", "share", "percentage", "most", "all", "half", "amount", "majority", "count", "some",
               "none", "each", "any", "total", "proportion", "rate", "many", "few", "much", "lots", "one", "two",
               "three"}
STOPWORDS = FUNCTION_WORDS | BE | HAVE | MODAL | SUBJECTS | {
    "the", "a", "an", "our", "their", "its", "his", "her", "your", "it", "this", "that", "these", "those", "them",
    "he", "she", "do", "does", "did", "not", "no", "all", "any", "each", "every", "some", "also", "other", "etc", "e",
    "g", "eg", "ie", "i", "s", "how", "what", "why", "there", "then", "just", "very", "only", "both", "either",
    "neither", "nor", "yet", "rather", "into", "onto", "upon", "off", "out", "up", "down", "again", "here",
} | CONTAINERS
"""Words too common to carry meaning by themselves."""
COMPARATIVES = {"more", "less", "fewer", "faster", "easier", "higher", "lower", "better", "greater", "quicker",
                "cheaper", "safer", "simpler", "shorter", "smaller", "larger", "bigger", "stronger"}


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


FAMILIES = (("change", _family(_CHANGE)), ("hire", _family(_HIRE)), ("learn", _family(_LEARN)),
             ("ensure", _family(_ENSURE)), ("make", _family(["make"])), ("reach", _family(_REACH)),
             ("work", _family(_WORK)))
"""Checked in this order: a verb in two families belongs to the first."""
_EXPERIENCE = """feel trust rate say believe recommend choose prefer love enjoy like know understand find see return
stay want talk come renew use rely report tell give value join respond follow pay subscribe graduate donate switch
cite mention wait click invite think ask receive leave churn lose spend buy visit attend participate contribute
collaborate engage complete apply upgrade adopt share read watch open""".split()
"""What people feel, think or do: people doing one of these are a result (they are reached, taking part, served)."""
EXPERIENCE_FORMS = _family(_EXPERIENCE)
BASES = {base for bases in (_CHANGE, _REACH, _ENSURE, _WORK, _LEARN, _HIRE) for base in bases}
LESS_FORMS = _family("""reduce decrease lower cut halve shorten minimise minimize drop shrink slash trim diminish
lessen lose eliminate""".split())
"""Verbs of less: fewer work items (meetings, reports, tickets) is a result, more of them is work."""
_FAMILY_OF: dict[str, str] = {}
for _name, _forms_of in FAMILIES:
    for _form in _forms_of:
        _FAMILY_OF.setdefault(_form, _name)
ANY_VERB = {form for _, forms in FAMILIES for form in forms} | set(EXPERIENCE_FORMS)
PEOPLE_SET = frozenset(_PEOPLE)
_WORK_NOUN_SET = frozenset(_WORK_NOUNS)
RESULT_SET = frozenset(_RESULT_NOUNS)
NOUNS = PEOPLE_SET | _WORK_NOUN_SET | RESULT_SET
_CLASS_OF = {word: "result" for word in RESULT_SET} | {word: "work" for word in _WORK_NOUN_SET} \
    | {word: "people" for word in PEOPLE_SET}
"""People first, then work, then results, for the words in more than one family."""
QUALITY_SET = frozenset(_QUALITY)
PEOPLE_STATE_SET = frozenset(_PEOPLE_STATES)
DONE_STATE_SET = frozenset(_DONE_STATES)
CAPABILITY_SET = frozenset(_CAPABILITY)
USE_SET = frozenset(_USE)
IRREGULAR_PARTICIPLES = {form for forms in _IRREGULAR.values() for form in forms.split()}
KNOWN = NOUNS | ANY_VERB | QUALITY_SET | PEOPLE_STATE_SET | DONE_STATE_SET
"""Words a family already stands for: the model learns them through the family, never one by one."""


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
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


def family_of(word: str) -> str | None:
    """The family of a verb form ("launched": ``work``), or None."""
    return _FAMILY_OF.get(word)


def class_of(word: str) -> str | None:
    """What a noun names: ``people``, ``work`` or ``result``, or None."""
    return _CLASS_OF.get(word)
