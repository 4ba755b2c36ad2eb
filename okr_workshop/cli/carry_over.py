"""``okr-workshop carry-over``: unfinished key results into the next quarter."""

from __future__ import annotations

import click

from okr_workshop.cli.exits import refuse
from okr_workshop.cli.params import QUARTER, db_option
from okr_workshop.exceptions import InputError
from okr_workshop.text import printable

__all__ = ["carry_over"]


@click.command("carry-over")
@click.option("--from", "from_quarter", required=True, type=QUARTER, help="The quarter that ended (YYYY-Qn).")
@click.option("--to", "to_quarter", required=True, type=QUARTER, help="The quarter to carry into (YYYY-Qn).")
@click.option("--dry-run", is_flag=True, help="Say what would be carried over; write nothing.")
@db_option
def carry_over(from_quarter: str, to_quarter: str, dry_run: bool, db: str | None) -> None:
    """Copy unfinished key results into the next quarter, their last value as the new start.

    Each copy names the key result it continues (carried_from), under a copy
    of its objective. Running it again creates nothing new.
    """
    from okr_workshop.store.database import Store  # noqa: PLC0415 - only when the command runs
    from okr_workshop.tracking.carryover import carry_over as carry  # noqa: PLC0415 - only when the command runs
    from okr_workshop.tracking.carryover import plan_carry_over  # noqa: PLC0415 - only when the command runs

    store = Store(db, create=False)
    try:
        if dry_run:
            result = plan_carry_over(store.read_workbook(), from_quarter, to_quarter)
        else:
            result = carry(store, from_quarter, to_quarter)
    except InputError as error:
        refuse(error)
    verb = "Would carry" if dry_run else "Carried"
    click.echo(f"{verb} {_count(len(result.key_results), 'unfinished key result')} from {result.from_quarter} to "
               f"{result.to_quarter}, with {_count(len(result.objectives), 'new objective')}; {result.finished} done "
               f"and stay behind"
               + (f"; {result.carried_before} carried earlier" if result.carried_before else "")
               + (f"; {result.dropped} left behind: the review dropped their objective" if result.dropped else "")
               + ".")
    for finding in result.findings:
        click.echo(f"  {finding.severity.upper()} {printable(finding.message)}")


def _count(n: int, noun: str) -> str:
    """``1 key result``, ``2 key results``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
