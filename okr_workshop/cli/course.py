"""``okr-workshop course``: the onboarding course's commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from okr_workshop.cli.exits import EXIT_FINDINGS, EXIT_OK, read_or_exit
from okr_workshop.cli.params import QUARTER
from okr_workshop.text import printable

__all__ = ["course"]


@click.group()
def course() -> None:
    """The onboarding course: grade a new hire's final exercise."""


@course.command("grade")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--person", required=True, metavar="PERSON", help="The learner (a person id in the workbook).")
@click.option("--quarter", type=QUARTER, help="Only this quarter's objectives (default: all of theirs).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
def grade(workbook: Path, person: str, quarter: str | None, fmt: str) -> None:
    """Grade PERSON's own OKRs in WORKBOOK as the course's final exercise does.

    They pass with one to three objectives of two to five key results each,
    no error finding, every key result measurable and time-bound, and at
    least one objective aligned to a team objective. Exit 0 passed, 1 not
    yet, 2 unreadable workbook.
    """
    from okr_workshop.course.lessons import grade_okrs  # noqa: PLC0415 - only when the command runs

    verdict = grade_okrs(read_or_exit(workbook), person, quarter)
    if fmt == "json":
        click.echo(json.dumps(verdict.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"{printable(person)}: {'passed' if verdict.passed else 'not yet passed'}")
        for reason in verdict.reasons:
            click.echo(f"  - {printable(reason)}")
    sys.exit(EXIT_OK if verdict.passed else EXIT_FINDINGS)
