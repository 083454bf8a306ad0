"""A typed registry (in the style of open-forms' plugins/registry.py): named items registered once, at import time.

    INDICATORS: Registry[Indicator] = Registry("indicator")
    INDICATORS.register("crime_total", Indicator(...))   # a second "crime_total" raises AlreadyRegistered
    INDICATORS["crime_total"]                           # an unknown key raises NotRegistered, naming the known ones

A registry is filled by the module that defines it while it is imported, so a duplicate key fails at start-up
instead of silently replacing the first item. Reads behave like a read-only dict (`in`, iteration over the keys
in registration order, `items()`, `values()`, `get()`). No Django: the pure modules (ivp.opendata) use it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class AlreadyRegistered(ValueError):  # noqa: N818  (reads as what happened, like Django's AlreadyRegistered)
    """A second item under a key that is taken: a programming error, raised while the modules are imported."""


class NotRegistered(KeyError):  # noqa: N818
    """No item under this key. A KeyError, so `except KeyError` around a lookup keeps working."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind  # what the items are, for messages ("indicator", "snapshot file format")
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items:
            raise AlreadyRegistered(f"{self.kind} {key!r} is registered twice: {self._items[key]!r} and {item!r}")
        self._items[key] = item
        return item

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            known = ", ".join(self._items) or "none"
            raise NotRegistered(f"unknown {self.kind} {key!r} (registered: {known})") from None

    def get(self, key: str, default: T | None = None) -> T | None:
        return self._items.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self):
        return self._items.keys()

    def values(self):
        return self._items.values()

    def items(self):
        return self._items.items()

    def __repr__(self) -> str:
        return f"<Registry of {len(self)} {self.kind} item(s)>"
