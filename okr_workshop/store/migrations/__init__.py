"""The store's schema migrations (alembic): ``versions/`` holds one file per schema change, oldest first.

:mod:`okr_workshop.store.migrate` runs them when a store opens; ``env.py`` is
alembic's entry point. To add a change: write ``versions/NNNN_what.py`` with
``down_revision`` the previous head, change the tables in
:mod:`okr_workshop.store.database` to match, and add the revision to
``okr_workshop.store.revisions.REVISIONS`` (``tests/test_migrate.py`` checks all three agree).
"""
