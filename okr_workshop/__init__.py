"""okr-workshop: run OKR workshops in Jupyter.

The core (model, workbook I/O, store) imports no widgets and no Jupyter; the
apps, charts and reports build on it. Importing this package does no work.
"""

__version__ = "0.1.0"
