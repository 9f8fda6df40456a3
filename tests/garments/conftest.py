"""Settings for product-page tests against the loopback shop (`shop`, tests/conftest.py), envelope helpers."""

import pytest

from tests.envelope import data


@pytest.fixture
def settings_overrides():
    """The shop lives on 127.0.0.1, so these tests admit loopback (SSRF tests override this)."""
    return {
        "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
        "SCRAPER_CONNECT_TIMEOUT": 2.0,
        "SCRAPER_READ_TIMEOUT": 1.0,
    }


def scrape(client, url, **extra):
    return client.post("/api/garments/scrape", json={"url": url, **extra})


def product_of(response):
    body = data(response)
    return body["product"]
