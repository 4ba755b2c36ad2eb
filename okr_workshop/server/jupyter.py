"""Where a workshop server keeps Jupyter's state, the environment it runs in, and the store its kernels share.

Jupyter's state (config, data, runtime files, IPython profile) goes to
``.jupyter/`` of the project, or of the current directory when the package is
installed elsewhere. Voila renders with the ``okr`` template shipped in this
package (``okr_workshop/jupyter``), which fetches nothing from a CDN.
"""

from __future__ import annotations

import os
from pathlib import Path

from okr_workshop.exceptions import ServeError

__all__ = ["TEMPLATE", "TEMPLATES_ROOT", "TOKEN_VAR", "jupyter_env", "project_root", "store_location",
           "without_password"]

TEMPLATE = "okr"
"""The Voila template in ``okr_workshop/jupyter/voila/templates/``."""
TEMPLATES_ROOT = Path(__file__).resolve().parent.parent / "jupyter"
"""A Jupyter data folder (put on ``JUPYTER_PATH``) holding our Voila template."""
TOKEN_VAR = "OKR_WORKSHOP_SERVE_TOKEN"
"""The server's token on its way to the server process; never in a kernel's environment."""


def project_root() -> Path:
    """The checkout this package runs from (it holds ``pyproject.toml`` and ``notebooks/``), else the current folder."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "notebooks").is_dir():
        return checkout
    return Path.cwd()


def jupyter_env(root: str | os.PathLike, db: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a server: Jupyter's state under ``root/.jupyter/``, our templates, the store.

    The store's location (``db``) is in ``$OKR_WORKSHOP_DB``; ``base`` defaults to this process's environment.
    """
    state = Path(root).resolve() / ".jupyter"
    env = dict(os.environ if base is None else base)
    dirs = {
        "JUPYTER_CONFIG_DIR": state / "config",
        "JUPYTER_DATA_DIR": state / "data",
        "JUPYTER_RUNTIME_DIR": state / "runtime",
        "IPYTHONDIR": state / "ipython",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[name] = str(path)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES_ROOT), env.get("JUPYTER_PATH")]))
    env["OKR_WORKSHOP_DB"] = db
    env.pop(TOKEN_VAR, None)
    return env


def store_location(db: str | os.PathLike | None) -> tuple[str, bool]:
    """``db`` as every kernel can open it (an absolute SQLite path, or a URL), and whether the store was new.

    Opening the store once here creates its tables, so kernels starting together
    do not race to create them.
    """
    from okr_workshop.store.database import Store, database_url  # noqa: PLC0415 - pandas, SQLAlchemy: not at start-up

    url = database_url(db)
    if url.startswith("sqlite://"):
        name = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else ""
        if name in ("", ":memory:") or name.startswith("file::memory:"):
            raise ServeError("An in-memory store cannot be shared between kernels: give a file (--db workshop.db)")
        path = Path(name).expanduser().resolve()
        new = not path.exists()
        Store(path).close()
        return str(path), new
    Store(url).close()
    return url, False


def without_password(location: str) -> str:
    """A store location fit to print: a URL's password replaced by ``***``."""
    if "://" not in location:
        return location
    from sqlalchemy.engine import make_url  # noqa: PLC0415 - SQLAlchemy: not at start-up

    return make_url(location).render_as_string(hide_password=True)
