"""``okr-workshop serve``: the click command around :func:`okr_workshop.server.process.serve`."""

from __future__ import annotations

from pathlib import Path

import click

from okr_workshop.exceptions import ServeError
from okr_workshop.server.process import HOST, LAB_PORT, VOILA_PORT, serve

__all__ = ["serve_command"]


@click.command("serve")
@click.option("--db", metavar="PATH|URL", default=None,
              help="The store: a SQLite file or a SQLAlchemy URL (default: $OKR_WORKSHOP_DB, else ./workshop.db).")
@click.option("--lab", is_flag=True, help="Open the notebooks in JupyterLab instead of the apps in Voila.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help=f"Port on {HOST} (default: the first free one from {VOILA_PORT}, or {LAB_PORT} with --lab).")
@click.option("--browser/--no-browser", "open_browser", default=False, show_default=True,
              help="Open the URL in a web browser on this machine.")
@click.option("--personal-links", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Give every person in the store a link of their own, written to FILE (a CSV of id, name and link "
                   "that only you can read) for you to hand out: each link opens the apps as its person, who "
                   "cannot pick anyone else. The printed URL is then the facilitator's. Not with --lab.")
def serve_command(db: str | None, lab: bool, port: int | None, open_browser: bool,
                  personal_links: Path | None) -> None:
    """Serve the workshop apps on this machine and print the URL to open; Ctrl-C stops.

    The apps run in Voila with their code hidden, each browser tab in its own
    kernel, all on one store. Nothing is fetched from the internet.
    """
    try:
        serve(db, port=port, lab=lab, open_browser=open_browser, echo=click.echo,
              personal_links=personal_links)
    except ServeError as error:
        raise click.ClickException(str(error)) from error
