"""The workshop notebooks: thin, committed without outputs, and running headless against the example store."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill
import pytest

from okr_workshop.io import read_workbook
from okr_workshop.store.database import Store

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))


@pytest.fixture(scope="module")
def example_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "workshop.db"
    Store(path).write_workbook(read_workbook(ROOT / "templates" / "examples" / "brightwell"))
    return path


def test_the_workshop_notebooks_are_all_there() -> None:
    names = {path.stem for path in NOTEBOOKS}
    assert {"01_company_objectives", "02_cascade", "03_individual_okrs", "05_checkins",
            "06_facilitator_dashboard"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_thin_without_outputs_with_a_parameters_cell(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in code)
    parameters = [cell for cell in code if "parameters" in cell.metadata.get("tags", [])]
    assert len(parameters) == 1 and "OKR_WORKSHOP_DB" in parameters[0].source and "db =" in parameters[0].source
    assert len(code) <= 3 and sum(len(cell.source.splitlines()) for cell in code) <= 12, "logic belongs in the package"
    assert "from okr_workshop" in code[-1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_runs_headless_against_the_example_store(path: Path, example_store: Path, tmp_path: Path) -> None:
    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), parameters={"db": str(example_store)}, kernel_name="python3",
                               cwd=str(path.parent), progress_bar=False, log_output=False)
    executed = json.loads(out.read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    last = executed["cells"][-1]["outputs"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in last), "the app is shown"
