"""Outcome or output: the classifier on key results from many domains and writing styles.

An outcome measures a change in a result (customers, revenue, quality, time,
adoption); an output counts or completes work the team does.
"""

from __future__ import annotations

import pytest

from okr_workshop.kinds import Kind, classify

OUTPUTS = [
    # marketing and content
    "Publish 6 case studies on the website",
    "Record 8 podcast episodes with customers",
    "Send the monthly newsletter to all donors",
    "Increase the number of blog posts to 12",
    "Grow the number of webinars from 2 to 6",
    # sales and customer success
    "Hold 4 customer advisory board meetings",
    "Run 10 interviews with churned customers",
    "Support the sales team at 5 trade fairs",
    # engineering and product
    "Launch the self-service returns portal",
    "Migrate the billing service to Kubernetes",
    "Build a pricing calculator for partners",
    "Review every open pull request within a day",
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
    "Support 3 teams with their onboarding",
    "Deliver 80% of roadmap items",
    "Answer 200 tickets a week",
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
    # fewer work items, or the work tied to its effect
    "Cut weather-related breakdown reports from 64 to 30 a month",
    "Cut the cost of printing reports by 40%",
    "New pricing page lifts conversion from 2% to 3%",
    "Referral programme brings 200 new members",
    "Launch the referral page so that referral sign-ups reach 150 a month",
    "Customer churn below 2% a month",
    # a metric named by a noun pair, and the share of people in a state
    "Support tickets per week from 120 to 90",
    "Support calls down from 900 to 600 a month",
    "80% of new hires productive within 30 days",
    "75% of members renew after their first year",
]


@pytest.mark.parametrize("title", OUTPUTS)
def test_outputs(title: str) -> None:
    kind = classify(title)
    assert kind.kind == "output", f"{title!r}: {kind.reason}"


@pytest.mark.parametrize("title", OUTCOMES)
def test_outcomes(title: str) -> None:
    kind = classify(title)
    assert kind.kind == "outcome", f"{title!r}: {kind.reason}"


def test_the_table_is_large_and_has_no_repeats() -> None:
    titles = [t.lower() for t in OUTPUTS + OUTCOMES]
    assert len(titles) >= 30
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("title", ["KR1: Publish 4 case studies", "We will publish 4 case studies",
                                   "1. Publish 4 case studies", "Successfully publish 4 case studies"])
def test_leading_filler_is_skipped(title: str) -> None:
    kind = classify(title)
    assert kind.kind == "output"
    assert kind.verb == "publish"


@pytest.mark.parametrize("title", OUTPUTS[:5] + OUTCOMES[:5])
def test_the_reason_is_given_in_words(title: str) -> None:
    kind = classify(title)
    assert isinstance(kind, Kind)
    assert kind.reason.strip() and not kind.reason.endswith(".")  # the rule message adds its own full stop


@pytest.mark.parametrize("title", ["", "   ", "42", "!!!", "Ünïcödé ☃ only"])
def test_odd_input_does_not_crash(title: str) -> None:
    assert classify(title).kind in ("outcome", "output")
