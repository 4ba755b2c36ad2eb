"""Saving objectives from the workshop forms: one transaction, readable ids, every problem named, no lost saves.

Every test runs on SQLite and on PostgreSQL (the ``db_url`` fixture).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from okr_workshop.exceptions import StoreError, WorkbookError
from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store
from okr_workshop.store.drafts import (
    KeyResultDraft,
    ObjectiveDraft,
    delete_objective,
    load_draft,
    save_objective,
)

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
ANA = "ana.ortiz@brightwell.example"


@pytest.fixture
def store(db_url: str) -> Store:
    store = Store(db_url)
    store.write_workbook(read_workbook(EXAMPLE))
    yield store
    store.close()


def _draft(**fields) -> ObjectiveDraft:
    fields.setdefault("title", "Make riders love the app")
    fields.setdefault("quarter", "2026-Q4")
    fields.setdefault("key_results", [KeyResultDraft("Raise the app rating from 3.9 to 4.5"),
                                      KeyResultDraft("Cut the crash rate from 2% to 0.5%")])
    return ObjectiveDraft(**fields)


def test_a_new_company_objective_gets_the_next_id_and_numbered_key_results(store: Store) -> None:
    draft = _draft()
    assert save_objective(store, draft) == "C4"
    saved = load_draft(store, "C4")
    assert [kr.id for kr in saved.key_results] == ["C4.1", "C4.2"]
    assert [kr.title for kr in saved.key_results] == ["Raise the app rating from 3.9 to 4.5",
                                                        "Cut the crash rate from 2% to 0.5%"]
    assert draft.id == "C4" and [kr.id for kr in draft.key_results] == ["C4.1", "C4.2"]


@pytest.mark.parametrize(("fields", "expected"), [
    ({"level": "team", "team": "sales", "parent": "C1"}, "SALES-3"),
    ({"level": "individual", "owner": ANA, "parent": "SALES-1"}, "I-ana-1"),
])
def test_team_and_individual_ids(store: Store, fields: dict, expected: str) -> None:
    assert save_objective(store, _draft(**fields)) == expected


def test_blank_rows_are_left_out(store: Store) -> None:
    draft = _draft(key_results=[KeyResultDraft("Raise NPS from 31 to 40"), KeyResultDraft(""),
                                KeyResultDraft("Cut churn from 4% to 3%")])
    save_objective(store, draft)
    assert [kr.id for kr in load_draft(store, draft.id).key_results] == [f"{draft.id}.1", f"{draft.id}.2"]


def test_saving_again_updates_removes_and_adds(store: Store) -> None:
    draft = _draft()
    save_objective(store, draft)
    draft.title = "Make riders proud of the app"
    draft.key_results.pop(0)
    draft.key_results.append(KeyResultDraft("Grow weekly app users from 900 to 1,400"))
    save_objective(store, draft)
    saved = load_draft(store, draft.id)
    assert saved.title == "Make riders proud of the app"
    assert [(kr.id, kr.title) for kr in saved.key_results] == [
        ("C4.2", "Cut the crash rate from 2% to 0.5%"), ("C4.3", "Grow weekly app users from 900 to 1,400")]
    assert store.counts()["objectives"] == 32


def test_every_problem_is_named_and_nothing_is_written(store: Store) -> None:
    before = store.counts()
    draft = _draft(title="", quarter="2026-Q9", key_results=[
        KeyResultDraft("Raise NPS from 31 to 40", confidence=3), KeyResultDraft("Cut churn", weight=0)])
    with pytest.raises(WorkbookError) as caught:
        save_objective(store, draft)
    where = {(p.path, p.column) for p in caught.value.problems}
    assert where == {("the form (objective)", "title"), ("the form (objective)", "quarter"),
                     ("the form (key result 1)", "confidence"), ("the form (key result 2)", "weight")}
    assert store.counts() == before and draft.id is None


def test_an_unknown_parent_is_refused_with_a_suggestion(store: Store) -> None:
    with pytest.raises(WorkbookError) as caught:
        save_objective(store, _draft(level="team", team="sales", parent="C11"))
    assert any(p.column == "parent" and "C1" in p.found + p.expected for p in caught.value.problems)


def test_a_key_result_with_check_ins_cannot_be_removed(store: Store) -> None:
    draft = load_draft(store, "C1")
    draft.key_results.pop(0)
    with pytest.raises(StoreError, match=r"C1\.1 already has check-ins"):
        save_objective(store, draft)
    assert load_draft(store, "C1").key_results[0].id == "C1.1"


def test_delete_refuses_an_objective_others_align_to(store: Store) -> None:
    with pytest.raises(StoreError, match="aligned to it"):
        delete_objective(store, "C1")
    draft = _draft()
    save_objective(store, draft)
    delete_objective(store, draft.id)
    assert store.counts()["key_results"] == 82
