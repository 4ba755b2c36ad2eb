"""What a rule is, what it finds, and the one registry that holds them all.

A rule is a small class: a ``code`` such as ``measurable.no-number``, the SMART
``criterion`` it speaks to (or ``structure`` for rules on a set), a default
``severity``, a ``scope`` (one key result or one objective with its key
results) and a ``check`` method yielding (message, suggestion) pairs written
from the user's own words. Its docstring's first line is its summary; the
lines ``Weak:`` and ``Better:`` give an example of each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from okr_workshop.exceptions import RuleConfigError, UnknownNameError
from okr_workshop.registry import Registry
from okr_workshop.smart.language.kinds import Kind
from okr_workshop.smart.language.parsing import Parsed

__all__ = [
    "CRITERIA", "SEVERITIES", "Finding", "KeyResultFacts", "ObjectiveFacts", "Rule", "RuleConfigError",
    "RuleRegistry", "load_config", "register", "registry",
]

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound", "structure")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule found, as the apps, the CLI and the reports show it."""

    rule: str
    criterion: str
    severity: str
    message: str
    suggestion: str

    def as_json(self) -> dict:
        """The contract's finding object."""
        return {"rule": self.rule, "criterion": self.criterion, "severity": self.severity,
                "message": self.message, "suggestion": self.suggestion}


@dataclass
class KeyResultFacts:
    """A key result with what the parser and classifier read from it."""

    id: str
    title: str
    parsed: Parsed
    kind: Kind
    confidence: float | None = None
    objective: ObjectiveFacts | None = None
    words: frozenset = frozenset()
    """The words that say what it measures (:func:`okr_workshop.smart.language.tokens.content_words`)."""

    @property
    def quoted(self) -> str:
        """The title in quotes, shortened for a message."""
        return _quote(self.title)


@dataclass
class ObjectiveFacts:
    """An objective, its key results and what the workbook says around it."""

    id: str
    title: str
    level: str | None = None
    quarter: str | None = None
    commitment: str | None = None
    parent: str | None = None
    parent_quarter: str | None = None
    parent_missing: bool = False
    owner_objectives: int = 1
    """How many objectives its owner (person, team or the company) has in the quarter, this one included."""
    owner_rank: int = 1
    """Its place among them, in workbook order."""
    owner_label: str = ""
    key_results: list[KeyResultFacts] = field(default_factory=list)
    quarter_span: tuple[dt.date, dt.date] | None = None

    @property
    def quoted(self) -> str:
        """The title in quotes, shortened for a message."""
        return _quote(self.title)


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


class Rule:
    """Base of every rule; subclasses set the class attributes and write ``check``."""

    code: ClassVar[str]
    criterion: ClassVar[str]
    severity: ClassVar[str] = "warning"
    scope: ClassVar[str] = "key_result"
    """``key_result`` (``check`` gets a KeyResultFacts) or ``objective`` (an ObjectiveFacts)."""

    def check(self, facts) -> Iterator[tuple[str, str]]:  # pragma: no cover - abstract
        """Yield (message, suggestion) for every problem found."""
        raise NotImplementedError

    @classmethod
    def summary(cls) -> str:
        """The docstring's first line."""
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def example(cls, label: str) -> str | None:
        """The docstring's ``Weak:`` or ``Better:`` example."""
        for line in (cls.__doc__ or "").splitlines():
            if line.strip().startswith(f"{label}:"):
                return line.split(":", 1)[1].strip()
        return None


class RuleRegistry(Registry[type[Rule]]):
    """Every rule, by code, in the order registered; a rule whose criterion, severity or code is amiss is refused."""

    def __init__(self) -> None:
        super().__init__("rule", key=lambda rule: rule.code)

    def _admit(self, name: str, item: type[Rule]) -> None:
        """Refuse a rule with no known criterion or severity, or whose code does not start with its criterion."""
        if item.criterion not in CRITERIA or item.severity not in SEVERITIES:
            raise ValueError(f"Rule {name!r}: criterion or severity is not one of {CRITERIA} / {SEVERITIES}")
        if not name.startswith((item.criterion + ".", item.criterion.replace("_", "-") + ".")):
            raise ValueError(f"Rule {name!r}: its code must start with its criterion {item.criterion!r}")
        super()._admit(name, item)


registry = RuleRegistry()
"""The one registry of SMART rules."""
register = registry.register


def load_config(path: str | Path | None) -> dict[str, str]:
    """A facilitator's rule settings: ``{code: severity or "off"}`` from a YAML file.

    The file holds a mapping ``rules:`` of rule codes to ``off``, ``info``,
    ``warning`` or ``error``. Unknown codes and values are refused, naming them.
    """
    if path is None:
        return {}
    import yaml  # noqa: PLC0415 - only a rules file needs YAML

    from okr_workshop.io.limits import safe_load_yaml  # noqa: PLC0415 - io brings pandas; the rules import light

    path = Path(path)
    try:
        doc = safe_load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}  # refuses alias bombs
    except (OSError, yaml.YAMLError) as error:
        raise RuleConfigError(f"{path}: cannot read the rule settings ({error})") from error
    rules = doc.get("rules", {}) if isinstance(doc, dict) else None
    if not isinstance(rules, dict):
        raise RuleConfigError(f"{path}: expected a mapping 'rules:' of rule codes to off, info, warning or error")
    settings = {}
    for code, value in rules.items():
        value = "off" if value is False else str(value).strip().lower()
        try:
            registry.get(code)  # refused naming the rules there are, and the nearest
        except UnknownNameError as error:
            raise RuleConfigError(f"{path}: {error}") from None
        if value not in (*SEVERITIES, "off"):
            raise RuleConfigError(f"{path}: rule {code!r} set to {value!r}; expected off, info, warning or error")
        settings[code] = value
    return settings
