"""The pieces every report section is made of: escaped text, numbers, chips, progress bars, tables, the stylesheet.

Every function that takes text a person typed (titles, notes, names, ids)
escapes it; sections build their HTML from these pieces only, so a title
such as ``<script>alert(1)</script>`` shows as text.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable

from okr_workshop.palette import GRADES, NO_STYLE, STATUSES, VERDICTS

__all__ = [
    "CSS",
    "STATUS_WORDS",
    "VERDICT_WORDS",
    "Headline",
    "Html",
    "bar",
    "chip",
    "date",
    "esc",
    "grade_chip",
    "more",
    "number",
    "percent",
    "plural",
    "section",
    "status_chip",
    "style_tag",
    "table",
    "value_text",
    "verdict_chip",
]

STATUS_WORDS = {status: STATUSES[status].label for status in ("done", "on_track", "at_risk", "off_track")}
"""The statuses' words (:data:`okr_workshop.palette.STATUSES`), best first, as a report tallies them."""
VERDICT_WORDS = {verdict: style.label for verdict, style in VERDICTS.items()}
"""The verdicts' words (:data:`okr_workshop.palette.VERDICTS`)."""
_UNGRADED_BAR = "#3c78b4"
"""A progress bar given no grade is blue."""


class Html(str):
    """HTML text that a notebook shows as HTML (and nbconvert keeps as such)."""

    def _repr_html_(self) -> str:
        return str(self)


class Headline(Html):
    """The headline's HTML, carrying its figures in the output's metadata for the index page."""

    figures: dict

    def __init__(self, text: str, figures: dict) -> None:
        super().__init__()
        self.figures = figures

    def __new__(cls, text: str, figures: dict):
        """Make the HTML string from ``text``; ``__init__`` keeps the figures."""
        return super().__new__(cls, text)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        plain = f"{self.figures['title']}: score {number(self.figures['score'])}"
        return {"text/html": str(self), "text/plain": plain}, {"okr_workshop": {"headline": self.figures}}


def esc(value: object) -> str:
    """Text for HTML: escaped, quotes included; None and NaN as an empty string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def percent(value: object) -> str:
    """``55%``; a dash when there is no value."""
    return "–" if _missing(value) else f"{round(100 * float(value)):d}%"


def number(value: object, digits: int = 2) -> str:
    """``0.55``; a dash when there is no value."""
    return "–" if _missing(value) else f"{float(value):.{digits}f}"


def value_text(value: object, unit: object = None) -> str:
    """A key result's value with its unit, as people write it: ``1,915 subscribers``, ``4.6%``."""
    if _missing(value):
        return "–"
    value = float(value)
    text = f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:,.10g}"
    if isinstance(unit, str) and unit:
        return esc(text + unit if unit in ("%", "h", "d") else f"{text} {unit}")
    return esc(text)


def date(value: object) -> str:
    """``20 Nov``; empty when there is no date."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return ""
    return f"{day.day} {day:%b}"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 objective``, ``3 objectives``."""
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


def chip(text: str, colour: str, title: str = "") -> str:
    """A small coloured label; ``text`` and ``title`` must already be escaped."""
    hint = f' title="{title}"' if title else ""
    return f'<span class="chip" style="background:{colour}"{hint}>{text}</span>'


def grade_chip(grade: object, score: object = None) -> str:
    """The grade colour with the score in it (``0.55``), grey when there is no score."""
    label = number(score) if score is not None else esc(grade or NO_STYLE.label)
    colour = GRADES[grade].colour if grade in GRADES else NO_STYLE.colour
    return chip(label, colour, esc(grade or "no score"))


def status_chip(status: object) -> str:
    """``on track`` and the others in their colours."""
    style = STATUSES.get(status) if isinstance(status, str) else None
    return chip(style.label, style.colour) if style else chip(esc(status), NO_STYLE.colour)


def verdict_chip(verdict: object) -> str:
    """``met``, ``exceeded`` or ``falling short``; empty when there is no score."""
    if not isinstance(verdict, str):
        return ""
    style = VERDICTS.get(verdict)
    return chip(style.label, style.colour) if style else chip(esc(verdict), NO_STYLE.colour)


def bar(progress: object, expected: object = None, grade: object = None) -> str:
    """A progress bar (0 to 1), filled in the grade's colour, with a tick where progress is expected to be."""
    share = 0.0 if _missing(progress) else max(0.0, min(1.0, float(progress)))
    colour = GRADES[grade].colour if grade in GRADES else _UNGRADED_BAR
    tick = ""
    if not _missing(expected):
        tick = f'<i style="left:{100 * max(0.0, min(1.0, float(expected))):.1f}%"></i>'
    return (f'<span class="bar" title="{percent(progress)} done, {percent(expected)} expected">'
            f'<b style="width:{100 * share:.1f}%;background:{colour}"></b>{tick}</span>')


def table(head: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    """A table from already escaped cells."""
    header = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="okr-t {cls}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def section(title: str, body: str, intro: str = "", cls: str = "") -> Html:
    """A report section: a heading, an optional line of explanation (escaped here), the body."""
    lead = f'<p class="lead">{esc(intro)}</p>' if intro else ""
    # The heading and its lead hold together with room for the first lines below them, so that a page never
    # ends on a heading (the room is taken back by a negative margin).
    return Html(f'<section class="okr-report okr-sec {cls}"><div class="sec-head"><h2>{esc(title)}</h2>{lead}'
                f'<div class="keep-room"></div></div>{body}</section>')


def more(count: int, noun: str) -> str:
    """A line saying how many rows were left out of a long list."""
    if count <= 0:
        return ""
    return f'<p class="more">… and {plural(count, noun)} more, left out to keep the report short.</p>'


CSS = """
.okr-report{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2430;
line-height:1.4;font-size:14px;max-width:62rem}
.okr-report h1{font-size:1.9rem;margin:.1rem 0 .2rem}.okr-report h2{font-size:1.3rem;margin:1.4rem 0 .4rem;
padding-bottom:.2rem;border-bottom:2px solid #e3e7ee}.okr-report h3{font-size:1.05rem;margin:0;display:inline}
.okr-report .kicker{color:#596273;font-size:.85rem;text-transform:uppercase;letter-spacing:.04em}
.okr-report .lead,.okr-report .more,.okr-report .muted{color:#596273}.okr-report .lead{margin:.1rem 0 .6rem}
.okr-report .id{color:#596273;font-size:.8rem;font-family:ui-monospace,Menlo,Consolas,monospace;margin-right:.35rem}
.chip{display:inline-block;color:#fff;border-radius:9px;padding:0 .45rem;font-size:.75rem;font-weight:600;
line-height:1.35rem;white-space:nowrap;vertical-align:middle}
.kpis{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.kpi{border:1px solid #d8dde6;border-radius:8px;padding:.5rem .8rem;min-width:9rem;flex:1 1 9rem;background:#fff}
.kpi .big{font-size:1.7rem;font-weight:700;line-height:1.2}.kpi .small{color:#596273;font-size:.8rem}
.kpi.score{border-width:0 0 0 6px;border-style:solid;background:#f6f7f9}
.stack{display:flex;height:.7rem;border-radius:4px;overflow:hidden;margin:.35rem 0 .2rem;background:#e3e7ee}
.stack span{display:block;height:100%}
.bar{display:inline-block;position:relative;width:7rem;height:.65rem;background:#e3e7ee;border-radius:4px;
vertical-align:middle;margin-right:.35rem}.bar b{position:absolute;left:0;top:0;bottom:0;border-radius:4px}
.bar i{position:absolute;top:-3px;bottom:-3px;width:2px;background:#1d2430;margin-left:-1px}
.okr-report table.okr-t{border-collapse:collapse;width:100%;margin:.3rem 0 .6rem;font-size:.85rem;table-layout:auto;
color:#1d2430}
.okr-report table.okr-t th{text-align:left;color:#596273;font-weight:600;border:0;border-bottom:1px solid #d8dde6;
padding:.25rem .4rem;vertical-align:bottom;line-height:1.3}
.okr-report table.okr-t td{text-align:left;border:0;border-bottom:1px solid #eef0f4;padding:.3rem .4rem;
vertical-align:top;line-height:1.35}
.okr-report table.okr-t tbody tr,.okr-report table.okr-t tbody tr:nth-child(odd),
.okr-report table.okr-t tbody tr:nth-child(even),.okr-report table.okr-t tbody tr:hover{background:transparent}
.okr-report .prog{white-space:nowrap}
.okr-report table.okr-t td:first-child{width:34%}.okr-report table.okr-t.krs td:last-child{width:30%}
.okr-report table.okr-t.carry td:first-child{width:48%}
.okr-report .sec-head{break-inside:avoid;page-break-inside:avoid}
.okr-report .keep-room{height:9rem;margin-bottom:-9rem}
.okr-report table.okr-t .num{white-space:nowrap}
.okr-t .note{color:#394150;font-size:.8rem}.okr-t .note .muted{font-size:.75rem}
.obj{border:1px solid #d8dde6;border-radius:8px;padding:.6rem .8rem .2rem;margin:.7rem 0;background:#fff}
.obj .meta{color:#596273;font-size:.8rem;margin:.2rem 0 .3rem}
.okr-report ul.tree{list-style:none;padding-left:0;margin:.3rem 0}.okr-report ul.tree li{padding:.15rem 0;
list-style:none;margin-bottom:0}
.tree .lvl{font-size:.7rem;color:#596273;text-transform:uppercase;margin-right:.3rem}
.callout{border-left:4px solid #3c78b4;background:#f3f7fb;padding:.4rem .7rem;margin:.4rem 0}
.callout.warn{border-color:#e8b422;background:#fdf8e8}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts figure{margin:0;flex:1 1 28rem}
.charts figcaption{font-size:.8rem;color:#596273}.charts svg{width:100%;height:auto}
.lesson{margin:.3rem 0;padding:.35rem .6rem;border-left:3px solid #3a9a5b;background:#f4faf6}
.okr-report ul.notes{margin:.2rem 0 .5rem;padding-left:1.1rem}.okr-report ul.notes li{margin:.1rem 0}
.prompt-q{font-style:italic;color:#394150}
@page{size:A4;margin:14mm 12mm}
@media print{
  .okr-report{font-size:11.5px;max-width:none}
  .okr-report h2,.okr-report h3,.okr-report .lead{break-after:avoid;page-break-after:avoid}
  .obj,.kpi,.okr-t tr,.charts figure,.lesson,.callout,.tree li{break-inside:avoid;page-break-inside:avoid}
  .okr-sec.new-page{break-before:page;page-break-before:always}
}
"""


def style_tag() -> str:
    """The report's stylesheet as a ``<style>`` element."""
    return f"<style>{CSS}</style>"
