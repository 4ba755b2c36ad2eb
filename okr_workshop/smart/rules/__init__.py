"""The SMART rules: one registry, rules on key results and rules on objectives.

Importing this package registers every built-in rule in :data:`registry`.
"""

from okr_workshop.smart.rules import key_results, objectives  # noqa: F401  (registers the rules)
from okr_workshop.smart.rules.base import (
    CRITERIA,
    SEVERITIES,
    Finding,
    KeyResultFacts,
    ObjectiveFacts,
    Rule,
    RuleConfigError,
    load_config,
    registry,
)

__all__ = [
    "CRITERIA", "SEVERITIES", "Finding", "KeyResultFacts", "ObjectiveFacts", "Rule", "RuleConfigError",
    "load_config", "registry",
]
