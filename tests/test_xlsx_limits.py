"""Limits on what a workbook may cost to read (issue 13): zip bombs, XML openpyxl would hoard, CSV and YAML bombs.

Every bomb is built here: a real workbook written by our own writer (openpyxl),
then its zip rewritten with an enormous, highly compressible part; nothing
binary is committed. Each must be refused with exit 2 and a message naming the
file, the limit passed and the limit, at once, while a large real workbook (and
one saved the way Excel saves, with shared strings) still reads.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import openpyxl
import pytest
from conftest import VALID, read_problems, write_csv_folder

from okr_workshop.cli import EXIT_BAD_INPUT
from okr_workshop.exceptions import WorkbookError
from okr_workshop.io import limits, read_workbook, write_workbook
from okr_workshop.smart.rules import load_config

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
import generate

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHARED = "xl/sharedStrings.xml"
SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
FAST = 1.0
"""Seconds within which a bomb is refused (in this process; the command adds its start-up)."""


# --------------------------------------------------------------------------- building workbooks and bombs


def valid_xlsx(folder: Path) -> Path:
    """The small valid workbook as an .xlsx, written by our own writer."""
    workbook = read_workbook(write_csv_folder(folder / "csv", VALID))
    return write_workbook(workbook, folder / "valid.xlsx")


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet title -> its part in the archive."""
    with zipfile.ZipFile(path) as archive:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{RELS}}}Relationship")}
    parts = {}
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{OFFICE_RELS}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def rebuild(source: Path, target: Path, parts: dict[str, bytes | Iterable[bytes]], extra: int = 0) -> Path:
    """``source`` with ``parts`` replaced or added (streamed, packed as tightly as zlib can), and ``extra`` empty
    files more."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            if info.filename in parts:
                continue
            data = old.read(info.filename)
            if info.filename == "[Content_Types].xml" and SHARED in parts and SHARED.encode() not in data:
                data = data.replace(b"</Types>", f'<Override PartName="/{SHARED}" ContentType="{SHARED_TYPE}"/>'
                                    "</Types>".encode())
            new.writestr(info, data)
        for name, content in parts.items():
            with new.open(name, "w", force_zip64=True) as out:
                for chunk in [content] if isinstance(content, bytes) else content:
                    out.write(chunk)
        for number in range(extra):
            new.writestr(f"customXml/item{number}.bin", b"")
    return target


def repeated(head: bytes, unit: bytes, total: int, tail: bytes) -> Iterator[bytes]:
    """``head``, then ``unit`` again and again up to about ``total`` bytes, then ``tail``."""
    yield head
    batch = unit * max(1, MB // len(unit))
    written = 0
    while written < total:
        yield batch
        written += len(batch)
    yield tail


def shared_strings(total: int, text: bytes = b"A" * 100) -> Iterator[bytes]:
    """A shared strings table of about ``total`` bytes of one string repeated: packs some 300 times."""
    return repeated(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode(),
                    b"<si><t>" + text + b"</t></si>", total, b"</sst>")


def sheet_with(source: Path, title: str, *, before_rows: Iterable[bytes] = (), after_rows: Iterable[bytes] = (),
               replace: tuple[bytes, bytes] | None = None) -> tuple[str, Iterator[bytes]]:
    """The part of sheet ``title`` and its XML with chunks inserted at the start or the end of its rows."""
    part = sheet_parts(source)[title]
    with zipfile.ZipFile(source) as archive:
        xml = archive.read(part)
    if replace:
        assert replace[0] in xml, replace[0]
        xml = xml.replace(*replace)
    head, rest = xml.split(b"<sheetData>", 1)
    rows, tail = rest.split(b"</sheetData>", 1)

    def chunks() -> Iterator[bytes]:
        yield head + b"<sheetData>"
        yield from before_rows
        yield rows
        yield from after_rows
        yield b"</sheetData>" + tail

    return part, chunks()


def random_junk(count: int, name: bytes = b"x") -> Iterator[bytes]:
    """``count`` empty elements with random attributes: XML that packs only about four times."""
    for start in range(0, count, 50_000):
        n = min(50_000, count - start)
        yield b"".join(b'<%s a="%s"/>' % (name, os.urandom(6).hex().encode()) for _ in range(n))


def problem_text(path: Path) -> str:
    problems = read_problems(path)
    assert len(problems) == 1, problems
    return str(problems[0])


def refused_fast(path: Path) -> str:
    """The one problem reading ``path`` reports, asserting it came within FAST seconds."""
    start = time.perf_counter()
    text = problem_text(path)
    elapsed = time.perf_counter() - start
    assert elapsed < FAST, f"refused after {elapsed:.2f} s"
    return text


def run_validate(path: Path) -> tuple[int, str, float, float]:
    """``okr-workshop validate path`` in a fresh process: exit status, its error output, seconds, peak memory in MB."""
    # The peak is the process's own (VmHWM): ru_maxrss would report the parent's when the child was started
    # with vfork, as subprocess does, and pytest's process grows to hundreds of MB over a whole run.
    code = (
        "import re, resource, sys, time\n"
        "from okr_workshop.cli import main\n"
        "start = time.perf_counter()\n"
        "try:\n    main(['validate', sys.argv[1]])\nexcept SystemExit as exit:\n    status = exit.code\n"
        "try:\n    peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]) / 1024\n"
        "except OSError:\n    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print('RESULT', status, time.perf_counter() - start, peak, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    status, seconds, peak = out.stderr.rsplit("RESULT", 1)[1].split()
    return int(status), out.stderr, float(seconds), float(peak)


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Path:
    return valid_xlsx(tmp_path_factory.mktemp("valid"))


# --------------------------------------------------------------------------- the zip archive


@pytest.fixture(scope="module")
def issue_bomb(valid, tmp_path_factory) -> Path:
    """The probe's bomb: a 3 MB .xlsx holding 1 GB of shared strings."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    return rebuild(valid, path, {SHARED: shared_strings(1000 * 1000 * 1000)})


def test_the_issues_bomb_is_refused_at_once_naming_the_limit(issue_bomb):
    assert issue_bomb.stat().st_size < 5 * MB
    text = refused_fast(issue_bomb)
    assert re.fullmatch(
        rf"{re.escape(str(issue_bomb))}: a workbook that unpacks to 9\d\d MB \(\d\.\d MB packed\); expected at most "
        r"512 MB unpacked, which leaves room for 20,000 people's OKRs and a quarter of weekly check-ins; larger is "
        r"refused so that a crafted file cannot fill the memory", text), text


def test_the_command_refuses_the_bomb_with_exit_2_in_well_under_a_second_and_little_memory(issue_bomb):
    status, errors, seconds, peak = run_validate(issue_bomb)
    assert status == EXIT_BAD_INPUT, errors
    assert "nothing was written" in errors and "expected at most 512 MB unpacked" in errors
    assert seconds < FAST, seconds
    # Reading the 5,000-person workbook peaks at 280 MB (validate) to 340 MB (import); before the limits this
    # file ran for minutes and past 2 GB.
    assert peak < 200, f"{peak:.0f} MB"


def test_tightly_packed_shared_strings_are_refused_by_their_own_limit(valid, tmp_path):
    path = rebuild(valid, tmp_path / "strings.xlsx", {SHARED: shared_strings(300 * 1000 * 1000)})
    assert path.stat().st_size < 2 * MB  # the probe's 300 KB one took 53 s and 800 MB, and was called valid
    text = refused_fast(path)
    assert re.fullmatch(rf"{re.escape(str(path))}: the shared strings \(xl/sharedStrings.xml, the text of all "
                        r"sheets\) unpack to 28\d MB; expected at most 128 MB of shared strings, room for two million "
                        r"different texts; larger is refused so that a crafted file cannot fill the memory", text), text


def test_a_sheet_packed_a_thousand_times_is_refused_before_it_is_read(valid, tmp_path):
    part, xml = sheet_with(valid, "teams", after_rows=repeated(b"", b"<x/>" * 1000, 60 * MB, b""))
    path = rebuild(valid, tmp_path / "packed.xlsx", {part: xml})
    text = refused_fast(path)
    assert re.fullmatch(rf"{re.escape(str(path))} \[sheet teams\]: XML that unpacks to 1,0\d\d times the packed size "
                        r"\(6\d\.\d MB from \d\d KB\); expected at most 100 times \(real sheets pack about 10 times\): "
                        r"data packed this tightly is built to fill the memory", text), text


def test_an_archive_of_too_many_files_is_refused(valid, tmp_path):
    path = rebuild(valid, tmp_path / "many.xlsx", {}, extra=limits.MAX_XLSX_PARTS)
    files = len(zipfile.ZipFile(path).namelist())
    assert files > limits.MAX_XLSX_PARTS
    assert refused_fast(path) == (f"{path}: a zip archive of {files:,} files; expected an .xlsx workbook of at most "
                                  "10,000 files (Excel writes a few dozen)")


# --------------------------------------------------------------------------- XML that openpyxl would keep


def test_elements_outside_the_rows_are_refused_as_openpyxl_would_keep_them(valid, tmp_path):
    # 1 MB of such elements packs only four times, so no ratio limit sees it; openpyxl keeps every one (about
    # 300 bytes each): 20 MB of them took 82 s and 1.9 GB before the limits.
    part, xml = sheet_with(valid, "objectives", before_rows=random_junk(150_000))
    path = rebuild(valid, tmp_path / "loose.xlsx", {part: xml})
    assert refused_fast(path) == (
        f"{path} [sheet objectives]: more than 100,000 XML elements outside its rows; expected at most 100,000 "
        "(column widths, merged cells, links and the like; Excel writes a few hundred)")


def test_elements_in_one_row_are_refused_naming_the_row(valid, tmp_path):
    junk = b"".join(random_junk(120_000, b"y"))
    part, xml = sheet_with(valid, "objectives", after_rows=[b'<row r="9"><c r="A9" t="inlineStr"><is><t>C9</t></is>'
                                                             b"</c>" + junk + b"</row>"])
    path = rebuild(valid, tmp_path / "row.xlsx", {part: xml})
    assert refused_fast(path) == (f"{path} [sheet objectives], row 9: a row of more than 100,000 XML elements; "
                                  "expected at most 100,000 in one row (16,384 cells)")


def test_a_cell_of_megabytes_is_refused(valid, tmp_path):
    text = os.urandom(1 * MB).hex().encode()
    part, xml = sheet_with(valid, "objectives", after_rows=[b'<row r="9"><c r="B9" t="inlineStr"><is><t>' + text
                                                             + b"</t></is></c></row>"])
    path = rebuild(valid, tmp_path / "cell.xlsx", {part: xml})
    assert refused_fast(path) == (f"{path} [sheet objectives]: a text or tag of more than 1.0 MB; expected cells of "
                                  "at most 32,767 characters (Excel's limit) and tags of ordinary length")


def test_more_rows_than_excel_holds_are_refused(valid, tmp_path):
    rows = (b"".join(b'<row r="%d"/>' % n for n in range(start, min(start + 100_000, 1_048_600)))
            for start in range(10, 1_048_600, 100_000))
    part, xml = sheet_with(valid, "checkins", after_rows=rows)
    path = rebuild(valid, tmp_path / "rows.xlsx", {part: xml})
    assert refused_fast(path) == (f"{path} [sheet checkins]: more than 1,048,576 rows; expected at most 1,048,576 "
                                  "rows, as many as an Excel sheet holds")


def test_a_sheet_claiming_two_million_rows_is_refused_before_its_rows_are_read(valid, tmp_path):
    # openpyxl yields an empty row for every row up to the size the sheet gives itself.
    part, xml = sheet_with(valid, "checkins", replace=(b"<sheetData>", b'<dimension ref="A1:F2000000"/><sheetData>'))
    path = rebuild(valid, tmp_path / "size.xlsx", {part: xml})
    assert refused_fast(path) == (
        f"{path} [sheet checkins]: a sheet whose size is given as 2,000,000 rows by 6 columns; expected at most "
        "1,048,576 rows and 16,384 columns, Excel's own limits")


def test_a_row_numbered_past_excels_last_is_refused(valid, tmp_path):
    part, xml = sheet_with(valid, "checkins", after_rows=[b'<row r="1048600"><c r="A1048600" t="inlineStr"><is><t>'
                                                           b"C1.1</t></is></c></row>"])
    path = rebuild(valid, tmp_path / "far.xlsx", {part: xml})
    start = time.perf_counter()
    text = problem_text(path)
    assert time.perf_counter() - start < 5  # the empty rows before it are counted as openpyxl yields them
    assert text == (f"{path} [sheet checkins]: more than 1,048,576 rows; expected at most 1,048,576 rows, as many as "
                    "an Excel sheet holds (empty rows before the last one count)")


def test_a_header_of_16384_columns_over_a_thousand_rows_is_too_many_cells(tmp_path):
    # Each row is read as wide as the header: 16,384 x 1,048,576 cells would be 128 GB of references.
    book = openpyxl.Workbook(write_only=True)
    for name, text in VALID.items():
        sheet = book.create_sheet(name)
        if name == "teams":
            sheet.append(["id", "name", *(f"extra{n}" for n in range(16_382))])
            for number in range(1_100):
                sheet.append([f"t{number}", f"Team {number}"])
        else:
            for line in text.splitlines():
                sheet.append([cell or None for cell in line.split(",")])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    start = time.perf_counter()
    text = problem_text(path)
    assert time.perf_counter() - start < 5  # the thousand rows before, each 16,384 wide, are read
    assert text == (
        f"{path} [sheet teams]: more than 16,777,216 cells by row 1,025 (rows times the columns up to the last one "
        "used, empty ones included); expected at most 16,777,216 cells in a sheet, a full sheet of 16 columns: "
        "delete unused columns and rows")


def test_more_than_two_million_shared_strings_are_refused(valid, tmp_path):
    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
        for start in range(0, 2_000_100, 100_000):
            yield b"".join(b"<si><t>%x</t></si>" % n for n in range(start, start + 100_000))
        yield b"</sst>"

    path = rebuild(valid, tmp_path / "count.xlsx", {SHARED: strings()})
    start = time.perf_counter()
    text = problem_text(path)
    assert time.perf_counter() - start < 3  # 40 MB of XML are scanned up to the string past the limit
    assert text == (f"{path}: the shared strings (xl/sharedStrings.xml, the text of all sheets): more "
                                  "than 2,000,000 strings; expected at most 2,000,000 strings")


@pytest.mark.parametrize("markup", [b"<!-- a note -->", b"<![CDATA[<row>]]>", b"<?pi <row>?>"],
                         ids=["comment", "cdata", "processing-instruction"])
def test_markup_that_could_hide_tags_is_refused_in_a_sheet(valid, tmp_path, markup):
    part, xml = sheet_with(valid, "objectives", before_rows=[markup])
    path = rebuild(valid, tmp_path / "markup.xlsx", {part: xml})
    assert problem_text(path) == (
        f"{path} [sheet objectives]: a comment, CDATA section, processing instruction or DTD in the XML; expected "
        "XML as Excel writes it, without such markup; save the file again from Excel, LibreOffice or Google Sheets")


def test_a_namespace_declared_among_the_rows_is_refused(valid, tmp_path):
    # Rows in another namespace are no rows to openpyxl: it would keep all of them, and all they hold.
    part, xml = sheet_with(valid, "objectives", before_rows=[b'<row xmlns="urn:x" r="90"><c r="A90"/></row>'])
    path = rebuild(valid, tmp_path / "namespace.xlsx", {part: xml})
    assert problem_text(path) == (
        f"{path} [sheet objectives]: a namespace declared inside the sheet's data (xmlns); expected namespaces "
        "declared on the first element, as Excel writes them; save the file again from Excel, LibreOffice or "
        "Google Sheets")


def test_a_dtd_is_refused_in_the_parts_openpyxl_reads_whole(valid, tmp_path):
    with zipfile.ZipFile(valid) as archive:
        styles = archive.read("xl/styles.xml")
    laughs = b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert styles.startswith(b"<styleSheet ")
    path = rebuild(valid, tmp_path / "dtd.xlsx", {"xl/styles.xml": laughs + styles})
    assert problem_text(path) == (f"{path}: xl/styles.xml: a document type declaration (DTD); expected XML without "
                                  "a DTD, as Excel writes it; save the file again from Excel, LibreOffice or Google "
                                  "Sheets")


def test_too_many_elements_in_the_styles_are_refused(valid, tmp_path):
    # openpyxl builds an object of some 800 bytes for each: 250,000 took 6 s and 250 MB.
    with zipfile.ZipFile(valid) as archive:
        styles = archive.read("xl/styles.xml")
    head, tail = styles.split(b"</cellXfs>", 1)
    path = rebuild(valid, tmp_path / "styles.xlsx",
                   {"xl/styles.xml": [head, *random_junk(260_000, b"xf"), b"</cellXfs>", tail]})
    assert refused_fast(path) == (
        f"{path}: xl/styles.xml: more than 250,000 XML elements; expected at most 250,000 in a part besides the "
        "sheets and the shared strings (Excel allows 64,000 cell formats in the styles)")


def test_a_sheet_in_utf16_is_refused(valid, tmp_path):
    part = sheet_parts(valid)["objectives"]
    with zipfile.ZipFile(valid) as archive:
        xml = archive.read(part).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = rebuild(valid, tmp_path / "utf16.xlsx", {part: xml.encode("utf-16")})
    assert problem_text(path) == (f"{path} [sheet objectives]: XML in UTF-16; expected XML in UTF-8, as Excel writes "
                                  "it; save the file again from Excel, LibreOffice or Google Sheets")


def test_a_sheet_that_is_not_well_formed_is_a_problem_not_a_traceback(valid, tmp_path):
    broken = (b"</c></row><row r=\"3\"", b"</d></row><row r=\"3\"")
    part, xml = sheet_with(valid, "key_results", replace=broken)
    path = rebuild(valid, tmp_path / "broken.xlsx", {part: xml})
    assert problem_text(path) == (f"{path}: a file that is not an Excel workbook (mismatched tag: line 1, column "
                                  f"{xml_column(path, part)}); expected an .xlsx file saved by Excel, LibreOffice or "
                                  "Google Sheets")
    # With its size given up front openpyxl reads no row before the sheet's rows are asked for.
    part, xml = sheet_with(valid, "key_results", replace=broken)
    sized = rebuild(valid, tmp_path / "sized.xlsx", {part: b"".join(xml).replace(
        b"<sheetData>", b'<dimension ref="A1:K4"/><sheetData>', 1)})
    assert problem_text(sized) == (
        f"{sized} [sheet key_results], row 2: a sheet that cannot be read (mismatched tag: line 1, column "
        f"{xml_column(sized, part)}); expected a sheet as Excel writes it; save the file again from Excel, LibreOffice "
        "or Google Sheets")


def xml_column(path: Path, part: str) -> int:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).index(b"</d>") + 2


# --------------------------------------------------------------------------- real workbooks still read


@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> Path:
    """A 500-person organisation (a tenth of the benchmark's 5,000) as a CSV folder: 22,000 check-ins."""
    return generate.write(500, tmp_path_factory.mktemp("org") / "org-500")


def test_a_large_organisation_exported_by_us_reads(organisation, tmp_path):
    original = read_workbook(organisation)
    path = write_workbook(original, tmp_path / "org.xlsx")
    assert original.same_data(read_workbook(path))


def excel_like(source: Path, target: Path) -> Path:
    """``source`` with its text moved into a shared strings table, as Excel saves (openpyxl writes it inline)."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        return b't="s"><v>%d</v>' % strings.setdefault(match[1], len(strings))

    parts = {}
    inline = re.compile(rb't="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is>', re.S)
    for part in sheet_parts(source).values():
        with zipfile.ZipFile(source) as archive:
            parts[part] = inline.sub(shared, archive.read(part))
        with zipfile.ZipFile(source) as archive:
            rels = archive.read("xl/_rels/workbook.xml.rels")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", (
        f'<Relationship Id="rIdShared" Type="{OFFICE_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>").encode())
    table = b"".join(b"<si><t>%s</t></si>" % text for text in strings)
    parts[SHARED] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" '
                     f'count="{len(strings)}" uniqueCount="{len(strings)}">').encode() + table + b"</sst>"
    return rebuild(source, target, parts)


def test_a_workbook_saved_with_shared_strings_as_excel_saves_it_reads(organisation, tmp_path):
    original = read_workbook(organisation)
    path = excel_like(write_workbook(original, tmp_path / "org.xlsx"), tmp_path / "excel-like.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHARED).file_size > 100_000
        assert b"inlineStr" not in archive.read(sheet_parts(path)["checkins"])
    assert original.same_data(read_workbook(path))


def test_rows_with_a_namespace_prefix_are_rows(valid, tmp_path):
    # The Open XML SDK writes <x:worksheet xmlns:x="..."><x:sheetData><x:row>...: the same sheet to openpyxl.
    part = sheet_parts(valid)["checkins"]
    with zipfile.ZipFile(valid) as archive:
        xml = archive.read(part).decode()
    prefixed = re.sub(r"<(/?)(?!\?)", r"<\1x:", xml).replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"')
    assert "<x:row" in prefixed
    path = rebuild(valid, tmp_path / "prefixed.xlsx", {part: prefixed.encode()})
    assert len(read_workbook(path)["checkins"]) == 2


# --------------------------------------------------------------------------- CSV files


def test_a_csv_file_of_a_million_blank_lines_is_refused(tmp_path):
    # 50 MB of line breaks took 44 s and 5.3 GB before the limits.
    folder = write_csv_folder(tmp_path / "blank", VALID | {"checkins": VALID["checkins"] + "\n" * 1_048_576})
    assert refused_fast(folder) == (f"{folder / 'checkins.csv'}: 1,048,579 lines; expected at most 1,048,576 lines, "
                                    "header included, as many rows as an Excel sheet holds (blank lines count)")


def test_a_csv_header_of_more_columns_than_excel_holds_is_refused(tmp_path):
    # A 1.5 MB header of 200,000 columns ran past 60 s and 2.3 GB.
    header = VALID["checkins"].split("\n", 1)[0] + "".join(f",x{n}" for n in range(16_379))
    folder = write_csv_folder(tmp_path / "wide", VALID | {"checkins": header + "\n"})
    assert refused_fast(folder) == (f"{folder / 'checkins.csv'}, row 1: a header of 16,385 columns; expected at most "
                                    "16,384 columns, as many as an Excel sheet holds")


def test_a_csv_file_of_too_many_cells_is_refused(tmp_path):
    header = VALID["checkins"].split("\n", 1)[0] + "".join(f",x{n}" for n in range(1_994))
    folder = write_csv_folder(tmp_path / "cells", VALID | {"checkins": header + "\n" * 10_000})
    assert refused_fast(folder) == (
        f"{folder / 'checkins.csv'}: 10,000 lines of 2,000 columns (20,000,000 cells, blank ones included); expected "
        "at most 16,777,216 cells, a full Excel sheet of 16 columns (delete blank lines and unused columns)")


def test_a_csv_file_larger_than_the_limit_is_refused(tmp_path):
    folder = write_csv_folder(tmp_path / "large", VALID)
    with (folder / "checkins.csv").open("a") as handle:
        line = "C1.1,2026-07-15,42,0.5," + "n" * 1_000 + ",ana@example.org\n"
        handle.write(line * (limits.MAX_CSV_BYTES // len(line) + 1))
    assert refused_fast(folder) == (f"{folder / 'checkins.csv'}: a file of 128 MB; expected a file of at most "
                                    "128 MB (split a larger table over several workbooks)")


# --------------------------------------------------------------------------- YAML files


LAUGHS = "\n".join([
    "quarter: 2026-Q3",
    'lol: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    *(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 9)),
    "objectives:",
    "  - title: Grow",
    "    level: company",
    "    participants: *l8",
    "    key_results: [Raise NPS from 40 to 50]",
]) + "\n"
"""The billion laughs: 600 bytes standing for 10**9 values (2.2 GB within 30 s, and growing, before the limits)."""


def test_the_billion_laughs_are_refused_at_once(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS)
    assert refused_fast(path) == (
        f"{path}, line 2: aliases (*name) that repeat more than 1,000,000 values; expected at most 1,000,000 values "
        "repeated through aliases, all aliases together: write the values out, or name fewer and smaller anchors "
        "(&name)")


def test_aliases_that_nest_check_ins_in_key_results_in_objectives_are_refused(tmp_path):
    # 300 objectives of 300 key results of 300 check-ins: 27 million rows from 3 KB.
    refs = ", ".join
    path = tmp_path / "nested.yaml"
    path.write_text("\n".join([
        "quarter: 2026-Q3",
        "c: &c {date: 2026-07-15, value: 1}",
        f"cs: &cs [{refs(['*c'] * 300)}]",
        "k: &k {title: Raise NPS from 40 to 50, start: 40, target: 50, checkins: *cs}",
        f"ks: &ks [{refs(['*k'] * 300)}]",
        "o: &o {title: Grow, level: company, key_results: *ks}",
        f"objectives: [{refs(['*o'] * 300)}]",
    ]) + "\n")
    assert "aliases (*name) that repeat more than 1,000,000 values" in refused_fast(path)


def test_the_billion_laughs_in_the_rule_settings_are_refused(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(LAUGHS.replace("objectives:", "rules: {vague-verb: *l8}\nignored:"))
    start = time.perf_counter()
    with pytest.raises(WorkbookError) as caught:
        load_config(path)
    assert time.perf_counter() - start < FAST
    assert str(caught.value.problems[0]).startswith(f"{path}, line 2: aliases (*name) that repeat more than 1,000,000 ")


def test_a_few_aliases_still_read(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("\n".join([
        "quarter: 2026-Q3",
        "people:",
        "  - {id: ana@example.org, name: Ana}",
        "  - {id: ben@example.org, name: Ben}",
        "objectives:",
        "  - id: C1",
        "    title: Grow",
        "    level: company",
        "    visibility: participants",
        "    participants: &both [ana@example.org, ben@example.org]",
        "    key_results: [Raise NPS from 40 to 50]",
        "  - id: C2",
        "    title: Keep",
        "    level: company",
        "    visibility: participants",
        "    participants: *both",
        "    key_results: [Keep churn below 2%]",
    ]) + "\n")
    objectives = read_workbook(path)["objectives"]
    assert objectives["participants"].tolist() == ["ana@example.org;ben@example.org"] * 2


def test_a_yaml_file_larger_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "large.yaml"
    path.write_text("quarter: 2026-Q3\n" + ("# " + "x" * 1_000 + "\n") * (limits.MAX_YAML_BYTES // 1_000))
    assert re.fullmatch(
        rf"{re.escape(str(path))}: a file of 32\.\d MB; expected a file of at most 32\.0 MB \(YAML takes some 50 "
        r"times its size in memory; write a larger workbook as a folder of CSV files, which reads some 20 times "
        r"faster\)", refused_fast(path))


def test_the_limits_are_in_the_readme():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for number in ("512 MB", "1,048,576 rows", "16,384 columns", "128 MB", "32 MB"):
        assert number in readme, number
