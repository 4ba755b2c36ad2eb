"""05 · Check-ins: a person's key results with progress and status, a check-in form, history and charts."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as W
import pandas as pd

from okr_workshop.apps.base import App, PersonPicker, error_text, message_html
from okr_workshop.apps.guide import Guide
from okr_workshop.checkins import history, record_checkin
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.status import build_status
from okr_workshop.tracking import timeline

__all__ = ["CheckinsApp", "changes_html", "history_html", "progress_html"]

_STATUS = {"on_track": ("on track", "#2e7d32"), "at_risk": ("at risk", "#e0a100"),
           "off_track": ("off track", "#c62828"), "done": ("done", "#1d6b35")}


def _figure(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:,.6g}"


def progress_html(key_results: pd.DataFrame) -> str:
    """The person's key results: progress bar against expected, status and confidence; escaped."""
    if key_results.empty:
        return '<div class="okr-app"><p class="okr-muted">No key results of yours this quarter.</p></div>'
    rows = []
    for kr in key_results.itertuples(index=False):
        label, colour = _STATUS.get(kr.status, (str(kr.status or "–"), "#596273"))
        width = round(float(kr.progress) * 100)
        rows.append(
            f"<tr><td><b>{html.escape(kr.id)}</b> {html.escape(kr.title)}</td>"
            f'<td><span class="okr-bar"><span style="width:{width}%;background:{colour}"></span></span> '
            f"{width}%</td><td>{round(float(kr.expected) * 100) if kr.expected == kr.expected else '–'}%</td>"
            f'<td style="color:{colour};font-weight:600">{html.escape(label)}</td>'
            f"<td>{_figure(kr.current)}</td><td>{'–' if kr.confidence != kr.confidence else f'{kr.confidence:.1f}'}"
            "</td></tr>")
    return ('<div class="okr-app"><table class="okr-table"><tr><th>key result</th><th>progress</th>'
            "<th>expected</th><th>status</th><th>now</th><th>confidence</th></tr>" + "".join(rows) + "</table></div>")


def history_html(frame: pd.DataFrame) -> str:
    """A key result's check-ins, newest first, with who wrote them; escaped."""
    if frame.empty:
        return '<div class="okr-app"><p class="okr-muted">No check-ins yet.</p></div>'
    rows = "".join(
        f"<tr><td>{row.date:%Y-%m-%d}</td><td>{_figure(row.value)}</td>"
        f"<td>{'–' if row.confidence != row.confidence else f'{row.confidence:.1f}'}</td>"
        f"<td>{html.escape(row.note or '')}</td><td>{html.escape(row.author or '')}</td></tr>"
        for row in frame.iloc[::-1].itertuples(index=False))
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


class CheckinsApp(App):
    """Pick yourself, see how your key results stand, record this week's value, confidence and note."""

    title = "Check-ins"
    intro = "Where each key result stands, how sure you are, and what changed."

    def __init__(self, db: str | None = None, *, today: dt.date | None = None, **kwargs):
        super().__init__(db, **kwargs)
        self.today = today or dt.date.today()
        self.person = PersonPicker(self.people, team_names=self.team_names)
        self.person.dropdown.observe(lambda _: self.refresh(), names="value")
        self.guide = Guide("checkins")
        self.overview = W.HTML()
        self.key_result = W.Dropdown(description="Key result", options=[("Pick a key result", "")], value="",
                                     layout=W.Layout(width="40rem"), style={"description_width": "6rem"})
        self.key_result.observe(lambda _: self.show_history(), names="value")
        self.value = W.Text(description="Value", placeholder="today's value, e.g. 2,140 or 3.9%",
                            style={"description_width": "6rem"})
        self.confidence = W.FloatSlider(value=0.7, min=0.0, max=1.0, step=0.1, description="Confidence",
                                        readout_format=".1f", style={"description_width": "6rem"})
        self.note = W.Textarea(description="Note", placeholder="What moved it, what blocks it, what you will try next",
                               layout=W.Layout(width="40rem", height="4.5rem"), style={"description_width": "6rem"})
        self.date = W.DatePicker(description="Date", value=self.today, style={"description_width": "6rem"})
        self.save_button = W.Button(description="Record check-in", button_style="primary", icon="check")
        self.save_button.on_click(lambda _: self.save())
        self.message = W.HTML()
        self.history = W.HTML()
        self.charts = W.HTML()
        form = W.VBox([self.key_result, self.value, self.confidence, self.date, self.note, self.save_button,
                       self.message])
        self.widget.children = [self.header, self.person.dropdown, self.status, self.guide.widget,
                                W.HTML('<div class="okr-app"><h3>Your key results</h3></div>'), self.overview,
                                W.HTML('<div class="okr-app"><h3>Check in</h3></div>'), form,
                                W.HTML('<div class="okr-app"><h3>History</h3></div>'), self.history, self.charts]
        self.refresh()

    def refresh(self) -> None:
        """Re-read the store: the person's key results with progress and status as of today."""
        person = self.person.value
        if person is None:
            self.say("Pick your name to see your key results.")
            self.overview.value = self.history.value = self.charts.value = ""
            self.key_result.options = [("Pick a key result", "")]
            return
        self.status.value = ""
        workbook = self.workbook(person)
        report = build_status(workbook, as_of=self.today, quarter=self.quarter)
        objectives = workbook["objectives"]
        owned = set(objectives.loc[objectives["owner"] == person, "id"])
        krs = workbook["key_results"]
        mine_ids = set(krs.loc[(krs["owner"] == person) | krs["objective"].isin(owned), "id"])
        mine = report.key_results[report.key_results["id"].isin(mine_ids)]
        self.overview.value = progress_html(mine)
        chosen = self.key_result.value
        self.key_result.options = [("Pick a key result", "")] + [
            (f"{kr.id} · {kr.title}", kr.id) for kr in mine.itertuples(index=False)]
        self.key_result.value = chosen if chosen in mine_ids else ""
        self._workbook, self._report = workbook, report
        self.show_history()

    def show_history(self) -> None:
        """The chosen key result's history table and its progress and confidence charts."""
        key_result = self.key_result.value
        if not key_result:
            self.history.value = self.charts.value = ""
            return
        self.history.value = (changes_html(self._report.changes_of(key_result))
                              + history_html(history(self.store, key_result)))
        workbook = self._workbook
        krs = workbook["key_results"][workbook["key_results"]["id"] == key_result]
        points, expected = timeline(krs, workbook["checkins"], workbook["objectives"])
        if points.empty:
            self.charts.value = ""
            return
        from okr_workshop.charts import confidence_chart, progress_chart, to_svg

        self.charts.value = (f'<div class="okr-app" style="display:flex;gap:1rem;flex-wrap:wrap">'
                             f"<div>{to_svg(progress_chart(points, expected))}</div>"
                             f"<div>{to_svg(confidence_chart(points))}</div></div>")

    def save(self) -> bool:
        """Record the check-in; on a refusal, say what to fix and write nothing."""
        if not self.key_result.value:
            self.message.value = message_html("Pick the key result you are checking in on.", "error")
            return False
        try:
            record_checkin(self.store, self.key_result.value, self.value.value, confidence=self.confidence.value,
                           note=self.note.value or None, author=self.person.value, date=self.date.value)
        except OkrWorkshopError as error:
            self.message.value = message_html(error_text(error), "error")
            return False
        self.message.value = message_html(f"Recorded {self.value.value.strip()} for {self.key_result.value}.",
                                          "success")
        self.value.value = self.note.value = ""
        self.refresh()
        return True
