"""Report kernels: Unix socket files in a folder of each kernel's own, removed when the kernel is done; kernels
started early; kernels stopped at once after the last cell.

Real kernels through papermill, started side by side on threads as
``okr-workshop report --jobs N`` starts them.
"""

from __future__ import annotations

import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor

import nbformat
import papermill
import pytest

from okr_workshop.kernels import EarlyKernel, papermill_options

pytestmark = pytest.mark.integration

WHERE = (
    "from ipykernel.kernelapp import IPKernelApp\n"
    "app = IPKernelApp.instance()\n"
    "print(__import__('json').dumps({'transport': app.transport, 'ip': app.ip, 'n': n}))"
)


def notebook(path, source: str):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("n = 0", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(source)]
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


def kernel_folders(root):
    return [path for path in root.iterdir() if path.name.startswith("okr-kernel-")]


def test_kernels_started_side_by_side_each_use_sockets_of_their_own_and_leave_none(tmp_path, socket_root):
    source = notebook(tmp_path / "where.ipynb", WHERE)
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = list(pool.map(lambda n: run(source, tmp_path / f"out-{n}.ipynb", n), range(3)))
    seen = [json.loads(nb.cells[-1].outputs[0]["text"]) for nb in done]
    assert [s["n"] for s in seen] == [0, 1, 2]
    assert {s["transport"] for s in seen} == {"ipc"}
    folders = {s["ip"].rsplit("/", 1)[0] for s in seen}
    assert len(folders) == 3 and all(f.startswith(str(socket_root) + "/okr-kernel-") for f in folders)
    assert kernel_folders(socket_root) == []


def test_a_kernel_that_dies_leaves_no_socket_folder(tmp_path, socket_root):
    source = notebook(tmp_path / "dies.ipynb", "import os\nos._exit(1)")
    with pytest.raises(Exception, match=r"(?i)dead|died|kernel"):
        run(source, tmp_path / "out.ipynb", 0)
    assert kernel_folders(socket_root) == []


PID = "import os\nprint(os.getpid())"
ATEXIT = ("import atexit, pathlib\n"
          "atexit.register(pathlib.Path(r'{marker}').write_text, 'the kernel exited in order')\n"
          "print('registered')")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_an_early_kernel_runs_the_notebook_papermill_is_given_and_is_gone_after(tmp_path, socket_root):
    source = notebook(tmp_path / "pid.ipynb", PID)
    with EarlyKernel() as kernel:
        pid = kernel.manager.provisioner.pid
        assert len(kernel_folders(socket_root)) == 1
        done = papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), parameters={"n": 1},
                                          progress_bar=False, log_output=False, **kernel.papermill_options())
        assert kernel.taken
    assert int(done.cells[-1].outputs[0]["text"]) == pid, "the notebook ran on the kernel started early"
    assert gone(pid)
    assert kernel_folders(socket_root) == []


def test_an_early_kernel_no_notebook_took_is_shut_down(socket_root):
    kernel = EarlyKernel()
    pid = kernel.manager.provisioner.pid
    kernel.close()
    assert not kernel.taken and gone(pid)
    assert kernel_folders(socket_root) == []


def test_a_report_kernel_is_stopped_as_soon_as_its_last_cell_ran(tmp_path):
    """Not asked to exit (its orderly exit took 0.3 to 0.6 s): so the exit handlers of the notebook do not run."""
    marker = tmp_path / "exited.txt"
    source = notebook(tmp_path / "atexit.ipynb", ATEXIT.format(marker=marker))
    done = run(source, tmp_path / "out.ipynb", 0)
    assert done.cells[-1].outputs[0]["text"].strip() == "registered"
    assert not marker.exists()
    papermill.execute_notebook(str(source), str(tmp_path / "graceful.ipynb"), parameters={"n": 0}, progress_bar=False,
                               log_output=False, **{**papermill_options(), "shutdown_kernel": "graceful"})
    assert marker.read_text() == "the kernel exited in order", "the handler works when the kernel is let exit"


def test_an_early_kernel_that_cannot_start_says_why_and_leaves_nothing(tmp_path, socket_root, monkeypatch):
    with pytest.raises(Exception, match="no-such-kernel"):
        EarlyKernel("no-such-kernel")
    broken = tmp_path / "jupyter" / "kernels" / "broken"
    broken.mkdir(parents=True)
    (broken / "kernel.json").write_text(json.dumps({"argv": [str(tmp_path / "no-python"), "-f", "{connection_file}"],
                                                    "display_name": "Broken", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    with pytest.raises(OSError):  # its program is missing: found after the sockets and connection file were made
        EarlyKernel("broken")
    assert list(socket_root.iterdir()) == []
