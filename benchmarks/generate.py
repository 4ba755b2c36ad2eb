"""Make a synthetic organisation of N people as a CSV workbook, for the benchmarks.

About N/8 teams, five company objectives, an objective per team and per person
(each aligned one level up), three key results each, and a weekly check-in per
key result for the 13 weeks of the quarter.

    python benchmarks/generate.py 5000 benchmarks/data/org-5000
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

VERSION = "2"
"""Bumped when the generated data changes, so cached folders are made again."""
QUARTER = "2026-Q3"
START = dt.date(2026, 7, 1)
WEEKS = 13
KRS = 3
COMPANY = 5


# Key results as people write them: many shapes, metrics and numbers, so that no
# two titles of a large organisation are likely to be the same text.
_METRICS = [
    "weekly active users", "trial-to-paid conversion", "NPS", "CSAT for support tickets", "monthly churn",
    "p95 checkout latency", "open bugs", "first-response time", "qualified leads", "enterprise renewals",
    "onboarding completion", "page load time", "support backlog", "deployment frequency", "gross margin",
    "cost per acquisition", "employee engagement score", "time to hire", "on-time deliveries", "test coverage",
]
_THINGS = ["enterprise customers", "partner cafés", "new hires", "case studies", "blog posts", "webinars",
           "reference customers", "community contributors", "design partners", "regional distributors"]
_SHAPES = [
    "Raise {m} from {s} to {t}",
    "Grow {m} from {s} to {t} by the end of the quarter",
    "Cut {m} from {t}% to {s}%",
    "Reduce {m} below {s} ms by {d}",
    "Increase {m} by {p}%",
    "Reach {t} {x} by end of Q3",
    "Win {n} new {x}",
    "Sign {n} {x} in the DACH region by {d}",
    "Keep {m} above {s}%",
    "Double {m}",
    "Lift {m} to {t}% (currently {s}%)",
    "Publish {n} {x} before the autumn release",
    "Launch the {x} programme",
    "Improve {m}",
    "Bring {m} from EUR {s}k to EUR {t}k",
    "{m} up from {s} to {t}",
]
_DATES = ["30 September", "15 August", "end of September", "31 July"]


def titles(rng: np.random.Generator, start: np.ndarray, target: np.ndarray) -> list[str]:
    """Varied key result titles (the numbers in them need not agree with the start and target columns)."""
    shapes = rng.integers(0, len(_SHAPES), len(start))
    metrics = rng.integers(0, len(_METRICS), len(start))
    things = rng.integers(0, len(_THINGS), len(start))
    counts = rng.integers(2, 40, len(start))
    dates = rng.integers(0, len(_DATES), len(start))
    return [
        _SHAPES[k].format(m=_METRICS[m], s=f"{s:g}", t=f"{t:g}", p=n, n=n, x=_THINGS[x], d=_DATES[d])
        for k, m, x, n, d, s, t in zip(shapes, metrics, things, counts, dates, start, target, strict=True)
    ]


def organisation(people: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """The tables of an organisation of ``people`` people, as frames of plain values."""
    rng = np.random.default_rng(seed)
    n_teams = max(1, people // 8)
    teams = pd.DataFrame({"id": [f"t{i}" for i in range(n_teams)], "name": [f"Team {i}" for i in range(n_teams)]})
    person_team = rng.integers(0, n_teams, people)
    person_ids = [f"p{i}@example.org" for i in range(people)]
    roles = np.where(np.arange(people) < n_teams, "manager", "member")
    people_frame = pd.DataFrame({
        "id": person_ids, "name": [f"Person {i}" for i in range(people)],
        "team": [f"t{t}" for t in person_team], "role": roles,
    })
    company = pd.DataFrame({
        "id": [f"C{i}" for i in range(COMPANY)], "title": [f"Company aim {i}" for i in range(COMPANY)],
        "level": "company", "quarter": QUARTER,
    })
    team_obj = pd.DataFrame({
        "id": [f"T{i}" for i in range(n_teams)], "title": [f"Team aim {i}" for i in range(n_teams)],
        "level": "team", "quarter": QUARTER, "team": teams["id"],
        "parent": [f"C{i % COMPANY}" for i in range(n_teams)],
    })
    person_obj = pd.DataFrame({
        "id": [f"P{i}" for i in range(people)], "title": [f"Personal aim {i}" for i in range(people)],
        "level": "individual", "quarter": QUARTER, "owner": person_ids,
        "parent": [f"T{t}" for t in person_team],
    })
    objectives = pd.concat([company, team_obj, person_obj], ignore_index=True)
    kr_objective = np.repeat(objectives["id"].to_numpy(), KRS)
    n_krs = len(kr_objective)
    start = rng.integers(10, 100, n_krs).astype(float)
    target = start + rng.integers(5, 50, n_krs)
    with_columns = rng.random(n_krs) < 0.5  # half give start and target as columns, half only in the text
    key_results = pd.DataFrame({
        "id": [f"{o}.{k + 1}" for o in objectives["id"] for k in range(KRS)],
        "objective": kr_objective,
        "title": titles(rng, start, target),
        "start": np.where(with_columns, start, np.nan), "target": np.where(with_columns, target, np.nan),
        "unit": np.where(with_columns, "points", ""),
        "weight": 1, "confidence": rng.choice([0.5, 0.6, 0.7, 0.8], n_krs),
    })
    weeks = np.arange(1, WEEKS + 1)
    kr_index = np.repeat(np.arange(n_krs), WEEKS)
    week = np.tile(weeks, n_krs)
    progress = np.clip(week / WEEKS * rng.uniform(0.3, 1.2, len(week)), 0, 1.2)
    values = np.round(start[kr_index] + (target - start)[kr_index] * progress, 1)
    dates = pd.to_datetime(START) + pd.to_timedelta(week * 7 - 1, unit="D")
    checkins = pd.DataFrame({
        "key_result": key_results["id"].to_numpy()[kr_index],
        "date": dates.strftime("%Y-%m-%d"),
        "value": values,
        "confidence": np.round(rng.uniform(0.3, 0.9, len(week)), 2),
        "note": np.where(week % 4 == 0, "on the way; see the weekly notes", ""),
        "author": people_frame["id"].to_numpy()[kr_index % people],
    })
    return {"teams": teams, "people": people_frame, "objectives": objectives,
            "key_results": key_results, "checkins": checkins}


def write(people: int, folder: Path) -> Path:
    """Write the organisation of ``people`` people as CSV files in ``folder`` (skipped when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "VERSION"
    if (folder / "checkins.csv").exists() and stamp.exists() and stamp.read_text() == VERSION:
        return folder
    for name, frame in organisation(people).items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    stamp.write_text(VERSION)
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    print(write(args.people, args.folder))
