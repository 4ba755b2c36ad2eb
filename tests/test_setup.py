"""``.ci/system.sh``: what ``make demo`` and ``make test`` install from the system, or say how to get.

The script runs for real under ``sh``; what it would change on the machine is
stood in for by programs on a ``PATH`` of the test's own: ``apt-get`` and
``sudo`` that record how they were called, ``npm`` that records its call and
puts a proxy where it was asked to, ``id`` that answers root or not, and the
project's Python replaced by one that answers whether a browser is found (how
``okr_workshop.pdf`` finds one is tested in ``test_pdf.py``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "system.sh"


def _program(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def run(tmp_path: Path, purpose: str, *, uid: int = 0, browser: bool = False, sudo: bool | None = None,
        apt_works: bool = True, installs_browser: bool = True, env: dict[str, str] | None = None):
    """Run the script with stand-ins; returns (completed process, the apt-get calls as lines)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "apt.log"
    log.write_text("", encoding="utf-8")
    flag = tmp_path / "browser-installed"
    if browser:
        flag.touch()
    _program(bin_dir, "id", f'[ "$1" = -u ] && echo {uid} || /usr/bin/id "$@"')
    _program(bin_dir, "apt-get",
             f'echo "$*" >> {log}\n'
             + ("" if apt_works else "exit 100\n")
             + (f'case "$*" in *install*chromium*) touch {flag};; esac\n' if installs_browser else "")
             + "exit 0")
    if sudo is not None:
        _program(bin_dir, "sudo", ('[ "$1" = -n ] && shift\n[ "$1" = true ] && exit 0\necho "sudo $*" >> '
                                   f'{log}\nexec "$@"') if sudo else "exit 1")
    _program(bin_dir, "npm",
             f'echo "npm $*" >> {tmp_path / "npm.log"}\n'
             'while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done\n'
             'mkdir -p "$prefix/node_modules/.bin" && touch "$prefix/node_modules/.bin/configurable-http-proxy"\n'
             'chmod +x "$prefix/node_modules/.bin/configurable-http-proxy"')
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    _program(python.parent, python.name, f'[ -e {flag} ]')
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)} | (env or {})
    done = subprocess.run(["sh", str(SCRIPT), purpose, str(python)], capture_output=True, text=True,
                          env=environment, timeout=60, check=False)
    return done, log.read_text(encoding="utf-8").splitlines()


def test_nothing_missing_installs_nothing_and_says_nothing(tmp_path):
    done, apt = run(tmp_path, "demo", browser=True)
    assert done.returncode == 0 and apt == [] and done.stderr == "" and done.stdout == ""


def test_as_root_a_missing_browser_is_installed_with_apt_get(tmp_path):
    done, apt = run(tmp_path, "demo")
    assert done.returncode == 0, done.stderr
    assert apt == ["update -qq", "install -y -qq chromium"]
    assert "chromium" in done.stdout and done.stderr == ""


def test_without_root_or_sudo_it_says_how_to_get_a_browser_and_goes_on(tmp_path):
    done, apt = run(tmp_path, "demo", uid=1000, sudo=False)
    assert done.returncode == 0 and apt == []
    assert "sudo apt-get install chromium" in done.stderr and "OKR_WORKSHOP_CHROMIUM" in done.stderr
    assert "macOS" in done.stderr and "without PDFs" in done.stderr


def test_with_password_less_sudo_it_installs_through_sudo(tmp_path):
    done, apt = run(tmp_path, "demo", uid=1000, sudo=True)
    assert done.returncode == 0, done.stderr
    assert apt == ["sudo apt-get update -qq", "update -qq", "sudo apt-get install -y -qq chromium",
                   "install -y -qq chromium"]


def test_a_failed_install_is_reported_and_the_demo_goes_on(tmp_path):
    done, apt = run(tmp_path, "demo", apt_works=False)
    assert done.returncode == 0
    assert apt == ["update -qq"]
    assert "apt-get could not install: chromium" in done.stderr and "sudo apt-get install chromium" in done.stderr


def test_under_ci_a_part_that_cannot_be_installed_stops_the_run(tmp_path):
    done, _ = run(tmp_path, "test", apt_works=False, env={"CI": "true"})
    assert done.returncode == 1
    assert "CI=true: nothing may be skipped" in done.stderr


def test_a_browser_named_in_the_variable_is_honoured_never_replaced(tmp_path):
    done, apt = run(tmp_path, "demo", env={"OKR_WORKSHOP_CHROMIUM": "/nonexistent"})
    assert done.returncode == 0 and apt == []
    assert "OKR_WORKSHOP_CHROMIUM=/nonexistent is not a browser" in done.stderr


def test_a_postgresql_folder_named_in_the_variable_is_honoured(tmp_path):
    done, apt = run(tmp_path, "test", browser=True, env={"OKR_WORKSHOP_PG_BIN": str(tmp_path / "nothing")})
    assert done.returncode == 0 and apt == []
    assert "holds no initdb" in done.stderr and "skip" in done.stderr


@pytest.mark.skipif(not any(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
                    reason="no PostgreSQL server programs here to be found")
def test_postgresql_installed_by_debian_is_found(tmp_path):
    done, apt = run(tmp_path, "test", browser=True)
    assert done.returncode == 0 and apt == [] and done.stderr == ""


def test_the_tests_get_jupyterhubs_proxy_from_npm_into_the_environment_once(tmp_path):
    npm_calls = tmp_path / "npm.log"
    done, _ = run(tmp_path, "test", browser=True, env={"OKR_WORKSHOP_PG_BIN": str(tmp_path)})
    proxy = tmp_path / "venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    assert done.returncode == 0 and proxy.is_file()
    assert npm_calls.read_text(encoding="utf-8").splitlines() == [
        f"npm install --prefix {tmp_path / 'venv' / 'node'} --no-audit --no-fund --loglevel=error "
        "configurable-http-proxy@5"]
    npm_calls.unlink()
    again, _ = run(tmp_path, "test", browser=True, env={"OKR_WORKSHOP_PG_BIN": str(tmp_path)})
    assert again.returncode == 0 and not npm_calls.exists()  # there already: nothing installed


def test_the_demo_needs_no_proxy(tmp_path):
    done, _ = run(tmp_path, "demo", browser=True)
    assert done.returncode == 0 and not (tmp_path / "npm.log").exists()
