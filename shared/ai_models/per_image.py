"""Answers remembered per image: shoppers try many garments on one avatar and one garment on many
avatars, so the slow reading of a photo (pose, cut-out) runs once per photo per process.

`remembered_per_image(size)` wraps a function of one image (its bytes) and keeps its last `size`
answers by a digest of the bytes; the wrapped function gets `forget()` (benchmarks measure a photo
read afresh).
"""

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

_Answer = TypeVar("_Answer")


class RememberedPerImage(Generic[_Answer]):
    """`read` with its last `size` answers kept by a digest of the image."""

    def __init__(self, read: Callable[[bytes], _Answer], size: int) -> None:
        functools.update_wrapper(self, read)
        self._read = read
        self._size = size
        self._answers: OrderedDict[bytes, _Answer] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, image: bytes) -> _Answer:
        key = hashlib.blake2b(image, digest_size=16).digest()
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = self._read(image)
        with self._lock:
            self._answers[key] = answer
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return answer

    def forget(self) -> None:
        with self._lock:
            self._answers.clear()


def remembered_per_image(size: int) -> Callable[[Callable[[bytes], _Answer]], RememberedPerImage[_Answer]]:
    def decorate(read: Callable[[bytes], _Answer]) -> RememberedPerImage[_Answer]:
        return RememberedPerImage(read, size)

    return decorate
