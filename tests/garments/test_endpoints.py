"""The three endpoints: envelopes, client HTML, extract-images, and every bad request answered as JSON."""

import pytest

from features.garments.extractors import PRODUCT_FIELDS
from tests.envelope import data as ok, error
from tests.garments.conftest import scrape
from tests.helpers import sign_up


@pytest.fixture
def settings_overrides():
    return {
        "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
        "SCRAPER_READ_TIMEOUT": 1.0,
        "MAX_CLIENT_HTML_BYTES": 50_000,
    }


def test_scrape_with_client_html_fetches_nothing(client, shop):
    requests_before = len(shop.requests)
    data = ok(scrape(client, "https://www.maison-lumiere.test/fr/jupe.html", html=shop.page_html("og_only")))
    assert data["cached"] is False
    assert data["product"]["title"] == "Jupe plissée midi"
    assert data["product"]["source_url"] == "https://www.maison-lumiere.test/fr/jupe.html"
    assert len(shop.requests) == requests_before


def test_product_has_every_documented_field(client, shop):
    product = ok(scrape(client, shop.url("/pages/jsonld_graph")))["product"]
    assert (
        set(product)
        == PRODUCT_FIELDS
        == {
            "title",
            "brand",
            "price",
            "list_price",
            "currency",
            "sku",
            "gtin",
            "availability",
            "images",
            "sizes",
            "colors",
            "fabric",
            "description",
            "category",
            "wardrobe_category",
            "category_section",
            "garment_type",
            "size_chart",
            "source_url",
            "canonical_url",
            "extractor",
            "field_sources",
        }
    )
    assert (product["sku"], product["gtin"], product["availability"], product["list_price"]) == (
        "NW-4411",
        None,
        "InStock",
        None,
    )


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({}, 400, "MISSING_FIELDS"),
        ({"url": 42}, 400, "INVALID_URL"),
        ({"url": "   "}, 400, "MISSING_FIELDS"),
        ({"url": "https://shop.test/p", "html": 7}, 400, "INVALID_HTML"),
        ({"url": "https://shop.test/p", "html": "   "}, 400, "INVALID_HTML"),
        ({"url": "https://shop.test/p", "html": "<p>" + "x" * 60_000}, 413, "HTML_TOO_LARGE"),
        ({"url": "https://shop.test/p", "refresh": "yes"}, 400, "VALIDATION_ERROR"),
    ],
)
def test_scrape_rejects_bad_input(client, body, status, code):
    error(client.post("/api/garments/scrape", json=body), status, code)


def test_scrape_rejects_non_json_bodies(client):
    error(
        client.post("/api/garments/scrape", data="url=x", content_type="text/plain"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    error(
        client.post("/api/garments/scrape", data="{not json", content_type="application/json"),
        400,
        "INVALID_JSON",
    )
    error(client.post("/api/garments/scrape", json=["https://shop.test/p"]), 400, "INVALID_JSON")


def test_client_html_without_a_product(client, shop):
    body = error(
        scrape(client, "https://shop.test/app", html=shop.page_html("js_shell")), 422, "NO_PRODUCT_FOUND"
    )
    assert body["details"]["hint"] == "send_html"
    error(scrape(client, "https://shop.test/x", html=shop.page_html("bot_wall")), 502, "UPSTREAM_BLOCKED")


def test_extract_images_returns_only_images(client, shop):
    data = ok(client.post("/api/garments/extract-images", json={"url": shop.url("/pages/jsonld_graph")}))
    assert data["images"] == [shop.url("/images/blazer-front.jpg"), shop.url("/images/blazer-back.jpg")]
    assert data["count"] == 2 and "reason" not in data


def test_extract_images_explains_when_there_are_none(client, shop):
    data = ok(client.post("/api/garments/extract-images", json={"url": shop.url("/pages/js_shell")}))
    assert data["images"] == [] and data["count"] == 0
    assert "JavaScript" in data["reason"]
    html = shop.page_html("size_guide")
    no_images = ok(
        client.post("/api/garments/extract-images", json={"url": "https://shop.test/tee", "html": html})
    )
    assert no_images["images"] == [] and "JavaScript" in no_images["reason"]


def test_extract_images_accepts_an_optional_login(client, shop):
    user = sign_up(client)
    body = {"url": shop.url("/pages/og_only")}
    assert ok(client.post("/api/garments/extract-images", json=body, headers=user["headers"]))["count"] == 2
    error(
        client.post("/api/garments/extract-images", json=body, headers={"Authorization": "Bearer nonsense"}),
        401,
        "INVALID_TOKEN",
    )


def test_upstream_errors_reach_extract_images(client, shop):
    error(
        client.post("/api/garments/extract-images", json={"url": shop.url("/status/403")}),
        502,
        "UPSTREAM_BLOCKED",
    )


def test_wrong_method_is_json(client):
    error(client.get("/api/garments/scrape"), 405, "METHOD_NOT_ALLOWED")


class TestRateLimit:
    @pytest.fixture
    def settings_overrides(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_SCRAPE": "2 per minute"}

    def test_scrape_is_rate_limited(self, client, shop):
        html = shop.page_html("og_only")
        for _ in range(2):
            ok(scrape(client, "https://shop.test/jupe", html=html))
        error(scrape(client, "https://shop.test/jupe", html=html), 429, "RATE_LIMITED")


@pytest.mark.parametrize(
    "html",
    [
        '<script type="application/ld+json">' + "[" * 20_000 + "]" * 20_000 + "</script>",
        "<script>var state = " + '{"a":' * 3_000 + "1" + "}" * 3_000 + ";</script>",
        "<div data-state='" + "[" * 20_000 + "]" * 20_000 + "'></div>",
    ],
)
def test_absurdly_nested_data_is_no_product_not_a_crash(client, html):
    error(scrape(client, "https://shop.test/p", html=html), 422, "NO_PRODUCT_FOUND")
