"""Keeping a store's tables current: a new store is made at the newest schema, an older one is upgraded as it opens.

The schema's history is a chain of alembic migrations in
``okr_workshop/store/migrations/versions`` (``0001`` the first released tables, then one
file per change); the store records the one it is at in alembic's
``alembic_version`` table. :func:`ensure_schema` runs on every
:class:`~okr_workshop.store.database.Store` open and costs two small queries when the
store is current; alembic itself is imported only when there is something to
upgrade.

- A brand-new store gets every table at once (the same tables the chain
  builds; ``tests/test_migrate.py`` compares them) and is stamped with the head.
- A store made before alembic kept its version in ``store_meta.schema_version``
  (1, 2 or 3): it is stamped with the matching revision, then upgraded.
- An older store is upgraded to the head in one transaction (PostgreSQL and
  SQLite both undo a failed upgrade completely), holding a lock so that
  kernels opening the store at the same moment upgrade it once.
- A store made by a newer okr-workshop is refused with a clear message.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from okr_workshop.exceptions import StoreError
from okr_workshop.store.revisions import HEAD, LEGACY_VERSIONS, REVISIONS

if TYPE_CHECKING:
    from okr_workshop.store.database import Store

__all__ = ["HEAD", "LEGACY_VERSIONS", "REVISIONS", "ensure_schema", "revision_of", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK = 0x4F4B52_5354  # "OKR" "ST": PostgreSQL advisory lock held while a store's schema changes

_version_table = sa.Table(  # alembic's own table, as alembic creates it
    "alembic_version", sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def revision_of(conn: Connection) -> str | None:
    """The migration the store is at, or None for a store without alembic's table (new, or made before alembic)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.select(_version_table.c.version_num)).scalar()


def _stamp(conn: Connection, revision: str) -> None:
    _version_table.create(conn, checkfirst=True)
    conn.execute(sa.delete(_version_table))
    conn.execute(sa.insert(_version_table), {"version_num": revision})


def _legacy_revision(conn: Connection) -> str:
    """The revision a store made before alembic is at, read from ``store_meta``."""
    version = None
    if sa.inspect(conn).has_table("store_meta"):
        version = conn.exec_driver_sql("SELECT value FROM store_meta WHERE key = 'schema_version'").scalar()
    if version is None:
        return REVISIONS[0]  # the first release wrote its version with the tables; a store without is that old
    if version not in LEGACY_VERSIONS:
        raise StoreError(f"The store says schema version {version}, which this okr-workshop does not know: "
                         f"it was made by another version; upgrade okr-workshop to open it.")
    return LEGACY_VERSIONS[version]


def upgrade(conn: Connection, target: str = "head") -> None:
    """Run the migrations from the store's revision to ``target`` on ``conn``, inside the caller's transaction."""
    from alembic import command  # noqa: PLC0415 - alembic only when a store needs upgrading
    from alembic.config import Config  # noqa: PLC0415 - alembic only when a store needs upgrading

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = conn
    command.upgrade(config, target)


def ensure_schema(store: Store, metadata: sa.MetaData, *, create: bool = True) -> None:
    """Bring ``store`` to :data:`HEAD`: create it when new (unless ``create`` is false), upgrade it when older."""
    with store.engine.connect() as conn:
        if revision_of(conn) == HEAD:
            return
    with store.transaction() as conn:  # SQLite: BEGIN IMMEDIATE, so one opener at a time gets here
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK})")
        revision = revision_of(conn)  # again: another opener may have finished meanwhile
        if revision == HEAD:
            return
        if revision is None:
            if not sa.inspect(conn).has_table("objectives"):
                if not create:
                    raise StoreError(f"No store at {store.location}: import a workbook first "
                                     f"(okr-workshop import WORKBOOK)")
                metadata.create_all(conn)
                _stamp(conn, HEAD)
                return
            revision = _legacy_revision(conn)
            _stamp(conn, revision)
        if revision not in REVISIONS:
            raise StoreError(f"The store is at schema {revision!r}, newer than this okr-workshop knows "
                             f"(up to {HEAD!r}): upgrade okr-workshop to open it.")
        upgrade(conn)
