"""JupyterHub for an OKR workshop: everyone logs in and gets a Jupyter server of their own that opens
the workshop apps in Voila, all of them on one PostgreSQL store.

    jupyterhub -f deploy/jupyterhub_config.py

Every setting that differs between machines comes from the hub's environment
(docs/deployment.md, section 2):

    OKR_HUB_MODE           production (the default) or test
    OKR_WORKSHOP_DB        the store's URL, or OKR_WORKSHOP_DB_FILE: a file holding it (a secret)
    OKR_HUB_NOTEBOOKS      the workshop notebooks (default: notebooks/ of this checkout)
    OKR_HUB_STATE          the hub's own database and cookie secret (default: the current folder)
    OKR_WORKSHOP_CERTIFICATES  where the course writes certificates (default: certificates/ in OKR_HUB_STATE)
    OKR_HUB_BIND_URL       where the hub listens (default http://127.0.0.1:8000: put TLS in front of it)
    OKR_HUB_IDLE_TIMEOUT   seconds after which a server nobody uses is stopped (default 3600)
    OKR_HUB_PASSWORD       test mode only: the one password every person in the store logs in with

Test mode is for trying the hub on one machine (tests/test_hub.py runs it):
the people in the store log in with their id and the shared password, and
every server runs as the hub's own user. Production logs people in through
the system's accounts (PAM, JupyterHub's default), each server running as
its person's account; see the comment at the authenticator for single sign-on.
"""

import os
import sys
from pathlib import Path

from okr_workshop.server import TEMPLATES_ROOT, jupyter_env, project_root

c = get_config()  # noqa: F821 - JupyterHub provides it

mode = os.environ.get("OKR_HUB_MODE", "production")
if mode not in ("production", "test"):
    raise ValueError(f"OKR_HUB_MODE is {mode!r}: it must be production or test")
state = Path(os.environ.get("OKR_HUB_STATE", ".")).resolve()
notebooks = Path(os.environ.get("OKR_HUB_NOTEBOOKS") or project_root() / "notebooks").resolve()
idle_timeout = int(os.environ.get("OKR_HUB_IDLE_TIMEOUT", "3600"))


def store_url() -> str:
    """The store's URL: $OKR_WORKSHOP_DB_FILE names a file holding it (a mounted secret), else $OKR_WORKSHOP_DB."""
    if secret := os.environ.get("OKR_WORKSHOP_DB_FILE"):
        return Path(secret).read_text(encoding="utf-8").strip()
    if url := os.environ.get("OKR_WORKSHOP_DB"):
        return url
    raise ValueError("Give the store's URL in OKR_WORKSHOP_DB, or a file holding it in OKR_WORKSHOP_DB_FILE")


db = store_url()

# --- The hub, its proxy, its own state --------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("OKR_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"  # the hub's users and tokens, not the OKRs
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
# configurable-http-proxy (npm): the copy installed next to this Python (npm install --prefix
# $VIRTUAL_ENV/node configurable-http-proxy@5, as `make test` does), else the one on the PATH (npm install -g).
local_proxy = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(local_proxy) if local_proxy.exists() else "configurable-http-proxy"]

# --- Each person's server: the notebooks, opening the apps' index in Voila ---------------------------
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]  # from the hub's environment
c.Spawner.notebook_dir = str(notebooks)
c.Spawner.default_url = "/voila/render/index.ipynb"
# A link to an app (https://HUB/hub/user-redirect/voila/render/03_individual_okrs.ipynb) starts the
# person's server when it is not running, rather than showing a page with a button to start it.
c.JupyterHub.implicit_spawn_seconds = 1
# The server's own settings: Voila's okr template, no MathJax from a CDN, a kernel whose tab crashed gone after an hour.
c.Spawner.args = [f"--config={Path(__file__).with_name('jupyter_server_config.json')}"]
c.Spawner.environment = {
    "OKR_WORKSHOP_DB": db,  # every kernel of every person on the same store
    "JUPYTER_PATH": str(TEMPLATES_ROOT),  # where Voila finds the okr template
    # The course's certificates: a folder every server may write to (the notebooks may be read-only).
    "OKR_WORKSHOP_CERTIFICATES": os.environ.get("OKR_WORKSHOP_CERTIFICATES", str(state / "certificates")),
}
c.Spawner.start_timeout = 180  # generous: many people log in at the start of a session
c.Spawner.http_timeout = 120

# --- Stop the servers nobody used for a while (jupyterhub-idle-culler) -------------------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle_timeout}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

# --- Who may log in -------------------------------------------------------------------------------
if mode == "test":
    from okr_workshop.identity import people_one_can_be
    from okr_workshop.store.database import Store

    # Everyone in the store, with one shared password; every server runs as the hub's user, Jupyter's state
    # kept in OKR_HUB_STATE. Never for real people: anyone with the password can be anyone.
    store = Store(db, create=False)
    c.Authenticator.allowed_users = set(people_one_can_be(store.read_workbook()["people"])["id"])
    store.close()
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["OKR_HUB_PASSWORD"]
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
    c.Spawner.environment.update(jupyter_env(state, db, base={}))
    if os.geteuid() == 0:  # a container's root: Jupyter asks for consent
        c.Spawner.args.append("--allow-root")
else:
    # PAM: the machine's accounts, each server run as its person. The apps know a person by the login name:
    # a people id equal to it, or an e-mail id starting with it (ana.ortiz is ana.ortiz@brightwell.example).
    # For single sign-on instead: pip install oauthenticator, then
    #   c.JupyterHub.authenticator_class = "generic-oauth"
    #   c.GenericOAuthenticator.client_id / client_secret / oauth_callback_url / authorize_url / token_url /
    #   userdata_url / username_claim = "email" (the people's ids), and c.Authenticator.allow_all = True
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allow_all = True  # everyone with an account here; list people in allowed_users to narrow it
