"""Reading start, target, unit and due date from key result titles as people write them.

Each row of a table is one title and what the parser must read from it; a key
left out of the expected mapping is not checked. The parser never invents a
number: versions, quarters, years, standards and names with digits are no
targets.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from okr_workshop.parsing import parse_title

D = dt.date

# title, quarter, what must be read (start, target, unit, due, change, quantified; omitted keys are not checked)
FORMS = [
    # from ... to ...
    ("Raise patient NPS from 40 to 50", None,
     {"start": 40, "target": 50, "unit": "NPS", "change": None, "quantified": True}),
    ("Grow active subscribers from 1,850 to 2,300", None, {"start": 1850, "target": 2300, "quantified": True}),
    ("Grow MRR from EUR 148,000 to EUR 182,000", None, {"start": 148_000, "target": 182_000, "unit": "EUR"}),
    ("Cut median first-response time from 9 h to 2 h", None, {"start": 9, "target": 2, "unit": "h"}),
    ("Cut onboarding time from 10 days to 5 days", None, {"start": 10, "target": 5, "unit": "days"}),
    ("Cut booking screen load time from 3.2 s to 1.2 s", None, {"start": 3.2, "target": 1.2, "unit": "s"}),
    ("Cut the time from first meeting to signed contract from 60 to 35 days", None,
     {"start": 60, "target": 35, "unit": "days"}),
    ("Cut the time from sign-up to handover from 6 days to 3 days", None, {"start": 6, "target": 3}),
    ("Cut p95 latency from 800ms to 300ms", None, {"start": 800, "target": 300, "unit": "ms"}),
    ("Grow followers from 2k to 5k", None, {"start": 2000, "target": 5000}),
    ("Grow revenue from $1.2M to $1.5M", None, {"start": 1_200_000, "target": 1_500_000, "unit": "$"}),
    ("Raise uptime from 99.5% to 99.9%", None, {"start": 99.5, "target": 99.9, "unit": "%"}),
    ("Lift employee eNPS from -5 to 10", None, {"start": -5, "target": 10, "unit": "eNPS"}),
    ("Reduce churn from 5% → 3%", None, {"start": 5, "target": 3, "unit": "%"}),
    ("Move CSAT 30 -> 45", None, {"start": 30, "target": 45}),
    ("Raise the workshop score from 3.6 to 4.4 out of 5", None, {"start": 3.6, "target": 4.4, "unit": "out of 5"}),
    # a target alone
    ("Lift automated test coverage to 90%", None, {"start": None, "target": 90, "unit": "%", "quantified": True}),
    ("Reduce p95 latency below 200 ms", None, {"target": 200, "unit": "ms", "change": None}),
    ("Reduce the support backlog to under 50 tickets", None, {"target": 50, "unit": "tickets"}),
    ("Close $570k in new bookings", None, {"target": 570_000, "unit": "$"}),
    ("Reach 1.2M monthly page views", None, {"target": 1_200_000}),
    ("Lift ticket revenue to €2.5M", None, {"target": 2_500_000, "unit": "EUR"}),
    ("Raise MRR to 150k EUR", None, {"target": 150_000, "unit": "EUR"}),
    ("Sign three new customers", None, {"target": 3, "unit": "customers", "quantified": True}),
    ("Sign up twenty volunteers for the beach clean", None, {"target": 20, "unit": "volunteers"}),
    ("Publish 4 posts on the engineering blog", None, {"target": 4, "quantified": True}),  # counted work still counts
    ("Sign 10 partner cafés", None, {"target": 10, "unit": "partner cafés"}),
    ("Reach a course rating of 4.5/5", None, {"target": 4.5, "unit": "out of 5"}),
    ("Raise the onboarding survey score to 4.5 out of 5", None, {"target": 4.5, "unit": "out of 5"}),
    ("Answer 95% of tickets within 4 hours", None, {"target": 95, "unit": "%"}),
    # relative changes: kept as a change
    ("Increase weekly active users by 20%", None,
     {"start": None, "target": None, "unit": "%", "change": 0.2, "quantified": True}),
    ("Reduce p99 latency by 30% by end of Q4", "2026-Q4", {"change": -0.3, "due": D(2026, 12, 31)}),
    ("Grow subscription revenue 20%", None, {"change": 0.2, "unit": "%"}),
    ("Cut travel spend 15%", None, {"change": -0.15}),
    ("Grow ARR by $200k", None, {"change": 200_000, "unit": "$", "target": None}),
    ("Raise CSAT by 5 points", None, {"change": 5, "unit": "points"}),
    ("Raise NPS by 3 pp", None, {"change": 3, "unit": "pp"}),
    ("Double weekly signups", None, {"change": 1.0, "target": None, "quantified": True}),
    ("Triple the number of open-source contributors", None, {"change": 2.0}),
    ("Halve the defect backlog", None, {"change": -0.5}),
    ("Cut the crash rate by half", None, {"change": -0.5}),
    ("Increase repeat donors by half", None, {"change": 0.5}),
    ("Increase conversion 2x", None, {"change": 1.0}),
    # a start stated on its own
    ("Patient NPS (currently 38)", None, {"start": 38, "target": None, "quantified": False}),
    ("Cut monthly churn to 3.5% (from 4.8%)", None, {"start": 4.8, "target": 3.5, "unit": "%"}),
    ("Raise NPS to 45 (baseline: 38)", None, {"start": 38, "target": 45}),
    ("Get 50 sign-ups from 3 channels", None, {"start": None, "target": 50}),  # "from" another unit is no start
    # due dates and points in time
    ("Ship the mobile app by 30 September", "2026-Q3", {"due": D(2026, 9, 30), "quantified": False}),
    ("Hire 2 engineers by September 30", "2026-Q3", {"due": D(2026, 9, 30), "target": 2}),
    ("Bring churn down from 4% to 2.5% by 31 Dec", "2026-Q4",
     {"start": 4, "target": 2.5, "due": D(2026, 12, 31)}),
    ("Cut churn to 3% by end of Q3", "2026-Q3", {"target": 3, "due": D(2026, 9, 30)}),
    ("Cut churn to 3% by end of Q3 2027", None, {"due": D(2027, 9, 30)}),
    ("Finish the pilot by the end of the quarter", "2026-Q4", {"due": D(2026, 12, 31)}),
    ("Publish the tender by end of November", "2026-Q4", {"due": D(2026, 11, 30)}),
    ("Open the hub by 2026-11-27", None, {"due": D(2026, 11, 27)}),
    ("Get 50 beta users within 30 days of launch", None, {"target": 50, "due": None}),
]

# titles whose only digits are no quantity
NON_TARGETS = [
    "Launch v2 of the public API",
    "Plan the Q3 roadmap with every team lead",
    "Run a Web3 hackathon for students",
    "Achieve ISO 27001 certification",
    "Offer 24/7 phone support",
    "Migrate the batch jobs to K8s",
    "Evaluate GPT-4 for ticket triage",
    "Publish the 2026 annual report",
    "Take our 2026 roadmap to the board",
    "Draft the 2026-2027 care strategy",
    "Upgrade every service to Python 3.12",
    "Get SOC 2 Type II",
    "Meet WCAG 2.1 AA on the booking flow",
    "Release 2.4.1 of the desktop client",
    "Prepare the H2 2026 plan",
    "Publish the COVID-19 vaccination dashboard",
    "Adopt OAuth2 for partner APIs",
    "Hold 1:1s with every report",
    "Ship the 1.0 release by end of Q3",
    "Move every office to IPv6",
    "Finish the audit in 2025",
    "Kick off daily stand-ups at 9am",
    "Grow B2B sales",
    "Roll out 5G across the campus",
    "Move every laptop to Windows 11",
    "Upgrade the reporting database to Postgres 16",
    "Print 3D models of the new stations",
]


def _close(found, expected) -> bool:
    if expected is None or found is None:
        return found is expected
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return found == pytest.approx(expected)
    return found == expected


@pytest.mark.parametrize(("title", "quarter", "expected"), FORMS, ids=[row[0] for row in FORMS])
def test_reads_what_people_write(title: str, quarter: str | None, expected: dict) -> None:
    parsed = parse_title(title, quarter)
    for key, value in expected.items():
        found = getattr(parsed, key)
        assert _close(found, value), f"{title!r}: {key} is {found!r}, expected {value!r}"


@pytest.mark.parametrize("title", NON_TARGETS)
def test_names_versions_quarters_and_years_are_no_targets(title: str) -> None:
    parsed = parse_title(title, "2026-Q3")
    assert parsed.numbers == [], f"{title!r}: read {parsed.numbers}"
    assert parsed.target is None and parsed.start is None and parsed.change is None
    assert not parsed.quantified


@pytest.mark.parametrize(("title", "target", "absent"), [
    ("Hire 12 nurses for the 2026/27 winter season", 12, {2026, 27}),
    ("Close 40 deals in FY2026", 40, {2026}),
    ("Ship the 2027 budget and 3 scenarios by 15 December", 3, {2027, 15}),
    ("Raise Web3 wallet sign-ups to 800", 800, {3}),
    ("Cut p95 latency on the v2 API to 300 ms", 300, {95, 2}),
    ("Win 5 ISO 9001 certified suppliers", 5, {9001}),
])
def test_a_target_beside_non_targets(title: str, target: float, absent: set) -> None:
    parsed = parse_title(title, "2026-Q4")
    assert parsed.target == target
    assert not absent & {n.value for n in parsed.numbers}


@pytest.mark.parametrize("title", [row[0] for row in FORMS] + NON_TARGETS)
def test_never_invents_a_number(title: str) -> None:
    """Every number read stands in the text: digits or a number word at the place it names."""
    words = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
             r"hundred|dozen|thousand|zero|twice|thrice")
    for number in parse_title(title).numbers:
        text = title[number.start:number.end]
        assert re.search(rf"\d|\b(?:{words})\b", text, re.I), f"{title!r}: {number} stands on {text!r}"


@pytest.mark.parametrize(("title", "kind"), [
    ("Get 50 beta users within 30 days of launch", "within 30 days"),
    ("Ship offline mode before the 2.0 release", "before the 2.0 release"),
    ("Cut churn to 3% by end of Q3", "by end of Q3"),
    ("Finish the migration by the end of the year", "the end of the year"),
])
def test_names_a_point_in_time(title: str, kind: str) -> None:
    assert parse_title(title).time_phrase is not None
    assert kind in parse_title(title).time_phrase


@pytest.mark.parametrize("title", [
    "Double weekly signups",  # a rate, not a deadline
    "Reach 1.2M monthly page views",
    "Cut the crash rate by half",  # an amount, not a date
    "Publish the volunteer handbook",
])
def test_names_no_point_in_time(title: str) -> None:
    parsed = parse_title(title)
    assert parsed.time_phrase is None and parsed.due is None


@pytest.mark.parametrize(("title", "direction"), [
    ("Keep fleet availability above 95%", "steady"),
    ("Stay within the EUR 1.2M travel budget", "steady"),
    ("Hold monthly churn below 2%", "steady"),
    ("Hold a retrospective at the end of every sprint", None),
    ("Hold 4 workshops at the head office", None),
    ("Cut churn from 4% to 3%", "decrease"),
    ("Raise NPS from 40 to 50", "increase"),
    ("Increase library card holders aged over 70 from 900 to 1,300", "increase"),
    ("Maintaining first-contact resolution above 80%", "steady"),
])
def test_direction(title: str, direction: str | None) -> None:
    assert parse_title(title).direction == direction


# --------------------------------------------------------------------------- columns win over the text


@pytest.mark.parametrize(("title", "target"), [
    ("Double sign-ups to 2,000", 2000),
    ("Triple paying teams to 300 by 30 September", 300),
])
def test_a_factor_with_a_stated_level_keeps_the_level(title: str, target: float) -> None:
    parsed = parse_title(title, "2026-Q3")
    assert parsed.target == target and parsed.start is None


def test_columns_win_over_the_text() -> None:
    parsed = parse_title("Raise NPS from 40 to 50 by 30 September", "2026-Q3",
                         start=42, target=55, unit="points", due=D(2026, 8, 31))
    assert (parsed.start, parsed.target, parsed.unit, parsed.due) == (42, 55, "points", D(2026, 8, 31))


def test_columns_fill_what_the_text_leaves_out() -> None:
    parsed = parse_title("Improve onboarding", start=3.9, target=4.5, unit="score")
    assert (parsed.start, parsed.target, parsed.unit) == (3.9, 4.5, "score")
    assert parsed.quantified
    assert parsed.numbers == []


def test_a_start_column_turns_a_relative_change_into_a_target() -> None:
    assert parse_title("Increase weekly active users by 20%", start=1000).target == pytest.approx(1200)
    assert parse_title("Raise CSAT by 5 points", start=80).target == pytest.approx(85)
    assert parse_title("Halve the defect backlog", start=300).target == pytest.approx(150)
    assert parse_title("Cut travel spend 15%", start=200).target == pytest.approx(170)


def test_a_target_column_alone_keeps_the_text_start() -> None:
    parsed = parse_title("Cut churn from 4.8% to 3.5%", target=3.0)
    assert (parsed.start, parsed.target, parsed.unit) == (4.8, 3.0, "%")


def test_no_quarter_and_a_date_without_a_year() -> None:
    """Without a quarter a date takes the current year; with one, the quarter's year."""
    assert parse_title("Ship it by 30 September").due == D(dt.date.today().year, 9, 30)
    assert parse_title("Ship it by 30 September", "2031-Q3").due == D(2031, 9, 30)


def test_an_impossible_date_is_no_due_date() -> None:
    parsed = parse_title("Ship it by 31 September", "2026-Q3")
    assert parsed.due is None
    assert parsed.time_phrase == "by 31 September"


# --------------------------------------------------------------------------- the contract's parsed object


def test_as_json_is_the_contracts_parsed_object() -> None:
    parsed = parse_title("Raise NPS from 40 to 50 by 30 September", "2026-Q3")
    assert parsed.as_json() == {"start": 40, "target": 50, "unit": "NPS", "due": "2026-09-30"}
    assert isinstance(parsed.as_json()["start"], int)
    assert parse_title("Cut load time from 3.2 s to 1.2 s").as_json() == {
        "start": 3.2, "target": 1.2, "unit": "s", "due": None}
    assert parse_title("Improve onboarding").as_json() == {"start": None, "target": None, "unit": None, "due": None}
