"""shared/storage S3Storage against a real S3-compatible server on loopback (moto's server mode)."""

import calendar
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from config import ConfigurationError, Settings
from shared.errors import NotFoundError, ValidationError
from shared.storage import LocalStorage, S3Storage, StorageUnavailableError, create_storage


@pytest.fixture
def bucket(s3_server):
    with s3_server.fresh_bucket() as name:
        yield name


@pytest.fixture
def storage(s3_server, bucket):
    return create_storage(
        Settings(SECRET_KEY="test-secret", IMAGE_URL_TTL=3600, **s3_server.settings(bucket))
    )


def _stored_object(s3_server, bucket, key):
    response = s3_server.client.get_object(Bucket=bucket, Key=key)
    return response["Body"].read(), response["ContentType"]


def test_upload_puts_the_object_under_its_key_and_returns_the_same_path_as_local(storage, s3_server, bucket):
    assert isinstance(storage, S3Storage)
    url = storage.upload_image(b"png bytes", "wardrobe/u1/g1.png")
    assert url == "/images/wardrobe/u1/g1.png"
    assert _stored_object(s3_server, bucket, "wardrobe/u1/g1.png") == (b"png bytes", "image/png")
    assert storage.read_image(url) == b"png bytes"
    assert storage.exists("wardrobe/u1/g1.png") and storage.exists("/images/wardrobe/u1/g1.png")
    assert not storage.exists("wardrobe/u1/other.png")
    storage.upload_image(b"<html>", "tryon-inputs/u1/j1/page.html", "text/html")
    assert _stored_object(s3_server, bucket, "tryon-inputs/u1/j1/page.html") == (b"<html>", "text/html")


def test_missing_objects_read_as_not_found_and_delete_reports_what_it_removed(storage):
    with pytest.raises(NotFoundError) as caught:
        storage.read_image("tryon-results/u1/j1.png")
    assert caught.value.code == "IMAGE_NOT_FOUND"
    storage.upload_image(b"x", "tryon-results/u1/j1.png")
    assert storage.delete_image("/images/tryon-results/u1/j1.png") is True
    assert storage.delete_image("tryon-results/u1/j1.png") is False
    assert not storage.exists("tryon-results/u1/j1.png")


def test_delete_prefix_removes_one_users_objects_only(storage):
    for key in (
        "avatars/u1/a.png",
        "avatars/u1/b.png",
        "avatars/u10/a.png",
        "avatars/u2/a.png",
        "wardrobe/u1/g.png",
    ):
        storage.upload_image(b"x", key)
    assert storage.list_keys("avatars/u1/") == ["avatars/u1/a.png", "avatars/u1/b.png"]
    assert storage.delete_prefix("avatars/u1/") == 2
    assert storage.list_keys() == ["avatars/u10/a.png", "avatars/u2/a.png", "wardrobe/u1/g.png"]
    assert storage.delete_prefix("avatars/nobody/") == 0
    with pytest.raises(ValidationError):
        storage.delete_prefix("../")


@pytest.mark.parametrize(
    "key", ["../outside.png", "a//b.png", ".hidden/x.png", "images/", "", "a/b.png\x00.jpg"]
)
def test_invalid_keys_are_refused_before_reaching_the_store(storage, key):
    for call in (
        lambda: storage.upload_image(b"x", key),
        lambda: storage.read_image(key),
        lambda: storage.signed_url(key),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.code == "INVALID_IMAGE_PATH"
    assert storage.list_keys() == []


def test_presigned_urls_open_the_object_and_end_when_a_local_signed_url_would(storage, tmp_path):
    storage.upload_image(b"the image", "avatars/u1/a.png")
    url = storage.signed_url("/images/avatars/u1/a.png")
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content == b"the image"
    assert fetched.headers["Content-Type"] == "image/png"
    assert requests.get(url.split("?")[0], timeout=10).status_code == 403  # the object itself is private
    query = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
    signed_at = calendar.timegm(time.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ"))
    local = LocalStorage(
        root=tmp_path / "images",
        signing_secret="test-secret",
        url_ttl=3600,
        public_base_url="http://localhost",
    )
    local_expiry = int(parse_qs(urlsplit(local.signed_url("avatars/u1/a.png")).query)["expires"][0])
    assert signed_at + int(query["X-Amz-Expires"]) == local_expiry
    assert local_expiry % 3600 == 0 and local_expiry - time.time() >= 3600
    assert (
        storage.signed_url("avatars/u1/a.png") == url
    )  # one URL per image within the hour: client caches work


def test_an_unreachable_store_is_a_503_not_a_500(s3_server, bucket):
    down = create_storage(
        Settings(SECRET_KEY="s", **s3_server.settings(bucket, endpoint_url="http://127.0.0.1:9"))
    )
    for call in (
        lambda: down.upload_image(b"x", "a/b.png"),
        lambda: down.read_image("a/b.png"),
        lambda: down.exists("a/b.png"),
        lambda: down.delete_prefix("a/"),
        down.ping,
    ):
        with pytest.raises(StorageUnavailableError) as caught:
            call()
        assert (caught.value.status_code, caught.value.code) == (503, "STORAGE_UNAVAILABLE")


def test_a_missing_bucket_is_unavailable_storage(s3_server):
    storage = create_storage(Settings(SECRET_KEY="s", **s3_server.settings("no-such-bucket")))
    with pytest.raises(StorageUnavailableError):
        storage.ping()
    with pytest.raises(StorageUnavailableError):
        storage.upload_image(b"x", "a/b.png")


def test_s3_settings_are_checked_at_start_up(s3_server):
    with pytest.raises(ConfigurationError, match="S3_BUCKET"):
        create_storage(Settings(SECRET_KEY="s", **{**s3_server.settings(""), "S3_BUCKET": ""}))
    with pytest.raises(ConfigurationError, match="IMAGE_URL_TTL"):
        create_storage(Settings(SECRET_KEY="s", IMAGE_URL_TTL=7 * 24 * 3600, **s3_server.settings("b")))


def test_listed_objects_carry_their_size_and_when_they_were_written(storage):
    before = time.time()
    storage.upload_image(b"12345", "avatars/u1/a.png")
    storage.upload_image(b"x" * 300, "wardrobe/u1/g.png")
    listed = storage.list_files()
    assert [(stored.key, stored.size) for stored in listed] == [
        ("avatars/u1/a.png", 5),
        ("wardrobe/u1/g.png", 300),
    ]
    for stored in listed:  # S3 keeps whole seconds
        assert before - 1 <= stored.modified <= time.time() + 1
        assert storage.modified(stored.key) == stored.modified
    assert storage.list_files("wardrobe/u1/")[0].key == "wardrobe/u1/g.png"
    assert storage.modified("avatars/u1/none.png") is None
