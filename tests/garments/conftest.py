"""Settings for product-page tests against the loopback shop (`shop`, tests/conftest.py), envelope helpers."""
import pytest


@pytest.fixture
def settings_overrides():
    """The shop lives on 127.0.0.1, so these tests admit loopback (SSRF tests override this)."""
    return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True, "SCRAPER_CONNECT_TIMEOUT": 2.0, "SCRAPER_READ_TIMEOUT": 1.0}


def scrape(client, url, **extra):
    return client.post("/api/garments/scrape", json={"url": url, **extra})


def product_of(response):
    body = ok(response)
    return body["product"]


def ok(response):
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["success"] is True
    return body["data"]


def error(response, status, code):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]
