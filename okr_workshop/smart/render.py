"""The SMART check for people: text grouped for a terminal, a standalone page for a projector (``check_page.html``)."""

from __future__ import annotations

import html
from collections.abc import Callable

import click
from markupsafe import Markup

from okr_workshop.pages import render, stylesheet
from okr_workshop.smart.check import SMART, KeyResultCheck, WorkbookCheck
from okr_workshop.text import printable

__all__ = ["CSS", "finding_html", "render_html", "render_text", "smart_badges_html"]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _summary_line(report: WorkbookCheck) -> str:
    s = report.summary
    return (f"{_count(s['objectives'], 'objective')}, {_count(s['key_results'], 'key result')}: "
            f"{_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')}")

_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_LABELS = {"specific": "S", "measurable": "M", "achievable": "A", "relevant": "R", "time_bound": "T"}


def _smart_badge(kr: KeyResultCheck) -> str:
    return "".join(letter if kr.smart[criterion] else "·" for criterion, letter in _LABELS.items())


def render_text(report: WorkbookCheck, colour: bool = False) -> str:
    """Findings grouped by objective; ``colour`` adds terminal colours.

    What the workbook holds (ids, titles, findings quoting them) goes through
    :func:`~okr_workshop.text.printable`: a control character shows as an escape, never acts on the terminal.
    """

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if colour else text

    lines = []
    for objective in report.objectives:
        lines.append(style(printable(f"{objective.facts.id}  {objective.facts.title}"), bold=True))
        for finding in objective.findings:
            lines.append(f"  {style(finding.severity.upper(), fg=_COLOURS[finding.severity])} "
                         f"{finding.rule}: {printable(finding.message)}")
            lines.append(f"      → {printable(finding.suggestion)}")
        for kr in objective.key_results:
            mark = style("✓", fg="green") if not kr.findings else " "
            lines.append(f"  {mark} [{_smart_badge(kr)}] "
                         + printable(f"{kr.facts.id}  {kr.facts.title}  ({kr.facts.kind.kind})"))
            for finding in kr.findings:
                lines.append(f"      {style(finding.severity.upper(), fg=_COLOURS[finding.severity])} "
                             f"{finding.rule}: {printable(finding.message)}")
                lines.append(f"        → {printable(finding.suggestion)}")
        lines.append("")
    lines.append(style(_summary_line(report), bold=True))
    lines.append("[SMART] letters show the criteria a key result meets; · marks one it does not yet meet.")
    return "\n".join(lines)


CSS = stylesheet("check_page.css")
"""The check page's stylesheet (``templates/check_page.css``), which the apps' pages start from too."""


def _as_markup(build: Callable[..., str]) -> Callable[..., Markup]:
    """``build`` with its HTML marked safe for a template: for the functions below, which escape all they put in."""
    return lambda *args: Markup(build(*args))


def finding_html(finding) -> str:
    """One finding: severity, message and suggestion, escaped."""
    return (f'<div class="f {finding.severity}"><span class="sev">{finding.severity}</span>'
            f'{html.escape(finding.message)}<div class="sug">{html.escape(finding.suggestion)}</div></div>')


def smart_badges_html(kr: KeyResultCheck) -> str:
    """The five SMART letters, green where the key result meets the criterion, red where not yet."""
    return "".join(
        f'<span class="badge {"ok" if kr.smart[c] else "no"}" title="{c.replace("_", "-")}">{_LABELS[c]}</span>'
        for c in SMART
    )


def render_html(report: WorkbookCheck, title: str = "SMART check") -> str:
    """A standalone page (no request to any other host): every objective, key result and finding, escaped."""
    return render("check_page.html", report=report, title=title, summary=_summary_line(report), css=Markup(CSS),
                  finding_html=_as_markup(finding_html), smart_badges_html=_as_markup(smart_badges_html))
