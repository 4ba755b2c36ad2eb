"""05 · Check-ins: a person's key results with progress and status, a check-in form, history and charts.

Key results measured from data (see :mod:`okr_workshop.measure`) say so,
with their source and the date of their latest measured value; for them a
person gives only confidence and a note.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as W
import pandas as pd
import traitlets as T

from okr_workshop.apps.base import App, Telling, choices, error_text, message_html
from okr_workshop.apps.guide import Guide
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.measure import Source, stored_sources
from okr_workshop.model import MEASURE_AUTHOR
from okr_workshop.palette import NO_STYLE, STATUSES
from okr_workshop.tracking.checkins import history, record_checkin
from okr_workshop.tracking.standing import timeline
from okr_workshop.tracking.status import build_status

__all__ = ["CheckinsApp", "Measured", "Standing", "changes_html", "checkin_records", "history_html",
           "key_result_standings", "measured_key_results", "progress_html", "standing_value"]


def _figure(value: float | None) -> str:
    return "–" if pd.isna(value) else f"{value:,.6g}"


@dataclass(frozen=True)
class Measured:
    """A key result whose value comes from data: its source in words, and the date of its latest measured value."""

    source: str
    """Where the value comes from, without any password (``analytics.db, query 3f2a9c01de``)."""
    date: dt.date | None = None
    """None until its source has given a value."""

    def text(self) -> str:
        """``measured from analytics.db, query 3f2a9c01de, 2026-11-27`` (before its first value: no value yet)."""
        return f"measured from {self.source}, {self.date.isoformat() if self.date else 'no value measured yet'}"


def measured_key_results(checkins: pd.DataFrame, sources: Iterable[Source]) -> dict[str, Measured]:
    """The key results measured from data, by id.

    A key result is measured when a source is attached to it in the store, or
    when its latest value came from ``okr-workshop measure`` (check-ins by
    ``measure``): a person's later check-in that carries the measured value keeps
    it measured, one giving another value takes it back. The source in words is
    the attached one, else the one the latest measured check-in's note names.
    """
    attached = {source.key_result: source.described() for source in sources}
    ordered = checkins.sort_values("date", kind="stable")  # within a day: as recorded
    measured = {}
    for key_result, rows in ordered.groupby("key_result", sort=False):
        found = _latest_measured(rows)
        if found is None:
            continue
        latest, since = found
        if key_result in attached or (since["value"] == latest["value"]).all():
            note = latest["note"] if isinstance(latest["note"], str) else ""
            source = attached.get(key_result) or note.removeprefix("measured from ") or "data"
            measured[key_result] = Measured(source, latest["date"].date())
    for key_result, source in attached.items():
        measured.setdefault(key_result, Measured(source))
    return measured


def _latest_measured(rows: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame] | None:
    """A key result's latest check-in by ``measure`` and the check-ins after it (``rows`` in date order); None
    when ``measure`` never checked in on it.
    """
    positions = (rows["author"] == MEASURE_AUTHOR).to_numpy().nonzero()[0]
    if not len(positions):
        return None
    return rows.iloc[positions[-1]], rows.iloc[positions[-1] + 1:]


def standing_value(frame: pd.DataFrame, day: dt.date) -> float | None:
    """The value a key result stands at on ``day``: its latest check-in's on or before it (``frame`` as
    :func:`~okr_workshop.tracking.checkins.history` gives it); None before its first.
    """
    earlier = frame[frame["date"] <= pd.Timestamp(day)]
    return None if earlier.empty else float(earlier["value"].iloc[-1])


@dataclass(frozen=True)
class Standing:
    """Where one of a person's key results stands today: a row of the overview, and the key result picked."""

    id: str
    title: str
    progress: float
    """The share of the way from start to target, 0–1."""
    expected: float | None
    """The share expected by today; None when there is no expectation."""
    status: str
    """The contract's status: ``on_track``, ``at_risk``, ``off_track``, ..."""
    current: float | None
    """The value it stands at; None before any check-in."""
    confidence: float | None
    measured: Measured | None = None
    """Where its value comes from, when it is measured from data."""


def _plain(value):
    """``value`` without pandas' missing values: None for NaN and NaT."""
    return None if pd.isna(value) else value


def key_result_standings(key_results: pd.DataFrame,
                         measured: Mapping[str, Measured] | None = None) -> list[Standing]:
    """Each of ``key_results`` (a status report's) as a :class:`Standing`, with its entry in ``measured``."""
    measured = measured or {}
    return [Standing(kr.id, kr.title, float(kr.progress), _plain(kr.expected), kr.status, _plain(kr.current),
                     _plain(kr.confidence), measured.get(kr.id))
            for kr in key_results.itertuples(index=False)]


def checkin_records(frame: pd.DataFrame) -> list[dict]:
    """A key result's check-ins (``frame`` as :func:`~okr_workshop.tracking.checkins.history` gives it), oldest
    first, as ``{"date", "value", "confidence", "note", "author"}`` with the date as ``2026-11-20``.
    """
    return [{"date": f"{row.date:%Y-%m-%d}", "value": _plain(row.value), "confidence": _plain(row.confidence),
             "note": _plain(row.note), "author": _plain(row.author)}
            for row in frame.itertuples(index=False)]


def _decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def progress_html(key_results: Sequence[Standing]) -> str:
    """The person's key results: progress bar against expected, status and confidence; escaped.

    A measured key result says where its value comes from, under its title.
    """
    if not key_results:
        return '<div class="okr-app"><p class="okr-muted">No key results of yours this quarter.</p></div>'
    rows = []
    for kr in key_results:
        style = STATUSES.get(kr.status, NO_STYLE)
        width = round(kr.progress * 100)
        source = (f'<div class="okr-muted okr-measured">{html.escape(kr.measured.text())}</div>'
                  if kr.measured else "")
        rows.append(
            f"<tr><td><b>{html.escape(kr.id)}</b> {html.escape(kr.title)}{source}</td>"
            f'<td><span class="okr-bar"><span style="width:{width}%;background:{style.colour}"></span></span> '
            f"{width}%</td><td>{'–' if kr.expected is None else round(kr.expected * 100)}%</td>"
            f'<td style="color:{style.text};font-weight:600">{html.escape(style.label)}</td>'
            f"<td>{_figure(kr.current)}</td><td>{_decimal(kr.confidence)}</td></tr>")
    return ('<div class="okr-app"><table class="okr-table"><tr><th>key result</th><th>progress</th>'
            "<th>expected</th><th>status</th><th>now</th><th>confidence</th></tr>" + "".join(rows) + "</table></div>")


def history_html(checkins: Sequence[dict]) -> str:
    """A key result's check-ins (as :func:`checkin_records` gives them), newest first, with who wrote them; escaped."""
    if not checkins:
        return '<div class="okr-app"><p class="okr-muted">No check-ins yet.</p></div>'
    rows = "".join(
        f"<tr><td>{c['date']}</td><td>{_figure(c['value'])}</td><td>{_decimal(c['confidence'])}</td>"
        f"<td>{html.escape(c['note'] or '')}</td><td>{html.escape(c['author'] or '')}</td></tr>"
        for c in reversed(checkins))
    return ('<div class="okr-app"><table class="okr-table"><tr><th>date</th><th>value</th><th>confidence</th>'
            f"<th>note</th><th>by</th></tr>{rows}</table></div>")


def changes_html(changes: list[dict]) -> str:
    """A key result's changes since its quarter began (the contract's ``changes`` list), oldest first; escaped."""
    if not changes:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(c['date'])}</td><td>{html.escape(c['field'])}</td>"
        f"<td>{html.escape(c['old'] or '–')} → {html.escape(c['new'] or '–')}</td>"
        f"<td>{html.escape(c['reason'])}</td><td>{html.escape(c['author'])}</td></tr>"
        for c in changes)
    return ('<div class="okr-app"><h4>Changed since the quarter began</h4><table class="okr-table"><tr><th>date</th>'
            f"<th>what</th><th>from → to</th><th>why</th><th>by</th></tr>{rows}</table></div>")


class CheckinsApp(App, Telling):
    """Pick yourself, see how your key results stand, record this week's value, confidence and note.

    A key result measured from data (:func:`measured_key_results`) says where
    its value comes from and the date of its latest measured value, in the
    overview and when picked. Its value is the data's, so the form hides the
    value box and asks only for confidence and a note; the check-in carries the
    value the key result stands at on the check-in's date (:func:`standing_value`:
    the latest measured value once its source has run). Progress, status and
    history stay as the data has them, and the person's confidence and note
    join the history beside the measured values. Before any value is on record
    there is nothing to carry: the app says so and writes nothing.

    What it shows is data, kept in traits and drawn as HTML whenever they
    change: ``standings`` (the person's key results; None until someone is
    picked), ``standing`` (the key result picked, or None), its ``checkins``
    and ``changes``, and the last save's ``message`` with its ``message_kind``.
    """

    title = "Check-ins"
    intro = "Where each key result stands, how sure you are, and what changed."

    standings = T.List(T.Instance(Standing), allow_none=True, default_value=None)
    standing = T.Instance(Standing, allow_none=True)
    checkins = T.List(T.Dict())
    changes = T.List(T.Dict())

    def __init__(self, db: str | None = None, *, today: dt.date | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.today = today or dt.date.today()
        self.person = self.picker()
        self.person.dropdown.observe(lambda _: self.refresh(), names="value")
        self.guide = Guide("checkins")
        self.overview = W.HTML()
        self.key_result = W.Dropdown(description="Key result", options=[("Pick a key result", "")], value="",
                                     layout=W.Layout(width="40rem"), style={"description_width": "6rem"})
        self.key_result.observe(lambda _: self.show_key_result(), names="value")
        self.measured_line = W.HTML()
        self.value = W.Text(description="Value", placeholder="today's value, e.g. 2,140 or 3.9%",
                            style={"description_width": "6rem"})
        self.confidence = W.FloatSlider(value=0.7, min=0.0, max=1.0, step=0.1, description="Confidence",
                                        readout_format=".1f", style={"description_width": "6rem"})
        self.note = W.Textarea(description="Note", placeholder="What moved it, what blocks it, what you will try next",
                               layout=W.Layout(width="40rem", height="4.5rem"), style={"description_width": "6rem"})
        self.date = W.DatePicker(description="Date", value=self.today, style={"description_width": "6rem"})
        self.save_button = W.Button(description="Record check-in", button_style="primary", icon="check")
        self.save_button.on_click(lambda _: self.save())
        self.history = W.HTML()
        self.charts = W.HTML()
        form = W.VBox([self.key_result, self.measured_line, self.value, self.confidence, self.date, self.note,
                       self.save_button, self.message_box])
        self.widget.children = [self.header, self.person.dropdown, self.status, self.guide.widget,
                                W.HTML('<div class="okr-app"><h3>Your key results</h3></div>'), self.overview,
                                W.HTML('<div class="okr-app"><h3>Check in</h3></div>'), form,
                                W.HTML('<div class="okr-app"><h3>History</h3></div>'), self.history, self.charts]
        self.refresh()

    @property
    def measured(self) -> dict[str, Measured]:
        """The person's key results measured from data, by id (as of the last refresh)."""
        return {kr.id: kr.measured for kr in self.standings or () if kr.measured}

    def refresh(self) -> None:
        """Re-read the store: the person's key results with progress and status as of today, and which are measured."""
        person = self.person.value
        if person is None:
            self.say("Pick your name to see your key results.")
            self.standings = None
            self.key_result.options = [("Pick a key result", "")]
            return
        self.clear_status()
        workbook = self.workbook(person)
        report = build_status(workbook, as_of=self.today, quarter=self.quarter)
        objectives = workbook["objectives"]
        owned = set(objectives.loc[objectives["owner"] == person, "id"])
        krs = workbook["key_results"]
        mine_ids = set(krs.loc[(krs["owner"] == person) | krs["objective"].isin(owned), "id"])
        mine = report.key_results[report.key_results["id"].isin(mine_ids)]
        self._workbook, self._report = workbook, report
        measured = measured_key_results(workbook["checkins"], stored_sources(self.store))
        self.standings = key_result_standings(mine, measured)
        chosen = self.key_result.value
        self.key_result.options = [("Pick a key result", ""), *choices(mine)]
        self.key_result.value = chosen if chosen in mine_ids else ""
        self.show_key_result()

    def show_key_result(self) -> None:
        """The chosen key result: where it stands, its check-ins and changes, and its charts."""
        key_result = self.key_result.value
        with self.hold_trait_notifications():
            self.standing = next((kr for kr in self.standings or () if kr.id == key_result), None)
            self.checkins = checkin_records(history(self.store, key_result)) if key_result else []
            self.changes = self._report.changes_of(key_result) if key_result else []
        self.show_charts()

    def show_charts(self) -> None:
        """The chosen key result's progress and confidence charts."""
        key_result = self.key_result.value
        if not key_result:
            self.charts.value = ""
            return
        workbook = self._workbook
        krs = workbook["key_results"][workbook["key_results"]["id"] == key_result]
        points, expected = timeline(krs, workbook["checkins"], workbook["objectives"])
        if points.empty:
            self.charts.value = ""
            return
        from okr_workshop.tracking.charts import confidence_chart, progress_chart, to_svg  # noqa: PLC0415 - altair only when a chart is drawn

        self.charts.value = (f'<div class="okr-app" style="display:flex;gap:1rem;flex-wrap:wrap">'
                             f"<div>{to_svg(progress_chart(points, expected))}</div>"
                             f"<div>{to_svg(confidence_chart(points))}</div></div>")

    @T.observe("standings")
    def _render_overview(self, _change) -> None:
        self.overview.value = "" if self.standings is None else progress_html(self.standings)

    @T.observe("standing")
    def _render_standing(self, _change) -> None:
        measured = self.standing.measured if self.standing else None
        self.value.layout.display = "none" if measured else None
        self.measured_line.value = "" if measured is None else message_html(
            f"{self.standing.id} is {measured.text()}: its value comes from the data. "
            "Say how confident you are and what you see.", "info")

    @T.observe("standing", "checkins", "changes")
    def _render_history(self, _change) -> None:
        self.history.value = "" if self.standing is None else changes_html(self.changes) + history_html(self.checkins)

    def save(self) -> bool:
        """Record the check-in; on a refusal, say what to fix and write nothing.

        For a measured key result the check-in carries the value it stands at on
        the check-in's date, with the person's confidence and note.
        """
        key_result = self.key_result.value
        if not key_result:
            self.tell("Pick the key result you are checking in on.", "error")
            return False
        day = self.date.value or dt.date.today()
        measured = key_result in self.measured
        if measured:
            value = standing_value(history(self.store, key_result), day)
            if value is None:
                self.tell(f"{key_result} has no value on record on or before {day.isoformat()} yet: its source "
                          "records the first when okr-workshop measure runs. Nothing was written.", "error")
                return False
        else:
            value = self.value.value
        try:
            record_checkin(self.store, key_result, value, confidence=self.confidence.value,
                           note=self.note.value or None, author=self.person.value, date=day,
                           recorded_by=self.at_keyboard(self.person.value))
        except OkrWorkshopError as error:
            self.tell(error_text(error), "error")
            return False
        self.tell(f"Recorded confidence {self.confidence.value:.1f} for {key_result}; its value stays "
                  f"{_figure(value)}." if measured else f"Recorded {self.value.value.strip()} for {key_result}.",
                  "success")
        self.value.value = self.note.value = ""
        self.refresh()
        return True
