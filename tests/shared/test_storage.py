"""shared/storage: keys confined to the images root, atomic writes, signed expiring URLs."""

import os
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from config import ConfigurationError, Settings
from shared.errors import ForbiddenError, NotFoundError, ValidationError
from shared.storage import LocalStorage, create_storage


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(
        root=tmp_path / "images",
        signing_secret="test-secret",
        url_ttl=3600,
        public_base_url="https://api.example.com/",
    )


def test_upload_writes_the_file_and_returns_its_relative_url(storage):
    url = storage.upload_image(b"png bytes", "wardrobe/u1/g1.png")
    assert url == "/images/wardrobe/u1/g1.png"
    assert (storage.root / "wardrobe/u1/g1.png").read_bytes() == b"png bytes"
    assert storage.read_image(url) == b"png bytes"
    assert storage.exists("wardrobe/u1/g1.png") and storage.exists("/images/wardrobe/u1/g1.png")
    assert list((storage.root / "wardrobe/u1").iterdir()) == [storage.root / "wardrobe/u1/g1.png"]


def test_concurrent_writes_to_one_key_leave_one_whole_file(storage):
    contents = [bytes([n]) * 300_000 for n in range(8)]
    threads = [
        threading.Thread(target=storage.upload_image, args=(data, "avatars/u1/a.png")) for data in contents
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert storage.read_image("avatars/u1/a.png") in contents
    assert os.listdir(storage.root / "avatars/u1") == ["a.png"]


@pytest.mark.parametrize(
    "key",
    [
        "../outside.png",
        "a/../../outside.png",
        "/etc/passwd",
        "a//b.png",
        ".hidden/x.png",
        "a/./b.png",
        "a\\..\\b.png",
        "images/",
        "",
        "a/b.png\x00.jpg",
        "%2e%2e/x.png",
    ],
)
def test_keys_that_could_escape_the_root_are_refused(storage, key):
    with pytest.raises(ValidationError) as caught:
        storage.get_image_path(key)
    assert caught.value.code == "INVALID_IMAGE_PATH"
    with pytest.raises(ValidationError):
        storage.upload_image(b"x", key)


def test_a_symlink_out_of_the_root_is_not_followed(storage, tmp_path):
    (tmp_path / "secret.txt").write_text("secret")
    (storage.root / "avatars").mkdir()
    os.symlink(tmp_path / "secret.txt", storage.root / "avatars" / "link.png")
    with pytest.raises(ValidationError):
        storage.read_image("avatars/link.png")


def test_delete_reports_whether_a_file_was_removed(storage):
    storage.upload_image(b"x", "tryon-results/u1/j1.png")
    assert storage.delete_image("/images/tryon-results/u1/j1.png") is True
    assert not storage.exists("tryon-results/u1/j1.png")
    assert storage.delete_image("tryon-results/u1/j1.png") is False
    with pytest.raises(NotFoundError):
        storage.read_image("tryon-results/u1/j1.png")


def test_delete_prefix_removes_one_users_files_only(storage):
    for key in ("avatars/u1/a.png", "avatars/u1/b.png", "avatars/u2/a.png", "wardrobe/u1/g.png"):
        storage.upload_image(b"x", key)
    assert storage.delete_prefix("avatars/u1/") == 2
    assert not storage.exists("avatars/u1/a.png")
    assert storage.exists("avatars/u2/a.png") and storage.exists("wardrobe/u1/g.png")
    assert storage.delete_prefix("avatars/nobody/") == 0
    with pytest.raises(ValidationError):
        storage.delete_prefix("")


def test_signed_urls_are_absolute_and_verify(storage):
    url = storage.signed_url("/images/avatars/u1/a.png")  # no Flask context: the address came at construction
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "api.example.com",
        "/images/avatars/u1/a.png",
    )
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert storage.verify_signature("avatars/u1/a.png", query["expires"], query["sig"]) >= 3600
    with pytest.raises(ForbiddenError) as caught:
        storage.verify_signature("avatars/u2/a.png", query["expires"], query["sig"])
    assert caught.value.code == "INVALID_SIGNATURE"
    with pytest.raises(ForbiddenError):
        storage.verify_signature("avatars/u1/a.png", str(int(query["expires"]) + 3600), query["sig"])
    with pytest.raises(ForbiddenError):
        storage.verify_signature("avatars/u1/a.png", query["expires"], None)


def test_expired_and_foreign_signatures_are_refused(storage, tmp_path):
    expired = urlsplit(storage.signed_url("avatars/u1/a.png", ttl=-7200))
    fresh = urlsplit(storage.signed_url("avatars/u1/a.png"))
    query = {name: values[0] for name, values in parse_qs(expired.query).items()}
    with pytest.raises(ForbiddenError) as caught:
        storage.verify_signature("avatars/u1/a.png", query["expires"], query["sig"])
    assert caught.value.code == "URL_EXPIRED"
    other_key = LocalStorage(
        root=tmp_path / "images", signing_secret="another-secret", url_ttl=3600, public_base_url=""
    )
    query = {name: values[0] for name, values in parse_qs(fresh.query).items()}
    with pytest.raises(ForbiddenError) as caught:
        other_key.verify_signature("avatars/u1/a.png", query["expires"], query["sig"])
    assert caught.value.code == "INVALID_SIGNATURE"


def test_create_storage_follows_the_settings(tmp_path):
    settings = Settings(
        IMAGES_DIR=str(tmp_path / "pictures"), SECRET_KEY="s", IMAGE_URL_TTL=60, IMAGES_BASE_URL="/media"
    )
    storage = create_storage(settings)
    assert storage.root == (tmp_path / "pictures").resolve() and storage.url_ttl == 60
    assert storage.upload_image(b"x", "/media/avatars/u/a.png") == "/media/avatars/u/a.png"
    with pytest.raises(ConfigurationError):
        create_storage(Settings(STORAGE_BACKEND="ftp", SECRET_KEY="s"))


def test_signed_urls_follow_public_base_url_else_the_request_host(tmp_path, app):
    configured = create_storage(
        Settings(IMAGES_DIR=str(tmp_path / "a"), SECRET_KEY="s", PUBLIC_BASE_URL="https://cdn.example.com/")
    )
    unset = create_storage(Settings(IMAGES_DIR=str(tmp_path / "b"), SECRET_KEY="s", PORT=8123))
    with app.test_request_context(base_url="http://10.0.0.5:8000"):
        assert urlsplit(configured.signed_url("a/b.png")).netloc == "cdn.example.com"
        assert urlsplit(unset.signed_url("a/b.png"))[:2] == ("http", "10.0.0.5:8000")
    assert urlsplit(configured.signed_url("a/b.png"))[:3] == ("https", "cdn.example.com", "/images/a/b.png")
    assert urlsplit(unset.signed_url("a/b.png")).netloc == "localhost:8123"  # outside any request


def test_listed_files_carry_their_size_and_when_they_were_written_not_a_write_in_progress(storage):
    storage.upload_image(b"12345", "avatars/u1/a.png")
    storage.upload_image(b"x" * 300, "wardrobe/u1/g.png")
    written_long_ago = storage.get_image_path("wardrobe/u1/g.png")
    os.utime(written_long_ago, (1_700_000_000, 1_700_000_000))
    (storage.root / "avatars/u1/.upload-abc.tmp").write_bytes(b"half")  # another request's write, unfinished
    listed = storage.list_files()
    assert [(stored.key, stored.size) for stored in listed] == [
        ("avatars/u1/a.png", 5),
        ("wardrobe/u1/g.png", 300),
    ]
    assert listed[1].modified == storage.modified("/images/wardrobe/u1/g.png") == 1_700_000_000
    assert time.time() - listed[0].modified < 60
    assert [stored.key for stored in storage.list_files("wardrobe/")] == ["wardrobe/u1/g.png"]
    assert storage.modified("avatars/u1/none.png") is None
