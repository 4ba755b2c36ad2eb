"""The index of the workshop apps that ``notebooks/index.ipynb`` shows: one link per app, in workshop order.

Each app's title and one line on what it is for are the app's own
(:attr:`okr_workshop.apps.base.App.title` and ``intro``), so the index says what
the app itself says. They are read from the apps' source rather than by
importing the apps, which would load pandas, SQLAlchemy and ipywidgets into the
index page's kernel and more than double its time to show (about 2.2 s against
0.9 s); ``tests/test_serve.py`` checks the reading against the imported classes.
The page is the template ``templates/index.html``, every text escaped.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from okr_workshop.identity import LINKS_VAR, QUERY_VAR
from okr_workshop.pages import render

__all__ = ["APPS", "CATALOGUE", "App", "apps_index_html"]


@dataclass(frozen=True)
class App:
    """One workshop app in the index: its notebook (without ``.ipynb``), a title and one line on what it is for."""

    notebook: str
    title: str
    description: str


APPS_FOLDER = Path(__file__).resolve().parent.parent / "apps"

CATALOGUE = (
    ("01_company_objectives", "company", "CompanyObjectivesApp"),
    ("02_cascade", "cascade", "CascadeApp"),
    ("03_individual_okrs", "individual", "IndividualApp"),
    ("04_onboarding_course", "course", "OnboardingCourse"),
    ("05_checkins", "checkins", "CheckinsApp"),
    ("07_quarter_review", "review", "ReviewApp"),
    ("06_facilitator_dashboard", "dashboard", "FacilitatorDashboard"),
)
"""Each app's notebook, the module of ``okr_workshop.apps`` holding its class, and the class, in workshop order."""


def _class_text(module: str, name: str) -> dict[str, str]:
    """The string class attributes ``title`` and ``intro`` of class ``name`` in ``okr_workshop/apps/<module>.py``."""
    path = APPS_FOLDER / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return {target.id: statement.value.value for statement in node.body
                    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
                    for target in statement.targets if isinstance(target, ast.Name)
                    and target.id in ("title", "intro")}
    raise LookupError(f"{path} has no class {name}")


def _catalogue() -> tuple[App, ...]:
    apps = []
    for notebook, module, name in CATALOGUE:
        text = _class_text(module, name)
        if set(text) != {"title", "intro"}:
            raise LookupError(f"okr_workshop/apps/{module}.py: {name} must set title and intro as plain strings")
        apps.append(App(notebook, text["title"], text["intro"]))
    return tuple(apps)


APPS: tuple[App, ...] = _catalogue()
"""The apps in workshop order."""


def apps_index_html(notebooks_dir: str | os.PathLike | None = None, base_url: str | None = None,
                    token: str | None = None) -> str:
    """An HTML list of the workshop apps whose notebook is in ``notebooks_dir``, in workshop order.

    ``notebooks_dir`` defaults to the current directory (a kernel starts in its
    notebook's folder); each link opens the app in Voila under ``base_url``
    (default: ``$VOILA_BASE_URL``, else ``/``), carrying ``token`` (default: on
    a server with personal links, the token this page was opened with, so
    each app knows the person). Every text is HTML-escaped.
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else Path.cwd()
    base = base_url if base_url is not None else os.environ.get("VOILA_BASE_URL") or "/"
    base = base if base.endswith("/") else base + "/"
    token = token if token is not None else _personal_token_of_this_page()
    query = f"?{urlencode({'token': token})}" if token else ""
    present = [app for app in APPS if (folder / f"{app.notebook}.ipynb").is_file()]
    links = [(app, f"{base}voila/render/{app.notebook}.ipynb{query}") for app in present]
    return render("app_index.html", apps=links)


def _personal_token_of_this_page() -> str | None:
    """In a kernel of a server with personal links, the token its page was opened with (None elsewhere)."""
    if not os.environ.get(LINKS_VAR):
        return None
    return parse_qs(os.environ.get(QUERY_VAR, "")).get("token", [None])[-1] or None
