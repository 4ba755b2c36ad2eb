"""The package's shape, as docs/architecture.md draws it: layers, no cycles, no reach-ins, small modules.

Read statically from the source with :mod:`ast` (nothing is imported), so a
test names the module and the line that breaks a rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "okr_workshop"
MAX_LINES = 400

CORE = ("model", "schema", "workbook", "quarters", "exceptions", "text", "filenames", "atomic", "visibility",
        "registry", "validate", "summary", "library", "identity", "palette", "io", "store", "smart", "tracking",
        "course", "measure")
"""Modules and packages of the core: pure Python, importable without widgets, click, papermill or an entry point."""
PRESENTATION = ("smart.render", "tracking.status_render", "tracking.charts", "course.certificate")
"""The presentation modules that live in a domain package beside the core they show (a page, a terminal, a chart)."""
UPWARD = ("ipywidgets", "click", "papermill", "nbconvert", "voila", "okr_workshop.apps", "okr_workshop.cli",
          "okr_workshop.server", "okr_workshop.reports", "okr_workshop.pages",
          *(f"okr_workshop.{name}" for name in PRESENTATION))
"""What a core module may not import at its top level."""


def _is_core(name: str) -> bool:
    return (any(_within(name, f"okr_workshop.{core}") for core in CORE)
            and not any(_within(name, f"okr_workshop.{shown}") for shown in PRESENTATION))


@dataclass(frozen=True)
class Import:
    """One import statement of a module: the module it names, the names it takes, where, and whether at top level."""

    target: str
    names: tuple[str, ...]
    line: int
    top_level: bool


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _from_target(node: ast.ImportFrom, path: Path) -> str:
    """The absolute module a ``from ... import`` statement of ``path`` names."""
    if not node.level:
        return node.module or ""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def _imports(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` imports are for type checkers only
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top -= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, (), node.lineno, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(Import(_from_target(node, path), tuple(a.name for a in node.names), node.lineno,
                                id(node) in top))
    return found


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _same_package(name: str, other: str) -> bool:
    """Whether two modules share a subpackage (``language.parsing`` and ``language.numbers``), where privates may be
    shared; the package's own top-level modules share none."""
    parent = other if MODULES.get(other, Path()).name == "__init__.py" else other.rpartition(".")[0]
    return parent != "okr_workshop" and _within(name, parent)


def _resolve(target: str) -> str | None:
    """The package module an import names (the longest known prefix), or None for another library."""
    while target:
        if target in MODULES:
            return target
        target = target.rpartition(".")[0]
    return None


def test_the_package_is_read():
    assert "okr_workshop.model" in MODULES and len(MODULES) > 40


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_a_newcomer_reads_in_one_go(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines (at most {MAX_LINES}): split it by concern"


def test_no_core_module_imports_presentation_or_entry_points():
    wrong = []
    for name, path in MODULES.items():
        if not _is_core(name):
            continue
        for imp in _imports(path):
            if imp.top_level and any(_within(imp.target, upward) for upward in UPWARD):
                wrong.append(f"{path}:{imp.line} imports {imp.target}")
    assert not wrong, "core modules must not import widgets, click, papermill or entry points:\n" + "\n".join(wrong)


def test_no_module_reaches_into_another_modules_private_names():
    wrong = []
    for name, path in MODULES.items():
        for imp in _imports(path):
            other = _resolve(imp.target)
            if other is None or other == name:
                continue
            private = [n for n in imp.names if n.startswith("_") and not n.startswith("__")]
            if private and not _same_package(name, other):
                wrong.append(f"{path}:{imp.line} takes {', '.join(private)} from {other}")
    assert not wrong, "private names stay inside their package:\n" + "\n".join(wrong)


def test_no_module_uses_a_private_attribute_of_another_module():
    wrong = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}  # the local names bound to other modules of the package
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                aliases.update({a.asname: a.name for a in node.names if a.asname and _resolve(a.name)})
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    submodule = f"{_from_target(node, path)}.{alias.name}"
                    if _resolve(submodule) == submodule:
                        aliases[alias.asname or alias.name] = submodule
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr.startswith("_")
                    and not node.attr.startswith("__") and (other := aliases.get(node.value.id))
                    and other != name and not _same_package(name, other)):
                wrong.append(f"{path}:{node.lineno} uses {node.value.id}.{node.attr} of {other}")
    assert not wrong, "private names stay inside their package:\n" + "\n".join(wrong)


BELOW_THE_DOMAIN = ("store", "io")
"""Packages the domain builds on: they import the model, never a domain package."""
DOMAIN = ("smart", "tracking", "course", "measure")
ABOVE_THE_DOMAIN = ("apps", "cli", "server", "reports", "pages")


@pytest.mark.parametrize("package", BELOW_THE_DOMAIN)
def test_the_store_and_io_never_import_the_domain_or_above(package):
    wrong = [f"{MODULES[name]}:{imp.line} imports {imp.target}"
             for name in MODULES if _within(name, f"okr_workshop.{package}")
             for imp in _imports(MODULES[name])
             if any(_within(imp.target, f"okr_workshop.{up}") for up in DOMAIN + ABOVE_THE_DOMAIN)]
    assert not wrong, f"{package}/ builds on the model only, even inside functions:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", DOMAIN)
def test_the_domain_never_imports_apps_reports_or_entry_points(package):
    wrong = [f"{MODULES[name]}:{imp.line} imports {imp.target}"
             for name in MODULES if _within(name, f"okr_workshop.{package}") and _is_core(name)
             for imp in _imports(MODULES[name])
             if any(_within(imp.target, f"okr_workshop.{up}") for up in ABOVE_THE_DOMAIN)]
    assert not wrong, f"{package}/ is below the apps, reports and commands, even inside functions:\n" + "\n".join(wrong)


def test_every_import_inside_a_function_says_why():
    """``# noqa: PLC0415 - <reason>``: an import inside a function is an exception, kept for a start-up or a cycle."""
    bare = [f"{path}:{number}" for path in MODULES.values()
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if "noqa: PLC0415" in line and not line.split("noqa: PLC0415", 1)[1].startswith(" - ")]
    assert not bare, "say why the import waits for the function (`# noqa: PLC0415 - why`):\n" + "\n".join(bare)
