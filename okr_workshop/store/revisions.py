"""The store's schema revisions, oldest first: read without SQLAlchemy, so a quick look at a store stays quick."""

from __future__ import annotations

__all__ = ["HEAD", "LEGACY_VERSIONS", "REVISIONS"]

REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
"""Every migration, oldest first (the files in ``migrations/versions``)."""
HEAD = REVISIONS[-1]
"""The newest revision: the one this okr-workshop writes."""
LEGACY_VERSIONS = {"1": "0001", "2": "0002", "3": "0003"}
"""``store_meta.schema_version`` of stores made before alembic, and the revision each one matches."""
