"""Report kernels: Unix socket files in a folder of each kernel's own, removed when the kernel is done.

Real kernels through papermill, started side by side on threads as
``okr-workshop report --jobs N`` starts them.
"""

from __future__ import annotations

import json
import tempfile
from concurrent.futures import ThreadPoolExecutor

import nbformat
import papermill
import pytest

from okr_workshop.reports.kernels import papermill_options

pytestmark = pytest.mark.integration

WHERE = (
    "from ipykernel.kernelapp import IPKernelApp\n"
    "app = IPKernelApp.instance()\n"
    "print(__import__('json').dumps({'transport': app.transport, 'ip': app.ip, 'n': n}))"
)


def notebook(path, source: str):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("n = 0", metadata={"tags": ["parameters"]}), nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, path)
    return path


def run(source_path, out_path, n: int):
    return papermill.execute_notebook(str(source_path), str(out_path), parameters={"n": n}, progress_bar=False,
                                      log_output=False, request_save_on_cell_execute=False, **papermill_options())


@pytest.fixture
def socket_root(tmp_path, monkeypatch):
    """Where the kernels' socket folders go (a short path of the test's own)."""
    root = tmp_path / "s"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_kernels_started_side_by_side_each_use_sockets_of_their_own_and_leave_none(tmp_path, socket_root):
    source = notebook(tmp_path / "where.ipynb", WHERE)
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = list(pool.map(lambda n: run(source, tmp_path / f"out-{n}.ipynb", n), range(3)))
    seen = [json.loads(nb.cells[-1].outputs[0]["text"]) for nb in done]
    assert [s["n"] for s in seen] == [0, 1, 2]
    assert {s["transport"] for s in seen} == {"ipc"}
    folders = {s["ip"].rsplit("/", 1)[0] for s in seen}
    assert len(folders) == 3 and all(f.startswith(str(socket_root) + "/okr-kernel-") for f in folders)
    assert list(socket_root.iterdir()) == []


def test_a_kernel_that_dies_leaves_no_socket_folder(tmp_path, socket_root):
    source = notebook(tmp_path / "dies.ipynb", "import os\nos._exit(1)")
    with pytest.raises(Exception, match="(?i)dead|died|kernel"):
        run(source, tmp_path / "out.ipynb", 0)
    assert list(socket_root.iterdir()) == []
