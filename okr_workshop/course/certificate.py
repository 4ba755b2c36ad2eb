"""The onboarding certificate: a one-page HTML (and PDF) naming the learner and the OKRs they passed with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from markupsafe import Markup

from okr_workshop.filenames import file_stem
from okr_workshop.io.output import atomic_file
from okr_workshop.pages import render, stylesheet
from okr_workshop.pdf import html_to_pdf
from okr_workshop.workbook import Workbook

__all__ = ["certificate_html", "certificate_stem", "write_certificate"]


class _PassedObjective(NamedTuple):
    """One of the learner's objectives as the certificate names it: its title, the one it supports, its key results."""

    title: str
    supports: str | None
    key_results: list[str]


def _passed_objectives(workbook: Workbook, person: str) -> list[_PassedObjective]:
    """``person``'s individual objectives in ``workbook``, each with its parent's title and its key results' titles."""
    objectives = workbook["objectives"]
    own = objectives[(objectives["owner"] == person) & (objectives["level"] == "individual")]
    krs = workbook["key_results"]
    titles = dict(zip(objectives["id"], objectives["title"], strict=True))
    return [_PassedObjective(row.title, titles.get(row.parent) if isinstance(row.parent, str) else None,
                            list(krs.loc[krs["objective"] == row.id, "title"]))
            for row in own.itertuples(index=False)]


def certificate_html(name: str, course: str, workbook: Workbook, person: str, passed_on: dt.date) -> str:
    """The certificate page (the template ``certificate.html``); every text from the store or the learner is escaped."""
    return render("certificate.html", name=name, course=course, objectives=_passed_objectives(workbook, person),
                  passed_on=passed_on, css=Markup(stylesheet("certificate.css")))


def certificate_stem(person: str) -> str:
    """The certificate's file name without extension: ``certificate-<person>``, distinct for every person id.

    A person id that is not a safe lower-case file name as it stands gets a
    hash of itself added (see :mod:`okr_workshop.filenames`), so two people
    never share a certificate, and one person's is always the same file.
    """
    return file_stem("certificate", person)


def write_certificate(folder: str | Path, page: str, person: str, pdf: bool = True) -> list[Path]:
    """Write the certificate as ``certificate-<person>.html`` (and ``.pdf``) in ``folder``; returns the files.

    The name is :func:`certificate_stem`'s: a later certificate of the same
    person replaces the earlier one, and no one else's.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / f"{certificate_stem(person)}.html"
    with atomic_file(html_path) as staging:
        staging.write_text(page, encoding="utf-8")
    files = [html_path]
    if pdf:
        files.append(html_to_pdf(html_path, html_path.with_suffix(".pdf")))
    return files
