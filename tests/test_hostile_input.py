"""Hostile input (issue 13): every message word for word, and nothing a workbook or a store holds acts on a terminal.

The cases of module ``hostile_input`` in ``conftest.BAD_INPUTS`` (dates pandas
cannot hold, control characters, the store's column limits, a column named
twice) are checked here message by message; ``test_cli.py`` runs each of them
through ``validate`` and ``import`` (exit 2, store unchanged). The rest builds
what a reader would refuse straight into SQLite, as a store written before
these rules (or by hand) may hold it, and runs the commands that print or
export it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import VALID, edited, read_problems, store_rows, write_csv_folder

from okr_workshop.cli import EXIT_BAD_INPUT, EXIT_OK, main
from okr_workshop.exceptions import InputError, Problem, WorkbookError
from okr_workshop.io import read_workbook
from okr_workshop.model import CheckIn, Objective
from okr_workshop.schema import TABLES
from okr_workshop.smart.check import check_workbook
from okr_workshop.smart.render import render_text as check_text
from okr_workshop.store.database import ENV_VAR, Store
from okr_workshop.store.drafts import KeyResultDraft, ObjectiveDraft, save_objective
from okr_workshop.text import describe, printable, unsafe_char
from okr_workshop.tracking.checkins import record_checkin
from okr_workshop.tracking.status import build_status
from okr_workshop.tracking.status_render import render_text as status_text

HOSTILE_TITLE = "Pwn\x1b[2J\x1b]0;pwned\x07 title"
"""Erases the screen and retitles the window, on a terminal that receives it raw."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What no command may print raw (tab and line feed are a terminal's own)."""

# --------------------------------------------------------------------------- every message word for word

EXACT: dict[str, list[str]] = {
    "date-out-of-range-every-date-column": [
        "workbook/people.csv, row 2, column 'start_date': '1600-01-01'; "
        "expected a date from 1900-01-01 to 2200-12-31",
        "workbook/key_results.csv, row 2, column 'due': '2300-01-01'; expected a date from 1900-01-01 to 2200-12-31",
        "workbook/initiatives.csv, row 2, column 'due': ' 2201-01-01 '; "
        "expected a date from 1900-01-01 to 2200-12-31",
        "workbook/checkins.csv, row 3, column 'date': '9999-12-31'; expected a date from 1900-01-01 to 2200-12-31",
    ],
    "quarter-out-of-range": [
        "workbook/objectives.csv, row 2, column 'quarter': '2300-Q1'; "
        "expected a quarter of the years 1900 to 2200, such as 2026-Q3",
        "workbook/objectives.csv, row 3, column 'quarter': '1899-Q4'; "
        "expected a quarter of the years 1900 to 2200, such as 2026-Q3",
    ],
    "control-characters-in-text": [
        "workbook/people.csv, row 2, column 'name': 'Ana \\u202eAlves', which holds the invisible bidi control "
        "U+202E (it reorders how text is shown); expected text on one line, without control characters or "
        "invisible bidi controls (a description or a note may hold line breaks)",
        "workbook/objectives.csv, row 2, column 'description': 'Customers stay\\x00 when they are happy', which "
        "holds a NUL byte (\\x00); expected text without control characters or invisible bidi controls (tabs and "
        "line breaks are fine)",
        "workbook/objectives.csv, row 3, column 'title': 'Answer\\x1b[2J\\x1b]0;pwned\\x07 faster', which holds "
        "the control character ESC (\\x1b); expected text on one line, without control characters or invisible "
        "bidi controls (a description or a note may hold line breaks)",
        "workbook/key_results.csv, row 2, column 'unit': 'NPS\\x7f', which holds the control character DEL "
        "(\\x7f); expected text on one line, without control characters or invisible bidi controls (a description "
        "or a note may hold line breaks)",
        "workbook/checkins.csv, row 2, column 'note': 'Good\\x9b start', which holds the control character CSI "
        "(\\x9b); expected text without control characters or invisible bidi controls (tabs and line breaks are "
        "fine)",
    ],
    "control-characters-in-ids": [
        "workbook/people.csv, row 3, column 'team': 'cx\\x1b', which holds the control character ESC (\\x1b); "
        "expected an id on one line, without tabs, control characters or invisible bidi controls",
        "workbook/objectives.csv, row 4, column 'participants': 'ana@example.org\\x00', which holds a NUL byte "
        "(\\x00); expected an id on one line, without tabs, control characters or invisible bidi controls",
        "workbook/key_results.csv, row 2, column 'owner': 'ana\\t@example.org', which holds a tab; expected an id "
        "on one line, without tabs, control characters or invisible bidi controls",
    ],
    "line-break-in-a-title": [
        "workbook/objectives.csv, row 3, column 'title': 'Answer customers\\nfaster', which holds a line break; "
        "expected text on one line, without control characters or invisible bidi controls (a description or a "
        "note may hold line breaks)",
    ],
    "id-longer-than-the-store-keeps": [
        "workbook/people.csv, row 3, column 'team': a cell of 201 characters starting 'tttttttttttttttttttt'; "
        "expected an id of at most 200 characters (the longest the store keeps)",
        "workbook/objectives.csv, row 4, column 'participants': an id of 250 characters starting "
        "'pppppppppppppppppppp'; expected ids of at most 200 characters each (the longest the store keeps)",
        "workbook/key_results.csv, row 4, column 'id': a cell of 300 characters starting 'I1111111111111111111'; "
        "expected an id of at most 200 characters (the longest the store keeps)",
    ],
    "csv-column-named-twice": [
        "workbook/key_results.csv, row 1, column 'target': the column 'target' twice in the header: column 5 (E) "
        "and column 6 (F); expected each column named once: delete or rename one of the two",
    ],
    "csv-column-named-twice-other-case": [
        "workbook/objectives.csv, row 1, column 'title': the column 'title' twice in the header: column 2 (B) "
        "and column 12 (L); expected each column named once: delete or rename one of the two",
    ],
    "csv-column-name-with-escape": [
        "workbook/checkins.csv, row 1, column 'mood\\x1b[2J': the column name 'mood\\x1b[2J' in column 7 (G), "
        "which holds the control character ESC (\\x1b); expected column names on one line, without control "
        "characters",
    ],
    "xlsx-column-named-twice": [
        "workbook.xlsx [sheet key_results], row 1, column 'target': the column 'target' twice in the header: "
        "column 5 (E) and column 6 (F); expected each column named once: delete or rename one of the two",
    ],
    "xlsx-control-characters": [
        "workbook.xlsx [sheet objectives], row 2, column 'title': 'Delight\\x9b[2J customers', which holds the "
        "control character CSI (\\x9b); expected text on one line, without control characters or invisible bidi "
        "controls (a description or a note may hold line breaks)",
        "workbook.xlsx [sheet objectives], row 2, column 'description': 'Why\\u202e', which holds the invisible "
        "bidi control U+202E (it reorders how text is shown); expected text without control characters or "
        "invisible bidi controls (tabs and line breaks are fine)",
        "workbook.xlsx [sheet objectives], row 3, column 'title': 'Answer\\nfaster', which holds a line break; "
        "expected text on one line, without control characters or invisible bidi controls (a description or a "
        "note may hold line breaks)",
        "workbook.xlsx [sheet objectives], row 4, column 'parent': 'T1\\x7f', which holds the control character "
        "DEL (\\x7f); expected an id on one line, without tabs, control characters or invisible bidi controls",
    ],
    "xlsx-date-out-of-range": [
        "workbook.xlsx [sheet checkins], row 2, column 'date': '1600-01-01'; "
        "expected a date from 1900-01-01 to 2200-12-31",
        "workbook.xlsx [sheet key_results], row 2, column 'due': '2300-01-01'; "
        "expected a date from 1900-01-01 to 2200-12-31",
        "workbook.xlsx [sheet key_results], row 4, column 'due': '9999-12-31'; "
        "expected a date from 1900-01-01 to 2200-12-31",
    ],
    "xlsx-id-longer-than-the-store-keeps": [
        "workbook.xlsx [sheet initiatives], row 2, column 'id': a cell of 300 characters starting "
        "'NNNNNNNNNNNNNNNNNNNN'; expected an id of at most 200 characters (the longest the store keeps)",
    ],
    "yaml-key-given-twice": [
        "workbook.yaml, line 5, column 'title': the key 'title' a second time in one mapping (first on line 3); "
        "expected each key once in a mapping: delete or rename one of the two",
        "workbook.yaml, line 7, column 'Target': the key 'Target' a second time in one mapping (first 'target' on "
        "line 7); expected each key once in a mapping: delete or rename one of the two",
    ],
    "yaml-control-character-as-written": [
        "workbook.yaml, line 3: the control character ESC (\\x1b) as character 20 of the line; expected a file "
        "without control characters (tabs and line breaks are fine)",
    ],
    "yaml-control-characters-as-escapes": [
        "workbook.yaml, line 2, column 'id': 'C1\\u202e', which holds the invisible bidi control U+202E (it "
        "reorders how text is shown); expected an id on one line, without tabs, control characters or invisible "
        "bidi controls",
        "workbook.yaml, line 2, column 'title': 'Delight \\x1b]0;pwned\\x07 customers', which holds the control "
        "character ESC (\\x1b); expected text on one line, without control characters or invisible bidi controls "
        "(a description or a note may hold line breaks)",
        "workbook.yaml, line 2, column 'description': 'Two lines\\nand a tab\\tare kept, \\x00 is not', which "
        "holds a NUL byte (\\x00); expected text without control characters or invisible bidi controls (tabs and "
        "line breaks are fine)",
    ],
    "yaml-date-out-of-range": [
        "workbook.yaml, line 7, column 'due': '2300-01-01'; expected a date from 1900-01-01 to 2200-12-31",
        "workbook.yaml, line 10, column 'date': '1600-01-01'; expected a date from 1900-01-01 to 2200-12-31",
    ],
}


def test_bad_input_is_reported_with_file_row_column(bad_input, check_bad_input):
    check_bad_input(bad_input)


def test_every_message_word_for_word(bad_input, tmp_path):
    problems = read_problems(bad_input.build(tmp_path))
    assert [str(p).replace(f"{tmp_path}/", "") for p in problems] == EXACT[bad_input.id]


def test_every_hostile_case_has_its_messages(bad_inputs):
    assert {c.id for c in bad_inputs if c.module == "hostile_input"} == set(EXACT)


def test_validate_prints_no_control_character_of_any_case(bad_input, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(bad_input.build(tmp_path / "in"))], catch_exceptions=False)
    assert result.exit_code == EXIT_BAD_INPUT
    assert not UNSAFE.search(result.output), result.output


def test_an_out_of_range_date_is_exit_2_with_a_message_not_a_traceback(tmp_path):
    folder = write_csv_folder(tmp_path / "workbook", VALID | {
        "key_results": edited("key_results", "2026-09-30", "9999-12-31")})
    for command in (["validate", folder], ["import", folder, "--db", tmp_path / "store.db"]):
        done = subprocess.run([sys.executable, "-m", "okr_workshop", *map(str, command)], capture_output=True,
                              text=True, timeout=120, env={**os.environ, ENV_VAR: str(tmp_path / "x.db")})
        assert done.returncode == EXIT_BAD_INPUT, done.stderr
        assert "Traceback" not in done.stderr and "OutOfBounds" not in done.stderr
        assert ("key_results.csv, row 2, column 'due': '9999-12-31'; expected a date from 1900-01-01 to 2200-12-31"
                in done.stderr)
    assert not (tmp_path / "store.db").exists()


# --------------------------------------------------------------------------- what is accepted


def test_the_edges_of_the_ranges_are_accepted(tmp_path):
    workbook = read_workbook(write_csv_folder(tmp_path / "workbook", VALID | {
        "key_results": edited("key_results", "2026-09-30", "2200-12-31"),
        "people": edited("people", "2024-01-15", "1900-01-01"),
        "objectives": edited("objectives", "company,2026-Q3", "company,2200-Q4"),
    }))
    assert workbook["key_results"]["due"].iloc[0] == dt.datetime(2200, 12, 31)
    assert workbook["people"]["start_date"].iloc[0] == dt.datetime(1900, 1, 1)
    assert workbook["objectives"]["quarter"].iloc[0] == "2200-Q4"


def test_tabs_and_line_breaks_are_kept_in_free_text_and_tabs_in_titles(tmp_path):
    workbook = read_workbook(write_csv_folder(tmp_path / "workbook", VALID | {
        "checkins": edited("checkins", "Good start", '"Good start,\nthen\ta pause\r\nand more"'),
        "objectives": edited("objectives", "Customers stay when they are happy", '"Customers stay\nwhen happy"')
        .replace("Answer customers faster", "Answer\tcustomers faster"),
    }))
    assert workbook["checkins"]["note"].iloc[0] == "Good start,\nthen\ta pause\r\nand more"
    assert workbook["objectives"]["description"].iloc[0] == "Customers stay\nwhen happy"
    assert workbook["objectives"]["title"].iloc[1] == "Answer\tcustomers faster"


def test_a_yaml_key_written_in_another_case_fills_the_same_column(tmp_path):
    """``Target`` in one key result and ``target`` in the next: both values are read (the second was dropped)."""
    path = tmp_path / "workbook.yaml"
    path.write_text("objectives:\n  - id: C1\n    Title: Delight\n    level: company\n    key_results:\n"
                    "      - {title: A, Target: 5, start: 1}\n"
                    "      - {title: B, target: 6, start: 1, ' Due ': 2026-09-30}\n", encoding="utf-8")
    workbook = read_workbook(path)
    assert workbook["objectives"]["title"].tolist() == ["Delight"]
    assert workbook["key_results"]["target"].tolist() == [5.0, 6.0]
    assert workbook["key_results"]["due"].tolist()[1] == dt.datetime(2026, 9, 30)
    assert list(workbook["key_results"].columns) == list(TABLES["key_results"].column_names)  # no extra column


def test_an_id_of_200_characters_is_stored_on_both_backends(db_url, tmp_path):
    long_id = "K" * 200
    folder = write_csv_folder(tmp_path / "workbook", VALID | {
        "key_results": edited("key_results", "I1.1,I1,", f"{long_id},I1,"),
        "people": edited("people", "Ben Berg,cx,", f"Ben Berg,{'t' * 200},"),
        "teams": VALID["teams"] + f"{'t' * 200},A team with a long id,co\n"})
    store = Store(db_url)
    try:
        store.write_workbook(read_workbook(folder))
        assert long_id in store.known_ids()["key_results"]
    finally:
        store.close()


@pytest.mark.parametrize("case", ["id-longer-than-the-store-keeps", "control-characters-in-ids",
                                  "control-characters-in-text"])
def test_what_postgresql_refuses_is_refused_before_either_store(case, bad_inputs, seeded_db, tmp_path, monkeypatch):
    """A 300-character id or a NUL would pass SQLite and fail PostgreSQL with no location: both refuse it first."""
    monkeypatch.chdir(tmp_path)
    build = next(c for c in bad_inputs if c.id == case).build
    store = Store(seeded_db)
    before = store_rows(store)
    result = CliRunner().invoke(main, ["import", str(build(tmp_path / "in")), "--db", seeded_db],
                                catch_exceptions=False)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert store_rows(store) == before
    store.close()


# --------------------------------------------------------------------------- a store holding what a reader refuses


def _hostile_store(seeded_store: Path) -> Path:
    """The small valid store with control characters written straight into SQLite, past every check."""
    with sqlite3.connect(seeded_store) as conn:
        conn.execute("UPDATE objectives SET title = ? WHERE id = 'C1'", (HOSTILE_TITLE,))
        conn.execute("UPDATE objectives SET description = ? WHERE id = 'C1'", ("Line one\nline\ttwo\x00\x1b[31m",))
        conn.execute("UPDATE objectives SET title = ? WHERE id = 'T1'", ("Answer\nfaster\u202e",))
        conn.execute("UPDATE key_results SET title = ?, unit = ? WHERE id = 'C1.1'",
                     ("Raise NPS\x9b[2J from 40 to 50", "NPS\x7f"))
        conn.execute("UPDATE teams SET name = ? WHERE id = 'cx'", ("Customer\x1b[1m Experience",))
        conn.execute("UPDATE people SET name = ? WHERE id = 'ana@example.org'", ("Ana\x07 Alves",))
        conn.execute("UPDATE checkins SET note = ? WHERE key_result = 'C1.1'", ("Good\tstart\nsecond line\x1b[2J",))
    return seeded_store


@pytest.fixture
def hostile_store(seeded_store: Path) -> Path:
    return _hostile_store(seeded_store)


@pytest.fixture
def cli(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: object):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


@pytest.mark.parametrize("command", [
    ["check"], ["status", "--quarter", "2026-Q3", "--as-of", "2026-08-15"], ["summary"],
])
def test_commands_print_no_control_sequence_a_store_holds(cli, hostile_store, command):
    result = cli(*command, "--db", hostile_store)
    assert result.exit_code in (EXIT_OK, 1), result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert not UNSAFE.search(result.output), result.output
    if command[0] != "summary":
        assert "Pwn\\x1b[2J\\x1b]0;pwned\\x07 title" in result.output  # shown, not acted on


@pytest.mark.parametrize("command", [["check"], ["status", "--quarter", "2026-Q3"], ["export", "out.xlsx"]])
def test_a_far_date_a_store_already_holds_is_named_not_a_traceback(seeded_store, command, tmp_path):
    with sqlite3.connect(seeded_store) as conn:  # written before dates were checked
        conn.execute("UPDATE key_results SET due = '9999-12-31' WHERE id = 'T1.1'")
    done = subprocess.run([sys.executable, "-m", "okr_workshop", *command, "--db", str(seeded_store)],
                          capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert done.stderr == ("okr-workshop: key_results, id 'T1.1', column 'due': '9999-12-31' is outside the dates "
                           "okr-workshop works with (a date from 1900-01-01 to 2200-12-31); correct it in the store\n")
    assert not (tmp_path / "out.xlsx").exists()


def test_terminal_colours_are_the_only_escapes_check_and_status_print(hostile_store):
    store = Store(hostile_store)
    workbook = store.read_workbook()
    for text in (check_text(check_workbook(workbook), colour=True),
                 status_text(build_status(workbook, quarter="2026-Q3", as_of=dt.date(2026, 8, 15)), colour=True)):
        assert "\x1b[" in text  # the colours are there...
        plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
        assert not UNSAFE.search(plain), plain  # ...and nothing else
        assert "Answer\\nfaster\\u202e" in plain
    store.close()


@pytest.mark.parametrize("shape", ["backup.xlsx", "backup", "backup.yaml"])
def test_export_escapes_what_a_reader_refuses_and_imports_again(cli, hostile_store, tmp_path, shape):
    out = tmp_path / shape
    result = cli("export", out, "--db", hostile_store)
    assert result.exit_code == EXIT_OK, result.output
    workbook = read_workbook(out)  # the export is a valid workbook
    objectives = workbook["objectives"].set_index("id")
    assert objectives.loc["C1", "title"] == "Pwn\\x1b[2J\\x1b]0;pwned\\x07 title"
    assert objectives.loc["C1", "description"] == "Line one\nline\ttwo\\x00\\x1b[31m"  # free text keeps \n and \t
    assert objectives.loc["T1", "title"] == "Answer\\nfaster\\u202e"  # a title is one line
    key_results = workbook["key_results"].set_index("id")
    assert key_results.loc["C1.1", "unit"] == "NPS\\x7f"
    assert workbook["checkins"]["note"].iloc[0] == "Good\tstart\nsecond line\\x1b[2J"
    result = cli("import", out, "--db", tmp_path / "again.db")
    assert result.exit_code == EXIT_OK, result.output


def test_the_xlsx_cells_hold_the_escapes(cli, hostile_store, tmp_path):
    cli("export", tmp_path / "backup.xlsx", "--db", hostile_store)
    book = openpyxl.load_workbook(tmp_path / "backup.xlsx", read_only=True)
    titles = [row[1] for row in book["objectives"].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert "Pwn\\x1b[2J\\x1b]0;pwned\\x07 title" in titles


# --------------------------------------------------------------------------- writes from the apps and the CLI


def test_a_check_in_note_or_date_the_readers_refuse_is_refused_and_nothing_written(seeded_db):
    store = Store(seeded_db)
    before = store_rows(store)
    with pytest.raises(InputError) as caught:
        record_checkin(store, "C1.1", 45, note="Fine\x1b]0;pwned\x07")
    assert str(caught.value) == (
        "note for C1.1: 'Fine\\x1b]0;pwned\\x07', which holds the control character ESC (\\x1b); expected text "
        "without control characters or invisible bidi controls (tabs and line breaks are fine). Nothing was written.")
    with pytest.raises(InputError) as caught:
        record_checkin(store, "C1.1", 45, date="9999-12-31")
    assert str(caught.value) == (
        "date for C1.1: '9999-12-31'; expected a date from 1900-01-01 to 2200-12-31. Nothing was written.")
    record_checkin(store, "C1.1", 45, note="Two lines\nand\ta tab", date="2026-08-01")  # free text: kept
    after = store_rows(store)
    assert len(after["checkins"]) == len(before["checkins"]) + 1
    store.close()


def test_the_checkin_command_refuses_a_note_with_escapes(cli, seeded_store):
    result = cli("checkin", "C1.1", "45", "--note", "ok\x1b[2J", "--db", seeded_store)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "\x1b" not in result.output
    assert "'ok\\x1b[2J', which holds the control character ESC (\\x1b)" in result.output


def test_saving_an_objective_from_a_form_refuses_control_characters_and_far_dates(seeded_db):
    store = Store(seeded_db)
    before = store_rows(store)
    draft = ObjectiveDraft(title=HOSTILE_TITLE, quarter="2026-Q3", description="Why\u202e",
                           key_results=[KeyResultDraft("Raise NPS from 40 to 50", due=dt.date(9999, 12, 31))])
    with pytest.raises(WorkbookError) as caught:
        save_objective(store, draft)
    assert [str(p) for p in caught.value.problems] == [
        "the form (objective), column 'title': 'Pwn\\x1b[2J\\x1b]0;pwned\\x07 title', which holds the control "
        "character ESC (\\x1b); expected text on one line, without control characters or invisible bidi controls "
        "(a description or a note may hold line breaks)",
        "the form (objective), column 'description': 'Why\\u202e', which holds the invisible bidi control U+202E "
        "(it reorders how text is shown); expected text without control characters or invisible bidi controls "
        "(tabs and line breaks are fine)",
        "the form (key result 1), column 'due': '9999-12-31', which is outside the dates a workbook "
        "may hold; expected a date from 1900-01-01 to 2200-12-31",
    ]
    assert store_rows(store) == before
    store.close()


@pytest.mark.parametrize("fields", [
    {"id": "C" * 201}, {"id": "C1\x00"}, {"owner": "ana\t@example.org"}, {"title": "Two\nlines"},
    {"quarter": "2300-Q1"}, {"participants": ("ana@example.org", "b\x1b")},
])
def test_the_models_refuse_what_the_readers_refuse(fields):
    with pytest.raises(ValueError):
        Objective(**({"id": "C1", "title": "Delight", "level": "company"} | fields))


def test_the_models_keep_tabs_and_line_breaks_in_free_text():
    assert Objective(id="C1", title="A\ttab", level="company", description="Two\nlines").description == "Two\nlines"
    assert CheckIn(key_result="K", date=dt.date(2200, 12, 31), value=1, note="a\r\nb").note == "a\r\nb"
    with pytest.raises(ValueError, match="outside the dates"):
        CheckIn(key_result="K", date=dt.date(1899, 12, 31), value=1)


# --------------------------------------------------------------------------- the helpers


@pytest.mark.parametrize(("text", "shown"), [
    ("plain text, é and 😀", "plain text, é and 😀"),
    ("\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07"),
    ("a\tb\nc\rd", "a\\tb\\nc\\rd"),
    ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),
    ("abc\u202edef\u2066", "abc\\u202edef\\u2066"),
])
def test_printable_shows_escapes(text, shown):
    assert printable(text) == shown


@pytest.mark.parametrize(("char", "words"), [
    ("\x1b", "the control character ESC (\\x1b)"), ("\x00", "a NUL byte (\\x00)"), ("\n", "a line break"),
    ("\x9b", "the control character CSI (\\x9b)"), ("\ud800", "a lone surrogate (\\ud800), which is no character"),
    ("\uffff", "the non-character U+FFFF"),
])
def test_describe(char, words):
    assert describe(char) == words


def test_forms():
    assert unsafe_char("a\tb", "free") is None and unsafe_char("a\nb", "free") is None
    assert unsafe_char("a\tb", "line") is None and unsafe_char("a\nb", "line") == "\n"
    assert unsafe_char("a\tb", "id") == "\t"
    assert unsafe_char("Ünïcödé — “quoted” ‏RLM‏ is fine", "id") is None


def test_a_problem_prints_escapes_in_every_part():
    problem = Problem(path="in\x1b.csv", row=2, column="mo\x07od", found="x\x9b", expected="y\u202e", sheet="s\x00")
    assert str(problem) == "in\\x1b.csv [sheet s\\x00], row 2, column 'mo\\x07od': x\\x9b; expected y\\u202e"


# --------------------------------------------------------------------------- the report command


@pytest.mark.integration
def test_the_report_progress_line_and_failures_show_escapes(hostile_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    team = "nosuch\x1b]0;pwned\x07"
    result = CliRunner().invoke(main, ["report", "--quarter", "2026-Q3", "--team", team, "--out", tmp_path / "out",
                                       "--db", str(hostile_store), "--jobs", "1"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # the unknown team fails
    assert "\x07" not in result.output and "\x1b]" not in result.output
    assert "team:nosuch\\x1b]0;pwned\\x07" in result.output
