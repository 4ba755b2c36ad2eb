"""The store: the model's tables in a database (a SQLite file, or PostgreSQL for shared deployments).

- :mod:`~okr_workshop.store.url`: where the store is, without importing SQLAlchemy.
- :mod:`~okr_workshop.store.database`: :class:`~okr_workshop.store.database.Store`, reading and writing workbooks.
- :mod:`~okr_workshop.store.rows`: many rows at once; :mod:`~okr_workshop.store.imports`: importing a file.
- :mod:`~okr_workshop.store.drafts`: what the workshop apps save, one objective at a time.
- :mod:`~okr_workshop.store.migrate` and ``migrations/``: keeping a store's tables current.

This file imports nothing, so reading :mod:`~okr_workshop.store.url` stays cheap.
"""
