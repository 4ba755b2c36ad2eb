"""Outcome or output: the classifier on key results from many domains and writing styles.

An outcome measures a change in a result (customers, revenue, quality, time,
adoption, people reached); an output does or counts work the team does. The
tables below are not in the model's training data: they are judged as a new
organisation's key results would be. ``tests/data/kinds_rubric.yaml`` is (the
model learns from it, beside the real key results), so its items check that
the shipped model still agrees with the rubric's readings. How right the model
is on real writing is ``tests/test_real_okrs.py``'s job.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import yaml

from okr_workshop.smart.check import check_key_result
from okr_workshop.smart.language.kinds import MODEL, Kind, KindModel, KindModelError, classify, features, load_model

RUBRIC = Path(__file__).parent / "data" / "kinds_rubric.yaml"

OUTPUTS = [
    # counted work (the issue's own examples)
    "Speak at 3 conferences",
    "Run 4 pricing reviews with sales",
    "Ship 10 updates to the handbook",
    "Visit 12 partner cafés",
    "Hold 6 customer interviews per month in each region",
    # marketing and content
    "Publish 6 case studies on the website",
    "Record 8 podcast episodes with customers",
    "Send the monthly newsletter to all donors",
    "Increase the number of blog posts to 12",
    # sales and customer success
    "Hold 4 customer advisory board meetings",
    "Run 10 interviews with churned customers",
    "Support the sales team at 5 trade fairs",
    # engineering and product
    "Launch the self-service returns portal",
    "Migrate the billing service to Kubernetes",
    "Build a pricing calculator for partners",
    "Write the incident response playbook",
    # people and HR
    "Hire 3 senior data engineers",
    "Deliver 2 training sessions per region",
    "Draft the new parental leave policy",
    # operations, finance, public sector, non-profit
    "Complete the SOC 2 audit",
    "Help the finance team close the books",
    "Analyse last year's churn reasons",
    "Organise a community meetup in Lisbon",
    "Translate the volunteer handbook into Spanish",
    "Process 300 invoices",
    "Buy 12 new buses for the northern routes",
    "Reorganise the warehouse layout",
    "80% of the planned workshops delivered",
    "Deliver 80% of roadmap items",
    "Answer 200 tickets a week",
    # work reported done or in place, and personal habits
    "The onboarding checklist is published on the intranet",
    "Contract templates exist for all three markets",
    "Work out three times a week",
]

OUTCOMES = [
    # sales and revenue
    "Raise trial-to-paid conversion from 18% to 25%",
    "Grow monthly recurring revenue to EUR 90k",
    "Sign 12 new enterprise customers",
    "Increase repeat purchase rate from 22% to 30%",
    # support and service levels
    "Respond to 90% of citizen enquiries within 2 working days",
    "Resolve 85% of tickets on first contact",
    "Resolve customer complaints within 2 days",
    "Process 95% of permit applications within 10 days",
    "Deliver 90% of orders on time",
    "Raise first-call resolution to 75%",
    "Review every open pull request within a day",
    # engineering and reliability
    "Cut median time to resolve incidents from 6 h to 2 h",
    "Keep p99 latency under 300 ms",
    "Halve the number of failed deployments",
    "Reduce escaped defects to fewer than 5 per release",
    "Eliminate all critical security findings",
    # people
    "Reduce voluntary attrition from 14% to 9%",
    "Reduce meetings per engineer from 12 to 6 a week",
    # health, public sector, non-profit, open source
    "Lift patient satisfaction scores to 4.6 out of 5",
    "Cut average waiting time at the clinic from 45 to 20 minutes",
    "Get 500 residents to use the online permit form",
    "Win back 30 lapsed donors",
    "Increase volunteer retention after 6 months from 40% to 60%",
    "Double weekly active contributors to the open-source SDK",
    "Grow GitHub stars from 1,200 to 3,000",
    # fewer work items, or the work tied to its effect, its audience or its quality
    "Cut weather-related breakdown reports from 64 to 30 a month",
    "Cut the cost of printing reports by 40%",
    "New pricing page lifts conversion from 2% to 3%",
    "Referral programme brings 200 new members",
    "Launch the referral page so that referral sign-ups reach 150 a month",
    "Get 4 of my how-to videos watched to the end by 60% of viewers",
    "Hold 3 open days with 250 visiting families",
    # a metric named by a noun pair, and the share of people in a state
    "Customer churn below 2% a month",
    "Support tickets per week from 120 to 90",
    "Support calls down from 900 to 600 a month",
    "80% of new hires productive within 30 days",
    "75% of members renew after their first year",
    # people reached, trained or taking part
    "35 shift leads trained in the new safety drill",
    "400 residents attend the summer festival",
]


@pytest.mark.parametrize("title", OUTPUTS)
def test_outputs(title: str) -> None:
    kind = classify(title)
    assert kind.kind == "output", f"{title!r}: {kind.reason}"


@pytest.mark.parametrize("title", OUTCOMES)
def test_outcomes(title: str) -> None:
    kind = classify(title)
    assert kind.kind == "outcome", f"{title!r}: {kind.reason}"


def test_the_tables_are_large_have_no_repeats_and_are_not_training_data() -> None:
    titles = [t.lower() for t in OUTPUTS + OUTCOMES]
    assert len(titles) >= 60
    assert len(set(titles)) == len(titles)
    trained = {item["title"].lower() for item in yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))}
    labelled = Path(__file__).parent / "data" / "key_results_labelled.yaml"
    trained |= {item["title"].lower() for item in yaml.safe_load(labelled.read_text(encoding="utf-8"))}
    assert not set(titles) & trained


def test_the_rubric_cases_are_read_as_the_rubric_reads_them() -> None:
    """The model learned from these, so nearly all must come out right; any miss is named."""
    items = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    assert len(items) >= 100
    assert {item["kind"] for item in items} == {"outcome", "output"}
    wrong = [f"{item['title']!r} ({item['rule']}): {classify(item['title']).reason}" for item in items
             if classify(item["title"]).kind != item["kind"]]
    assert len(wrong) <= len(items) * 0.06, "\n".join(wrong)


@pytest.mark.parametrize("title", OUTPUTS[:8] + OUTCOMES[:8] + ["Improve onboarding", "Monthly active users"])
def test_the_reason_quotes_the_titles_own_words(title: str) -> None:
    kind = classify(title)
    assert isinstance(kind, Kind)
    assert kind.reason.strip() and not kind.reason.endswith(".")  # the rule message adds its own full stop
    quoted = re.findall(r"'([^']+)'", kind.reason)
    assert quoted, kind.reason
    for words in quoted:
        assert words.lower() in title.lower(), (words, title)
    assert kind.words and all(w.lower() in title.lower() for w in kind.words)


def test_the_rule_message_names_the_deciding_words() -> None:
    result = check_key_result("Speak at 3 conferences", quarter="2026-Q3")
    [finding] = [f for f in result.findings if f.rule == "relevant.output-not-outcome"]
    assert finding.message.startswith("“Speak at 3 conferences” describes work to do, not a result: ")
    assert "'speak'" in finding.message and "3 conferences" in finding.message
    assert finding.message.endswith(".") and not finding.message.endswith("..")
    assert result.as_json()["kind"] == "output"


@pytest.mark.parametrize("title", ["KR1: Publish 4 case studies", "We will publish 4 case studies",
                                   "1. Publish 4 case studies", "Successfully publish 4 case studies",
                                   "Stretch: Publish 4 case studies"])
def test_leading_filler_is_skipped(title: str) -> None:
    kind = classify(title)
    assert kind.kind == "output"
    assert kind.verb == "publish"


@pytest.mark.parametrize("title", ["", "   ", "42", "!!!", "Ünïcödé ☃ only", "%%%", "# of", "from 3 to", "1:1s"])
def test_odd_input_does_not_crash(title: str) -> None:
    assert classify(title).kind in ("outcome", "output")


def test_features_name_facts_and_the_titles_words() -> None:
    found = features("Hold 6 customer interviews per month in each region")
    assert found["lead:work"] == "Hold"
    assert found["object:work:counted"] == "6 customer interviews"
    found = features("Run 2 webinars with 400 sign-ups")
    assert found["with:audience"] == "with 400 sign-ups"
    found = features("70% of staff complete the security course")
    assert found["share:people"] == "70% of staff"


def test_the_model_file_is_small_plain_json_and_loads_fast() -> None:
    assert MODEL.stat().st_size < 1_000_000
    document = json.loads(MODEL.read_text(encoding="utf-8"))
    assert set(document) >= {"bias", "weights", "trained_on", "settings"}
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        KindModel.load()
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.050
    # Words are single general words, never phrases of one source.
    for name in document["weights"]:
        group, _, value = name.partition(":")
        assert " " not in name, name
        if group in ("w", "v"):
            assert re.fullmatch(r"[a-z0-9'&-]+", value), name


def test_a_broken_model_file_is_refused_naming_it(tmp_path: Path) -> None:
    for text in ("{not json", json.dumps({"bias": 0.1}), json.dumps({"bias": 0, "weights": {"lead:work": "x"}}),
                 json.dumps([1, 2])):
        path = tmp_path / "kinds.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(KindModelError, match=re.escape(str(path))):
            KindModel.load(path)
    with pytest.raises(KindModelError, match=r"missing\.json"):
        KindModel.load(tmp_path / "missing.json")


def test_a_model_scores_by_its_weights() -> None:
    title = "Publish 4 case studies"
    leaning = KindModel(0.0, {"lead:work": 2.0})
    assert leaning.classify(title).kind == "outcome"
    assert KindModel(0.0, {"lead:work": -2.0}).classify(title).kind == "output"
    assert classify(title) == load_model().classify(title)


def test_one_title_is_classified_fast_and_a_long_one_is_not_slow() -> None:
    from okr_workshop.smart.language.kinds import KindModel as Fresh  # a model without the cache of classify()

    model = Fresh.load()
    titles = OUTPUTS + OUTCOMES
    started = time.perf_counter()
    for title in titles:
        model.classify(title)
    per_title = (time.perf_counter() - started) / len(titles)
    assert per_title < 0.001
    long_title = ("Publish 4 case studies with 400 sign-ups so that churn falls from 5% to 3% " * 140)[:10_000]
    started = time.perf_counter()
    model.classify(long_title)
    assert time.perf_counter() - started < 0.5
