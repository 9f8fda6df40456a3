"""Helpers every test folder uses: accounts, try-on requests and jobs, stored rows and images.
Fixtures live in the conftest.py files; these are plain functions."""

import io
import itertools
import json
import time

from PIL import Image

from tests.stored_images import fetch_image

_emails = itertools.count()
# Try-on options naming the garment a top, so the only model calls are the generations (no categorizing).
TYPED_TOP = '{"garments": [{"type": "top"}]}'


def unique_email(prefix="user"):
    return f"{prefix}{next(_emails)}@example.com"


def sign_up(client, email=None, password="correct horse 1", **extra):
    body = {
        "email": email or unique_email(),
        "password": password,
        "confirm_password": password,
        "first_name": "Ada",
        "last_name": "Lovelace",
        **extra,
    }
    response = client.post("/api/create-account", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    return {
        "token": data["token"],
        "refresh_token": data["refresh_token"],
        "session_id": data["session_id"],
        "expires_in": data["expires_in"],
        "user": data["user"],
        "email": body["email"],
        "password": password,
        "headers": {"Authorization": f"Bearer {data['token']}"},
    }


def product_page_with_image(image_url):
    """A product page the way a shop writes it (schema.org Product in JSON-LD) whose one photo is image_url."""
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Ribbed Tank Top",
        "image": image_url,
        "offers": {"@type": "Offer", "price": "15.00", "priceCurrency": "GBP"},
    }
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(product)}</script></head>'
        "<body><h1>Ribbed Tank Top</h1></body></html>"
    )


def post_tryon(client, user, endpoint="/api/tryon", **form):
    """POST a multipart try-on request as the user; bytes values are sent as uploaded PNG files."""
    data = {
        name: (io.BytesIO(value), f"{name}.png") if isinstance(value, bytes) else value
        for name, value in form.items()
    }
    return client.post(endpoint, headers=user["headers"], data=data, content_type="multipart/form-data")


def submit_tryon(client, user, endpoint="/api/tryon", **form):
    """post_tryon that must be accepted: the new job's id."""
    response = post_tryon(client, user, endpoint, **form)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["data"]["job_id"]


def wait_for_job(client, headers, job_id, timeout=60):
    """Poll like a client until the job leaves queued/processing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/job/{job_id}", headers=headers).get_json()["data"]
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {body['status']} after {timeout}s")


def job_rows(app):
    return app.extensions["db"].execute_query("SELECT * FROM tryon_jobs", fetch_all=True)


def image_from_url(client, url):
    response = fetch_image(client, url)
    assert response.status_code == 200, response.data[:200]
    return Image.open(io.BytesIO(response.data))
