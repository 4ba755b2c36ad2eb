"""Checks across rows and tables: unique ids, references that resolve, levels, no cycles.

Cell-level checks (types, choices, required cells) happen as a table is read
(:mod:`okr_workshop.io.cells`); what needs the whole workbook happens here.
Ids already in a store count as known, so a workbook of check-ins can refer to
key results imported earlier.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Set

import numpy as np

from okr_workshop.exceptions import Problem
from okr_workshop.schema import TABLES
from okr_workshop.workbook import Workbook

__all__ = ["validate_workbook"]

_SINGULAR = {
    "teams": "team", "people": "person", "objectives": "objective",
    "key_results": "key result", "initiatives": "initiative",
}


def _article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


_SUGGESTIONS = 50
"""Unknown references per column that get a 'did you mean' (finding one compares against every id)."""


class _Checker:
    def __init__(self, workbook: Workbook, known: Mapping[str, Set[str]]):
        self.workbook = workbook
        self.known = known
        self.problems: list[Problem] = []
        self._ids: dict[str, np.ndarray] = {}
        self._sorted: dict[str, list[str]] = {}

    def add(self, name: str, position: int, column: str | None, found: str, expected: str) -> None:
        location = self.workbook.locations.get(name)
        if location is None:
            path, sheet, row = f"{name} table", None, position + 1
        else:
            path, sheet, row = location.path, location.sheet, location.row(position)
        self.problems.append(Problem(path=path, sheet=sheet, row=row, column=column, found=found, expected=expected))

    def row_label(self, name: str, position: int) -> str:
        location = self.workbook.locations.get(name)
        row = location.row(position) if location else position + 1
        return f"{'line' if location and location.header_row is None else 'row'} {row}"

    def unique_ids(self) -> None:
        for name, spec in TABLES.items():
            if spec.key is None:
                continue
            ids = self.workbook[name][spec.key]
            dupes = ids.duplicated(keep="first") & ids.notna()
            if not dupes.any():
                continue
            first = {value: i for i, value in reversed(list(enumerate(ids)))}
            for position in np.flatnonzero(dupes):
                value = ids.iat[position]
                self.add(name, position, spec.key,
                         f"the id {value!r} again (first used on {self.row_label(name, first[value])})",
                         f"an id no other {_SINGULAR[name]} has")

    def ids(self, name: str) -> np.ndarray:
        """Every id of table ``name``: the workbook's and the known ones (cached: big tables are asked often)."""
        if name not in self._ids:
            ids = self.workbook[name]["id"].dropna().to_numpy(dtype=object)
            known = self.known.get(name, ())
            self._ids[name] = np.concatenate([ids, np.array(list(known), dtype=object)]) if known else ids
        return self._ids[name]

    def sorted_ids(self, name: str) -> list[str]:
        """The ids of table ``name`` sorted, for suggestions (cached)."""
        if name not in self._sorted:
            self._sorted[name] = sorted(set(self.ids(name)))
        return self._sorted[name]

    def references(self) -> None:
        for name, spec in TABLES.items():
            frame = self.workbook[name]
            for column in spec.columns:
                if column.ref is None or frame.empty:
                    continue
                values = frame[column.name]
                if column.kind == "ids":
                    values = values.str.split(";").explode()
                target = self.ids(column.ref)
                unknown = values.notna() & ~values.isin(target)
                if not unknown.any():
                    continue
                thing = _SINGULAR[column.ref]
                pairs = zip(values.index[unknown.to_numpy()], values[unknown], strict=True)
                for count, (position, value) in enumerate(pairs):
                    self.add(name, int(position), column.name, f"{value!r}, which is no {thing} id",
                             self.expected_ref(column.ref, value, suggest=count < _SUGGESTIONS))

    def expected_ref(self, ref: str, value: str, suggest: bool = True) -> str:
        target = self.sorted_ids(ref)
        thing = _SINGULAR[ref]
        if not target:
            return f"the id of {_article(thing)}, but the workbook lists no {ref}: add the {ref} table"
        close = difflib.get_close_matches(value, target, n=1) if suggest else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"the id of {_article(thing)} in the {ref} table{hint}"

    def levels(self) -> None:
        frame = self.workbook["objectives"]
        rules = [
            ("team", "team", "the team this objective belongs to: team objectives name a team"),
            ("individual", "owner", "the person who owns it: individual objectives name an owner"),
        ]
        for level, column, expected in rules:
            for position in np.flatnonzero((frame["level"] == level) & frame[column].isna()):
                self.add("objectives", int(position), column, "an empty cell", expected)
        for position in np.flatnonzero((frame["level"] == "company") & frame["parent"].notna()):
            self.add("objectives", int(position), "parent", repr(frame["parent"].iat[position]),
                     "an empty cell: company objectives are the top of the cascade and align to nothing")
        hidden = (frame["visibility"] == "participants") & frame["owner"].isna() & frame["participants"].isna()
        for position in np.flatnonzero(hidden):
            self.add("objectives", int(position), "participants", "an empty cell, and no owner",
                     "an owner or participants: a participants-only objective with neither is visible to nobody")

    def cycles(self) -> None:
        for name, column in (("teams", "parent"), ("objectives", "parent")):
            frame = self.workbook[name]
            parent = dict(zip(frame["id"], frame[column], strict=True))
            position = {value: i for i, value in enumerate(frame["id"])}
            settled: set[str] = set()  # ids whose chain is known to end, or already reported
            for start in parent:
                chain, seen, node = [], set(), start
                while node is not None and node in parent and node not in seen and node not in settled:
                    seen.add(node)
                    chain.append(node)
                    node = parent[node]
                settled.update(chain)
                if node not in seen:
                    continue
                loop = chain[chain.index(node):]
                first = min(loop, key=position.__getitem__)
                path = " -> ".join([*loop[loop.index(first):], *loop[: loop.index(first)], first])
                self.add(name, position[first], column, f"a parent chain that loops: {path}",
                         f"a chain of parents that ends at {_article(_SINGULAR[name])} with no parent")


def validate_workbook(workbook: Workbook, known: Mapping[str, Set[str]] | None = None) -> list[Problem]:
    """Every problem across the workbook's rows and tables; ``known`` adds ids that exist elsewhere (a store)."""
    checker = _Checker(workbook, known or {})
    checker.unique_ids()
    checker.references()
    checker.levels()
    checker.cycles()
    return checker.problems
