"""A fake Gemini server for the whole avatars test package."""
import pytest

from tests.fakes.gemini_server import FakeGemini


@pytest.fixture(scope="package")
def gemini_server():
    with FakeGemini() as server:
        yield server


@pytest.fixture
def gemini(gemini_server):
    gemini_server.set_behaviour("ok", background=(0, 255, 0))
    gemini_server.requests.clear()
    return gemini_server
