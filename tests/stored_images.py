"""Stored images seen through the app's storage and its signed URLs: the same test reads local disk and S3."""

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests


@dataclass
class FetchedImage:
    status_code: int
    data: bytes
    mimetype: str


def stored_keys(app, prefix=""):
    """Keys of the stored images under a folder prefix (e.g. "avatars/<userid>/"; "" for all)."""
    return app.extensions["storage"].list_keys(prefix)


def swept_in_time(app, keys, timeout=20):
    """Whether the keys are all gone before the timeout (a generous bound on a sweep that runs every second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not set(keys) & set(stored_keys(app)):
            return True
        time.sleep(0.1)
    return False


def stored_names(app, folder):
    """Names of the images stored in one folder (e.g. "wardrobe/<userid>/")."""
    return [key.rsplit("/", 1)[1] for key in stored_keys(app, folder)]


def stored_bytes(app, image_path):
    """The bytes stored under "/images/<key>"."""
    return app.extensions["storage"].read_image(image_path)


def fetch_image(client, url):
    """GET a signed image URL as a client would: the app serves local images, the object store presigned ones."""
    parts = urlsplit(url)
    if parts.hostname == "localhost":
        response = client.get(f"{parts.path}?{parts.query}")
        return FetchedImage(response.status_code, response.data, response.mimetype)
    response = requests.get(url, timeout=10)
    return FetchedImage(response.status_code, response.content, response.headers.get("Content-Type", ""))


def image_key(url):
    """The storage key a signed URL points at: its path after "/images/" (local) or "/<bucket>/" (S3)."""
    return urlsplit(url).path.split("/", 2)[2]
