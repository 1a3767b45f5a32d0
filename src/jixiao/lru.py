"""Bounded memories for pure functions whose inputs repeat: a web worker audits a package
again after each edit of one cell, and most of its texts and tables are as before."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

T = TypeVar("T")


class Lru:
    """A bounded least-recently-used mapping; ``weight`` is each entry's share of ``max_weight``."""

    def __init__(self, max_items: int, max_weight: int | None = None) -> None:
        self.max_items, self.max_weight = max_items, max_weight
        self._items: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: Hashable, value: Any, weight: int = 1) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            self._weight += weight - (old[0] if old else 0)
            self._items[key] = (weight, value)
            limit = self.max_weight
            while len(self._items) > self.max_items or (limit is not None and self._weight > limit and len(self._items) > 1):
                self._weight -= self._items.popitem(last=False)[1][0]

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0


def by_text(max_chars: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remembers a function of one text by the text, holding at most ``max_chars`` characters
    of texts (and at most 4,096 of them). Its results must not be changed by callers."""

    def wrap(function: Callable[[str], T]) -> Callable[[str], T]:
        memory = Lru(4096, max_chars)

        @wraps(function)
        def remembered(text: str) -> T:
            hit = memory.get(text)
            if hit is None:
                hit = function(text)
                memory.put(text, hit, len(text) + 1)
            return hit

        remembered.cache_clear = memory.clear  # type: ignore[attr-defined]
        return remembered

    return wrap
