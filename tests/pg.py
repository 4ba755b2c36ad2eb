"""A throwaway PostgreSQL server for the tests and benchmarks: started from Debian's binaries, gone afterwards.

:class:`Cluster` runs ``initdb`` and ``pg_ctl start`` from
``/usr/lib/postgresql/<version>/bin`` (the newest found; ``OKR_WORKSHOP_PG_BIN``
overrides) in a fresh temporary folder, listening on 127.0.0.1 on a free port
and on a unix socket in that folder. PostgreSQL refuses to run as root, so as
root the binaries run as the ``postgres`` system user (``runuser -u postgres``).
The server trusts local connections (it holds nothing but test data) and
skips fsync: a crash loses nothing anyone needs.

:meth:`Cluster.create_database` makes a fresh database from ``template0``
and returns its ``postgresql://`` URL. That costs 0.05 s on a quiet machine
but 0.3 s and more on a busy one (PostgreSQL copies the template through its
write-ahead log), so tests take a fresh *schema* instead:
:meth:`Cluster.create_schema` returns the URL of the session's database with
``options=-csearch_path=<schema>``, where the store finds no tables and
creates its own, in a few milliseconds. :meth:`Cluster.stop` stops the
server and removes the folder.

    with Cluster.start() as cluster:
        url = cluster.create_database()   # or cluster.create_schema()
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["Cluster", "PostgresMissingError", "pg_bin", "postgres_missing"]

SUPERUSER = "postgres"
START_TIMEOUT = 60


class PostgresMissingError(RuntimeError):
    """No PostgreSQL server binaries on this machine (or no user to run them as)."""


def pg_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: ``$OKR_WORKSHOP_PG_BIN``, else Debian's newest, else the PATH's.

    Debian keeps the server programs out of the PATH, in ``/usr/lib/postgresql/<version>/bin``;
    Homebrew and most other systems put ``initdb`` on the PATH.
    """
    given = os.environ.get("OKR_WORKSHOP_PG_BIN")
    if given:
        return Path(given) if (Path(given) / "initdb").exists() else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) if x.isdigit() else x for x in Path(p).parts[-3].split(".")])
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).resolve().parent if on_path and shutil.which("pg_ctl") else None


def postgres_missing() -> str | None:
    """Why no throwaway server can start here, or None when one can."""
    if pg_bin() is None:
        return ("no PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on the PATH: "
                "apt-get install postgresql, brew install postgresql, or set OKR_WORKSHOP_PG_BIN")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and there is no runuser to run PostgreSQL as 'postgres'"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg package is missing: make install"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A running throwaway PostgreSQL server; use :meth:`start`."""

    def __init__(self, root: Path, port: int, bin_dir: Path):
        self.root, self.port, self.bin_dir = root, port, bin_dir
        self.data = root / "data"
        self.socket_dir = root
        self._names = itertools.count(1)

    # starting and stopping ------------------------------------------------------------
    @classmethod
    def start(cls, *, durable: bool = False) -> Cluster:
        """initdb and start a server in a new temporary folder; raises :class:`PostgresMissingError` when it can't.

        The server skips fsync and waits for no commit to reach the disk
        (tests need neither), unless ``durable`` (benchmarks: as a production
        server runs).
        """
        if reason := postgres_missing():
            raise PostgresMissingError(reason)
        bin_dir = pg_bin()
        root = Path(tempfile.mkdtemp(prefix="okr-pg-"))
        if os.geteuid() == 0:
            user = pwd.getpwnam(SUPERUSER)
            os.chown(root, user.pw_uid, user.pw_gid)
        cluster = cls(root, _free_port(), bin_dir)
        try:
            cluster._run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                         "--locale=C", "--no-sync", "--no-instructions")
            options = (f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                       f"-c shared_buffers=128MB")
            if not durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            cluster._run("pg_ctl", "start", "-D", str(cluster.data), "-w", "-t", str(START_TIMEOUT),
                         "-l", str(root / "server.log"), "-o", options)
        except Exception:
            cluster._remove()
            raise
        return cluster

    def stop(self) -> None:
        """Stop the server (fast: open connections are cut) and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            self._remove()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root, timeout=120)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr or done.stdout}\n{tail}")

    # databases -------------------------------------------------------------------------
    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        """A plain ``postgresql://`` URL of ``database`` (through the unix socket), in ``schema`` when given."""
        url = f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port}"
        return url + (f"&options=-csearch_path%3D{schema}" if schema else "")

    def tcp_url(self, database: str = "postgres") -> str:
        """The same database over TCP on 127.0.0.1."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname=database,
                             autocommit=True) as conn:
            for attempt in range(50):
                try:
                    conn.execute(sql)
                    return
                except psycopg.errors.ObjectInUse:  # a template still has a connection closing
                    if attempt == 49:
                        raise
                    time.sleep(0.05)

    def create_schema(self, database: str = "postgres") -> str:
        """A new, empty schema in ``database``: the URL of the database with it as the search path."""
        name = f"t_{os.getpid()}_{next(self._names)}"
        self.execute(f'CREATE SCHEMA "{name}"', database)
        return self.url(database, schema=name)

    def create_database(self, name: str | None = None, template: str = "template0") -> str:
        """A new, empty database (a copy of ``template``); its URL."""
        name = name or f"test_{os.getpid()}_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, name_or_url: str) -> None:
        """Drop a database, cutting any connection still open to it."""
        name = name_or_url.split("?")[0].rsplit("/", 1)[-1]
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
