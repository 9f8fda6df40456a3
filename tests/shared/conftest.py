"""The fake Gemini server fixtures for the model tests."""
from tests.fakes.gemini_server import gemini, gemini_server  # noqa: F401
