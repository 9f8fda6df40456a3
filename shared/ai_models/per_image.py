"""Answers remembered per image: shoppers try many garments on one avatar and one garment on many
avatars, so the slow reading of a photo (pose, cut-out) runs once per photo per process.

`remembered_per_image(size)` wraps a function of one image (its bytes) and keeps its last `size`
answers by the image's key (shared/remembered.py); the wrapped function gets `forget()` (benchmarks
measure a photo read afresh).
"""

import functools
from collections.abc import Callable
from typing import Generic, TypeVar

from shared.remembered import ImageKey, Remembered, image_key

_Answer = TypeVar("_Answer")


class RememberedPerImage(Generic[_Answer]):
    """`read` with its last `size` answers kept by the image's key."""

    def __init__(self, read: Callable[[bytes], _Answer], size: int) -> None:
        functools.update_wrapper(self, read)
        self._read = read
        self._answers: Remembered[ImageKey, _Answer] = Remembered(size)

    def __call__(self, image: bytes) -> _Answer:
        key = image_key(image)
        if (remembered := self._answers.get(key)) is not None:
            return remembered[0]
        answer = self._read(image)
        self._answers.put(key, answer)
        return answer

    def forget(self) -> None:
        self._answers.forget()


def remembered_per_image(size: int) -> Callable[[Callable[[bytes], _Answer]], RememberedPerImage[_Answer]]:
    def decorate(read: Callable[[bytes], _Answer]) -> RememberedPerImage[_Answer]:
        return RememberedPerImage(read, size)

    return decorate
