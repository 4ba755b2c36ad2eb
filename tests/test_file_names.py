"""File names made from ids (reports by scope, certificates by person): distinct, stable, readable, inside their folder.

Two ids that once cleaned to one name (``a/b`` and ``a-b``) overwrote each
other's report and the index linked both to one file; ``Sales`` and
``sales`` are one file where the file system ignores case (macOS).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
import re
import subprocess
import sys
import unicodedata
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from okr_workshop.cli import EXIT_OK, main
from okr_workshop.course.certificate import certificate_stem, write_certificate
from okr_workshop.filenames import file_stem
from okr_workshop.reports import index
from okr_workshop.reports.run import Outcome
from okr_workshop.reports.scope import Scope, parse_scope
from okr_workshop.store.database import Store
from okr_workshop.workbook import Workbook

LONG = "team" + "x" * 296  # 300 characters, as a probe tried
NFC, NFD = unicodedata.normalize("NFC", "josé"), unicodedata.normalize("NFD", "josé")  # two ids; one name on HFS+
IDS = ["fleet", "a/b", "a-b", "A-B", "a--b", "a_b", "../x", "..", ".", "/etc/passwd", "C:\\Windows\\x",
       "\\\\host\\share", "con", "nul", "aux.txt", "com1", LONG, LONG + "y", NFC, NFD, "東京", "Zoë", "///", "-",
       "a.", ".hidden", "Sales", "sales", "SALES", "emeka.obi@brightwell.example", "Emeka.Obi@brightwell.example",
       "a\x00b", "tab\there", "line\nbreak", "50%#?&=", "ünï", "x" * 80, "x" * 81]
NAME = re.compile(r"[a-z0-9][a-z0-9._@-]*")


# --------------------------------------------------------------------------- the naming itself


@pytest.mark.parametrize(("ident", "stem"), [
    ("fleet", "team-fleet"),  # ordinary ids keep the name they always had
    ("a-b", "team-a-b"),
    ("con", "team-con"),  # a Windows device name is harmless behind the prefix
    ("product.eu_2", "team-product.eu_2"),
    ("emeka.obi@brightwell.example", "team-emeka.obi@brightwell.example"),
    ("a/b", "team-a-b--c14cddc033"),  # pinned: the same id gives this name in every run and every version
    ("A-B", "team-a-b--77101aaa54"),
    ("Sales", "team-sales--8de4e0ea73"),
    ("../x", "team-x--d6b96a97d1"),
    ("Zoë", "team-zoe--c6a1269858"),
    ("東京", "team--130016b259"),  # nothing readable left: the hash alone
    ("///", "team--732c4e9711"),
    ("..", "team--5ec1f7e700"),
])
def test_ids_get_readable_names_with_a_hash_only_when_cleaning_changed_them(ident, stem):
    assert parse_scope(f"team:{ident}").slug == stem == Scope("team", ident).slug
    assert certificate_stem(ident) == "certificate-" + stem.removeprefix("team-")


def test_the_company_is_company_and_scopes_of_one_id_but_two_kinds_differ():
    assert parse_scope("company").slug == "company"
    assert Scope("team", "fleet").slug != Scope("person", "fleet").slug


@pytest.mark.parametrize("kind", ["team", "person", "certificate"])
def test_no_two_ids_share_a_name_even_where_case_is_ignored(kind):
    stems = [file_stem(kind, ident) for ident in IDS]
    assert len({s.casefold() for s in stems}) == len(IDS), [
        (a, b) for (a, sa), (b, sb) in itertools.combinations(zip(IDS, stems, strict=True), 2)
        if sa.casefold() == sb.casefold()]
    assert all(s == s.lower() and s.isascii() for s in stems)  # no case or Unicode normalisation to merge two


def test_every_name_is_one_plain_file_name_of_a_sane_length():
    for ident in IDS:
        stem = Scope("person", ident).slug
        assert NAME.fullmatch(stem), (ident, stem)
        assert not stem.endswith(".") and ".." not in stem.split("/") and "/" not in stem and "\\" not in stem
        assert len(f"{stem}.ipynb".encode()) <= 120, (ident, len(stem))


def test_names_stay_inside_their_folder_and_distinct_on_disk(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    for ident in IDS:
        path = folder / f"{Scope('team', ident).slug}.html"
        assert path.resolve().parent == folder.resolve(), ident
        path.write_text(ident, encoding="utf-8")
    assert sorted(p.read_text(encoding="utf-8") for p in folder.iterdir()) == sorted(IDS)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_names_are_the_same_in_another_process_with_another_hash_seed():
    script = ("import sys, json; from okr_workshop.filenames import file_stem; "
              "print(json.dumps([file_stem('team', i) for i in json.loads(sys.stdin.read())]))")
    ran = subprocess.run([sys.executable, "-c", script], input=json.dumps(IDS), capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert json.loads(ran.stdout) == [file_stem("team", i) for i in IDS]


def test_the_index_links_each_report_by_its_own_quoted_name(tmp_path):
    outcomes = [Outcome(f"team:{t}", Scope("team", t).slug, ok=True, html=tmp_path / f"{Scope('team', t).slug}.html",
                        figures={"subject": f"Team {t}"}) for t in ("a/b", "a-b")]
    odd = Outcome("team:odd", "odd", ok=True, html=tmp_path / "50%#?.html", figures={"subject": "odd"})
    page = index.render_index([*outcomes, odd], "2026-Q4")
    links = dict(re.findall(r'<a href="([^"]+)">Team ([^<]+)</a>', page))
    assert links == {"team-a-b--c14cddc033.html": "a/b", "team-a-b.html": "a-b"}
    assert 'href="50%25%23%3F.html"' in page


# --------------------------------------------------------------------------- certificates


def test_people_whose_ids_once_cleaned_alike_get_a_certificate_each(tmp_path):
    people = ["ana.lima@brightwell.example", "ana.lima-brightwell.example", "Ana.Lima@brightwell.example",
              "../../ana.lima@brightwell.example", "/tmp/ana"]
    folder = tmp_path / "certificates"
    written = {p: write_certificate(folder, f"<p>certificate of {html.escape(p)}</p>", p, pdf=False) for p in people}
    assert all(len(files) == 1 and files[0].parent == folder for files in written.values())
    assert len({files[0].name.casefold() for files in written.values()}) == len(people)
    assert sorted(p.name for p in folder.iterdir()) == sorted(files[0].name for files in written.values())
    for person, files in written.items():
        assert files[0].read_text(encoding="utf-8") == f"<p>certificate of {html.escape(person)}</p>"
    assert written["ana.lima@brightwell.example"][0].name == "certificate-ana.lima@brightwell.example.html"
    assert [p.name for p in tmp_path.iterdir()] == ["certificates"]  # nothing escaped the folder

    # a second pass of the same person replaces their certificate, and no one else's
    again = write_certificate(folder, "<p>again</p>", "Ana.Lima@brightwell.example", pdf=False)
    assert again == written["Ana.Lima@brightwell.example"]
    assert len(list(folder.iterdir())) == len(people)
    page = written["ana.lima@brightwell.example"][0].read_text(encoding="utf-8")
    assert page.endswith("ana.lima@brightwell.example</p>")


# --------------------------------------------------------------------------- end to end: okr-workshop report


QUARTER = "2026-Q4"
TEAMS = {"a/b": "Slash team", "a-b": "Dash team", "A-B": "Upper team"}


@pytest.mark.integration
def test_teams_whose_ids_clean_alike_get_a_report_each_and_the_index_links_each_to_its_own(tmp_path):
    db = tmp_path / "store.db"
    store = Store(db)
    store.write_workbook(Workbook.from_records(
        teams=[{"id": t, "name": name} for t, name in TEAMS.items()],
        people=[{"id": f"lead{i}@x.example", "name": f"Lead {i}", "team": t} for i, t in enumerate(TEAMS)],
        objectives=[{"id": f"O{i}", "title": f"Objective of the {name} only", "level": "team", "quarter": QUARTER,
                     "team": t, "owner": f"lead{i}@x.example"} for i, (t, name) in enumerate(TEAMS.items())],
        key_results=[{"id": f"O{i}.1", "objective": f"O{i}", "title": f"Raise thing {i} from 0 to 10",
                      "start": 0, "target": 10, "due": dt.date(2026, 12, 31)} for i in range(len(TEAMS))],
    ))
    store.close()
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["report", "--quarter", QUARTER, "--all-teams", "--format", "html", "--jobs", "2",
                                       "--as-of", "2026-11-20", "--out", str(out), "--db", str(db)],
                                catch_exceptions=False)
    assert result.exit_code == EXIT_OK, result.output
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == sorted(["index.html", *(f"{Scope('team', t).slug}.html" for t in TEAMS)])
    assert "team-a-b.html" in pages  # the ordinary id keeps its plain name
    for team, name in TEAMS.items():
        page = (out / f"{Scope('team', team).slug}.html").read_text(encoding="utf-8")
        assert f"Objective of the {name} only" in page, team
        assert not [other for other in TEAMS.values() if other != name and f"Objective of the {other} only" in page]

    # the index: each team's row links to that team's own file
    page = (out / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<a href="([^"]+)">[^<]*</a><div class="muted">team:([^<]+)</div>', page)
    assert len(rows) == len(TEAMS), page
    for href, scope in rows:
        team = html.unescape(scope)
        target = out / unquote(html.unescape(href))
        assert target.name == f"{Scope('team', team).slug}.html" and target.exists()
        assert f"Objective of the {TEAMS[team]} only" in target.read_text(encoding="utf-8")
