"""The fake Gemini server fixtures for the avatar tests."""
