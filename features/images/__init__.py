"""Serving stored images through signed, expiring URLs."""
