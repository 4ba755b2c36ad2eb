"""Charts of the quarter, as altair specs: progress against expected, confidence over time, score by team.

Each chart is a function from tidy frames (:func:`okr_workshop.tracking.standing.timeline`,
:attr:`okr_workshop.tracking.status.StatusReport.teams`) to an ``altair.Chart``; the
same function serves the apps and the reports, and how a chart is shown is
chosen elsewhere. :func:`to_svg` and :func:`save_svg` render through
vl-convert, which needs no network (the default notebook renderer loads
vega from a CDN and shows nothing offline).

The registry :data:`charts` names them, so apps and reports can offer them by name::

    charts.get("score_by_team")(report.teams)

An unknown name raises :class:`~okr_workshop.exceptions.UnknownNameError` naming the charts there are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd

from okr_workshop.palette import GRADE_COLOURS, STATUS_COLOURS
from okr_workshop.registry import Registry

__all__ = [
    "GRADE_COLOURS",
    "STATUS_COLOURS",
    "Chart",
    "charts",
    "confidence_chart",
    "progress_chart",
    "save_svg",
    "team_score_chart",
    "to_svg",
]

MANY = 10
"""Above this many key results, the confidence chart shows the mean per date instead of one line each."""
WIDTH, HEIGHT = 520, 260
_DATE_AXIS = alt.Axis(format="%d %b", title=None, labelAngle=0)


Chart = Callable[..., alt.TopLevelMixin]
"""A chart: a function from tidy frames to an altair chart."""

charts: Registry[Chart] = Registry("chart")
"""The charts by name, in the order the apps and reports offer them."""


@charts.register(name="progress")
def progress_chart(points: pd.DataFrame, expected: pd.DataFrame | None = None,
                   title: str = "Progress against expected") -> alt.TopLevelMixin:
    """Progress (0 to 1) of each key result at its check-ins, with the expected line dashed behind it.

    ``points`` and ``expected`` are the two frames of :func:`okr_workshop.tracking.standing.timeline`.
    """
    data = points.dropna(subset=["progress"])[["key_result", "date", "progress"]]
    y = alt.Y("progress:Q", title="progress", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    actual = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("date:T", axis=_DATE_AXIS), y=y, color=alt.Color("key_result:N", title="key result"),
        tooltip=["key_result:N", alt.Tooltip("date:T"), alt.Tooltip("progress:Q", format=".0%")],
    )
    layers = [actual]
    if expected is not None and len(expected):
        frame = expected[expected["key_result"].isin(data["key_result"])] if len(data) else expected
        layers.insert(0, alt.Chart(frame).mark_line(strokeDash=[4, 4], color="#8a93a3").encode(
            x="date:T", y=alt.Y("expected:Q", scale=alt.Scale(domain=[0, 1])), detail="key_result:N",
            tooltip=["key_result:N", alt.Tooltip("date:T"), alt.Tooltip("expected:Q", format=".0%")],
        ))
    return alt.layer(*layers).properties(title=title, width=WIDTH, height=HEIGHT)


@charts.register(name="confidence")
def confidence_chart(points: pd.DataFrame, title: str = "Confidence over the quarter") -> alt.TopLevelMixin:
    """The owners' confidence at each check-in: one line per key result, or the mean per date when there are many."""
    data = points.dropna(subset=["confidence"])[["key_result", "date", "confidence"]]
    many = data["key_result"].nunique() > MANY
    label = "mean confidence" if many else "confidence"
    y = alt.Y("confidence:Q", scale=alt.Scale(domain=[0, 1]), title=label)
    bands = pd.DataFrame({"from": [0.0, 0.4, 0.7], "to": [0.4, 0.7, 1.0], "band": ["red", "yellow", "green"]})
    background = alt.Chart(bands).mark_rect(opacity=0.08).encode(
        y=alt.Y("from:Q", scale=alt.Scale(domain=[0, 1]), title=label), y2="to:Q",
        color=alt.Color("band:N", scale=alt.Scale(domain=list(GRADE_COLOURS), range=list(GRADE_COLOURS.values())),
                        legend=None),
    )
    if many:
        mean = data.groupby("date", as_index=False)["confidence"].mean()
        lines = alt.Chart(mean).mark_line(point=True).encode(
            x=alt.X("date:T", axis=_DATE_AXIS), y=y,
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("confidence:Q", format=".2f")])
    else:
        lines = alt.Chart(data).mark_line(point=True).encode(
            x=alt.X("date:T", axis=_DATE_AXIS), y=y, color=alt.Color("key_result:N", title="key result"),
            tooltip=["key_result:N", alt.Tooltip("date:T"), alt.Tooltip("confidence:Q", format=".2f")])
    return alt.layer(background, lines).resolve_scale(color="independent", y="shared").properties(
        title=title, width=WIDTH, height=HEIGHT)


@charts.register(name="score_by_team")
def team_score_chart(teams: pd.DataFrame, title: str = "Score by team") -> alt.TopLevelMixin:
    """One bar per team (its score, 0 to 1), coloured by grade, with the yellow and green thresholds marked.

    ``teams`` is :attr:`okr_workshop.tracking.status.StatusReport.teams` (indexed by team id, with ``name``,
    ``score`` and ``grade``).
    """
    data = teams.reset_index().rename(columns={teams.index.name or "index": "team"})
    data = data.assign(label=data["name"].where(data["name"].notna(), data["team"]))[["team", "label", "score",
                                                                                      "grade"]]
    data = data.dropna(subset=["score"])
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 1]), title="score"),
        y=alt.Y("label:N", sort="-x", title=None),
        color=alt.Color("grade:N", scale=alt.Scale(domain=list(GRADE_COLOURS), range=list(GRADE_COLOURS.values())),
                        legend=None),
        tooltip=["label:N", alt.Tooltip("score:Q", format=".2f"), "grade:N"],
    )
    rules = alt.Chart(pd.DataFrame({"at": [0.4, 0.7]})).mark_rule(strokeDash=[3, 3], color="#596273").encode(x="at:Q")
    return alt.layer(bars, rules).properties(title=title, width=WIDTH, height=max(60, 28 * len(data)))


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text, rendered locally by vl-convert (no network)."""
    import vl_convert  # noqa: PLC0415 - only needed when rendering

    return vl_convert.vegalite_to_svg(chart.to_dict(), vl_version=_vl_version())


def save_svg(chart: alt.TopLevelMixin, path: str | Path) -> Path:
    """Write the chart to ``path`` as SVG; returns the path."""
    path = Path(path)
    path.write_text(to_svg(chart), encoding="utf-8")
    return path


def _vl_version() -> str:
    """The Vega-Lite version altair writes specs for, as vl-convert names it (``5.20`` -> ``v5_20``)."""
    major, minor, *_ = alt.SCHEMA_VERSION.lstrip("v").split(".")
    return f"v{major}_{minor}"
