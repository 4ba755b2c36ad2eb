"""``okr-workshop serve``: the workshop apps in Voila, or the notebooks in JupyterLab, on this machine.

:func:`start` launches the server as a child process and returns a
:class:`Server` once it answers; :func:`serve` runs one until Ctrl-C, and
:func:`serve_command` is the click command around it. Both servers:

- listen on 127.0.0.1 only and ask for a fresh token (printed in the one URL to
  open; the browser keeps a cookie, so links between pages need no token). A
  kernel runs the user's code, so no other local user or web page may reach it;
- serve ``notebooks/`` with every browser tab its own kernel, each kernel
  finding the same store through ``$OKR_WORKSHOP_DB`` (an absolute path or URL);
  in Voila, closing or reloading a tab shuts its kernel down;
- keep Jupyter's state (config, data, runtime files, IPython profile, the
  server log) in ``.jupyter/`` of the project, or of the current directory
  when the package is installed elsewhere;
- need no network: Voila renders with the ``okr`` template shipped in this
  package (``okr_workshop/jupyter``), which drops the stylesheet Voila's own
  template fetches from a CDN, and JupyterLab checks neither news nor updates.

With personal links (``--personal-links FILE``, Voila only), every person of
the store also gets a link of their own that opens the apps as them.

One concern per module:

- :mod:`~okr_workshop.server.jupyter`: where Jupyter keeps its state, the server's environment, the shared store;
- :mod:`~okr_workshop.server.process`: starting the server process, waiting until it answers, running it
  until Ctrl-C or a signal, stopping it;
- :mod:`~okr_workshop.server.links`: personal links, and
  :mod:`~okr_workshop.server.identity_provider` the sign-in Voila uses with them (loaded by the server only);
- :mod:`~okr_workshop.server.index`: the index of apps ``notebooks/index.ipynb`` shows;
- :mod:`~okr_workshop.server.command`: the ``okr-workshop serve`` command.

The index of apps reads each app's title and intro from its source (with :mod:`ast`, importing no app);
this package still loads it only on first use of :data:`APPS`, :class:`App` or :func:`apps_index_html`.
"""

from __future__ import annotations

from okr_workshop.exceptions import ServeError
from okr_workshop.server.command import serve_command
from okr_workshop.server.jupyter import TEMPLATES_ROOT, jupyter_env, project_root, store_location
from okr_workshop.server.links import PERSONAL_LINKS_PROVIDER, write_personal_links
from okr_workshop.server.process import Server, pick_port, serve, start

__all__ = [
    "APPS",
    "PERSONAL_LINKS_PROVIDER",
    "TEMPLATES_ROOT",
    "App",
    "ServeError",
    "Server",
    "apps_index_html",
    "jupyter_env",
    "pick_port",
    "project_root",
    "serve",
    "serve_command",
    "start",
    "store_location",
    "write_personal_links",
]

_INDEX_NAMES = frozenset({"APPS", "App", "apps_index_html"})


def __getattr__(name: str) -> object:
    """:data:`APPS`, :class:`App` and :func:`apps_index_html`, from :mod:`~okr_workshop.server.index` on first use."""
    if name not in _INDEX_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from okr_workshop.server import index  # noqa: PLC0415 - it parses the apps' sources and loads pydantic and jinja2

    return getattr(index, name)
