"""The quarter on the record: ``okr-workshop adjust`` changes a key result, ``okr-workshop reflect`` looks back."""

from __future__ import annotations

import click

from okr_workshop.cli.exits import refuse
from okr_workshop.cli.params import db_option
from okr_workshop.exceptions import InputError

__all__ = ["adjust", "reflect"]


@click.command(context_settings={"ignore_unknown_options": True})
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
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs
    from okr_workshop.tracking.review import adjust as adjust_key_result  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    values = {"title": title, "start": start, "target": target, "unit": unit, "due": due, "weight": weight}
    try:
        done = adjust_key_result(store, key_result, values, reason=reason, author=author, date=date)
    except InputError as error:
        refuse(error)
    if not done.changed:
        click.echo(f"{done.key_result}: nothing to change (every value is already so).")
        return
    for field, old, new in done.changed:
        click.echo(f"{done.key_result}: {field} {old if old is not None else '(empty)'} -> "
                   f"{new if new is not None else '(empty)'} on {done.date.isoformat()}.")


@click.command(context_settings={"ignore_unknown_options": True})
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
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs
    from okr_workshop.tracking.review import reflect as record_reflection  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    try:
        row = record_reflection(store, objective, author=author, score=score, worked=worked,
                                did_not_work=did_not_work, learned=learned, next=next_, date=date)
    except InputError as error:
        refuse(error)
    extra = [f"score {row['score']:g}"] if row["score"] is not None else []
    extra += [f"next: {row['next']}"] if row["next"] else []
    click.echo(f"Recorded {row['author']}'s reflection on {row['objective']} on {row['date'].isoformat()}"
               + (f" ({', '.join(extra)})" if extra else "") + ".")
