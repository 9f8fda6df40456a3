"""Every bad try-on request is refused before 202, and leaves no job and no file behind."""

import io

import pytest

from tests.helpers import job_rows
from tests.stored_images import stored_keys


@pytest.mark.parametrize(
    "form,code,status",
    [
        ({"garment_image": b"GIF89a not really"}, "UNSUPPORTED_IMAGE", 400),
        ({"options": "{not json"}, "INVALID_JSON", 400),
        ({"options": "[1, 2]"}, "INVALID_JSON", 400),
        ({"options": '{"aspect_ratio": "7:3"}'}, "VALIDATION_ERROR", 400),
        ({"options": '{"garment_index": -1}'}, "OUT_OF_RANGE", 400),
        ({"options": '{"garment_details": {"brand": 7}}'}, "VALIDATION_ERROR", 400),
        ({"options": '{"garment_details": {"price": "1"}}'}, "VALIDATION_ERROR", 400),
        ({"item_urls": '"https://shop.example/p"', "garment_image": None}, "INVALID_JSON", 400),
        ({"item_urls": "[1, 2]", "garment_image": None}, "INVALID_JSON", 400),
        ({"item_urls": '["ftp://shop.example/p"]', "garment_image": None}, "INVALID_URL", 400),
        ({"item_urls": '["http://127.0.0.1/p"]', "garment_image": None}, "URL_NOT_ALLOWED", 400),
        (
            {"garment_url": "http://169.254.169.254/latest/meta-data", "garment_image": None},
            "URL_NOT_ALLOWED",
            400,
        ),
        ({"garment_image": None}, "NO_GARMENT", 400),
    ],
)
def test_bad_requests_are_refused_before_queueing(
    client, user, person_png, top_png, app, tmp_path, form, code, status
):
    data = {"selfie": (io.BytesIO(person_png), "me.png"), "garment_image": (io.BytesIO(top_png), "shirt.png")}
    for key, value in form.items():
        if value is None:
            data.pop(key)
        elif isinstance(value, bytes):
            data[key] = (io.BytesIO(value), "file.png")
        else:
            data[key] = value
    response = client.post(
        "/api/tryon", headers=user["headers"], data=data, content_type="multipart/form-data"
    )
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert job_rows(app) == [] and stored_keys(app) == []


def test_no_person_and_no_avatar(client, user, top_png, app):
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"garment_image": (io.BytesIO(top_png), "shirt.png")},
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "NO_PERSON_IMAGE"
    assert job_rows(app) == []


def test_multi_needs_two_garments(client, user, person_png, top_png, app):
    response = client.post(
        "/api/tryon/multi",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),
            "garment_images": [(io.BytesIO(top_png), "top.png")],
        },
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "NOT_ENOUGH_GARMENTS"
    bad_type = client.post(
        "/api/tryon/multi",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),
            "garment_images": [(io.BytesIO(top_png), "a.png"), (io.BytesIO(top_png), "b.png")],
            "options": '{"garments": [{"type": "hat-ish"}]}',
        },
    )
    assert bad_type.status_code == 400
    assert job_rows(app) == []


def test_oversized_upload_is_413(client, user, person_png, app):
    huge = b"\x89PNG\r\n\x1a\n" + b"0" * (7 * 1024 * 1024)
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"selfie": (io.BytesIO(person_png), "me.png"), "garment_image": (io.BytesIO(huge), "x.png")},
    )
    assert response.status_code == 413 and response.get_json()["success"] is False
    assert job_rows(app) == []


def test_requires_authentication(client):
    assert client.post("/api/tryon").status_code == 401
    assert client.get("/api/job/abc").status_code == 401
