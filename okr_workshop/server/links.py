"""Personal links: every person of the store gets a secret token of their own, in a link the facilitator hands out.

Their link opens the apps as them (see :mod:`okr_workshop.identity`), and the
server's shared token becomes the facilitator's. The server keeps only the
tokens' hashes, in its runtime folder; its identity provider
(:data:`PERSONAL_LINKS_PROVIDER`) accepts each token, and each kernel checks
the token of its page again against the same hashes. Every run makes new links.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from urllib.parse import urlencode

from okr_workshop.exceptions import ServeError

__all__ = ["PERSONAL_LINKS_PROVIDER", "people_to_link", "set_identity_env", "write_personal_links"]

PERSONAL_LINKS_PROVIDER = "okr_workshop.server.identity_provider.PersonalLinksIdentityProvider"
"""The class Voila signs people in with on a server with personal links (it imports it by this name)."""


def people_to_link(location: str) -> list[tuple[str, str | None]]:
    """(id, name) of everyone in the store who can be given a link, by name; refused when there is nobody."""
    import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy: not at start-up

    from okr_workshop.model import MEASURE_AUTHOR  # noqa: PLC0415 - pydantic only when personal links are made
    from okr_workshop.store.database import SQL_TABLES, Store  # noqa: PLC0415 - pandas, SQLAlchemy: not at start-up

    table = SQL_TABLES["people"]
    store = Store(location)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(table.c.id, table.c.name).where(table.c.id != MEASURE_AUTHOR)
                                .order_by(table.c.name, table.c.id)).all()
    finally:
        store.close()
    if not rows:
        raise ServeError("The store has no people yet, so there is nobody to make a personal link for: import a "
                         "workbook with its people first (okr-workshop import WORKBOOK --db ...).")
    return [(row.id, row.name) for row in rows]


def set_identity_env(env: dict[str, str], people: list[tuple[str, str | None]], token: str, hashes_path: Path,
                     personal_links: bool) -> tuple[dict[str, str], Path | None]:
    """Tell the server and its kernels how to know who is at the keyboard; (token by person id, hashes file).

    A server started here serves whoever opens its pages, not the hub user who
    may have started it, so ``$JUPYTERHUB_USER`` stays out. With personal
    links, every person gets a fresh token and the server and its kernels find
    the hashes of all of them (and of the facilitator's ``token``) in ``hashes_path``.
    """
    from okr_workshop.identity import HUB_USER_VAR, LINKS_VAR, PersonalTokens  # noqa: PLC0415 - pydantic: not at start-up

    env.pop(HUB_USER_VAR, None)
    env.pop(LINKS_VAR, None)
    if not personal_links:
        return {}, None
    tokens, hashes = PersonalTokens.issue([person for person, _ in people], token)
    env[LINKS_VAR] = str(hashes.write(hashes_path))
    return tokens, hashes_path


def write_personal_links(path: str | os.PathLike, people: list[tuple[str, str | None]], tokens: dict[str, str],
                         page_url: str) -> Path:
    """Write the facilitator's CSV of personal links (id, name, link), readable by them only; its path."""
    path = Path(path).expanduser()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            os.fchmod(out.fileno(), 0o600)  # also when the file was there before
            writer = csv.writer(out)
            writer.writerow(["id", "name", "link"])
            for person, name in people:
                writer.writerow([person, name or "", f"{page_url}?{urlencode({'token': tokens[person]})}"])
    except OSError as error:
        raise ServeError(f"Cannot write the personal links to {path}: {error.strerror or error}") from error
    return path
