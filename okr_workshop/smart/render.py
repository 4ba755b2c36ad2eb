"""The SMART check for people: grouped text for a terminal, a standalone HTML page for a projector."""

from __future__ import annotations

import html

import click

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


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;color:#1d2430;
line-height:1.45;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem}.sub{color:#596273;margin-top:0}
.obj{border:1px solid #d8dde6;border-radius:10px;padding:1rem 1.2rem;margin:1.2rem 0;background:#fff}
.obj h2{font-size:1.25rem;margin:.1rem 0 .6rem}.id{color:#596273;font-weight:500;margin-right:.5rem}
.kr{border-top:1px solid #eef0f4;padding:.6rem 0}.kr-title{font-weight:600}
.badge{display:inline-block;font-family:ui-monospace,monospace;font-size:.85rem;padding:.05rem .35rem;
border-radius:4px;margin-right:.15rem}.ok{background:#dff3e4;color:#1d6b35}.no{background:#fde2e1;color:#9b1c1c}
.kind{font-size:.8rem;color:#596273;margin-left:.4rem}
.f{margin:.35rem 0 .35rem 1rem;padding:.4rem .7rem;border-left:4px solid #ccc;background:#fafbfc}
.f.error{border-color:#c62828}.f.warning{border-color:#e0a100}.f.info{border-color:#2b7bb9}
.sev{font-weight:700;text-transform:uppercase;font-size:.75rem;margin-right:.4rem}
.sug{color:#334;margin-top:.2rem}.sug:before{content:"→ ";color:#596273}
.summary{font-size:1.2rem;font-weight:600}
"""


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
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="summary">{html.escape(_summary_line(report))}</p>',
    ]
    for objective in report.objectives:
        parts.append('<section class="obj">')
        parts.append(f'<h2><span class="id">{html.escape(objective.facts.id)}</span>'
                     f"{html.escape(objective.facts.title)}</h2>")
        parts.extend(finding_html(f) for f in objective.findings)
        for kr in objective.key_results:
            parts.append(f'<div class="kr">{smart_badges_html(kr)} <span class="id">{html.escape(kr.facts.id)}</span>'
                         f'<span class="kr-title">{html.escape(kr.facts.title)}</span>'
                         f'<span class="kind">{kr.facts.kind.kind}</span>')
            parts.extend(finding_html(f) for f in kr.findings)
            parts.append("</div>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
