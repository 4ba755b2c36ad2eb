"""Many writers at once lose nothing, and two people editing one objective never overwrite each other unseen.

Every test runs on SQLite and on PostgreSQL. The writers are separate
processes, each with its own store, as the kernels of a workshop are; they
start from a fork server that has imported the toolkit once.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store
from okr_workshop.store.drafts import ConflictError, KeyResultDraft, ObjectiveDraft, load_draft, save_objective
from okr_workshop.tracking.checkins import history, record_checkin

EXAMPLE = Path(__file__).parents[1] / "templates" / "examples" / "brightwell"
ANA = "ana.ortiz@brightwell.example"
KWAME = "kwame.mensah@brightwell.example"
WORKERS, ROUNDS = 4, 3
SHARED_KR = "C1.1"
"""A key result every writer checks in on."""
EDITED = "C2"
"""An objective every writer edits (each adds a key result of its own)."""


@pytest.fixture
def store(db_url: str) -> Store:
    store = Store(db_url)
    store.write_workbook(read_workbook(EXAMPLE))
    yield store
    store.close()


def _pool():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["okr_workshop.store.drafts", "okr_workshop.tracking.checkins", "okr_workshop.io"])
    return context


def _write_everything(db: str, worker: int, rounds: int) -> None:
    """One participant's kernel: new objectives, edits of them, check-ins, and an edit of a shared objective."""
    store = Store(db)
    for n in range(rounds):
        draft = ObjectiveDraft(title=f"Objective {worker}-{n}", quarter="2026-Q4", key_results=[
            KeyResultDraft(f"Raise signal {worker}-{n} from 1 to 2"), KeyResultDraft("Cut noise from 4 to 2")])
        save_objective(store, draft, by=f"worker-{worker}")
        draft.key_results.append(KeyResultDraft(f"Grow reach {worker}-{n} from 10 to 20"))
        save_objective(store, draft, by=f"worker-{worker}")  # an edit of its own objective: a third key result
        for kr in draft.key_results:
            record_checkin(store, kr.id, n + 1, note=f"worker {worker}")
        record_checkin(store, SHARED_KR, 40 + worker, note=f"worker {worker} round {n}")
    while True:  # what a person does on a conflict: reload, make the change again, save
        shared = load_draft(store, EDITED)
        shared.key_results.append(KeyResultDraft(f"Worker {worker} adds a key result from 0 to 1"))
        try:
            save_objective(store, shared, by=f"worker-{worker}")
            break
        except ConflictError:
            continue
    store.close()


def test_writers_at_once_lose_nothing(store: Store, db_url: str) -> None:
    before = store.counts()
    revision = load_draft(store, EDITED).revision
    shared_before = len(history(store, SHARED_KR))
    edited_krs = len(load_draft(store, EDITED).key_results)
    context = _pool()
    workers = [context.Process(target=_write_everything, args=(db_url, w, ROUNDS)) for w in range(WORKERS)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    book = store.read_workbook()
    objectives = book["objectives"]
    assert {f"Objective {w}-{n}" for w in range(WORKERS) for n in range(ROUNDS)} <= set(objectives["title"])
    assert objectives["id"].is_unique and book["key_results"]["id"].is_unique
    new = WORKERS * ROUNDS
    assert store.counts() == before | {
        "objectives": before["objectives"] + new,
        "key_results": before["key_results"] + 3 * new + WORKERS,
        "checkins": before["checkins"] + 4 * new,
    }
    notes = history(store, SHARED_KR)["note"].tolist()
    assert len(notes) == shared_before + new
    assert {f"worker {w} round {n}" for w in range(WORKERS) for n in range(ROUNDS)} <= set(notes)
    edited = load_draft(store, EDITED)
    assert len(edited.key_results) == edited_krs + WORKERS  # every worker's key result, none overwritten
    assert edited.revision == revision + WORKERS


def test_the_second_of_two_saves_of_the_same_objective_is_refused(store: Store) -> None:
    ana, kwame = load_draft(store, "C1"), load_draft(store, "C1")
    ana.title, kwame.title = "Ana's wording", "Kwame's wording"
    save_objective(store, ana, by=ANA)
    with pytest.raises(ConflictError) as caught:
        save_objective(store, kwame, by=KWAME)
    message = str(caught.value)
    assert message.startswith("Someone saved C1 after you opened it (at ")
    assert f"by {ANA}); nothing of yours was saved. Reload it" in message
    assert caught.value.saved_by == ANA and caught.value.objective == "C1"
    assert load_draft(store, "C1").title == "Ana's wording"
    again = load_draft(store, "C1")  # reload, change again, save: it goes through
    again.title = "Kwame's wording"
    save_objective(store, again, by=KWAME)
    assert load_draft(store, "C1").title == "Kwame's wording"
    assert again.revision == ana.revision + 1


def test_key_results_of_a_refused_save_are_not_written(store: Store) -> None:
    first, second = load_draft(store, "C2"), load_draft(store, "C2")
    first.key_results.append(KeyResultDraft("Raise repeat bookings from 20% to 30%"))
    save_objective(store, first)
    second.key_results[0].title = "Changed by the second editor"
    second.key_results.append(KeyResultDraft("Cut waiting time from 5 days to 2"))
    counts = store.counts()
    with pytest.raises(ConflictError, match=r"Someone saved C2 after you opened it \(at \d\d:\d\d\)"):
        save_objective(store, second)
    assert store.counts() == counts
    assert load_draft(store, "C2").key_results[0].title == first.key_results[0].title


def test_an_import_counts_as_a_save(store: Store, make_workbook) -> None:
    draft = load_draft(store, "C3")
    unchanged = read_workbook(EXAMPLE)
    store.write_workbook(unchanged)  # the same data again: nothing changes, the draft still saves
    assert load_draft(store, "C3").revision == draft.revision
    changed = unchanged.tables["objectives"].copy()
    changed.loc[changed["id"] == "C3", "title"] = "Reworded in the spreadsheet"
    unchanged.tables["objectives"] = changed
    store.write_workbook(unchanged)
    draft.title = "Reworded in the app"
    with pytest.raises(ConflictError):
        save_objective(store, draft)
    assert load_draft(store, "C3").title == "Reworded in the spreadsheet"


def test_a_new_draft_and_an_unchecked_one_save_without_a_revision(store: Store) -> None:
    draft = ObjectiveDraft(title="Keep riders safe", quarter="2026-Q4",
                           key_results=[KeyResultDraft("Cut incidents from 12 to 4")])
    save_objective(store, draft)
    assert draft.revision == 1
    blind = load_draft(store, draft.id)
    blind.revision = None  # a script that does not care who saved before it
    blind.title = "Keep every rider safe"
    save_objective(store, blind)
    assert blind.revision == 2 and load_draft(store, draft.id).title == "Keep every rider safe"
