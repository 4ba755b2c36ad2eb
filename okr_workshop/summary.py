"""A short account of what a workbook or store holds, for the terminal."""

from __future__ import annotations

from okr_workshop.workbook import Workbook

__all__ = ["summary_lines"]


def summary_lines(workbook: Workbook) -> list[str]:
    """A few lines: people and teams, objectives per level and quarter, key results, check-ins."""
    objectives = workbook["objectives"]
    counts = workbook.counts()
    levels = objectives["level"].value_counts()
    quarters = sorted(q for q in objectives["quarter"].dropna().unique())
    checkins = workbook["checkins"]
    lines = [
        f"{counts['teams']} teams, {counts['people']} people",
        f"{counts['objectives']} objectives ("
        + ", ".join(f"{levels.get(level, 0)} {level}" for level in ("company", "team", "individual"))
        + ")" + (f" for {', '.join(quarters)}" if quarters else ""),
        f"{counts['key_results']} key results, {counts['initiatives']} initiatives",
    ]
    if len(checkins):
        first, last = checkins["date"].min().date(), checkins["date"].max().date()
        lines.append(f"{len(checkins)} check-ins from {first} to {last}")
    else:
        lines.append("no check-ins yet")
    return lines
