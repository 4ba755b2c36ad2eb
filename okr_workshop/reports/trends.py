"""The quarter over time: progress against expected, confidence, and (for the company) scores by team.

Series are computed on whole columns: the check-ins become a key result by
date table, carried forward from each check-in to the next, so a large
company takes milliseconds. The last point of each line is the figure the
report shows today, so chart and tables agree.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd

from okr_workshop.palette import GRADE_COLOURS, NO_STYLE
from okr_workshop.reports import markup as m
from okr_workshop.reports import svg
from okr_workshop.tracking import standing
from okr_workshop.tracking.scoring import grades

__all__ = ["MAX_LINES", "MAX_TEAM_BARS", "charts", "confidence_series", "progress_series"]

MAX_LINES = len(svg.PALETTE)
"""Above this many objectives the progress chart shows their mean, with the middle half shaded."""
MAX_TEAM_BARS = 24
"""Above this many teams the company's chart shows how many teams score in each tenth instead of a bar each."""


def _grid(review, dates) -> list[pd.Timestamp]:
    first = pd.Timestamp(review.period[0])
    today = pd.Timestamp(review.as_of)
    inside = sorted({pd.Timestamp(d) for d in dates if first < pd.Timestamp(d) < today})
    return [first, *inside, today] if today > first else [first]


def progress_series(review) -> tuple[list[pd.Timestamp], pd.DataFrame, np.ndarray]:
    """Dates, each shown objective's progress at them (objective by date), and the mean expected progress.

    Before a key result's first check-in its progress is 0; on ``as_of``
    it is the progress the report shows.
    """
    shown = review.key_results[review.key_results["objective"].isin(review.shown["id"])]
    table = review.workbook["key_results"]
    table = table[table["id"].isin(shown["id"])]
    points, _ = standing.timeline(table, review.workbook["checkins"], review.workbook["objectives"])
    points = points[points["date"] <= pd.Timestamp(review.as_of)]
    grid = _grid(review, points["date"].unique())
    matrix = _carried(points, "progress", shown["id"], grid, start=np.zeros(len(shown)),
                      end=np.nan_to_num(shown["progress"].to_numpy(dtype="float64")))
    weight = shown["weight"].to_numpy(dtype="float64")
    weighted = pd.DataFrame(matrix * weight[:, None], columns=grid).assign(_o=shown["objective"].to_numpy())
    sums = weighted.groupby("_o", sort=False).sum()
    weights = pd.Series(weight).groupby(shown["objective"].to_numpy()).sum()
    by_objective = sums.div(weights.reindex(sums.index), axis=0).reindex(review.shown["id"]).dropna(how="all")
    first, end = standing.periods(table.set_index("id").loc[shown["id"]].reset_index(), review.workbook["objectives"])
    expected = np.array([np.average(np.nan_to_num(standing.expected_progress(first, end, day.date())), weights=weight)
                         if len(weight) else 0.0 for day in grid])
    return grid, by_objective, expected


def confidence_series(review) -> tuple[list[pd.Timestamp], np.ndarray, np.ndarray, np.ndarray]:
    """Dates and the owners' confidence at them across the listed key results: mean, lower and upper quartile.

    For the company these are the company's and the teams' key results, as in its other lists.
    """
    krs = review.key_results
    checkins = review.workbook["checkins"]
    rows = checkins[checkins["key_result"].isin(krs["id"]) & (checkins["date"] <= pd.Timestamp(review.as_of))]
    grid = _grid(review, rows["date"].unique())
    own = review.workbook["key_results"].drop_duplicates("id").set_index("id")["confidence"]
    start = krs["id"].map(own).to_numpy(dtype="float64")
    matrix = _carried(rows, "confidence", krs["id"], grid, start=start,
                      end=krs["confidence"].to_numpy(dtype="float64"))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a date on which no key result has a confidence yet
        mean = np.nanmean(matrix, axis=0) if len(matrix) else np.full(len(grid), np.nan)
        low = np.nanpercentile(matrix, 25, axis=0) if len(matrix) else mean
        high = np.nanpercentile(matrix, 75, axis=0) if len(matrix) else mean
    return grid, mean, low, high


def _carried(points: pd.DataFrame, column: str, ids: pd.Series, grid: list[pd.Timestamp], start: np.ndarray,
             end: np.ndarray) -> np.ndarray:
    """Key result by date: ``start`` on the first date, each check-in's ``column`` carried forward, ``end`` on the last.

    ``points`` are in date order (as recorded within a date); the last one of a key result on a date counts.
    """
    n, width = len(ids), len(grid)
    matrix = np.full((n, width), np.nan)
    if len(points) and n:
        rows = pd.Index(ids.to_numpy(dtype=object)).get_indexer(points["key_result"].to_numpy(dtype=object))
        slots = np.searchsorted(np.array(grid, dtype="datetime64[ns]"), points["date"].to_numpy(dtype="datetime64[ns]"))
        values = points[column].to_numpy(dtype="float64")
        keep = np.flatnonzero((rows >= 0) & (slots < width) & np.isfinite(values))
        cells = rows[keep] * width + slots[keep]
        _, first_from_end = np.unique(cells[::-1], return_index=True)
        last = keep[len(keep) - 1 - first_from_end]  # of several rows for one cell, the last one counts
        matrix[rows[last], slots[last]] = values[last]
    matrix[:, 0] = np.where(np.isfinite(matrix[:, 0]), matrix[:, 0], start)
    filled = np.where(np.isfinite(matrix), np.arange(width), 0)
    np.maximum.accumulate(filled, axis=1, out=filled)
    matrix = matrix[np.arange(n)[:, None], filled]
    if width > 1:
        matrix[:, -1] = np.where(np.isfinite(end), end, matrix[:, -1])
    return matrix


def _days(grid: list[pd.Timestamp]) -> list[dt.date]:
    return [d.date() for d in grid]


def charts(review) -> m.Html:
    """The charts section: progress against expected, confidence, and scores by team for the company."""
    first, last = review.period
    figures = []
    grid, by_objective, expected = progress_series(review)
    days = _days(grid)
    if len(by_objective):
        if len(by_objective) <= MAX_LINES:
            titles = dict(zip(review.shown["id"], review.shown["title"], strict=True))
            lines = [svg.Line(f"{oid} {titles.get(oid, '')}", days, row.to_numpy(), svg.PALETTE[i % len(svg.PALETTE)])
                     for i, (oid, row) in enumerate(by_objective.iterrows())]
        else:
            values = by_objective.to_numpy()
            lines = [svg.Line(f"mean of {len(values)} objectives", days, values.mean(axis=0), svg.PALETTE[0],
                              low=np.percentile(values, 25, axis=0), high=np.percentile(values, 75, axis=0))]
        expected_days = [*days, last] if days[-1] < last else days
        expected_line = np.append(expected, 1.0) if days[-1] < last else expected
        lines.append(svg.Line("expected", expected_days, expected_line, NO_STYLE.colour, dashed=True))
        what = "company objectives" if review.scope.kind == "company" else "objectives"
        figures.append(_figure(svg.line_chart(lines, first, last, label=f"Progress of the {what} over the quarter",
                                              today=review.as_of),
                               f"Progress of the {what} (weighted by their key results) against the expected pace "
                               "(dashed)."))
    grid, mean, low, high = confidence_series(review)
    if np.isfinite(mean).any():
        keep = np.isfinite(mean)
        days = [d for d, k in zip(_days(grid), keep, strict=True) if k]
        line = svg.Line("mean confidence", days, mean[keep], svg.PALETTE[0], low=low[keep], high=high[keep])
        figures.append(_figure(svg.line_chart([line], first, last, label="Confidence over the quarter",
                                              today=review.as_of, bands=True),
                               f"Owners' confidence across {m.plural(len(review.key_results), 'key result')}: "
                               "the mean, the middle half shaded; bands at 0.4 and 0.7."))
    if review.scope.kind == "company":
        team_chart = _team_chart(review)
        if team_chart:
            figures.append(team_chart)
    if not figures:
        return m.section("Over the quarter", '<p class="muted">No check-ins yet, so nothing to draw.</p>')
    return m.section("Over the quarter", f'<div class="charts">{"".join(figures)}</div>')


def _figure(svg_text: str, caption: str) -> str:
    return f"<figure>{svg_text}<figcaption>{m.esc(caption)}</figcaption></figure>"


def _team_chart(review) -> str:
    teams = review.status.teams.dropna(subset=["score"])
    if not len(teams):
        return ""
    if len(teams) <= MAX_TEAM_BARS:
        teams = teams.sort_values("score", ascending=False, kind="stable")
        rows = [(str(name if isinstance(name, str) else tid), float(score), GRADE_COLOURS.get(grade, NO_STYLE.colour))
                for tid, name, score, grade in zip(teams.index, teams["name"], teams["score"], teams["grade"],
                                                   strict=True)]
        return _figure(svg.bar_chart(rows, label="Score by team"),
                       "Each team's score: the mean roll-up of its team objectives; dashed lines at 0.4 and 0.7.")
    bins = np.clip((teams["score"].to_numpy(dtype="float64") * 10).astype(int), 0, 9)
    counts = np.bincount(bins, minlength=10).tolist()
    colours = [GRADE_COLOURS[g] for g in grades(np.arange(10) / 10 + 0.05)]
    return _figure(svg.histogram(counts, colours, label="Teams by score"),
                   f"How many of the {len(teams):,} teams score in each tenth "
                   "(the mean roll-up of their team objectives).")
