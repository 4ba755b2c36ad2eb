"""``okr-workshop report`` end to end: papermill kernels, HTML through our template, PDF through chromium, the index.

One run of the example company (company, every team and one unknown team,
HTML and PDF, two at a time) is shared by the tests of this module; two
small runs read the reports as a participant and as a non-participant of
the participants-only objective. Each kernel costs 2 to 4 s.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfpages import page_count, page_png, pdf_text
from test_report_sections import (
    EXAMPLE,
    NON_PARTICIPANT,
    OWNER,
    PARTICIPANT,
    PRIVATE_TITLE,
    QUARTER,
    SCRIPT,
    hostile_rows,
)

from okr_workshop.cli import EXIT_FINDINGS, EXIT_OK, main
from okr_workshop.exceptions import StoreError
from okr_workshop.io import read_workbook
from okr_workshop.store.database import ENV_VAR, Store

pytestmark = pytest.mark.integration

TEAMS = ["sales", "fleet", "support", "product", "marketing", "people"]
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.IGNORECASE)
CSS_EXTERNAL = re.compile(r"""(?:url\(|@import)\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.IGNORECASE)


def report(*args: object):
    """Run ``okr-workshop report`` in this process."""
    return CliRunner().invoke(main, ["report", *[str(a) for a in args]], catch_exceptions=False)


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report-store") / "example.db"
    store = Store(path)
    store.write_workbook(read_workbook(EXAMPLE))
    store.write_workbook(hostile_rows())
    store.close()
    return path


@pytest.fixture(scope="module")
def company_run(store_file, tmp_path_factory):
    """The company and every team, plus a team that does not exist: HTML and PDF, notebooks kept."""
    out = tmp_path_factory.mktemp("reports")
    result = report("--quarter", QUARTER, "--company", "--all-teams", "--team", "nosuch", "--as-of", "2026-11-20",
                    "--format", "html,pdf", "--jobs", "2", "--keep-notebooks", "--out", out, "--db", store_file)
    return result, out


@pytest.fixture(scope="module")
def viewer_runs(store_file, tmp_path_factory):
    """Fleet's report and Emeka's, read by a participant; Fleet's read by a teammate who is not one."""
    runs = {}
    viewers = ((PARTICIPANT, ["--team", "fleet", "--person", OWNER]), (NON_PARTICIPANT, ["--team", "fleet"]))
    for viewer, scopes in viewers:
        out = tmp_path_factory.mktemp("viewer")
        result = report("--quarter", QUARTER, *scopes, "--viewer", viewer, "--as-of", "2026-11-20", "--jobs", "2",
                        "--out", out, "--db", store_file)
        runs[viewer] = (result, out)
    return runs


def html_files(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


def test_the_company_and_every_team_render_to_html_and_pdf(company_run):
    _, out = company_run
    for name in ["company", *[f"team-{t}" for t in TEAMS]]:
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "<h1>" in page and "Quarterly review" in page
        pdf = out / f"{name}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert page_count(pdf) >= 2
    text = pdf_text(out / "team-fleet.pdf")
    assert "Fleet Operations" in text and "Keep, modify or abandon" in text
    assert page_png(out / "company.pdf", out / "first.png", dpi=30).stat().st_size > 5_000


def test_a_failing_scope_exits_1_and_the_others_still_render(company_run):
    result, out = company_run
    assert result.exit_code == EXIT_FINDINGS
    assert "team:nosuch" in result.stderr and "no team 'nosuch'" in result.stderr
    assert "Wrote 7 reports" in result.output
    assert not (out / "team-nosuch.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "no team &#39;nosuch&#39;" in index


def test_the_index_links_every_report_with_its_headline(company_run):
    _, out = company_run
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ["company", *[f"team-{t}" for t in TEAMS]]:
        assert f'href="{name}.html"' in index and f'href="{name}.pdf"' in index
    assert "Fleet Operations" in index and "objectives" in index
    assert re.search(r'class="chip"[^>]*>0\.\d\d<', index), "a score in its grade colour"


def test_no_page_asks_another_host_for_anything(company_run, viewer_runs):
    pages = html_files(company_run[1]) + [p for _, out in viewer_runs.values() for p in html_files(out)]
    assert len(pages) >= 10
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert not EXTERNAL.findall(page), path.name
        assert not CSS_EXTERNAL.findall(page), path.name
        assert "<script src" not in page and "require.js" not in page and "mathjax" not in page.lower()


def test_code_and_prompts_are_hidden(company_run):
    page = (company_run[1] / "team-fleet.html").read_text(encoding="utf-8")
    assert "review.build(" not in page and "r.headline()" not in page and "snapshot" not in page
    assert not re.search(r'class="[^"]*(?:jp-InputPrompt|jp-InputArea|jp-OutputPrompt)', page)
    assert "In&nbsp;[" not in page and "Out&nbsp;[" not in page
    assert "okr-workshop report</code> runs this notebook" not in page  # the notes cell is left out


def test_participants_only_objective_appears_in_no_report_of_a_non_participant(company_run, viewer_runs):
    result, out = viewer_runs[NON_PARTICIPANT]
    assert result.exit_code == EXIT_OK
    for path in html_files(company_run[1]) + html_files(out):
        assert PRIVATE_TITLE not in path.read_text(encoding="utf-8"), path
        assert "I-emeka-1" not in path.read_text(encoding="utf-8"), path
    for pdf in company_run[1].glob("*.pdf"):
        assert "solo mechanic" not in pdf_text(pdf), pdf.name


def test_participants_see_it(viewer_runs):
    result, out = viewer_runs[PARTICIPANT]
    assert result.exit_code == EXIT_OK
    for name in ["team-fleet.html", "person-emeka.obi@brightwell.example.html"]:
        assert PRIVATE_TITLE in (out / name).read_text(encoding="utf-8"), name


def test_a_script_tag_title_stays_text(company_run):
    for name in ["team-sales.html", "company.html"]:
        page = (company_run[1] / name).read_text(encoding="utf-8")
        assert SCRIPT not in page and "<script" not in page and "<img" not in page and "<u>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, name
        assert "&lt;img src=x" in page and "&lt;/section&gt;&lt;script&gt;x()" in page, name


def test_executed_notebooks_are_kept_for_audit(company_run, store_file):
    _, out = company_run
    kept = sorted(p.name for p in (out / "notebooks").glob("*.ipynb"))
    assert "company.ipynb" in kept and "team-fleet.ipynb" in kept and "team-nosuch.ipynb" in kept
    notebook = json.loads((out / "notebooks" / "team-fleet.ipynb").read_text(encoding="utf-8"))
    parameters = notebook["metadata"]["papermill"]["parameters"]
    assert parameters["scope"] == "team:fleet" and parameters["quarter"] == QUARTER
    assert str(store_file) in parameters["db"]
    failed = json.loads((out / "notebooks" / "team-nosuch.ipynb").read_text(encoding="utf-8"))
    assert any(o.get("ename") == "ReportError" for c in failed["cells"] for o in c.get("outputs", []))


def test_the_template_is_committed_without_outputs_and_with_typed_parameters():
    import nbformat

    notebook = nbformat.read(Path(__file__).resolve().parents[1] / "templates" / "quarterly_review.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    parameters = [cell for cell in code if "parameters" in cell.metadata.get("tags", [])]
    assert len(parameters) == 1
    for name in ("db", "quarter", "scope", "viewer", "as_of"):
        assert re.search(rf"^{name}: str = .*  # \w", parameters[0].source, re.MULTILINE), name
    assert "def " not in "".join(cell.source for cell in code), "logic belongs in okr_workshop.reports"


def test_bad_options_are_refused_before_any_kernel_starts(store_file, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert report("--quarter", QUARTER, "--out", tmp_path, "--db", store_file).exit_code == 2  # no scope named
    assert report("--quarter", "Q4", "--company", "--db", store_file).exit_code == 2
    assert report("--quarter", QUARTER, "--company", "--format", "docx", "--db", store_file).exit_code == 2
    unknown_quarter = report("--quarter", "2031-Q1", "--company", "--out", tmp_path, "--db", store_file)
    assert unknown_quarter.exit_code == 2 and "no objectives for 2031-Q1" in unknown_quarter.stderr
    stranger = report("--quarter", QUARTER, "--company", "--viewer", "nobody@example.org", "--out", tmp_path,
                      "--db", store_file)
    assert stranger.exit_code == 2 and "no person" in stranger.stderr
    with pytest.raises(StoreError, match="No store"):  # okr-workshop turns it into a message and exit status 2
        report("--quarter", QUARTER, "--company", "--out", tmp_path, "--db", tmp_path / "none.db")
    assert not list(tmp_path.glob("*.html"))
