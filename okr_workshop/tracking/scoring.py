"""Scores: key result types, progress, objective scores, roll-ups along alignment, grades and verdicts.

Progress of a key result runs from 0.0 to 1.0 and depends on its type:

============  ==================================================  ========================
type          progress                                            read from the data when
============  ==================================================  ========================
increase      ``(current - start) / (target - start)``, clamped   ``target > start``
decrease      the same formula, which counts downwards            ``target < start``
stay_above    1 while ``current >= target``, else 0               the title holds a level
stay_below    1 while ``current <= target``, else 0               ("keep ... above 95%")
milestone     1 once ``current >= target`` (1), else 0            ``start`` 0, ``target`` 1
============  ==================================================  ========================

A ``type`` column, when filled, says the type instead. Without a start, a
key result that counts new things ("Sign 3 partners", "Publish 5 articles")
starts at 0 (:func:`starts`, the checker's own reading). A key result that
cannot be scored (no target, no start, start equal to target) is a
:class:`DataFinding`, never an error: it counts as 0 in its objective's score.

An objective's score is the weighted mean of its key results' progress. The
roll-up of an objective is the mean score of everything in its part of the
tree (itself and the objectives aligned below it); a team's score is the mean
roll-up of its team objectives, the company's the mean roll-up of the company
objectives. Grades: below 0.4 red, 0.4 to 0.69 yellow, 0.7 and up green.
Committed objectives are expected to reach 1.0, aspirational ones 0.7.

Everything here works on whole columns (numpy and pandas), so a quarter of a
large organisation scores in milliseconds; :func:`score_key_result` runs the
same code for one key result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from okr_workshop.model import KeyResultType
from okr_workshop.smart.language.parsing import HOLDING_VERBS, starts_at_zero, steady_side

__all__ = [
    "EXPECTED_SCORE",
    "GREEN",
    "TYPES",
    "YELLOW",
    "DataFinding",
    "KeyResultScore",
    "company_score",
    "grade",
    "grades",
    "infer_types",
    "key_result_findings",
    "objective_scores",
    "progress",
    "rollups",
    "score_key_result",
    "starts",
    "team_scores",
    "verdicts",
]

TYPES = tuple(t.value for t in KeyResultType)
MOVING = ("increase", "decrease")
YELLOW = 0.4
"""Scores from here up to green are yellow; below it, red."""
GREEN = 0.7
"""Scores from here up are green."""
EXPECTED_SCORE = {"committed": 1.0, "aspirational": 0.7}
"""The score each commitment is expected to reach by the end of the quarter."""
_EPS = 1e-9

_NOT_FROM_ZERO = ("decrease", "stay_above", "stay_below")
"""Types whose start is never 0 by default: what falls or holds a level starts where it stands."""
@dataclass(frozen=True, slots=True)
class DataFinding:
    """Something in the data that keeps a figure from being what it should be; data, never an error.

    Not a SMART finding (:class:`okr_workshop.smart.rules.Finding`, about how an
    objective or key result is written): a finding about the figures, such as
    a key result without a target, shown under the status and the cascade.
    """

    code: str
    """What kind of finding, e.g. ``score.no-target``."""
    subject: str
    """The id of the key result or objective it is about."""
    message: str
    """What is wrong and what to do, naming the subject."""
    severity: str = "warning"
    """``warning`` (a figure is wrong or missing) or ``info`` (worth a look)."""

    def as_json(self) -> dict:
        """The finding as a JSON object."""
        return {"code": self.code, "subject": self.subject, "severity": self.severity, "message": self.message}


# --------------------------------------------------------------------------- types


def steady_sides(titles: pd.Series) -> np.ndarray:
    """``stay_above`` / ``stay_below`` for titles that hold a level ("keep uptime above 99.9%"), else ``""``.

    ``stay`` when the title holds a level without saying on which side
    ("maintain 99.9% uptime"): start and target decide then. "Hold a retro
    every sprint" holds no level. The checker's own reading
    (:func:`okr_workshop.smart.language.parsing.steady_side`).
    """
    values = titles.astype(object).where(titles.notna(), "").to_numpy(dtype=object)
    out = np.full(len(values), "", dtype=object)
    for i, title in enumerate(values):
        low = title.lower()
        if any(verb in low for verb in HOLDING_VERBS):  # a cheap first test: most titles hold nothing
            out[i] = steady_side(title)
    return out


def starts(start, target, titles, given=None) -> np.ndarray:
    """The start of each key result: ``start`` where given, else 0 where the title counts new things.

    "Sign 3 partners", "Publish 5 articles", "25 new schools": a count of new
    things starts at 0, so it is scored from 0 when no start is given
    (:func:`okr_workshop.smart.language.parsing.starts_at_zero`, the checker's own reading).
    Only key results with a target and no start are read, and none whose
    ``type`` says they fall or hold a level.
    """
    start = np.array(start, dtype="float64", copy=True)
    target = np.asarray(target, dtype="float64")
    titles = np.asarray(titles, dtype=object)
    given = np.full(len(start), "", dtype=object) if given is None else np.asarray(given, dtype=object)
    open_ = np.flatnonzero(~np.isfinite(start) & np.isfinite(target) & ~np.isin(given, _NOT_FROM_ZERO))
    for i in open_:
        title = titles[i]
        if isinstance(title, str) and title and starts_at_zero(title, float(target[i])):
            start[i] = 0.0
    return start


def infer_types(start, target, given=None, steady=None) -> np.ndarray:
    """The type of each key result: ``given`` where filled, else read from start, target and the title.

    ``steady`` holds what :func:`steady_sides` read from the titles. Where no
    type can be read (no target, no start, start equal to target) the
    result is ``""``.
    """
    start, target = np.asarray(start, dtype="float64"), np.asarray(target, dtype="float64")
    n = len(start)
    given = np.full(n, "", dtype=object) if given is None else np.asarray(given, dtype=object)
    steady = np.full(n, "", dtype=object) if steady is None else np.asarray(steady, dtype=object)
    auto = ~np.isin(given, TYPES)
    out = np.where(auto, "", given).astype(object)
    both = np.isfinite(start) & np.isfinite(target)
    holds = auto & (steady != "") & np.isfinite(target)
    side_unknown = holds & (steady == "stay")
    falls = side_unknown & (~np.isfinite(start) | (target <= start))
    out[holds] = steady[holds]
    out[falls] = "stay_above"
    out[side_unknown & ~falls] = "stay_below"
    rest = auto & ~holds & both
    out[rest & (start == 0) & (target == 1)] = "milestone"
    out[rest & (out == "") & (target > start)] = "increase"
    out[rest & (out == "") & (target < start)] = "decrease"
    return out


# --------------------------------------------------------------------------- progress


def progress(kinds, start, target, current) -> tuple[np.ndarray, np.ndarray]:
    """Progress (0 to 1; NaN where it cannot be measured) and attainment (the same, not capped at 1).

    Attainment says how far beyond the target a key result went: 1.3 for 30%
    past it. For stay and milestone types it equals progress.
    """
    kinds = np.asarray(kinds, dtype=object)
    start, target, current = (np.asarray(a, dtype="float64") for a in (start, target, current))
    out = np.full(len(kinds), np.nan)
    raw = np.full(len(kinds), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = (current - start) / (target - start)
    moving = np.isin(kinds, MOVING) & np.isfinite(linear)
    out[moving] = np.clip(linear[moving], 0.0, 1.0)
    raw[moving] = np.maximum(linear[moving], 0.0)
    known = np.isfinite(current)
    threshold = np.where(np.isfinite(target), target, 1.0)
    for kind, hit in (("stay_above", current >= target - _EPS), ("stay_below", current <= target + _EPS),
                      ("milestone", current >= threshold - _EPS)):
        rows = (kinds == kind) & known & (np.isfinite(target) | (kind == "milestone"))
        out[rows] = hit[rows].astype("float64")
        raw[rows] = out[rows]
    return out, raw


def key_result_findings(ids, kinds, given, start, target, current, objectives=None) -> list[DataFinding]:
    """Why some key results cannot be scored, or are scored against what their ``type`` says."""
    ids = np.asarray(ids, dtype=object)
    kinds, given = np.asarray(kinds, dtype=object), np.asarray(given, dtype=object)
    start, target, current = (np.asarray(a, dtype="float64") for a in (start, target, current))
    objectives = np.full(len(ids), None, dtype=object) if objectives is None else np.asarray(objectives, dtype=object)
    has_start, has_target = np.isfinite(start), np.isfinite(target)
    out: list[DataFinding] = []

    def counted(i: int) -> str:
        return f"it counts as 0 in {objectives[i]}'s score" if objectives[i] else "it counts as 0"

    for i in np.flatnonzero(kinds == ""):
        kr = ids[i]
        if not has_start[i] and not has_target[i]:
            out.append(DataFinding("score.no-numbers", kr, (
                f"{kr}: neither start nor target is given, so it cannot be scored; {counted(i)}. "
                "Write the baseline in 'start' and the goal in 'target'.")))
        elif not has_target[i]:
            out.append(DataFinding("score.no-target", kr, (
                f"{kr}: a start of {start[i]:g} but no target, so its progress cannot be measured; "
                f"{counted(i)}. Write where it should get to in 'target'.")))
        elif not has_start[i]:
            out.append(DataFinding("score.no-start", kr, (
                f"{kr}: a target of {target[i]:g} but no start, so its progress cannot be measured; "
                f"{counted(i)}. Write today's value in 'start'.")))
        else:
            out.append(DataFinding("score.start-is-target", kr, (
                f"{kr}: start and target are both {start[i]:g}, so there is nothing to move; {counted(i)}. "
                "Set the target it should reach, or set 'type' to stay_above or stay_below if the level "
                "only has to hold.")))
    moving = np.isin(kinds, MOVING)
    for i in np.flatnonzero(moving & ~(has_start & has_target & (start != target))):
        kr = ids[i]
        out.append(DataFinding("score.no-numbers", kr, (
            f"{kr}: its type is {kinds[i]}, which needs a start and a different target; {counted(i)}.")))
    backwards = ((given == "increase") & (target < start)) | ((given == "decrease") & (target > start))
    for i in np.flatnonzero(moving & has_start & has_target & (start != target) & backwards):
        kr = ids[i]
        side = "below" if target[i] < start[i] else "above"
        out.append(DataFinding("score.type-conflict", kr, (
            f"{kr}: 'type' says {given[i]}, but the target ({target[i]:g}) is {side} the start ({start[i]:g}); "
            "it is scored from start to target. Correct the type or the numbers.")))
    for i in np.flatnonzero(np.isin(kinds, ("stay_above", "stay_below")) & ~has_target):
        kr = ids[i]
        out.append(DataFinding("score.no-target", kr, (
            f"{kr}: a level to hold, but no target says which level; {counted(i)}. "
            "Write the level in 'target'.")))
    scored_kinds = np.isin(kinds, ("stay_above", "stay_below", "milestone"))
    for i in np.flatnonzero(scored_kinds & ~np.isfinite(current) & (has_target | (kinds == "milestone"))):
        kr = ids[i]
        out.append(DataFinding("score.no-value", kr, (
            f"{kr}: no value yet (no check-in, no 'current', no 'start'), so {counted(i)}. "
            "Record a check-in.")))
    return out


@dataclass(frozen=True)
class KeyResultScore:
    """The score of one key result."""

    type: str | None
    """The type used, given or read from the data; None when none could be read."""
    progress: float
    """0.0 to 1.0 (0.0 when it cannot be scored)."""
    attainment: float
    """Progress without the cap at 1.0."""
    scored: bool
    findings: tuple[DataFinding, ...] = ()


def score_key_result(start: float | None, target: float | None, current: float | None = None,
                     type: str | None = None, title: str = "", id: str = "the key result") -> KeyResultScore:
    """Score one key result; ``current`` defaults to ``start``. Never raises for missing or equal numbers.

    Without a start, a key result that counts new things ("Sign 3 partners")
    starts at 0.
    """
    nan = float("nan")
    s, t = nan if start is None else float(start), nan if target is None else float(target)
    s = float(starts([s], [t], [title], [type or ""])[0])
    c = s if current is None else float(current)
    steady = np.array([steady_side(title)], dtype=object)
    given = np.array([type or ""], dtype=object)
    kinds = infer_types([s], [t], given, steady)
    value, raw = progress(kinds, [s], [t], [c])
    findings = key_result_findings([id], kinds, given, [s], [t], [c])
    scored = bool(np.isfinite(value[0]))
    return KeyResultScore(type=kinds[0] or None, progress=float(value[0]) if scored else 0.0,
                          attainment=float(raw[0]) if scored else 0.0, scored=scored, findings=tuple(findings))


# --------------------------------------------------------------------------- objectives, roll-ups, grades


def objective_scores(key_results: pd.DataFrame, objective_ids) -> pd.DataFrame:
    """Per objective (index: the ids given, in that order): ``score``, ``attainment``, ``key_results``.

    ``key_results`` needs ``objective``, ``weight``, ``progress`` and
    ``attainment``; progress that could not be measured counts as 0. An
    objective with no key results has no score (NaN).
    """
    ids = pd.Index(list(objective_ids), dtype=object)
    unique = ids.drop_duplicates()
    codes = unique.get_indexer(key_results["objective"].to_numpy(dtype=object))
    n = len(unique)
    ours = codes >= 0
    codes = codes[ours]
    weight = key_results["weight"].fillna(1.0).to_numpy(dtype="float64")[ours]
    progress = np.nan_to_num(key_results["progress"].to_numpy(dtype="float64")[ours])
    attainment = np.nan_to_num(key_results["attainment"].to_numpy(dtype="float64")[ours])
    total = np.bincount(codes, weights=weight, minlength=n)
    count = np.bincount(codes, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(count > 0, np.bincount(codes, weights=weight * progress, minlength=n) / total, np.nan)
        reach = np.where(count > 0, np.bincount(codes, weights=weight * attainment, minlength=n) / total, np.nan)
    frame = pd.DataFrame({"score": score, "attainment": reach, "key_results": count.astype("int64")}, index=unique)
    return frame.reindex(ids)


def rollups(chains: pd.DataFrame, scores: pd.Series) -> pd.Series:
    """Per objective: the mean score of its part of the tree (itself and all aligned below it).

    ``chains`` is :func:`okr_workshop.tracking.cascade.ancestry` of the objectives;
    ``scores`` is indexed by objective id. Objectives without a score (no key
    results) are left out of the mean, so a company objective measured only
    through its teams still gets a roll-up.
    """
    values = chains["id"].map(scores)
    frame = pd.DataFrame({"ancestor": chains["ancestor"].to_numpy(), "score": values.to_numpy(dtype="float64")})
    means = frame.groupby("ancestor", sort=False)["score"].mean()
    return means.reindex(scores.index)


def team_scores(objectives: pd.DataFrame, rolled: pd.Series) -> pd.Series:
    """Per team: the mean roll-up of its team-level objectives."""
    teams = objectives[objectives["level"] == "team"]
    frame = pd.DataFrame({"team": teams["team"].to_numpy(dtype=object),
                          "score": teams["id"].map(rolled).to_numpy(dtype="float64")})
    return frame.dropna(subset=["team"]).groupby("team")["score"].mean()


def company_score(objectives: pd.DataFrame, rolled: pd.Series) -> float | None:
    """The mean roll-up of the company objectives; None when there are none with a score."""
    values = objectives.loc[objectives["level"] == "company", "id"].map(rolled).dropna()
    return float(values.mean()) if len(values) else None


def grades(scores) -> np.ndarray:
    """``red``, ``yellow`` or ``green`` per score; None where there is no score."""
    scores = np.asarray(scores, dtype="float64")
    out = np.where(scores >= GREEN - _EPS, "green", np.where(scores >= YELLOW - _EPS, "yellow", "red")).astype(object)
    out[~np.isfinite(scores)] = None
    return out


def grade(score: float) -> str | None:
    """The grade colour of one score: below 0.4 red, 0.4 to 0.69 yellow, 0.7 and up green."""
    return grades([score])[0]


def verdicts(scores, attainment, commitment) -> np.ndarray:
    """Against what the commitment expects: ``met``, ``exceeded`` or ``falling_short`` (None: no score).

    Committed objectives are expected at 1.0, aspirational ones at 0.7. An
    objective exceeds its expectation when it reaches its full targets and
    goes beyond what was expected: an aspirational one at 1.0, a committed one
    past its targets.
    """
    scores = np.asarray(scores, dtype="float64")
    attainment = np.asarray(attainment, dtype="float64")
    commitment = np.asarray(commitment, dtype=object)
    expected = np.where(commitment == "committed", EXPECTED_SCORE["committed"], EXPECTED_SCORE["aspirational"])
    out = np.where(scores < expected - _EPS, "falling_short",
                   np.where((attainment >= 1.0 - _EPS) & (attainment > expected + _EPS), "exceeded", "met"))
    out = out.astype(object)
    out[~np.isfinite(scores)] = None
    return out
