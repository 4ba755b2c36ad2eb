"""How statuses, grades and verdicts look: the one table the apps, the reports, the charts and the terminal share.

Each status (``on_track``...), grade (``green``...) and verdict (``met``...)
has a :class:`Style`: the words shown, the colour that fills its chip, bar or
chart mark, the colour of its words written on a white page (darker than the
fill where the fill is too light to read as text), and its terminal colour.
Anything without one (no status, no score) is shown in :data:`NO_STYLE`.

This module imports nothing of the package and does no work, so any module may use it.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["GRADES", "GRADE_COLOURS", "NO_STYLE", "STATUSES", "STATUS_COLOURS", "VERDICTS", "Style"]


class Style(NamedTuple):
    """How one status, grade or verdict is shown."""

    label: str
    """The words shown: ``on track``."""
    colour: str
    """The fill of its chip, progress bar or chart mark."""
    text: str
    """The colour of its words on a white page (at least 4.5:1 against white)."""
    terminal: str
    """Its colour in a terminal, as ``click.style`` names it."""


_GREEN, _YELLOW, _RED, _BLUE = "#3a9a5b", "#e8b422", "#d64545", "#3c78b4"
_GREEN_TEXT, _YELLOW_TEXT, _RED_TEXT = "#2e7d32", "#a36200", "#c62828"

GRADES = {
    "red": Style("red", _RED, _RED_TEXT, "red"),
    "yellow": Style("yellow", _YELLOW, _YELLOW_TEXT, "yellow"),
    "green": Style("green", _GREEN, _GREEN_TEXT, "green"),
}
"""A score's grade (:func:`~okr_workshop.tracking.scoring.grade`): below 0.4 red, 0.4 to 0.69 yellow, 0.7 and up
green."""

STATUSES = {
    "on_track": Style("on track", _GREEN, _GREEN_TEXT, "green"),
    "at_risk": Style("at risk", _YELLOW, _YELLOW_TEXT, "yellow"),
    "off_track": Style("off track", _RED, _RED_TEXT, "red"),
    "done": Style("done", _BLUE, _BLUE, "cyan"),
}
"""Where a key result stands against what is expected by now (:mod:`okr_workshop.tracking.status`)."""

VERDICTS = {
    "exceeded": Style("exceeded", _BLUE, _BLUE, "cyan"),
    "met": Style("met", _GREEN, _GREEN_TEXT, "green"),
    "falling_short": Style("falling short", _RED, _RED_TEXT, "red"),
}
"""An objective's score against what its commitment expects (:func:`okr_workshop.tracking.scoring.verdicts`)."""

NO_STYLE = Style("–", "#8a93a3", "#596273", "bright_black")
"""No status, grade or verdict: grey."""

GRADE_COLOURS = {name: style.colour for name, style in GRADES.items()}
"""The fill of each grade, in the order red, yellow, green (a chart's colour scale)."""
STATUS_COLOURS = {name: style.colour for name, style in STATUSES.items()}
"""The fill of each status."""
