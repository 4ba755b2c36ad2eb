"""The SMART check: run the rules on one key result, one objective or a whole workbook.

The same :class:`~okr_workshop.smart.rules.Finding` objects feed the apps (live
feedback while typing), the ``check`` command and the reports.

>>> result = check_key_result("Improve onboarding", quarter="2026-Q4")
>>> [f.rule for f in result.findings]
['measurable.no-number', 'specific.vague-words']
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from okr_workshop.model import quarter_bounds
from okr_workshop.smart.language.kinds import classify
from okr_workshop.smart.language.parsing import parse_title
from okr_workshop.smart.language.tokens import content_words
from okr_workshop.smart.rules import CRITERIA, Finding, KeyResultFacts, ObjectiveFacts, Rule, registry
from okr_workshop.workbook import Workbook

__all__ = ["Checker", "KeyResultCheck", "ObjectiveCheck", "WorkbookCheck", "check_key_result", "check_workbook"]

SMART = tuple(c for c in CRITERIA if c != "structure")


@dataclass
class KeyResultCheck:
    """A checked key result: what was read, its kind, its findings and SMART verdicts."""

    facts: KeyResultFacts
    findings: list[Finding]

    @property
    def smart(self) -> dict[str, bool]:
        """Per criterion: false exactly when an error or warning finding names it."""
        failed = {f.criterion for f in self.findings if f.severity in ("error", "warning")}
        return {criterion: criterion not in failed for criterion in SMART}

    def as_json(self) -> dict:
        """The contract's key result object."""
        return {
            "id": self.facts.id, "title": self.facts.title, "smart": self.smart, "kind": self.facts.kind.kind,
            "parsed": self.facts.parsed.as_json(), "findings": [f.as_json() for f in self.findings],
        }


@dataclass
class ObjectiveCheck:
    """A checked objective: its own findings and its key results'."""

    facts: ObjectiveFacts
    findings: list[Finding]
    key_results: list[KeyResultCheck]

    def as_json(self) -> dict:
        """The contract's objective object."""
        return {"id": self.facts.id, "title": self.facts.title, "findings": [f.as_json() for f in self.findings],
                "key_results": [kr.as_json() for kr in self.key_results]}

    def all_findings(self) -> list[Finding]:
        """The objective's findings and those of its key results."""
        return self.findings + [f for kr in self.key_results for f in kr.findings]


@dataclass
class WorkbookCheck:
    """The check of every objective in a workbook."""

    objectives: list[ObjectiveCheck] = field(default_factory=list)

    def counts(self) -> Counter:
        """Findings per severity."""
        return Counter(f.severity for o in self.objectives for f in o.all_findings())

    @property
    def summary(self) -> dict[str, int]:
        """The contract's summary object."""
        counts = self.counts()
        return {"objectives": len(self.objectives), "key_results": sum(len(o.key_results) for o in self.objectives),
                "errors": counts["error"], "warnings": counts["warning"]}

    def as_json(self) -> dict:
        """The whole document of contract section 4."""
        return {"summary": self.summary, "objectives": [o.as_json() for o in self.objectives]}


class Checker:
    """Runs the registered rules, as a facilitator's settings switch them off or re-level them."""

    def __init__(self, settings: Mapping[str, str] | None = None):
        settings = dict(settings or {})
        self._rules: dict[str, list[tuple[Rule, str]]] = {"key_result": [], "objective": []}
        for rule in registry:
            severity = settings.get(rule.code, rule.severity)
            if severity != "off":
                self._rules[rule.scope].append((rule(), severity))

    def _run(self, scope: str, facts) -> list[Finding]:
        findings = []
        for rule, severity in self._rules[scope]:
            for message, suggestion in rule.check(facts):
                findings.append(Finding(rule.code, rule.criterion, severity, message, suggestion))
        return findings

    def key_result(self, facts: KeyResultFacts) -> KeyResultCheck:
        """Check one key result (its objective, if any, gives quarter and commitment)."""
        return KeyResultCheck(facts, self._run("key_result", facts))

    def objective(self, facts: ObjectiveFacts) -> ObjectiveCheck:
        """Check an objective and each of its key results."""
        return ObjectiveCheck(facts, self._run("objective", facts), [self.key_result(kr) for kr in facts.key_results])


def key_result_facts(
    title: str, objective: ObjectiveFacts | None = None, *, id: str = "", start: float | None = None,
    target: float | None = None, unit: str | None = None, due: dt.date | None = None,
    confidence: float | None = None, attach: bool = True,
) -> KeyResultFacts:
    """Parse and classify one key result; given columns win over what the title says.

    With an ``objective``, the key result is added to its list unless ``attach`` is false.
    """
    quarter = objective.quarter if objective else None
    parsed = parse_title(title, quarter, start=start, target=target, unit=unit, due=due)
    facts = KeyResultFacts(id=id, title=title, parsed=parsed, kind=classify(title), confidence=confidence,
                           objective=objective, words=content_words(title))
    if objective is not None and attach:
        objective.key_results.append(facts)
    return facts


def check_key_result(
    title: str, *, quarter: str | None = None, commitment: str | None = None, checker: Checker | None = None,
    **columns,
) -> KeyResultCheck:
    """Check one key result as someone types it (the live feedback of the apps)."""
    objective = ObjectiveFacts(id="", title="", quarter=quarter, commitment=commitment,
                               quarter_span=_span(quarter))
    return (checker or Checker()).key_result(key_result_facts(title, objective, **columns))


def _span(quarter: str | None) -> tuple[dt.date, dt.date] | None:
    return quarter_bounds(quarter) if quarter else None


def _value(value):
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return value


def check_workbook(workbook: Workbook, checker: Checker | None = None) -> WorkbookCheck:
    """Check every objective of a workbook with its key results, in workbook order."""
    with _collector_paused():
        return _check_workbook(workbook, checker)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a workbook is checked.

    The check makes a few small objects per title and no cycles that need
    collecting before it ends; with a large workbook loaded, each pass of the
    collector walks every object of it, and those passes cost a third of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_workbook(workbook: Workbook, checker: Checker | None) -> WorkbookCheck:
    checker = checker or Checker()
    objectives = workbook["objectives"]
    quarter_of = dict(zip(objectives["id"], objectives["quarter"], strict=True))
    owners = [_owner_key(row) for row in objectives[["level", "team", "owner", "quarter"]].itertuples(index=False)]
    totals = Counter(owners)
    seen: Counter = Counter()
    facts_by_id: dict[str, ObjectiveFacts] = {}
    ordered = []
    for row, owner in zip(objectives.itertuples(index=False), owners, strict=True):
        seen[owner] += 1
        parent = _value(row.parent)
        facts = ObjectiveFacts(
            id=row.id, title=row.title, level=row.level, quarter=_value(row.quarter),
            commitment=_value(row.commitment), parent=parent, parent_quarter=_value(quarter_of.get(parent)),
            owner_objectives=totals[owner], owner_rank=seen[owner], owner_label=owner[1],
            quarter_span=_span(_value(row.quarter)),
        )
        facts_by_id[row.id] = facts
        ordered.append(facts)
    krs = workbook["key_results"]
    columns = ["id", "objective", "title", "start", "target", "unit", "due", "confidence"]
    rows = [_Row(*values) for values in zip(*(krs[c].tolist() for c in columns), strict=True)] if len(krs) else []
    # Key results that share a title are read one after another, so the cached reading of each title is
    # made once however the workbook orders them; they join their objectives in workbook order.
    read: list[KeyResultFacts | None] = [None] * len(rows)
    for i in sorted(range(len(rows)), key=lambda k: (rows[k].title, rows[k].objective)):
        kr = rows[i]
        due = _value(kr.due)
        read[i] = key_result_facts(kr.title, facts_by_id.get(kr.objective), id=kr.id, start=_value(kr.start),
                                   target=_value(kr.target), unit=_value(kr.unit),
                                   due=due.date() if due is not None else None,
                                   confidence=_value(kr.confidence), attach=False)
    for facts in read:
        if facts.objective is not None:
            facts.objective.key_results.append(facts)
    return WorkbookCheck([checker.objective(facts) for facts in ordered])


class _Row(NamedTuple):
    id: str
    objective: str
    title: str
    start: float
    target: float
    unit: str
    due: object
    confidence: float


def _owner_key(row) -> tuple[str, str]:
    level, team, owner, quarter = (_value(v) for v in row)
    if level == "individual" and owner:
        return (f"person:{owner}:{quarter}", owner)
    if level == "team" and team:
        return (f"team:{team}:{quarter}", f"The team {team}")
    return (f"company:{quarter}", "The company")
