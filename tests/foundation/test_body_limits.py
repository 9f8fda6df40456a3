"""Body limits: each endpoint reads only what it needs, and a 413 names the limit that was hit.

Account endpoints take small JSON bodies; endpoints that take a product page's html take that much;
multipart forms keep MAX_REQUEST_SIZE and a text field may be as large as MAX_CLIENT_HTML_BYTES.
"""
import io

import pytest

from tests.conftest import sign_up


def _refused(response, limit_text):
    assert response.status_code == 413, response.get_data()[:300]
    error = response.get_json()["error"]
    assert error["code"] == "PAYLOAD_TOO_LARGE" and limit_text in error["message"], error
    assert "32 MB" not in error["message"]
    return error


@pytest.mark.parametrize("path", ["/api/login", "/api/create-account"])
def test_account_endpoints_refuse_large_json(client, path):
    body = {"email": "ada@example.com", "password": "correct horse 1", "first_name": "A" * 100_000}
    error = _refused(client.post(path, json=body), "16 KB")
    assert error["details"] == {"limit": "body", "max_bytes": 16 * 1024}


def test_profile_update_refuses_large_json(client, user):
    _refused(client.put("/api/users/profile", headers=user["headers"], json={"city": "x" * 40_000}), "16 KB")


def test_scrape_takes_a_page_sized_body_and_no_more(client, app):
    html = "<html><body><h1>Dress</h1>" + "<p>cotton dress</p>" * 50_000 + "</body></html>"  # ~1 MB
    ok = client.post("/api/garments/scrape", json={"url": "https://shop.test/p", "html": html})
    assert ok.status_code != 413
    limit = app.extensions["settings"].max_page_body_size
    too_big = client.post("/api/garments/scrape", data=b'{"url": "https://shop.test/p", "html": "' + b"x" * limit + b'"}',
                          content_type="application/json")
    _refused(too_big, f"{limit // (1024 * 1024)} MB")


@pytest.fixture
def settings_overrides():
    return {"MAX_JOBS_PER_USER": 50}


def test_tryon_form_takes_a_600_kb_html_field(client, user, person_png):
    """The README allows 5 MB of page html; Werkzeug's default form-field limit was 500 KB."""
    html = "<html><body>" + "<p>a linen shirt</p>" * 30_000 + "</body></html>"  # ~600 KB
    response = client.post("/api/tryon", headers=user["headers"], content_type="multipart/form-data",
                           data={"selfie": (io.BytesIO(person_png), "me.png"), "html": html,
                                 "garment_url": "https://shop.test/shirt"})
    assert response.status_code == 202, response.get_json()


def test_a_form_field_over_the_html_limit_names_that_limit(client, user, person_png, app):
    limit = app.extensions["settings"].MAX_CLIENT_HTML_BYTES
    response = client.post("/api/tryon", headers=user["headers"], content_type="multipart/form-data",
                           data={"selfie": (io.BytesIO(person_png), "me.png"), "html": "x" * (limit + 10),
                                 "garment_url": "https://shop.test/shirt"})
    error = _refused(response, "5 MB")
    assert error["details"]["limit"] == "form_field"


def test_too_many_form_parts_names_that_limit(client, user):
    data = {f"field{i}": "x" for i in range(1100)}
    response = client.post("/api/tryon", headers=user["headers"], content_type="multipart/form-data", data=data)
    error = _refused(response, "1000")
    assert error["details"]["limit"] == "form_parts"


def test_whole_request_limit_is_still_named(client, user, app):
    limit = app.extensions["settings"].MAX_REQUEST_SIZE
    response = client.post("/api/tryon", headers=user["headers"], content_type="multipart/form-data",
                           data={"selfie": (io.BytesIO(b"\0" * (limit + 1)), "me.png")})
    assert response.status_code == 413
    assert response.get_json()["error"]["details"] == {"limit": "body", "max_bytes": limit}
