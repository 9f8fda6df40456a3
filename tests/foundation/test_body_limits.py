"""Body limits: each endpoint reads only what it needs, and a 413 names the limit that was hit.

Account endpoints take small JSON bodies; endpoints that take a product page's html take that much;
multipart forms keep MAX_REQUEST_SIZE and a text field may be as large as MAX_CLIENT_HTML_BYTES.
"""

import io

import pytest


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
    too_big = client.post(
        "/api/garments/scrape",
        data=b'{"url": "https://shop.test/p", "html": "' + b"x" * limit + b'"}',
        content_type="application/json",
    )
    _refused(too_big, f"{limit // (1024 * 1024)} MB")


ACCOUNT_LIMIT = 16 * 1024


@pytest.mark.parametrize(
    "method,path,limit",
    [
        ("post", "/api/body-measurements", lambda s: ACCOUNT_LIMIT),
        ("put", "/api/body-measurements", lambda s: ACCOUNT_LIMIT),
        ("post", "/api/users/profile/change-password", lambda s: ACCOUNT_LIMIT),
        ("delete", "/api/users/profile", lambda s: ACCOUNT_LIMIT),
        ("post", "/api/garments/categorize", lambda s: s.max_image_body_size),
        ("put", "/api/update-avatar", lambda s: s.max_image_body_size),
        ("post", "/api/garments/extract-images", lambda s: s.max_page_body_size),
        ("post", "/api/wardrobe/items", lambda s: s.max_page_body_size),
        ("post", "/api/wardrobe/extract-from-url", lambda s: s.max_page_body_size),
        ("post", "/api/fitting/check", lambda s: s.max_page_body_size),
        ("post", "/api/tryon", lambda s: s.max_page_body_size),
        ("post", "/api/wardrobe/category-sections", lambda s: 256 * 1024),  # endpoints that declare no limit
        ("put", "/api/wardrobe/items/1", lambda s: 256 * 1024),
    ],
)
def test_every_json_endpoint_reads_only_what_it_needs(client, user, app, method, path, limit):
    """A 30 MB JSON body cost ~760 MB to parse; each endpoint now refuses more than its own use before parsing."""
    max_bytes = limit(app.extensions["settings"])
    body = b'{"description": "' + b"x" * max_bytes + b'"}'
    response = getattr(client, method)(
        path, data=body, content_type="application/json", headers=user["headers"]
    )
    error = _refused(
        response,
        f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB",
    )
    assert error["details"] == {"limit": "body", "max_bytes": max_bytes}


@pytest.fixture
def settings_overrides():
    return {"MAX_JOBS_PER_USER": 50}


def test_tryon_form_takes_a_600_kb_html_field(client, user, person_png):
    """The README allows 5 MB of page html; Werkzeug's default form-field limit was 500 KB."""
    html = "<html><body>" + "<p>a linen shirt</p>" * 30_000 + "</body></html>"  # ~600 KB
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),
            "html": html,
            "garment_url": "https://shop.test/shirt",
        },
    )
    assert response.status_code == 202, response.get_json()


def test_a_form_field_over_the_html_limit_names_that_limit(client, user, person_png, app):
    limit = app.extensions["settings"].MAX_CLIENT_HTML_BYTES
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),
            "html": "x" * (limit + 10),
            "garment_url": "https://shop.test/shirt",
        },
    )
    error = _refused(response, "5 MB")
    assert error["details"]["limit"] == "form_field"


def test_too_many_form_parts_names_that_limit(client, user):
    data = {f"field{i}": "x" for i in range(1100)}
    response = client.post(
        "/api/tryon", headers=user["headers"], content_type="multipart/form-data", data=data
    )
    error = _refused(response, "1000")
    assert error["details"]["limit"] == "form_parts"


def test_whole_request_limit_is_still_named(client, user, app):
    limit = app.extensions["settings"].MAX_REQUEST_SIZE
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"selfie": (io.BytesIO(b"\0" * (limit + 1)), "me.png")},
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["details"] == {"limit": "body", "max_bytes": limit}
