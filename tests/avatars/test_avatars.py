"""Avatar endpoints and POST /api/remove-bg, with the local model and with Gemini (fake server)."""

import base64
import io
import secrets

import numpy as np
import pytest

from features.avatars import service as avatars_service
from features.users import model as user_model
from shared.database import get_db
from shared.errors import NotFoundError
from tests import photos
from tests.stored_images import fetch_image, image_key, stored_keys, stored_names


def _avatar_files(app, user):
    return stored_names(app, f"avatars/{user['user']['userid']}/")


def _avatar_path(app, user):
    with app.app_context():
        return user_model.get_by_userid(get_db(), user["user"]["userid"])["avatar_path"]


def _save(client, user, data, filename="me.jpg"):
    return client.post(
        "/api/save-avatar", headers=user["headers"], data={"avatar": (io.BytesIO(data), filename)}
    )


def test_save_avatar_removes_the_background_and_returns_a_signed_url(app, client, user):
    response = _save(client, user, photos.astronaut_jpeg())
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["background_removed"] is True
    assert image_key(data["avatar_url"]).startswith(f"avatars/{user['user']['userid']}/")
    image = photos.decode(fetch_image(client, data["avatar_url"]).data)
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == (512, 512)
    assert photos.pixel(image, photos.ASTRONAUT_FACE)[3] == 255
    assert photos.pixel(image, photos.ASTRONAUT_BACKGROUND[0])[3] == 0
    stored = _avatar_path(app, user)
    assert f"/images/{image_key(data['avatar_url'])}" == stored
    assert _avatar_files(app, user) == [stored.rsplit("/", 1)[1]]


def test_an_account_deleted_while_its_avatar_is_made_is_404_and_keeps_no_file(app, user):
    """The account goes while its photo is processed (a request or a try-on job under way): a typed 404 and
    the new file removed, not a TypeError on the missing row (500)."""
    userid, settings = user["user"]["userid"], app.extensions["settings"]
    with app.app_context():
        db, storage, models = get_db(), app.extensions["storage"], app.extensions["image_models"]
        user_model.delete(db, userid)
        with pytest.raises(NotFoundError) as saving:
            avatars_service.save_avatar(
                db=db,
                storage=storage,
                background_model=models.background,
                user_id=userid,
                image_data=photos.astronaut_jpeg(),
                max_bytes=settings.MAX_UPLOAD_SIZE,
                max_dimension=settings.MAX_IMAGE_DIMENSION,
            )
        with pytest.raises(NotFoundError) as building:
            avatars_service.body_avatar(
                db=db, storage=storage, model=models.tryon, user_id=userid, photo=photos.astronaut_jpeg()
            )
    assert saving.value.code == building.value.code == "USER_NOT_FOUND"
    assert _avatar_files(app, user) == []


def test_get_avatar_before_and_after_saving(client, user):
    response = client.get("/api/get-avatar", headers=user["headers"])
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "AVATAR_NOT_FOUND"
    _save(client, user, photos.hopper_jpeg())
    response = client.get("/api/get-avatar", headers=user["headers"])
    assert response.status_code == 200
    assert fetch_image(client, response.get_json()["data"]["avatar_url"]).status_code == 200
    assert response.get_json()["data"]["body_url"] is None  # no full-length body has been built yet


def test_a_new_avatar_replaces_the_old_file(app, client, user):
    first = _save(client, user, photos.astronaut_jpeg()).get_json()["data"]["avatar_url"]
    second = _save(client, user, photos.hopper_jpeg()).get_json()["data"]["avatar_url"]
    assert first != second
    assert len(_avatar_files(app, user)) == 1
    assert fetch_image(client, first).status_code == 404
    assert fetch_image(client, second).status_code == 200


def test_update_avatar_takes_base64_or_a_data_url(app, client, user):
    encoded = base64.b64encode(photos.hopper_jpeg()).decode()
    for value in (encoded, f"data:image/jpeg;base64,{encoded}"):
        response = client.put("/api/update-avatar", headers=user["headers"], json={"avatar": value})
        assert response.status_code == 200 and response.get_json()["data"]["background_removed"] is True
        assert (
            photos.decode(fetch_image(client, response.get_json()["data"]["avatar_url"]).data).mode == "RGBA"
        )
    assert len(_avatar_files(app, user)) == 1


# Our own HMAC signatures; presigned S3 URLs are checked by the store (moto's server does not check them).
@pytest.mark.parametrize("settings_overrides", [{"STORAGE_BACKEND": "local"}])
def test_one_users_avatar_url_cannot_be_turned_into_anothers(client, user, other_user, settings_overrides):
    mine = _save(client, user, photos.astronaut_jpeg()).get_json()["data"]["avatar_url"]
    theirs = _save(client, other_user, photos.hopper_jpeg()).get_json()["data"]["avatar_url"]
    forged = f"{theirs.split('?')[0]}?{mine.split('?')[1]}"
    assert fetch_image(client, forged).status_code == 403


@pytest.mark.parametrize(
    "request_kwargs, status, code",
    [
        ({"data": {}}, 400, "MISSING_FILE"),
        ({"data": {"avatar": (io.BytesIO(b""), "empty.jpg")}}, 400, "EMPTY_FILE"),
        (
            {"data": {"avatar": (io.BytesIO(photos.encode(photos.astronaut_image(), "GIF")), "me.gif")}},
            400,
            "UNSUPPORTED_IMAGE",
        ),
        ({"data": {"avatar": (io.BytesIO(photos.astronaut_jpeg()[:3000]), "me.jpg")}}, 400, "INVALID_IMAGE"),
        ({"data": {"avatar": (io.BytesIO(photos.coffee_jpeg()), "coffee.jpg")}}, 422, "NO_PERSON_DETECTED"),
        ({"json": {"avatar": "x"}}, 400, "MISSING_FILE"),
    ],
)
def test_bad_uploads_are_refused_and_the_previous_avatar_is_kept(
    app, client, user, request_kwargs, status, code
):
    kept = _save(client, user, photos.astronaut_jpeg()).get_json()["data"]["avatar_url"]
    before = _avatar_files(app, user)
    response = client.post("/api/save-avatar", headers=user["headers"], **request_kwargs)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert _avatar_files(app, user) == before
    assert _avatar_path(app, user) == f"/images/{image_key(kept)}"


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"avatar": "%%% not base64 %%%"}, 400, "INVALID_BASE64"),
        ({"avatar": ""}, 400, "MISSING_FIELDS"),
        ({}, 400, "MISSING_FIELDS"),
        ({"avatar": base64.b64encode(b"hello, I am text").decode()}, 400, "UNSUPPORTED_IMAGE"),
    ],
)
def test_bad_update_bodies_are_refused(app, client, user, body, status, code):
    response = client.put("/api/update-avatar", headers=user["headers"], json=body)
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert _avatar_files(app, user) == [] and _avatar_path(app, user) is None


def test_update_avatar_needs_json(client, user):
    response = client.put(
        "/api/update-avatar", headers=user["headers"], data="avatar=abc", content_type="text/plain"
    )
    assert response.status_code == 415


def test_avatar_endpoints_need_a_token(client):
    assert client.post("/api/save-avatar").status_code == 401
    assert client.get("/api/get-avatar").status_code == 401
    assert client.put("/api/update-avatar", json={"avatar": "x"}).status_code == 401


class TestUploadLimit:
    @pytest.fixture
    def settings_overrides(self):
        return {"MAX_UPLOAD_SIZE": 20_000}

    def test_files_over_the_upload_limit_are_413(self, app, client, user):
        response = _save(client, user, photos.astronaut_jpeg())
        assert response.status_code == 413 and response.get_json()["error"]["code"] == "FILE_TOO_LARGE"
        big = base64.b64encode(photos.astronaut_jpeg()).decode()
        response = client.put("/api/update-avatar", headers=user["headers"], json={"avatar": big})
        assert response.status_code == 413
        assert _avatar_files(app, user) == []


def test_remove_bg_answers_with_the_png_and_stores_nothing(app, client):
    response = client.post("/api/remove-bg", data={"image": (io.BytesIO(photos.hopper_jpeg()), "x.jpg")})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    image = photos.decode(response.data)
    assert image.mode == "RGBA" and np.asarray(image)[0, 0, 3] == 0
    assert stored_keys(app) == []


@pytest.mark.parametrize(
    "data, status, code",
    [
        ({}, 400, "MISSING_FILE"),
        ({"image": (io.BytesIO(b"not an image"), "x.jpg")}, 400, "UNSUPPORTED_IMAGE"),
        ({"image": (io.BytesIO(photos.plain_png()), "x.png")}, 422, "NO_PERSON_DETECTED"),
    ],
)
def test_remove_bg_errors_are_json(client, data, status, code):
    response = client.post("/api/remove-bg", data=data)
    assert response.status_code == status and response.get_json()["error"]["code"] == code


class TestRemoveBgRateLimit:
    @pytest.fixture
    def settings_overrides(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_REMOVE_BG": "2 per minute"}

    def test_each_client_gets_a_few_calls_a_minute(self, client):
        # Fresh addresses, so counts left in a shared Redis by other runs cannot interfere.
        first, second = (
            {"REMOTE_ADDR": f"10.{n}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"} for n in (1, 2)
        )
        statuses = [
            client.post(
                "/api/remove-bg",
                data={"image": (io.BytesIO(photos.plain_png()), "x.png")},
                environ_base=first,
            ).status_code
            for _ in range(3)
        ]
        assert statuses == [422, 422, 429]
        response = client.post("/api/remove-bg", data={}, environ_base=first)
        assert response.status_code == 429 and response.get_json()["error"]["code"] == "RATE_LIMITED"
        assert client.post("/api/remove-bg", data={}, environ_base=second).status_code == 400


class TestWithGeminiBackgroundRemoval:
    @pytest.fixture
    def settings_overrides(self, gemini):
        return gemini.app_settings(
            BACKGROUND_REMOVAL_PROVIDER="gemini", GEMINI_MAX_ATTEMPTS=2, GEMINI_RETRY_DELAY_SECONDS=0.01
        )

    def test_gemini_cuts_out_the_avatar(self, client, user, gemini):
        gemini.set_behaviour("ok", background=(0, 255, 0))
        response = _save(client, user, photos.astronaut_jpeg())
        assert response.status_code == 200 and response.get_json()["data"]["background_removed"] is True
        image = photos.decode(fetch_image(client, response.get_json()["data"]["avatar_url"]).data)
        assert np.asarray(image)[0, 0, 3] == 0 and len(gemini.requests) == 1

    def test_an_unavailable_model_still_saves_the_photo_with_its_background(self, app, client, user, gemini):
        gemini.set_behaviour("server_error")
        response = _save(client, user, photos.astronaut_jpeg())
        assert response.status_code == 200 and response.get_json()["data"]["background_removed"] is False
        image = photos.decode(fetch_image(client, response.get_json()["data"]["avatar_url"]).data)
        assert image.mode == "RGB" and len(_avatar_files(app, user)) == 1

    def test_blocked_content_is_refused_and_nothing_is_stored(self, app, client, user, gemini):
        gemini.set_behaviour("image_safety")
        response = _save(client, user, photos.astronaut_jpeg())
        assert response.status_code == 422 and response.get_json()["error"]["code"] == "CONTENT_BLOCKED"
        assert _avatar_files(app, user) == [] and _avatar_path(app, user) is None

    def test_remove_bg_passes_on_the_providers_quota_error(self, client, gemini):
        gemini.set_behaviour("rate_limit", times=10)
        response = client.post("/api/remove-bg", data={"image": (io.BytesIO(photos.hopper_jpeg()), "x.jpg")})
        assert response.status_code == 429
        assert (
            response.get_json()["error"]["code"] == "RATE_LIMITED" and response.headers["Retry-After"] == "7"
        )
