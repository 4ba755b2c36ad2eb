"""The YAML shape: objectives with their key results, check-ins and initiatives nested inside.

Problems in a YAML file name the line of the mapping they are in. Ids are
optional: missing objective ids become ``O1``, ``O2``...; key results
``<objective>.1``...; initiatives ``<key result>.i1``....
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from okr_workshop.exceptions import OkrWorkshopError, Problem
from okr_workshop.io import limits
from okr_workshop.io.cells import parse_table
from okr_workshop.io.excel import cell_text
from okr_workshop.io.output import atomic_file, visible_text
from okr_workshop.schema import TABLES
from okr_workshop.text import describe, printable, unsafe_char
from okr_workshop.workbook import Location, Workbook

__all__ = ["read_yaml", "write_yaml"]

_LINE = "__line__"
_NESTED = {"objectives": "key_results", "key_results": ("checkins", "initiatives")}
_FLAT_AFTER = ("reflections", "changes", "retro")
"""Tables written as flat lists after the objectives: the end of a quarter on the record."""
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that notes on every mapping the line it starts on, and every key a mapping gives twice."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.twice: list[tuple[int, str, str, int]] = []
        """(line, key, the key as first written, its line) for each key given again in the same mapping."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    if len(node.value) > 1:
        seen: dict[str, tuple[str, int]] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key, line = str(key_node.value).strip(), key_node.start_mark.line + 1
            if key.lower() in seen:
                loader.twice.append((line, key, *seen[key.lower()]))
            else:
                seen[key.lower()] = (key, line)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A date as YAML reads it, or the text as written when it is no real date (``2026-13-01``)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # the cell parser reports it with its line
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _kind(value: object) -> str:
    """What a YAML value is, in words: ``a list``, ``a mapping``, ``a number``, ``text``."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool | int | float):
        return "a number" if not isinstance(value, bool) else "a yes/no value"
    return f"the text {str(value)[:40]!r}"


class _Flattener:
    """Turns the nested document into one list of raw rows per table."""

    def __init__(self, label: str, problems: list[Problem]):
        self.label = label
        self.problems = problems
        self.rows: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.lines: dict[str, list[int]] = {name: [] for name in TABLES}
        self.taken: set[str] = set()
        self.names = {name: {column: column for column in spec.column_names} for name, spec in TABLES.items()}
        """Each table's contract columns, by their own name (a key written ``Target`` fills ``target``)."""

    def problem(self, line: int | None, key: str | None, found: str, expected: str) -> None:
        self.problems.append(Problem(path=self.label, row=line, column=key, found=found, expected=expected))

    def items(self, value: object, key: str, line: int | None) -> Iterator[object]:
        if value is None:
            return
        if not isinstance(value, list):
            self.problem(line, key, f"{_kind(value)} under {key}", f"a list of {key.replace('_', ' ')}")
            return
        yield from value

    def add(self, name: str, item: dict, line: int | None, **inherited: object) -> dict:
        row: dict[str, str | None] = {}
        for key, value in item.items():
            if key == _LINE or key in (_NESTED.get(name) or ()):
                continue
            if isinstance(value, dict | list) and not (key == "participants" and isinstance(value, list)):
                self.problem(line, str(key), _kind(value), "a single value")
                continue
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            text = str(key)
            # A contract column however it is written (Target, " due"): one column, not two read as one
            row[text if text in self.names[name] else self.names[name].get(text.strip().lower(), text)] = (
                cell_text(value))
        for key, value in inherited.items():
            if row.get(key) is None:
                row[key] = value
        self.rows[name].append(row)
        self.lines[name].append(line or 0)
        return row

    def record(self, name: str, item: object, parent_line: int | None) -> dict | None:
        if isinstance(item, dict):
            return item
        if name == "key_results" and isinstance(item, str):
            return {"title": item, _LINE: parent_line}
        kind = "a list" if isinstance(item, list) else repr(item)
        expected = f"a mapping of {name[:-1].replace('_', ' ')} fields"
        self.problem(parent_line, None, f"{kind} in the {name} list", expected)
        return None

    def claim(self, wanted: object, fallback: str) -> str:
        if wanted not in (None, ""):
            return str(wanted)
        candidate, n = fallback, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{fallback}-{n}"
        self.taken.add(candidate)
        return candidate

    def document(self, doc: dict) -> None:
        line = doc.get(_LINE)
        for name in ("objectives", "key_results", "initiatives"):
            for item in doc.get(name) or []:
                if isinstance(item, dict) and item.get("id") not in (None, ""):
                    self.taken.add(str(item["id"]))
        for name in ("teams", "people", "key_results", "initiatives", "checkins", *_FLAT_AFTER):
            for item in self.items(doc.get(name), name, line):
                if (record := self.record(name, item, line)) is not None:
                    self.add(name, record, record.get(_LINE))
        default_quarter = cell_text(doc.get("quarter"))
        for number, item in enumerate(self.items(doc.get("objectives"), "objectives", line), start=1):
            objective = self.record("objectives", item, line)
            if objective is None:
                continue
            oid = self.claim(objective.get("id"), f"O{number}")
            self.add("objectives", objective | {"id": oid}, objective.get(_LINE), quarter=default_quarter)
            self.key_results(objective, oid)

    def key_results(self, objective: dict, oid: str) -> None:
        line = objective.get(_LINE)
        for number, item in enumerate(self.items(objective.get("key_results"), "key_results", line), start=1):
            kr = self.record("key_results", item, line)
            if kr is None:
                continue
            kid = self.claim(kr.get("id"), f"{oid}.{number}")
            kr_line = kr.get(_LINE, line)
            self.add("key_results", kr | {"id": kid}, kr_line, objective=oid)
            for checkin in self.items(kr.get("checkins"), "checkins", kr_line):
                if (record := self.record("checkins", checkin, kr_line)) is not None:
                    self.add("checkins", record, record.get(_LINE, kr_line), key_result=kid)
            initiatives = self.items(kr.get("initiatives"), "initiatives", kr_line)
            for index, initiative in enumerate(initiatives, start=1):
                if (record := self.record("initiatives", initiative, kr_line)) is not None:
                    iid = self.claim(record.get("id"), f"{kid}.i{index}")
                    self.add("initiatives", record | {"id": iid}, record.get(_LINE, kr_line), key_result=kid)


def load_with_lines(path: Path) -> object:
    """A YAML file's document (bounded as workbooks are), every mapping noting its line under ``__line__``.

    Raises :class:`~okr_workshop.exceptions.OkrWorkshopError` naming the file
    (and the line, where there is one) when it cannot be read: for settings
    files such as a measures file.
    """
    label = str(path)
    try:
        text = limits.read_yaml_text(path, label)
        loader = _LineLoader(text)
        try:
            return limits.yaml_document(loader, label, text)
        finally:
            loader.dispose()
    except OSError as error:
        raise OkrWorkshopError(f"{label}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError as error:
        raise OkrWorkshopError(f"{label}: bytes that are not UTF-8 (at byte {error.start:,}); "
                               "expected a file saved as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise OkrWorkshopError(f"{label}{where}: not valid YAML ({getattr(error, 'problem', None) or error}); "
                               "check indentation and quote text holding ': '") from None


def read_yaml(path: Path, problems: list[Problem]) -> Workbook:
    """A workbook from the nested YAML form."""
    label = str(path)
    workbook = Workbook(source=label)
    expected = "a mapping with keys such as quarter, teams, people and objectives"
    try:
        text = limits.read_yaml_text(path, label)
        loader = _LineLoader(text)
        try:
            doc = limits.yaml_document(loader, label, text)  # refused if aliases stand for too many values
        finally:
            loader.dispose()
    except UnicodeDecodeError as error:
        problems.append(Problem(path=label, row=None, column=None,
                                found=f"bytes that are not UTF-8 (at byte {error.start:,})",
                                expected="a file saved as UTF-8"))
        return workbook
    except yaml.reader.ReaderError as error:  # a control character written as it is, not as an escape
        place = error.position - text.rfind("\n", 0, error.position)
        problems.append(Problem(path=label, row=text.count("\n", 0, error.position) + 1, column=None,
                                found=f"{describe(chr(error.character))} as character {place:,} of the line",
                                expected="a file without control characters (tabs and line breaks are fine)"))
        return workbook
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem(path=label, row=mark.line + 1 if mark else None, column=None,
                                found=f"text that is not valid YAML ({getattr(error, 'problem', None) or error})",
                                expected="valid YAML: check indentation and quote text holding ': '"))
        return workbook
    if not isinstance(doc, dict):
        found = "an empty file" if doc is None else f"{_kind(doc)} at the top level"
        problems.append(Problem(path=label, row=None, column=None, found=found, expected=expected))
        return workbook
    for line, key, first, first_line in loader.twice:
        earlier = f"{first!r} on line {first_line}" if first != key else f"on line {first_line}"
        problems.append(Problem(path=label, row=line, column=printable(key),
                                found=f"the key {key!r} a second time in one mapping (first {earlier})",
                                expected="each key once in a mapping: delete or rename one of the two"))
    flat = _Flattener(label, problems)
    flat.document(doc)
    if not flat.rows["objectives"]:
        problems.append(Problem(path=label, row=None, column="objectives", found="no objectives",
                                expected="an objectives list with at least one objective"))
    for name in TABLES:
        if flat.rows[name] or name in ("objectives", "key_results"):
            columns = _columns(name, flat.rows[name])
            for key in [c for c in columns if unsafe_char(c) is not None]:
                columns.remove(key)
                line = next(line for row, line in zip(flat.rows[name], flat.lines[name], strict=True) if key in row)
                problems.append(Problem(path=label, row=line, column=printable(key),
                                        found=f"the key {key!r}, which holds {describe(unsafe_char(key))}",
                                        expected="keys on one line, without control characters"))
            raw = pd.DataFrame(flat.rows[name], columns=columns, dtype=object)
            location = Location(path=label, rows=np.array(flat.lines[name], dtype=int), header_row=None)
            workbook.tables[name] = parse_table(name, raw, location, problems, unescape=False)
            workbook.locations[name] = location
    return workbook


def _columns(name: str, rows: list[dict]) -> list[str]:
    names = list(TABLES[name].column_names)
    for row in rows:
        names.extend(key for key in row if key not in names)
    return names


def _plain(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            continue
        if isinstance(value, pd.Timestamp):
            value = value.date()
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        elif key == "participants":
            value = value.split(";")
        out[key] = value
    return out


def _rows(workbook: Workbook, name: str) -> list[dict]:
    frame = workbook[name]
    spec = TABLES[name]
    text = {}
    for column in frame.columns:
        known = column in spec.column_names
        if not known or spec[column].kind not in ("number", "date"):
            text[column] = visible_text(frame[column], spec[column].text_form if known else "free")
    frame = frame.assign(**text).astype(object) if text else frame.astype(object)
    return [_plain(row) for row in frame.where(frame.notna(), None).to_dict("records")]


def write_yaml(workbook: Workbook, path: Path) -> None:
    """The workbook in the nested YAML form; the quarter goes to the top when all objectives share it."""
    objectives = _rows(workbook, "objectives")
    quarters = {o.get("quarter") for o in objectives}
    doc: dict = {}
    if len(quarters) == 1 and None not in quarters:
        doc["quarter"] = quarters.pop()
        for objective in objectives:
            objective.pop("quarter")
    for name in ("teams", "people"):
        if rows := _rows(workbook, name):
            doc[name] = rows
    by_kr: dict[str, dict[str, list]] = {}
    for name in ("checkins", "initiatives"):
        for row in _rows(workbook, name):
            by_kr.setdefault(row.pop("key_result"), {}).setdefault(name, []).append(row)
    by_objective: dict[str, list] = {}
    for kr in _rows(workbook, "key_results"):
        kr.update(by_kr.get(kr["id"], {}))
        by_objective.setdefault(kr.pop("objective"), []).append(kr)
    for objective in objectives:
        objective["key_results"] = by_objective.get(objective["id"], [])
    doc["objectives"] = objectives
    for name in _FLAT_AFTER:
        if rows := _rows(workbook, name):
            doc[name] = rows
    with atomic_file(path) as staging, staging.open("w", encoding="utf-8") as handle:
        yaml.dump(doc, handle, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
