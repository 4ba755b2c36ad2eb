"""``okr-workshop measure``: each key result's value from its data source, recorded as a check-in."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import click

from okr_workshop.cli.exits import EXIT_BAD_INPUT, EXIT_FINDINGS
from okr_workshop.cli.params import DAY, db_option
from okr_workshop.text import printable

__all__ = ["measure"]


@click.command()
@click.argument("measures", type=click.Path(path_type=Path), required=False)
@click.option("--as-of", "as_of", type=DAY,
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
    from tqdm import tqdm  # noqa: PLC0415 - only when the command runs

    from okr_workshop.measure import MeasuresError, sources_to_run  # noqa: PLC0415 - only when the command runs
    from okr_workshop.measure import measure as run_measures  # noqa: PLC0415 - only when the command runs
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    try:
        sources = sources_to_run(store, measures)
    except MeasuresError as error:
        click.echo(f"okr-workshop: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
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
        sys.exit(EXIT_FINDINGS)
