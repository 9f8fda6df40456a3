"""Answers worked out lately, kept by key: shoppers send the same photos again and again (one selfie with
garment after garment, a popular garment's photo by many), so slow work on a photo is done once per photo per
process.

`Remembered(size)` keeps the last `size` answers, the least recently used dropped first; with `weigh` and
`budget` it also keeps their total weight (their bytes) within the budget, and never keeps one answer weighing
more than a quarter of it. `image_key(image, *extras)` is the key of an image's bytes (a digest, and their length)
with whatever else the answer depends on (the limits it was made under).
"""

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")

ImageKey = tuple[Hashable, ...]


def image_key(image: bytes, *extras: Hashable) -> ImageKey:
    """The key of an image's bytes (SHA-256: hashlib lets go of the interpreter lock while it hashes) and extras."""
    return (hashlib.sha256(image).digest(), len(image), *extras)


class Remembered(Generic[_Key, _Value]):
    """At most `size` answers by key and, with `weigh`, at most `budget` of their weight; safe across threads."""

    def __init__(
        self, size: int, *, weigh: Callable[[_Value], int] | None = None, budget: int | None = None
    ) -> None:
        if (weigh is None) != (budget is None):
            raise ValueError("weigh and budget go together")
        self._size = size
        self._weigh = weigh
        self._budget = math.inf if budget is None else budget
        self._answers: OrderedDict[_Key, tuple[_Value, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: _Key) -> tuple[_Value] | None:
        """(the answer,) when one is kept for key, else None; a kept answer becomes the most recently used."""
        with self._lock:
            entry = self._answers.get(key)
            if entry is None:
                return None
            self._answers.move_to_end(key)
            return (entry[0],)

    def put(self, key: _Key, answer: _Value) -> None:
        """Keep answer for key (in place of any before it), dropping the least recently used past the limits."""
        weight = self._weigh(answer) if self._weigh is not None else 0
        if weight > self._budget / 4:
            return
        with self._lock:
            previous = self._answers.pop(key, None)
            if previous is not None:
                self._weight -= previous[1]
            self._answers[key] = (answer, weight)
            self._weight += weight
            while len(self._answers) > self._size or self._weight > self._budget:
                self._weight -= self._answers.popitem(last=False)[1][1]

    def forget(self) -> None:
        """Drop every answer (benchmarks measure work done afresh)."""
        with self._lock:
            self._answers.clear()
            self._weight = 0
