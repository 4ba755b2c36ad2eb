"""The cascade: how objectives align, where the gaps are, and how far OKRs have reached people.

Every objective names its parent (a team objective a company objective, an
individual objective a team objective). From the ``parent`` column alone this
module works out:

- the alignment tree, company objectives at the top (:func:`alignment_tree`);
- company objectives that no team objective serves, and orphans: team and
  individual objectives that name no parent, or a parent that is not there;
- the alignment share: team and individual objectives whose parent chain
  reaches a company objective; the adoption share: people who own at least
  one objective; both overall and per team (:func:`cascade_figures`);
- sandbagging flags: an objective whose key results start above 0.9
  confidence on average, or whose key results are all at 1.0 already
  (:func:`sandbagging`).

Chains are followed a level at a time on whole columns, so 50,000 objectives
take milliseconds; a loop in the data (which validation refuses) ends the walk
instead of hanging it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from okr_workshop.model import MEASURE_AUTHOR
from okr_workshop.tracking.scoring import DataFinding
from okr_workshop.workbook import Workbook

__all__ = [
    "SANDBAG_CONFIDENCE",
    "CascadeFigures",
    "Node",
    "alignment_tree",
    "ancestry",
    "cascade_figures",
    "objective_teams",
    "reaches_company",
    "sandbagging",
]

MAX_DEPTH = 64
"""Parent links followed at most; real cascades are three or four levels deep."""
SANDBAG_CONFIDENCE = 0.9
"""An average starting confidence above this suggests targets set to be safe."""


def ancestry(objectives: pd.DataFrame) -> pd.DataFrame:
    """Every (objective, ancestor) pair along the parent chains, the objective itself included at depth 0.

    Columns ``id``, ``ancestor``, ``depth``. A parent that is not among
    ``objectives`` ends the chain (it may be hidden from the viewer or in
    another quarter).
    """
    ids = objectives["id"].to_numpy(dtype=object)
    unique = pd.Index(ids).drop_duplicates()
    position = unique.get_indexer(ids)
    parent = unique.get_indexer(objectives["parent"].to_numpy(dtype=object))  # -1: no parent, or not here
    parent_of = np.full(len(unique), -1, dtype="int64")
    parent_of[position] = parent
    node = anc = np.arange(len(unique))
    nodes, ancestors, depths = [node], [anc], [np.zeros(len(unique), dtype="int64")]
    for depth in range(1, MAX_DEPTH + 1):
        step = parent_of[anc]
        keep = (step >= 0) & (step != node)  # a loop back to the start ends the walk
        if not keep.any():
            break
        node, anc = node[keep], step[keep]
        nodes.append(node)
        ancestors.append(anc)
        depths.append(np.full(len(node), depth, dtype="int64"))
    names = unique.to_numpy(dtype=object)
    return pd.DataFrame({"id": names[np.concatenate(nodes)], "ancestor": names[np.concatenate(ancestors)],
                         "depth": np.concatenate(depths)})


def reaches_company(objectives: pd.DataFrame, chains: pd.DataFrame | None = None) -> pd.Series:
    """Per objective (indexed by id): does its chain of parents reach a company objective?"""
    chains = ancestry(objectives) if chains is None else chains
    level = pd.Series(objectives["level"].to_numpy(dtype=object), index=objectives["id"].to_numpy(dtype=object))
    hit = chains["ancestor"].map(level).eq("company").to_numpy() & (chains["depth"].to_numpy() > 0)
    reached = pd.unique(chains["id"].to_numpy()[hit])
    return pd.Series(level.index.isin(reached), index=level.index, dtype=bool)


def objective_teams(objectives: pd.DataFrame, people: pd.DataFrame) -> pd.Series:
    """The team of each objective (indexed by id): its ``team``, else its owner's team."""
    team_of = pd.Series(people["team"].to_numpy(dtype=object), index=people["id"].to_numpy(dtype=object))
    team_of = team_of[~team_of.index.duplicated()]
    owner_team = objectives["owner"].map(team_of)
    teams = objectives["team"].where(objectives["team"].notna(), owner_team).astype(object)
    teams = teams.where(teams.notna(), None)
    return pd.Series(teams.to_numpy(dtype=object), index=objectives["id"].to_numpy(dtype=object), dtype=object)


def team_members(teams: pd.DataFrame, team: str) -> list[str]:
    """``team`` and every team below it (through ``parent``), in a stable order."""
    children: dict[str, list[str]] = {}
    for tid, parent in zip(teams["id"], teams["parent"], strict=True):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(tid)
    found, todo = [], [team]
    while todo:
        tid = todo.pop(0)
        if tid not in found:
            found.append(tid)
            todo.extend(children.get(tid, []))
    return found


@dataclass
class CascadeFigures:
    """Alignment and adoption, overall and per team, and the gaps in the tree."""

    alignment: float | None
    """Share of team and individual objectives whose chain reaches a company objective (None: there are none)."""
    aligned: int
    alignable: int
    adoption: float | None
    """Share of people who own at least one objective (None: no people)."""
    adopters: int
    people: int
    unserved: list[str]
    """Company objectives that no team objective serves."""
    orphans: list[str]
    """Team and individual objectives with no parent, or a parent that is not there."""
    teams: pd.DataFrame
    """Per team: ``people``, ``adopters``, ``adoption``, ``objectives``, ``aligned``, ``alignment``."""
    reached: pd.Series = field(repr=False, default_factory=lambda: pd.Series(dtype=bool))
    """Per objective id: does its chain reach a company objective."""

    def findings(self) -> list[DataFinding]:
        """The gaps as findings, one per objective."""
        out = [DataFinding("cascade.unserved", oid, f"{oid}: no team objective serves this company objective yet; "
                       "ask the teams which of their objectives moves it.", "warning") for oid in self.unserved]
        out += [DataFinding("cascade.orphan", oid, f"{oid}: names no parent objective, so nobody can see what it "
                        "serves and it counts against alignment; name the objective it supports in 'parent'.",
                        "warning") for oid in self.orphans]
        return out


def cascade_figures(workbook: Workbook, chains: pd.DataFrame | None = None) -> CascadeFigures:
    """Alignment, adoption, unserved company objectives and orphans of ``workbook`` (already one quarter)."""
    objectives, people = workbook["objectives"], workbook["people"]
    people = people[people["id"] != MEASURE_AUTHOR]  # values measured from data are nobody's to adopt OKRs
    chains = ancestry(objectives) if chains is None else chains
    reached = reaches_company(objectives, chains)
    ids = objectives["id"].to_numpy(dtype=object)
    level = objectives["level"].to_numpy(dtype=object)
    lower = level != "company"
    parent = objectives["parent"]
    orphan = lower & (parent.isna() | ~parent.isin(ids)).to_numpy()
    served = set(chains["ancestor"].to_numpy()[(chains["depth"].to_numpy() > 0)
                                               & (chains["id"].map(dict(zip(ids, level, strict=True))) == "team")
                                               .to_numpy()])
    unserved = [i for i, lv in zip(ids, level, strict=True) if lv == "company" and i not in served]
    owners = set(objectives["owner"].dropna())
    adopted = people["id"].isin(owners).to_numpy()
    team_of = objective_teams(objectives, people).to_numpy(dtype=object)
    team_ids = pd.Index(workbook["teams"]["id"].to_numpy(dtype=object), name="team")
    person_team = team_ids.get_indexer(people["team"].to_numpy(dtype=object))
    objective_team = team_ids.get_indexer(team_of[lower])
    aligned_lower = reached.to_numpy()[lower]

    def per_team(codes: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        known = codes >= 0
        return np.bincount(codes[known], weights=None if weights is None else weights[known],
                           minlength=len(team_ids)).astype("int64")

    teams = pd.DataFrame({
        "people": per_team(person_team), "adopters": per_team(person_team, adopted.astype("float64")),
        "objectives": per_team(objective_team), "aligned": per_team(objective_team, aligned_lower.astype("float64")),
    }, index=team_ids)
    with np.errstate(invalid="ignore", divide="ignore"):
        teams["adoption"] = np.where(teams["people"] > 0, teams["adopters"] / teams["people"].clip(lower=1), np.nan)
        teams["alignment"] = np.where(teams["objectives"] > 0, teams["aligned"] / teams["objectives"].clip(lower=1),
                                      np.nan)
    alignable, aligned = int(lower.sum()), int(reached.to_numpy()[lower].sum())
    return CascadeFigures(
        alignment=aligned / alignable if alignable else None, aligned=aligned, alignable=alignable,
        adoption=float(adopted.mean()) if len(adopted) else None, adopters=int(adopted.sum()), people=len(adopted),
        unserved=unserved, orphans=list(ids[orphan]), teams=teams, reached=reached,
    )


@dataclass(frozen=True)
class Node:
    """One objective in the alignment tree, with the objectives aligned to it."""

    id: str
    title: str
    level: str
    team: str | None = None
    owner: str | None = None
    children: tuple[Node, ...] = ()

    def walk(self, depth: int = 0):
        """Yield ``(depth, node)`` for this node and everything below it, depth first."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def alignment_tree(objectives: pd.DataFrame) -> tuple[list[Node], list[Node]]:
    """The tree from the company objectives down, and the orphan subtrees (roots below company level).

    Children are in the order of the ``objectives`` table.
    """
    ids = objectives["id"].tolist()
    known = set(ids)
    rows = objectives.astype(object).where(objectives.notna(), None).to_dict("records")
    children: dict[str, list[dict]] = {}
    roots = []
    for row in rows:
        parent = row["parent"]
        if parent in known and parent != row["id"]:
            children.setdefault(parent, []).append(row)
        else:
            roots.append(row)

    def build(row: dict, seen: frozenset) -> Node:
        below = tuple(build(c, seen | {row["id"]}) for c in children.get(row["id"], []) if c["id"] not in seen)
        return Node(row["id"], row["title"], row["level"], row.get("team"), row.get("owner"), below)

    built = [build(row, frozenset()) for row in roots]
    return [n for n in built if n.level == "company"], [n for n in built if n.level != "company"]


def sandbagging(objectives: pd.DataFrame, key_results: pd.DataFrame) -> list[DataFinding]:
    """Objectives that look set to be safe.

    ``key_results`` needs ``objective``, ``progress`` (0 to 1) and
    ``start_confidence`` (the confidence given at the start: the key result's
    ``confidence``, else its first check-in's). Flags an objective whose
    average starting confidence is above 0.9, and one whose key results are
    all at 1.0 progress.
    """
    if key_results.empty:
        return []
    done = key_results["progress"].to_numpy(dtype="float64") >= 1.0  # NaN (cannot be scored) is not done
    grouped = key_results.assign(done=done).groupby("objective", sort=False)
    confident = grouped["start_confidence"].mean()
    all_done = grouped["done"].all()
    order = {oid: i for i, oid in enumerate(objectives["id"])}
    out = []
    for oid, value in confident[confident > SANDBAG_CONFIDENCE].items():
        out.append(DataFinding("sandbagging.confidence", oid, (
            f"{oid}: its key results start at {value:.2f} confidence on average; above "
            f"{SANDBAG_CONFIDENCE:g} the targets may be set to be safe. Stretch them until success is uncertain."),
            "info"))
    for oid in all_done[all_done].index:
        out.append(DataFinding("sandbagging.all-done", oid, (
            f"{oid}: every key result is at 1.0 already; if that came easily, the next targets can reach further."),
            "info"))
    codes = ("sandbagging.confidence", "sandbagging.all-done")
    return sorted(out, key=lambda f: (order.get(f.subject, len(order)), codes.index(f.code)))
