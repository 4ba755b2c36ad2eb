"""The server package without starting a server: the index of apps, the environment, ports, the store, the command.

Starting real servers (Voila, JupyterLab) is tested in ``tests/browser/test_serve.py``.
"""

from __future__ import annotations

import json
import re
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from okr_workshop.apps import CheckinsApp, CompanyObjectivesApp
from okr_workshop.exceptions import ServeError
from okr_workshop.server import index, jupyter, process, serve_command
from okr_workshop.server.index import APPS, App, apps_index_html
from okr_workshop.server.jupyter import jupyter_env, store_location
from okr_workshop.server.process import pick_port

ROOT = Path(__file__).resolve().parents[1]


def _touch_notebooks(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    return folder


def test_apps_are_the_workshop_sessions_in_order_of_the_quarter():
    assert [app.notebook for app in APPS] == [
        "01_company_objectives", "02_cascade", "03_individual_okrs",
        "04_onboarding_course", "05_checkins", "07_quarter_review", "06_facilitator_dashboard",
    ]
    assert all(app.title and app.description for app in APPS)


def test_the_index_says_what_each_app_itself_says_without_importing_the_apps():
    import importlib  # the apps are imported here on purpose, to compare
    import subprocess

    for app, (notebook, module, name) in zip(APPS, index.CATALOGUE, strict=True):
        cls = getattr(importlib.import_module(f"okr_workshop.apps.{module}"), name)
        assert (app.notebook, app.title, app.description) == (notebook, cls.title, cls.intro)
        assert (Path(index.__file__).parent.parent.parent / "notebooks" / f"{notebook}.ipynb").is_file()
    # The index page's kernel stays light: reading the catalogue imports neither pandas nor the widgets.
    probe = "import sys, okr_workshop.server.index; print(sorted({'pandas', 'ipywidgets'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_index_links_only_the_notebooks_that_exist_in_workshop_order(tmp_path):
    _touch_notebooks(tmp_path, "05_checkins", "01_company_objectives", "notes")
    page = apps_index_html(tmp_path, base_url="/")
    assert re.findall(r'href="([^"]+)"', page) == [
        "/voila/render/01_company_objectives.ipynb", "/voila/render/05_checkins.ipynb"]
    assert page.index(CompanyObjectivesApp.title) < page.index(CheckinsApp.title)


@pytest.mark.parametrize(("base_url", "expected"), [
    ("/", "/voila/render/02_cascade.ipynb"),
    ("/workshop", "/workshop/voila/render/02_cascade.ipynb"),
    ("/workshop/", "/workshop/voila/render/02_cascade.ipynb"),
])
def test_index_links_under_the_base_url(tmp_path, base_url, expected):
    _touch_notebooks(tmp_path, "02_cascade")
    assert f'href="{expected}"' in apps_index_html(tmp_path, base_url=base_url)


def test_index_takes_voilas_base_url_from_the_environment(tmp_path, monkeypatch):
    _touch_notebooks(tmp_path, "02_cascade")
    monkeypatch.setenv("VOILA_BASE_URL", "/room-1/")
    assert 'href="/room-1/voila/render/02_cascade.ipynb"' in apps_index_html(tmp_path)


def test_index_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(_touch_notebooks(tmp_path, "03_individual_okrs"))
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    assert 'href="/voila/render/03_individual_okrs.ipynb"' in apps_index_html()


def test_index_escapes_every_text(tmp_path, monkeypatch):
    monkeypatch.setattr(index, "APPS", (App("01_x", "<b>Bold</b> & co", 'say "hi" <script>'),))
    _touch_notebooks(tmp_path, "01_x")
    page = apps_index_html(tmp_path, base_url='/"><script>/')
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert 'say &#34;hi&#34; &lt;script&gt;' in page
    assert 'href="/&#34;&gt;&lt;script&gt;/voila/render/01_x.ipynb"' in page


def test_index_says_so_when_there_are_no_apps(tmp_path):
    assert "No workshop apps" in apps_index_html(tmp_path)


def test_index_notebook_is_thin_and_calls_the_index_function():
    notebook = json.loads((ROOT / "notebooks" / "index.ipynb").read_text(encoding="utf-8"))
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert len(code) == 1 and "apps_index_html()" in code[0] and "def " not in code[0]


def test_jupyter_state_stays_under_the_root(tmp_path):
    env = jupyter_env(tmp_path, "/data/workshop.db", base={"PATH": "/usr/bin", "JUPYTER_PATH": "/elsewhere"})
    state = tmp_path.resolve() / ".jupyter"
    for name, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                      ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")]:
        assert env[name] == str(state / sub)
        assert (state / sub).is_dir()
    assert env["JUPYTER_PATH"].split(":") == [str(jupyter.TEMPLATES_ROOT), "/elsewhere"]
    assert env["OKR_WORKSHOP_DB"] == "/data/workshop.db"
    assert env["PATH"] == "/usr/bin"


def test_our_voila_template_is_shipped_and_names_no_other_host():
    template = jupyter.TEMPLATES_ROOT / "voila" / "templates" / jupyter.TEMPLATE
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"
    for path in template.iterdir():
        assert not re.search(r"https?://", path.read_text(encoding="utf-8")), path.name


def test_every_file_the_package_reads_is_package_data():
    """Templates, the model file, the migration template: a wheel without them would fail where an editable
    install works.
    """
    import fnmatch  # only this test reads pyproject.toml
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = setuptools["package-data"]["okr_workshop"]
    package = ROOT / "okr_workshop"
    data = [path for path in package.rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")
            and "__pycache__" not in path.parts]
    assert any(path.parent.name == jupyter.TEMPLATE for path in data)  # the Voila template is among them
    for path in data:
        name = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


def test_project_root_is_the_checkout():
    assert jupyter.project_root() == ROOT


def test_pick_port_takes_a_free_port_or_refuses_a_busy_one():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError, match=f"Port {port} .* already in use"):
            pick_port(port, 8866)
        assert pick_port(None, port) != port
    assert 1 <= pick_port(None, 65_530) <= 65_535


def test_store_location_is_absolute_and_creates_the_tables(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    location, new = store_location("workshop.db")
    assert (location, new) == (str(tmp_path.resolve() / "workshop.db"), True)
    assert Path(location).is_file()
    assert store_location(f"sqlite:///{location}") == (location, False)
    assert store_location("sqlite:///workshop.db") == (location, False)  # relative URLs too


@pytest.mark.parametrize("db", ["sqlite://", "sqlite:///:memory:"])
def test_store_location_refuses_a_store_in_memory(db):
    with pytest.raises(ServeError, match="in-memory"):
        store_location(db)


def test_command_help_names_every_option():
    result = CliRunner().invoke(serve_command, ["--help"])
    assert result.exit_code == 0
    for option in ("--db", "--lab", "--port", "--browser / --no-browser"):
        assert option in result.output


def test_command_reports_a_missing_notebooks_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(process, "project_root", lambda: tmp_path)
    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "w.db")])
    assert result.exit_code == 1
    assert f"No notebooks folder at {tmp_path.resolve() / 'notebooks'}" in result.output


def test_command_refuses_a_busy_port(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    monkeypatch.setattr(process, "project_root", lambda: tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "w.db"), "--port", str(port)])
    assert result.exit_code == 1
    assert "already in use" in result.output


def test_lab_news_are_turned_off_keeping_other_page_settings(tmp_path):
    path = tmp_path / "labconfig" / "page_config.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"disabledExtensions": {"x:y": True}, "other": 1}))
    process._turn_off_lab_news(tmp_path)
    process._turn_off_lab_news(tmp_path)
    assert json.loads(path.read_text()) == {
        "disabledExtensions": {"x:y": True, process.LAB_NEWS_PLUGIN: True}, "other": 1}


def test_a_port_left_by_a_stopped_server_counts_as_free():
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server side closes first: its end waits in TIME_WAIT
        client.close()
    assert pick_port(port, 8866) == port


@pytest.mark.parametrize(("location", "shown"), [
    ("/data/workshop.db", "/data/workshop.db"),
    ("postgresql+psycopg://okr:s3cret@db.local/workshop", "postgresql+psycopg://okr:***@db.local/workshop"),
])
def test_a_store_url_is_printed_without_its_password(location, shown):
    assert jupyter.without_password(location) == shown
