"""Where each key result stands on a date: its value, its owner's confidence, and its status against time.

For any ``as_of`` date:

- the current value is the latest check-in on or before that date (two on
  the same date: the one recorded last); a key result with no check-in at all
  falls back to its ``current`` column, then to its ``start``;
- the confidence is the latest one given in a check-in by then, else the key
  result's own ``confidence``;
- the expected progress is the elapsed share of the key result's period, from
  the first day of its objective's quarter to its ``due`` date (by default the
  quarter's last day), both days included;
- the status puts the key result in a band twice, once by pace (progress
  divided by expected progress) and once by confidence, each with the bands
  0.7 and up, 0.4 to 0.69, below 0.4, and takes the worse:
  ``on_track``, ``at_risk`` or ``off_track``; ``done`` once it reaches its
  target. In the first two weeks of a period, before the first check-ins are
  due, the pace is not judged yet and the confidence alone decides. Milestones have no pace:
  they are on track until their due date passes undone. Stay-above and stay-below key results are on track while the
  level holds, off track when it does not, and done when the period ends
  with it held. A key result that cannot be scored is at risk at best.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from okr_workshop.model import quarter_bounds
from okr_workshop.tracking import scoring

__all__ = [
    "BAND_HIGH", "BAND_LOW", "GRACE_DAYS", "STATUSES", "expected_progress", "periods", "statuses", "timeline",
    "values_on",
]

STATUSES = ("on_track", "at_risk", "off_track", "done")
BAND_HIGH = 0.7
"""From here up, a pace or a confidence is on track."""
BAND_LOW = 0.4
"""From here up to ``BAND_HIGH``, at risk; below it, off track."""
GRACE_DAYS = 14
"""Days at the start of a period in which the pace is not judged yet."""
_ON, _RISK, _OFF = 0, 1, 2
_EPS = 1e-9


def _as_timestamp(as_of: dt.date | None) -> pd.Timestamp | None:
    return None if as_of is None else pd.Timestamp(as_of).normalize()


def values_on(key_results: pd.DataFrame, checkins: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """Per key result (same order as ``key_results``): its value and confidence on ``as_of`` (None: all check-ins).

    Columns: ``current``, ``source`` (``checkin``, ``current``, ``start`` or
    None when there is no value), ``last_checkin`` (date), ``checkins``
    (how many by then), ``confidence`` (latest given), ``start_confidence``
    (the key result's own, else its first check-in's).

    ``checkins`` must be in the order they were recorded (as the store and
    the readers give them).
    """
    n = len(key_results)
    known = pd.Index(key_results["id"].to_numpy(dtype=object))
    codes = known.get_indexer(checkins["key_result"].to_numpy(dtype=object))
    dates = checkins["date"].to_numpy(dtype="datetime64[ns]")
    values = checkins["value"].to_numpy(dtype="float64")
    confidences = checkins["confidence"].to_numpy(dtype="float64")
    ours = codes >= 0
    ever = np.bincount(codes[ours], minlength=n) > 0
    first_confidence = _pick(codes, dates, confidences, ours & np.isfinite(confidences), n, last=False)
    cutoff = _as_timestamp(as_of)
    if cutoff is not None:
        ours &= dates <= cutoff.to_datetime64()
    latest = _pick(codes, dates, np.arange(len(codes), dtype="float64"), ours, n, last=True)
    found = np.isfinite(latest)
    row = np.where(found, latest, 0).astype("int64")
    value = np.where(found, values[row] if len(values) else np.nan, np.nan)
    last_date = np.where(found, dates[row] if len(dates) else np.datetime64("NaT"), np.datetime64("NaT"))
    confidence = _pick(codes, dates, confidences, ours & np.isfinite(confidences), n, last=True)
    column = key_results["current"].to_numpy(dtype="float64")
    start = key_results["start"].to_numpy(dtype="float64")
    use_column = ~found & ~ever & np.isfinite(column)
    use_start = ~found & ~use_column & np.isfinite(start)
    current = np.where(found, value, np.where(use_column, column, start))
    source = np.select([found, use_column, use_start], ["checkin", "current", "start"], None)
    own = key_results["confidence"].to_numpy(dtype="float64")
    return pd.DataFrame({
        "current": current,
        "source": source.astype(object),
        "last_checkin": last_date.astype("datetime64[ns]"),
        "checkins": np.bincount(codes[ours], minlength=n).astype("int64"),
        "confidence": np.where(np.isfinite(confidence), confidence, own),
        "start_confidence": np.where(np.isfinite(own), own, first_confidence),
    }, index=key_results.index)


def _pick(codes: np.ndarray, dates: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int,
          last: bool) -> np.ndarray:
    """Per key result (``n`` of them), the value of its latest (or earliest) row by date among ``mask``; NaN if none.

    Rows of one date keep their order, so of two check-ins on a date the one
    recorded later counts as the later one.
    """
    rows = np.flatnonzero(mask)
    out = np.full(n, np.nan)
    if not len(rows):
        return out
    order = rows[np.lexsort((rows, dates[rows], codes[rows]))]
    group = codes[order]
    edge = np.flatnonzero(group[1:] != group[:-1])
    pick = np.append(edge, len(order) - 1) if last else np.insert(edge + 1, 0, 0)
    out[group[pick]] = values[order[pick]]
    return out


def periods(key_results: pd.DataFrame, objectives: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last day (``datetime64``) of each key result's period; NaT where the quarter is unknown.

    The period starts on the first day of the objective's quarter and ends on
    the key result's ``due`` date, else the quarter's last day.
    """
    quarter_of = pd.Series(objectives["quarter"].to_numpy(dtype=object), index=objectives["id"].to_numpy(dtype=object))
    quarters = key_results["objective"].map(quarter_of[~quarter_of.index.duplicated()])
    bounds = {q: quarter_bounds(q) for q in quarters.dropna().unique()}
    first = quarters.map({q: pd.Timestamp(b[0]) for q, b in bounds.items()}).to_numpy(dtype="datetime64[ns]")
    last = quarters.map({q: pd.Timestamp(b[1]) for q, b in bounds.items()}).to_numpy(dtype="datetime64[ns]")
    due = key_results["due"].to_numpy(dtype="datetime64[ns]")
    end = np.where(np.isnat(due), last, due)
    end = np.where(np.isnat(first), np.datetime64("NaT"), end)
    return first, end


def expected_progress(first: np.ndarray, end: np.ndarray, as_of: dt.date) -> np.ndarray:
    """The elapsed share (0 to 1) of each period on ``as_of``, both ends counted; NaN where there is no period."""
    day = np.timedelta64(1, "D")
    today = np.datetime64(pd.Timestamp(as_of).normalize().to_datetime64(), "ns")
    with np.errstate(invalid="ignore", divide="ignore"):
        length = np.maximum((end - first) / day + 1, 1)
        share = ((today - first) / day + 1) / length
    share = np.where(today < first, 0.0, share)
    return np.where(np.isnat(first) | np.isnat(end), np.nan, np.clip(share, 0.0, 1.0))


def _band(values: np.ndarray) -> np.ndarray:
    return np.where(values >= BAND_HIGH - _EPS, _ON, np.where(values >= BAND_LOW - _EPS, _RISK, _OFF))


def statuses(kinds, progress, expected, confidence, end, as_of: dt.date, first=None) -> np.ndarray:
    """``on_track``, ``at_risk``, ``off_track`` or ``done`` per key result (the rules in the module docstring).

    ``progress`` is NaN where the key result cannot be scored; ``expected``
    NaN where it has no period; ``confidence`` NaN where none was given;
    ``first`` the first day of each period (for the grace weeks; None: no grace).
    """
    kinds = np.asarray(kinds, dtype=object)
    progress, expected, confidence = (np.asarray(a, dtype="float64") for a in (progress, expected, confidence))
    today = np.datetime64(pd.Timestamp(as_of).normalize().to_datetime64(), "ns")
    end = np.asarray(end, dtype="datetime64[ns]")
    over = ~np.isnat(end) & (today >= end)
    past = ~np.isnat(end) & (today > end)
    scored = np.isfinite(progress)
    reached = scored & (progress >= 1.0 - _EPS)
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = np.where(expected > 0, progress / np.where(expected > 0, expected, 1.0), 1.0)
    by_pace = np.where(np.isfinite(expected), _band(pace), _ON)
    if first is not None:
        first = np.asarray(first, dtype="datetime64[ns]")
        early = ~np.isnat(first) & (today < first + np.timedelta64(GRACE_DAYS, "D"))
        by_pace = np.where(early, _ON, by_pace)
    stay = np.isin(kinds, ("stay_above", "stay_below"))
    by_pace = np.where(stay, np.where(reached, _ON, _OFF), by_pace)
    by_pace = np.where(kinds == "milestone", np.where(past & ~reached, _OFF, _ON), by_pace)
    by_pace = np.where(scored, by_pace, _RISK)  # cannot be measured: at risk at best
    by_confidence = np.where(np.isfinite(confidence), _band(confidence), _ON)
    band = np.maximum(by_pace, by_confidence)
    out = np.array(["on_track", "at_risk", "off_track"], dtype=object)[band]
    done = reached & (~stay | over)
    out[done] = "done"
    return out


def timeline(key_results: pd.DataFrame, checkins: pd.DataFrame, objectives: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                                                    pd.DataFrame]:
    """The check-ins of ``key_results`` as tidy rows for charts, and the line of expected progress.

    First frame, one row per check-in, by date: ``key_result``, ``objective``,
    ``date``, ``value``, ``progress`` (0 to 1, NaN where the key result
    cannot be scored), ``confidence``. Second frame, two rows per key result
    with a period: ``key_result``, ``date`` (first and last day), ``expected``
    (0 then 1).
    """
    start, target = key_results["start"].to_numpy(dtype="float64"), key_results["target"].to_numpy(dtype="float64")
    given = key_results["type"].astype(object).where(key_results["type"].notna(), "").to_numpy(dtype=object)
    start = scoring.starts(start, target, key_results["title"], given)  # a count of new things starts at 0
    kinds = scoring.infer_types(start, target, given, scoring.steady_sides(key_results["title"]))
    position = pd.Index(key_results["id"].to_numpy(dtype=object))
    rows = checkins[checkins["key_result"].isin(position)]
    rows = rows.iloc[np.argsort(rows["date"].to_numpy(), kind="stable")]
    at = position.get_indexer(rows["key_result"].to_numpy(dtype=object))
    progress, _ = scoring.progress(kinds[at], start[at], target[at], rows["value"].to_numpy(dtype="float64"))
    points = pd.DataFrame({
        "key_result": rows["key_result"].to_numpy(dtype=object),
        "objective": key_results["objective"].to_numpy(dtype=object)[at],
        "date": rows["date"].to_numpy(dtype="datetime64[ns]"),
        "value": rows["value"].to_numpy(dtype="float64"),
        "progress": progress,
        "confidence": rows["confidence"].to_numpy(dtype="float64"),
    })
    first, end = periods(key_results, objectives)
    has = ~np.isnat(first)
    ids = key_results["id"].to_numpy(dtype=object)[has]
    line = pd.DataFrame({
        "key_result": np.concatenate([ids, ids]),
        "date": np.concatenate([first[has], end[has]]).astype("datetime64[ns]"),
        "expected": np.concatenate([np.zeros(has.sum()), np.ones(has.sum())]),
    }).sort_values(["key_result", "date"], kind="stable").reset_index(drop=True)
    return points.reset_index(drop=True), line
