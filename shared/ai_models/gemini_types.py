"""The google-genai types our requests are built from: the SDK's own, answering `name in model` without a walk.

Before a request goes out the SDK turns the call's pydantic models into the request dict, asking for every field it
might send whether `name in model` (`_common.get_value_by_path`). pydantic's BaseModel defines no `__contains__`, so
Python answers `in` by iterating the model's (name, value) pairs, and a name, a string, is never one of those pairs:
every look-up walks all of the model's fields to say False (a GenerateContentConfig has about fifty; a try-on's
request asks 146 such questions, some 2,900 field iterations). These subclasses answer a string at once and anything
else as the iteration does, so every `in` gives the answer it gave before and the request is the same
(tests/shared/test_gemini_model.py); only the time changes: the SDK's request dict of a try-on, 0.83 → 0.45 ms of CPU
(BENCHMARKS.md, "Tenth pass"). pydantic keeps an instance of a subclass where the SDK's type is expected, so the SDK
builds its request from these very objects.
"""

from typing import Any

from google.genai import types


def _contains(model: Any, item: object) -> bool:
    """`item in model` as iterating the model answers it: no string is a (name, value) pair."""
    return not isinstance(item, str) and any(item == pair for pair in model)


class Part(types.Part):
    __contains__ = _contains


class ImageConfig(types.ImageConfig):
    __contains__ = _contains


class GenerateContentConfig(types.GenerateContentConfig):
    __contains__ = _contains
