"""The store: where it is, SQLite settings, all-or-nothing imports, re-imports, filtered reads
(on SQLite and PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from okr_workshop.exceptions import StoreError
from okr_workshop.io import read_workbook
from okr_workshop.schema import TABLES
from okr_workshop.store.database import BUSY_TIMEOUT_MS, ENV_VAR, Store, database_url
from okr_workshop.workbook import Workbook, typed_frame

# --------------------------------------------------------------------------- where the store is


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.mark.parametrize("given, expected", [
    ("postgresql://okr@db.example.org/workshop", "postgresql+psycopg://okr@db.example.org/workshop"),
    ("postgresql://u:secret@host:5433/db?sslmode=require", "postgresql+psycopg://u:secret@host:5433/db?sslmode=require"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgres://u:secret@host/db", "postgresql+psycopg://u:secret@host/db"),
    ("sqlite:////srv/okr/workshop.db", "sqlite:////srv/okr/workshop.db"),
    ("sqlite://", "sqlite://"),
])
def test_urls_are_kept_and_postgresql_gets_the_psycopg_driver(no_env, given, expected):
    assert database_url(given) == expected


def test_a_relative_path_becomes_an_absolute_sqlite_url(no_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert database_url("stores/okr.db") == f"sqlite:///{tmp_path.resolve() / 'stores' / 'okr.db'}"
    assert database_url(Path("okr.db")) == f"sqlite:///{tmp_path.resolve() / 'okr.db'}"


def test_home_is_expanded(no_env, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert database_url("~/okr.db") == f"sqlite:///{tmp_path.resolve() / 'okr.db'}"


def test_default_is_workshop_db_in_the_current_folder(no_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path.resolve() / 'workshop.db'}"
    store = Store()
    store.close()
    assert (tmp_path / "workshop.db").is_file()


def test_the_environment_variable_chooses_the_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env.db"))
    assert database_url() == f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv(ENV_VAR, "postgresql://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"
    assert database_url(tmp_path / "given.db") == f"sqlite:///{tmp_path / 'given.db'}"  # --db wins
    monkeypatch.setenv(ENV_VAR, "")
    assert database_url() == f"sqlite:///{tmp_path.resolve() / 'workshop.db'}"  # empty means unset


def test_opening_a_missing_store_without_create_is_an_error_and_creates_nothing(tmp_path):
    with pytest.raises(StoreError, match="No store at"):
        Store(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_a_bad_url_is_a_store_error(tmp_path):
    with pytest.raises(StoreError):
        Store("nosuchdialect://x/y")


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    store = Store(tmp_path / "s.db")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
        assert BUSY_TIMEOUT_MS >= 1000
    finally:
        store.close()


def test_the_schema_refuses_a_row_whose_reference_is_unknown(db_url):
    store = Store(db_url)
    with pytest.raises(sa.exc.IntegrityError), store.transaction() as conn:
        conn.exec_driver_sql("INSERT INTO key_results (id, objective, title, weight) VALUES ('K', 'nope', 't', 1)")
    assert store.counts()["key_results"] == 0
    store.close()


# --------------------------------------------------------------------------- importing


@pytest.fixture
def store(db_url):
    store = Store(db_url)
    yield store
    store.close()


def contents(store: Store) -> dict[str, list]:
    """Every stored row, in a stable order: for comparing before and after."""
    with store.engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1, 2"))]
            for name in ("teams", "people", "objectives", "key_results", "initiatives", "checkins")
        }


def test_import_then_read_gives_the_same_data(store, full_workbook):
    result = store.write_workbook(full_workbook)
    assert result.added == {name: n for name, n in full_workbook.counts().items() if n}
    assert store.counts() == full_workbook.counts()
    assert store.read_workbook().same_data(full_workbook)


def test_importing_twice_changes_nothing(store, full_workbook):
    store.write_workbook(full_workbook)
    before = contents(store)
    result = store.write_workbook(full_workbook)
    assert result.added == {name: 0 for name, n in full_workbook.counts().items() if n}
    assert result.replaced == {name: n for name, n in full_workbook.counts().items() if n and TABLES[name].key}
    assert store.counts() == full_workbook.counts()
    assert contents(store) == before
    assert store.read_workbook().same_data(full_workbook)


def test_a_re_import_replaces_rows_by_id(store, full_workbook, make_workbook):
    store.write_workbook(full_workbook)
    changed = make_workbook(
        objectives="id,title,level\nC1,Delight every customer,company\n",
        key_results="id,objective,title,start,target\nC1.1,C1,Raise NPS from 40 to 55,40,55\nC1.9,C1,New one,0,1\n",
        checkins="key_result,date,value\nC1.1,2026-09-01,47\n",
        teams=None, people=None, initiatives=None,
    )
    result = store.write_workbook(read_workbook(changed))
    assert result.replaced == {"objectives": 1, "key_results": 1}
    assert result.added == {"objectives": 0, "key_results": 1, "checkins": 1}
    counts = full_workbook.counts()
    assert store.counts() == counts | {"key_results": counts["key_results"] + 1, "checkins": counts["checkins"] + 1}
    back = store.read_workbook()
    objectives = back["objectives"].set_index("id")
    assert objectives.loc["C1", "title"] == "Delight every customer"
    assert objectives.loc["C1", "commitment"] == "aspirational"  # the whole row is replaced, defaults included
    assert pd.isna(objectives.loc["C1", "description"])
    krs = back["key_results"].set_index("id")
    assert krs.loc["C1.1", ["title", "target"]].tolist() == ["Raise NPS from 40 to 55", 55.0]
    assert pd.isna(krs.loc["C1.1", "unit"])
    assert objectives.loc["T1", "title"] == "Answer customers faster"  # untouched rows stay


def test_an_import_that_fails_midway_stores_nothing(store, full_workbook):
    store.write_workbook(full_workbook)
    before_counts, before = store.counts(), contents(store)
    bad = Workbook(tables={name: frame.copy() for name, frame in full_workbook.tables.items()})
    bad.tables["teams"].loc[bad.tables["teams"]["id"] == "cx", "name"] = "Renamed before the failure"
    bad.tables["key_results"] = pd.concat([bad["key_results"], typed_frame("key_results", [
        {"id": "NEW.1", "objective": "C1", "title": "Written before the failure"}])], ignore_index=True)
    bad.tables["checkins"] = typed_frame("checkins", [
        {"key_result": "C1.1", "date": "2026-09-01", "value": 1.0},
        {"key_result": "NO-SUCH-KR", "date": "2026-09-02", "value": 2.0},  # bypasses validation: the store refuses it
    ])
    with pytest.raises(StoreError, match="Nothing was imported"):
        store.write_workbook(bad)
    assert store.counts() == before_counts
    assert contents(store) == before


def test_an_import_into_an_empty_store_that_fails_leaves_it_empty(store, valid_dir):
    bad = read_workbook(valid_dir)
    bad.tables["initiatives"] = typed_frame("initiatives", [{"id": "X", "key_result": "missing", "title": "t"}])
    with pytest.raises(StoreError):
        store.write_workbook(bad)
    assert set(store.counts().values()) == {0}


def test_long_participant_lists_and_every_text_are_kept(store, make_workbook):
    people = [f"person.with.a.long.name.{n}@example.org" for n in range(12)]  # 400+ characters together
    book = read_workbook(make_workbook(
        people="id,name,team\n" + "".join(f"{p},P {n},cx\n" for n, p in enumerate(people)) + "ana@example.org,Ana,cx\n",
        objectives=("id,title,level,quarter,team,owner,parent,visibility,commitment,description,participants\n"
                    f"C1,Ünïcode & “quotes” – 100% sure,company,2026-Q3,,,,participants,,{'x' * 5000},"
                    f"{';'.join(people)}\n"),
        key_results="id,objective,title,start,target\nC1.1,C1,Raise NPS from 40 to 50,40,50\n",
        initiatives=None, checkins=None,
    ))
    store.write_workbook(book)
    back = store.read_workbook()
    assert back.same_data(book)
    assert back["objectives"]["participants"].iloc[0] == ";".join(people)


def test_a_read_sees_one_moment_even_when_a_save_lands_midway(store, valid_dir, db_url, monkeypatch):
    import okr_workshop.store.database as store_module

    store.write_workbook(read_workbook(valid_dir))
    other, read = Store(db_url), store_module.typed_frame
    landed = []

    def save_during_the_read(name, frame):
        if not landed:  # after the first table, someone saves an objective with a key result
            with other.transaction() as conn:
                conn.exec_driver_sql("INSERT INTO objectives (id, title, level) VALUES ('C9', 'Late', 'company')")
                conn.exec_driver_sql("INSERT INTO key_results (id, objective, title) VALUES ('C9.1', 'C9', 'x')")
            landed.append(name)
        return read(name, frame)

    monkeypatch.setattr(store_module, "typed_frame", save_during_the_read)
    book = store.read_workbook()
    assert landed == ["teams"]
    assert "C9" not in set(book["objectives"]["id"]) and "C9.1" not in set(book["key_results"]["id"])
    monkeypatch.undo()
    assert "C9.1" in set(store.read_workbook()["key_results"]["id"])
    other.close()


def test_known_ids(store, valid_dir):
    store.write_workbook(read_workbook(valid_dir))
    known = store.known_ids()
    assert known["objectives"] == {"C1", "T1", "I1"}
    assert known["key_results"] == {"C1.1", "T1.1", "I1.1"}
    assert "checkins" not in known


def test_rows_written_on_the_callers_connection_go_with_its_transaction(store, valid_dir):
    book = read_workbook(valid_dir)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.write_workbook(book, conn)
        assert store.read_workbook(conn=conn).counts()["objectives"] == 3  # seen inside the transaction
        raise RuntimeError("the caller fails after writing")
    assert set(store.counts().values()) == {0}
    with store.transaction() as conn:
        store.write_workbook(book, conn)
    assert store.counts()["objectives"] == 3


# --------------------------------------------------------------------------- reading for a quarter and a viewer

VISIBILITY = {
    "teams": "id,name\ncx,Customer Experience\nops,Operations\n",
    "people": (
        "id,name,team\n"
        "ana,Ana,cx\nben,Ben,cx\ncara,Cara,ops\ndan,Dan,ops\n"
    ),
    "objectives": (
        "id,title,level,quarter,team,owner,parent,visibility,participants\n"
        "C1,Delight our customers,company,2026-Q3,,,,everyone,\n"
        "S1,Secret reorganisation,team,2026-Q3,ops,cara,C1,participants,ben\n"
        "T1,Answer faster,team,2026-Q3,cx,ana,S1,everyone,\n"
        "T2,Calm warehouse,team,2026-Q3,ops,dan,C1,team,\n"
        "C2,Next quarter,company,2026-Q4,,,,everyone,\n"
    ),
    "key_results": (
        "id,objective,title,start,target\n"
        "C1.1,C1,NPS,40,50\nS1.1,S1,Secret KR,0,1\nT1.1,T1,Time,24,12\nT2.1,T2,Late,5,1\nC2.1,C2,Later,0,1\n"
    ),
    "initiatives": "id,key_result,title\nIS,S1.1,Secret work\nIT,T1.1,Rota\n",
    "checkins": "key_result,date,value\nS1.1,2026-07-10,0\nT1.1,2026-07-10,20\nC2.1,2026-10-10,0\n",
}


@pytest.fixture
def visibility_store(db_url, make_workbook):
    store = Store(db_url)
    store.write_workbook(read_workbook(make_workbook(**VISIBILITY)))
    yield store
    store.close()


@pytest.mark.parametrize("viewer, sees_secret", [("cara", True), ("ben", True), ("dan", False), ("ana", False),
                                                 (None, True)])
def test_a_participants_only_objective_is_seen_by_owner_and_participants_only(visibility_store, viewer, sees_secret):
    workbook = visibility_store.read_workbook(viewer=viewer)
    objectives = workbook["objectives"]
    assert ("S1" in set(objectives["id"])) is sees_secret
    assert ("S1.1" in set(workbook["key_results"]["id"])) is sees_secret
    assert ("S1.1" in set(workbook["checkins"]["key_result"])) is sees_secret
    assert ("IS" in set(workbook["initiatives"]["id"])) is sees_secret
    parents = objectives.set_index("id")["parent"]
    assert "T1" in parents.index  # visible to everyone
    if sees_secret:
        assert parents["T1"] == "S1"
    else:
        assert "S1" not in set(parents.dropna())  # no remaining objective names it
        assert parents["T1"] is None
    if not sees_secret:
        text = repr(workbook.tables)
        assert "Secret" not in text


def test_team_visibility_follows_the_viewers_team(visibility_store):
    assert "T2" in set(visibility_store.read_workbook(viewer="cara")["objectives"]["id"])  # same team
    assert "T2" not in set(visibility_store.read_workbook(viewer="ben")["objectives"]["id"])


def test_quarter_filter_keeps_that_quarter_and_what_hangs_off_it(visibility_store):
    q4 = visibility_store.read_workbook(quarter="2026-Q4")
    assert q4["objectives"]["id"].tolist() == ["C2"]
    assert q4["key_results"]["id"].tolist() == ["C2.1"]
    assert q4["checkins"]["key_result"].tolist() == ["C2.1"]
    assert q4["initiatives"].empty
    assert len(q4["people"]) == 4  # people and teams are not filtered
    q3_for_dan = visibility_store.read_workbook(quarter="2026-Q3", viewer="dan")
    assert sorted(q3_for_dan["objectives"]["id"]) == ["C1", "T1", "T2"]


def test_the_filtered_workbook_is_still_valid(visibility_store):
    from okr_workshop.validate import validate_workbook

    for viewer in ("ana", "ben", "cara", "dan"):
        assert validate_workbook(visibility_store.read_workbook(viewer=viewer)) == []
