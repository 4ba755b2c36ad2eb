"""Alembic's entry point for the store's migrations.

:func:`okr_workshop.store.migrate.upgrade` hands over an open connection (in
``config.attributes["connection"]``), already inside the transaction the
whole upgrade runs in. Run by hand (``alembic -c <ini with script_location
= okr_workshop:migrations> upgrade head``) it opens ``$OKR_WORKSHOP_DB`` itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from okr_workshop.store.database import database_url, metadata

connection = context.config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=conn.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # pragma: no cover - by hand only
    with sa.create_engine(database_url()).begin() as own:
        _run(own)
