"""Reading and writing workbooks in the contract's three shapes: CSV folder, ``.xlsx``, YAML.

The registry :data:`FORMATS` holds the shapes by name (``FORMATS.get("xlsx")``);
:func:`read_workbook` picks one by the path, reads every table, checks the
whole workbook and either returns it or raises one
:class:`~okr_workshop.exceptions.WorkbookError` listing every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path

from okr_workshop.exceptions import Problem, WorkbookError
from okr_workshop.io import csvdir, excel, yamlform
from okr_workshop.registry import Registry
from okr_workshop.validate import validate_workbook
from okr_workshop.workbook import Workbook

__all__ = ["FORMATS", "Format", "FormatRegistry", "read_workbook", "write_workbook"]


@dataclass(frozen=True)
class Format:
    """A workbook shape: how to recognise its path (to read, or to write), read it and write it."""

    name: str
    matches: Callable[[Path, bool], bool]
    read: Callable[[Path, list[Problem]], Workbook]
    write: Callable[[Workbook, Path], None]


class FormatRegistry(Registry[Format]):
    """The workbook shapes by name, in the order tried when one is chosen by a path."""

    def __init__(self) -> None:
        super().__init__("workbook format", key=lambda fmt: fmt.name)

    def for_path(self, path: Path, writing: bool = False) -> Format:
        """The shape of ``path``; a clear error naming the shapes when none fits."""
        for fmt in self:
            if fmt.matches(path, writing):
                return fmt
        found = "a folder with no objectives.csv" if path.is_dir() else f"a file named {path.name!r}"
        if not writing and not path.exists():
            found = "nothing: no such file or folder"
        raise WorkbookError([
            Problem(path=str(path), row=None, column=None, found=found,
                    expected="a folder of CSV files, an .xlsx workbook or a .yaml/.yml file")
        ])


def _is_csv_folder(path: Path, writing: bool) -> bool:
    if writing:
        return path.suffix == "" or path.is_dir()
    return path.is_dir()


def _is_xlsx(path: Path, writing: bool) -> bool:
    return path.suffix.lower() == ".xlsx" and (writing or path.is_file())


def _is_yaml(path: Path, writing: bool) -> bool:
    return path.suffix.lower() in (".yaml", ".yml") and (writing or path.is_file())


FORMATS = FormatRegistry()
"""The workbook shapes: ``csv``, ``xlsx`` and ``yaml``, tried in that order."""
FORMATS.register(Format("csv", _is_csv_folder, csvdir.read_csv_folder, csvdir.write_csv_folder))
FORMATS.register(Format("xlsx", _is_xlsx, excel.read_xlsx, excel.write_xlsx))
FORMATS.register(Format("yaml", _is_yaml, yamlform.read_yaml, yamlform.write_yaml))


def read_workbook(path: str | Path, known: Mapping[str, Set[str]] | None = None) -> Workbook:
    """Read and check a workbook in any shape; raise :class:`WorkbookError` listing every problem.

    ``known`` holds ids that exist outside the workbook (in a store), per table.
    """
    path = Path(path)
    problems: list[Problem] = []
    workbook = FORMATS.for_path(path).read(path, problems)
    # A file that could not be read leaves its table empty: checking references
    # against it would only repeat that problem once per row.
    if not any(p.column is None for p in problems):
        problems.extend(validate_workbook(workbook, known))
    if problems:
        order = {name: i for i, name in enumerate(dict.fromkeys(p.path for p in problems))}
        problems.sort(key=lambda p: (order[p.path], p.sheet or "", p.row or 0))
        raise WorkbookError(problems)
    return workbook


def write_workbook(workbook: Workbook, path: str | Path) -> Path:
    """Write ``workbook`` in the shape ``path`` names (a folder, ``.xlsx`` or ``.yaml``); all or nothing."""
    path = Path(path)
    FORMATS.for_path(path, writing=True).write(workbook, path)
    return path
