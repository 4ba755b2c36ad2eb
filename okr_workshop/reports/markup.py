"""The pieces every report section is made of: number formats, chips, progress bars, the stylesheet, the templates.

A section gathers its figures in Python and hands them to its template in
``okr_workshop/pages/templates/report/`` (:func:`render`), which escapes
every value (autoescape): a title such as ``<script>alert(1)</script>``
shows as text. The one-line pieces stay here as functions the templates
call, because they are arithmetic and palette look-ups rather than layout:
the number formats, the chips (a grade, a status, a verdict in its colour)
and the progress bar (clamped widths). Those that make HTML return
:class:`markupsafe.Markup` and escape what they are given.
"""

from __future__ import annotations

import datetime as dt
import html
import math

from markupsafe import Markup, escape

from okr_workshop.pages import render as render_page
from okr_workshop.pages import stylesheet
from okr_workshop.palette import GRADES, NO_STYLE, STATUSES, VERDICTS

__all__ = [
    "CSS",
    "Headline",
    "Html",
    "bar",
    "chip",
    "date",
    "esc",
    "grade_chip",
    "integer",
    "number",
    "percent",
    "plural",
    "render",
    "section",
    "status_chip",
    "style_tag",
    "value_text",
    "verdict_chip",
]

_UNGRADED_BAR = STATUSES["done"].colour
"""A progress bar given no grade is blue, as a key result that is done."""


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


def integer(count: int) -> str:
    """``1,915``: a count with its thousands marked."""
    return f"{count:,}"


def value_text(value: object, unit: object = None) -> Markup:
    """A key result's value with its unit, as people write it: ``1,915 subscribers``, ``4.6%`` (escaped)."""
    if _missing(value):
        return Markup("–")
    value = float(value)
    text = f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:,.10g}"
    if isinstance(unit, str) and unit:
        return escape(text + unit if unit in ("%", "h", "d") else f"{text} {unit}")
    return escape(text)


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


def chip(text: object, colour: str, title: object = "") -> Markup:
    """A small coloured label; ``text`` and ``title`` are escaped here (:class:`~markupsafe.Markup` stays as it is)."""
    hint = Markup(' title="{}"').format(title) if title else ""
    return Markup('<span class="chip" style="background:{}"{}>{}</span>').format(colour, hint, text)


def grade_chip(grade: object, score: object = None) -> Markup:
    """The grade colour with the score in it (``0.55``), grey when there is no score."""
    label = number(score) if score is not None else (grade or NO_STYLE.label)
    colour = GRADES[grade].colour if grade in GRADES else NO_STYLE.colour
    return chip(label, colour, grade or "no score")


def status_chip(status: object) -> Markup:
    """``on track`` and the others in their colours."""
    style = STATUSES.get(status) if isinstance(status, str) else None
    return chip(style.label, style.colour) if style else chip(Markup(esc(status)), NO_STYLE.colour)


def verdict_chip(verdict: object) -> Markup:
    """``met``, ``exceeded`` or ``falling short``; empty when there is no score."""
    if not isinstance(verdict, str):
        return Markup()
    style = VERDICTS.get(verdict)
    return chip(style.label, style.colour) if style else chip(verdict, NO_STYLE.colour)


def bar(progress: object, expected: object = None, grade: object = None) -> Markup:
    """A progress bar (0 to 1), filled in the grade's colour, with a tick where progress is expected to be."""
    share = 0.0 if _missing(progress) else max(0.0, min(1.0, float(progress)))
    colour = GRADES[grade].colour if grade in GRADES else _UNGRADED_BAR
    tick = ""
    if not _missing(expected):
        tick = Markup('<i style="left:{:.1f}%"></i>').format(100 * max(0.0, min(1.0, float(expected))))
    return Markup('<span class="bar" title="{} done, {} expected"><b style="width:{:.1f}%;background:{}"></b>{}'
                  "</span>").format(percent(progress), percent(expected), 100 * share, colour, tick)


_PIECES = {"percent": percent, "number": number, "integer": integer, "value_text": value_text, "date": date,
           "plural": plural, "chip": chip, "grade_chip": grade_chip, "status_chip": status_chip,
           "verdict_chip": verdict_chip, "bar": bar}
"""The pieces above, by the names the report's templates call them."""


def render(template: str, **figures) -> Html:
    """The template ``report/<template>`` filled with ``figures``; it can call every piece above by its name."""
    return Html(render_page(f"report/{template}", **_PIECES, **figures))


def section(title: str, body: str, intro: str = "") -> Html:
    """A report section around ``body``, HTML made elsewhere (a chart): a heading and a line of explanation."""
    return render("section.html", title=title, intro=intro, body=Markup(body))


CSS = stylesheet("report/report_sections.css")
"""The report's stylesheet (``okr_workshop/pages/templates/report/report_sections.css``)."""


def style_tag() -> str:
    """The report's stylesheet as a ``<style>`` element."""
    return f"<style>\n{CSS}</style>"
