"""Who may see which objective: everyone, the team, or the participants only.

A participants-only objective is seen by its owner and the people listed in
``participants``, and by nobody else: not in an app, a report, an export made
for someone else, or a count. Team-visible objectives are seen by the members
of the objective's team (for an individual objective, the owner's team) and
by its owner and participants.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["visible_mask"]


def visible_mask(objectives: pd.DataFrame, people: pd.DataFrame, viewer: str | None) -> pd.Series:
    """A boolean per objective: may ``viewer`` see it? ``viewer=None`` means the store's operator (all)."""
    if viewer is None:
        return pd.Series(True, index=objectives.index)
    involved = (objectives["owner"] == viewer) | objectives["participants"].fillna("").str.split(";").map(
        lambda ids: viewer in ids
    )
    teams = dict(zip(people["id"], people["team"], strict=True))
    viewer_team = teams.get(viewer)
    objective_team = objectives["team"].where(objectives["team"].notna(), objectives["owner"].map(teams))
    same_team = objective_team.notna() & (objective_team == viewer_team)
    visibility = objectives["visibility"].fillna("everyone")
    return (visibility == "everyone") | ((visibility == "team") & same_team) | involved
