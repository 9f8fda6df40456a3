"""Try-on fixtures: real photos, garment images, polling, the fake Gemini server."""
import io
import json
import time

import numpy as np
import pytest
from PIL import Image

from tests.fakes.gemini_server import FakeGemini
from tests.photos import draw_garment, png_bytes
from tests.stored_images import fetch_image


def product_page_with_image(image_url):
    """A product page the way a shop writes it (schema.org Product in JSON-LD) whose one photo is image_url."""
    product = {"@context": "https://schema.org", "@type": "Product", "name": "Ribbed Tank Top", "image": image_url,
               "offers": {"@type": "Offer", "price": "15.00", "priceCurrency": "GBP"}}
    return (f'<html><head><script type="application/ld+json">{json.dumps(product)}</script></head>'
            "<body><h1>Ribbed Tank Top</h1></body></html>")


def post_tryon(client, user, endpoint="/api/tryon", **form):
    """POST a multipart try-on request as the user; bytes values are sent as uploaded PNG files."""
    data = {name: (io.BytesIO(value), f"{name}.png") if isinstance(value, bytes) else value
            for name, value in form.items()}
    return client.post(endpoint, headers=user["headers"], data=data, content_type="multipart/form-data")


@pytest.fixture(scope="session")
def top_png():
    return png_bytes(draw_garment("top"))


@pytest.fixture(scope="session")
def bottom_png():
    return png_bytes(draw_garment("bottom", (30, 40, 160)))


@pytest.fixture
def fake_gemini():
    server = FakeGemini()
    server.start()
    yield server
    server.stop()


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


def mean_color(image):
    return np.asarray(image.convert("RGB")).reshape(-1, 3).mean(axis=0)


@pytest.fixture
def make_app(tmp_path):
    """Build apps sharing one database and images dir, as restarts of the same server."""
    from app import create_app, shutdown_app
    apps = []

    def build(**overrides):
        application = create_app({"FLASK_ENV": "testing", "DATABASE_PATH": str(tmp_path / "shared.db"),
                                  "IMAGES_DIR": str(tmp_path / "images"), "LOG_DIR": str(tmp_path / "logs"),
                                  "INSTANCE_DIR": str(tmp_path / "instance"), "RATELIMIT_ENABLED": False,
                                  **overrides})
        apps.append(application)
        return application

    yield build
    for application in apps:
        shutdown_app(application)
