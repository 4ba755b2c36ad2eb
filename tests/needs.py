"""What a test needs from the machine: skip locally when it is missing, fail under ``CI=true``.

A browser, PostgreSQL's server programs, root for a mount namespace: a fresh
machine may lack any of them, and ``make test`` installs what it can
(``.ci/system.sh``). A test that still lacks one calls :func:`need` with the
reason, which names what to install; in CI nothing may be skipped.
"""

from __future__ import annotations

import os

import pytest

__all__ = ["in_ci", "need"]


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``), where nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def need(reason: str | None, what: str = "tests") -> None:
    """Skip (locally) or fail (under ``CI=true``) with ``reason`` when it is not None."""
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: {what} may not be skipped)", pytrace=False)
    pytest.skip(reason)
