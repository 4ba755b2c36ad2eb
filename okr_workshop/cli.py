"""The ``okr-workshop`` command: each command a few lines handing its options to one library call."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path

import click

from okr_workshop import __version__
from okr_workshop.exceptions import InputError, OkrWorkshopError, Problem, WorkbookError
from okr_workshop.reports.command import report_command
from okr_workshop.text import printable

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


def _as_of(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, such as 2026-11-20") from None


def _refuse(error: InputError) -> None:
    """Print a refused input and exit with EXIT_BAD_INPUT."""
    click.echo(f"okr-workshop: {printable(error)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


JSON_INDENT_LIMIT = 2_000
"""Key results up to which JSON is indented for people; larger documents are compact (several times faster)."""


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
    from okr_workshop.io import read_workbook
    from okr_workshop.summary import summary_lines

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
    from okr_workshop.io import read_workbook
    from okr_workshop.store import Store, database_url

    url = database_url(db)
    new_file = url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()
    store = None if new_file else Store(db)  # a new store file is created only for a valid workbook
    try:
        book = read_workbook(workbook, known=store.known_ids() if store else None)
    except WorkbookError as error:
        _report_problems(error)
    store = store or Store(db)
    result = store.write_workbook(book)
    click.echo(f"Imported {workbook} into {store.location}:")
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
    from okr_workshop.io import write_workbook
    from okr_workshop.store import Store

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
    from okr_workshop.check import Checker, check_workbook
    from okr_workshop.rules import load_config, registry

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
    from okr_workshop.io import read_workbook
    from okr_workshop.store import Store

    if workbook is None:
        return Store(db, create=False).read_workbook()
    try:
        return read_workbook(workbook)
    except WorkbookError as error:
        _report_problems(error)


def _render_check(report, fmt: str, colour: bool) -> str:
    from okr_workshop.check_render import render_html, render_text

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
    from okr_workshop.store import Store
    from okr_workshop.summary import summary_lines

    store = Store(db, create=False)
    click.echo(f"The store {store.location} holds:")
    for line in summary_lines(store.read_workbook()):
        click.echo(f"  {line}")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("key_result")
@click.argument("value")
@click.option("--confidence", metavar="C", help="How sure the owner is to reach the target, 0 to 1 (0.7 for 70%).")
@click.option("--note", metavar="TEXT", help="What happened, what helps, what blocks.")
@click.option("--author", metavar="PERSON", help="Who checks in (a person id in the store).")
@click.option("--date", metavar="YYYY-MM-DD", help="The day the value was measured (default: today).")
@db_option
def checkin(key_result: str, value: str, confidence: str | None, note: str | None, author: str | None,
            date: str | None, db: str | None) -> None:
    """Record that KEY_RESULT stands at VALUE (a number; 38%, 1,850 and -3.5 are fine).

    Nothing is written when anything is wrong: a value that is no number, a
    confidence outside 0 to 1, an unknown key result or author, a bad date
    (exit status 2).
    """
    from okr_workshop.checkins import record_checkin
    from okr_workshop.store import Store

    store = Store(db, create=False)
    try:
        record = record_checkin(store, key_result, value, confidence=confidence, note=note, author=author,
                                date=date)
    except InputError as error:
        _refuse(error)
    extra = [f"confidence {record.confidence:g}"] if record.confidence is not None else []
    extra += [f"by {record.author}"] if record.author else []
    click.echo(f"Recorded {record.key_result} at {record.value:g} on {record.date.isoformat()}"
               + (f" ({', '.join(extra)})" if extra else "") + ".")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("key_result")
@click.option("--title", metavar="T", help="The new title.")
@click.option("--start", metavar="V", help="The new start (a number).")
@click.option("--target", metavar="V", help="The new target (a number).")
@click.option("--unit", metavar="U", help="The new unit.")
@click.option("--due", metavar="YYYY-MM-DD", help="The new due date.")
@click.option("--weight", metavar="W", help="The new weight (a number above 0).")
@click.option("--reason", metavar="TEXT", help="Why it changes (required: the team reads it at the review).")
@click.option("--author", metavar="PERSON", help="Who changes it (a person id in the store; required).")
@click.option("--date", metavar="YYYY-MM-DD", help="The day of the change (default: today).")
@db_option
def adjust(key_result: str, title: str | None, start: str | None, target: str | None, unit: str | None,
           due: str | None, weight: str | None, reason: str | None, author: str | None, date: str | None,
           db: str | None) -> None:
    """Change KEY_RESULT's title, start, target, unit, due date or weight, and keep each change on the record.

    Every changed field is recorded with who, when, the old and new value
    and why. Nothing is written when anything is wrong: an unknown key
    result or author, a value that is no number, no reason, a date before
    the quarter's start (exit status 2).
    """
    from okr_workshop.review import adjust as adjust_key_result
    from okr_workshop.store import Store

    store = Store(db, create=False)
    values = {"title": title, "start": start, "target": target, "unit": unit, "due": due, "weight": weight}
    try:
        done = adjust_key_result(store, key_result, values, reason=reason, author=author, date=date)
    except InputError as error:
        _refuse(error)
    if not done.changed:
        click.echo(f"{done.key_result}: nothing to change (every value is already so).")
        return
    for field, old, new in done.changed:
        click.echo(f"{done.key_result}: {field} {old if old is not None else '(empty)'} -> "
                   f"{new if new is not None else '(empty)'} on {done.date.isoformat()}.")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("objective")
@click.option("--author", metavar="PERSON", help="Who reflects (a person id in the store; required).")
@click.option("--score", metavar="S", help="The final score you agree, 0 to 1 (default: the computed score).")
@click.option("--worked", metavar="TEXT", help="What worked.")
@click.option("--did-not-work", "did_not_work", metavar="TEXT", help="What did not work.")
@click.option("--learned", metavar="TEXT", help="What we learned.")
@click.option("--next", "next_", metavar="keep|drop|carry", help="What next for this objective.")
@click.option("--date", metavar="YYYY-MM-DD", help="The day of the reflection (default: today).")
@db_option
def reflect(objective: str, author: str | None, score: str | None, worked: str | None, did_not_work: str | None,
            learned: str | None, next_: str | None, date: str | None, db: str | None) -> None:
    """Record a reflection on OBJECTIVE at the end of its quarter; a second one by the same author replaces the first.

    Nothing is written when anything is wrong: an unknown objective or
    author, a score outside 0 to 1, a next other than keep, drop or carry
    (exit status 2).
    """
    from okr_workshop.review import reflect as record_reflection
    from okr_workshop.store import Store

    store = Store(db, create=False)
    try:
        row = record_reflection(store, objective, author=author, score=score, worked=worked,
                                did_not_work=did_not_work, learned=learned, next=next_, date=date)
    except InputError as error:
        _refuse(error)
    extra = [f"score {row['score']:g}"] if row["score"] is not None else []
    extra += [f"next: {row['next']}"] if row["next"] else []
    click.echo(f"Recorded {row['author']}'s reflection on {row['objective']} on {row['date'].isoformat()}"
               + (f" ({', '.join(extra)})" if extra else "") + ".")


@main.command()
@db_option
@click.option("--quarter", callback=_quarter, help="The quarter (YYYY-Qn; default: the one holding --as-of).")
@click.option("--team", metavar="TEAM", help="Only this team's objectives and people (and its sub-teams').")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=_as_of,
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
    from okr_workshop.status import status_from_store
    from okr_workshop.store import Store

    store = Store(db, create=False)
    try:
        report = status_from_store(store, quarter=quarter, as_of=as_of, team=team, viewer=viewer)
    except InputError as error:
        _refuse(error)
    if charts_dir is not None:
        _write_status_charts(store, report, charts_dir, viewer)
    if fmt == "json":
        indent = 2 if len(report.key_results) <= JSON_INDENT_LIMIT else None
        click.echo(json.dumps(report.as_json(), indent=indent, ensure_ascii=False))
        return
    from okr_workshop.status_render import render_text

    width = max(80, shutil.get_terminal_size((110, 24)).columns)
    click.echo(render_text(report, colour=sys.stdout.isatty(), width=width))


def _write_status_charts(store, report, folder: Path, viewer: str | None) -> None:
    from okr_workshop import charts, tracking

    folder.mkdir(parents=True, exist_ok=True)
    book = store.read_workbook(quarter=report.quarter, viewer=viewer)
    krs = book["key_results"]
    krs = krs[krs["id"].isin(report.key_results["id"])]
    points, expected = tracking.timeline(krs, book["checkins"], book["objectives"])
    written = [
        charts.save_svg(charts.team_score_chart(report.teams), folder / "score-by-team.svg"),
        charts.save_svg(charts.confidence_chart(points), folder / "confidence.svg"),
    ]
    if krs["id"].nunique() <= charts.MANY:
        written.append(charts.save_svg(charts.progress_chart(points, expected), folder / "progress.svg"))
    else:
        click.echo(f"(progress chart left out: {krs['id'].nunique()} key results are too many lines; "
                   f"choose one --team)", err=True)
    click.echo("Wrote " + ", ".join(str(p) for p in written), err=True)


@main.command()
@click.argument("measures", type=click.Path(path_type=Path), required=False)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=_as_of,
              help="The day measured: bound to :as_of in queries, the check-ins' date (default: today).")
@click.option("--dry-run", is_flag=True, help="Run the sources and say what would be recorded; write nothing.")
@click.option("--jobs", type=click.IntRange(1, 64), default=4, show_default=True, help="Sources run side by side.")
@click.option("--timeout", type=click.FloatRange(0.1), default=60.0, show_default=True,
              help="Seconds each source may take.")
@click.option("--progress/--no-progress", default=None, help="A progress bar (default: when the output is a terminal).")
@db_option
def measure(measures: Path | None, as_of: dt.date | None, dry_run: bool, jobs: int, timeout: float,
            progress: bool | None, db: str | None) -> None:
    """Run each key result's data source in MEASURES (YAML) and record its value as a check-in.

    Sources attached to key results in the workshop forms run too (the file's
    entry wins for a key result it names); without MEASURES, only those.

    A query must return one row with one number; a notebook calls
    okr_workshop.measure.record(value). Each value is recorded with author
    "measure" and a note naming the source; a rerun on the same day replaces
    its own check-in, never a person's. Exit 0 when every source gave a value,
    1 when some failed (the others are recorded), 2 when the file cannot be read.
    """
    import logging
    import sys

    from tqdm import tqdm

    from okr_workshop.measure import MeasuresError, measure as run_measures, sources_to_run
    from okr_workshop.store import Store

    store = Store(db, create=False)
    try:
        sources = sources_to_run(store, measures)
    except MeasuresError as error:
        click.echo(f"okr-workshop: {error}", err=True)
        sys.exit(2)
    if not sources:
        click.echo("No data sources: name them in a measures file, or attach them to key results in the forms.")
        return
    day = as_of or dt.date.today()
    shown = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(sources), desc="measures", unit="source", disable=not shown, file=sys.stderr) as bar:
        outcomes = run_measures(store, sources, day, jobs=jobs, timeout=timeout, dry_run=dry_run,
                                progress=lambda _outcome: bar.update())
    verb = "Would record" if dry_run else "Recorded"
    for outcome in outcomes:
        key_result = printable(outcome.source.key_result)
        if outcome.ok:
            click.echo(f"{verb} {key_result} = {outcome.value:,.6g} on {day.isoformat()} ({outcome.note}).")
        else:
            click.echo(f"Not recorded {key_result}: {outcome.error} ({outcome.source.described()}).", err=True)
    # A notebook stopped at its time limit leaves the notebook client's poll pending; asyncio would report
    # it when this process exits, after the lines above that already say what happened.
    logging.getLogger("asyncio").disabled = True
    failed = sum(not o.ok for o in outcomes)
    click.echo(f"{len(outcomes) - failed} of {len(outcomes)} sources gave a value"
               + (f"; {failed} failed and nothing was written for them." if failed else "."))
    if failed:
        sys.exit(1)


@main.command("carry-over")
@click.option("--from", "from_quarter", required=True, callback=_quarter, help="The quarter that ended (YYYY-Qn).")
@click.option("--to", "to_quarter", required=True, callback=_quarter, help="The quarter to carry into (YYYY-Qn).")
@click.option("--dry-run", is_flag=True, help="Say what would be carried over; write nothing.")
@db_option
def carry_over(from_quarter: str, to_quarter: str, dry_run: bool, db: str | None) -> None:
    """Copy unfinished key results into the next quarter, their last value as the new start.

    Each copy names the key result it continues (carried_from), under a copy
    of its objective. Running it again creates nothing new.
    """
    from okr_workshop.carryover import carry_over as carry
    from okr_workshop.carryover import plan_carry_over
    from okr_workshop.store import Store

    store = Store(db, create=False)
    try:
        if dry_run:
            result = plan_carry_over(store.read_workbook(), from_quarter, to_quarter)
        else:
            result = carry(store, from_quarter, to_quarter)
    except InputError as error:
        _refuse(error)
    verb = "Would carry" if dry_run else "Carried"
    click.echo(f"{verb} {len(result.key_results)} unfinished key result{'s' if len(result.key_results) != 1 else ''}"
               f" from {result.from_quarter} to {result.to_quarter}, with {len(result.objectives)} new "
               f"objective{'s' if len(result.objectives) != 1 else ''}; {result.finished} done and stay behind"
               + (f"; {result.carried_before} carried earlier" if result.carried_before else "")
               + (f"; {result.dropped} left behind: the review dropped their objective" if result.dropped else "")
               + ".")
    for finding in result.findings:
        click.echo(f"  {finding.severity.upper()} {printable(finding.message)}")


@main.group()
def course() -> None:
    """The onboarding course: grade a new hire's final exercise."""


@course.command("grade")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--person", required=True, metavar="PERSON", help="The learner (a person id in the workbook).")
@click.option("--quarter", callback=_quarter, help="Only this quarter's objectives (default: all of theirs).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
def course_grade(workbook: Path, person: str, quarter: str | None, fmt: str) -> None:
    """Grade PERSON's own OKRs in WORKBOOK as the course's final exercise does.

    They pass with one to three objectives of two to five key results each,
    no error finding, every key result measurable and time-bound, and at
    least one objective aligned to a team objective. Exit 0 passed, 1 not
    yet, 2 unreadable workbook.
    """
    from okr_workshop.course import grade_okrs

    verdict = grade_okrs(_load_for_check(workbook, None), person, quarter)
    if fmt == "json":
        click.echo(json.dumps(verdict.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{printable(person)}: {'passed' if verdict.passed else 'not yet passed'}")
        for reason in verdict.reasons:
            click.echo(f"  - {printable(reason)}")
    sys.exit(EXIT_OK if verdict.passed else EXIT_FINDINGS)


main.add_command(report_command)


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
def template(out: Path) -> None:
    """Write a blank workbook to OUT for a facilitator to fill: a folder (CSV files), .xlsx or .yaml.

    The .xlsx has a README sheet explaining every column; a folder gets a COLUMNS.md.
    """
    from okr_workshop.io import write_workbook
    from okr_workshop.schema import column_guide
    from okr_workshop.workbook import Workbook

    write_workbook(Workbook(), out)
    if out.is_dir():
        (out / "COLUMNS.md").write_text(column_guide(), encoding="utf-8")
    click.echo(f"Wrote a blank workbook to {out}")


def _register_serve() -> None:
    from okr_workshop.serve import serve_command  # noqa: PLC0415 - standard library only, cheap

    main.add_command(serve_command, "serve")


_register_serve()


def run() -> None:
    """Entry point that turns our own errors into a message and exit status 2."""
    try:
        main(standalone_mode=True)
    except OkrWorkshopError as error:
        # line by line: a server's log tail keeps its lines, and no line can act on the terminal
        click.echo("okr-workshop: " + "\n".join(printable(line) for line in str(error).splitlines()), err=True)
        sys.exit(EXIT_BAD_INPUT)
