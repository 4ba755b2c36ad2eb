"""The end of a quarter on the record: ``adjust``, ``reflect`` and the team retro, on real stores.

Every command runs as users run it, ``python -m okr_workshop`` in a process of
its own, on a SQLite copy of the example company (Brightwell, 2026-Q4). A
refused command must leave the store as it was: the file's bytes and every
row of every table, ``seq`` and ``recorded_at`` included.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from commands import Command

from okr_workshop.exceptions import InputError
from okr_workshop.store.database import ENV_VAR, SQL_TABLES, Store
from okr_workshop.tracking.review import add_retro_note

ANA = "ana.ortiz@brightwell.example"
TOBIAS = "tobias.brandt@brightwell.example"
EMEKA = "emeka.obi@brightwell.example"
DMITRI = "dmitri.volkov@brightwell.example"
"""Emeka owns the participants-only objective I-emeka-1; Dmitri is its one participant; Ana is neither."""

AS_OF = "2026-11-20"
"""A day inside the example's quarter, 2026-Q4."""
RAISE_TARGET = ("C1.1", "--target", "2500", "--due", "2026-12-15", "--reason", "Employer pilots came in early",
                "--author", ANA, "--date", "2026-11-02")
"""One adjustment of two fields: C1.1's target (2300 before) and its due date (empty before)."""


# --------------------------------------------------------------------------- stores and the command


@pytest.fixture
def copy_db(example_db, tmp_path):
    """``copy_db(name)``: a fresh copy of the example store in ``tmp_path``."""

    def copy(name: str = "workshop") -> Path:
        return Path(shutil.copyfile(example_db, tmp_path / f"{name}.db"))

    return copy


@pytest.fixture
def db(copy_db) -> Path:
    """A fresh copy of the example store for one test."""
    return copy_db()


@pytest.fixture
def okr(tmp_path) -> Command:
    """The command, run in ``tmp_path`` and without ``$OKR_WORKSHOP_DB``: no test can touch a store elsewhere."""
    return Command(tmp_path, {k: v for k, v in os.environ.items() if k != ENV_VAR})


def store_state(db: Path) -> tuple[bytes, dict[str, list[tuple]]]:
    """The store file's bytes (read before anything opens it) and every row of every table, in key order."""
    data = db.read_bytes()
    store = Store(db, create=False)
    try:
        with store.engine.connect() as conn:
            rows = {name: [tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key))]
                    for name, table in SQL_TABLES.items()}
    finally:
        store.close()
    return data, rows


def rows_of(db: Path, name: str) -> list[dict]:
    """Table ``name`` of the store as plain dicts, in the order recorded; dates as ISO text, empty cells as None."""
    store = Store(db, create=False)
    try:
        frame = store.read_workbook()[name]
    finally:
        store.close()
    frame = frame.astype(object).where(frame.notna(), None)
    return [{k: v.date().isoformat() if isinstance(v, dt.datetime) else v for k, v in row.items()}
            for row in frame.to_dict("records")]


def key_result_row(db: Path, key_result: str) -> dict:
    """The stored row of one key result."""
    return next(row for row in rows_of(db, "key_results") if row["id"] == key_result)


def status_json(okr: Command, db: Path, *options: object) -> dict:
    """``status --format json`` of the store on ``AS_OF``."""
    result = okr("status", "--db", db, "--as-of", AS_OF, "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def status_key_results(doc: dict) -> dict[str, dict]:
    """The key results of a status document by id."""
    return {kr["id"]: kr for objective in doc["objectives"] for kr in objective["key_results"]}


def csv_rows(path: Path) -> list[dict]:
    """A CSV file's rows as dicts, empty cells as None."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: v if v != "" else None for k, v in row.items()} for row in csv.DictReader(handle)]


def check_refusals(okr: Command, copy_db, cases: dict[str, tuple[list[object], str]]) -> None:
    """Run each refused command on a store of its own: exit 2, stderr naming the field, the store as it was."""
    dbs = {name: copy_db(name) for name in cases}
    before = {name: store_state(path) for name, path in dbs.items()}
    results = okr.together({name: [*args, "--db", dbs[name]] for name, (args, _) in cases.items()})
    wrong = []
    for name, (_, words) in cases.items():
        result = results[name]
        if result.returncode != 2:
            wrong.append(f"{name}: exit {result.returncode}, expected 2 ({result.stdout}{result.stderr})")
        if words not in result.stderr or "Nothing was written" not in result.stderr:
            wrong.append(f"{name}: stderr {result.stderr!r} does not say {words!r} and 'Nothing was written'")
        if store_state(dbs[name]) != before[name]:
            wrong.append(f"{name}: the store changed")
    assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------- adjust


def test_adjust_records_each_changed_field_and_status_scores_against_the_new_target(okr, db):
    result = okr("adjust", *RAISE_TARGET, "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["C1.1: target 2300 -> 2500 on 2026-11-02.",
                                          "C1.1: due (empty) -> 2026-12-15 on 2026-11-02."]
    recorded = [{k: row[k] for k in ("key_result", "field", "old", "new", "reason", "author", "date")}
                for row in rows_of(db, "changes")]
    why = "Employer pilots came in early"
    assert recorded == [
        {"key_result": "C1.1", "field": "target", "old": "2300", "new": "2500", "reason": why, "author": ANA,
         "date": "2026-11-02"},
        {"key_result": "C1.1", "field": "due", "old": None, "new": "2026-12-15", "reason": why, "author": ANA,
         "date": "2026-11-02"},
    ]
    kr = key_result_row(db, "C1.1")
    assert (kr["start"], kr["target"], kr["due"]) == (1850.0, 2500.0, "2026-12-15")

    shown = status_key_results(status_json(okr, db))["C1.1"]
    assert shown["changes"] == [{k: row[k] for k in ("date", "author", "field", "old", "new", "reason")}
                                for row in recorded]
    latest = max((c for c in rows_of(db, "checkins") if c["key_result"] == "C1.1" and c["date"] <= AS_OF),
                  key=lambda c: c["date"])
    assert shown["target"] == 2500.0
    assert shown["progress"] == pytest.approx((latest["value"] - 1850) / (2500 - 1850), abs=1e-4)


def test_adjust_to_the_values_already_there_writes_nothing(okr, db):
    assert okr("adjust", *RAISE_TARGET, "--db", db).returncode == 0
    before = store_state(db)
    again = okr("adjust", *RAISE_TARGET, "--db", db)
    assert again.returncode == 0, again.stderr
    assert "nothing to change" in again.stdout
    assert store_state(db) == before


def test_status_lists_changes_oldest_first(okr, db):
    assert okr("adjust", *RAISE_TARGET, "--db", db).returncode == 0
    late_entry = okr("adjust", "C1.1", "--weight", "3", "--reason", "Subscribers matter most this quarter",
                     "--author", TOBIAS, "--date", "2026-10-20", "--db", db)  # recorded last, dated first
    assert late_entry.returncode == 0, late_entry.stderr
    changes = status_key_results(status_json(okr, db))["C1.1"]["changes"]
    assert [(c["date"], c["field"], c["old"], c["new"]) for c in changes] == [
        ("2026-10-20", "weight", "2", "3"), ("2026-11-02", "target", "2300", "2500"),
        ("2026-11-02", "due", None, "2026-12-15")]
    assert status_key_results(status_json(okr, db))["C1.2"]["changes"] == []


def test_adjust_refusals_exit_2_name_the_field_and_write_nothing(okr, copy_db):
    why = ["--reason", "Employer pilots came in early"]
    by_ana = ["--author", ANA]
    check_refusals(okr, copy_db, {
        "unknown-key-result": (["adjust", "C9.9", "--target", "2500", *why, *by_ana],
                               "key_result: 'C9.9'; expected the id of a key result"),
        "unknown-author": (["adjust", "C1.1", "--target", "2500", *why, "--author", "nobody@example.org"],
                           "author for C1.1: 'nobody@example.org'"),
        "no-author": (["adjust", "C1.1", "--target", "2500", *why], "author for C1.1: ''"),
        "target-text": (["adjust", "C1.1", "--target", "lots", *why, *by_ana], "target for C1.1: 'lots'"),
        "start-text": (["adjust", "C1.1", "--start", "about 1800", *why, *by_ana],
                       "start for C1.1: 'about 1800'"),
        "weight-text": (["adjust", "C1.1", "--weight", "heavy", *why, *by_ana], "weight for C1.1: 'heavy'"),
        "weight-zero": (["adjust", "C1.1", "--target", "2500", "--weight", "0", *why, *by_ana],
                        "weight for C1.1: '0'; expected a number above 0"),
        "no-reason": (["adjust", "C1.1", "--target", "2500", *by_ana], "reason for C1.1: nothing"),
        "empty-reason": (["adjust", "C1.1", "--target", "2500", "--reason", "", *by_ana],
                         "reason for C1.1: nothing"),
        "blank-reason": (["adjust", "C1.1", "--target", "2500", "--reason", "   ", *by_ana],
                         "reason for C1.1: nothing"),
        "before-the-quarter": (["adjust", "C1.1", "--target", "2500", *why, *by_ana, "--date", "2026-09-30"],
                               "date for C1.1: 2026-09-30; expected a day from the quarter's start (2026-10-01)"),
        "date-format": (["adjust", "C1.1", "--target", "2500", *why, *by_ana, "--date", "02/11/2026"],
                        "date for C1.1: '02/11/2026'; expected a date written YYYY-MM-DD"),
        "due-format": (["adjust", "C1.1", "--due", "15 December", *why, *by_ana], "due for C1.1: '15 December'"),
    })


# --------------------------------------------------------------------------- reflect


REFLECTION_FIELDS = ("objective", "author", "date", "score", "worked", "did_not_work", "learned", "next")


def reflections(db: Path) -> list[dict]:
    """The stored reflections' contract columns, by objective and author."""
    rows = [{k: row[k] for k in REFLECTION_FIELDS} for row in rows_of(db, "reflections")]
    return sorted(rows, key=lambda row: (row["objective"], row["author"]))


def test_a_reflection_is_recorded_and_a_second_by_the_same_author_replaces_it(okr, db):
    first = okr("reflect", "C1", "--author", ANA, "--score", "0.7", "--worked", "Employer pilots",
                "--next", "keep", "--date", "2026-12-20", "--db", db)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"Recorded {ANA}'s reflection on C1 on 2026-12-20 (score 0.7, next: keep)."
    assert reflections(db) == [{"objective": "C1", "author": ANA, "date": "2026-12-20", "score": 0.7,
                                "worked": "Employer pilots", "did_not_work": None, "learned": None, "next": "keep"}]

    second = okr("reflect", "C1", "--author", ANA, "--score", "0.55", "--learned", "Winter churn is seasonal",
                 "--next", "carry", "--date", "2026-12-22", "--db", db)
    assert second.returncode == 0, second.stderr
    replaced = {"objective": "C1", "author": ANA, "date": "2026-12-22", "score": 0.55, "worked": None,
                "did_not_work": None, "learned": "Winter churn is seasonal", "next": "carry"}
    assert reflections(db) == [replaced]

    other = okr("reflect", "C1", "--author", TOBIAS, "--did-not-work", "Too few mechanics", "--date",
                "2026-12-21", "--db", db)
    assert other.returncode == 0, other.stderr
    assert reflections(db) == [replaced, {"objective": "C1", "author": TOBIAS, "date": "2026-12-21", "score": None,
                                          "worked": None, "did_not_work": "Too few mechanics", "learned": None,
                                          "next": None}]


def test_reflect_refusals_exit_2_name_the_field_and_write_nothing(okr, copy_db):
    check_refusals(okr, copy_db, {
        "unknown-objective": (["reflect", "C9", "--author", ANA], "objective: 'C9'; expected the id of an objective"),
        "unknown-author": (["reflect", "C1", "--author", "nobody@example.org"], "author for C1: 'nobody@example.org'"),
        "no-author": (["reflect", "C1", "--score", "0.5"], "author for C1: ''"),
        "score-above-1": (["reflect", "C1", "--author", ANA, "--score", "1.5"], "score for C1: '1.5'"),
        "score-below-0": (["reflect", "C1", "--author", ANA, "--score", "-0.1"], "score for C1: '-0.1'"),
        "score-text": (["reflect", "C1", "--author", ANA, "--score", "abc"], "score for C1: 'abc'"),
        "next-unknown": (["reflect", "C1", "--author", ANA, "--next", "maybe"],
                         "next for C1: 'maybe'; expected keep, drop or carry"),
    })


# --------------------------------------------------------------------------- export and import


def test_changes_and_reflections_survive_export_and_import_once(okr, db, tmp_path):
    assert okr("adjust", *RAISE_TARGET, "--db", db).returncode == 0
    assert okr("reflect", "C1", "--author", ANA, "--score", "0.7", "--worked", "Pilots, with a comma",
               "--next", "keep", "--date", "2026-12-20", "--db", db).returncode == 0
    assert okr("reflect", "C2", "--author", TOBIAS, "--learned", "Two hubs\nnot one", "--next", "carry",
               "--date", "2026-12-21", "--db", db).returncode == 0
    out = tmp_path / "backup"
    exported = okr("export", out, "--db", db)
    assert exported.returncode == 0, exported.stderr

    assert csv_rows(out / "changes.csv") == [
        {k: row[k] for k in ("key_result", "date", "author", "field", "old", "new", "reason")}
        for row in rows_of(db, "changes")]
    assert csv_rows(out / "reflections.csv") == [
        {k: None if row[k] is None else f"{row[k]:g}" if k == "score" else row[k] for k in REFLECTION_FIELDS}
        for row in rows_of(db, "reflections")]

    fresh = tmp_path / "fresh.db"
    for again in (False, True):
        imported = okr("import", out, "--db", fresh)
        assert imported.returncode == 0, imported.stderr
        assert rows_of(fresh, "changes") == rows_of(db, "changes")
        assert reflections(fresh) == reflections(db)
        if again:  # the same rows again: nothing added, nothing replaced
            assert "reflections: 0 added" in imported.stdout and "changes: 0 added" in imported.stdout
    original, restored = Store(db, create=False), Store(fresh, create=False)
    try:
        assert restored.read_workbook().same_data(original.read_workbook())
    finally:
        original.close()
        restored.close()


def test_an_import_replaces_the_stored_reflection_of_the_same_author_on_the_same_objective(okr, db, tmp_path):
    assert okr("reflect", "C1", "--author", ANA, "--score", "0.7", "--next", "keep", "--date", "2026-12-20",
               "--db", db).returncode == 0
    backup = tmp_path / "backup"
    assert okr("export", backup, "--db", db).returncode == 0
    (backup / "reflections.csv").write_text(  # two of Ana's on C1, the later one first
        "objective,author,date,score,worked,did_not_work,learned,next\n"
        f"C1,{ANA},2026-12-23,0.8,,,Pilots pay off,drop\n"
        f"C1,{ANA},2026-12-22,0.5,,,,carry\n"
        f"C2,{TOBIAS},2026-12-21,,,Too few mechanics,,\n", encoding="utf-8")
    imported = okr("import", backup, "--db", db)
    assert imported.returncode == 0, imported.stderr
    assert "reflections: 1 added, 1 replaced" in imported.stdout, imported.stdout
    assert reflections(db) == [
        {"objective": "C1", "author": ANA, "date": "2026-12-23", "score": 0.8, "worked": None, "did_not_work": None,
         "learned": "Pilots pay off", "next": "drop"},
        {"objective": "C2", "author": TOBIAS, "date": "2026-12-21", "score": None, "worked": None,
         "did_not_work": "Too few mechanics", "learned": None, "next": None},
    ]


# --------------------------------------------------------------------------- participants-only objectives


def test_a_participants_only_objectives_reflections_and_changes_reach_only_its_participants(okr, db, tmp_path):
    for args in (["adjust", "I-emeka-1.1", "--target", "8", "--reason", "Two repair types need a course first",
                  "--author", EMEKA, "--date", "2026-11-02"],
                 ["reflect", "I-emeka-1", "--author", EMEKA, "--learned", "Ask for help sooner",
                  "--date", "2026-12-20"],
                 ["adjust", *RAISE_TARGET],
                 ["reflect", "C1", "--author", ANA, "--next", "keep", "--date", "2026-12-20"]):
        result = okr(*args, "--db", db)
        assert result.returncode == 0, result.stderr

    folders = {viewer: tmp_path / viewer.split(".")[0] for viewer in (ANA, DMITRI)}
    runs = okr.together({
        **{f"export {viewer}": ["export", folder, "--db", db, "--viewer", viewer]
           for viewer, folder in folders.items()},
        **{f"status {viewer}": ["status", "--db", db, "--as-of", AS_OF, "--format", "json", "--viewer", viewer]
           for viewer in folders},
    })
    for name, result in runs.items():
        assert result.returncode == 0, f"{name}: {result.stderr}"

    def exported(viewer: str) -> tuple[set, set]:
        return ({row["key_result"] for row in csv_rows(folders[viewer] / "changes.csv")},
                {row["objective"] for row in csv_rows(folders[viewer] / "reflections.csv")})

    assert exported(ANA) == ({"C1.1"}, {"C1"})
    assert exported(DMITRI) == ({"C1.1", "I-emeka-1.1"}, {"C1", "I-emeka-1"})

    outsider = runs[f"status {ANA}"].stdout
    assert "I-emeka" not in outsider
    assert "Two repair types" not in outsider
    assert status_key_results(json.loads(outsider))["C1.1"]["changes"] != []
    participant = status_key_results(json.loads(runs[f"status {DMITRI}"].stdout))
    assert [c["reason"] for c in participant["I-emeka-1.1"]["changes"]] == ["Two repair types need a course first"]


# --------------------------------------------------------------------------- the team retro


def test_a_retro_note_is_stored(db):
    store = Store(db, create=False)
    try:
        row = add_retro_note(store, "fleet", "2026-q4", "Shout-out", "  Aisha kept the parts shelf full  ",
                             author=DMITRI, date="2026-12-18")
    finally:
        store.close()
    expected = {"team": "fleet", "quarter": "2026-Q4", "kind": "shout_out", "text": "Aisha kept the parts shelf full",
                "author": DMITRI, "date": "2026-12-18"}
    assert {**row, "date": row["date"].isoformat()} == expected
    assert [{k: note[k] for k in expected} for note in rows_of(db, "retro")] == [expected]


@pytest.mark.parametrize("team, kind, text, field", [
    ("rockets", "start", "Pair on every new repair type", "team"),
    ("fleet", "keep doing", "Pair on every new repair type", "kind"),
    ("fleet", "", "Pair on every new repair type", "kind"),
    ("fleet", "start", "", "text"),
    ("fleet", "start", "   ", "text"),
])
def test_retro_note_refusals_name_the_field_and_write_nothing(db, team, kind, text, field):
    before = store_state(db)
    store = Store(db, create=False)
    try:
        with pytest.raises(InputError) as refused:
            add_retro_note(store, team, "2026-Q4", kind, text, author=DMITRI, date="2026-12-18")
    finally:
        store.close()
    assert refused.value.field == field
    assert "Nothing was written" in str(refused.value)
    assert store_state(db) == before
