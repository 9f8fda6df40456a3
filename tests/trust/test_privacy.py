"""What we keep about people: no secrets in the logs, no photo metadata, selfies deleted after the retention time."""

import io
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from app import create_app, shutdown_app
from tests.helpers import app_settings, sign_up, wait_for_job
from tests.photos import astronaut_image, decode, t_shirt
from tests.stored_images import fetch_image, stored_bytes, stored_keys
from tests.trust.conftest import wait_until

GPS_IFD = 0x8825


def jpeg_with_location(image):
    """A phone photo: JPEG with the GPS position and camera make in its EXIF block."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def test_logs_never_hold_passwords_tokens_or_image_signatures(app, client, tmp_path):
    user = sign_up(client, password="my secret passphrase 1")
    client.post("/api/login", json={"email": user["email"], "password": "my wrong passphrase 2"})
    login = client.post("/api/login", json={"email": user["email"], "password": "my secret passphrase 1"})
    changed = client.post(
        "/api/users/profile/change-password",
        headers=user["headers"],
        json={"current_password": "my secret passphrase 1", "new_password": "my new passphrase 3"},
    )
    refreshed = client.post(
        "/api/auth/refresh", json={"refresh_token": changed.get_json()["data"]["refresh_token"]}
    )
    headers = {"Authorization": f"Bearer {refreshed.get_json()['data']['token']}"}
    item = client.post(
        "/api/wardrobe/items",
        headers=headers,
        content_type="multipart/form-data",
        data={"garment_image": (io.BytesIO(t_shirt()), "top.png"), "category": "shirts"},
    )
    image_url = item.get_json()["data"]["image_url"]
    assert fetch_image(client, image_url).status_code == 200
    client.get("/api/users/profile", headers={"Authorization": "Bearer " + user["token"]})  # a revoked token

    logs = "".join(path.read_text() for path in (tmp_path / "logs").glob("*.log"))
    assert '"path": "/api/login"' in logs  # requests are logged...
    secrets = [
        "my secret passphrase 1",
        "my wrong passphrase 2",
        "my new passphrase 3",
        user["token"],
        user["refresh_token"],
        login.get_json()["data"]["token"],
        login.get_json()["data"]["refresh_token"],
        changed.get_json()["data"]["refresh_token"],
        refreshed.get_json()["data"]["refresh_token"],
        headers["Authorization"][7:],
        *[value for values in parse_qs(urlsplit(image_url).query).values() for value in values],
    ]
    assert [secret for secret in secrets if secret in logs] == []  # ...but never what grants access


def test_uploaded_photos_are_stored_without_their_location_or_other_metadata(app, client, user):
    app.extensions["tryon_queue"].stop()  # the try-on inputs stay as stored
    selfie = jpeg_with_location(astronaut_image())
    garment = jpeg_with_location(decode(t_shirt()))
    assert Image.open(io.BytesIO(selfie)).getexif().get_ifd(GPS_IFD)
    item = client.post(
        "/api/wardrobe/items",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"garment_image": (io.BytesIO(garment), "top.jpg"), "category": "shirts"},
    )
    tryon = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"selfie": (io.BytesIO(selfie), "me.jpg"), "garment_image": (io.BytesIO(garment), "t.jpg")},
    )
    assert item.status_code == 201 and tryon.status_code == 202
    stored = stored_keys(app)
    assert len(stored) == 3  # the wardrobe photo, the selfie and the garment of the try-on
    for key in stored:
        data = stored_bytes(app, key)
        image = Image.open(io.BytesIO(data))
        assert not image.getexif() and "exif" not in image.info and b"PhoneMaker" not in data, key


def test_selfies_of_finished_try_ons_are_deleted_after_the_retention_time(tmp_path, person_png):
    config = app_settings(tmp_path, GEMINI_API_KEY="")
    app = create_app(config)
    try:
        client = app.test_client()
        user = sign_up(client)
        inputs = f"tryon-inputs/{user['user']['userid']}/"
        response = client.post(
            "/api/tryon",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={
                "selfie": (io.BytesIO(person_png), "me.png"),
                "garment_image": (io.BytesIO(t_shirt()), "top.png"),
            },
        )
        job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
        assert job["status"] == "done" and len(stored_keys(app, inputs)) == 2
    finally:
        shutdown_app(app)

    # The next start's maintenance pass deletes the inputs of jobs finished longer ago than the retention time.
    app = create_app({**config, "JOB_INPUT_RETENTION_HOURS": 0})
    try:
        client = app.test_client()
        wait_until(lambda: stored_keys(app, inputs) == [])
        kept = client.get(f"/api/job/{job['job_id']}", headers=user["headers"]).get_json()["data"]
        assert kept["status"] == "done" and fetch_image(client, kept["result_url"]).status_code == 200
    finally:
        shutdown_app(app)
