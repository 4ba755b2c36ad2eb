"""Workbooks in and out of the store: ``validate``, ``import``, ``export``, ``template`` and ``summary``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from okr_workshop.cli.exits import read_or_exit, report_problems
from okr_workshop.cli.params import QUARTER, db_option
from okr_workshop.exceptions import WorkbookError

__all__ = ["export", "import_", "summary", "template", "validate"]


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
def validate(workbook: Path, fmt: str) -> None:
    """Read WORKBOOK (a CSV folder, .xlsx or .yaml) and report every problem; writes nothing.

    Exit status 0 when it is valid, 2 when it is not.
    """
    from okr_workshop.summary import summary_lines  # noqa: PLC0415 - only when the command runs

    book = read_or_exit(workbook, fmt)
    if fmt == "json":
        click.echo(json.dumps({"ok": True, "counts": book.counts(), "problems": []}, indent=2))
    else:
        click.echo(f"{workbook} is valid:")
        for line in summary_lines(book):
            click.echo(f"  {line}")


@click.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@db_option
def import_(workbook: Path, db: str | None) -> None:
    """Check WORKBOOK and store all of it in one transaction, or nothing.

    Rows whose id is already stored are replaced; check-ins already stored are
    not added twice. Exit status 0 when stored, 2 when the workbook has problems.
    """
    from okr_workshop.store.imports import import_workbook  # noqa: PLC0415 - only when the command runs

    try:
        store, result = import_workbook(workbook, db)
    except WorkbookError as error:
        report_problems(error)
    click.echo(f"Imported {workbook} into {store.location}:")
    for name, added in result.added.items():
        replaced = result.replaced.get(name, 0)
        click.echo(f"  {name}: {added} added" + (f", {replaced} replaced" if replaced else ""))


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@db_option
@click.option("--quarter", type=QUARTER, help="Only this quarter's objectives (YYYY-Qn).")
@click.option("--viewer", metavar="PERSON",
              help="Only what this person may see (leave out for a full backup of the store).")
def export(out: Path, db: str | None, quarter: str | None, viewer: str | None) -> None:
    """Write the store to OUT: a folder (CSV files), a .xlsx or a .yaml file.

    Text that a spreadsheet would run as a formula is neutralised with a leading '.
    """
    from okr_workshop.io import write_workbook  # noqa: PLC0415 - only when the command runs
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    if viewer is not None and viewer not in store.known_ids()["people"]:
        raise click.BadParameter(f"{viewer!r} is no person in the store", param_hint="--viewer")
    book = store.read_workbook(quarter=quarter, viewer=viewer)
    write_workbook(book, out)
    counts = book.counts()
    click.echo(f"Wrote {out}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
def template(out: Path) -> None:
    """Write a blank workbook to OUT for a facilitator to fill: a folder (CSV files), .xlsx or .yaml.

    The .xlsx has a README sheet explaining every column; a folder gets a COLUMNS.md.
    """
    from okr_workshop.io import write_workbook  # noqa: PLC0415 - only when the command runs
    from okr_workshop.schema import column_guide  # noqa: PLC0415 - only when the command runs
    from okr_workshop.workbook import Workbook  # noqa: PLC0415 - only when the command runs

    write_workbook(Workbook(), out)
    if out.is_dir():
        (out / "COLUMNS.md").write_text(column_guide(), encoding="utf-8")
    click.echo(f"Wrote a blank workbook to {out}")


@click.command()
@db_option
def summary(db: str | None) -> None:
    """Print what the store holds: teams, people, objectives per level, key results, check-ins."""
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs
    from okr_workshop.summary import summary_lines  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    click.echo(f"The store {store.location} holds:")
    for line in summary_lines(store.read_workbook()):
        click.echo(f"  {line}")
