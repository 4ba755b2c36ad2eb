"""``okr-workshop checkin``: record where a key result stands."""

from __future__ import annotations

import click

from okr_workshop.cli.exits import refuse
from okr_workshop.cli.params import db_option
from okr_workshop.exceptions import InputError

__all__ = ["checkin"]


@click.command(context_settings={"ignore_unknown_options": True})
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
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs
    from okr_workshop.tracking.checkins import record_checkin  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    try:
        record = record_checkin(store, key_result, value, confidence=confidence, note=note, author=author,
                                date=date)
    except InputError as error:
        refuse(error)
    extra = [f"confidence {record.confidence:g}"] if record.confidence is not None else []
    extra += [f"by {record.author}"] if record.author else []
    click.echo(f"Recorded {record.key_result} at {record.value:g} on {record.date.isoformat()}"
               + (f" ({', '.join(extra)})" if extra else "") + ".")
