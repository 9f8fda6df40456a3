"""The one cache of answers worked out lately (shared/remembered.py) and the image readers built on it."""

import pytest

from shared.ai_models.per_image import remembered_per_image
from shared.remembered import Remembered, image_key


def test_the_least_recently_used_answer_is_dropped_past_the_size():
    remembered: Remembered[str, int] = Remembered(2)
    remembered.put("a", 1)
    remembered.put("b", 2)
    assert remembered.get("a") == (1,)  # now the most recently used
    remembered.put("c", 3)
    assert remembered.get("b") is None
    assert remembered.get("a") == (1,) and remembered.get("c") == (3,)


def test_an_answer_of_none_is_remembered_as_an_answer():
    remembered: Remembered[str, None] = Remembered(2)
    remembered.put("a", None)
    assert remembered.get("a") == (None,)


def test_answers_are_dropped_oldest_first_past_the_weight_budget():
    remembered: Remembered[str, bytes] = Remembered(100, weigh=len, budget=100)
    for name in "abcd":
        remembered.put(name, bytes(25))
    remembered.put("e", bytes(20))  # 120 bytes: the oldest goes
    assert remembered.get("a") is None
    assert all(remembered.get(name) == (bytes(25),) for name in "bcd") and remembered.get("e") == (bytes(20),)


def test_an_answer_put_again_is_weighed_once():
    remembered: Remembered[str, bytes] = Remembered(100, weigh=len, budget=100)
    for _ in range(10):
        remembered.put("a", bytes(25))
    remembered.put("b", bytes(25))
    remembered.put("c", bytes(25))
    assert remembered.get("a") == (bytes(25),)


def test_an_answer_heavier_than_a_quarter_of_the_budget_is_not_kept_and_drops_nothing():
    remembered: Remembered[str, bytes] = Remembered(100, weigh=len, budget=100)
    remembered.put("small", bytes(10))
    remembered.put("big", bytes(26))
    assert remembered.get("big") is None and remembered.get("small") == (bytes(10),)


def test_a_weight_needs_a_budget():
    with pytest.raises(ValueError):
        Remembered(10, weigh=len)


def test_the_same_image_under_other_limits_has_another_key():
    image = b"\x89PNG" + bytes(100)
    assert image_key(image, 2048) == image_key(bytes(image), 2048)
    assert image_key(image, 2048) != image_key(image, 1536)
    assert image_key(image) != image_key(image[:-1])


def test_an_image_reader_reads_a_photo_once_until_it_is_forgotten():
    reads: list[bytes] = []

    @remembered_per_image(2)
    def read(image: bytes) -> int:
        reads.append(image)
        return len(image)

    assert [read(b"one"), read(b"three"), read(b"one"), read(b"three")] == [3, 5, 3, 5]
    assert reads == [b"one", b"three"]
    read(b"seven")  # past the size: "one", the least recently used, goes
    read(b"one")
    assert reads == [b"one", b"three", b"seven", b"one"]
    read.forget()
    read(b"seven")
    assert reads[-1] == b"seven" and len(reads) == 5
