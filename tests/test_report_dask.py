"""``okr-workshop report --executor dask``: the same reports, failures, index and exit codes as with threads.

The reports render on a real ``distributed.LocalCluster`` of two worker
processes, started once for the module and reached by its tcp://127.0.0.1
address as a remote cluster is (its workers send the pages back); the
threaded run of the same scopes on the same store is the reference. Pages
are compared by their headings and the numbers they show, not byte for
byte (each notebook run gets new cell ids). One test starts the command as
a process of its own, which starts its own local cluster.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import dask
import distributed
import pytest
from click.testing import CliRunner
from commands import Command
from test_report_sections import EXAMPLE, QUARTER

from okr_workshop.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, main
from okr_workshop.io import read_workbook
from okr_workshop.reports.executors import DASK_INSTALL, DaskExecutor, is_local_address, local_cluster
from okr_workshop.reports.run import run_reports
from okr_workshop.store.database import ENV_VAR, Store

pytestmark = pytest.mark.integration

AS_OF = "2026-11-20"
SCOPES = ("--company", "--team", "fleet", "--team", "nosuch")
"""Two reports and a scope whose render fails (no such team): the notebook raises inside the kernel."""
REMOTE = "tcp://dask.example.org:8786"
"""A scheduler on another machine; nothing connects to it: the store is refused first."""


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each on this machine, for every test of the module."""
    with local_cluster(2) as local:
        yield local


def report(*args: object):
    """Run ``okr-workshop report`` in this process."""
    return CliRunner().invoke(main, ["report", *map(str, args)], catch_exceptions=False)


def both_executors(cluster, db, scopes, tmp_path_factory) -> dict:
    """``scopes`` rendered with ``--jobs 2`` threads and on the cluster: each run's result and folder by executor."""
    runs = {}
    for executor, options in (("threads", ["--jobs", 2]),
                              ("dask", ["--executor", "dask", "--scheduler", cluster.scheduler_address])):
        out = tmp_path_factory.mktemp(executor)
        result = report("--quarter", QUARTER, *scopes, "--as-of", AS_OF, *options, "--out", out, "--db", db)
        runs[executor] = (result, out)
    return runs


@pytest.fixture(scope="module")
def sqlite_runs(cluster, example_db, tmp_path_factory):
    """The company, fleet and a missing team from the example company's SQLite file, by threads and by the cluster."""
    return both_executors(cluster, example_db, SCOPES, tmp_path_factory)


def worker_snapshots() -> set[str]:
    """The snapshot folders the cluster's workers have made (and not yet deleted) in the temporary folder."""
    return {p.name for p in Path(tempfile.gettempdir()).glob("okr-snapshot-*")}


@pytest.fixture(scope="module")
def postgres_runs(cluster, pg_cluster, tmp_path_factory):
    """Two team reports from a PostgreSQL store, by threads (one snapshot here) and by the cluster (one per worker);
    with the snapshot folders there were before."""
    url = pg_cluster.create_schema()
    store = Store(url)
    store.write_workbook(read_workbook(EXAMPLE))
    store.close()
    before = worker_snapshots()
    return both_executors(cluster, url, ("--team", "fleet", "--team", "sales"), tmp_path_factory), before


class _PageText(HTMLParser):
    """The headings and the visible text of a page (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, _attrs) -> None:
        self._open.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append("")

    def handle_endtag(self, tag) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data) -> None:
        if any(tag in ("script", "style") for tag in self._open):
            return
        if any(re.fullmatch(r"h[1-6]", tag) for tag in self._open):
            self.headings[-1] += data
        self.text.append(data)


def sections_and_numbers(page: Path) -> tuple[list[str], list[str]]:
    """A report page's headings, and every number its text shows, in order."""
    parser = _PageText()
    parser.feed(page.read_text(encoding="utf-8"))
    numbers = re.findall(r"\d+(?:[.,]\d+)*%?", " ".join(parser.text))
    return [" ".join(h.split()) for h in parser.headings], numbers


def index_table(out: Path) -> str:
    """The table of the run's index page: every report's row, the failures' too (the page's other text has the time)."""
    page = (out / "index.html").read_text(encoding="utf-8")
    return re.search(r"<table.*</table>", page, re.DOTALL).group()


def report_pages(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.html") if p.name != "index.html")


def assert_same_reports(runs: dict) -> None:
    """The same report pages, with the same sections and numbers; and the same index table."""
    (_, threads), (_, dask_out) = runs["threads"], runs["dask"]
    assert report_pages(dask_out) == report_pages(threads)
    for name in report_pages(threads):
        expected = sections_and_numbers(threads / name)
        assert sections_and_numbers(dask_out / name) == expected, name
        headings, numbers = expected
        assert "At risk" in headings and "Alignment" in headings and len(numbers) > 50, name
    assert index_table(dask_out) == index_table(threads)


def test_the_cluster_renders_the_same_reports_as_threads(sqlite_runs):
    assert_same_reports(sqlite_runs)
    assert sorted(p.name for p in sqlite_runs["dask"][1].iterdir()) == ["company.html", "index.html", "team-fleet.html"]


def test_a_failing_scope_fails_alike_with_the_same_index_entry_and_exit_status(sqlite_runs):
    (threads, threads_out), (on_cluster, cluster_out) = sqlite_runs["threads"], sqlite_runs["dask"]
    assert threads.exit_code == on_cluster.exit_code == EXIT_FINDINGS
    assert threads.stderr.splitlines()[-2:] == on_cluster.stderr.splitlines()[-2:]
    assert "team:nosuch: ReportError: no team 'nosuch'" in on_cluster.stderr
    assert "Wrote 2 reports (html)" in threads.stdout and "Wrote 2 reports (html)" in on_cluster.stdout
    assert index_table(cluster_out) == index_table(threads_out)
    assert "no team &#39;nosuch&#39;" in index_table(cluster_out)


def test_the_progress_bar_counts_every_scope_and_names_the_failure(sqlite_runs):
    for result, _ in sqlite_runs.values():
        assert "3/3" in result.stderr and "failed team:nosuch" in result.stderr


def test_a_postgresql_store_gives_the_same_reports_and_the_workers_delete_their_snapshots(postgres_runs):
    runs, snapshots_before = postgres_runs
    assert [result.exit_code for result, _ in runs.values()] == [EXIT_OK, EXIT_OK]
    assert_same_reports(runs)
    assert worker_snapshots() == snapshots_before


def test_a_file_the_client_cannot_write_fails_that_scope_as_with_threads(cluster, example_db, tmp_path):
    """The cluster's pages are written here: a folder in the way of one fails that scope, like a thread's write."""
    errors = {}
    on_cluster = ["--executor", "dask", "--scheduler", cluster.scheduler_address]
    for executor, options in (("threads", []), ("dask", on_cluster)):
        out = tmp_path / executor
        (out / "team-fleet.html").mkdir(parents=True)
        result = report("--quarter", QUARTER, "--team", "fleet", "--as-of", AS_OF, *options, "--out", out,
                        "--db", example_db)
        assert result.exit_code == EXIT_FINDINGS, result.output
        assert "0 reports" in result.stdout
        errors[executor] = result.stderr.splitlines()[-1]
        assert "failed" in index_table(out)
    assert errors["threads"].split(":")[:2] == errors["dask"].split(":")[:2] == ["  team", "fleet"]
    assert "IsADirectoryError" in errors["threads"] and "IsADirectoryError" in errors["dask"]


def test_a_client_of_ones_own_renders_through_the_library_and_stays_open(cluster, sqlite_runs, example_db, tmp_path):
    """The route for a dask-gateway cluster: run_reports with the executor made from ``cluster.get_client()``."""
    with distributed.Client(cluster) as client:
        outcomes = run_reports(example_db, QUARTER, ["team:fleet"], as_of=AS_OF, out=tmp_path, progress=False,
                               executor=DaskExecutor(client=client))
        assert client.status == "running"
    assert [(o.scope, o.ok, o.html) for o in outcomes] == [("team:fleet", True, tmp_path / "team-fleet.html")]
    threads_out = sqlite_runs["threads"][1]
    assert sections_and_numbers(tmp_path / "team-fleet.html") == sections_and_numbers(threads_out / "team-fleet.html")


@pytest.mark.parametrize("scheduler", [REMOTE, "tls://10.0.0.5:8786", "dask-scheduler:8786",
                                       "gateway://traefik-dask-gateway:80/okr.4f2a"])
def test_a_sqlite_store_is_refused_for_a_remote_cluster_and_nothing_is_written(example_db, tmp_path, scheduler):
    result = report("--quarter", QUARTER, "--team", "fleet", "--executor", "dask", "--scheduler", scheduler,
                    "--out", tmp_path / "out", "--db", example_db)
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"--db {example_db}: a SQLite store is a file on this machine" in result.stderr
    assert f"the Dask cluster at {scheduler} cannot read it" in result.stderr and "PostgreSQL" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("scheduler", "local"), [
    (None, True), ("local", True), ("tcp://127.0.0.1:8786", True), ("127.0.0.1:8786", True),
    ("tcp://localhost:8786", True), ("tcp://127.0.1.1:8786", True), ("tcp://[::1]:8786", True),
    ("inproc://10.1.2.3/1234/1", True), (REMOTE, False), ("tcp://10.0.0.5:8786", False), ("scheduler:8786", False),
    ("tls://[2001:db8::1]:8786", False), ("tcp://localhost.example.org:8786", False)])
def test_only_addresses_of_this_machine_count_as_local(scheduler, local):
    assert is_local_address(scheduler) is local


def test_without_distributed_the_command_says_what_to_install(example_db, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what `import distributed` meets when it is not installed
    result = report("--quarter", QUARTER, "--team", "fleet", "--executor", "dask", "--out", tmp_path / "out",
                    "--db", example_db)
    assert result.exit_code == EXIT_BAD_INPUT
    assert DASK_INSTALL in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_scheduler_nobody_answers_at_is_refused(example_db, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = report("--quarter", QUARTER, "--team", "fleet", "--executor", "dask", "--scheduler", address,
                        "--out", tmp_path / "out", "--db", example_db)
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"cannot reach the Dask scheduler at {address}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_scheduler_without_the_dask_executor_is_a_usage_error(example_db, tmp_path):
    result = report("--quarter", QUARTER, "--team", "fleet", "--scheduler", "local", "--out", tmp_path / "out",
                    "--db", example_db)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "--scheduler goes with --executor dask" in result.stderr


def test_the_command_starts_a_local_cluster_of_its_own(sqlite_runs, example_db, tmp_path):
    """As a user runs it: a process of its own, ``--executor dask`` alone, pages written and kept notebooks too."""
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    result = Command(tmp_path, env)("report", "--quarter", QUARTER, "--team", "fleet", "--company", "--as-of", AS_OF,
                                    "--executor", "dask", "--jobs", 2, "--keep-notebooks", "--db", example_db)
    assert result.returncode == EXIT_OK, result.stderr
    assert "Wrote 2 reports (html) to reports" in result.stdout
    threads_out = sqlite_runs["threads"][1]
    for name in ("company.html", "team-fleet.html"):
        assert sections_and_numbers(tmp_path / "reports" / name) == sections_and_numbers(threads_out / name)
    assert sorted(p.name for p in (tmp_path / "reports" / "notebooks").iterdir()) == ["company.ipynb",
                                                                                       "team-fleet.ipynb"]


def test_neither_the_command_line_nor_a_kernel_imports_distributed():
    """Only --executor dask pays for distributed's import: not the CLI's start, nor the review notebook's modules."""
    probe = ("import sys, okr_workshop.cli, okr_workshop.cli.report, okr_workshop.reports.run, "
             "okr_workshop.reports.executors, okr_workshop.reports.review; "
             "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
