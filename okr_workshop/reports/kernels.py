"""How report kernels are started: the kernel, its arguments, and Unix socket files of its own.

Kernels started side by side on TCP can be handed the same port (a race
jupyter_client's port cache narrows but cannot close), and a client whose
kernel died of it waits for ever. With the ``ipc`` transport there are no
ports; but jupyter_client names the socket files after a path that is the
same for every kernel started from one folder, so kernels started together
can still pick the same files. :class:`SocketFolderKernelManager` gives
each kernel a private folder for its socket files, and removes it when the
kernel is done.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager

__all__ = ["KERNEL", "KERNEL_ARGUMENTS", "SocketFolderKernelManager", "papermill_options"]

KERNEL = "python3"
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
"""Keeps the kernels' start-up chatter off the terminal; errors land in the notebook."""


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


def papermill_options() -> dict:
    """The keyword arguments every report (and the benchmark's empty notebook) passes to papermill for its kernel."""
    options: dict = {"kernel_name": KERNEL, "extra_arguments": KERNEL_ARGUMENTS}
    if os.name == "posix":
        options["kernel_manager_class"] = SocketFolderKernelManager
    return options
