"""File names for things named by an id (a team's report, a person's certificate): readable, distinct, stable.

:func:`file_stem` gives ``<prefix>-<id>`` when the id is already a fine
file name (``team-fleet``, ``person-emeka.obi@brightwell.example``), and
otherwise ``<prefix>-<readable>--<hash>``: the id lower-cased, accents
dropped, anything else turned to ``-`` and cut to 80 characters, then ten
hex digits of the SHA-256 of the exact id (``team:a/b`` gives
``team-a-b--<hash>`` beside ``team:a-b``'s ``team-a-b``). So:

- the same id always gives the same name, whatever else is in the run;
- two ids never share a name: a plain name never holds ``--`` and a
  suffixed one always does, and suffixed names differ by the hash of the id;
- names are lower case throughout, so ids that differ only in case
  (``Sales``, ``sales``) stay two files where the file system ignores case
  (macOS, Windows); and ASCII, so Unicode normalisation (macOS stores
  ``é`` decomposed) cannot merge two ids either;
- a name is a single file name: no ``/`` or ``\\``, never ``.`` or ``..``,
  nothing that starts with a dot, no Windows device name (the prefix comes
  first), at most about 110 characters with its extension.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["HASH_LENGTH", "READABLE_LENGTH", "file_stem"]

READABLE_LENGTH = 80
"""At most this many characters of the id are kept readable in a name."""
HASH_LENGTH = 10
"""Hex digits of the id's SHA-256 added to a name that is not the id itself."""
_OTHER = re.compile(r"[^a-z0-9._@]+")
"""Runs of characters that are not kept (``-`` among them, so runs of dashes become one)."""


def _readable(ident: str) -> str:
    text = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode("ascii").lower()
    text = _OTHER.sub("-", text).strip("-.")
    return text[:READABLE_LENGTH].rstrip("-.")


def file_stem(prefix: str, ident: str) -> str:
    """``<prefix>-<ident>``, or ``<prefix>-<readable>--<hash>`` when ``ident`` is not a safe lower-case name.

    ``prefix`` is ours (``team``, ``person``, ``certificate``): lower-case
    letters and dashes. See the module docstring for what the name guarantees.
    """
    readable = _readable(ident)
    if readable == ident:
        return f"{prefix}-{ident}"
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]
    return f"{prefix}-{readable}--{digest}" if readable else f"{prefix}--{digest}"
