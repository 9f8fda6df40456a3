"""STORAGE_BACKEND=s3 in the app: /health watches the bucket, an outage is a clean 503, old URLs still lead to images."""

import time
from urllib.parse import urlsplit

import requests

from shared.storage import LocalStorage
from tests.helpers import sign_up
from tests.stored_images import fetch_image, stored_keys
from tests.wardrobe.conftest import add_item, count_rows


def _health(client):
    response = client.get("/health")
    return response.status_code, response.get_json()["data"]


def test_storage_outage_shows_in_health_and_refuses_uploads_cleanly(s3_server, make_app, proxy_to):
    with s3_server.fresh_bucket() as bucket:
        endpoint = urlsplit(s3_server.endpoint_url)
        proxy = proxy_to((endpoint.hostname, endpoint.port))
        app = make_app(**s3_server.settings(bucket, endpoint_url=f"http://127.0.0.1:{proxy.port}"))
        client = app.test_client()
        user = sign_up(client)
        assert _health(client)[0] == 200 and _health(client)[1]["storage"] == "connected"
        assert add_item(client, user, title="Before").status_code == 201

        proxy.cut()
        status, data = _health(client)
        assert (status, data["status"], data["storage"], data["database"]) == (
            503,
            "unhealthy",
            "unavailable",
            "connected",
        )
        refused = add_item(client, user, title="During")
        assert refused.status_code == 503 and refused.get_json()["error"]["code"] == "STORAGE_UNAVAILABLE"
        assert refused.headers["Retry-After"]
        assert count_rows(app, "wardrobe") == 1  # no item without its image

        proxy.restore()
        deadline = time.monotonic() + 30
        while _health(client)[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _health(client) == (
            200,
            {
                "status": "healthy",
                "database": "connected",
                "storage": "connected",
                **({"redis": "connected"} if app.extensions["settings"].REDIS_URL else {}),
                "ai": {"provider": "local", "model": None, "status": "ok", "reason": None},
            },
        )
        assert add_item(client, user, title="After").status_code == 201
        assert len(stored_keys(app, f"wardrobe/{user['user']['userid']}/")) == 2


def test_an_image_url_signed_by_the_app_leads_to_the_object_through_a_presigned_one(
    s3_server, make_app, tmp_path
):
    with s3_server.fresh_bucket() as bucket:
        app = make_app(**s3_server.settings(bucket))
        client = app.test_client()
        item = add_item(client, sign_up(client), title="Shirt").get_json()["data"]
        assert urlsplit(item["image_url"]).netloc == urlsplit(s3_server.endpoint_url).netloc
        stored = fetch_image(client, item["image_url"])
        assert stored.status_code == 200 and stored.mimetype == "image/png"
        settings = app.extensions["settings"]
        before_the_move = LocalStorage(
            root=tmp_path / "old-images",
            signing_secret=settings.SECRET_KEY,
            url_ttl=3600,
            public_base_url="http://localhost",
        )
        handed_out = urlsplit(
            before_the_move.signed_url(item["image_path"])
        )  # while images were on local disk
        redirected = client.get(f"{handed_out.path}?{handed_out.query}")
        assert redirected.status_code == 302
        assert requests.get(redirected.headers["Location"], timeout=10).content == stored.data
        assert client.get(item["image_path"]).status_code == 403  # unsigned: refused as on local storage
