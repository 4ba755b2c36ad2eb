"""Printing to PDF: which browser is found and in what order, WeasyPrint when there is none, the messages,
both for real.

The browsers of the order tests are stand-ins: small shell scripts that
write a minimal PDF naming themselves to the ``--print-to-pdf=`` path. The
engines of the fidelity tests are real: a team report and a certificate
printed by the browser and by WeasyPrint. Hiding the browser and the pango
library for a whole ``okr-workshop report`` run takes a mount namespace of
its own (``unshare -m``, as root): nothing outside that one process sees it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from needs import need
from pdfpages import page_count, page_png, page_size, pdf_producer, pdf_text

from okr_workshop import pdf
from okr_workshop.course.certificate import certificate_html
from okr_workshop.io import read_workbook
from okr_workshop.palette import STATUS_COLOURS
from okr_workshop.pdf import PdfError, find_browser, find_engine, html_to_pdf, pdf_problem
from okr_workshop.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "templates" / "examples" / "brightwell"
CLI = [sys.executable, "-m", "okr_workshop"]
NOT_A_PROGRAM = ("OKR_WORKSHOP_CHROMIUM={} is not a program: point it at Chromium, Chrome or Edge (the program "
                 "itself), or unset it.")
HOW_TO = ("Debian/Ubuntu: sudo apt-get install chromium; macOS: install Google Chrome; "
          "or set OKR_WORKSHOP_CHROMIUM=/path/to/the/browser.")
WEASYPRINT_LINE = "PDFs are printed with WeasyPrint (no Chromium, Chrome or Edge found)"
FAKE = """#!/bin/sh
# A stand-in browser: writes a minimal PDF naming itself to the --print-to-pdf= path.
for arg in "$@"; do
    case "$arg" in --print-to-pdf=*) out="${arg#--print-to-pdf=}" ;; esac
done
printf '%%PDF-1.4\\n%% printed by %s\\n%%%%EOF\\n' "$0" > "$out"
"""


# --------------------------------------------------------------------------- helpers


def fake_browser(folder: Path, name: str, script: str = FAKE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text(script, encoding="utf-8")
    program.chmod(0o755)
    return program


def printed_by(pdf_file: Path) -> str:
    """Which stand-in printed ``pdf_file`` (the path it wrote into it)."""
    return pdf_file.read_text(encoding="utf-8").splitlines()[1].removeprefix("% printed by ")


@pytest.fixture
def page(tmp_path: Path) -> Path:
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body><h1>Hello</h1></body></html>", encoding="utf-8")
    return page


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No browser anywhere: an empty PATH folder (returned), no install places, no $OKR_WORKSHOP_CHROMIUM."""
    path = tmp_path / "bin"
    path.mkdir()
    monkeypatch.setenv("PATH", str(path))
    monkeypatch.delenv(pdf.CHROMIUM_ENV, raising=False)
    monkeypatch.setattr(pdf, "INSTALL_PLACES", ())
    return path


# --------------------------------------------------------------------------- which browser, in what order


def test_the_named_browser_comes_before_every_other(bare: Path, tmp_path: Path, page: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    fake_browser(bare, "chromium")
    mine = fake_browser(tmp_path / "elsewhere", "my-chrome")
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(mine))
    assert find_browser() == str(mine)
    out = html_to_pdf(page, tmp_path / "out" / "page.pdf")
    assert printed_by(out) == str(mine)


def test_the_named_browser_may_be_a_command_on_the_path(bare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_browser(bare, "chromium")
    chrome = fake_browser(bare, "google-chrome")
    monkeypatch.setenv(pdf.CHROMIUM_ENV, "google-chrome")
    assert find_browser() == str(chrome)


def test_a_macos_application_folder_may_be_named(bare: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app = tmp_path / "Google Chrome.app"
    program = fake_browser(app / "Contents" / "MacOS", "Google Chrome")
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(app))
    assert find_browser() == str(program)


@pytest.mark.parametrize("kind", ["missing", "not executable", "a folder"])
def test_a_named_browser_that_is_not_a_program_is_said_and_never_replaced(
        kind: str, bare: Path, tmp_path: Path, page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_browser(bare, "chromium")  # there is a browser on the PATH, and WeasyPrint: neither is used instead
    named = {"missing": Path("/nonexistent"), "not executable": tmp_path / "chrome.txt", "a folder": tmp_path}[kind]
    if kind == "not executable":
        named.write_text("not a browser", encoding="utf-8")
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(named))
    message = NOT_A_PROGRAM.format(named)
    with pytest.raises(PdfError) as raised:
        find_browser()
    assert str(raised.value) == message
    assert pdf_problem() == message
    with pytest.raises(PdfError, match="is not a program"):
        html_to_pdf(page, tmp_path / "page.pdf")
    assert not (tmp_path / "page.pdf").exists()


def test_browsers_on_the_path_are_tried_in_order(bare: Path) -> None:
    names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge",
             "microsoft-edge-stable"]
    assert list(pdf.BROWSER_NAMES) == names
    for name in names:
        fake_browser(bare, name)
    for name in names:
        assert find_browser() == str(bare / name)
        (bare / name).unlink()
    assert find_browser() is None


def test_install_places_are_tried_in_order_after_the_path(bare: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    places = [tmp_path / "usr/bin/chromium", tmp_path / "snap/bin/chromium", tmp_path / "opt/google/chrome/chrome",
              tmp_path / "opt/microsoft/msedge/msedge"]
    monkeypatch.setattr(pdf, "INSTALL_PLACES", tuple(str(p) for p in places))
    assert find_browser() is None
    for place in reversed(places):
        fake_browser(place.parent, place.name)
        assert find_browser() == str(place)
    (tmp_path / "snap/bin/chromium").chmod(0o644)  # there but not runnable: passed over
    (tmp_path / "usr/bin/chromium").unlink()
    assert find_browser() == str(tmp_path / "opt/google/chrome/chrome")
    on_path = fake_browser(bare, "microsoft-edge-stable")  # the PATH comes before every install place
    assert find_browser() == str(on_path)


def test_the_install_places_are_the_usual_ones_linux_then_macos_then_the_home_folder() -> None:
    assert pdf.INSTALL_PLACES[:4] == ("/usr/bin/chromium", "/snap/bin/chromium", "/opt/google/chrome/chrome",
                                      "/opt/microsoft/msedge/msedge")
    apps = ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chromium.app/Contents/MacOS/Chromium",
            "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"]
    assert pdf.INSTALL_PLACES[4:] == tuple(f"/Applications/{a}" for a in apps) + tuple(f"~/Applications/{a}"
                                                                                        for a in apps)


def test_applications_in_the_home_folder_are_found(bare: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(pdf, "INSTALL_PLACES", tuple(p for p in (
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "~/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "~/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge") if p.startswith("~")))
    edge = fake_browser(home / "Applications/Microsoft Edge.app/Contents/MacOS", "Microsoft Edge")
    assert find_browser() == str(edge)
    chrome = fake_browser(home / "Applications/Google Chrome.app/Contents/MacOS", "Google Chrome")
    assert find_browser() == str(chrome)


# --------------------------------------------------------------------------- a failing print leaves nothing


def test_a_browser_that_fails_leaves_the_old_pdf_as_it_was(bare: Path, tmp_path: Path, page: Path) -> None:
    fake_browser(bare, "chromium", "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) "
                 "printf '%%PDF-1.4 half' > \"${a#--print-to-pdf=}\";; esac; done\n"
                 "echo 'noise' >&2; echo 'ERROR: out of paper' >&2; exit 3\n")
    old = tmp_path / "page.pdf"
    old.write_bytes(b"%PDF-1.4 the old one")
    with pytest.raises(PdfError) as raised:
        html_to_pdf(page, old)
    assert str(raised.value) == f"The browser {bare / 'chromium'} could not print page.html: ERROR: out of paper"
    assert old.read_bytes() == b"%PDF-1.4 the old one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "page.html", "page.pdf"]


@pytest.mark.parametrize(("script", "expected"), [
    ("#!/bin/sh\nexit 0\n", "could not print page.html: exit status 0"),
    ("#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) echo '<html>not a pdf' "
     "> \"${a#--print-to-pdf=}\";; esac; done\n", "printed no PDF for page.html"),
])
def test_a_browser_that_prints_no_pdf_is_an_error(script: str, expected: str, bare: Path, tmp_path: Path,
                                                  page: Path) -> None:
    fake_browser(bare, "chromium", script)
    with pytest.raises(PdfError, match=expected):
        html_to_pdf(page, tmp_path / "page.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "page.html"]


def test_a_browser_that_hangs_is_stopped_with_everything_it_started(bare: Path, tmp_path: Path, page: Path) -> None:
    child = tmp_path / "child.pid"
    fake_browser(bare, "chromium", f"#!/bin/sh\n/bin/sleep 60 &\necho $! > {child}\nwait\n")
    started = time.monotonic()
    with pytest.raises(PdfError) as raised:
        html_to_pdf(page, tmp_path / "page.pdf", timeout=1)
    assert time.monotonic() - started < 10
    assert str(raised.value) == (f"The browser {bare / 'chromium'} took longer than 1 s to print page.html; "
                                 "it was stopped")
    pid = int(child.read_text())
    for _ in range(50):  # the killed child is reaped by init a moment later
        if not Path(f"/proc/{pid}").exists() or "State:\tZ" in Path(f"/proc/{pid}/status").read_text():
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the browser's child {pid} still runs")
    assert not (tmp_path / "page.pdf").exists() and not (tmp_path / ".page.pdf.part").exists()


def test_a_page_that_is_not_there_is_said(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match=r"missing\.html is not a file: there is no page to print"):
        html_to_pdf(tmp_path / "missing.html", tmp_path / "missing.pdf", engine="weasyprint")
    assert not (tmp_path / "missing.pdf").exists()


# --------------------------------------------------------------------------- WeasyPrint when there is no browser


def test_without_a_browser_weasyprint_prints_and_says_so_in_one_line(
        bare: Path, tmp_path: Path, page: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(pdf, "_told_weasyprint", False)
    with caplog.at_level(logging.WARNING):
        assert find_engine() == pdf.Engine("weasyprint") and pdf_problem() is None
        first = html_to_pdf(page, tmp_path / "one.pdf")
        second = html_to_pdf(page, tmp_path / "two.pdf")
    assert [r.getMessage() for r in caplog.records] == [WEASYPRINT_LINE]
    for made in (first, second):
        assert made.read_bytes().startswith(b"%PDF-") and made.read_bytes().rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "one.pdf", "page.html", "two.pdf"]


def test_weasyprint_fetches_nothing_from_another_host(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = tmp_path / "page.html"
    page.write_text('<html><body><img src="http://192.0.2.1/tracker.png"><p>Hello</p></body></html>',
                    encoding="utf-8")
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        html_to_pdf(page, tmp_path / "page.pdf", engine="weasyprint")
    assert time.monotonic() - started < 5  # 192.0.2.1 answers nothing: a fetch would wait for its timeout
    assert any("disallowed protocol" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------------------- both engines for real


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fleet team's quarterly review of the example company, as the report command writes it."""
    folder = tmp_path_factory.mktemp("report")
    Store(folder / "w.db").write_workbook(read_workbook(EXAMPLE))
    done = subprocess.run([*CLI, "report", "--quarter", "2026-Q4", "--team", "fleet", "--format", "html",
                           "--as-of", "2026-11-27", "--out", str(folder / "out"), "--db", str(folder / "w.db")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return folder / "out" / "team-fleet.html"


@pytest.fixture(scope="module")
def certificate_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workbook = read_workbook(EXAMPLE)
    person = "sofia.marchetti@brightwell.example"
    page = tmp_path_factory.mktemp("certificate") / "certificate.html"
    page.write_text(certificate_html("Sofia Marchetti", "OKR onboarding", workbook, person, dt.date(2026, 11, 27)),
                    encoding="utf-8")
    return page


def _browser_here() -> None:
    need(None if find_browser() else f"no Chromium, Chrome or Edge to print with. {pdf.HOW_TO_GET_ONE}")


def _colour_pixels(pdf_file: Path, page_number: int, colour: str) -> int:
    """Pixels of ``colour`` (give or take) on a page rendered at 50 dpi."""
    from PIL import Image  # comes with WeasyPrint

    png = page_png(pdf_file, pdf_file.with_name(f"{pdf_file.stem}-p{page_number}.png"), page_number - 1, dpi=50)
    want = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)
    return int((np.abs(pixels - want) <= 30).all(axis=2).sum())


@pytest.mark.parametrize("engine", ["weasyprint", "browser"])
def test_a_team_report_prints_whole_in_colour_with_its_charts(engine: str, report_page: Path,
                                                              tmp_path: Path) -> None:
    if engine == "browser":
        _browser_here()
    made = html_to_pdf(report_page, tmp_path / "team-fleet.pdf", engine=engine)
    width, height = page_size(made)
    assert abs(width - 595) < 1 and abs(height - 842) < 1 and 6 <= page_count(made) <= 14  # A4
    assert ("WeasyPrint" in pdf_producer(made)) == (engine == "weasyprint"), pdf_producer(made)
    text = pdf_text(made)
    for words in ("Fleet Operations", "Objectives and key results", "Over the quarter", "At risk", "Alignment",
                  "SMART quality", "Lessons learned", "Keep, modify or abandon", "Carry-over candidates",
                  "Make batteries the least of our riders' worries"):
        assert words in text, words
    assert "mean confidence" in text and "27 Nov" in text  # the charts' legend and marker: SVG printed as vectors
    for status in ("on_track", "at_risk", "off_track"):  # the first page's bars and badges, in their colours
        assert _colour_pixels(made, 1, STATUS_COLOURS[status]) > 40, status


@pytest.mark.parametrize("engine", ["weasyprint", "browser"])
def test_a_certificate_prints_on_one_landscape_page(engine: str, certificate_page: Path, tmp_path: Path) -> None:
    if engine == "browser":
        _browser_here()
    made = html_to_pdf(certificate_page, tmp_path / "certificate.pdf", engine=engine)
    width, height = page_size(made)
    assert page_count(made) == 1 and width > height and abs(width - 842) < 1, (width, height)
    text = pdf_text(made)
    for words in ("Certificate", "Sofia Marchetti", "Fill the pipeline with employers in the harbour business district",
                  "Raise qualified employer leads in the harbour district from 12 to 30", "Passed on 27 November 2026"):
        assert words in text, words
    assert _colour_pixels(made, 1, "#2b5b84") > 200  # the blue double frame and title


# --------------------------------------------------------------------------- the report command


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "w.db"
    Store(path).write_workbook(read_workbook(EXAMPLE))
    return path


def test_report_pdf_with_a_named_browser_that_is_not_there_exits_2_before_any_kernel(store_file: Path,
                                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, pdf.CHROMIUM_ENV: "/nonexistent"}
    done = subprocess.run([*CLI, "report", "--quarter", "2026-Q4", "--team", "fleet", "--format", "pdf",
                           "--out", str(out), "--db", str(store_file)], capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 2
    assert done.stderr == f"okr-workshop: {NOT_A_PROGRAM.format('/nonexistent')} Or ask for --format html.\n"
    assert not out.exists()


def test_report_format_auto_without_a_way_to_print_writes_html_and_says_how_to_get_pdfs(store_file: Path,
                                                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, pdf.CHROMIUM_ENV: "/nonexistent"}
    done = subprocess.run([*CLI, "report", "--quarter", "2026-Q4", "--team", "fleet", "--format", "auto",
                           "--as-of", "2026-11-27", "--out", str(out), "--db", str(store_file)],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"okr-workshop: HTML only, no PDFs: {NOT_A_PROGRAM.format('/nonexistent')}\n")
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "team-fleet.html"]
    assert "Wrote 1 report (html)" in done.stdout


def test_report_format_auto_prints_pdfs_when_it_can(store_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run([*CLI, "report", "--quarter", "2026-Q4", "--team", "fleet", "--format", "auto",
                           "--as-of", "2026-11-27", "--out", str(out), "--db", str(store_file)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "team-fleet.html", "team-fleet.pdf"]
    assert "(html, pdf)" in done.stdout


def _hidden_run(hide_pango: bool, command: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``command`` in a mount namespace of its own where no browser can be found (nor pango, if asked)."""
    need(None if sys.platform == "linux" and os.geteuid() == 0 and shutil.which("unshare")
         else "hiding the browser needs Linux, root and unshare")
    path = f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"
    hide = {os.path.realpath(found) for name in pdf.BROWSER_NAMES if (found := shutil.which(name, path=path))}
    hide |= {os.path.realpath(os.path.expanduser(p)) for p in pdf.INSTALL_PLACES if os.path.exists(
        os.path.expanduser(p))}
    if hide_pango:
        cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
        hide |= {os.path.realpath(line.split(" => ")[1]) for line in cache.splitlines()
                 if "libpango-1.0.so" in line or "libpangoft2-1.0.so" in line}
    script = "".join(f'mount --bind /dev/null "{p}" && ' for p in sorted(hide)) + 'exec "$@"'
    env = {k: v for k, v in os.environ.items() if k != pdf.CHROMIUM_ENV} | {"PATH": path}
    probe = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", "true"], capture_output=True, text=True,
                           check=False)
    need(None if probe.returncode == 0 else f"unshare -m cannot hide files here: {probe.stderr.strip()}")
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *command], capture_output=True, text=True,
                          env=env, cwd=tmp_path, check=False)


def test_report_pdf_without_a_browser_or_pango_exits_2_with_the_one_message(store_file: Path,
                                                                            tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _hidden_run(True, [*CLI, "report", "--quarter", "2026-Q4", "--team", "fleet", "--format", "pdf",
                              "--out", str(out), "--db", str(store_file)], tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr == ("okr-workshop: No engine to print PDFs with: no Chromium, Chrome or Edge was found, and "
                           f"WeasyPrint cannot load the pango library. {HOW_TO} Or ask for --format html.\n")
    assert done.stdout == "" and not out.exists()


def test_weasyprint_without_pango_says_so_in_our_words(certificate_page: Path, tmp_path: Path) -> None:
    code = ("import sys\nfrom okr_workshop.pdf import PdfError, html_to_pdf\ntry:\n"
            "    html_to_pdf(sys.argv[1], sys.argv[2], engine='weasyprint')\n"
            "except PdfError as error:\n    print('refused:', error, file=sys.stderr)\n    sys.exit(2)\n")
    done = _hidden_run(True, [sys.executable, "-c", code, str(certificate_page), str(tmp_path / "c.pdf")], tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""  # WeasyPrint's own banner does not reach the user
    assert done.stderr == ("refused: WeasyPrint cannot load the pango library, so it cannot print certificate.html. "
                           f"{HOW_TO}\n")
    assert list(tmp_path.iterdir()) == []


def test_report_pdf_without_a_browser_is_printed_by_weasyprint(store_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _hidden_run(False, [*CLI, "report", "--quarter", "2026-Q4", "--team", "fleet", "--company", "--format",
                               "pdf", "--as-of", "2026-11-27", "--out", str(out), "--db", str(store_file)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(WEASYPRINT_LINE + "\n"), done.stderr  # before the progress bar, on a line of its own
    assert done.stderr.count(WEASYPRINT_LINE) == 1 and "WARNING" not in done.stderr, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["company.pdf", "index.html", "team-fleet.pdf"]
    for made in out.glob("*.pdf"):
        assert "WeasyPrint" in pdf_producer(made)
    assert "Fleet Operations" in pdf_text(out / "team-fleet.pdf")
