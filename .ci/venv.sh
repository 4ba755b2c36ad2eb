#!/bin/sh
# Create the virtual environment $1 with uv in it, on a machine that has only
# Python 3.11 and make. Debian ships venv and pip in separate packages: when
# they are missing and we are root, install them; otherwise say what to do.
set -eu
venv="$1"
python="${PYTHON:-python3}"
if [ -x "$venv/bin/uv" ]; then exit 0; fi
if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        echo "Installing python${version}-venv (Debian keeps venv in its own package)..."
        apt-get update -qq && { apt-get install -y -qq "python${version}-venv" || apt-get install -y -qq python3-venv; }
        "$python" -m venv "$venv"
    else
        echo "error: '$python -m venv' failed. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
        exit 1
    fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check uv
