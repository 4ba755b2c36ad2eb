"""The status of a quarter on a date: every key result's progress and status, every objective's score and grade.

:func:`build_status` takes a workbook (or :func:`status_from_store` a store,
as one person may see it) and returns a :class:`StatusReport`: tidy frames of
key results, objectives and teams, the alignment and adoption figures, and the
findings that explain the figures that could not be what they should. The
report renders as the contract's JSON (:meth:`StatusReport.as_json`) and as a
table for a terminal (:mod:`okr_workshop.tracking.status_render`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from okr_workshop.exceptions import InputError
from okr_workshop.model import QUARTER_PATTERN, quarter_bounds
from okr_workshop.tracking import cascade, scoring, standing
from okr_workshop.tracking.calibration import calibration
from okr_workshop.tracking.history import changes_of
from okr_workshop.tracking.scoring import DataFinding
from okr_workshop.workbook import Workbook

__all__ = ["StatusReport", "build_status", "pick_quarter", "status_from_store"]

_DIGITS = 4
"""Decimals kept in the JSON figures."""


@dataclass
class StatusReport:
    """Scores and statuses of one quarter (or of one team in it) on one date."""

    quarter: str | None
    as_of: dt.date
    team: str | None
    key_results: pd.DataFrame
    """One row per key result, in tree order: ``id``, ``objective``, ``title``, ``type``, ``start``, ``target``,
    ``current``, ``source``, ``progress``, ``attainment``, ``scored``, ``expected``, ``confidence``,
    ``start_confidence``, ``status``, ``weight``, ``checkins``, ``last_checkin``, ``due``."""
    objectives: pd.DataFrame
    """One row per objective, in tree order: ``id``, ``title``, ``level``, ``team``, ``owner``, ``parent``,
    ``depth``, ``commitment``, ``score``, ``attainment``, ``grade``, ``expected_score``, ``verdict``,
    ``rollup``, ``expected``, ``confidence``, ``key_results``."""
    teams: pd.DataFrame
    """One row per team: ``name``, ``people``, ``adopters``, ``adoption``, ``objectives``, ``aligned``,
    ``alignment``, ``score``, ``grade``."""
    adoption: float | None
    alignment: float | None
    company_score: float | None
    findings: list[DataFinding] = field(default_factory=list)
    changes: pd.DataFrame | None = None
    """The shown key results' changes after their quarter began (the ``changes`` table), oldest first."""
    calibration: dict | None = None
    """How well mid-quarter confidence predicted the results (:func:`okr_workshop.tracking.calibration.calibration`);
    None until the quarter has ended."""

    def changes_of(self, key_result: str) -> list[dict]:
        """The contract's ``changes`` list of one key result."""
        return [] if self.changes is None else changes_of(self.changes, key_result)

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of the quarter, when there is one."""
        return quarter_bounds(self.quarter) if self.quarter else None

    def as_json(self) -> dict:
        """The contract's ``status --format json`` document, with a few more keys of our own."""
        by_objective: dict[str, list[dict]] = {}
        for row in _plain(self.key_results, _KR_KEYS):
            row["changes"] = self.changes_of(row["id"])
            by_objective.setdefault(row.pop("objective"), []).append(row)
        objectives = _plain(self.objectives, _OBJECTIVE_KEYS)
        for row in objectives:
            row["key_results"] = by_objective.get(row["id"], [])
        teams = [{"id": tid, **row} for tid, row in zip(
            self.teams.index, _plain(self.teams, ["name", "people", "adoption", "alignment", "score", "grade"]),
            strict=True)]
        return {
            "quarter": self.quarter, "as_of": self.as_of.isoformat(),
            "adoption": _number(self.adoption), "alignment": _number(self.alignment),
            "objectives": objectives,
            "team": self.team, "company_score": _number(self.company_score), "teams": teams,
            "findings": [f.as_json() for f in self.findings],
            "calibration": self.calibration,
        }


_KR_KEYS = ["id", "progress", "status", "confidence", "objective", "title", "type", "expected", "current", "start",
            "target", "scored", "checkins"]
"""The contract's key result keys first, then ours (``objective`` is taken out again)."""
_OBJECTIVE_KEYS = ["id", "score", "grade", "title", "level", "team", "owner", "parent", "commitment",
                   "expected_score", "verdict", "rollup", "expected"]


def _number(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), _DIGITS)


def _plain(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dicts of plain JSON values: floats rounded, NaN as None, numpy scalars as Python ones."""
    out = {}
    for name in columns:
        series = frame[name]
        if series.dtype.kind == "f":
            values = np.round(series.to_numpy(dtype="float64"), _DIGITS)
            out[name] = [None if v != v else float(v) for v in values.tolist()]
        elif series.dtype.kind in "iub":
            out[name] = series.tolist()
        else:
            out[name] = [None if v is None or v != v or v == "" else v for v in series.tolist()]
    return [dict(zip(columns, row, strict=True)) for row in zip(*(out[c] for c in columns), strict=True)]


def pick_quarter(quarters, as_of: dt.date) -> str | None:
    """The quarter a status shows by default.

    That is the one holding ``as_of``, else the latest begun by then, else the first.
    """
    known = sorted({q for q in quarters if isinstance(q, str) and QUARTER_PATTERN.fullmatch(q)})
    if not known:
        return None
    begun = [q for q in known if quarter_bounds(q)[0] <= as_of]
    holding = [q for q in begun if as_of <= quarter_bounds(q)[1]]
    return (holding or begun or known)[-1 if (holding or begun) else 0]


def _only_quarter(workbook: Workbook, quarter: str | None) -> Workbook:
    if quarter is None:
        return workbook
    return workbook.only_objectives((workbook["objectives"]["quarter"] == quarter).to_numpy())


def _tree_order(objectives: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the objectives depth first from the company objectives, and each one's depth; orphans last."""
    ids = objectives["id"].tolist()
    position = {oid: i for i, oid in enumerate(ids)}
    children: dict[str, list[int]] = {}
    roots_company, roots_other = [], []
    for i, (oid, parent, level) in enumerate(zip(ids, objectives["parent"], objectives["level"], strict=True)):
        if isinstance(parent, str) and parent in position and parent != oid:
            children.setdefault(parent, []).append(i)
        else:
            (roots_company if level == "company" else roots_other).append(i)
    order, depth, seen = [], [], set()
    stack = [(i, 0) for i in reversed(roots_company + roots_other)]
    while stack:
        i, d = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        order.append(i)
        depth.append(d)
        stack.extend((c, d + 1) for c in reversed(children.get(ids[i], [])))
    rest = [i for i in range(len(ids)) if i not in seen]  # inside a loop of parents
    return np.array(order + rest, dtype="int64"), np.array(depth + [0] * len(rest), dtype="int64")


def build_status(workbook: Workbook, as_of: dt.date | None = None, quarter: str | None = None,
                 team: str | None = None) -> StatusReport:
    """Score ``workbook`` for ``quarter`` on ``as_of`` (default: today), for the whole company or one ``team``.

    ``quarter`` defaults to :func:`pick_quarter`. With ``team``, the report
    holds that team's (and its sub-teams') team and individual objectives and
    its people; the alignment of their objectives is still followed through
    the whole company.
    """
    as_of = as_of or dt.date.today()
    quarter = quarter or pick_quarter(workbook["objectives"]["quarter"], as_of)
    book = _only_quarter(workbook, quarter)
    objectives, krs, people = book["objectives"], book["key_results"], book["people"]
    if team is not None and team not in set(book["teams"]["id"]):
        raise InputError("team", repr(team), "the id of a team in the store", None)

    chains = cascade.ancestry(objectives)
    figures = cascade.cascade_figures(book, chains)
    kr = _key_results(krs, book["checkins"], objectives, as_of)
    scores = scoring.objective_scores(kr, objectives["id"])
    rolled = scoring.rollups(chains, scores["score"])
    obj = _objectives(objectives, kr, scores, rolled)
    kr = _in_tree_order(kr, obj)
    team_score = scoring.team_scores(objectives, rolled)
    teams = figures.teams.join(book["teams"].set_index("id")["name"]).join(team_score.rename("score"))
    teams["grade"] = scoring.grades(teams["score"].to_numpy(dtype="float64"))
    teams = teams[["name", "people", "adopters", "adoption", "objectives", "aligned", "alignment", "score", "grade"]]
    adoption, alignment = figures.adoption, figures.alignment
    findings = _findings(kr, obj, figures, as_of)

    if team is not None:
        members = cascade.team_members(book["teams"], team)
        team_of = cascade.objective_teams(objectives, people)
        obj = obj[(obj["id"].map(team_of).isin(members) & (obj["level"] != "company")).to_numpy()]
        obj = obj.assign(depth=obj["depth"] - (obj["depth"].min() if len(obj) else 0))
        kr = kr[kr["objective"].isin(obj["id"])]
        teams = teams.loc[members]
        adoption = _share(teams["adopters"].sum(), teams["people"].sum())
        alignment = _share(teams["aligned"].sum(), teams["objectives"].sum())
        subjects = set(obj["id"]) | set(kr["id"])
        findings = [f for f in findings if f.subject in subjects]

    changes = book["changes"]
    return StatusReport(quarter=quarter, as_of=as_of, team=team, key_results=kr.reset_index(drop=True),
                        objectives=obj.reset_index(drop=True), teams=teams, adoption=adoption,
                        alignment=alignment,
                        company_score=None if team else scoring.company_score(objectives, rolled),
                        findings=findings,
                        changes=changes[changes["key_result"].isin(kr["id"])].reset_index(drop=True),
                        calibration=calibration(book, quarter, as_of) if quarter else None)


def _share(part: int, whole: int) -> float | None:
    return float(part) / float(whole) if whole else None


def _key_results(krs: pd.DataFrame, checkins: pd.DataFrame, objectives: pd.DataFrame,
                 as_of: dt.date) -> pd.DataFrame:
    krs = krs.assign(start=scoring.starts(krs["start"], krs["target"], krs["title"], krs["type"].fillna("")))
    values = standing.values_on(krs, checkins, as_of)
    start, target = krs["start"].to_numpy(dtype="float64"), krs["target"].to_numpy(dtype="float64")
    given = krs["type"].astype(object).where(krs["type"].notna(), "").to_numpy(dtype=object)
    kinds = scoring.infer_types(start, target, given, scoring.steady_sides(krs["title"]))
    current = values["current"].to_numpy(dtype="float64")
    progress, attainment = scoring.progress(kinds, start, target, current)
    first, end = standing.periods(krs, objectives)
    expected = standing.expected_progress(first, end, as_of)
    confidence = values["confidence"].to_numpy(dtype="float64")
    status = standing.statuses(kinds, progress, expected, confidence, end, as_of, first)
    frame = pd.DataFrame({
        "id": krs["id"].to_numpy(dtype=object), "objective": krs["objective"].to_numpy(dtype=object),
        "title": krs["title"].to_numpy(dtype=object), "type": kinds, "given_type": given,
        "start": start, "target": target, "current": current, "source": values["source"].to_numpy(dtype=object),
        "progress": np.nan_to_num(progress), "attainment": np.nan_to_num(attainment),
        "scored": np.isfinite(progress), "expected": expected, "confidence": confidence,
        "start_confidence": values["start_confidence"].to_numpy(dtype="float64"), "status": status,
        "weight": krs["weight"].fillna(1.0).to_numpy(dtype="float64"),
        "checkins": values["checkins"].to_numpy(), "last_checkin": values["last_checkin"].to_numpy(),
        "due": end,
    })
    return frame


def _objectives(objectives: pd.DataFrame, kr: pd.DataFrame, scores: pd.DataFrame, rolled: pd.Series) -> pd.DataFrame:
    order, depth = _tree_order(objectives)
    ids = objectives["id"].to_numpy(dtype=object)
    score = scores["score"].to_numpy(dtype="float64")
    attainment = scores["attainment"].to_numpy(dtype="float64")
    commitment = objectives["commitment"].fillna("aspirational").to_numpy(dtype=object)
    weighted = kr.assign(we=kr["weight"] * kr["expected"],
                         wc=kr["weight"] * kr["confidence"],
                         w_e=kr["weight"].where(kr["expected"].notna(), 0.0),
                         w_c=kr["weight"].where(kr["confidence"].notna(), 0.0))
    sums = weighted.groupby("objective", sort=False)[["we", "wc", "w_e", "w_c"]].sum(min_count=1).reindex(ids)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = (sums["we"] / sums["w_e"].replace(0.0, np.nan)).to_numpy(dtype="float64")
        confidence = (sums["wc"] / sums["w_c"].replace(0.0, np.nan)).to_numpy(dtype="float64")
    frame = pd.DataFrame({
        "id": ids, "title": objectives["title"].to_numpy(dtype=object),
        "level": objectives["level"].to_numpy(dtype=object), "team": objectives["team"].to_numpy(dtype=object),
        "owner": objectives["owner"].to_numpy(dtype=object), "parent": objectives["parent"].to_numpy(dtype=object),
        "commitment": commitment, "score": score, "attainment": attainment, "grade": scoring.grades(score),
        "expected_score": np.where(commitment == "committed", scoring.EXPECTED_SCORE["committed"],
                                   scoring.EXPECTED_SCORE["aspirational"]),
        "verdict": scoring.verdicts(score, attainment, commitment),
        "rollup": rolled.reindex(ids).to_numpy(dtype="float64"),
        "expected": expected, "confidence": confidence,
        "key_results": scores["key_results"].to_numpy(),
    })
    return frame.iloc[order].assign(depth=depth).reset_index(drop=True)


def _in_tree_order(kr: pd.DataFrame, obj: pd.DataFrame) -> pd.DataFrame:
    """Key results grouped under their objectives in the objectives' order, each group in table order."""
    position = pd.Series(np.arange(len(obj)), index=obj["id"].to_numpy(dtype=object))
    rank = kr["objective"].map(position).fillna(len(obj)).to_numpy(dtype="float64")
    return kr.iloc[np.lexsort((np.arange(len(kr)), rank))]


def _findings(kr: pd.DataFrame, obj: pd.DataFrame, figures: cascade.CascadeFigures,
              as_of: dt.date) -> list[DataFinding]:
    out = scoring.key_result_findings(kr["id"], kr["type"], kr["given_type"], kr["start"], kr["target"],
                                      kr["current"], kr["objective"])
    quiet = kr[(kr["source"] != "checkin") & kr["scored"]]
    for kid, source in zip(quiet["id"], quiet["source"], strict=True):
        counted = "its 'current' column" if source == "current" else "its start"
        out.append(DataFinding("status.no-checkin", kid, (
            f"{kid}: no check-in by {as_of.isoformat()}, so its progress is counted from {counted}."), "info"))
    for oid in obj.loc[obj["key_results"] == 0, "id"]:
        out.append(DataFinding("score.no-key-results", oid, (
            f"{oid}: no key results, so it has no score of its own; add two to five that show it is reached."),
            "warning"))
    out += figures.findings()
    out += cascade.sandbagging(obj, kr.assign(progress=np.where(kr["scored"], kr["progress"], np.nan)))
    return out


def status_from_store(store, quarter: str | None = None, as_of: dt.date | None = None, team: str | None = None,
                      viewer: str | None = None) -> StatusReport:
    """:func:`build_status` of what ``viewer`` may see in ``store`` (None: everything).

    Objectives the viewer may not see are left out before anything is
    counted, so no figure (score, adoption, alignment) reveals them.
    """
    as_of = as_of or dt.date.today()
    if viewer is not None and viewer not in store.known_ids()["people"]:
        raise InputError("viewer", repr(viewer), "the id of a person in the store")
    quarter = quarter or pick_quarter(store.quarters(), as_of)
    return build_status(store.read_workbook(quarter=quarter, viewer=viewer), as_of=as_of, quarter=quarter,
                        team=team)
