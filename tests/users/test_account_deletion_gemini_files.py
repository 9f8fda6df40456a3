"""A deleted account leaves none of its photos at Google: the photos its try-ons uploaded to the Gemini Files API
are deleted there (through the real google-genai SDK against the fake Gemini), in the background, after the
deletion is committed; a garment photo another user's try-on sent too stays named for that user."""

import io
from datetime import datetime

import pytest
from PIL import ImageOps

from tests import photos
from tests.helpers import submit_tryon, wait_for_job

TYPED_TOP = '{"garments": [{"type": "top"}]}'


@pytest.fixture
def settings_overrides(fake_gemini):
    return fake_gemini.app_settings(GEMINI_TIMEOUT_SECONDS=30)


def _try_on(client, user, selfie, garment):
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=selfie, garment_image=garment, options=TYPED_TOP),
    )
    assert job["status"] == "done", job["error"]


def _stored_photos(fake_gemini):
    return sorted(stored["data"] for stored in fake_gemini.files.values())


def test_deleting_the_account_deletes_its_photos_at_google_and_keeps_a_shared_garment(
    app, client, user, other_user, standing_png, top_png, fake_gemini
):
    uploads = app.extensions["image_models"].photos
    other_selfie = photos.encode(ImageOps.mirror(photos.decode(standing_png)))
    for _ in range(2):  # the second try-on uploads the selfie and the garment: the user's photos
        _try_on(client, user, standing_png, top_png)
    uploads.wait_for_uploads()
    _try_on(client, other_user, other_selfie, top_png)  # another user sends the same garment photo
    assert len(fake_gemini.files) == 2 and len(fake_gemini.requests[-1]["file_uris"]) == 1

    response = client.delete(
        "/api/users/profile", headers=user["headers"], json={"password": user["password"]}
    )
    assert response.status_code == 200
    uploads.wait_for_deletions()

    assert standing_png not in _stored_photos(fake_gemini)
    assert len(fake_gemini.deletions) == 1 and fake_gemini.deletions[0]["status"] == 200
    _try_on(client, other_user, other_selfie, top_png)
    last = fake_gemini.requests[-1]
    assert len(last["file_uris"]) == 1 and last["images"][1] == top_png  # the garment: still named


def test_a_new_avatar_deletes_the_users_photos_at_google(
    app, client, user, standing_png, top_png, fake_gemini
):
    uploads = app.extensions["image_models"].photos
    for _ in range(2):
        _try_on(client, user, standing_png, top_png)
    uploads.wait_for_uploads()
    assert len(fake_gemini.files) == 2

    fake_gemini.set_behaviour("ok", background=(0, 255, 0))  # the background remover's plain background
    saved = client.post(
        "/api/save-avatar",
        headers=user["headers"],
        data={"avatar": (io.BytesIO(standing_png), "me.png")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 200, saved.get_json()
    uploads.wait_for_deletions()

    assert not fake_gemini.files
    fake_gemini.set_behaviour("ok")
    _try_on(client, user, standing_png, top_png)  # the photos go inline again (and are uploaded anew later)
    assert not fake_gemini.requests[-1]["file_uris"]


def _exported_files(client, user):
    response = client.get("/api/users/profile/export", headers=user["headers"])
    assert response.status_code == 200
    return response.get_json()["data"]["gemini_files"]


def test_the_export_lists_the_users_photos_held_at_google_and_never_the_key(
    app, client, user, other_user, standing_png, top_png, fake_gemini
):
    assert _exported_files(client, user) == []
    uploads = app.extensions["image_models"].photos
    for _ in range(2):
        _try_on(client, user, standing_png, top_png)
    uploads.wait_for_uploads()

    exported = _exported_files(client, user)
    assert sorted(file["name"] for file in exported) == sorted(f"files/{name}" for name in fake_gemini.files)
    for file in exported:
        assert file["state"] == "active"
        held = datetime.fromisoformat(file["expires_at"]) - datetime.fromisoformat(file["uploaded_at"])
        assert 47 < held.total_seconds() / 3600 < 48.1  # Google keeps a file 48 hours
    fingerprint = app.extensions["image_models"].gemini.key_fingerprint
    body = client.get("/api/users/profile/export", headers=user["headers"]).get_data(as_text=True)
    assert fingerprint not in body and "test-key" not in body
    assert _exported_files(client, other_user) == []

    _try_on(client, other_user, photos.encode(ImageOps.mirror(photos.decode(standing_png))), top_png)
    garment = next(name for name, stored in fake_gemini.files.items() if stored["data"] == top_png)
    # the garment's photo, sent by a second user too, is no longer the first user's
    assert [file["name"] for file in _exported_files(client, user)] == [
        f"files/{name}" for name in fake_gemini.files if name != garment
    ]

    deleted = client.delete(f"/api/job/{_last_job(client, user)}", headers=user["headers"])
    assert deleted.status_code == 200
    assert _exported_files(client, user) == []  # marked for deletion at Google in that request


def _last_job(client, user):
    return client.get("/api/jobs", headers=user["headers"]).get_json()["data"][0]["job_id"]
