"""Shared fixtures: a small valid workbook on disk, writers for CSV/XLSX/YAML files, and the bad-input cases.

The bad-input cases (``BAD_INPUTS``) are one table used twice: the test module
named in a case's ``module`` asserts every problem it must report (file, sheet,
row as a spreadsheet shows it, column, the gist of found and expected), and
``test_cli.py`` runs every case through ``validate`` and ``import`` to check the
exit status and that the store did not change. A test asks for the
``bad_input`` fixture and gets the cases of its own module (all of them in
``test_cli.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from needs import need
from pg import Cluster, postgres_missing

from okr_workshop.exceptions import Problem, WorkbookError
from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store

# --------------------------------------------------------------------------- the small valid workbook

VALID: dict[str, str] = {
    "teams": (
        "id,name,parent\n"
        "co,Brightside Company,\n"
        "cx,Customer Experience,co\n"
    ),
    "people": (
        "id,name,team,role,start_date\n"
        "ana@example.org,Ana Alves,cx,leader,2024-01-15\n"
        "ben@example.org,Ben Berg,cx,member,\n"
    ),
    "objectives": (
        "id,title,level,quarter,team,owner,parent,visibility,commitment,description,participants\n"
        "C1,Delight our customers,company,2026-Q3,,,,everyone,committed,Customers stay when they are happy,\n"
        "T1,Answer customers faster,team,2026-Q3,cx,ana@example.org,C1,team,,,\n"
        "I1,Grow as a support lead,individual,2026-Q3,,ben@example.org,T1,participants,,,ana@example.org\n"
    ),
    "key_results": (
        "id,objective,title,start,target,current,unit,due,owner,weight,confidence\n"
        "C1.1,C1,Raise NPS from 40 to 50,40,50,44,NPS,2026-09-30,ana@example.org,2,0.6\n"
        "T1.1,T1,Cut first-response time from 24h to 12h,24,12,,h,,ana@example.org,,\n"
        "I1.1,I1,Run three support clinics,0,3,,clinics,,ben@example.org,,\n"
    ),
    "initiatives": (
        "id,key_result,title,owner,status,due\n"
        "IN1,T1.1,Add weekend support rota,ana@example.org,in_progress,2026-08-15\n"
    ),
    "checkins": (
        "key_result,date,value,confidence,note,author\n"
        "C1.1,2026-07-15,42,0.5,Good start,ana@example.org\n"
        "T1.1,2026-07-22,20,0.7,,ana@example.org\n"
    ),
}
"""The small valid workbook as CSV text, one entry per table."""



def write_text_file(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` (text as UTF-8, bytes as they are), making folders; return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def write_csv_folder(folder: Path, tables: dict[str, str | bytes | None]) -> Path:
    """A CSV folder holding one ``<table>.csv`` per entry; entries that are None are left out."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in tables.items():
        if content is not None:
            write_text_file(folder / f"{name}.csv", content)
    return folder


def csv_rows(text: str) -> list[list[str | None]]:
    """CSV text as rows of cells, empty cells as None (to build an ``.xlsx`` from the same data)."""
    return [[cell if cell != "" else None for cell in row] for row in csv.reader(io.StringIO(text))]


def write_xlsx_file(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An ``.xlsx`` file with one sheet per entry, rows as given (row 1 = the header)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def edited(table: str, old: str, new: str) -> str:
    """The valid CSV text of ``table`` with ``old`` replaced by ``new`` (which must be there)."""
    text = VALID[table]
    assert old in text, f"{old!r} is not in the valid {table}.csv"
    return text.replace(old, new, 1)


@pytest.fixture
def write_csv() -> Callable[[Path, str, str | bytes], Path]:
    """``write_csv(folder, "objectives", text)`` writes ``folder/objectives.csv`` and returns its path."""

    def write(folder: Path, table: str, content: str | bytes) -> Path:
        return write_text_file(Path(folder) / f"{table}.csv", content)

    return write


@pytest.fixture
def valid_dir(tmp_path: Path) -> Path:
    """The small valid workbook as a CSV folder in ``tmp_path``."""
    return write_csv_folder(tmp_path / "valid", VALID)


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """``make_workbook(objectives=text, checkins=None, ...)``: the valid CSV folder with tables replaced or left out."""
    counter = iter(range(1_000))

    def make(**tables: str | bytes | None) -> Path:
        unknown = set(tables) - set(VALID)
        assert not unknown, f"no such tables: {unknown}"
        return write_csv_folder(tmp_path / f"workbook{next(counter)}", VALID | tables)

    return make


@pytest.fixture(scope="session")
def seeded_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the small valid workbook (copy it before use: tests must not change it)."""
    root = tmp_path_factory.mktemp("seeded")
    store = Store(root / "seed.db")
    store.write_workbook(read_workbook(write_csv_folder(root / "valid", VALID)))
    store.close()
    return root / "seed.db"


@pytest.fixture
def seeded_store(seeded_store_file: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded store; the path of its file."""
    target = tmp_path / "store.db"
    shutil.copyfile(seeded_store_file, target)
    return target


# --------------------------------------------------------------------------- a workbook with every column filled

FULL: dict[str, str] = {
    "teams": (
        "id,name,parent,cost_centre\n"
        "co,Brightside Company,,CC-1\n"
        "cx,Customer Experience,co,CC-2\n"
        "ops,Operations,co,\n"
    ),
    "people": (
        "id,name,team,role,start_date,location\n"
        "ana@example.org,Ana Alves,cx,leader,2024-01-15,Lisbon\n"
        "ben@example.org,Ben Berg,cx,member,2026-07-01,Berlin\n"
        "cara@example.org,Cara Chen,ops,manager,2025-03-31,\n"
        "dan@example.org,Dan Diaz,ops,facilitator,2023-11-02,Madrid\n"
    ),
    "objectives": (
        "id,title,level,quarter,team,owner,parent,visibility,commitment,description,participants,theme\n"
        "C1,Delight our customers,company,2026-Q3,cx,ana@example.org,,everyone,committed,"
        "\"Why it matters, in a sentence\",,growth\n"
        "T1,Answer customers faster,team,2026-Q3,cx,ana@example.org,C1,team,aspirational,"
        "Speed is what customers notice first,ben@example.org,speed\n"
        "T2,Run a calm warehouse,team,2026-Q4,ops,cara@example.org,C1,everyone,committed,"
        "Fewer fire drills,dan@example.org;ana@example.org,\n"
        "I1,Grow as a support lead,individual,2026-Q3,cx,ben@example.org,T1,participants,aspirational,"
        "Ben's own growth,ana@example.org;dan@example.org,people\n"
    ),
    "key_results": (
        "id,objective,title,start,target,current,unit,due,owner,weight,confidence,data_source\n"
        "C1.1,C1,Raise NPS from 40 to 50,40,50,44.5,NPS,2026-09-30,ana@example.org,2,0.6,survey\n"
        "T1.1,T1,Cut first-response time from 24h to 12h,24,12,18,h,2026-09-15,ben@example.org,1.5,0.35,helpdesk\n"
        "T2.1,T2,Cut late shipments from 5% to 1%,-5,-1,-3.25,%,2026-12-31,cara@example.org,1,1,\n"
        "I1.1,I1,Run three support clinics,0,3,1,clinics,2026-08-31,ben@example.org,0.5,0,\n"
    ),
    "initiatives": (
        "id,key_result,title,owner,status,due,budget\n"
        "IN1,T1.1,Add weekend support rota,ana@example.org,in_progress,2026-08-15,1200\n"
        "IN2,T2.1,Label every shelf,cara@example.org,planned,2026-11-30,\n"
        "IN3,I1.1,Book a room for the clinics,ben@example.org,done,2026-07-10,\n"
    ),
    "checkins": (
        "key_result,date,value,confidence,note,author,mood\n"
        "C1.1,2026-07-15,42,0.5,Good start,ana@example.org,ok\n"
        "C1.1,2026-08-15,44.5,0.6,\"Survey in, two points up\",ana@example.org,\n"
        "T1.1,2026-07-22,18,0.35,Rota not staffed yet,ben@example.org,worried\n"
        "T2.1,2026-10-20,-3.25,1,,cara@example.org,\n"
        "I1.1,2026-07-30,1,0,First clinic held,ben@example.org,happy\n"
    ),
    "reflections": (
        "objective,author,date,score,worked,did_not_work,learned,next\n"
        "C1,ana@example.org,2026-10-02,0.8,\"Surveys, every month\",Weekend cover,Ask customers first,keep\n"
        "I1,ben@example.org,2026-10-03,,Clinics,,\"Teaching, then doing\",carry\n"
    ),
    "changes": (
        "key_result,date,author,field,old,new,reason\n"
        "T1.1,2026-08-01,ana@example.org,target,10,12,Rota starts a month late\n"
        "T2.1,2026-10-15,cara@example.org,due,2026-11-30,2026-12-31,\"Peak season, moved\"\n"
    ),
    "retro": (
        "team,quarter,kind,text,author,date\n"
        "cx,2026-Q3,start,Pair on hard tickets,ana@example.org,2026-10-02\n"
        "cx,2026-Q3,shout_out,\"Ben, for the clinics\",,2026-10-02\n"
    ),
}
"""Every table, every contract column filled (dates, participants, negative numbers), and an extra column each."""

FULL_EXTRAS = {
    "teams": "cost_centre", "people": "location", "objectives": "theme",
    "key_results": "data_source", "initiatives": "budget", "checkins": "mood",
}


@pytest.fixture
def full_dir(tmp_path: Path) -> Path:
    """The full workbook as a CSV folder."""
    return write_csv_folder(tmp_path / "full", FULL)


@pytest.fixture
def full_workbook(full_dir: Path):
    """The full workbook, read."""
    return read_workbook(full_dir)


@pytest.fixture
def assert_same_extras():
    """``assert_same_extras(a, b)``: every extra column of the full workbook holds the same values in both."""

    def check(a, b) -> None:
        for table, column in FULL_EXTRAS.items():
            key = ["id"] if "id" in a[table] else ["key_result", "date"]
            left = a[table].sort_values(key)[column].tolist()
            right = b[table].sort_values(key)[column].tolist()
            assert column in b[table], f"extra column {table}.{column} was dropped"
            assert left == right, f"extra column {table}.{column} changed"

    return check


# --------------------------------------------------------------------------- the bad-input cases


@dataclass(frozen=True)
class Expect:
    """One problem a bad input must produce."""

    file: str
    """The name the problem's path ends with (``objectives.csv``, ``workbook.xlsx``)."""
    row: int | None
    column: str | None
    found: str
    """A piece of the problem's ``found`` (case-insensitive)."""
    expected: str
    """A piece of the problem's ``expected`` (case-insensitive)."""
    sheet: str | None = None

    def matches(self, problem: Problem) -> bool:
        return (
            Path(problem.path).name == self.file
            and problem.sheet == self.sheet
            and problem.row == self.row
            and problem.column == self.column
            and self.found.lower() in problem.found.lower()
            and self.expected.lower() in problem.expected.lower()
        )


@dataclass(frozen=True)
class BadInput:
    """A workbook with problems: how to build it, and what reading it must report."""

    id: str
    module: str
    """The test module (without ``test_``) that asserts the problems in detail."""
    build: Callable[[Path], Path]
    """Writes the workbook under the given folder and returns its path."""
    problems: tuple[Expect, ...]
    exact: bool = True
    """When True, no other problem may be reported."""


def assert_problems(problems: list[Problem], expected: tuple[Expect, ...] | list[Expect], exact: bool = True) -> None:
    """Every expected problem is reported (each by a different problem); with ``exact`` nothing else is."""
    remaining = list(problems)
    listing = "\n".join(f"  {p!r}" for p in problems)
    for want in expected:
        match = next((p for p in remaining if want.matches(p)), None)
        assert match is not None, f"missing {want}\namong:\n{listing}"
        remaining.remove(match)
    if exact:
        assert not remaining, "unexpected problems:\n" + "\n".join(f"  {p!r}" for p in remaining)


def read_problems(path: Path) -> list[Problem]:
    """The problems reading ``path`` reports (failing when it reads without any)."""
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert caught.value.problems, "a WorkbookError with no problems"
    return caught.value.problems


def csv_case(**tables: str | bytes | None) -> Callable[[Path], Path]:
    """A builder: the valid CSV folder with these tables replaced (None leaves a table out)."""
    return lambda root: write_csv_folder(root / "workbook", VALID | tables)


def xlsx_case(**sheets: list[list[object]] | None) -> Callable[[Path], Path]:
    """A builder: the valid workbook as ``workbook.xlsx`` with these sheets replaced (None leaves one out)."""

    def build(root: Path) -> Path:
        rows = {name: csv_rows(text) for name, text in VALID.items()} | sheets
        return write_xlsx_file(root / "workbook.xlsx", {k: v for k, v in rows.items() if v is not None})

    return build


def file_case(name: str, content: str | bytes) -> Callable[[Path], Path]:
    """A builder: one file called ``name`` holding ``content``."""
    return lambda root: write_text_file(root / name, content)


OBJ = "objectives.csv"
KR = "key_results.csv"
DATES = "a date from 1900-01-01 to 2200-12-31"
OBJECTIVES_HEADER = VALID["objectives"].splitlines(keepends=True)[0]
ONE_MEGABYTE = "x" * 1_048_576

BAD_INPUTS: list[BadInput] = [
    # ---- the file as a whole (CSV folder)
    BadInput("missing-required-column", "csvdir", csv_case(objectives=(
        "id,level,quarter,team,owner,parent,visibility,participants\n"
        "C1,company,2026-Q3,,,,,\n"
        "T1,team,2026-Q3,cx,,C1,,\n"
        "I1,individual,2026-Q3,,ben@example.org,T1,participants,ana@example.org\n")),
        (Expect(OBJ, 1, "title", "no column 'title'", "every required column"),)),
    BadInput("missing-required-columns-each-named", "csvdir", csv_case(key_results=(
        "ID,Name\nC1.1,x\nT1.1,y\nI1.1,z\n")),
        (Expect(KR, 1, "objective", "no column 'objective'", "every required column"),
         Expect(KR, 1, "title", "no column 'title'", "every required column"))),
    BadInput("empty-file", "csvdir", csv_case(objectives=""),
             (Expect(OBJ, None, None, "an empty file", "a header row"),)),
    BadInput("empty-file-blank-lines-and-bom", "csvdir", csv_case(key_results="\ufeff\n\n  \n"),
             (Expect(KR, None, None, "an empty file", "a header row"),)),
    BadInput("header-only-objectives", "csvdir", csv_case(objectives=OBJECTIVES_HEADER),
             (Expect(OBJ, None, None, "a header but no objectives", "at least one objective"),)),
    BadInput("no-objectives-file", "csvdir", csv_case(objectives=None),
             (Expect(OBJ, None, None, "no objectives.csv", "objectives.csv and key_results.csv"),)),
    BadInput("not-utf8-objectives", "csvdir", csv_case(objectives=edited(
        "objectives", "Grow as a support lead", "Grow as a caf\xe9 lead").encode("cp1252")),
        (Expect(OBJ, 4, None, "not UTF-8 (0xe9", "UTF-8"),), exact=False),
    BadInput("not-utf8-checkins", "csvdir", csv_case(checkins=edited(
        "checkins", "Good start", "G\xf6od start").encode("latin-1")),
        (Expect("checkins.csv", 2, None, "not UTF-8 (0xf6", "UTF-8"),)),
    BadInput("one-megabyte-cell", "csvdir", csv_case(objectives=edited(
        "objectives", "Answer customers faster", ONE_MEGABYTE)),
        (Expect(OBJ, 3, "title", "a cell of 1,048,576 characters", "at most 10,000 characters"),)),
    BadInput("one-megabyte-quoted-note", "csvdir", csv_case(checkins=edited(
        "checkins", "Good start", '"' + "a\nb," * 262_144 + '"')),
        (Expect("checkins.csv", 2, "note", "a cell of 1,048,576 characters", "at most 10,000 characters"),)),
    BadInput("first-row-longer-than-header", "csvdir", csv_case(initiatives=(
        "id,key_result,title\nIN1,T1.1,Rota,extra,cells\nIN2,T1.1,Shelves\nIN3,T1.1,Labels,x\n")),
        (Expect("initiatives.csv", 2, None, "5 cells", "3 cells"),
         Expect("initiatives.csv", 4, None, "4 cells", "3 cells"))),
    BadInput("later-row-longer-than-header", "csvdir", csv_case(initiatives=(
        "id,key_result,title\nIN1,T1.1,Rota\nIN2,T1.1,Shelves, labels and bins\n")),
        (Expect("initiatives.csv", 3, None, "4 cells", "3 cells"),)),
    BadInput("row-number-after-blank-line", "csvdir", csv_case(objectives=edited(
        "objectives", "\nI1,Grow as a support lead,individual,", "\n\nI1,Grow as a support lead,indivdual,")),
        (Expect(OBJ, 5, "level", "'indivdual'", "one of: company, team, individual"),)),
    # ---- cells
    BadInput("non-numeric-number", "cells", csv_case(key_results=edited(
        "key_results", "T1.1,T1,Cut first-response time from 24h to 12h,24,", "T1.1,T1,Cut time,about 24,")),
        (Expect(KR, 3, "start", "'about 24'", "a number"),)),
    BadInput("comma-decimal-rejected", "cells", csv_case(checkins=edited(
        "checkins", "C1.1,2026-07-15,42,", 'C1.1,2026-07-15,"1,5",')),
        (Expect("checkins.csv", 2, "value", "'1,5'", "use . for decimals"),)),
    BadInput("bad-enumeration-level", "cells", csv_case(objectives=edited(
        "objectives", "C1,Delight our customers,company,", "C1,Delight our customers,corporate,")),
        (Expect(OBJ, 2, "level", "'corporate'", "one of: company, team, individual"),)),
    BadInput("bad-enumeration-role-status-visibility", "cells", csv_case(
        people=edited("people", ",member,", ",boss,"),
        initiatives=edited("initiatives", ",in_progress,", ",blocked,"),
        objectives=edited("objectives", ",C1,team,", ",C1,secret,")),
        (Expect("people.csv", 3, "role", "'boss'", "leader, manager, member, facilitator"),
         Expect("initiatives.csv", 2, "status", "'blocked'", "planned, in_progress, done, dropped"),
         Expect(OBJ, 3, "visibility", "'secret'", "everyone, team, participants"))),
    BadInput("bad-date", "cells", csv_case(
        checkins=edited("checkins", "2026-07-22", "22/07/2026"),
        key_results=edited("key_results", "2026-09-30", "2026-02-30"),
        people=edited("people", "2024-01-15", "last spring")),
        (Expect("checkins.csv", 3, "date", "'22/07/2026'", "YYYY-MM-DD"),
         Expect(KR, 2, "due", "'2026-02-30'", "YYYY-MM-DD"),
         Expect("people.csv", 2, "start_date", "'last spring'", "YYYY-MM-DD"))),
    BadInput("bad-quarter", "cells", csv_case(objectives=edited(
        "objectives", "C1,Delight our customers,company,2026-Q3", "C1,Delight our customers,company,2026-Q5").replace(
        "T1,Answer customers faster,team,2026-Q3", "T1,Answer customers faster,team,Summer")),
        (Expect(OBJ, 2, "quarter", "'2026-Q5'", "YYYY-Qn"),
         Expect(OBJ, 3, "quarter", "'Summer'", "YYYY-Qn"))),
    BadInput("numbers-out-of-bounds", "cells", csv_case(key_results=edited(
        "key_results", "ana@example.org,2,0.6", "ana@example.org,0,60%")),
        (Expect(KR, 2, "weight", "'0'", "a positive number"),
         Expect(KR, 2, "confidence", "'60%'", "from 0 to 1 (write 0.7 for 70%)"))),
    BadInput("required-cell-empty", "cells", csv_case(key_results=edited(
        "key_results", "I1.1,I1,Run three support clinics,", "I1.1,I1,,")),
        (Expect(KR, 4, "title", "an empty cell", "every row of key_results needs a title"),)),
    # ---- across rows and tables
    BadInput("duplicate-id", "validate", csv_case(key_results=VALID["key_results"] + "C1.1,C1,Another,1,2,,,,,,\n"),
             (Expect(KR, 5, "id", "the id 'C1.1' again (first used on row 2)", "an id no other key result has"),)),
    BadInput("duplicate-objective-id", "validate", csv_case(objectives=edited(
        "objectives", "I1,Grow", "T1,Grow")),
        (Expect(OBJ, 4, "id", "the id 'T1' again (first used on row 3)", "an id no other objective has"),),
        exact=False),  # I1.1 then refers to an objective that is gone: reported too
    BadInput("unknown-team", "validate", csv_case(objectives=edited("objectives", "2026-Q3,cx,", "2026-Q3,cxx,")),
             (Expect(OBJ, 3, "team", "'cxx', which is no team id", "did you mean 'cx'"),)),
    BadInput("unknown-parent", "validate", csv_case(objectives=edited("objectives", ",C1,team,", ",C9,team,")),
             (Expect(OBJ, 3, "parent", "'C9', which is no objective id", "the id of an objective"),)),
    BadInput("unknown-owner", "validate", csv_case(objectives=edited(
        "objectives", ",ben@example.org,T1,", ",bob@example.org,T1,")),
        (Expect(OBJ, 4, "owner", "'bob@example.org', which is no person id", "the id of a person"),)),
    BadInput("unknown-participant", "validate", csv_case(objectives=edited(
        "objectives", ",participants,,,ana@example.org", ",participants,,,ana@example.org;zed")),
        (Expect(OBJ, 4, "participants", "'zed', which is no person id", "the id of a person"),)),
    BadInput("unknown-objective", "validate", csv_case(key_results=edited("key_results", "T1.1,T1,", "T1.1,T9,")),
             (Expect(KR, 3, "objective", "'T9', which is no objective id", "the id of an objective"),)),
    BadInput("unknown-key-result", "validate", csv_case(
        checkins=edited("checkins", "T1.1,2026-07-22", "X1.1,2026-07-22"),
        initiatives=edited("initiatives", "IN1,T1.1,", "IN1,T1.9,")),
        (Expect("checkins.csv", 3, "key_result", "'X1.1', which is no key result id", "the id of a key result"),
         Expect("initiatives.csv", 2, "key_result", "'T1.9', which is no key result id", "the id of a key result"))),
    BadInput("unknown-team-of-person-and-parent-team", "validate", csv_case(
        people=edited("people", "Ben Berg,cx,", "Ben Berg,sales,"),
        teams=edited("teams", "Customer Experience,co", "Customer Experience,hq")),
        (Expect("people.csv", 3, "team", "'sales', which is no team id", "the id of a team"),
         Expect("teams.csv", 3, "parent", "'hq', which is no team id", "the id of a team"))),
    BadInput("objective-parent-cycle", "validate", csv_case(objectives=edited(
        "objectives", ",C1,team,", ",I1,team,")),
        (Expect(OBJ, 3, "parent", "loops: T1 -> I1 -> T1", "ends at an objective with no parent"),)),
    BadInput("objective-parent-is-itself", "validate", csv_case(objectives=edited(
        "objectives", ",C1,team,", ",T1,team,")),
        (Expect(OBJ, 3, "parent", "loops: T1 -> T1", "ends at an objective with no parent"),)),
    BadInput("team-parent-cycle", "validate", csv_case(teams=(
        "id,name,parent\nco,Brightside Company,cx\ncx,Customer Experience,co\n")),
        (Expect("teams.csv", 2, "parent", "loops: co -> cx -> co", "ends at a team with no parent"),)),
    BadInput("team-objective-without-team", "validate", csv_case(objectives=edited(
        "objectives", "team,2026-Q3,cx,", "team,2026-Q3,,")),
        (Expect(OBJ, 3, "team", "an empty cell", "team objectives name a team"),)),
    BadInput("individual-objective-without-owner", "validate", csv_case(objectives=edited(
        "objectives", ",ben@example.org,T1,", ",,T1,")),
        (Expect(OBJ, 4, "owner", "an empty cell", "individual objectives name an owner"),)),
    BadInput("company-objective-with-parent", "validate", csv_case(objectives=edited(
        "objectives", "company,2026-Q3,,,,", "company,2026-Q3,,,T1,")),
        (Expect(OBJ, 2, "parent", "'T1'", "company objectives are the top of the cascade"),
         Expect(OBJ, 2, "parent", "loops: C1 -> T1 -> C1", "ends at an objective with no parent"))),
    # ---- every problem in one pass
    BadInput("several-problems-one-pass", "io", csv_case(
        key_results=(
            "id,objective,title,start,target,due,confidence,note\n"
            "K1,C1,Raise NPS,forty,50,2026-09-31,1.5,keep me\n"
            "K2,C9,,1,2,,,\n"
            "K1,C1,Again,1,2,,,\n"),
        checkins=None, initiatives=None,
        objectives=edited("objectives", "company,", "kompany,")),
        (Expect(KR, 2, "start", "'forty'", "a number"),
         Expect(KR, 2, "due", "'2026-09-31'", "YYYY-MM-DD"),
         Expect(KR, 2, "confidence", "'1.5'", "from 0 to 1"),
         Expect(KR, 3, "objective", "'C9', which is no objective id", "the id of an objective"),
         Expect(KR, 3, "title", "an empty cell", "needs a title"),
         Expect(KR, 4, "id", "the id 'K1' again (first used on row 2)", "an id no other key result has"),
         Expect(OBJ, 2, "level", "'kompany'", "one of: company, team, individual"))),
    # ---- the Excel shape
    BadInput("xlsx-not-a-workbook", "excel", file_case("workbook.xlsx", "id,title\nC1,Not really a spreadsheet\n"),
             (Expect("workbook.xlsx", None, None, "not an Excel workbook", ".xlsx file"),)),
    BadInput("xlsx-a-zip-of-something-else", "excel",
             lambda root: _zip_without_workbook(root / "workbook.xlsx"),
             (Expect("workbook.xlsx", None, None, "not an Excel workbook", ".xlsx file"),)),
    BadInput("xlsx-non-numeric-number", "excel", xlsx_case(key_results=[
        ["id", "objective", "title", "start", "target"],
        ["C1.1", "C1", "Raise NPS", 40, 50],
        ["T1.1", "T1", "Cut time", "a lot", 12],
        ["I1.1", "I1", "Run clinics", 0, 3]]),
        (Expect("workbook.xlsx", 3, "start", "'a lot'", "a number", sheet="key_results"),)),
    BadInput("xlsx-missing-required-column", "excel", xlsx_case(objectives=[
        ["id", "title", "quarter"], ["C1", "Delight", "2026-Q3"]], key_results=None, checkins=None, initiatives=None),
        (Expect("workbook.xlsx", 1, "level", "no column 'level'", "every required column", sheet="objectives"),)),
    BadInput("xlsx-header-only-objectives", "excel", xlsx_case(objectives=[csv_rows(OBJECTIVES_HEADER)[0]]),
             (Expect("workbook.xlsx", None, None, "a header but no objectives", "at least one objective",
                     sheet="objectives"),)),
    BadInput("xlsx-no-objectives-sheet", "excel", xlsx_case(objectives=None),
             (Expect("workbook.xlsx", None, None, "no sheet named objectives", "sheets named like the tables"),)),
    BadInput("xlsx-bad-values-after-blank-row", "excel", xlsx_case(objectives=[
        ["ID", "Title", "Level", "Quarter", "Team", "Owner", "Parent"],
        ["C1", "Delight our customers", "company", "2026-Q3", None, None, None],
        [None, None, None, None, None, None, None],
        ["T1", "Answer faster", "squad", "2026-Q9", "cx", None, "C1"],
        ["I1", "Grow", "individual", "2026-Q3", None, "ben@example.org", "T1"]]),
        (Expect("workbook.xlsx", 4, "level", "'squad'", "one of: company, team, individual", sheet="objectives"),
         Expect("workbook.xlsx", 4, "quarter", "'2026-Q9'", "YYYY-Qn", sheet="objectives"))),
    BadInput("xlsx-unknown-reference", "excel", xlsx_case(checkins=[
        ["key_result", "date", "value"], ["C1.1", "2026-07-15", 42], ["Z9", "2026-07-16", 43]]),
        (Expect("workbook.xlsx", 3, "key_result", "'Z9', which is no key result id", "the id of a key result",
                sheet="checkins"),)),
    # ---- the YAML shape
    BadInput("yaml-a-list", "yamlform", file_case("workbook.yaml", "- title: Delight\n  level: company\n"),
             (Expect("workbook.yaml", None, None, "a list at the top level", "a mapping"),)),
    BadInput("yaml-a-scalar", "yamlform", file_case("workbook.yaml", "just some words\n"),
             (Expect("workbook.yaml", None, None, "the text 'just some words' at the top level", "a mapping"),)),
    BadInput("yaml-empty", "yamlform", file_case("workbook.yml", ""),
             (Expect("workbook.yml", None, None, "an empty file", "a mapping"),)),
    BadInput("yaml-only-a-comment", "yamlform", file_case("workbook.yaml", "# nothing here yet\n"),
             (Expect("workbook.yaml", None, None, "an empty file", "a mapping"),)),
    BadInput("yaml-syntax-error", "yamlform", file_case("workbook.yaml", "objectives:\n  - title: [unclosed\n"),
             (Expect("workbook.yaml", 3, None, "not valid YAML", "valid YAML"),)),
    BadInput("yaml-not-utf8", "yamlform",
             file_case("workbook.yaml", "objectives:\n  - title: Caf\xe9\n".encode("latin-1")),
             (Expect("workbook.yaml", None, None, "not UTF-8", "UTF-8"),)),
    BadInput("yaml-no-objectives", "yamlform", file_case("workbook.yaml", "quarter: 2026-Q3\n"),
             (Expect("workbook.yaml", None, "objectives", "no objectives", "an objectives list"),)),
    BadInput("yaml-bad-cells-name-their-line", "yamlform", file_case("workbook.yaml", (
        "quarter: 2026-Q3\n"                       # 1
        "teams: [{id: cx, name: CX}]\n"            # 2
        "objectives:\n"                            # 3
        "  - id: C1\n"                             # 4
        "    title: Delight our customers\n"       # 5
        "    level: company\n"                     # 6
        "    key_results:\n"                       # 7
        "      - Increase NPS from 40 to 50\n"     # 8
        "      - id: C1.2\n"                       # 9
        "        title: Cut response time\n"       # 10
        "        start: lots\n"                    # 11
        "        checkins:\n"                      # 12
        "          - {date: 2026-08-01, value: 18}\n"   # 13
        "          - {date: 2026-13-01, value: 17}\n"   # 14
        "  - title: Answer faster\n"               # 15
        "    level: team\n"                        # 16
        "    team: cxx\n"                          # 17
        "    parent: C1\n"                         # 18
        "    visibility: hidden\n")),              # 19
        (Expect("workbook.yaml", 9, "start", "'lots'", "a number"),
         Expect("workbook.yaml", 14, "date", "'2026-13-01'", "YYYY-MM-DD"),
         Expect("workbook.yaml", 15, "team", "'cxx', which is no team id", "did you mean 'cx'"),
         Expect("workbook.yaml", 15, "visibility", "'hidden'", "everyone, team, participants"))),
    BadInput("yaml-objectives-not-a-list", "yamlform", file_case("workbook.yaml", (
        "objectives:\n  id: C1\n  title: Delight\n")),
        (Expect("workbook.yaml", 1, "objectives", "a mapping under objectives", "a list of objectives"),
         Expect("workbook.yaml", None, "objectives", "no objectives", "an objectives list"))),
    # ---- hostile input (issue 13): dates pandas cannot hold, control characters, the store's limits, a column
    # named twice. test_hostile_input.py asserts each one's every message word for word.
    BadInput("date-out-of-range-every-date-column", "hostile_input", csv_case(
        key_results=edited("key_results", "2026-09-30", "2300-01-01"),
        people=edited("people", "2024-01-15", "1600-01-01"),
        checkins=edited("checkins", "2026-07-22", "9999-12-31"),
        initiatives=edited("initiatives", "2026-08-15", " 2201-01-01 ")),
        (Expect(KR, 2, "due", "'2300-01-01'", DATES),
         Expect("people.csv", 2, "start_date", "'1600-01-01'", DATES),
         Expect("checkins.csv", 3, "date", "'9999-12-31'", DATES),
         Expect("initiatives.csv", 2, "due", "' 2201-01-01 '", DATES))),
    BadInput("quarter-out-of-range", "hostile_input", csv_case(objectives=edited(
        "objectives", "company,2026-Q3", "company,2300-Q1").replace("team,2026-Q3", "team,1899-Q4")),
        (Expect(OBJ, 2, "quarter", "'2300-Q1'", "a quarter of the years 1900 to 2200"),
         Expect(OBJ, 3, "quarter", "'1899-Q4'", "a quarter of the years 1900 to 2200"))),
    BadInput("control-characters-in-text", "hostile_input", csv_case(
        objectives=edited("objectives", "Answer customers faster", "Answer\x1b[2J\x1b]0;pwned\x07 faster").replace(
            "Customers stay when they are happy", "Customers stay\x00 when they are happy"),
        key_results=edited("key_results", ",NPS,", ",NPS\x7f,"),
        checkins=edited("checkins", "Good start", "Good\x9b start"),
        people=edited("people", "Ana Alves", "Ana \u202eAlves")),
        (Expect(OBJ, 2, "description", "holds a NUL byte (\\x00)", "text without control characters"),
         Expect(OBJ, 3, "title", "holds the control character ESC (\\x1b)", "text on one line"),
         Expect(KR, 2, "unit", "holds the control character DEL (\\x7f)", "text on one line"),
         Expect("checkins.csv", 2, "note", "holds the control character CSI (\\x9b)",
                "(tabs and line breaks are fine)"),
         Expect("people.csv", 2, "name", "holds the invisible bidi control U+202E", "invisible bidi controls"))),
    BadInput("control-characters-in-ids", "hostile_input", csv_case(
        people=edited("people", "Ben Berg,cx,", "Ben Berg,cx\x1b,"),
        objectives=edited("objectives", "participants,,,ana@example.org", "participants,,,ana@example.org\x00"),
        key_results=edited("key_results", "2026-09-30,ana@example.org", "2026-09-30,ana\t@example.org")),
        (Expect("people.csv", 3, "team", "holds the control character ESC (\\x1b)", "an id on one line"),
         Expect(OBJ, 4, "participants", "holds a NUL byte (\\x00)", "an id on one line"),
         Expect(KR, 2, "owner", "holds a tab", "an id on one line, without tabs"))),
    BadInput("line-break-in-a-title", "hostile_input", csv_case(objectives=edited(
        "objectives", "Answer customers faster", '"Answer customers\nfaster"')),
        (Expect(OBJ, 3, "title", "holds a line break", "a description or a note may hold line breaks"),)),
    BadInput("id-longer-than-the-store-keeps", "hostile_input", csv_case(
        key_results=edited("key_results", "I1.1,I1,", "I" + "1" * 299 + ",I1,"),
        people=edited("people", "Ben Berg,cx,", "Ben Berg," + "t" * 201 + ","),
        objectives=edited("objectives", "participants,,,ana@example.org",
                          "participants,,,ana@example.org;" + "p" * 250)),
        (Expect(KR, 4, "id", "a cell of 300 characters starting 'I1111111111111111111'",
                "an id of at most 200 characters (the longest the store keeps)"),
         Expect("people.csv", 3, "team", "a cell of 201 characters", "an id of at most 200 characters"),
         Expect(OBJ, 4, "participants", "an id of 250 characters starting 'pppppppppppppppppppp'",
                "ids of at most 200 characters each"))),
    BadInput("csv-column-named-twice", "hostile_input", csv_case(
        key_results=VALID["key_results"].replace("current,unit", "target,unit", 1)),
        (Expect(KR, 1, "target", "the column 'target' twice in the header: column 5 (E) and column 6 (F)",
                "each column named once"),)),
    BadInput("csv-column-named-twice-other-case", "hostile_input", csv_case(
        objectives=OBJECTIVES_HEADER.rstrip("\n") + ", Title \n" + VALID["objectives"].split("\n", 1)[1]),
        (Expect(OBJ, 1, "title", "the column 'title' twice in the header: column 2 (B) and column 12 (L)",
                "each column named once"),)),
    BadInput("csv-column-name-with-escape", "hostile_input", csv_case(checkins=VALID["checkins"].replace(
        "author\n", "author,mood\x1b[2J\n", 1)),
        (Expect("checkins.csv", 1, "mood\\x1b[2J", "the column name 'mood\\x1b[2J' in column 7 (G), which holds "
                "the control character ESC (\\x1b)", "column names on one line"),)),
    BadInput("xlsx-column-named-twice", "hostile_input", xlsx_case(key_results=[
        ["id", "objective", "title", "start", "target", "Target"],
        ["C1.1", "C1", "Raise NPS", 40, 50, 60], ["T1.1", "T1", "Cut time", 24, 12, 10],
        ["I1.1", "I1", "Run clinics", 0, 3, 4]]),
        (Expect("workbook.xlsx", 1, "target", "the column 'target' twice in the header: column 5 (E) and "
                "column 6 (F)", "each column named once", sheet="key_results"),)),
    BadInput("xlsx-control-characters", "hostile_input", xlsx_case(objectives=[
        ["id", "title", "level", "quarter", "team", "owner", "parent", "description"],
        ["C1", "Delight\x9b[2J customers", "company", "2026-Q3", None, None, None, "Why\u202e"],
        ["T1", "Answer\nfaster", "team", "2026-Q3", "cx", None, "C1", "Tabs\tand\nbreaks are fine"],
        ["I1", "Grow", "individual", "2026-Q3", None, "ben@example.org", "T1\x7f", None]]),
        (Expect("workbook.xlsx", 2, "title", "holds the control character CSI (\\x9b)", "text on one line",
                sheet="objectives"),
         Expect("workbook.xlsx", 2, "description", "holds the invisible bidi control U+202E", "bidi",
                sheet="objectives"),
         Expect("workbook.xlsx", 3, "title", "holds a line break", "text on one line", sheet="objectives"),
         Expect("workbook.xlsx", 4, "parent", "holds the control character DEL (\\x7f)", "an id on one line",
                sheet="objectives"))),
    BadInput("xlsx-date-out-of-range", "hostile_input", xlsx_case(
        key_results=[["id", "objective", "title", "due"], ["C1.1", "C1", "Raise NPS", dt.date(2300, 1, 1)],
                     ["T1.1", "T1", "Cut time", None], ["I1.1", "I1", "Run clinics", dt.datetime(9999, 12, 31)]],
        checkins=[["key_result", "date", "value"], ["C1.1", "1600-01-01", 42]]),
        (Expect("workbook.xlsx", 2, "due", "'2300-01-01'", DATES, sheet="key_results"),
         Expect("workbook.xlsx", 4, "due", "'9999-12-31'", DATES, sheet="key_results"),
         Expect("workbook.xlsx", 2, "date", "'1600-01-01'", DATES, sheet="checkins"))),
    BadInput("xlsx-id-longer-than-the-store-keeps", "hostile_input", xlsx_case(initiatives=[
        ["id", "key_result", "title"], ["N" * 300, "T1.1", "Rota"]]),
        (Expect("workbook.xlsx", 2, "id", "a cell of 300 characters", "an id of at most 200 characters",
                sheet="initiatives"),)),
    BadInput("yaml-key-given-twice", "hostile_input", file_case("workbook.yaml", (
        "objectives:\n"                                # 1
        "  - id: C1\n"                                 # 2
        "    title: Delight our customers\n"           # 3
        "    level: company\n"                         # 4
        "    title: Delight them\n"                    # 5
        "    key_results:\n"                           # 6
        "      - {title: Raise NPS, target: 50, Target: 60}\n")),  # 7
        (Expect("workbook.yaml", 5, "title", "the key 'title' a second time in one mapping (first on line 3)",
                "each key once in a mapping"),
         Expect("workbook.yaml", 7, "Target", "the key 'Target' a second time in one mapping (first 'target' on "
                "line 7)", "each key once in a mapping"))),
    BadInput("yaml-control-character-as-written", "hostile_input", file_case("workbook.yaml", (
        "objectives:\n  - id: C1\n    title: Delight \x1b[2J customers\n    level: company\n")),
        (Expect("workbook.yaml", 3, None, "the control character ESC (\\x1b) as character 20 of the line",
                "a file without control characters"),)),
    BadInput("yaml-control-characters-as-escapes", "hostile_input", file_case("workbook.yaml", (
        "objectives:\n"                                                  # 1
        '  - id: "C1\\u202e"\n'                                          # 2
        '    title: "Delight \\e]0;pwned\\a customers"\n'                # 3
        "    level: company\n"                                           # 4
        '    description: "Two lines\\nand a tab\\tare kept, \\0 is not"\n')),  # 5
        (Expect("workbook.yaml", 2, "id", "holds the invisible bidi control U+202E", "an id on one line"),
         Expect("workbook.yaml", 2, "title", "holds the control character ESC (\\x1b)", "text on one line"),
         Expect("workbook.yaml", 2, "description", "holds a NUL byte (\\x00)", "tabs and line breaks are fine"))),
    BadInput("yaml-date-out-of-range", "hostile_input", file_case("workbook.yaml", (
        "quarter: 2026-Q3\n"                                         # 1
        "objectives:\n"                                              # 2
        "  - id: C1\n"                                               # 3
        "    title: Delight our customers\n"                         # 4
        "    level: company\n"                                       # 5
        "    key_results:\n"                                         # 6
        "      - title: Raise NPS from 40 to 50\n"                   # 7
        "        due: 2300-01-01\n"                                  # 8
        "        checkins:\n"                                        # 9
        "          - {date: 1600-01-01, value: 41}\n")),             # 10
        (Expect("workbook.yaml", 7, "due", "'2300-01-01'", DATES),
         Expect("workbook.yaml", 10, "date", "'1600-01-01'", DATES))),
]


def _zip_without_workbook(path: Path) -> Path:
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a spreadsheet")
    return path


@pytest.fixture
def check_bad_input(tmp_path: Path) -> Callable[[BadInput], list[Problem]]:
    """``check_bad_input(case)``: build the case, read it, assert its problems; returns every problem reported."""

    def check(case: BadInput) -> list[Problem]:
        problems = read_problems(case.build(tmp_path))
        assert_problems(problems, case.problems, case.exact)
        return problems

    return check


@pytest.fixture
def problems_in() -> Callable[[Path], list[Problem]]:
    """``problems_in(path)``: the problems reading the workbook at ``path`` reports (it must report some)."""
    return read_problems


@pytest.fixture(scope="session")
def bad_inputs() -> list[BadInput]:
    """The whole table of bad-input cases."""
    return BAD_INPUTS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``bad_input``: the cases of the requesting module (``test_cli.py`` gets all of them)."""
    if "bad_input" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    cases = BAD_INPUTS if module == "cli" else [case for case in BAD_INPUTS if case.module == module]
    assert cases, f"no bad-input cases for test_{module}.py"
    metafunc.parametrize("bad_input", cases, ids=[case.id for case in cases])


# --------------------------------------------------------------------------- both backends: SQLite and PostgreSQL

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One throwaway PostgreSQL server for the whole session (see ``tests/pg.py``).

    Without PostgreSQL's binaries the tests that need it skip, naming what to
    install; under ``CI=true`` they fail instead.
    """
    need(postgres_missing(), "PostgreSQL tests")
    cluster = Cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: a test asking for it (or for ``db_url``) runs once on each."""
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a new, empty store goes: a SQLite file path, or the ``postgresql://`` URL of a fresh schema.

    On PostgreSQL each test gets a schema of its own in the session's
    database (the URL sets it as the search path): as empty as a new
    database, and made in milliseconds where a database takes up to a second.
    """
    if backend == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_cluster").create_schema()


@pytest.fixture
def seeded_db(backend: str, seeded_store_file: Path, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A private store holding the small valid workbook, on each backend: a SQLite file path or a PostgreSQL URL."""
    if backend == "sqlite":
        target = tmp_path / "store.db"
        shutil.copyfile(seeded_store_file, target)
        return str(target)
    url = request.getfixturevalue("pg_cluster").create_schema()
    store = Store(url)
    store.write_workbook(read_workbook(write_csv_folder(tmp_path / "valid", VALID)))
    store.close()
    return url


def store_rows(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: for comparing a store before and after."""
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1, 2"))]
            for name in ("teams", "people", "objectives", "key_results", "initiatives", "checkins",
                         "reflections", "changes", "retro", "course_attempts")
        }


@pytest.fixture(scope="session")
def example_db(tmp_path_factory) -> Path:
    """The example company (templates/examples/brightwell) imported once into a store file that no test changes:
    tests copy it and change the copy."""
    path = tmp_path_factory.mktemp("example-store") / "brightwell.db"
    store = Store(path)
    store.write_workbook(read_workbook(Path(__file__).resolve().parents[1] / "templates" / "examples" / "brightwell"))
    store.close()
    return path
