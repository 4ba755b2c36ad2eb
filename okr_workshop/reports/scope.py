"""What a report is about (its scope) and what its audience may see.

A scope is written ``company``, ``team:<id>`` or ``person:<id>``. A report is
read by people, so before anything is counted its objectives are cut down
to what its audience may see:

- with a ``viewer``, exactly what that person may see (their team's
  team-visible objectives, participants-only objectives they take part in);
- without one, what anyone may see: objectives visible to everyone and, in a
  team's own report, that team's team-visible objectives. Participants-only
  objectives never appear without a viewer who takes part in them, not even
  in a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from okr_workshop.exceptions import ReportError
from okr_workshop.filenames import file_stem

if TYPE_CHECKING:  # the masks import them: parse_scope alone (okr-workshop report's own process) needs neither
    import pandas as pd

    from okr_workshop.workbook import Workbook

__all__ = ["KINDS", "Scope", "audience_mask", "needed_mask", "parse_scope", "restrict"]

KINDS = ("company", "team", "person")


@dataclass(frozen=True)
class Scope:
    """A report's subject: the whole company, one team (with its sub-teams) or one person."""

    kind: str
    """``company``, ``team`` or ``person``."""
    id: str | None = None
    """The team's or person's id; None for the company."""

    def __str__(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"

    @property
    def slug(self) -> str:
        """A file name for the scope's report, without extension: ``company``, ``team-fleet``.

        Distinct scopes always get distinct names, and the same scope the same
        name in every run: an id that is not a safe lower-case file name as it
        stands (``a/b``, ``Sales``) gets a hash of itself added, ``team-a-b--<hash>``
        (see :mod:`okr_workshop.filenames`).
        """
        return self.kind if self.id is None else file_stem(self.kind, self.id)


def parse_scope(text: str | Scope) -> Scope:
    """``company``, ``team:<id>`` or ``person:<id>`` as a :class:`Scope`; anything else is a :class:`ReportError`."""
    if isinstance(text, Scope):
        return text
    raw = (text or "").strip()
    kind, _, ident = raw.partition(":")
    kind, ident = kind.strip().lower(), ident.strip()
    if kind == "company" and not ident:
        return Scope("company")
    if kind in ("team", "person") and ident:
        return Scope(kind, ident)
    raise ReportError(f"{raw!r} is no scope; write company, team:<id> or person:<id>")


def audience_mask(objectives: pd.DataFrame, people: pd.DataFrame, scope: Scope, viewer: str | None) -> pd.Series:
    """A boolean per objective: may the report's audience see it? (The rules are in the module docstring.)"""
    if viewer:
        from okr_workshop.visibility import visible_mask  # noqa: PLC0415 - with pandas: okr-workshop report parses scopes without it

        return visible_mask(objectives, people, viewer)
    visibility = objectives["visibility"].fillna("everyone")
    public = visibility == "everyone"
    if scope.kind != "team":
        return public
    teams = dict(zip(people["id"], people["team"], strict=True))
    team_of = objectives["team"].where(objectives["team"].notna(), objectives["owner"].map(teams))
    return public | ((visibility == "team") & (team_of == scope.id))


def needed_mask(objectives: pd.DataFrame, people: pd.DataFrame, teams: pd.DataFrame, scope: Scope) -> pd.Series:
    """A boolean per objective: does the scope's report need it to compute its figures?

    The company needs every objective. A team needs its own objectives
    (those of the team and its sub-teams, and those its people own), the
    objectives they align to up to the company (for alignment), and all
    that is aligned below them (for roll-ups); a person the same around the
    objectives they own. Scoring only these gives the scope the same figures
    as scoring the whole company, in a fraction of the time.
    """
    import numpy as np  # noqa: PLC0415 - numpy only for the masks: okr-workshop report parses scopes without it
    import pandas as pd  # noqa: PLC0415 - pandas only for the masks: okr-workshop report parses scopes without it

    if scope.kind == "company":
        return pd.Series(True, index=objectives.index)
    if scope.kind == "team":
        from okr_workshop.tracking.cascade import objective_teams, team_members  # noqa: PLC0415 - with pandas: okr-workshop report parses scopes without it

        members = set(team_members(teams, scope.id))
        people_in = set(people.loc[people["team"].isin(members), "id"])
        by_team = objective_teams(objectives, people).isin(members).to_numpy()
        own = by_team | objectives["owner"].isin(people_in).to_numpy()
    else:
        own = (objectives["owner"] == scope.id).to_numpy()
    ids = objectives["id"].to_numpy(dtype=object)
    parent = objectives["parent"].to_numpy(dtype=object)
    wanted = own.copy()
    up = set(parent[own]) - {None}
    while up:  # the chains above, to the company objectives
        step = np.isin(ids, list(up)) & ~wanted
        wanted |= step
        up = set(parent[step]) - {None}
    below = own.copy()
    while below.any():  # everything aligned below, for the roll-ups
        below = np.isin(parent, ids[below].tolist()) & ~wanted
        wanted |= below
    return pd.Series(wanted, index=objectives.index)


def restrict(workbook: Workbook, keep: pd.Series) -> Workbook:
    """``workbook`` with only the objectives in ``keep`` and what hangs off them (:meth:`Workbook.only_objectives`).

    A kept objective whose parent is left out shows no parent, so nothing
    names what the audience may not see (a parent in another quarter, which
    the report cannot check, is left out the same way).
    """
    keep = keep.to_numpy(dtype=bool)
    return workbook.only_objectives(keep, nameable=keep)
