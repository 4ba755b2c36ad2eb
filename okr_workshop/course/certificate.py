"""The onboarding certificate: a one-page HTML (and PDF) naming the learner and the OKRs they passed with."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from okr_workshop.filenames import file_stem
from okr_workshop.io.output import atomic_file
from okr_workshop.pdf import html_to_pdf
from okr_workshop.workbook import Workbook

__all__ = ["certificate_html", "certificate_stem", "write_certificate"]

_CSS = """
@page{size:A4 landscape;margin:14mm}
body{font-family:Georgia,"DejaVu Serif",serif;color:#1d2430;margin:0}
.frame{border:6px double #2b5b84;padding:26px 40px;min-height:150mm}
h1{font-size:34px;margin:6px 0 2px;color:#2b5b84;letter-spacing:.5px}
.sub{font-family:system-ui,sans-serif;color:#596273;margin:0 0 18px}
.name{font-size:30px;margin:14px 0 4px}.what{font-size:17px;margin:0 0 16px}
h2{font-family:system-ui,sans-serif;font-size:15px;margin:10px 0 2px}
ul{margin:2px 0 8px 0;font-family:system-ui,sans-serif;font-size:13px}
.foot{font-family:system-ui,sans-serif;font-size:12px;color:#596273;margin-top:16px}
"""


def certificate_html(name: str, course: str, workbook: Workbook, person: str, passed_on: dt.date) -> str:
    """The certificate page; every text from the store or the learner is escaped."""
    objectives = workbook["objectives"]
    own = objectives[(objectives["owner"] == person) & (objectives["level"] == "individual")]
    krs = workbook["key_results"]
    titles = dict(zip(objectives["id"], objectives["title"], strict=True))
    parts = [(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Certificate: '
              f"{html.escape(name)}</title><style>{_CSS}</style></head><body><div class=\"frame\">"),
             f"<h1>Certificate</h1><p class=\"sub\">{html.escape(course)}</p>",
             f'<p class="name">{html.escape(name)}</p>',
             ('<p class="what">has learnt how OKRs work and written their first objectives and key results, '
              "each measurable, time-bound and aligned to their team.</p>")]
    for row in own.itertuples(index=False):
        parent = titles.get(row.parent) if isinstance(row.parent, str) else None
        parts.append(f"<h2>{html.escape(row.title)}</h2>")
        if parent:
            parts.append(f'<div class="sub">supports: {html.escape(parent)}</div>')
        items = "".join(f"<li>{html.escape(kr.title)}</li>"
                        for kr in krs[krs["objective"] == row.id].itertuples(index=False))
        parts.append(f"<ul>{items}</ul>")
    parts.append(f'<p class="foot">Passed on {passed_on:%d %B %Y}.</p></div></body></html>')
    return "".join(parts)


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
