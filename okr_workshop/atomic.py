"""All-or-nothing files: a file or folder is written beside its target and takes its place only when complete.

Light on purpose (the standard library only): ``okr-workshop report`` writes
its pages and index with it in a process that imports no pandas.
:mod:`okr_workshop.io.output` re-exports both for the workbook writers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_file", "atomic_folder"]


def _staging(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A staging folder whose files replace ``target``'s only when the block ends without error."""
    staging = _staging(target)
    try:
        yield staging
        target.mkdir(parents=True, exist_ok=True)
        for item in staging.iterdir():
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """A staging path that becomes ``target`` only when the block ends without error."""
    staging = _staging(target)
    try:
        path = staging / target.name
        yield path
        os.replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
