"""``okr-workshop serve --personal-links`` without a browser: the option, what it refuses, the links file, the
index carrying a person's token, and the identity provider the server signs people in with."""

from __future__ import annotations

import csv
import shutil
import stat

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from jupyter_server.auth.identity import IdentityProvider
from traitlets.utils.importstring import import_item

from okr_workshop.exceptions import ServeError
from okr_workshop.identity import HUB_USER_VAR, LINKS_VAR, QUERY_VAR, PersonalTokens
from okr_workshop.model import MEASURE_AUTHOR
from okr_workshop.server import links, process, serve_command
from okr_workshop.server.index import apps_index_html
from okr_workshop.server.links import write_personal_links
from okr_workshop.store.database import Store

AISHA = "aisha.bello@brightwell.example"


def test_the_command_documents_personal_links():
    result = CliRunner().invoke(serve_command, ["--help"])
    assert result.exit_code == 0
    assert "--personal-links FILE" in result.output and "facilitator" in result.output


def test_personal_links_are_refused_with_jupyterlab(tmp_path):
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "w.db"), "--lab",
                                                "--personal-links", str(tmp_path / "links.csv")])
    assert result.exit_code == 1 and "Leave out --lab or --personal-links" in result.output
    assert not (tmp_path / "links.csv").exists()


def test_a_store_without_people_gets_no_links(tmp_path):
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "w.db"),
                                                "--personal-links", str(tmp_path / "links.csv")])
    assert result.exit_code == 1 and "no people yet" in result.output
    assert not (tmp_path / "links.csv").exists()


def test_the_people_to_link_are_everyone_but_the_measure_author(example_db, tmp_path):
    shutil.copyfile(example_db, tmp_path / "w.db")
    with Store(tmp_path / "w.db").engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO people (id, name) VALUES (:id, :name)"),
                     {"id": MEASURE_AUTHOR, "name": "Measured from data"})
    people = links.people_to_link(str(tmp_path / "w.db"))
    everyone = Store(tmp_path / "w.db").read_workbook()["people"]
    assert {person for person, _ in people} == set(everyone["id"]) - {MEASURE_AUTHOR}
    assert (AISHA, "Aisha Bello") in people
    assert [name for _, name in people] == sorted(name for _, name in people)


def test_the_links_file_lists_each_persons_link_for_the_facilitator_alone(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("old\n")
    path.chmod(0o644)
    people = [(AISHA, "Aisha Bello"), ("x@example.org", None)]
    write_personal_links(path, people, {AISHA: "tok-a", "x@example.org": "tok-x"},
                         "http://127.0.0.1:8866/voila/render/index.ipynb")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open(encoding="utf-8") as rows:
        assert list(csv.reader(rows)) == [
            ["id", "name", "link"],
            [AISHA, "Aisha Bello", "http://127.0.0.1:8866/voila/render/index.ipynb?token=tok-a"],
            ["x@example.org", "", "http://127.0.0.1:8866/voila/render/index.ipynb?token=tok-x"],
        ]
    with pytest.raises(ServeError, match="Cannot write the personal links to"):
        write_personal_links(tmp_path / "no-such-folder" / "links.csv", people, {}, "http://x/")


def test_the_servers_kernels_know_the_hashes_and_not_the_hub_user_who_started_it(tmp_path):
    env = {HUB_USER_VAR: "rosa", LINKS_VAR: "/stale.json", "PATH": "/usr/bin"}
    tokens, hashes = links.set_identity_env(env, [(AISHA, "Aisha Bello")], "shared", tmp_path / "h.json", True)
    assert HUB_USER_VAR not in env and env[LINKS_VAR] == str(tmp_path / "h.json") == str(hashes)
    kept = PersonalTokens.read(hashes)
    assert kept.person_of(tokens[AISHA]) == AISHA and kept.is_facilitator("shared")
    assert links.set_identity_env(env, [], "shared", tmp_path / "h.json", False) == ({}, None)
    assert LINKS_VAR not in env and env["PATH"] == "/usr/bin"


def test_the_index_carries_the_pages_personal_token_on_to_the_apps(tmp_path, monkeypatch):
    (tmp_path / "03_individual_okrs.ipynb").write_text("{}")
    monkeypatch.setenv(QUERY_VAR, "token=a%2Bb&x=1")
    assert 'href="/voila/render/03_individual_okrs.ipynb"' in apps_index_html(tmp_path, base_url="/")
    monkeypatch.setenv(LINKS_VAR, str(tmp_path / "hashes.json"))
    assert 'href="/voila/render/03_individual_okrs.ipynb?token=a%2Bb"' in apps_index_html(tmp_path, base_url="/")
    assert 'href="/voila/render/03_individual_okrs.ipynb?token=%22%3E"' in apps_index_html(
        tmp_path, base_url="/", token='">')


def test_voila_signs_people_in_with_the_personal_links_provider(tmp_path, monkeypatch):
    command = process._voila_command(tmp_path, 8866, tmp_path, personal_links=True)
    option = next(arg for arg in command if arg.startswith("--Voila.identity_provider_class="))
    provider = import_item(option.split("=", 1)[1])
    assert issubclass(provider, IdentityProvider)
    assert not any("identity_provider" in arg for arg in process._voila_command(tmp_path, 8866, tmp_path))
    tokens, hashes = PersonalTokens.issue([AISHA], "shared")
    monkeypatch.setenv(LINKS_VAR, str(hashes.write(tmp_path / "h.json")))
    assert provider(token="shared").personal_tokens.person_of(tokens[AISHA]) == AISHA
