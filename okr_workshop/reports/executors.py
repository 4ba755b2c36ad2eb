"""Where the reports of a run render: on threads of this machine, or on the workers of a Dask cluster.

An executor maps "render this scope" over the scopes of a run and yields
each scope's :class:`~okr_workshop.reports.run.Outcome` as it completes,
never raising for one scope's failure. Everything after the render (the
progress bar, the index page, the exit status) is the runner's, the same
for both executors.

:class:`ThreadExecutor` renders ``jobs`` scopes at a time on threads of this
process, each on a kernel of its own (what ``okr-workshop report`` did
before there were executors, and still does by default).

:class:`DaskExecutor` sends each scope to a worker of a Dask cluster: the
one whose scheduler it is given, or a cluster of worker processes on this
machine that it starts itself. A task carries the run's parameters, the
review notebook (a few KB) and one scope; the worker runs papermill in a
temporary folder of its own and sends the pages back, and this process
writes them into the output folder. So a worker reads no file of this
machine: it needs okr-workshop, a ``python3`` kernel, Chromium or
WeasyPrint for PDFs, and the store. The store must therefore be a database
the workers reach (PostgreSQL); a SQLite file is refused unless the cluster
is on this machine (:func:`sqlite_refusal`). From PostgreSQL the threads'
kernels share one snapshot of the quarter, a file of this machine that a
remote worker could not open; so on a cluster each worker reads the quarter
once for the run, writes its own snapshot, and its reports share that.

``distributed`` is imported only when a :class:`DaskExecutor` opens, so the
command line and the kernels never pay for it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from okr_workshop.atomic import atomic_file
from okr_workshop.exceptions import ReportError
from okr_workshop.reports.run import Outcome, Plan, render

if TYPE_CHECKING:
    from okr_workshop.kernels import EarlyKernel

__all__ = [
    "DASK_INSTALL",
    "LOCAL",
    "DaskExecutor",
    "Executor",
    "Rendered",
    "ThreadExecutor",
    "forget_snapshot",
    "is_local_address",
    "local_cluster",
    "render_on_worker",
    "sqlite_refusal",
    "worker_snapshot",
]

LOCAL = "local"
"""The scheduler "address" that asks for a cluster of worker processes on this machine, started for the run."""
DASK_INSTALL = "pip install 'okr-workshop[dask]'"
_FILES = ("html", "pdf", "notebook")
"""The :class:`Outcome` fields that name a file the render wrote."""
_WORKER_SNAPSHOTS: dict[str, Path] = {}
"""In a Dask worker's process: the snapshot file of each run under way, by the run's id."""
_WORKER_SNAPSHOTS_LOCK = threading.Lock()


class Executor(Protocol):
    """Renders the scopes of one run; what :func:`~okr_workshop.reports.run.run_reports` needs of an executor."""

    reads_snapshots: bool
    """Whether the renders can open a snapshot file written by this process (see :mod:`okr_workshop.reports.data`)."""

    def map(self, plan: Plan, scopes: Sequence[str]) -> Iterator[Outcome]:
        """Render every scope of ``plan``, yielding each outcome as it completes (a failure is in its outcome)."""


@dataclass
class ThreadExecutor:
    """``jobs`` renders at a time on threads of this process; a single one on ``kernel`` when given.

    Threads are enough: the work happens in the kernels and in Chromium,
    each a process of its own; a thread only waits for them and writes the
    HTML. They need no start-up and work from any caller (a script, a
    notebook), which worker processes started by spawn do not.
    """

    jobs: int = 1
    kernel: EarlyKernel | None = None
    reads_snapshots = True

    def map(self, plan: Plan, scopes: Sequence[str]) -> Iterator[Outcome]:
        """Render the scopes one after another (``jobs`` 1) or ``jobs`` at a time, as each completes."""
        jobs = max(1, min(self.jobs, len(scopes)))
        if jobs == 1:
            for scope in scopes:
                yield render(plan, scope, self.kernel)
            return
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="okr-report") as pool:
            for future in as_completed([pool.submit(render, plan, scope) for scope in scopes]):
                yield future.result()  # render never raises


def is_local_address(scheduler: str | None) -> bool:
    """Whether a scheduler address is on this machine: :data:`LOCAL` or none, ``inproc://``, localhost or loopback.

    Only the address as written counts: a host name is not looked up, so
    this machine's own name or LAN address counts as another machine.
    """
    if scheduler is None or scheduler.strip().lower() == LOCAL:
        return True
    scheme, _, rest = scheduler.strip().rpartition("://")
    if scheme.lower() == "inproc":
        return True
    host = rest.split("/", 1)[0]
    host = host[1:host.index("]")] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sqlite_refusal(url: str, scheduler: str | None) -> str | None:
    """Why the store at ``url`` (a SQLAlchemy URL) cannot serve the workers of ``scheduler``'s cluster; None if it can.

    A SQLite store is a file of this machine: only a cluster on this machine
    (:func:`is_local_address`) can read it.
    """
    if not url.startswith("sqlite:") or is_local_address(scheduler):
        return None
    return (f"a SQLite store is a file on this machine, and the workers of the Dask cluster at {scheduler} cannot "
            "read it: use a PostgreSQL store the workers reach (postgresql://USER@HOST/DATABASE), or a cluster on "
            f"this machine (--scheduler {LOCAL})")


@dataclass
class Rendered:
    """A scope's outcome as a worker sends it back: its file fields relative to the output folder, with the bytes."""

    outcome: Outcome
    files: dict[str, bytes]
    """The bytes of each file the outcome names, by field (``html``, ``pdf``, ``notebook``)."""

    @classmethod
    def pack(cls, outcome: Outcome, out: Path) -> Rendered:
        """Read the files ``outcome`` names (all inside ``out``) and make its paths relative to ``out``."""
        files = {}
        for name in _FILES:
            path = getattr(outcome, name)
            if path is not None:
                files[name] = path.read_bytes()
                setattr(outcome, name, path.relative_to(out))
        return cls(outcome, files)

    def unpack(self, out: Path) -> Outcome:
        """Write the files into ``out`` (each whole or not at all); the outcome, its paths now inside ``out``."""
        outcome = self.outcome
        for name, data in self.files.items():
            target = out / getattr(outcome, name)
            with atomic_file(target) as staging:
                staging.write_bytes(data)
            setattr(outcome, name, target)
        return outcome


def render_on_worker(plan: Plan, notebook: bytes, scope: str, run: str = "") -> Rendered:
    """Render ``scope`` on a Dask worker, in a temporary folder of its own; the outcome with the files' bytes.

    ``notebook`` is the review notebook's bytes: the worker needs no file of
    the machine that sent the task. With a ``run`` id the notebook loads this
    worker's snapshot of the quarter for that run (:func:`worker_snapshot`).
    """
    folder = Path(tempfile.mkdtemp(prefix="okr-report-"))
    try:
        template = folder / plan.template.name
        template.write_bytes(notebook)
        out = folder / "out"
        out.mkdir()
        snapshot = str(worker_snapshot(plan, run)) if run else plan.snapshot
        here = replace(plan, template=template, out=out, scratch=folder, snapshot=snapshot)
        return Rendered.pack(render(here, scope), out)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def worker_snapshot(plan: Plan, run: str) -> Path:
    """The snapshot this process holds of ``plan``'s quarter for the run ``run``.

    The store is read by the run's first report in this process.

    The reports of a run on one worker share one read of the store, as the
    threads' reports share the snapshot of the machine they run on.
    :func:`forget_snapshot` deletes it when the run is over.
    """
    from okr_workshop.reports.data import write_snapshot  # noqa: PLC0415 - with pandas and the store

    with _WORKER_SNAPSHOTS_LOCK:  # a worker of several threads: the first report reads, the others wait for it
        if run not in _WORKER_SNAPSHOTS:
            _WORKER_SNAPSHOTS[run] = write_snapshot(plan.db, plan.quarter, tempfile.mkdtemp(prefix="okr-snapshot-"))
        return _WORKER_SNAPSHOTS[run]


def forget_snapshot(run: str) -> None:
    """Delete this process's snapshot of the run ``run``, if it made one."""
    with _WORKER_SNAPSHOTS_LOCK:
        path = _WORKER_SNAPSHOTS.pop(run, None)
    if path is not None:
        shutil.rmtree(path.parent, ignore_errors=True)


def _distributed():
    """The ``distributed`` package, or a :class:`ReportError` saying how to install it."""
    try:
        import distributed  # noqa: PLC0415 - only a run on a Dask cluster needs it
    except ImportError:
        raise ReportError(f"--executor dask needs the distributed package: {DASK_INSTALL}") from None
    return distributed


def local_cluster(workers: int):
    """A ``distributed.LocalCluster`` of ``workers`` worker processes of one thread each, listening on loopback only.

    It has no dashboard (that needs bokeh); the scheduler's HTTP routes take
    a free port rather than 8787, so that two runs side by side do not clash.
    """
    return _distributed().LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False})


class DaskExecutor:
    """Renders on the workers of a Dask cluster: the one at ``scheduler``, or ``workers`` processes started here.

    ``scheduler`` is an address such as ``tcp://HOST:8786``; None or
    :data:`LOCAL` starts a cluster of ``workers`` worker processes (one
    thread each) on this machine for the run. Use it as a context manager,
    or call :meth:`open` and :meth:`close`. ``client``, a connected
    ``distributed.Client`` (such as a dask-gateway cluster's
    ``cluster.get_client()``), is used as it is and left open.
    """

    reads_snapshots = False  # a remote worker cannot open a file of this machine: each makes its own (worker_snapshot)

    def __init__(self, scheduler: str | None = None, workers: int = 2, *, client=None) -> None:
        if client is not None:
            scheduler = client.scheduler.address
        self.scheduler = None if scheduler is None or scheduler.strip().lower() == LOCAL else scheduler.strip()
        self.workers = workers
        self._cluster = None
        self._client = client
        self._owns_client = client is None

    def open(self) -> DaskExecutor:
        """Start the local cluster or connect to the scheduler; a :class:`ReportError` when neither can be done."""
        if self._client is not None:
            return self
        distributed = _distributed()
        try:
            if self.scheduler is None:
                self._cluster = local_cluster(self.workers)
                self._client = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(self.scheduler)
        except (OSError, TimeoutError, ValueError, RuntimeError) as error:  # RuntimeError: a worker did not start
            self.close()
            where = f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a Dask cluster on this machine"
            raise ReportError(f"cannot reach {where}: {error}") from None
        return self

    def close(self) -> None:
        """Disconnect, and stop the cluster, if this executor connected or started them."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskExecutor:
        return self.open()

    def __exit__(self, *_exc) -> None:
        self.close()

    def map(self, plan: Plan, scopes: Sequence[str]) -> Iterator[Outcome]:
        """Send every scope to the cluster; yield each outcome as it comes back, its files written into ``plan.out``."""
        if self._client is None:
            raise ReportError("the Dask executor is not open: use it as a context manager, or call open()")
        if refusal := sqlite_refusal(plan.db, self.scheduler):
            raise ReportError(refusal)
        notebook = plan.template.read_bytes()
        # As with threads: a kernel reads a SQLite store itself, only the rows its scope needs; from any other
        # database the reports on one worker share one read of the quarter (a snapshot of that worker's own).
        run = uuid.uuid4().hex if len(scopes) > 1 and not plan.db.startswith("sqlite:") else ""
        futures = {self._client.submit(render_on_worker, plan, notebook, scope, run, pure=False): scope
                   for scope in scopes}
        try:
            for future in _distributed().as_completed(futures):
                yield self._arrived(plan, futures[future], future)
        finally:
            if run:
                with contextlib.suppress(Exception):  # only clean-up: a worker that is gone took its files along
                    self._client.run(forget_snapshot, run)

    @staticmethod
    def _arrived(plan: Plan, scope: str, future) -> Outcome:
        """The scope's outcome, its files written here; a failed one if the task failed or the files could not be."""
        try:
            return future.result().unpack(plan.out)
        except Exception as error:
            return Outcome.failed(scope, error)
