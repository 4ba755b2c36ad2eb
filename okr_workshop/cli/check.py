"""``okr-workshop check``: the SMART check of a workbook or the store, key result by key result."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from okr_workshop.cli.exits import EXIT_FINDINGS, EXIT_OK, read_or_exit
from okr_workshop.cli.params import db_option

__all__ = ["check"]


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path), required=False)
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True,
              help="text for a terminal, json for tools (the contract's format), html for a projector.")
@click.option("--config", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A YAML file switching rules off or changing their severity: rules: {CODE: off|info|warning|error}.")
@click.option("--out", type=click.Path(path_type=Path), help="Write the result to this file instead of the screen.")
@click.option("--list-rules", is_flag=True, help="List every rule with its criterion, severity and an example.")
def check(workbook: Path | None, db: str | None, fmt: str, config: Path | None, out: Path | None,
          list_rules: bool) -> None:
    """SMART-check WORKBOOK (or the store when no workbook is given), key result by key result.

    Exit status 0 when there is no error finding, 1 when there is, 2 when the
    workbook cannot be read.
    """
    from okr_workshop.smart.check import Checker, check_workbook  # noqa: PLC0415 - only when the command runs
    from okr_workshop.smart.rules import load_config, registry  # noqa: PLC0415 - only when the command runs

    if list_rules:
        click.echo(_rules_listing(registry, load_config(config)))
        return
    report = check_workbook(_workbook_or_store(workbook, db), Checker(load_config(config)))
    text = _render(report, fmt, colour=out is None and sys.stdout.isatty())
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote {out}")
    else:
        click.echo(text)
    sys.exit(EXIT_FINDINGS if report.summary["errors"] else EXIT_OK)


def _workbook_or_store(workbook: Path | None, db: str | None):
    """WORKBOOK once it is valid (else its problems, and exit status 2), or the store's when none is given."""
    if workbook is not None:
        return read_or_exit(workbook)
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only a store check needs SQLAlchemy

    return Store(db, create=False).read_workbook()


def _render(report, fmt: str, colour: bool) -> str:
    """The check's findings as ``json``, ``html`` or ``text`` (coloured for a terminal)."""
    from okr_workshop.smart.render import render_html, render_text  # noqa: PLC0415 - only a check that has run renders

    if fmt == "json":
        return json.dumps(report.as_json(), indent=2, ensure_ascii=False)
    if fmt == "html":
        return render_html(report)
    return render_text(report, colour=colour)


def _rules_listing(registry, settings: dict[str, str]) -> str:
    """Every rule on a line (code, criterion, severity, summary), with its weak and better examples below it."""
    lines = []
    for rule in registry:
        severity = settings.get(rule.code, rule.severity)
        lines.append(f"{rule.code:38} {rule.criterion:11} {severity:8} {rule.summary()}")
        for label in ("Weak", "Better"):
            if example := rule.example(label):
                lines.append(f"{'':38} {label.lower():>6}: {example}")
    return "\n".join(lines)
