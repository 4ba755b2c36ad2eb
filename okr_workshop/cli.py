"""The ``okr-workshop`` command: each command a few lines handing its options to one library call."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from okr_workshop import __version__
from okr_workshop.exceptions import OkrWorkshopError, Problem, WorkbookError

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "main"]

EXIT_OK = 0
"""Everything worked; no error findings."""
EXIT_FINDINGS = 1
"""The command ran and found errors (SMART errors, a failed report)."""
EXIT_BAD_INPUT = 2
"""The input could not be read or is invalid; nothing was written."""

MAX_SHOWN = 200
"""Problems printed in text form; the rest are counted."""

DB_HELP = "The store: a SQLite file or a SQLAlchemy URL (default: $OKR_WORKSHOP_DB, else ./workshop.db)."
_QUARTER = re.compile(r"\d{4}-Q[1-4]")

db_option = click.option("--db", metavar="PATH|URL", default=None, help=DB_HELP)


def _quarter(_ctx, _param, value: str | None) -> str | None:
    if value is not None and not _QUARTER.fullmatch(value.strip().upper()):
        raise click.BadParameter(f"{value!r} is not a quarter; write YYYY-Qn, such as 2026-Q3")
    return value.strip().upper() if value else None


def _report_problems(error: WorkbookError, fmt: str = "text") -> None:
    if fmt == "json":
        click.echo(json.dumps({"ok": False, "problems": [_problem_json(p) for p in error.problems]}, indent=2))
    else:
        count = len(error.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was written:", err=True)
        for problem in error.problems[:MAX_SHOWN]:
            click.echo(f"  {problem}", err=True)
        if count > MAX_SHOWN:
            click.echo(f"  ... and {count - MAX_SHOWN:,} more of the same kinds", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _problem_json(problem: Problem) -> dict:
    return {
        "path": problem.path, "sheet": problem.sheet, "row": problem.row, "column": problem.column,
        "found": problem.found, "expected": problem.expected, "message": str(problem),
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="okr-workshop")
def main() -> None:
    """Run OKR workshops: import teams and OKRs, check them, track the quarter, review it."""


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
def validate(workbook: Path, fmt: str) -> None:
    """Read WORKBOOK (a CSV folder, .xlsx or .yaml) and report every problem; writes nothing.

    Exit status 0 when it is valid, 2 when it is not.
    """
    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.summary import summary_lines  # noqa: PLC0415

    try:
        book = read_workbook(workbook)
    except WorkbookError as error:
        _report_problems(error, fmt)
    if fmt == "json":
        click.echo(json.dumps({"ok": True, "counts": book.counts(), "problems": []}, indent=2))
    else:
        click.echo(f"{workbook} is valid:")
        for line in summary_lines(book):
            click.echo(f"  {line}")


@main.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@db_option
def import_(workbook: Path, db: str | None) -> None:
    """Check WORKBOOK and store all of it in one transaction, or nothing.

    Rows whose id is already stored are replaced; check-ins already stored are
    not added twice. Exit status 0 when stored, 2 when the workbook has problems.
    """
    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.store import Store, database_url  # noqa: PLC0415

    url = database_url(db)
    new_file = url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()
    store = None if new_file else Store(db)  # a new store file is created only for a valid workbook
    try:
        book = read_workbook(workbook, known=store.known_ids() if store else None)
    except WorkbookError as error:
        _report_problems(error)
    store = store or Store(db)
    result = store.write_workbook(book)
    click.echo(f"Imported {workbook} into {store.url.removeprefix('sqlite:///')}:")
    for name, added in result.added.items():
        replaced = result.replaced.get(name, 0)
        click.echo(f"  {name}: {added} added" + (f", {replaced} replaced" if replaced else ""))


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@db_option
@click.option("--quarter", callback=_quarter, help="Only this quarter's objectives (YYYY-Qn).")
@click.option("--viewer", metavar="PERSON",
              help="Only what this person may see (leave out for a full backup of the store).")
def export(out: Path, db: str | None, quarter: str | None, viewer: str | None) -> None:
    """Write the store to OUT: a folder (CSV files), a .xlsx or a .yaml file.

    Text that a spreadsheet would run as a formula is neutralised with a leading '.
    """
    from okr_workshop.io import write_workbook  # noqa: PLC0415
    from okr_workshop.store import Store  # noqa: PLC0415

    store = Store(db, create=False)
    if viewer is not None and viewer not in store.known_ids()["people"]:
        raise click.BadParameter(f"{viewer!r} is no person in the store", param_hint="--viewer")
    book = store.read_workbook(quarter=quarter, viewer=viewer)
    write_workbook(book, out)
    counts = book.counts()
    click.echo(f"Wrote {out}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@main.command()
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
    from okr_workshop.check import Checker, check_workbook  # noqa: PLC0415
    from okr_workshop.rules import load_config, registry  # noqa: PLC0415

    if list_rules:
        click.echo(_rules_listing(registry, load_config(config)))
        return
    book = _load_for_check(workbook, db)
    report = check_workbook(book, Checker(load_config(config)))
    text = _render_check(report, fmt, colour=out is None and sys.stdout.isatty())
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Wrote {out}")
    else:
        click.echo(text)
    sys.exit(EXIT_FINDINGS if report.summary["errors"] else EXIT_OK)


def _load_for_check(workbook: Path | None, db: str | None):
    from okr_workshop.io import read_workbook  # noqa: PLC0415
    from okr_workshop.store import Store  # noqa: PLC0415

    if workbook is None:
        return Store(db, create=False).read_workbook()
    try:
        return read_workbook(workbook)
    except WorkbookError as error:
        _report_problems(error)


def _render_check(report, fmt: str, colour: bool) -> str:
    from okr_workshop.check_render import render_html, render_text  # noqa: PLC0415

    if fmt == "json":
        return json.dumps(report.as_json(), indent=2, ensure_ascii=False)
    if fmt == "html":
        return render_html(report)
    return render_text(report, colour=colour)


def _rules_listing(registry, settings: dict[str, str]) -> str:
    lines = []
    for rule in registry:
        severity = settings.get(rule.code, rule.severity)
        lines.append(f"{rule.code:38} {rule.criterion:11} {severity:8} {rule.summary()}")
        for label in ("Weak", "Better"):
            if example := rule.example(label):
                lines.append(f"{'':38} {label.lower():>6}: {example}")
    return "\n".join(lines)


@main.command()
@db_option
def summary(db: str | None) -> None:
    """Print what the store holds: teams, people, objectives per level, key results, check-ins."""
    from okr_workshop.store import Store  # noqa: PLC0415
    from okr_workshop.summary import summary_lines  # noqa: PLC0415

    store = Store(db, create=False)
    click.echo(f"The store {store.url.removeprefix('sqlite:///')} holds:")
    for line in summary_lines(store.read_workbook()):
        click.echo(f"  {line}")


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
def template(out: Path) -> None:
    """Write a blank workbook to OUT for a facilitator to fill: a folder (CSV files), .xlsx or .yaml.

    The .xlsx has a README sheet explaining every column; a folder gets a COLUMNS.md.
    """
    from okr_workshop.io import write_workbook  # noqa: PLC0415
    from okr_workshop.schema import column_guide  # noqa: PLC0415
    from okr_workshop.workbook import Workbook  # noqa: PLC0415

    write_workbook(Workbook(), out)
    if out.is_dir():
        (out / "COLUMNS.md").write_text(column_guide(), encoding="utf-8")
    click.echo(f"Wrote a blank workbook to {out}")


def run() -> None:
    """Entry point that turns our own errors into a message and exit status 2."""
    try:
        main(standalone_mode=True)
    except OkrWorkshopError as error:
        click.echo(f"okr-workshop: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
