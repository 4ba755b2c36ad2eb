"""How often the checker agrees with people on measurable and on outcome/output.

``tests/data/key_results_labelled.yaml`` holds key results written in many
styles and domains, each labelled measurable yes/no and outcome/output by the
definitions of the contract. The checker must agree on at least 90% of the
measurable labels and 85% of the kinds; the figures are printed on every run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from okr_workshop.smart.check import check_key_result

LABELLED = Path(__file__).parent / "data" / "key_results_labelled.yaml"
MEASURABLE_FLOOR = 0.90
KIND_FLOOR = 0.85


@pytest.fixture(scope="module")
def verdicts():
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    out = []
    for item in items:
        columns = {key: item[key] for key in ("start", "target", "unit") if key in item}
        result = check_key_result(item["title"], quarter="2026-Q3", **columns)
        out.append((item, result.facts.parsed.quantified, result.facts.kind.kind))
    return out


def test_the_labelled_set_is_large_varied_and_balanced(verdicts):
    items = [item for item, _, _ in verdicts]
    assert len(items) >= 300
    assert len({item["title"].lower() for item in items}) == len(items)
    assert len({item["domain"] for item in items}) >= 6
    kinds = Counter(item["kind"] for item in items)
    measurable = Counter(item["measurable"] for item in items)
    assert min(kinds.values()) / len(items) > 0.3 and min(measurable.values()) / len(items) > 0.3


def test_agreement_with_the_labels(verdicts, capsys):
    n = len(verdicts)
    measurable = sum(item["measurable"] == found for item, found, _ in verdicts) / n
    kind = sum(item["kind"] == found for item, _, found in verdicts) / n
    by_domain = Counter()
    totals = Counter()
    for item, found_measurable, found_kind in verdicts:
        totals[item["domain"]] += 1
        by_domain[item["domain"]] += (item["measurable"] == found_measurable) and (item["kind"] == found_kind)
    with capsys.disabled():
        print(f"\nagreement on {n} labelled key results: measurable {measurable:.3f}, kind {kind:.3f}")
        worst = sorted(totals, key=lambda d: by_domain[d] / totals[d])[:3]
        print("  weakest domains (both labels right): "
              + ", ".join(f"{d} {by_domain[d] / totals[d]:.2f}" for d in worst))
    assert measurable >= MEASURABLE_FLOOR
    assert kind >= KIND_FLOOR
