"""The ``okr-workshop`` command: each command a few lines handing its options to one library call.

One module per command, or per small family of commands; :mod:`~okr_workshop.cli.params`
holds the parameters they share and :mod:`~okr_workshop.cli.exits` their exit statuses.
A command's module imports what the command needs (pandas, the store) when it runs, so
the command line starts fast.
"""

from __future__ import annotations

import sys

import click

from okr_workshop import __version__
from okr_workshop.cli.carry_over import carry_over
from okr_workshop.cli.check import check
from okr_workshop.cli.checkins import checkin
from okr_workshop.cli.course import course
from okr_workshop.cli.exits import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK
from okr_workshop.cli.measure import measure
from okr_workshop.cli.report import report_command
from okr_workshop.cli.review import adjust, reflect
from okr_workshop.cli.status import status
from okr_workshop.cli.workbooks import export, import_, summary, template, validate
from okr_workshop.exceptions import OkrWorkshopError
from okr_workshop.server import serve_command
from okr_workshop.text import printable

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="okr-workshop")
def main() -> None:
    """Run OKR workshops: import teams and OKRs, check them, track the quarter, review it."""


main.add_command(validate)
main.add_command(import_)
main.add_command(export)
main.add_command(template)
main.add_command(summary)
main.add_command(check)
main.add_command(checkin)
main.add_command(adjust)
main.add_command(reflect)
main.add_command(status)
main.add_command(measure)
main.add_command(carry_over)
main.add_command(course)
main.add_command(report_command)
main.add_command(serve_command, "serve")


def run() -> None:
    """Entry point that turns our own errors into a message and exit status 2."""
    try:
        main(standalone_mode=True)
    except OkrWorkshopError as error:
        # line by line: a server's log tail keeps its lines, and no line can act on the terminal
        click.echo("okr-workshop: " + "\n".join(printable(line) for line in str(error).splitlines()), err=True)
        sys.exit(EXIT_BAD_INPUT)
