"""How well the confidence people gave at mid-quarter foretold what their key results reached by its end.

The contract's ``calibration`` object (``okr-format.md``, section 5): once a
quarter is over, each of its key results that had a check-in with a
confidence by the quarter's midpoint is one forecast. ``p`` is the latest such
confidence, ``y`` is 1 when the key result reached its target by the quarter's
last day, else 0. A group's figures are how many forecasts it has (``n``), their
Brier score (mean of ``(p - y)^2``), the mean confidence and the hit rate (the
share reached).

Progress on the last day comes from the same readings and scoring as the
status (:mod:`okr_workshop.tracking.standing`, :mod:`okr_workshop.tracking.scoring`), so a key
result counts as reached here exactly when the status shows it at full progress.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from okr_workshop.model import quarter_bounds
from okr_workshop.tracking import cascade, scoring, standing
from okr_workshop.workbook import Workbook

__all__ = ["MIN_KEY_RESULTS", "calibration", "quarter_midpoint", "reading"]

_DIGITS = 3
"""Decimals kept in the figures."""
_REACHED = 1.0 - 1e-9
"""Progress from which a key result has reached its target (the status' own tolerance for "done")."""
MIN_KEY_RESULTS = 3
"""Fewer forecasts than this say nothing about a group's calibration."""
_CLOSE_POINTS = 10
"""A mean confidence this close to the hit rate (in percentage points) is well calibrated."""


def quarter_midpoint(quarter: str) -> dt.date:
    """The quarter's first day plus half the days from its first to its last day, rounded down.

    >>> quarter_midpoint("2026-Q3")
    datetime.date(2026, 8, 15)
    """
    first, last = quarter_bounds(quarter)
    return first + dt.timedelta(days=(last - first).days // 2)


def calibration(workbook: Workbook, quarter: str, as_of: dt.date) -> dict | None:
    """The contract's ``calibration`` object for ``quarter``, or None until the quarter has ended on ``as_of``.

    The quarter has ended from its last day on, as the quarterly reports
    count it. The result is ``{"company": figures, "teams": {team id:
    figures}}`` where figures are ``{"n", "brier", "mean_confidence",
    "hit_rate"}`` rounded to three decimals. ``company`` is always there:
    when no key result of the quarter had a confidence by its midpoint it
    says so with ``n`` 0 and the three means None (there is nothing to
    average), so a reader always finds the same shape. A team with no
    counted key result is left out of ``teams``.
    """
    last = quarter_bounds(quarter)[1]
    if as_of < last:
        return None
    objectives = workbook["objectives"]
    objectives = objectives[(objectives["quarter"] == quarter).to_numpy()].reset_index(drop=True)
    key_results = workbook["key_results"]
    key_results = key_results[key_results["objective"].isin(objectives["id"]).to_numpy()].reset_index(drop=True)
    checkins = workbook["checkins"]
    forecasts = pd.DataFrame({
        "team": _teams(key_results, objectives, workbook["people"]),
        "p": _confidence_by(key_results, checkins, quarter_midpoint(quarter)),
        "y": _reached_by(key_results, checkins, last).astype("float64"),
    })
    forecasts = forecasts[forecasts["p"].notna()]
    by_team = forecasts[forecasts["team"].notna()].groupby("team", sort=True)
    return {"company": _figures(forecasts), "teams": {str(team): _figures(group) for team, group in by_team}}


def _confidence_by(key_results: pd.DataFrame, checkins: pd.DataFrame, day: dt.date) -> np.ndarray:
    """Per key result, the confidence of its latest check-in giving one on or before ``day``; NaN where none.

    The key result's own ``confidence`` column is no forecast of a check-in,
    so it is left out of the reading.
    """
    values = standing.values_on(key_results.assign(confidence=np.nan), checkins, day)
    return values["confidence"].to_numpy(dtype="float64")


def _reached_by(key_results: pd.DataFrame, checkins: pd.DataFrame, day: dt.date) -> np.ndarray:
    """Per key result, whether its progress on ``day`` (from its latest check-in by then) is full."""
    given = key_results["type"].astype(object).where(key_results["type"].notna(), "").to_numpy(dtype=object)
    start = scoring.starts(key_results["start"], key_results["target"], key_results["title"], given)
    target = key_results["target"].to_numpy(dtype="float64")
    kinds = scoring.infer_types(start, target, given, scoring.steady_sides(key_results["title"]))
    current = standing.values_on(key_results.assign(start=start), checkins, day)["current"]
    progress, _ = scoring.progress(kinds, start, target, current.to_numpy(dtype="float64"))
    return np.nan_to_num(progress) >= _REACHED


def _teams(key_results: pd.DataFrame, objectives: pd.DataFrame, people: pd.DataFrame) -> np.ndarray:
    """Per key result, the team its objective counts for; None for company objectives and teamless ones."""
    team_of = cascade.objective_teams(objectives, people)
    company = objectives.loc[(objectives["level"] == "company").to_numpy(), "id"]
    team_of = team_of.where(~team_of.index.isin(company), None)
    team_of = team_of[~team_of.index.duplicated()]
    return key_results["objective"].map(team_of).to_numpy(dtype=object)


def _figures(forecasts: pd.DataFrame) -> dict:
    """``n``, ``brier``, ``mean_confidence`` and ``hit_rate`` of the forecasts (columns ``p`` and ``y``)."""
    n = len(forecasts)
    if not n:
        return {"n": 0, "brier": None, "mean_confidence": None, "hit_rate": None}
    p, y = forecasts["p"].to_numpy(dtype="float64"), forecasts["y"].to_numpy(dtype="float64")
    return {
        "n": n,
        "brier": round(float(np.mean((p - y) ** 2)), _DIGITS),
        "mean_confidence": round(float(np.mean(p)), _DIGITS),
        "hit_rate": round(float(np.mean(y)), _DIGITS),
    }


def reading(figures: dict) -> str:
    """One group's calibration figures in plain words for the people who gave the confidences."""
    n = figures["n"]
    if n == 0:
        return "No key result had a confidence by mid-quarter, so there is nothing to judge."
    if n < MIN_KEY_RESULTS:
        counted = "one key result" if n == 1 else f"{n} key results"
        return f"Too few key results to judge: only {counted} had a confidence by mid-quarter."
    confidence, hit_rate = figures["mean_confidence"], figures["hit_rate"]
    facts = f"{_percent(confidence)} confidence on average at mid-quarter, {_percent(hit_rate)} of key results reached"
    return f"{_verdict(confidence, hit_rate)}: {facts}. {_brier_words(figures['brier'])}"


def _verdict(confidence: float, hit_rate: float) -> str:
    """Over- or under-confident by how many points, else how the well-calibrated forecasts stood."""
    gap = round((confidence - hit_rate) * 100)
    if gap > _CLOSE_POINTS:
        return f"Over-confident by {gap} points"
    if gap < -_CLOSE_POINTS:
        return f"Under-confident by {-gap} points"
    if min(confidence, hit_rate) >= standing.BAND_HIGH:
        return "Confident and delivered"
    if max(confidence, hit_rate) < standing.BAND_LOW:
        return "Expected to fall short, and did"
    return "Well calibrated"


def _brier_words(brier: float) -> str:
    """The Brier score and what it means."""
    if brier < 0.25:
        compared = "better than"
    elif brier > 0.25:
        compared = "worse than"
    else:
        compared = "the same as"
    return (f"Brier score {brier:.3f} (0 is perfect, 0.25 is what always saying 50% scores): "
            f"{compared} always saying 50%.")


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"
