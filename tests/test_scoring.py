"""Scoring: every key result type and edge case as a table, the invariants as properties, objective scores
and roll-ups.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okr_workshop.tracking import cascade, scoring
from okr_workshop.tracking.scoring import score_key_result

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"

# --------------------------------------------------------------------------- one key result, every type

CASES = [
    # id, start, target, current, given type, title, expected type, progress, scored
    ("increase-halfway", 40, 50, 45, None, "Raise NPS from 40 to 50", "increase", 0.5, True),
    ("increase-at-start", 40, 50, 40, None, "", "increase", 0.0, True),
    ("increase-reached", 40, 50, 50, None, "", "increase", 1.0, True),
    ("increase-beyond-is-capped", 40, 50, 65, None, "", "increase", 1.0, True),
    ("increase-backwards-is-zero", 40, 50, 30, None, "", "increase", 0.0, True),
    ("increase-negative-numbers", -5, -1, -3, None, "", "increase", 0.5, True),
    ("decrease-halfway", 24, 12, 18, None, "Cut first response from 24h to 12h", "decrease", 0.5, True),
    ("decrease-reached", 24, 12, 12, None, "", "decrease", 1.0, True),
    ("decrease-beyond-is-capped", 24, 12, 6, None, "", "decrease", 1.0, True),
    ("decrease-wrong-way-is-zero", 31, 22, 34, None, "", "decrease", 0.0, True),
    ("decrease-to-zero", 1.4, 0.0, 0.7, None, "", "decrease", 0.5, True),
    ("milestone-not-done", 0, 1, 0, None, "Open the north hub", "milestone", 0.0, True),
    ("milestone-done", 0, 1, 1, None, "", "milestone", 1.0, True),
    ("milestone-halfway-is-not-done", 0, 1, 0.5, None, "", "milestone", 0.0, True),
    ("stay-above-held", 96.1, 95, 95.3, None, "Keep fleet availability above 95%", "stay_above", 1.0, True),
    ("stay-above-on-the-line", 96.1, 95, 95, None, "Keep fleet availability above 95%", "stay_above", 1.0, True),
    ("stay-above-lost", 96.1, 95, 94.9, None, "Keep fleet availability above 95%", "stay_above", 0.0, True),
    ("stay-below-held", 2.5, 3, 2.9, None, "Keep monthly churn below 3%", "stay_below", 1.0, True),
    ("stay-below-lost", 2.5, 3, 3.2, None, "Keep monthly churn below 3%", "stay_below", 0.0, True),
    ("stay-above-though-target-above-start", 40, 45, 46, None, "Keep NPS above 45", "stay_above", 1.0, True),
    ("stay-level-only-target-below-start", 99.95, 99.9, 99.92, None, "Maintain 99.9% uptime", "stay_above", 1.0, True),
    ("stay-given-with-equal-numbers", 5, 5, 5, "stay_below", "", "stay_below", 1.0, True),
    ("given-type-wins-over-numbers", 0, 1, 1, "increase", "", "increase", 1.0, True),
    ("given-milestone-without-numbers", None, None, 1, "milestone", "", "milestone", 1.0, True),
    ("no-target", 40, None, 45, None, "", None, 0.0, False),
    ("no-start", None, 4.5, 4.1, None, "", None, 0.0, False),
    ("no-numbers-at-all", None, None, None, None, "Improve onboarding experience", None, 0.0, False),
    ("start-equals-target", 40, 40, 45, None, "", None, 0.0, False),
    ("stay-without-target", 96, None, 95, "stay_above", "", "stay_above", 0.0, False),
    ("stay-without-value", None, 95, None, "stay_above", "", "stay_above", 0.0, False),
    ("hold-a-meeting-is-no-level", 0, 3, 3, None, "Hold 3 retrospectives", "increase", 1.0, True),
    # a count of new things starts at 0 when no start is given
    ("new-things-from-zero", None, 3, 1, None, "Sign 3 partner bakeries", "increase", 1 / 3, True),
    ("new-things-no-value-yet", None, 4, None, None, "Publish 4 repair guides", "increase", 0.0, True),
    ("new-things-target-column", None, 10, 5, None, "Sign partner cafés in Porto", "increase", 0.5, True),
    ("new-things-count-beside-a-share", None, 4, 2, None,
     "Get 4 of our recipe videos watched to the end by 70% of viewers", "increase", 0.5, True),
    ("new-thing-one-deliverable", None, 1, 1, None, "Launch the referral page", "milestone", 1.0, True),
    ("a-level-still-needs-its-start", None, 2000, 1500, None, "Reach 2,000 weekly active readers", None, 0.0, False),
    ("a-falling-count-needs-its-start", None, 20, 25, None, "Cut open bugs to 20", None, 0.0, False),
    ("given-decrease-is-not-from-zero", None, 3, 4, "decrease", "Sign 3 partner bakeries", "decrease", 0.0, False),
]


@pytest.mark.parametrize("start, target, current, given, title, kind, progress, scored",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_type_and_edge_case(start, target, current, given, title, kind, progress, scored):
    result = score_key_result(start, target, current, type=given, title=title, id="KR1")
    assert result.type == kind
    assert result.progress == pytest.approx(progress)
    assert result.scored is scored
    assert 0.0 <= result.progress <= 1.0
    if not scored:
        assert result.findings, "a key result that cannot be scored must say why"
        assert all("KR1" in f.message for f in result.findings)


@pytest.mark.parametrize("start, target, given, code", [
    (40, None, None, "score.no-target"),
    (None, 50, None, "score.no-start"),
    (None, None, None, "score.no-numbers"),
    (40, 40, None, "score.start-is-target"),
    (40, 50, "decrease", "score.type-conflict"),
    (50, 40, "increase", "score.type-conflict"),
    (None, None, "increase", "score.no-numbers"),
    (None, 95, "stay_above", "score.no-value"),
])
def test_findings_name_the_key_result_and_what_to_write(start, target, given, code):
    result = score_key_result(start, target, type=given, id="SALES-1.3")
    assert [f.code for f in result.findings] == [code]
    assert result.findings[0].message.startswith("SALES-1.3: ")


def test_current_defaults_to_start():
    assert score_key_result(40, 50).progress == 0.0
    assert score_key_result(50, 40).progress == 0.0


def test_conflicting_type_is_scored_from_start_to_target():
    result = score_key_result(50, 40, 45, type="increase")
    assert result.progress == pytest.approx(0.5)
    assert result.attainment == pytest.approx(0.5)


def test_attainment_is_not_capped():
    assert score_key_result(40, 50, 55).attainment == pytest.approx(1.5)
    assert score_key_result(24, 12, 6).attainment == pytest.approx(1.5)
    assert score_key_result(40, 50, 30).attainment == 0.0


def test_starts_fills_only_counts_of_new_things_column_wise():
    start = scoring.starts([np.nan, np.nan, 12.0, np.nan, np.nan],
                           [3, 2000, 30, np.nan, 5],
                           ["Sign 3 partner bakeries", "Reach 2,000 weekly active readers", "Sign 30 bakeries", "Sign",
                            "Hire 5 nurses"],
                           ["", "", "", "", "stay_above"])
    assert start[0] == 0.0 and start[2] == 12.0  # counted from 0; a start given stays
    assert np.isnan(start[[1, 3, 4]]).all()  # a level, no target, a level to hold


def test_status_scores_a_count_of_new_things_from_zero(tmp_path):
    """The status of a workbook reads the same rule: no start, a count of new things, scored from 0."""
    from okr_workshop.io import read_workbook, write_workbook
    from okr_workshop.tracking import status  # the status tests' own module, only here

    folder = tmp_path / "wb"
    write_workbook(read_workbook(EXAMPLE), folder)
    path = folder / "key_results.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    objective = rows[1].split(",")[header.index("objective")]
    row = dict.fromkeys(header, "")
    row.update(id="NEW-1", objective=objective, title="Sign 4 partner bakeries", target="4", current="1")
    rows.append(",".join(row[h] for h in header))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = status.build_status(read_workbook(folder), as_of=dt.date(2026, 11, 15), quarter="2026-Q4")
    counted = report.key_results.set_index("id").loc["NEW-1"]
    assert counted["start"] == 0.0 and counted["progress"] == pytest.approx(0.25) and counted["scored"]


# --------------------------------------------------------------------------- properties

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
types = st.sampled_from(["increase", "decrease", "stay_above", "stay_below", "milestone", None])


@settings(max_examples=100, deadline=None)
@given(start=st.one_of(finite, st.none()), target=st.one_of(finite, st.none()),
       current=st.one_of(finite, st.none()), kind=types)
def test_progress_is_always_within_0_and_1_and_never_raises(start, target, current, kind):
    result = score_key_result(start, target, current, type=kind)
    assert 0.0 <= result.progress <= 1.0
    assert result.attainment >= 0.0
    assert not math.isnan(result.progress)


@settings(max_examples=60, deadline=None)
@given(start=finite, span=st.floats(min_value=1e-3, max_value=1e6), a=finite, b=finite)
def test_progress_is_monotone_in_the_current_value_in_the_right_direction(start, span, a, b):
    low, high = sorted((a, b))
    up = [score_key_result(start, start + span, c).progress for c in (low, high)]
    down = [score_key_result(start, start - span, c).progress for c in (low, high)]
    assert up[0] <= up[1], "an increasing key result gains progress as the value grows"
    assert down[0] >= down[1], "a decreasing key result gains progress as the value falls"
    for kind, rising in (("stay_above", True), ("stay_below", False), ("milestone", True)):
        pair = [score_key_result(start, start + span, c, type=kind).progress for c in (low, high)]
        assert (pair[0] <= pair[1]) if rising else (pair[0] >= pair[1]), kind


@settings(max_examples=60, deadline=None)
@given(start=finite, span=st.floats(min_value=1e-3, max_value=1e6), current=finite)
def test_a_decrease_mirrors_an_increase(start, span, current):
    up = score_key_result(start, start + span, current).progress
    down = score_key_result(-start, -start - span, -current).progress
    assert up == pytest.approx(down, abs=1e-9)


krs_strategy = st.lists(
    st.tuples(st.sampled_from(["O1", "O2", "O3"]), st.floats(min_value=0.1, max_value=5),
              st.floats(min_value=0, max_value=1)),
    min_size=1, max_size=12)


@settings(max_examples=25, deadline=None)
@given(rows=krs_strategy, seed=st.integers(0, 2**16))
def test_objective_scores_do_not_depend_on_the_order_of_rows(rows, seed):
    frame = pd.DataFrame(rows, columns=["objective", "weight", "progress"]).assign(
        attainment=lambda f: f["progress"])
    shuffled = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    ids = ["O1", "O2", "O3"]
    a = scoring.objective_scores(frame, ids)
    b = scoring.objective_scores(shuffled, ids)
    pd.testing.assert_frame_equal(a, b, check_exact=False, atol=1e-12)
    for oid in set(frame["objective"]):
        part = frame[frame["objective"] == oid]
        assert a.loc[oid, "score"] == pytest.approx(np.average(part["progress"], weights=part["weight"]))


# --------------------------------------------------------------------------- objectives, grades, verdicts, roll-ups


def test_objective_score_is_the_weighted_mean_and_unscored_count_as_zero():
    krs = pd.DataFrame({"objective": ["C1", "C1", "C1", "T1"], "weight": [2.0, 1.0, np.nan, 1.0],
                        "progress": [1.0, 0.5, np.nan, 0.25], "attainment": [1.2, 0.5, np.nan, 0.25]})
    scores = scoring.objective_scores(krs, ["C1", "T1", "EMPTY"])
    assert scores.loc["C1", "score"] == pytest.approx((2 * 1.0 + 0.5 + 0) / 4)  # a missing weight is 1
    assert scores.loc["C1", "attainment"] == pytest.approx((2 * 1.2 + 0.5) / 4)
    assert scores.loc["T1", "score"] == 0.25
    assert math.isnan(scores.loc["EMPTY", "score"])
    assert scores["key_results"].tolist() == [3, 1, 0]


@pytest.mark.parametrize("score, colour", [
    (0.0, "red"), (0.39, "red"), (0.3999, "red"), (0.4, "yellow"), (0.55, "yellow"), (0.69, "yellow"),
    (0.6999, "yellow"), (0.7, "green"), (0.7 - 1e-12, "green"), (1.0, "green"), (float("nan"), None),
])
def test_grades(score, colour):
    assert scoring.grade(score) == colour


@pytest.mark.parametrize("score, attainment, commitment, verdict", [
    (1.0, 1.0, "committed", "met"),
    (1.0, 1.3, "committed", "exceeded"),
    (0.95, 0.95, "committed", "falling_short"),
    (0.7, 0.7, "aspirational", "met"),
    (0.69, 0.69, "aspirational", "falling_short"),
    (0.85, 0.85, "aspirational", "met"),
    (1.0, 1.0, "aspirational", "exceeded"),
    (1.0, 1.4, None, "exceeded"),
    (float("nan"), float("nan"), "committed", None),
])
def test_verdicts_against_what_the_commitment_expects(score, attainment, commitment, verdict):
    assert scoring.verdicts([score], [attainment], [commitment])[0] == verdict


def test_roll_ups_follow_alignment():
    objectives = pd.DataFrame({
        "id": ["C1", "C2", "T1", "T2", "I1", "I2", "X1"],
        "level": ["company", "company", "team", "team", "individual", "individual", "team"],
        "team": [None, None, "cx", "ops", None, None, "cx"],
        "parent": [None, None, "C1", "C1", "T1", "T1", None],
    })
    scores = pd.Series([0.8, np.nan, 0.5, 0.2, 1.0, 0.0, 0.9], index=objectives["id"])
    rolled = scoring.rollups(cascade.ancestry(objectives), scores)
    assert rolled["I1"] == 1.0
    assert rolled["T1"] == pytest.approx((0.5 + 1.0 + 0.0) / 3)
    assert rolled["C1"] == pytest.approx((0.8 + 0.5 + 0.2 + 1.0 + 0.0) / 5)
    assert math.isnan(rolled["C2"])  # no score of its own and nothing aligned to it
    teams = scoring.team_scores(objectives, rolled)
    assert teams["cx"] == pytest.approx((rolled["T1"] + 0.9) / 2)
    assert teams["ops"] == pytest.approx(0.2)
    assert scoring.company_score(objectives, rolled) == pytest.approx(rolled["C1"])


def test_a_company_objective_without_key_results_is_scored_through_its_teams():
    objectives = pd.DataFrame({"id": ["C1", "T1", "T2"], "level": ["company", "team", "team"],
                               "team": [None, "a", "b"], "parent": [None, "C1", "C1"]})
    rolled = scoring.rollups(cascade.ancestry(objectives), pd.Series([np.nan, 0.4, 0.8], index=objectives["id"]))
    assert rolled["C1"] == pytest.approx(0.6)


@pytest.mark.parametrize("title, side", [
    ("Keep fleet availability above 95%", "stay_above"),
    ("Maintain NPS at least 40", "stay_above"),
    ("Keep p95 latency under 200 ms", "stay_below"),
    ("Keep churn below 3%", "stay_below"),
    ("Stay within a budget of EUR 10k", "stay_below"),
    ("Keep NPS >= 40", "stay_above"),
    ("Maintain 99.9% uptime", "stay"),
    ("Hold a retro at the end of every sprint", ""),
    ("Keep the lights on", ""),
    ("Raise NPS from 40 to 50", ""),
    ("Cut churn below 3% by 30 September", ""),
])
def test_titles_that_hold_a_level(title, side):
    assert scoring.steady_side(title) == side
    many = scoring.steady_sides(pd.Series([title] * 10 + [None], dtype=object))  # the column-wide path
    assert many.tolist() == [side] * 10 + [""]
