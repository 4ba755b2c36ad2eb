"""``okr-workshop report``: the quarterly review reports of the company, teams and people, with an index page.

The command collects the scopes from its options and hands them to
:func:`okr_workshop.reports.run.run_reports`, with the executor its
``--executor`` names (:mod:`okr_workshop.reports.executors`). What it
checks in the store first is :mod:`okr_workshop.reports.store_facts`. The
report modules load when the command runs, so the command line starts fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from okr_workshop.cli.exits import EXIT_BAD_INPUT, EXIT_FINDINGS
from okr_workshop.cli.params import DAY, QUARTER, db_option
from okr_workshop.exceptions import ReportError
from okr_workshop.text import printable

__all__ = ["report_command"]


def _formats(_ctx, _param, value: str) -> tuple[str, ...]:
    """The ``--format`` list: ``html``, ``pdf`` or both, or ``("auto",)``."""
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    if chosen == ("auto",):
        return chosen
    wrong = [f for f in chosen if f not in ("html", "pdf")]
    if wrong or not chosen:
        raise click.BadParameter(f"{value!r}: write html, pdf, html,pdf or auto")
    return chosen


def _checked(db: str | None, quarter: str, viewer: str | None) -> list[str]:
    """Every team in the store, in the order the store lists them, once the quarter and the viewer are known there.

    A quarter without objectives or an unknown viewer would fail every
    report, so they are refused before any report runs (exit status 2).
    """
    from okr_workshop.reports.store_facts import store_facts  # noqa: PLC0415 - only when the command runs

    quarters, teams, known = store_facts(db, viewer)
    if quarter not in quarters:
        click.echo(f"okr-workshop: the store has no objectives for {quarter} "
                   f"(quarters: {', '.join(quarters) or 'none yet'})", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if not known:
        click.echo(f"okr-workshop: --viewer {viewer!r} is no person in the store", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return teams


def _refuse_sqlite_for_a_remote_cluster(db: str | None, scheduler: str | None) -> None:
    """Exit with status 2 when the store is a SQLite file and the cluster's workers are on other machines."""
    from okr_workshop.reports.executors import sqlite_refusal  # noqa: PLC0415 - only --executor dask needs it
    from okr_workshop.store.url import database_url  # noqa: PLC0415 - only --executor dask needs it

    url = database_url(db)
    if refusal := sqlite_refusal(url, scheduler):
        click.echo(f"okr-workshop: --db {url.removeprefix('sqlite:///')}: {refusal}", err=True)
        sys.exit(EXIT_BAD_INPUT)


def _dask_executor(scheduler: str | None, workers: int):
    """An open :class:`~okr_workshop.reports.executors.DaskExecutor`, closed when the command ends.

    Exits with status 2 when ``distributed`` is missing or the cluster cannot be reached or started.
    """
    from okr_workshop.reports.executors import DaskExecutor  # noqa: PLC0415 - only --executor dask needs it

    try:
        executor = DaskExecutor(scheduler, workers).open()
    except ReportError as error:
        click.echo(f"okr-workshop: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.get_current_context().call_on_close(executor.close)
    return executor


def _early_kernel():
    """A kernel for a single report, started now so that it boots while the options and the store are checked.

    It is shut down when the command ends, unless the report ran on it (then
    papermill did). None if it cannot start: the report then starts its own
    kernel and says why that failed.
    """
    from okr_workshop.kernels import EarlyKernel  # noqa: PLC0415 - Jupyter's client only for a report started early

    try:
        kernel = EarlyKernel()
    except Exception:
        return None
    click.get_current_context().call_on_close(kernel.close)
    return kernel


@click.command("report")
@click.option("--quarter", required=True, type=QUARTER, help="The quarter to review (YYYY-Qn).")
@click.option("--company", is_flag=True, help="The company's report.")
@click.option("--team", "teams", multiple=True, metavar="TEAM", help="A team's report (repeat for more teams).")
@click.option("--all-teams", is_flag=True, help="A report for every team in the store.")
@click.option("--person", "persons", multiple=True, metavar="PERSON",
              help="A person's report: the objectives they own (repeat for more people).")
@click.option("--viewer", metavar="PERSON",
              help="Show what this person may see, participants-only objectives they take part in included "
                   "(default: what anyone may see, so no participants-only objective).")
@click.option("--as-of", "as_of", type=DAY,
              help="The day to judge progress on (default: today, or the quarter's last day once it is over).")
@click.option("--format", "formats", default="html", show_default=True, callback=_formats,
              help="html, pdf, html,pdf, or auto: HTML, and PDF too when this machine can print one (else a "
                   "line says how to get PDFs). PDFs are printed by Chromium, Chrome or Edge, else by WeasyPrint.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Reports rendered at a time, each on its own kernel (default: the number of CPUs). With "
                   "--executor dask and a local cluster: its worker processes (a remote cluster has its own).")
@click.option("--executor", type=click.Choice(["threads", "dask"]), default="threads", show_default=True,
              help="Where the reports render: threads of this process (--jobs at a time), or dask: the workers of a "
                   "Dask cluster (see --scheduler), which send the pages back to be written into OUT.")
@click.option("--scheduler", metavar="ADDRESS|local",
              help="With --executor dask: the cluster's scheduler, such as tcp://HOST:8786. Its workers need "
                   "okr-workshop and must reach the store, so --db must be a PostgreSQL URL unless the scheduler is on "
                   "this machine. local (the default): a cluster of --jobs worker processes started here for the run.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("reports"), show_default=True,
              help="The folder for the reports and their index.html.")
@click.option("--keep-notebooks", is_flag=True, help="Also keep each executed notebook in OUT/notebooks, for audit.")
@click.option("--template", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Another review notebook to run (default: templates/quarterly_review.ipynb).")
@db_option
def report_command(quarter: str, company: bool, teams: tuple[str, ...], all_teams: bool, persons: tuple[str, ...],
                   viewer: str | None, as_of: dt.date | None, formats: tuple[str, ...], jobs: int | None,
                   executor: str, scheduler: str | None, out: Path, keep_notebooks: bool, template: Path | None,
                   db: str | None) -> None:
    """Quarterly review reports through papermill, one per scope, with OUT/index.html linking them all.

    Name the scopes with --company, --team (repeatable), --all-teams and
    --person (repeatable). A scope that fails does not stop the others:
    every failure is listed at the end and the exit status is 1.

    With --executor dask the reports render on the workers of a Dask
    cluster (docs/dask.md); failures, the index page and the exit status
    are the same as with threads.
    """
    if not (company or teams or all_teams or persons):
        raise click.UsageError("Name at least one report: --company, --team TEAM, --all-teams or --person PERSON.")
    if scheduler is not None and executor != "dask":
        raise click.UsageError("--scheduler goes with --executor dask.")
    if executor == "dask":
        _refuse_sqlite_for_a_remote_cluster(db, scheduler)
    formats = _formats_to_write(formats)
    single = company + len(set(teams)) + len(set(persons)) == 1 and not all_teams
    kernel = _early_kernel() if single and executor == "threads" else None
    every_team = _checked(db, quarter, viewer)
    scopes = (["company"] if company else []) + [f"team:{t}" for t in (every_team if all_teams else [])]
    scopes += [f"team:{t}" for t in teams] + [f"person:{p}" for p in persons]
    jobs = jobs or os.cpu_count() or 1
    cluster = _dask_executor(scheduler, min(jobs, len(set(scopes)))) if executor == "dask" else None
    _run(db, quarter, scopes, viewer=viewer, as_of=as_of, formats=formats, jobs=jobs, out=out,
         keep_notebooks=keep_notebooks, template=template, kernel=kernel, executor=cluster)


def _formats_to_write(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The formats to write: ``auto`` becomes HTML, and PDF when this machine can print one.

    Exits with status 2 when PDF is asked for and cannot be printed.
    """
    from okr_workshop.pdf import pdf_problem  # noqa: PLC0415 - only when the command runs

    if formats == ("auto",):
        no_pdf = pdf_problem()
        if no_pdf:
            click.echo(f"okr-workshop: HTML only, no PDFs: {no_pdf}", err=True)
        return ("html",) if no_pdf else ("html", "pdf")
    if "pdf" in formats and (no_pdf := pdf_problem()):
        click.echo(f"okr-workshop: {no_pdf} Or ask for --format html.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return formats


def _run(db: str | None, quarter: str, scopes: list[str], *, out: Path, formats: tuple[str, ...], **options) -> None:
    """Run the reports, say where they are, and list every failure (exit status 1 when there is one)."""
    from okr_workshop.reports.run import run_reports  # noqa: PLC0415 - only when the command runs

    outcomes = run_reports(db, quarter, scopes, out=out, formats=formats, **options)
    failed = [o for o in outcomes if not o.ok]
    made = len(outcomes) - len(failed)
    click.echo(f"Wrote {made} report{'s' if made != 1 else ''} ({', '.join(formats)}) to {out}; "
               f"open {out / 'index.html'}")
    if failed:
        click.echo(f"{len(failed)} report{'s' if len(failed) != 1 else ''} failed:", err=True)
        for outcome in failed:
            click.echo(f"  {printable(outcome.scope)}: {printable(outcome.error)}", err=True)
        sys.exit(EXIT_FINDINGS)
