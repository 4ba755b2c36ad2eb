"""How right the checker is on real published key results, beside our own labelled set.

Reads ``real-okrs`` (``okrs.jsonl`` and ``gold.jsonl``; see ``train_kinds.real_okrs_folder`` for where it is
looked for; items the two labelling passes disagree on are left out of each figure) and prints:

- kind (outcome / output), leave one organisation out: each organisation's key results are classified by a
  model fitted without them (``benchmarks/train_kinds.py``), so the figure is what a new organisation sees;
- measurable: ``parsed.quantified`` of the checker, as ``tests/test_accuracy.py`` reads it;
- deadline named in the text (F1): the parser's deadline (``Parsed.deadline_in_text``; on a parser without it,
  a time phrase), the key result read with its OKR's period;
- per organisation, then the same figures on our own labelled set (``tests/data/key_results_labelled.yaml``, read
  as ``tests/test_accuracy.py`` reads it; its kind also cross-validated, since the shipped model learned from it);
- the shipped model's size and the time to read it.

Measurable and deadline come from the rules' own parser, not from anything fitted here: the leave-one-out
figure of those two is their plain figure. ``--json`` prints the figures as one JSON document.

    python benchmarks/bench_real_okrs.py [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import train_kinds
from train_kinds import OWN_ORG, DataError, Item, accuracy, fit, leave_one_org_out

from okr_workshop.smart.check import check_key_result
from okr_workshop.smart.language.kinds import MODEL, KindModel
from okr_workshop.smart.language.parsing import parse_title


def read_title(item: Item):
    """What the checker's parser reads from the key result, given its OKR's period where the parser takes it."""
    try:
        return parse_title(item.text, item.period)
    except ValueError:  # a period shape this parser does not know: read without it
        return parse_title(item.text, None)


def deadline_in_text(parsed) -> bool:
    """Does the checker read a deadline in the text itself?"""
    if hasattr(parsed, "deadline_in_text"):
        return bool(parsed.deadline_in_text)
    return parsed.time_phrase is not None


def f1(pairs: list[tuple[bool, bool]]) -> dict:
    """F1, precision and recall of (gold, found) pairs."""
    tp = sum(1 for gold, found in pairs if gold and found)
    fp = sum(1 for gold, found in pairs if found and not gold)
    fn = sum(1 for gold, found in pairs if gold and not found)
    return {"f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan"),
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"), "tp": tp, "fp": fp, "fn": fn}


def real_figures(real: list[Item], own: list[Item]) -> dict:
    """Leave-one-organisation-out kind, and the parser's measurable and deadline, overall and per organisation."""
    loo = leave_one_org_out(real, own)
    parsed = {id(item): read_title(item) for item in real}
    by_org: dict[str, list[Item]] = defaultdict(list)
    for item in real:
        by_org[item.org].append(item)
    orgs = {}
    for org, items in sorted(by_org.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        measured = [(i.measurable, parsed[id(i)].quantified) for i in items if i.measurable is not None]
        deadlines = [(i.deadline, deadline_in_text(parsed[id(i)])) for i in items if i.deadline is not None]
        orgs[org] = {"n": len(items), "kind": accuracy(loo.get(org, [])), "kind_n": len(loo.get(org, [])),
                     "measurable": sum(g == f for g, f in measured) / len(measured) if measured else float("nan"),
                     "deadlines": deadlines}
    kinds = [pair for pairs in loo.values() for pair in pairs]
    measured = [(i.measurable, parsed[id(i)].quantified) for i in real if i.measurable is not None]
    deadlines = [pair for figures in orgs.values() for pair in figures["deadlines"]]
    labelled_kinds = [i for i in real if i.kind]
    return {
        "key_results": len(real), "organisations": len(by_org),
        "kind": accuracy(kinds), "kind_n": len(kinds),
        "kind_mean_over_organisations": statistics.mean(o["kind"] for o in orgs.values() if o["kind_n"]),
        "kind_always_output": sum(i.kind == "output" for i in labelled_kinds) / len(labelled_kinds),
        "measurable": sum(g == f for g, f in measured) / len(measured), "measurable_n": len(measured),
        "measurable_has_digit": sum(g == any(c.isdigit() for c in i.text) for i in real if i.measurable is not None
                                    for g in [i.measurable]) / len(measured),
        "deadline": f1(deadlines), "deadline_n": len(deadlines),
        "per_organisation": {org: {k: v for k, v in o.items() if k != "deadlines"} | {"deadline": f1(o["deadlines"])}
                             for org, o in orgs.items()},
    }


def own_figures(own: list[Item], folds: int = 10) -> dict:
    """Our own labelled set as ``tests/test_accuracy.py`` reads it, and its kind cross-validated in ``folds``."""
    labelled = [i for i in own if i.measurable is not None]  # key_results_labelled.yaml (the rubric cases have none)
    checked = [check_key_result(i.text, quarter="2026-Q3", **dict(i.columns)) for i in labelled]
    measurable = sum(i.measurable == r.facts.parsed.quantified for i, r in zip(labelled, checked, strict=True))
    kind = sum(i.kind == r.facts.kind.kind for i, r in zip(labelled, checked, strict=True))
    real = _real_or_empty()
    crossed = []
    for fold in range(folds):
        held = [i for n, i in enumerate(labelled) if n % folds == fold]
        rest = [i for n, i in enumerate(own) if i not in held]
        model = fit(real + rest)
        crossed += [(i, model.classify(i.text).kind) for i in held]
    return {"key_results": len(labelled), "measurable": measurable / len(labelled), "kind": kind / len(labelled),
            "kind_cross_validated": accuracy(crossed), "folds": folds}


def _real_or_empty() -> list[Item]:
    try:
        return train_kinds.load_real()
    except DataError:
        return []


def model_figures() -> dict:
    """Size of the shipped model and how long it takes to read."""
    started = time.perf_counter()
    model = KindModel.load()
    seconds = time.perf_counter() - started
    return {"bytes": MODEL.stat().st_size, "load_ms": seconds * 1000, "weights": len(model.weights)}


def main(argv: list[str] | None = None) -> int:
    """Print how well the checks read real published key results (``--json``: as JSON); 2 when the data are
    missing.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        real, own = train_kinds.load_real(), train_kinds.load_own()
    except DataError as error:
        print(f"bench_real_okrs: {error}", file=sys.stderr)
        return 2
    figures = {"real": real_figures(real, own), "own": own_figures(own), "model": model_figures()}
    if args.json:
        print(json.dumps(figures, indent=1, default=float))
        return 0
    r, o, m = figures["real"], figures["own"], figures["model"]
    d = r["deadline"]
    print(f"real published key results: {r['key_results']} from {r['organisations']} organisations "
          f"({train_kinds.real_okrs_folder()})")
    print(f"  kind, leave one organisation out: {r['kind']:.3f} of {r['kind_n']} "
          f"(mean over organisations {r['kind_mean_over_organisations']:.3f}; always 'output' "
          f"{r['kind_always_output']:.3f})")
    print(f"  measurable: {r['measurable']:.3f} of {r['measurable_n']} (has a digit {r['measurable_has_digit']:.3f})")
    print(f"  deadline named in the text: F1 {d['f1']:.3f} (precision {d['precision']:.3f}, recall "
          f"{d['recall']:.3f}; {d['tp']} found, {d['fp']} wrongly, {d['fn']} missed, of {r['deadline_n']})")
    print(f"  {'organisation':28} {'n':>4} {'kind':>6} {'measurable':>11} {'deadline F1':>12}")
    for org, figs in r["per_organisation"].items():
        deadline = figs["deadline"]
        shown = f"{deadline['f1']:.2f}" if deadline["tp"] + deadline["fp"] + deadline["fn"] else "-"
        print(f"  {org[:28]:28} {figs['n']:>4} {figs['kind']:>6.3f} {figs['measurable']:>11.3f} {shown:>12}")
    print(f"our own labelled set ({OWN_ORG}, {o['key_results']} key results): measurable {o['measurable']:.3f}, "
          f"kind {o['kind']:.3f} (the shipped model, which learned from them; {o['folds']}-fold cross-validated "
          f"{o['kind_cross_validated']:.3f})")
    print(f"model: {m['weights']} weights, {m['bytes']:,} bytes, read in {m['load_ms']:.1f} ms ({MODEL})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
