"""The colours of grades and statuses, shared by the charts, the apps and the reports (no imports, no work)."""

__all__ = ["GRADE_COLOURS", "STATUS_COLOURS"]

GRADE_COLOURS = {"red": "#d64545", "yellow": "#e8b422", "green": "#3a9a5b"}
STATUS_COLOURS = {"on_track": "#3a9a5b", "at_risk": "#e8b422", "off_track": "#d64545", "done": "#3c78b4"}
