"""How kernels of notebooks run headless (reports, measure notebooks) start: arguments and socket files of their own.

Kernels started side by side on TCP can be handed the same port (a race
jupyter_client's port cache narrows but cannot close), and a client whose
kernel died of it waits for ever. With the ``ipc`` transport there are no
ports; but jupyter_client names the socket files after a path that is the
same for every kernel started from one folder, so kernels started together
can still pick the same files. :class:`SocketFolderKernelManager` gives
each kernel a private folder for its socket files, and removes it when the
kernel is done.

:class:`EarlyKernel` starts a kernel before its notebook is ready to run,
so that it boots while ``okr-workshop report`` still checks its options and
the store; papermill then runs the notebook on it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

__all__ = ["KERNEL", "KERNEL_ARGUMENTS", "EarlyKernel", "SocketFolderKernelManager", "papermill_options"]

KERNEL = "python3"
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
"""Keeps the kernels' start-up chatter off the terminal; errors land in the notebook."""
_HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"
"""What nbclient adds to the arguments of every kernel it starts (no IPython history file): an early kernel too."""


class SocketFolderKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel talks over Unix socket files in a temporary folder of its own."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)

    def _ip_default(self) -> str:
        if self.transport != "ipc":
            return super()._ip_default()
        if getattr(self, "_socket_folder", None) is None:  # asked again (loading connection info): the same folder
            self._socket_folder = tempfile.mkdtemp(prefix="okr-kernel-")  # a short path: sockets allow 107 bytes
        return os.path.join(self._socket_folder, "k")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        folder = getattr(self, "_socket_folder", None)
        if folder and not restart:
            shutil.rmtree(folder, ignore_errors=True)
            self._socket_folder = None

    # AsyncKernelManager binds the base class's coroutine to this name; nbclient awaits it after every run
    # (the only clean-up a kernel that died gets), so it must be ours, and stay a coroutine.
    cleanup_resources = _async_cleanup_resources


def _manager_class() -> type[AsyncKernelManager]:
    """Unix socket files where there are Unix sockets; elsewhere nbclient's own manager (TCP)."""
    return SocketFolderKernelManager if os.name == "posix" else AsyncKernelManager


def papermill_options() -> dict:
    """The keyword arguments every report (and the benchmark's empty notebook) passes to papermill for its kernel.

    Once the last cell has run the kernel is stopped at once rather than
    asked to exit: a report's kernel has nothing to save, and its orderly
    exit (unloading pandas and the rest) cost the report 0.3 to 0.6 s.
    """
    return {"kernel_name": KERNEL, "extra_arguments": KERNEL_ARGUMENTS, "shutdown_kernel": "immediate",
            "kernel_manager_class": _manager_class()}


class EarlyKernel:
    """A report kernel started ahead of its notebook, on the calling thread, for papermill to run the notebook on.

    Starting returns at once; the kernel boots in its own process meanwhile.
    :meth:`papermill_options` hands it to papermill, which then runs the
    notebook on it and shuts it down as it does a kernel it started itself.
    :meth:`close` shuts it down if no notebook took it (the command stopped
    before). Use it from the thread that started it: the kernel's sockets
    belong to that thread's event loop.
    """

    def __init__(self, kernel_name: str = KERNEL) -> None:
        self.taken = False
        self.manager = _manager_class()(kernel_name=kernel_name)
        try:
            run_sync(self.manager.start_kernel)(extra_arguments=[*KERNEL_ARGUMENTS, _HISTORY_IN_MEMORY])
        except BaseException:
            with contextlib.suppress(Exception):  # what it made so far (the socket folder, the connection file)
                run_sync(self.manager.cleanup_resources)()
            raise

    def papermill_options(self) -> dict:
        """:func:`papermill_options` with a kernel manager "class" that hands nbclient this started kernel."""
        early = self

        class Started(_manager_class()):
            def __new__(cls, *_args, **_kwargs):  # nbclient makes its kernel manager: it gets ours (not re-initialised)
                early.taken = True
                return early.manager

        return {**papermill_options(), "kernel_manager_class": Started}

    def close(self) -> None:
        """Shut the kernel down unless a notebook took it (nbclient shuts down what it ran)."""
        if not self.taken and self.manager.has_kernel:
            run_sync(self.manager.shutdown_kernel)(now=True)

    def __enter__(self) -> EarlyKernel:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
