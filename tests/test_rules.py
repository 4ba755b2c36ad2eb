"""The SMART rules: one runner over the YAML cases in ``tests/rules/<CODE>.yml``, the registry, rule settings.

Rule tests are data. Each file is named by a rule code and holds ``pass:`` and
``fail:`` lists of cases. A key-result case is a mapping with ``title`` and any
of ``start``, ``target``, ``unit``, ``due``, ``confidence``, ``quarter``,
``commitment``; an objective case describes an objective (``title``,
``level``, ``quarter``, ``commitment``, ``parent``, ``parent_quarter``,
``owner_objectives``, ``owner_rank``, ``owner_label`` and ``key_results`` as a
list of titles). A fail case may add ``message_contains`` (the message quotes
the user's own words) and ``suggestion_contains``. The runner builds the facts
with the public functions of :mod:`okr_workshop.smart.check` and asserts the rule
fires on every fail case and stays silent on every pass case.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from okr_workshop.exceptions import UnknownNameError
from okr_workshop.model import quarter_bounds
from okr_workshop.smart.check import Checker, check_key_result, key_result_facts
from okr_workshop.smart.rules import CRITERIA, SEVERITIES, ObjectiveFacts, Rule, RuleConfigError, load_config, registry
from okr_workshop.smart.rules.base import RuleRegistry

CASES_DIR = Path(__file__).parent / "rules"
MIN_CASES = 4

KEY_RESULT_FIELDS = {"title", "start", "target", "unit", "due", "confidence", "quarter", "commitment"}
OBJECTIVE_FIELDS = {"title", "level", "quarter", "commitment", "parent", "parent_quarter", "owner_objectives",
                    "owner_rank", "owner_label", "key_results"}
EXPECTATIONS = {"message_contains", "suggestion_contains"}

CHECKER = Checker()


def _load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path.name}: expected a mapping with pass: and fail:"
    assert set(doc) <= {"pass", "fail"}, f"{path.name}: unexpected keys {set(doc) - {'pass', 'fail'}}"
    return doc


def _cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        doc = _load(path)
        for outcome in ("pass", "fail"):
            for index, case in enumerate(doc.get(outcome) or []):
                params.append(pytest.param(path.stem, outcome, case, id=f"{path.stem}-{outcome}-{index}"))
    return params


def _findings(code: str, case: dict):
    """The findings of rule ``code`` on the key result or objective the case describes."""
    rule = registry.get(code)
    if rule.scope == "key_result":
        unknown = set(case) - KEY_RESULT_FIELDS - EXPECTATIONS
        assert not unknown, f"unknown fields in a key-result case: {unknown}"
        columns = {name: case[name] for name in ("start", "target", "unit", "due", "confidence") if name in case}
        checked = check_key_result(case["title"], quarter=case.get("quarter"), commitment=case.get("commitment"),
                                   checker=CHECKER, **columns)
        findings = checked.findings
    else:
        unknown = set(case) - OBJECTIVE_FIELDS - EXPECTATIONS
        assert not unknown, f"unknown fields in an objective case: {unknown}"
        quarter = case.get("quarter")
        objective = ObjectiveFacts(
            id="O1", title=case["title"], level=case.get("level"), quarter=quarter,
            commitment=case.get("commitment"), parent=case.get("parent"), parent_quarter=case.get("parent_quarter"),
            owner_objectives=case.get("owner_objectives", 1), owner_rank=case.get("owner_rank", 1),
            owner_label=case.get("owner_label", ""), quarter_span=quarter_bounds(quarter) if quarter else None,
        )
        for number, title in enumerate(case.get("key_results") or [], start=1):
            key_result_facts(title, objective, id=f"O1.{number}")
        findings = CHECKER.objective(objective).findings
    return rule, [f for f in findings if f.rule == code]


@pytest.mark.parametrize(("code", "outcome", "case"), _cases())
def test_rule_case(code: str, outcome: str, case: dict) -> None:
    assert isinstance(case, dict) and case.get("title") is not None, f"a case needs a title: {case!r}"
    rule, found = _findings(code, case)
    if outcome == "pass":
        assert not found, f"{code} fired on a pass case {case['title']!r}: {[f.message for f in found]}"
        return
    assert found, f"{code} did not fire on {case['title']!r}"
    for finding in found:
        assert finding.criterion == rule.criterion
        assert finding.severity == rule.severity
        assert finding.message.strip() and finding.suggestion.strip()
    messages = " ".join(f.message for f in found)
    suggestions = " ".join(f.suggestion for f in found)
    if "message_contains" in case:
        assert str(case["message_contains"]) in messages
    if "suggestion_contains" in case:
        assert str(case["suggestion_contains"]) in suggestions


# --------------------------------------------------------------------------- every rule has cases and docs


def test_every_registered_rule_has_enough_cases() -> None:
    files = {path.stem for path in CASES_DIR.glob("*.yml")}
    codes = {rule.code for rule in registry}
    assert files == codes, f"rules without cases: {codes - files}; case files without a rule: {files - codes}"
    for code in sorted(codes):
        doc = _load(CASES_DIR / f"{code}.yml")
        for outcome in ("pass", "fail"):
            count = len(doc.get(outcome) or [])
            assert count >= MIN_CASES, f"{code}.yml has {count} {outcome} cases; at least {MIN_CASES} expected"


def test_case_titles_are_not_the_docstring_examples() -> None:
    """Cases are written for the test, not copied from the rule's own Weak/Better lines."""
    for rule in registry:
        examples = {rule.example("Weak"), rule.example("Better")}
        doc = _load(CASES_DIR / f"{rule.code}.yml")
        titles = {case["title"] for outcome in ("pass", "fail") for case in doc.get(outcome) or []}
        assert not titles & examples, rule.code


@pytest.mark.parametrize("rule", list(registry), ids=lambda rule: rule.code)
def test_rule_docstring_shape(rule: type[Rule]) -> None:
    lines = [line.strip() for line in (rule.__doc__ or "").strip().splitlines()]
    assert lines and lines[0], f"{rule.code}: no summary line"
    assert len(lines) == 1 or lines[1] == "", f"{rule.code}: the summary must be one line, then a blank line"
    assert lines[0].endswith("."), f"{rule.code}: the summary is a sentence"
    assert rule.summary() == lines[0]
    for label in ("Weak", "Better"):
        assert sum(line.startswith(f"{label}:") for line in lines) == 1, f"{rule.code}: one {label}: line"
        assert rule.example(label), f"{rule.code}: the {label}: line is empty"
    assert rule.example("Weak") != rule.example("Better")


@pytest.mark.parametrize("rule", list(registry), ids=lambda rule: rule.code)
def test_rule_metadata(rule: type[Rule]) -> None:
    assert rule.criterion in CRITERIA
    assert rule.severity in SEVERITIES
    assert rule.scope in ("key_result", "objective")
    prefix, _, name = rule.code.partition(".")
    assert prefix in (rule.criterion, rule.criterion.replace("_", "-")), f"{rule.code}: not its criterion first"
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", name), f"{rule.code}: the name is lower-case words joined by '-'"
    assert registry.get(rule.code) is rule


def test_registry_codes_are_unique_and_cover_every_criterion() -> None:
    codes = [rule.code for rule in registry]
    assert len(codes) == len(set(codes)) == len(registry)
    assert {rule.criterion for rule in registry} == set(CRITERIA)


def test_registry_get_names_the_missing_rule() -> None:
    with pytest.raises(UnknownNameError, match=r"^unknown rule 'measurable\.no-such-rule': known rules are "
                                               + re.escape(", ".join(rule.code for rule in registry)) + "$"):
        registry.get("measurable.no-such-rule")


@pytest.mark.parametrize(("criterion", "severity", "code"), [
    ("clarity", "warning", "clarity.bad"),  # no such criterion
    ("specific", "fatal", "specific.bad"),  # no such severity
    ("specific", "warning", "measurable.bad"),  # code does not start with its criterion
])
def test_registering_a_malformed_rule_fails(criterion: str, severity: str, code: str) -> None:
    rule = type("Bad", (Rule,), {"code": code, "criterion": criterion, "severity": severity, "__doc__": "Bad."})
    with pytest.raises(ValueError, match=re.escape(code)):
        RuleRegistry().register(rule)


# --------------------------------------------------------------------------- a facilitator's settings


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("rules:\n  measurable.no-baseline: 'off'\n", {"measurable.no-baseline": "off"}),
    ("rules:\n  measurable.no-baseline: off\n", {"measurable.no-baseline": "off"}),  # YAML reads off as false
    ("rules:\n  specific.vague-words: ERROR\n", {"specific.vague-words": "error"}),
    ("rules:\n  measurable.no-number: warning\n  relevant.orphan: info\n",
     {"measurable.no-number": "warning", "relevant.orphan": "info"}),
    ("rules: {}\n", {}),
    ("", {}),
])
def test_load_config(tmp_path: Path, text: str, expected: dict) -> None:
    assert load_config(_config(tmp_path, text)) == expected


def test_load_config_without_a_file() -> None:
    assert load_config(None) == {}


@pytest.mark.parametrize(("text", "named"), [
    ("rules:\n  measurable.no-numbers: off\n", "measurable.no-numbers"),  # unknown code
    ("rules:\n  specific.vague-words: critical\n", "critical"),  # unknown severity
    ("rules:\n  specific.vague-words: yes\n", "true"),  # YAML true is no severity
    ("rules:\n  - measurable.no-number\n", "rules:"),  # a list, not a mapping
    ("- rules\n", "rules:"),
    ("rules: [unclosed\n", "cannot read"),
])
def test_load_config_refuses_bad_settings(tmp_path: Path, text: str, named: str) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(RuleConfigError) as error:
        load_config(path)
    assert named in str(error.value)
    assert str(path) in str(error.value)


def test_load_config_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleConfigError, match="cannot read"):
        load_config(tmp_path / "nowhere.yaml")


def test_checker_switches_a_rule_off() -> None:
    title = "Improve the onboarding experience for new nurses"
    assert "measurable.no-number" in {f.rule for f in check_key_result(title, quarter="2026-Q3").findings}
    checked = check_key_result(title, quarter="2026-Q3", checker=Checker({"measurable.no-number": "off"}))
    assert "measurable.no-number" not in {f.rule for f in checked.findings}
    assert "specific.vague-words" in {f.rule for f in checked.findings}  # the others still run
    assert checked.smart["measurable"] is True


def test_checker_relevels_a_rule_and_smart_follows() -> None:
    title = "Improve the onboarding experience for new nurses"
    checked = check_key_result(title, quarter="2026-Q3", checker=Checker({"measurable.no-number": "info",
                                                                          "specific.vague-words": "error"}))
    severities = {f.rule: f.severity for f in checked.findings}
    assert severities["measurable.no-number"] == "info"
    assert severities["specific.vague-words"] == "error"
    assert checked.smart["measurable"] is True  # an info finding does not fail the criterion
    assert checked.smart["specific"] is False


def test_checker_relevels_an_objective_rule() -> None:
    objective = ObjectiveFacts(id="T1", title="Answer riders quickly", level="team", quarter="2026-Q4")
    key_result_facts("Cut median first-response time from 9 h to 2 h", objective, id="T1.1")
    default = {f.rule: f.severity for f in Checker().objective(objective).findings}
    assert default == {"relevant.orphan": "warning", "structure.too-few-key-results": "warning"}
    relevelled = Checker({"relevant.orphan": "error", "structure.too-few-key-results": "off"}).objective(objective)
    assert {f.rule: f.severity for f in relevelled.findings} == {"relevant.orphan": "error"}


def test_checker_with_every_rule_off_finds_nothing() -> None:
    checker = Checker({rule.code: "off" for rule in registry})
    checked = check_key_result("Improve things", checker=checker)
    assert checked.findings == []
    assert all(checked.smart.values())
