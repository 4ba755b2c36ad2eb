"""``python -m okr_workshop`` runs the command line, like ``okr-workshop``."""

from okr_workshop.cli import run

run()
