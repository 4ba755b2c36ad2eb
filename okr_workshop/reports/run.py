"""Run the review notebook for many scopes: papermill per scope, in parallel, then HTML, PDF and the index page.

:func:`run_reports` renders every scope through an executor
(:mod:`okr_workshop.reports.executors`): ``jobs`` at a time on threads of
this process, or on the workers of a Dask cluster. Each kernel reads a
SQLite store itself; from another database the threads' kernels share one
read of the quarter, a snapshot (see :mod:`okr_workshop.reports.data`).
:func:`render` is one scope's report: papermill executes the notebook on a
fresh ``python3`` kernel, the HTML page is written from its outputs
(:mod:`okr_workshop.reports.convert`), and the PDF printed from the page. A
scope that fails is recorded with its error and the others go on;
:func:`run_reports` returns every scope's :class:`Outcome`, and the index
page lists the failures too.

With a SQLite store this process imports neither pandas nor the store (only
the kernels need them): a single report's time is mostly its kernel's.
"""

from __future__ import annotations

import compileall
import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import okr_workshop
from okr_workshop.pdf import html_to_pdf
from okr_workshop.reports import convert
from okr_workshop.reports.index import write_index
from okr_workshop.reports.scope import Scope, parse_scope
from okr_workshop.store.url import database_url
from okr_workshop.text import printable

if TYPE_CHECKING:
    from okr_workshop.kernels import EarlyKernel
    from okr_workshop.reports.executors import Executor

__all__ = [
    "FORMATS", "HEADLINE_KEY", "TEMPLATE_NAME", "Outcome", "Plan", "compile_package", "default_template", "render",
    "run_reports",
]

FORMATS = ("html", "pdf")
TEMPLATE_NAME = "quarterly_review.ipynb"
HEADLINE_KEY = "okr_workshop"
"""The metadata key under which the headline output carries its figures."""


@dataclass(frozen=True)
class Plan:
    """What every scope of one run shares: the notebook, the store, the parameters and where results go."""

    template: Path
    db: str
    quarter: str
    viewer: str
    as_of: str
    snapshot: str
    out: Path
    scratch: Path
    formats: tuple[str, ...]
    keep_notebooks: bool


@dataclass
class Outcome:
    """How one scope's report went."""

    scope: str
    slug: str
    ok: bool = False
    html: Path | None = None
    pdf: Path | None = None
    notebook: Path | None = None
    figures: dict | None = None
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent executing the notebook, writing the HTML, printing the PDF."""

    @classmethod
    def failed(cls, scope: str, error: BaseException) -> Outcome:
        """A failed outcome made outside :func:`render`: a Dask task lost with its worker, or pages not written here."""
        return cls(scope, parse_scope(scope).slug, error=_error_text(error))


def default_template() -> Path:
    """``templates/quarterly_review.ipynb`` (from a checkout, or the folder in ``$OKR_WORKSHOP_TEMPLATES``)."""
    from okr_workshop.library import templates_folder  # noqa: PLC0415 - it loads pydantic, which a Dask worker's render never needs

    return templates_folder() / TEMPLATE_NAME


def compile_package() -> None:
    """Write the bytecode of okr_workshop's modules once, so that no kernel compiles them again.

    With ``PYTHONDONTWRITEBYTECODE`` set, every kernel would compile our
    modules from source (about 0.1 s each time); up-to-date files are only
    looked at. A read-only installation is left as it is.
    """
    with contextlib.suppress(OSError):
        compileall.compile_dir(Path(okr_workshop.__file__).resolve().parent, quiet=2, workers=1)


def _headline(notebook) -> dict | None:
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            figures = output.get("metadata", {}).get(HEADLINE_KEY, {}).get("headline")
            if figures:
                return dict(figures)
    return None


def _error_text(error: BaseException) -> str:
    name = getattr(error, "ename", None)
    value = getattr(error, "evalue", None)
    if name:
        return f"{name}: {value}" if value else str(name)
    return f"{type(error).__name__}: {error}"


def render(plan: Plan, scope: str, kernel: EarlyKernel | None = None) -> Outcome:
    """Execute, convert and print one scope's report; never raises (a failure is in the outcome).

    The notebook runs on ``kernel`` when given (started earlier on this thread), else on a kernel of its own.
    """
    import papermill  # noqa: PLC0415 - Jupyter only when a report runs

    from okr_workshop.kernels import papermill_options  # noqa: PLC0415 - Jupyter only when a report runs

    parsed = parse_scope(scope)
    outcome = Outcome(str(parsed), parsed.slug)
    executed_path = plan.scratch / f"{parsed.slug}.ipynb"
    started = time.perf_counter()
    try:
        try:
            notebook = papermill.execute_notebook(
                str(plan.template), str(executed_path), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, **(kernel.papermill_options() if kernel else papermill_options()),
                # no cwd: papermill would chdir the whole process, which threads side by side cannot share
                parameters={"db": plan.db, "quarter": plan.quarter, "scope": str(parsed), "viewer": plan.viewer,
                            "as_of": plan.as_of, "snapshot": plan.snapshot})
        finally:
            outcome.timings["execute"] = time.perf_counter() - started
            if plan.keep_notebooks and executed_path.exists():
                kept = plan.out / "notebooks" / executed_path.name
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(executed_path, kept)
                outcome.notebook = kept
        outcome.figures = _headline(notebook)
        title = (outcome.figures or {}).get("title")
        if "html" in plan.formats or "pdf" in plan.formats:
            step = time.perf_counter()
            outcome.html = convert.to_html(notebook, plan.out / f"{parsed.slug}.html", title)
            outcome.timings["html"] = time.perf_counter() - step
        if "pdf" in plan.formats:
            step = time.perf_counter()
            outcome.pdf = html_to_pdf(outcome.html, plan.out / f"{parsed.slug}.pdf")
            outcome.timings["pdf"] = time.perf_counter() - step
            if "html" not in plan.formats:
                outcome.html.unlink()
                outcome.html = None
        outcome.ok = True
    except Exception as error:
        outcome.error = _error_text(error)
    finally:
        executed_path.unlink(missing_ok=True)
    return outcome


def _unique(scopes: Sequence[str | Scope]) -> list[str]:
    seen, out = set(), []
    for scope in scopes:
        text = str(parse_scope(scope))
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def run_reports(db: str | None, quarter: str, scopes: Sequence[str | Scope], *, viewer: str | None = None,
                as_of: dt.date | str | None = None, formats: Sequence[str] = ("html",), jobs: int = 1,
                out: str | os.PathLike = "reports", keep_notebooks: bool = False,
                template: str | os.PathLike | None = None, progress: bool = True, kernel: EarlyKernel | None = None,
                executor: Executor | None = None) -> list[Outcome]:
    """Render every scope's report into ``out`` and write ``out/index.html``; returns the outcomes in scope order.

    By default ``jobs`` reports render at a time on threads of this process,
    each on a kernel of its own (``jobs=1``: one after another); a single
    report runs on ``kernel`` when given (see
    :class:`~okr_workshop.kernels.EarlyKernel`; the caller closes
    it). An ``executor`` renders them elsewhere instead, such as an open
    :class:`~okr_workshop.reports.executors.DaskExecutor`; ``jobs`` and
    ``kernel`` are then unused. With ``progress`` a progress bar runs on stderr.
    """
    from okr_workshop.reports.executors import ThreadExecutor  # noqa: PLC0415 - executors imports this module at its top

    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats are {', '.join(FORMATS)}; got {', '.join(sorted(unknown)) or 'none'}")
    scopes = _unique(scopes)
    executor = executor or ThreadExecutor(jobs, kernel if len(scopes) == 1 else None)
    compile_package()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="okr-report-"))
    try:
        url = database_url(db)
        # A kernel reads a SQLite store itself, only the rows its scope needs; from any other database many
        # reports share one read of the quarter (a snapshot), sparing each kernel SQLAlchemy and the full read.
        shared = len(scopes) > 1 and not url.startswith("sqlite:///") and executor.reads_snapshots
        snapshot = ""
        if shared:
            from okr_workshop.reports.data import write_snapshot  # noqa: PLC0415 - with pandas and the store

            snapshot = write_snapshot(url, quarter, scratch)
        day = as_of.isoformat() if isinstance(as_of, dt.date) else (as_of or "")
        plan = Plan(template=Path(template) if template else default_template(), db=url, quarter=quarter,
                    viewer=viewer or "", as_of=day, snapshot=str(snapshot), out=out.resolve(), scratch=scratch,
                    formats=tuple(dict.fromkeys(formats)), keep_notebooks=keep_notebooks)
        outcomes = _render_all(plan, scopes, executor, progress)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write_index(out / "index.html", outcomes, quarter=quarter, viewer=viewer, as_of=plan.as_of)
    return outcomes


def _render_all(plan: Plan, scopes: list[str], executor: Executor, progress: bool) -> list[Outcome]:
    """Every scope's outcome in scope order, the progress bar moving as each completes, whichever executor renders."""
    from tqdm import tqdm  # noqa: PLC0415 - only for the progress bar

    bar = tqdm(total=len(scopes), desc="reports", unit="report", disable=not progress or not scopes,
               file=sys.stderr, dynamic_ncols=True)
    results: dict[str, Outcome] = {}
    try:
        for outcome in executor.map(plan, scopes):
            results[outcome.scope] = outcome
            bar.set_postfix_str(("failed " if not outcome.ok else "") + printable(outcome.scope), refresh=False)
            bar.update(1)
    finally:
        bar.close()
    return [results[s] for s in scopes]  # as _unique wrote them
