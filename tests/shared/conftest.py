"""The fake Gemini server fixtures for the model tests."""
