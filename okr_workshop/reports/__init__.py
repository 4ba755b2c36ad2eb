"""Quarterly review reports: one parameterised notebook, run by papermill for the company, teams and people.

The notebook ``templates/quarterly_review.ipynb`` holds the presentation; the
work lives here, one concern per module:

- :mod:`~okr_workshop.reports.scope`: what a scope is (``company``, ``team:<id>``, ``person:<id>``)
  and which objectives a report's audience may see;
- :mod:`~okr_workshop.reports.data`: the quarter's tables, from the store or a shared snapshot;
- :mod:`~okr_workshop.reports.review`: :func:`~okr_workshop.reports.review.build` gathers one report's figures;
- :mod:`~okr_workshop.reports.sections`, :mod:`~okr_workshop.reports.insights` and
  :mod:`~okr_workshop.reports.trends`: the report's sections as HTML
  (:mod:`~okr_workshop.reports.markup`: shared pieces);
- :mod:`~okr_workshop.reports.svg`: the charts, drawn as inline SVG;
- :mod:`~okr_workshop.reports.run` (on kernels from :mod:`~okr_workshop.kernels`),
  :mod:`~okr_workshop.reports.convert`, :mod:`~okr_workshop.reports.index`:
  running papermill per scope in parallel, HTML and PDF, the index page;
- :mod:`~okr_workshop.reports.executors`: where the papermill runs happen: threads on this machine
  (the default) or the workers of a Dask cluster (``--executor dask``), behind one interface;
- :mod:`~okr_workshop.reports.store_facts`: what a store holds that a report run checks first (quarters,
  teams, whether the viewer exists); the ``okr-workshop report`` command itself is :mod:`okr_workshop.cli.report`.

Importing this package does no work; a report kernel imports only what it uses.
"""
