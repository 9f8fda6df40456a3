"""Avatars (the user's own photo, background removed) and the public background-removal endpoint."""
