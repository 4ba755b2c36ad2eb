"""The index of the workshop apps that ``notebooks/index.ipynb`` shows: one link per app, in workshop order.

Each app's title and one line on what it is for are the app's own
(:attr:`okr_workshop.apps.base.App.title` and ``intro``), so the index says what
the app itself says. The page is the template ``templates/index.html``, every
text escaped. Importing this module imports every app (pandas, ipywidgets): the
index page's kernel does; starting a server does not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import jinja2

from okr_workshop.apps import (
    CascadeApp,
    CheckinsApp,
    CompanyObjectivesApp,
    FacilitatorDashboard,
    IndividualApp,
    OnboardingCourse,
    ReviewApp,
)
from okr_workshop.identity import LINKS_VAR, QUERY_VAR

__all__ = ["APPS", "App", "apps_index_html"]


@dataclass(frozen=True)
class App:
    """One workshop app in the index: its notebook (without ``.ipynb``), a title and one line on what it is for."""

    notebook: str
    title: str
    description: str


APPS: tuple[App, ...] = tuple(
    App(notebook, app.title, app.intro) for notebook, app in (
        ("01_company_objectives", CompanyObjectivesApp),
        ("02_cascade", CascadeApp),
        ("03_individual_okrs", IndividualApp),
        ("04_onboarding_course", OnboardingCourse),
        ("05_checkins", CheckinsApp),
        ("07_quarter_review", ReviewApp),
        ("06_facilitator_dashboard", FacilitatorDashboard),
    )
)
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
    return _templates().get_template("index.html").render(apps=links)


def _personal_token_of_this_page() -> str | None:
    """In a kernel of a server with personal links, the token its page was opened with (None elsewhere)."""
    if not os.environ.get(LINKS_VAR):
        return None
    return parse_qs(os.environ.get(QUERY_VAR, "")).get("token", [None])[-1] or None


@cache
def _templates() -> jinja2.Environment:
    """The templates of ``okr_workshop/server/templates/``, escaping every value they show."""
    return jinja2.Environment(loader=jinja2.PackageLoader("okr_workshop.server", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
