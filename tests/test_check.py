"""The SMART check: one key result, a whole workbook, and the ``check`` command in text, JSON and HTML.

The example workbook ``templates/examples/brightwell`` has eleven flaws planted
on purpose (its README's answer key); the check must find each one under the
right rule. ``check --format json`` must validate against
``tests/data/check_schema.json``, which encodes section 4 of the contract.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from okr_workshop.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main
from okr_workshop.io import read_workbook
from okr_workshop.smart.check import SMART, Checker, check_key_result, check_workbook
from okr_workshop.smart.render import render_html, render_text
from okr_workshop.smart.rules import RuleConfigError, registry
from okr_workshop.store.database import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
BRIGHTWELL = ROOT / "templates" / "examples" / "brightwell"
SCHEMA = json.loads((Path(__file__).parent / "data" / "check_schema.json").read_text(encoding="utf-8"))
FAILING = ("error", "warning")

KEY_RESULTS_CSV = (  # the small valid workbook's key results (tests/conftest.py), with a title to replace
    "id,objective,title,start,target,current,unit,due,owner,weight,confidence\n"
    "C1.1,C1,Raise NPS from 40 to 50,40,50,44,NPS,2026-09-30,ana@example.org,2,0.6\n"
    "T1.1,T1,Cut first-response time from 24h to 12h,24,12,,h,,ana@example.org,,\n"
    "I1.1,I1,{title},0,3,,clinics,,ben@example.org,,\n"
)


@pytest.fixture(scope="module")
def brightwell():
    """The check of the example workbook, with its objectives and key results by id."""
    report = check_workbook(read_workbook(BRIGHTWELL))
    objectives = {o.facts.id: o for o in report.objectives}
    key_results = {kr.facts.id: kr for o in report.objectives for kr in o.key_results}
    return report, objectives, key_results


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run the command in-process; the store defaults to a file in tmp_path, never the working folder."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: object, catch: bool = False):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=catch)

    return run


def validate(document: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)


# --------------------------------------------------------------------------- one key result


@pytest.mark.parametrize(("title", "options", "rules", "failed", "kind"), [
    ("Improve onboarding", {"quarter": "2026-Q4"},
     {"measurable.no-number", "specific.vague-words"}, {"measurable", "specific"}, "outcome"),
    ("Raise NPS from 40 to 50 by 30 September", {"quarter": "2026-Q3"}, set(), set(), "outcome"),
    ("Publish 4 posts on the engineering blog", {"quarter": "2026-Q3"},
     {"relevant.output-not-outcome"}, {"relevant"}, "output"),  # counted work is still measurable
    ("Reach 2,000 weekly active readers", {"quarter": "2026-Q3"},
     {"measurable.no-baseline"}, set(), "outcome"),  # a missing baseline is only info
    ("Cut churn from 4.8% to 3.5%", {}, {"time_bound.no-date"}, {"time_bound"}, "outcome"),
    ("Cut churn from 4.8% to 3.5% by the end of Q2", {}, set(), set(), "outcome"),
    ("Ship offline mode before the 1.0 release", {},
     {"measurable.no-number", "relevant.output-not-outcome"}, {"measurable", "relevant"}, "output"),
    ("Grow paying members from 300 to 420", {"quarter": "2026-Q4", "due": dt.date(2027, 1, 15)},
     {"time_bound.due-outside-quarter"}, {"time_bound"}, "outcome"),
    ("Grow the mechanic team from 14 to 18 people", {"quarter": "2026-Q4", "commitment": "committed",
                                                     "confidence": 0.2},
     {"achievable.committed-low-confidence"}, {"achievable"}, "outcome"),
    ("Patient NPS (currently 38)", {"quarter": "2026-Q4"}, {"measurable.no-target"}, {"measurable"}, "outcome"),
    ("Better support quality", {"quarter": "2026-Q4", "start": 7, "target": 8, "unit": "points"},
     {"specific.vague-words"}, {"specific"}, "outcome"),
])
def test_check_key_result(title: str, options: dict, rules: set, failed: set, kind: str) -> None:
    checked = check_key_result(title, **options)
    assert {f.rule for f in checked.findings} == rules
    assert {c for c, ok in checked.smart.items() if not ok} == failed
    assert checked.facts.kind.kind == kind
    document = checked.as_json()
    assert document["title"] == title and document["kind"] == kind


def test_check_key_result_reports_what_it_parsed() -> None:
    checked = check_key_result("Raise NPS from 40 to 50 by 30 September", quarter="2026-Q3")
    assert checked.as_json()["parsed"] == {"start": 40, "target": 50, "unit": "NPS", "due": "2026-09-30"}
    columns = check_key_result("Improve onboarding", quarter="2026-Q3", start=3.9, target=4.5, unit="score")
    assert columns.as_json()["parsed"] == {"start": 3.9, "target": 4.5, "unit": "score", "due": None}
    assert columns.smart["measurable"] is True


def test_messages_quote_the_users_words() -> None:
    checked = check_key_result("Make the permit office friendlier", quarter="2026-Q4")
    for finding in checked.findings:
        assert "Make the permit office friendlier" in finding.message + finding.suggestion


def test_a_long_title_is_shortened_in_messages() -> None:
    title = "Raise " + "very " * 40 + "happy customers"
    message = check_key_result(title, quarter="2026-Q4").findings[0].message
    assert "…" in message and len(message) < len(title) + 100


# --------------------------------------------------------------------------- the example workbook

PLANTED = [
    ("SALES-2", "specific.objective-has-number", "warning"),
    ("FLEET-1.3", "relevant.kpi-kept-steady", "warning"),
    ("SUPPORT-1.3", "specific.vague-words", "warning"),
    ("PRODUCT-2", "structure.too-many-key-results", "warning"),
    ("PRODUCT-2.3", "measurable.no-number", "error"),
    ("PEOPLE-1.2", "achievable.committed-low-confidence", "warning"),
    ("I-lars-1.1", "time_bound.due-outside-quarter", "warning"),
    ("I-ines-1.2", "measurable.no-baseline", "info"),
    ("I-kenji-1", "relevant.orphan", "warning"),
    ("I-nadia-1.1", "relevant.output-not-outcome", "warning"),
    ("I-felix-1.1", "achievable.implausible-stretch", "warning"),
]


@pytest.mark.parametrize(("item", "code", "severity"), PLANTED, ids=[f"{i}-{c}" for i, c, _ in PLANTED])
def test_the_planted_flaws_are_found(brightwell, item: str, code: str, severity: str) -> None:
    _, objectives, key_results = brightwell
    checked = objectives.get(item) or key_results[item]
    found = {f.rule: f for f in checked.findings}  # an objective's own findings, not its key results'
    assert code in found, f"{item}: {code} not among {sorted(found)}"
    assert found[code].severity == severity
    assert item in objectives or checked.facts.title.strip() in found[code].message


def test_the_planted_objective_flaws_are_objective_findings(brightwell) -> None:
    _, objectives, _ = brightwell
    assert {f.rule for f in objectives["SALES-2"].findings} == {"specific.objective-has-number"}
    assert {f.rule for f in objectives["I-kenji-1"].findings} == {"relevant.orphan"}
    assert len(objectives["PRODUCT-2"].key_results) == 6


def test_the_baseline_flaw_is_info_and_keeps_the_key_result_measurable(brightwell) -> None:
    _, _, key_results = brightwell
    assert key_results["I-ines-1.2"].smart["measurable"] is True
    assert key_results["PRODUCT-2.3"].smart["measurable"] is False


@pytest.mark.parametrize("item", ["C1.1", "C1.2", "C2.3", "SALES-1.3", "SUPPORT-1.1", "FLEET-2.2", "I-jonas-1.1",
                                  "I-rosa-1.1", "I-daniel-1.2", "MARKETING-2.2"])
def test_sound_key_results_have_no_findings(brightwell, item: str) -> None:
    _, _, key_results = brightwell
    assert key_results[item].findings == [], [f.message for f in key_results[item].findings]
    assert all(key_results[item].smart.values())


def test_smart_flags_follow_the_contract_for_every_key_result(brightwell) -> None:
    report, _, _ = brightwell
    for objective in report.objectives:
        for kr in objective.key_results:
            for criterion in SMART:
                named = any(f.criterion == criterion and f.severity in FAILING for f in kr.findings)
                assert kr.smart[criterion] is (not named), (kr.facts.id, criterion)
            assert kr.as_json()["smart"] == kr.smart


@pytest.mark.parametrize("level", ["info", "error"])
def test_smart_flags_follow_relevelled_rules(level: str) -> None:
    checker = Checker({rule.code: level for rule in registry})
    report = check_workbook(read_workbook(BRIGHTWELL), checker)
    for objective in report.objectives:
        for kr in objective.key_results:
            criteria = {f.criterion for f in kr.findings}
            assert kr.smart == {c: level == "info" or c not in criteria for c in SMART}
    assert (report.summary["errors"] > 0) is (level == "error")
    assert report.summary["warnings"] == 0


def test_the_summary_counts_the_findings(brightwell) -> None:
    report, objectives, key_results = brightwell
    summary = report.summary
    assert summary["objectives"] == len(objectives) == 31
    assert summary["key_results"] == len(key_results) == 82
    every = [f for o in report.objectives for f in o.all_findings()]
    assert summary["errors"] == sum(f.severity == "error" for f in every)
    assert summary["warnings"] == sum(f.severity == "warning" for f in every)


def test_one_key_result_checks_as_in_the_workbook(brightwell) -> None:
    """The live check of one key result (the apps) finds what the workbook check finds for it."""
    _, objectives, key_results = brightwell
    rows = read_workbook(BRIGHTWELL)["key_results"]
    for row in rows.astype(object).where(rows.notna(), None).to_dict("records"):
        objective = objectives[row["objective"]].facts
        due = row["due"].date() if row["due"] is not None else None
        alone = check_key_result(row["title"], quarter=objective.quarter, commitment=objective.commitment,
                                 start=row["start"], target=row["target"], unit=row["unit"], due=due,
                                 confidence=row["confidence"])
        assert alone.findings == key_results[row["id"]].findings, row["id"]


# --------------------------------------------------------------------------- the command


def test_json_output_validates_against_the_contract(cli) -> None:
    result = cli("check", BRIGHTWELL, "--format", "json")
    assert result.exit_code == EXIT_FINDINGS, result.output
    document = json.loads(result.output)
    validate(document)
    assert document["summary"]["errors"] >= 1
    ids = [kr["id"] for o in document["objectives"] for kr in o["key_results"]]
    assert len(ids) == document["summary"]["key_results"] == 82
    sales2 = next(o for o in document["objectives"] if o["id"] == "SALES-2")
    assert [f["rule"] for f in sales2["findings"]] == ["specific.objective-has-number"]


def test_json_output_of_a_small_workbook(cli, valid_dir) -> None:
    result = cli("check", valid_dir, "--format", "json")
    assert result.exit_code == EXIT_OK, result.output
    document = json.loads(result.output)
    validate(document)
    assert document["summary"] == {"objectives": 3, "key_results": 3, "errors": 0, "warnings": 4}
    first = document["objectives"][0]["key_results"][0]
    assert first["parsed"] == {"start": 40, "target": 50, "unit": "NPS", "due": "2026-09-30"}


@pytest.mark.parametrize("change", [
    lambda d: d["summary"].pop("warnings"),
    lambda d: d["objectives"][0]["key_results"][0].update(kind="activity"),
    lambda d: d["objectives"][0]["key_results"][0]["smart"].pop("time_bound"),
    lambda d: d["objectives"][0]["key_results"][0]["smart"].update(measurable="yes"),
    lambda d: d["objectives"][0]["key_results"][0]["parsed"].update(due="30 September"),
    lambda d: d["objectives"][0]["key_results"][0]["parsed"].update(start="40"),
    lambda d: d["objectives"][0]["findings"].append(
        {"rule": "x.y", "criterion": "clarity", "severity": "warning", "message": "m", "suggestion": "s"}),
    lambda d: d["objectives"][0]["findings"].append(
        {"rule": "specific.y", "criterion": "specific", "severity": "fatal", "message": "m", "suggestion": "s"}),
    lambda d: d["objectives"][0]["findings"].append({"rule": "specific.y", "criterion": "specific"}),
    lambda d: d["objectives"][0].update(extra=1),
], ids=["summary-key", "kind", "smart-key", "smart-type", "due-format", "start-type", "criterion", "severity",
        "finding-keys", "extra-key"])
def test_the_schema_refuses_what_the_contract_does_not_allow(brightwell, change) -> None:
    document = copy.deepcopy(brightwell[0].as_json())
    validate(document)
    change(document)
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_exit_status_0_without_error_findings(cli, valid_dir) -> None:
    result = cli("check", valid_dir)
    assert result.exit_code == EXIT_OK, result.output
    assert "0 errors" in result.output


def test_exit_status_1_with_an_error_finding(cli) -> None:
    result = cli("check", BRIGHTWELL)
    assert result.exit_code == EXIT_FINDINGS
    assert "measurable.no-number" in result.output


def test_exit_status_follows_the_facilitators_settings(cli, tmp_path) -> None:
    config = tmp_path / "rules.yaml"
    config.write_text("rules:\n  measurable.no-number: warning\n", encoding="utf-8")
    result = cli("check", BRIGHTWELL, "--config", config, "--format", "json")
    assert result.exit_code == EXIT_OK
    document = json.loads(result.output)
    assert document["summary"]["errors"] == 0
    product = next(kr for o in document["objectives"] for kr in o["key_results"] if kr["id"] == "PRODUCT-2.3")
    assert {f["rule"]: f["severity"] for f in product["findings"]}["measurable.no-number"] == "warning"
    assert product["smart"]["measurable"] is False


def test_a_bad_rule_setting_is_refused(cli, tmp_path) -> None:
    config = tmp_path / "rules.yaml"
    config.write_text("rules:\n  measurable.no-such-rule: off\n", encoding="utf-8")
    result = cli("check", BRIGHTWELL, "--config", config, catch=True)
    assert isinstance(result.exception, RuleConfigError)
    assert "measurable.no-such-rule" in str(result.exception)


def test_exit_status_2_for_an_unreadable_workbook(cli, make_workbook) -> None:
    broken = make_workbook(key_results=KEY_RESULTS_CSV.format(title="Run three support clinics").replace(
        "Raise NPS from 40 to 50,40,", "Raise NPS,forty,"))
    result = cli("check", broken)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "key_results.csv" in result.output and "row 2" in result.output and "start" in result.output


def test_exit_status_2_for_a_missing_workbook(cli, tmp_path) -> None:
    result = cli("check", tmp_path / "no-such-folder")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "no-such-folder" in result.output


def test_check_reads_the_store_when_no_workbook_is_given(cli, seeded_store) -> None:
    result = cli("check", "--db", seeded_store)
    assert result.exit_code == EXIT_OK, result.output
    assert "C1.1" in result.output and "T1.1" in result.output


def test_text_output_is_grouped_by_objective_and_plain_off_a_terminal(cli) -> None:
    result = cli("check", BRIGHTWELL)
    text = result.output
    assert "\x1b[" not in text
    position = {item: text.index(f"{item} ") for item in ("SALES-2", "SALES-2.1", "FLEET-1", "FLEET-1.3")}
    assert position["SALES-2"] < position["SALES-2.1"] < position["FLEET-1"] < position["FLEET-1.3"]
    assert "31 objectives, 82 key results" in text


def test_text_output_in_colour(brightwell) -> None:
    report, _, _ = brightwell
    assert "\x1b[" in render_text(report, colour=True)
    assert "\x1b[" not in render_text(report, colour=False)


def test_html_output_is_escaped_and_standalone(cli, make_workbook, tmp_path) -> None:
    attack = "<script>alert(1)</script>"
    objectives = (
        "id,title,level,quarter,team,owner,parent,visibility,commitment,description,participants\n"
        '"C1","""Delight"" our <b>customers</b> & partners",company,2026-Q3,,,,everyone,committed,,\n'
        "T1,Answer customers faster,team,2026-Q3,cx,ana@example.org,C1,team,,,\n"
        "I1,Grow as a support lead,individual,2026-Q3,,ben@example.org,T1,participants,,,ana@example.org\n"
    )
    book = make_workbook(key_results=KEY_RESULTS_CSV.format(title=attack), objectives=objectives)
    out = tmp_path / "check.html"
    result = cli("check", book, "--format", "html", "--out", out)
    assert result.exit_code == EXIT_OK, result.output
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert attack not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>customers</b>" not in page and "&lt;b&gt;customers&lt;/b&gt;" in page
    assert "<script" not in page.lower()
    links = re.findall(r"""(?:src|href|action)\s*=\s*["']?([^"'\s>]+)""", page, re.I)
    assert not [link for link in links if re.match(r"(?:[a-z][a-z0-9+.-]*:)?//", link, re.I)], links
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)
    for item in ("C1.1", "T1.1", "I1.1"):
        assert item in page


def test_html_output_of_the_example_shows_every_key_result(brightwell) -> None:
    report, _, key_results = brightwell
    page = render_html(report)
    for item in key_results:
        assert f">{item}<" in page
    assert page.count('class="f error"') == report.summary["errors"]
    assert page.count('class="f warning"') == report.summary["warnings"]


def test_list_rules_lists_every_code(cli) -> None:
    result = cli("check", "--list-rules")
    assert result.exit_code == EXIT_OK
    for rule in registry:
        line = next(line for line in result.output.splitlines() if line.startswith(rule.code + " "))
        assert rule.criterion in line and rule.severity in line and rule.summary() in line
        assert rule.example("Weak") in result.output and rule.example("Better") in result.output


def test_list_rules_shows_the_facilitators_levels(cli, tmp_path) -> None:
    config = tmp_path / "rules.yaml"
    config.write_text("rules:\n  measurable.no-baseline: error\n  relevant.orphan: 'off'\n", encoding="utf-8")
    result = cli("check", "--list-rules", "--config", config)
    lines = {line.split()[0]: line.split()[2] for line in result.output.splitlines() if not line.startswith(" ")}
    assert lines["measurable.no-baseline"] == "error"
    assert lines["relevant.orphan"] == "off"
    assert lines["measurable.no-number"] == "error"
