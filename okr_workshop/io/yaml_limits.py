"""Bounds on a YAML file: its size, and the values its aliases repeat ("billion laughs").

A YAML file can name a list of lists of lists through aliases (``*name``) that
stands for a billion values in a few hundred bytes: :func:`yaml_document`
counts what the aliases repeat before the document is built.
"""

from __future__ import annotations

import re
from pathlib import Path

from okr_workshop.io.bounds import MAX_YAML_BYTES, MAX_YAML_REPEATS, read_bounded, refuse_file


def read_yaml_text(path: Path, label: str) -> str:
    """The text of a YAML file (UTF-8, a BOM dropped, line ends as ``\\n``), refused when the file is too large.

    Raises :class:`UnicodeDecodeError` as :meth:`Path.read_text` does for bytes that are not UTF-8.
    """
    data = read_bounded(path, label, MAX_YAML_BYTES, "YAML takes some 50 times its size in memory; "
                        "write a larger workbook as a folder of CSV files, which reads some 20 times faster")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as error:  # at its byte in the file, the BOM counted
        raise UnicodeDecodeError("utf-8", data, error.start + bom, error.end + bom, error.reason) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_ANCHOR = re.compile(r"(?:^|[\s\[{,:])&[^\s\[\]{},]", re.MULTILINE)
"""Where a YAML anchor (``&name``) may begin; without one there can be no alias."""


def yaml_document(loader, label: str, text: str) -> object:
    """The document ``loader`` (a PyYAML loader of ``text``) holds, refused when its aliases repeat too many values.

    An alias (``*name``) stands for the whole value its anchor (``&name``) names,
    so a few lines of aliases of aliases can stand for a billion values (the
    "billion laughs"); PyYAML builds them cheaply as shared objects, but reading
    them walks every one.
    """
    node = loader.get_single_node()
    if node is None:
        return None
    if "&" in text and _ANCHOR.search(text):
        repeats, line = _alias_repeats(node)
        if repeats > MAX_YAML_REPEATS:
            refuse_file(label, f"aliases (*name) that repeat more than {MAX_YAML_REPEATS:,} values",
                        f"at most {MAX_YAML_REPEATS:,} values repeated through aliases, all aliases together: write "
                        "the values out, or name fewer and smaller anchors (&name)", row=line)
    return loader.construct_document(node)


def safe_load_yaml(text: str, label: str) -> object:
    """``yaml.safe_load(text)``, refused as :func:`yaml_document` refuses a document (for settings files)."""
    import yaml  # noqa: PLC0415 - only YAML files need it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return yaml_document(loader, label, text)
    finally:
        loader.dispose()


def _alias_repeats(root) -> tuple[int, int | None]:
    """How many values the document stands for beyond those written out, and the line of the first aliased value.

    Only collections are remembered (a document has far fewer of them than
    values); a value an alias repeats counts once for each time it is named.
    """
    from yaml.nodes import ScalarNode  # noqa: PLC0415 - only the YAML shape needs it

    if isinstance(root, ScalarNode):
        return 0, None
    expanded: dict[int, int] = {}  # a collection's id -> the values it stands for, itself included
    active: set[int] = set()  # collections being walked: an alias to one of them is inside itself
    written = 0
    first: int | None = None
    stack: list[tuple[object, list | None]] = [(root, None)]  # (collection, its children once walked)
    while stack:
        node, children = stack.pop()
        key = id(node)
        if children is not None:
            active.discard(key)
            total = 1 + sum(1 if isinstance(child, ScalarNode) else expanded.get(id(child), 1) for child in children)
            expanded[key] = min(total, MAX_YAML_REPEATS * 16)
            continue
        if key in expanded or key in active:  # named again through an alias
            if first is None:
                first = node.start_mark.line + 1
            continue
        value = node.value
        children = [item for pair in value for item in pair] if value and isinstance(value[0], tuple) else value
        active.add(key)
        collections = [child for child in children if not isinstance(child, ScalarNode)]
        written += 1 + len(children) - len(collections)
        stack.append((node, children))
        stack.extend((child, None) for child in collections)
    return expanded[id(root)] - written, first

