"""The okr-workshop command: validate, import, export; exit statuses; the store untouched by bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from okr_workshop.cli import EXIT_BAD_INPUT, main
from okr_workshop.io import read_workbook
from okr_workshop.store.database import ENV_VAR, Store

VALID_COUNTS = {"teams": 2, "people": 2, "objectives": 3, "key_results": 3, "initiatives": 1, "checkins": 2,
                "reflections": 0, "changes": 0, "retro": 0}


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run the command in-process; the store defaults to a file in tmp_path, never the working folder."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: object):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def snapshot(db: Path) -> tuple[bytes, dict, dict]:
    """The store file's bytes, its row counts and its rows (bytes first, before anything opens it)."""
    data = db.read_bytes()
    store = Store(db, create=False)
    try:
        workbook = store.read_workbook()
        rows = {name: frame.astype(object).where(frame.notna(), None).to_dict("records")  # NaN != NaN
                for name, frame in workbook.tables.items()}
        return data, store.counts(), rows
    finally:
        store.close()


# --------------------------------------------------------------------------- bad input


def test_validate_exits_2_and_names_each_problem(cli, bad_input, tmp_path):
    path = bad_input.build(tmp_path / "in")
    result = cli("validate", path)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "nothing was written" in result.output
    for expected in bad_input.problems:
        assert expected.file in result.output
        if expected.row is not None:
            assert f"line {expected.row}" in result.output or f"row {expected.row}" in result.output
        if expected.column is not None:
            assert f"column '{expected.column}'" in result.output
    assert not (tmp_path / "workshop.db").exists()  # validate writes no store


def test_import_exits_2_and_leaves_a_store_with_data_unchanged(cli, bad_input, seeded_store, tmp_path):
    path = bad_input.build(tmp_path / "in")
    before = snapshot(seeded_store)
    assert before[1] == VALID_COUNTS
    result = cli("import", path, "--db", seeded_store)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert bad_input.problems[0].file in result.output
    after = snapshot(seeded_store)
    assert after[0] == before[0], "the store file changed"
    assert after[1] == before[1]
    assert after[2] == before[2]


def test_import_of_a_bad_workbook_creates_no_store(cli, bad_inputs, tmp_path):
    case = next(c for c in bad_inputs if c.id == "bad-enumeration-level")
    result = cli("import", case.build(tmp_path / "in"), "--db", tmp_path / "new.db")
    assert result.exit_code == EXIT_BAD_INPUT
    assert not (tmp_path / "new.db").exists()
    assert not (tmp_path / "workshop.db").exists()


def test_validate_json_for_a_bad_workbook(cli, make_workbook):
    folder = make_workbook(key_results=(
        "id,objective,title,start\nC1.1,C1,a,1\nT1.1,T1,b,lots\nI1.1,I9,c,2\n"))
    result = cli("validate", folder, "--format", "json")
    assert result.exit_code == EXIT_BAD_INPUT
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert [(Path(p["path"]).name, p["sheet"], p["row"], p["column"]) for p in doc["problems"]] == [
        ("key_results.csv", None, 3, "start"), ("key_results.csv", None, 4, "objective")]
    first = doc["problems"][0]
    assert set(first) == {"path", "sheet", "row", "column", "found", "expected", "message"}
    assert first["found"] == "'lots'"
    assert "a number" in first["expected"]
    assert first["message"].endswith(f"row 3, column 'start': 'lots'; expected {first['expected']}")


def test_validate_json_names_the_sheet(cli, bad_inputs, tmp_path):
    case = next(c for c in bad_inputs if c.id == "xlsx-non-numeric-number")
    result = cli("validate", case.build(tmp_path), "--format", "json")
    assert result.exit_code == EXIT_BAD_INPUT
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("key_results", 3, "start")


# --------------------------------------------------------------------------- good input


def test_validate_a_valid_workbook(cli, valid_dir):
    result = cli("validate", valid_dir)
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output
    assert "3 objectives (1 company, 1 team, 1 individual) for 2026-Q3" in result.output


def test_validate_json_for_a_valid_workbook(cli, valid_dir, tmp_path):
    result = cli("validate", valid_dir, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "counts": VALID_COUNTS, "problems": []}
    assert not (tmp_path / "workshop.db").exists()  # validate writes nothing


def test_import_then_again_then_export_in_every_shape(cli, full_dir, full_workbook, tmp_path):
    db = tmp_path / "okr.db"
    first = cli("import", full_dir, "--db", db)
    assert first.exit_code == 0, first.output
    assert "objectives: 4 added" in first.output
    counts = Store(db).counts()
    second = cli("import", full_dir, "--db", db)
    assert second.exit_code == 0
    assert "objectives: 0 added, 4 replaced" in second.output
    assert "checkins: 0 added" in second.output
    assert Store(db).counts() == counts == full_workbook.counts()
    for out in ("export-folder", "export.xlsx", "export.yaml"):
        result = cli("export", tmp_path / out, "--db", db)
        assert result.exit_code == 0, result.output
        assert read_workbook(tmp_path / out).same_data(full_workbook)


def test_export_for_a_quarter_and_a_viewer(cli, full_dir, tmp_path):
    db = tmp_path / "okr.db"
    assert cli("import", full_dir, "--db", db).exit_code == 0
    result = cli("export", tmp_path / "q4", "--db", db, "--quarter", "2026-q4")
    assert result.exit_code == 0, result.output
    # T2 still names its parent C1, which is of another quarter and so not in the export
    q4 = read_workbook(tmp_path / "q4", known={"objectives": {"C1"}})
    assert q4["objectives"]["id"].tolist() == ["T2"]
    assert q4["key_results"]["id"].tolist() == ["T2.1"]
    result = cli("export", tmp_path / "cara.yaml", "--db", db, "--viewer", "cara@example.org")
    assert result.exit_code == 0, result.output
    assert "I1" not in set(read_workbook(tmp_path / "cara.yaml")["objectives"]["id"])


@pytest.mark.parametrize("args, message", [
    (["--quarter", "Q3"], "is not a quarter"),
    (["--viewer", "nobody@example.org"], "is no person in the store"),
])
def test_export_refuses_bad_options(cli, valid_dir, tmp_path, args, message):
    db = tmp_path / "okr.db"
    assert cli("import", valid_dir, "--db", db).exit_code == 0
    result = cli("export", tmp_path / "out", "--db", db, *args)
    assert result.exit_code == EXIT_BAD_INPUT
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_import_uses_the_environment_variable_then_the_default(cli, valid_dir, tmp_path, monkeypatch):
    assert cli("import", valid_dir).exit_code == 0
    assert Store(tmp_path / "workshop.db", create=False).counts() == VALID_COUNTS
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert cli("import", valid_dir).exit_code == 0
    assert Store(tmp_path / "env.db", create=False).counts() == VALID_COUNTS


def test_help_and_version(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("validate", "import", "export"):
        assert command in result.output
    assert cli("--version").output.startswith("okr-workshop, version ")


# --------------------------------------------------------------------------- the installed command


def okr_workshop_executable() -> str:
    beside = Path(sys.executable).parent / "okr-workshop"
    found = str(beside) if beside.is_file() else shutil.which("okr-workshop")
    assert found, "the okr-workshop console script is not installed"
    return found


def test_the_installed_command_exit_statuses(tmp_path, valid_dir, make_workbook):
    exe = okr_workshop_executable()
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}

    def start(*args):
        return subprocess.Popen([exe, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=tmp_path, env=env)

    def finish(process) -> subprocess.CompletedProcess:
        stdout, stderr = process.communicate(timeout=60)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    bad = make_workbook(objectives=(
        "id,title,level\nC1,Delight our customers,corporate\nT1,Answer faster,team\n"),
        key_results=None, initiatives=None, checkins=None)
    ok, invalid, missing_store = map(finish, [  # started together: each one spends a second importing pandas
        start("validate", valid_dir),
        start("import", bad, "--db", tmp_path / "s.db"),
        start("export", tmp_path / "out", "--db", tmp_path / "none.db"),
    ])
    assert ok.returncode == 0, ok.stderr
    assert "is valid" in ok.stdout
    assert invalid.returncode == 2
    assert "objectives.csv, row 2, column 'level': 'corporate'; expected one of: company, team, individual" in (
        invalid.stderr)
    assert "objectives.csv, row 3, column 'team': an empty cell" in invalid.stderr
    assert not (tmp_path / "s.db").exists()
    assert missing_store.returncode == 2
    assert "No store at" in missing_store.stderr
