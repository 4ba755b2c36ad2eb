"""``okr-workshop status``: scores, grades and statuses of a quarter, as a table, JSON or charts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import click

from okr_workshop.cli.exits import refuse
from okr_workshop.cli.params import DAY, QUARTER, db_option
from okr_workshop.exceptions import InputError

__all__ = ["JSON_INDENT_LIMIT", "status"]

JSON_INDENT_LIMIT = 2_000
"""Key results up to which JSON is indented for people; larger documents are compact (several times faster)."""


@click.command()
@db_option
@click.option("--quarter", type=QUARTER, help="The quarter (YYYY-Qn; default: the one holding --as-of).")
@click.option("--team", metavar="TEAM", help="Only this team's objectives and people (and its sub-teams').")
@click.option("--as-of", "as_of", type=DAY,
              help="The day to judge progress on (default: today); later check-ins are left out.")
@click.option("--viewer", metavar="PERSON", help="Only what this person may see, in every figure.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for a terminal, json for tools (the contract's format).")
@click.option("--charts", "charts_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write the charts as SVG files to this folder: score by team, confidence, and progress "
                   "against expected (with 10 key results or fewer, e.g. for one --team).")
def status(db: str | None, quarter: str | None, team: str | None, as_of: dt.date | None, viewer: str | None,
           fmt: str, charts_dir: Path | None) -> None:
    """Scores, grades and statuses of a quarter: every objective and key result against the time gone by."""
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs
    from okr_workshop.tracking.status import status_from_store  # noqa: PLC0415 - only when the command runs
    from okr_workshop.tracking.status_render import render_text, write_charts  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    try:
        report = status_from_store(store, quarter=quarter, as_of=as_of, team=team, viewer=viewer)
    except InputError as error:
        refuse(error)
    if charts_dir is not None:
        written = write_charts(store, report, charts_dir, viewer)
        if written.progress_left_out:
            click.echo(f"(progress chart left out: {written.key_results} key results are too many lines; "
                       f"choose one --team)", err=True)
        click.echo("Wrote " + ", ".join(str(p) for p in written.paths), err=True)
    if fmt == "json":
        indent = 2 if len(report.key_results) <= JSON_INDENT_LIMIT else None
        click.echo(json.dumps(report.as_json(), indent=indent, ensure_ascii=False))
        return
    width = max(80, shutil.get_terminal_size((110, 24)).columns)
    click.echo(render_text(report, colour=sys.stdout.isatty(), width=width))
