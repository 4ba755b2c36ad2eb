"""Fit the outcome/output model (``okr_workshop/smart/models/kinds.json``) from labelled key results.

Learns from sets labelled by the same coaching rubric:

- the real published key results in ``real-okrs`` (``okrs.jsonl`` with its ``gold.jsonl``; items the two
  labelling passes disagree on are left out), found at ``$OKR_WORKSHOP_REAL_OKRS``, else
  ``<repo>/../shared/real-okrs``, else ``/work/shared/real-okrs``; its sentences stay there, only weights come
  into the project;
- our own labelled set, ``tests/data/key_results_labelled.yaml``, and our own sentences written for the rubric's
  borderline readings, ``tests/data/kinds_rubric.yaml``.

The model is a logistic regression over :func:`okr_workshop.smart.language.kinds.features` (facts that carry meaning,
plus general words outside the classifier's word families), fitted with numpy (Newton's method, L2 penalty, words
penalised more than facts), so neither training nor the toolkit needs scikit-learn. A word enters the vocabulary
only when key results of ``MIN_ORGS`` organisations use it (our own sets count as one), so no phrase of one source
is learned. ``leave_one_org_out`` classifies each organisation's key results with a model fitted without them.
The settings below were chosen on that leave-one-organisation-out figure.

    python benchmarks/train_kinds.py            # print the leave-one-out figure, fit on everything, write the model
    python benchmarks/train_kinds.py --check    # fit and compare with the shipped model, write nothing
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from okr_workshop.smart.language.kinds import MODEL, KindModel, features  # noqa: E402

OWN = ROOT / "tests" / "data" / "key_results_labelled.yaml"
RUBRIC = ROOT / "tests" / "data" / "kinds_rubric.yaml"
OWN_ORG = "(our own set)"
ENV = "OKR_WORKSHOP_REAL_OKRS"

L2 = 0.5
"""Penalty on the squared weights (not the bias)."""
MIN_ORGS = 4
"""A word is learned only when key results of this many organisations (our own set counts as one) use it."""
MIN_COUNT = 3
"""A fact is learned only when this many training key results show it."""
OWN_WEIGHT = 1.0
"""How much one of our own key results counts against one real one."""
WORD_PENALTY = 4.0
"""The penalty on a general word's weight, as a multiple of L2: facts that carry meaning are trusted more."""


class DataError(Exception):
    """A data file is missing a field or is not what it should be; the message names file and line."""


@dataclass(frozen=True)
class Item:
    """A labelled key result."""

    org: str
    text: str
    kind: str | None
    measurable: bool | None = None
    deadline: bool | None = None
    period: str | None = None
    objective: str | None = None
    columns: tuple[tuple[str, object], ...] = ()
    """Start, target and unit given beside the title (our own set), as a spreadsheet holds them."""


FIXED = Path("/work/shared/real-okrs")
"""The last place looked in."""


def _candidates() -> list[Path]:
    out = [Path(os.environ[ENV])] if os.environ.get(ENV) else []
    return [*out, ROOT.parent / "shared" / "real-okrs", FIXED]


def real_okrs_folder() -> Path | None:
    """Where the real key results are: ``$OKR_WORKSHOP_REAL_OKRS``, ``<repo>/../shared/real-okrs``, ``/work/...``."""
    return next((folder for folder in _candidates() if (folder / "okrs.jsonl").is_file()), None)


def missing_reason() -> str | None:
    """Why the real key results cannot be read, or None when they can."""
    if real_okrs_folder() is None:
        looked = ", ".join(str(folder) for folder in _candidates())
        return (f"the real key results are not here: set {ENV} to the folder holding okrs.jsonl and gold.jsonl "
                f"(looked in {looked})")
    return None


def _jsonl(path: Path, fields: tuple[str, ...]) -> list[dict]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: cannot be read ({error})") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}, line {number}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise DataError(f"{path}, line {number}: expected an object, found {type(row).__name__}")
        for name in fields:
            if name not in row:
                raise DataError(f"{path}, line {number}: no field {name!r}")
        rows.append(row)
    return rows


def load_real(folder: Path | None = None) -> list[Item]:
    """The real key results with their gold labels (``None`` where the two passes disagree)."""
    folder = folder or real_okrs_folder()
    if folder is None:
        raise DataError(missing_reason())
    okrs = _jsonl(folder / "okrs.jsonl", ("n", "org_key", "kr"))
    gold = {row["n"]: row for row in _jsonl(folder / "gold.jsonl", ("n", "kind", "measurable", "deadline_in_text"))}
    items = []
    for number, row in enumerate(okrs, start=1):
        label = gold.get(row["n"])
        if label is None:
            raise DataError(f"{folder / 'gold.jsonl'}: no labels for n={row['n']} (okrs.jsonl, line {number})")
        if label["kind"] not in ("outcome", "output", None):
            raise DataError(f"{folder / 'gold.jsonl'}: n={row['n']}: kind {label['kind']!r} is neither outcome, "
                            f"output nor null")
        items.append(Item(row["org_key"], row["kr"], label["kind"], label["measurable"], label["deadline_in_text"],
                          row.get("period"), row.get("objective")))
    return items


def load_own(paths: tuple[Path, ...] = (OWN, RUBRIC)) -> list[Item]:
    """Our own labelled key results (their domain, or the rubric's reading, is kept in ``period``)."""
    items = []
    for path in paths:
        rows = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, row in enumerate(rows, start=1):
            for name in ("title", "kind"):
                if name not in row:
                    raise DataError(f"{path}, item {number}: no field {name!r}")
            if row["kind"] not in ("outcome", "output"):
                raise DataError(f"{path}, item {number}: kind {row['kind']!r} is neither outcome nor output")
            columns = tuple((key, row[key]) for key in ("start", "target", "unit") if key in row)
            items.append(Item(OWN_ORG, row["title"], row["kind"], row.get("measurable"), None,
                              row.get("domain") or row.get("rule"), None, columns))
    return items


def _vocabulary(samples: list[tuple[dict[str, str], int, str, float]], min_orgs: int, min_count: int) -> list[str]:
    orgs: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for found, _, org, _ in samples:
        for name in found:
            orgs[name].add(org)
            counts[name] += 1
    keep = []
    for name, count in counts.items():
        if count < min_count:
            continue
        if name.startswith(("w:", "v:")) and len(orgs[name]) < min_orgs:
            continue
        keep.append(name)
    return sorted(keep)


def fit(items: list[Item], *, l2: float = L2, min_orgs: int = MIN_ORGS, min_count: int = MIN_COUNT,
        own_weight: float = OWN_WEIGHT, word_penalty: float = WORD_PENALTY) -> KindModel:
    """A logistic regression fitted to the labelled ``items`` (those with a kind)."""
    samples = [(features(item.text), int(item.kind == "outcome"), item.org,
                own_weight if item.org == OWN_ORG else 1.0) for item in items if item.kind]
    names = _vocabulary(samples, min_orgs, min_count)
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(samples), len(names) + 1))
    x[:, -1] = 1.0  # the bias
    for row, (found, _, _, _) in enumerate(samples):
        for name in found:
            if name in index:
                x[row, index[name]] = 1.0
    y = np.array([s[1] for s in samples], dtype=float)
    sample_weight = np.array([s[3] for s in samples])
    penalty = np.array([l2 * (word_penalty if name.startswith(("w:", "v:")) else 1.0) for name in names] + [0.0])
    w = np.zeros(len(names) + 1)
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (sample_weight * (p - y)) + penalty * w
        hessian = (x.T * (sample_weight * p * (1 - p))) @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    weights = {name: round(float(w[i]), 4) for name, i in index.items() if abs(w[i]) >= 1e-4}
    return KindModel(round(float(w[-1]), 4), weights)


def leave_one_org_out(items: list[Item], own: list[Item], **options) -> dict[str, list[tuple[Item, str]]]:
    """Each organisation's labelled items with the kind a model fitted without that organisation gives."""
    by_org: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_org[item.org].append(item)
    out = {}
    for org, held_out in by_org.items():
        model = fit([i for i in items if i.org != org] + own, **options)
        out[org] = [(item, model.classify(item.text).kind) for item in held_out if item.kind]
    return out


def accuracy(pairs: list[tuple[Item, str]]) -> float:
    """The share of items whose predicted kind is the gold one."""
    return sum(item.kind == kind for item, kind in pairs) / len(pairs) if pairs else float("nan")


def model_document(model: KindModel, real: list[Item], own: list[Item], loo: float | None) -> dict:
    """The JSON written to ``models/kinds.json``."""
    return {
        "about": "Outcome/output weights over okr_workshop.smart.language.kinds.features; "
                 "written by benchmarks/train_kinds.py. "
                 "Log-odds of outcome = bias + the weights of the facts a title shows.",
        "trained_on": {"real_key_results": sum(1 for i in real if i.kind),
                       "organisations": len({i.org for i in real}),
                       "own_key_results": len(own)},
        "settings": {"l2": L2, "word_penalty": WORD_PENALTY, "min_orgs": MIN_ORGS, "min_count": MIN_COUNT,
                     "own_weight": OWN_WEIGHT},
        "leave_one_org_out_accuracy": None if loo is None else round(loo, 4),
        "bias": model.bias,
        "weights": dict(sorted(model.weights.items())),
    }


def main(argv: list[str] | None = None) -> int:
    """Fit the kind model and write it to ``--out`` (``--check``: only compare it with the shipped one, 1 when
    they differ); 2 when the data are missing.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL, help="where to write the model (default: the shipped one)")
    parser.add_argument("--check", action="store_true", help="compare with the shipped model; write nothing")
    args = parser.parse_args(argv)
    try:
        real, own = load_real(), load_own()
    except DataError as error:
        print(f"train_kinds: {error}", file=sys.stderr)
        return 2
    loo = leave_one_org_out(real, own)
    pooled = accuracy([pair for pairs in loo.values() for pair in pairs])
    model = fit(real + own)
    document = model_document(model, real, own, pooled)
    print(f"leave-one-organisation-out kind accuracy on {sum(len(p) for p in loo.values())} real key results: "
          f"{pooled:.3f}; {len(model.weights)} weights")
    if args.check:
        shipped = json.loads(MODEL.read_text(encoding="utf-8"))
        same = shipped["weights"] == document["weights"] and shipped["bias"] == document["bias"]
        print("the shipped model is the one these data give" if same else "the shipped model differs: retrain")
        return 0 if same else 1
    text = json.dumps(document, indent=0, ensure_ascii=False) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.out.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(args.out)
    print(f"wrote {args.out} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
