"""The project's own files: dependency lists in step, blank templates current, notebooks clean."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from okr_workshop.io import read_workbook
from okr_workshop.schema import TABLES, column_guide

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _without_extras(requirement: str) -> str:
    """``psycopg[binary]>=3.1`` as conda names it, ``psycopg>=3.1`` (conda packages have no pip extras)."""
    return re.sub(r"\[[^\]]*\]", "", requirement).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = _pyproject()["project"]
    wanted = {_name(r): _without_extras(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = {_name(d): _without_extras(d) for d in env["dependencies"] if isinstance(d, str)}
    listed.pop("python"), listed.pop("pip")
    assert listed == wanted


def test_console_script_points_at_the_cli():
    assert _pyproject()["project"]["scripts"]["okr-workshop"] == "okr_workshop.cli:run"


def test_blank_csv_template_has_every_table_with_the_contract_columns():
    folder = ROOT / "templates" / "blank" / "okr-workbook"
    for name, spec in TABLES.items():
        header = (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert header == [",".join(spec.column_names)]
    assert (folder / "COLUMNS.md").read_text(encoding="utf-8") == column_guide()


def test_blank_xlsx_template_explains_every_column():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(ROOT / "templates" / "blank" / "okr-workbook.xlsx", read_only=True)
    readme = list(book["README"].iter_rows(values_only=True))
    explained = {(row[0], row[1]) for row in readme[1:]}
    assert explained == {(name, c.name) for name, spec in TABLES.items() for c in spec.columns}
    for name, spec in TABLES.items():
        assert next(book[name].iter_rows(values_only=True)) == spec.column_names


def test_example_company_is_a_valid_workbook():
    workbook = read_workbook(ROOT / "templates" / "examples" / "brightwell")
    counts = workbook.counts()
    assert counts["teams"] == 6
    assert 35 <= counts["people"] <= 45
    assert set(workbook["objectives"]["level"]) == {"company", "team", "individual"}
    assert counts["checkins"] > 100


def test_committed_notebooks_carry_no_outputs():
    for path in ROOT.glob("notebooks/*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and not cell.get("execution_count"), path.name
