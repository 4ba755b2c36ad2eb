"""One shape for everything the toolkit looks up by name: SMART rules by code, charts, workbook formats.

A :class:`Registry` holds items of one kind under distinct names, in the order
they were registered. ``register`` adds an item, as a call or a decorator, and
refuses a name already taken; ``get`` returns the item or raises
:class:`~okr_workshop.exceptions.UnknownNameError`, whose message names the
kind, the name asked for, the names there are and the nearest one::

    greetings: Registry[Callable[[str], str]] = Registry("greeting")

    @greetings.register(name="hello")          # as a decorator
    def hello(person: str) -> str: ...

    greetings.register(str.upper, name="shout")  # as a call
    greetings.get("helo")  # UnknownNameError: unknown greeting 'helo': did you mean 'hello'?
                           # Known greetings are hello, shout

Given a ``key``, an item names itself: the rules' registry reads a rule's
``code``, so ``@register`` on a rule class needs no name. A registry that
needs more (rules check their criterion, formats choose one by a path) is a
subclass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, overload

from okr_workshop.exceptions import DuplicateNameError, UnknownNameError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Items of one ``kind`` (``rule``, ``chart``) by name, in the order registered.

    ``key`` reads an item's own name (a rule's ``code``); without it, every
    item is registered with an explicit ``name``.
    """

    def __init__(self, kind: str, key: Callable[[T], str] | None = None) -> None:
        self.kind = kind
        self._key = key
        self._items: dict[str, T] = {}

    @overload
    def register(self, item: T, /, *, name: str | None = None) -> T: ...

    @overload
    def register(self, item: None = None, /, *, name: str | None = None) -> Callable[[T], T]: ...

    def register(self, item: T | None = None, /, *, name: str | None = None) -> T | Callable[[T], T]:
        """Add ``item`` under ``name`` (by default the name its ``key`` reads) and return it.

        A decorator too: ``@registry.register`` names the item by its key,
        ``@registry.register(name="progress")`` names it here. A name already
        taken raises :class:`~okr_workshop.exceptions.DuplicateNameError`.
        """
        if item is None:
            return lambda later: self.register(later, name=name)
        name = self._name_of(item) if name is None else name
        self._admit(name, item)
        self._items[name] = item
        return item

    def get(self, name: str) -> T:
        """The item called ``name``; :class:`~okr_workshop.exceptions.UnknownNameError` naming the others if none."""
        try:
            return self._items[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, self.names()) from None

    def names(self) -> list[str]:
        """Every name, in the order registered."""
        return list(self._items)

    def __contains__(self, name: object) -> bool:
        """Whether an item is registered under ``name``."""
        return isinstance(name, str) and name in self._items

    def __iter__(self) -> Iterator[T]:
        """The items, in the order registered."""
        return iter(self._items.values())

    def __len__(self) -> int:
        """How many items there are."""
        return len(self._items)

    def __repr__(self) -> str:
        """The kind and the names, as a notebook shows the registry."""
        return f"<{type(self).__name__} of {len(self)} {self.kind}s: {', '.join(self._items)}>"

    def _name_of(self, item: T) -> str:
        """The name ``key`` reads from ``item``; a TypeError when this registry has no key."""
        if self._key is None:
            raise TypeError(f"a {self.kind} is registered with a name: register(item, name=...)")
        return self._key(item)

    def _admit(self, name: str, item: T) -> None:
        """Refuse ``item`` under ``name`` by raising; here, when the name is taken. Subclasses add their checks."""
        if name in self._items:
            raise DuplicateNameError(self.kind, name)
