#!/bin/sh
# The parts of the system okr-workshop uses beyond Python: installed when we may, named when we may not.
#
#   sh .ci/system.sh demo PYTHON   a browser to print PDFs with (Chromium, Chrome or Edge)
#   sh .ci/system.sh test PYTHON   that, PostgreSQL's server programs (the tests start throwaway servers),
#                                  and JupyterHub's proxy, configurable-http-proxy (tests/test_hub.py)
#
# PYTHON is the project's .venv/bin/python: it tells whether a browser is found
# the way `okr-workshop report` looks for one (the PATH, the usual install places,
# $OKR_WORKSHOP_CHROMIUM), so the two can never disagree.
#
# The proxy comes from npm into the environment's node/ folder (.venv/node), where
# deploy/jupyterhub_config.py looks first; no root needed, a few seconds, once.
# On Debian or Ubuntu, as root or with password-less sudo, what is missing is
# installed with apt-get (about a minute, once; Node.js and npm too when the
# proxy needs them). Otherwise one line per part says
# what is missing and how to get it, and make goes on: the demo writes its reports
# as HTML without PDFs, and the tests that need the part skip, saying why. Under
# CI=true nothing may be skipped, so a part that cannot be installed stops the run.
set -u
purpose="${1:-demo}"
python="${2:-.venv/bin/python}"
node_dir="$(dirname "$(dirname "$python")")/node"  # .venv/bin/python -> .venv/node, sys.prefix/node in the hub config

have_browser() {
    "$python" -c 'import sys
from okr_workshop.pdf import find_browser
sys.exit(0 if find_browser() else 1)' 2>/dev/null
}

have_postgres() {  # as tests/pg.py looks: $OKR_WORKSHOP_PG_BIN (only that, when set), Debian's folders, the PATH
    if [ -n "${OKR_WORKSHOP_PG_BIN:-}" ]; then [ -x "$OKR_WORKSHOP_PG_BIN/initdb" ]; return; fi
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

have_proxy() {  # as deploy/jupyterhub_config.py looks: next to the Python, else on the PATH
    [ -x "$node_dir/node_modules/.bin/configurable-http-proxy" ] || command -v configurable-http-proxy >/dev/null 2>&1
}

install_proxy() {  # from npm into $node_dir, when the tests need it and npm is there
    { [ "$purpose" = test ] && ! have_proxy && command -v npm >/dev/null 2>&1; } || return 0
    echo "Installing JupyterHub's proxy: npm install --prefix $node_dir configurable-http-proxy@5 (once)"
    npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error configurable-http-proxy@5 >&2 ||
        echo "npm could not install configurable-http-proxy" >&2
}

# survey: what is missing, as Debian package names to install and a line of advice per part.
survey() {
    packages=""
    advice=""
    if ! have_browser; then
        if [ -n "${OKR_WORKSHOP_CHROMIUM:-}" ]; then  # the user named the browser: honoured, never replaced
            add_advice "OKR_WORKSHOP_CHROMIUM=$OKR_WORKSHOP_CHROMIUM is not a browser this machine can run, so there will be no PDFs: point it at Chromium, Chrome or Edge, or unset it."
        else
            packages="chromium"
            add_advice "PDFs need Chromium, Chrome or Edge. Debian/Ubuntu: sudo apt-get install chromium; macOS: install Google Chrome; or set OKR_WORKSHOP_CHROMIUM to the browser's path."
        fi
    fi
    if [ "$purpose" = test ] && ! have_postgres; then
        if [ -n "${OKR_WORKSHOP_PG_BIN:-}" ]; then
            add_advice "OKR_WORKSHOP_PG_BIN=$OKR_WORKSHOP_PG_BIN holds no initdb, so the PostgreSQL tests cannot start a server."
        else
            packages="$packages${packages:+ }postgresql"
            add_advice "The PostgreSQL tests need its server programs (initdb, pg_ctl). Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql; or set OKR_WORKSHOP_PG_BIN to the folder holding them."
        fi
    fi
    if [ "$purpose" = test ] && ! have_proxy; then
        if command -v npm >/dev/null 2>&1; then
            add_advice "The JupyterHub tests need its proxy, and npm install --prefix $node_dir configurable-http-proxy@5 failed (its reason is above)."
        else
            packages="$packages${packages:+ }nodejs npm"
            add_advice "The JupyterHub tests need its proxy (configurable-http-proxy), which comes from npm. Debian/Ubuntu: sudo apt-get install nodejs npm; macOS: brew install node; then run this again."
        fi
    fi
}
add_advice() { advice="$advice${advice:+
}$1"; }

install_proxy
survey
[ -z "$advice" ] && exit 0

# Install with apt-get when we may: as root, or through password-less sudo.
as_root=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"; else as_root="none"; fi
fi
if [ -n "$packages" ] && [ "$as_root" != none ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing what okr-workshop needs from the system: $packages (apt-get, once)"
    log=$(mktemp)
    # shellcheck disable=SC2086
    if ! { $as_root apt-get update -qq >"$log" 2>&1 &&
           DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq $packages >>"$log" 2>&1; }; then
        tail -n 5 "$log" >&2  # apt-get's own reason
        echo "apt-get could not install: $packages" >&2
    fi
    rm -f "$log"
    install_proxy
    survey
    [ -z "$advice" ] && exit 0
fi

printf '%s\n' "$advice" | while IFS= read -r line; do echo "note: $line" >&2; done
if [ "$purpose" = test ]; then
    echo "note: the tests that need these skip, saying why." >&2
elif "$python" -c 'import sys
from okr_workshop.pdf import pdf_problem
sys.exit(1 if pdf_problem() else 0)' 2>/dev/null; then
    echo "note: meanwhile PDFs are printed with WeasyPrint (close to a browser's, but not the same)." >&2
else
    echo "note: the demo goes on without PDFs." >&2
fi
case "${CI:-}" in
    1|true|TRUE|True|yes) echo "CI=true: nothing may be skipped, so this run stops here." >&2; exit 1 ;;
esac
exit 0
