"""GET /images/<key>: only through signed, unexpired URLs; correct headers; never outside the root."""

from urllib.parse import urlsplit

import pytest

from shared.storage import get_storage
from tests.photos import astronaut_jpeg, astronaut_png


@pytest.fixture
def settings_overrides():
    """The app serves images itself only from local storage (S3 hands out presigned URLs: tests/shared)."""
    return {"STORAGE_BACKEND": "local"}


def _store(app, key, data):
    with app.test_request_context():
        storage = get_storage()
        storage.upload_image(data, key)
        return storage.signed_url(key)


def _local(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_a_signed_url_serves_the_file_with_cache_headers(app, client):
    url = _store(app, "wardrobe/u1/g1.png", astronaut_png())
    assert url.startswith("http://localhost/images/wardrobe/u1/g1.png?expires=")
    response = client.get(_local(url))
    assert response.status_code == 200
    assert response.data == astronaut_png()
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.cache_control.private and not response.cache_control.public
    assert 0 < response.cache_control.max_age <= 24 * 3600 + 3600
    etag = response.headers["ETag"]
    again = client.get(_local(url), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_jpeg_files_are_served_as_jpeg(app, client):
    response = client.get(_local(_store(app, "wardrobe/u1/g2.jpg", astronaut_jpeg())))
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "mangle, code",
    [
        (lambda url: url.split("?")[0], "INVALID_SIGNATURE"),
        (lambda url: url.replace("sig=", "sig=A"), "INVALID_SIGNATURE"),
        (lambda url: url.replace("expires=", "expires=1"), "INVALID_SIGNATURE"),
        (lambda url: url.replace("/u1/", "/u2/"), "INVALID_SIGNATURE"),
    ],
)
def test_unsigned_or_tampered_urls_are_forbidden(app, client, mangle, code):
    _store(app, "avatars/u2/a.png", b"someone else's photo")
    response = client.get(_local(mangle(_store(app, "avatars/u1/a.png", astronaut_png()))))
    assert response.status_code == 403
    assert response.get_json() == {
        "success": False,
        "error": {"code": code, "message": response.get_json()["error"]["message"]},
    }


@pytest.mark.parametrize("expires", ["\u00b2", "\u0663\u0663", "9" * 5000, "-1", "1e9", " 99"])
def test_an_expiry_that_is_not_a_plain_number_is_forbidden(app, client, expires):
    url = _store(app, "avatars/u1/a.png", astronaut_png())
    response = client.get(
        urlsplit(url).path, query_string={"expires": expires, "sig": url.rsplit("sig=", 1)[1]}
    )
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "INVALID_SIGNATURE"


def test_an_expired_url_is_forbidden(app, client):
    with app.test_request_context():
        storage = get_storage()
        storage.upload_image(b"x", "avatars/u1/a.png")
        url = storage.signed_url("avatars/u1/a.png", ttl=-7200)
    response = client.get(_local(url))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "URL_EXPIRED"


def test_a_signed_url_to_a_missing_file_is_404(app, client):
    with app.test_request_context():
        url = get_storage().signed_url("avatars/u1/gone.png")
    response = client.get(_local(url))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "IMAGE_NOT_FOUND"


@pytest.mark.parametrize(
    "path",
    ["/images/../app.py", "/images/%2e%2e/%2e%2e/etc/passwd", "/images/.upload-x.tmp", "/images/a//b.png"],
)
def test_paths_outside_the_store_are_not_found(client, path):
    response = client.get(path + "?expires=9999999999&sig=x")
    assert response.status_code == 404
    assert response.get_json()["success"] is False
