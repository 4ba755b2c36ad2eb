"""The quarter's commands: checkin, status and carry-over, in-process and as the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from okr_workshop.cli import EXIT_BAD_INPUT, EXIT_OK, main
from okr_workshop.store.database import ENV_VAR, Store

ANA = "ana.ortiz@brightwell.example"


@pytest.fixture
def db(example_db, tmp_path) -> Path:
    target = tmp_path / "workshop.db"
    shutil.copyfile(example_db, target)
    return target


@pytest.fixture
def cli(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: object):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def test_checkin_records_and_says_what(cli, db):
    result = cli("checkin", "C1.1", "2,150", "--confidence", "0.75", "--note", "Winter promo", "--author", ANA,
                 "--date", "2026-11-27", "--db", db)
    assert result.exit_code == EXIT_OK, result.output
    assert result.output.strip() == f"Recorded C1.1 at 2150 on 2026-11-27 (confidence 0.75, by {ANA})."
    last = Store(db, create=False).read_workbook()["checkins"].iloc[-1]
    assert (last["key_result"], last["value"], last["confidence"], last["note"]) == ("C1.1", 2150, 0.75,
                                                                                     "Winter promo")


def test_checkin_takes_a_negative_value(cli, db):
    result = cli("checkin", "C1.2", "-0.5", "--date", "2026-11-27", "--db", db)
    assert result.exit_code == EXIT_OK, result.output
    assert Store(db, create=False).read_workbook()["checkins"]["value"].iloc[-1] == -0.5


@pytest.mark.parametrize("args, words", [
    (["C1.1", "lots"], "value for C1.1: 'lots'; expected a number"),
    (["C1.1", "12", "--confidence", "7"], "confidence for C1.1: '7'; expected a number from 0 to 1"),
    (["C9.9", "12"], "key_result: 'C9.9'; expected the id of a key result in the store"),
    (["C1.1", "12", "--author", "nobody"], "author for C1.1: 'nobody'"),
    (["C1.1", "12", "--date", "27/11/2026"], "date for C1.1: '27/11/2026'; expected a date written YYYY-MM-DD"),
])
def test_checkin_refusals_exit_2_and_write_nothing(cli, db, args, words):
    before = db.read_bytes()
    result = cli("checkin", *args, "--db", db)
    assert result.exit_code == EXIT_BAD_INPUT
    assert words in result.output
    assert "Nothing was written" in result.output
    assert db.read_bytes() == before


def test_status_text(cli, db):
    result = cli("status", "--db", db, "--as-of", "2026-11-20")
    assert result.exit_code == EXIT_OK, result.output
    assert result.output.startswith("OKR status, 2026-Q4, as of 2026-11-20: day 51 of 92")
    assert "82 key results: 24 on track, 35 at risk, 21 off track, 2 done" in result.output


def test_status_json_has_the_contracts_names(cli, db):
    result = cli("status", "--db", db, "--as-of", "2026-11-20", "--format", "json")
    assert result.exit_code == EXIT_OK
    doc = json.loads(result.output)
    assert {"quarter", "as_of", "adoption", "alignment", "objectives"} <= set(doc)
    assert (doc["quarter"], doc["as_of"]) == ("2026-Q4", "2026-11-20")
    objective = doc["objectives"][0]
    assert {"id", "score", "grade", "key_results"} <= set(objective)
    assert {"id", "progress", "status", "confidence"} <= set(objective["key_results"][0])


def test_a_check_in_moves_the_status(cli, db):
    def support_22() -> dict:
        doc = json.loads(cli("status", "--db", db, "--as-of", "2026-11-27", "--format", "json").output)
        return next(k for o in doc["objectives"] for k in o["key_results"] if k["id"] == "SUPPORT-2.2")

    assert (support_22()["progress"], support_22()["status"]) == (0.0, "off_track")
    cli("checkin", "SUPPORT-2.2", "23", "--confidence", "0.8", "--date", "2026-11-27", "--db", db)
    assert support_22()["progress"] == pytest.approx(8 / 9, abs=1e-4)
    assert support_22()["status"] == "on_track"


def test_status_for_a_team_a_viewer_and_a_quarter(cli, db):
    team = json.loads(cli("status", "--db", db, "--as-of", "2026-11-20", "--team", "fleet", "--format",
                          "json").output)
    assert {o["id"] for o in team["objectives"]} == {"FLEET-1", "FLEET-2", "I-aisha-1", "I-lars-1", "I-rui-1",
                                                     "I-emeka-1"}
    hidden = cli("status", "--db", db, "--as-of", "2026-11-20", "--viewer", ANA, "--format", "json").output
    assert "I-emeka-1" not in hidden
    empty = json.loads(cli("status", "--db", db, "--as-of", "2026-11-20", "--quarter", "2027-q1", "--format",
                           "json").output)
    assert (empty["quarter"], empty["objectives"]) == ("2027-Q1", [])


@pytest.mark.parametrize("args, words", [
    (["--as-of", "20 November"], "is not a date"),
    (["--quarter", "Q4"], "is not a quarter"),
    (["--team", "nope"], "team: 'nope'; expected the id of a team"),
    (["--viewer", "nobody@example.org"], "viewer: 'nobody@example.org'"),
])
def test_status_refuses_bad_options(cli, db, args, words):
    result = cli("status", "--db", db, *args)
    assert result.exit_code == EXIT_BAD_INPUT
    assert words in result.output


def test_status_writes_charts(cli, db, tmp_path):
    result = cli("status", "--db", db, "--as-of", "2026-11-20", "--team", "marketing", "--charts",
                 tmp_path / "charts")  # ten key results: few enough for a line each
    assert result.exit_code == EXIT_OK, result.output
    names = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert names == ["confidence.svg", "progress.svg", "score-by-team.svg"]
    everyone = cli("status", "--db", db, "--as-of", "2026-11-20", "--charts", tmp_path / "all")
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["confidence.svg", "score-by-team.svg"]
    assert "progress chart left out" in everyone.output
    assert all((tmp_path / "charts" / n).read_text(encoding="utf-8").lstrip().startswith("<svg") for n in names)


def test_carry_over_then_again(cli, db):
    dry = cli("carry-over", "--from", "2026-Q4", "--to", "2027-Q1", "--dry-run", "--db", db)
    assert dry.output.startswith("Would carry 79 unfinished key results from 2026-Q4 to 2027-Q1, with 31 new "
                                 "objectives; 3 done and stay behind.")
    assert Store(db, create=False).counts()["key_results"] == 82
    first = cli("carry-over", "--from", "2026-Q4", "--to", "2027-Q1", "--db", db)
    assert first.exit_code == EXIT_OK, first.output
    assert first.output.startswith("Carried 79 unfinished key results")
    counts = Store(db, create=False).counts()
    assert counts["key_results"] == 82 + 79
    second = cli("carry-over", "--from", "2026-Q4", "--to", "2027-Q1", "--db", db)
    assert second.output.startswith("Carried 0 unfinished key results from 2026-Q4 to 2027-Q1, with 0 new objectives;"
                                    " 3 done and stay behind; 79 carried earlier.")
    assert Store(db, create=False).counts() == counts


@pytest.mark.parametrize("args, words", [
    (["--from", "2026-Q4", "--to", "2026-Q3"], "expected a quarter after 2026-Q4"),
    (["--from", "2025-Q1", "--to", "2025-Q2"], "a quarter that has objectives in the store"),
    (["--from", "autumn", "--to", "2027-Q1"], "is not a quarter"),
])
def test_carry_over_refuses_bad_quarters(cli, db, args, words):
    before = db.read_bytes()
    result = cli("carry-over", *args, "--db", db)
    assert result.exit_code == EXIT_BAD_INPUT
    assert words in result.output
    assert db.read_bytes() == before


def test_the_installed_command(db, tmp_path):
    beside = Path(sys.executable).parent / "okr-workshop"
    exe = str(beside) if beside.is_file() else shutil.which("okr-workshop")
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR} | {"COLUMNS": "100"}

    def start(*args):
        return subprocess.Popen([exe, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=tmp_path, env=env)

    refused, shown, missing = [(*p.communicate(timeout=60), p.returncode) for p in [  # started together
        start("checkin", "C1.1", "lots", "--db", db),
        start("status", "--db", db, "--as-of", "2026-11-20"),
        start("status", "--db", tmp_path / "none.db"),
    ]]
    assert refused[2] == EXIT_BAD_INPUT and "value for C1.1: 'lots'" in refused[1]
    assert shown[2] == EXIT_OK and "SUPPORT-2.2" in shown[0]
    assert max(len(line) for line in shown[0].splitlines()[2:90]) <= 100  # fits the terminal
    assert missing[2] == EXIT_BAD_INPUT and "No store at" in missing[1]
