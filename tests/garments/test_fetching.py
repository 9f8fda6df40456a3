"""How the server fetches: redirects re-checked, timeouts, byte limits, blocks and failures as clear errors."""

import io

import pytest
from PIL import Image

from features.garments import service
from shared.errors import ApiError
from tests.envelope import error
from tests.garments.conftest import product_of, scrape


@pytest.fixture
def settings_overrides():
    return {
        "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
        "SCRAPER_CONNECT_TIMEOUT": 1.0,
        "SCRAPER_READ_TIMEOUT": 0.5,
        "SCRAPER_TOTAL_TIMEOUT": 1.0,
        "SCRAPER_MAX_HTML_BYTES": 300_000,
        "SCRAPER_MAX_IMAGE_BYTES": 100_000,
    }


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
        "http://[fe80::1]/",
    ],
)
def test_redirects_into_the_network_are_refused(client, shop, target):
    """Link-local (metadata), unspecified and non-http targets stay refused even with the test-only flag."""
    error(scrape(client, shop.url(f"/redirect?to={target}")), 400, "URL_NOT_ALLOWED")


def test_redirects_are_followed_up_to_five(client, shop):
    assert product_of(scrape(client, shop.url("/redirect-chain/5")))["title"] == "Linen Blend Blazer"
    error(scrape(client, shop.url("/redirect-chain/6")), 502, "TOO_MANY_REDIRECTS")


def test_redirected_page_is_read_at_its_final_address(client, shop):
    product = product_of(scrape(client, shop.url("/redirect?to=/pages/jsonld_graph")))
    assert product["source_url"] == shop.url("/redirect?to=/pages/jsonld_graph")
    assert product["images"][0] == shop.url("/images/blazer-front.jpg")


def test_browser_like_request_headers_and_checked_host(client, shop):
    url = shop.url("/pages/og_only?headers=1").replace("127.0.0.1", "localhost")
    product_of(scrape(client, url))
    headers = next(r["headers"] for r in shop.requests if r["path"] == "/pages/og_only?headers=1")
    assert headers["User-Agent"].startswith("Mozilla/5.0") and "Chrome" in headers["User-Agent"]
    assert headers["Accept-Language"].startswith("en")
    assert "br" in headers["Accept-Encoding"] and "gzip" in headers["Accept-Encoding"]
    assert headers["Host"] == shop.host.replace("127.0.0.1", "localhost")


def test_slow_page_times_out(client, shop):
    body = error(scrape(client, shop.url("/slow?seconds=3")), 504, "UPSTREAM_TIMEOUT")
    assert body["details"]["url"].endswith("/slow?seconds=3")


def test_endless_body_stops_at_the_byte_limit(client, shop):
    body = error(scrape(client, shop.url("/endless")), 413, "HTML_TOO_LARGE")
    assert body["details"]["limit_bytes"] == 300_000


def test_drip_fed_body_hits_the_deadline(client, shop):
    error(scrape(client, shop.url("/drip")), 504, "UPSTREAM_TIMEOUT")


class TestOneDeadlinePerFetch:
    """Each read arrives well within SCRAPER_READ_TIMEOUT, so only a deadline over the whole fetch stops it."""

    @pytest.fixture
    def settings_overrides(self):
        return {
            "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
            "SCRAPER_CONNECT_TIMEOUT": 1.0,
            "SCRAPER_READ_TIMEOUT": 1.0,
            "SCRAPER_TOTAL_TIMEOUT": 1.5,
        }

    def test_a_shop_trickling_its_headers_times_out(self, client, shop):
        body = error(scrape(client, shop.url("/trickle?headers=4")), 504, "UPSTREAM_TIMEOUT")
        assert body["details"]["url"].endswith("/trickle?headers=4")

    def test_headers_and_body_share_one_deadline(self, client, shop):
        error(scrape(client, shop.url("/trickle?headers=1&body=1")), 504, "UPSTREAM_TIMEOUT")

    def test_image_downloads_share_it_too(self, app, shop):
        with pytest.raises(ApiError) as timed_out:
            service.fetch_image(settings=app.extensions["settings"], url=shop.url("/trickle?headers=4"))
        assert timed_out.value.code == "UPSTREAM_TIMEOUT"

    def test_a_page_within_the_deadline_is_read(self, client, shop):
        assert (
            product_of(scrape(client, shop.url("/trickle?headers=0.3&body=0.3")))["title"]
            == "Linen Blend Blazer"
        )


@pytest.mark.parametrize("path", ["/status/403", "/status/429", "/status/503", "/bot-wall"])
def test_bot_walls_are_upstream_blocked_with_the_html_hint(client, shop, path):
    body = error(scrape(client, shop.url(path)), 502, "UPSTREAM_BLOCKED")
    assert "html" in body["message"] and body["details"]["hint"] == "send_html"


@pytest.mark.parametrize("charset", ["idna", "punycode", "unicode_escape", "x-no-such-codec", "undefined"])
def test_a_page_declaring_a_codec_that_is_no_web_encoding_is_read_as_utf8(client, shop, charset):
    product = product_of(scrape(client, shop.url(f"/charset/{charset}/jsonld_graph")))
    assert product["title"] == product_of(scrape(client, shop.url("/pages/jsonld_graph")))["title"]


def test_missing_page_is_product_page_not_found(client, shop):
    error(scrape(client, shop.url("/status/404")), 422, "PRODUCT_PAGE_NOT_FOUND")
    error(scrape(client, shop.url("/pages/no_such_page")), 422, "PRODUCT_PAGE_NOT_FOUND")


def test_shop_errors_and_unreachable_shops(client, shop):
    error(scrape(client, shop.url("/status/500")), 502, "UPSTREAM_ERROR")
    error(scrape(client, "http://127.0.0.1:9/closed-port"), 502, "UPSTREAM_UNREACHABLE")


def test_non_html_document_is_not_a_product_page(client, shop):
    error(scrape(client, shop.url("/data.json")), 422, "NOT_A_PRODUCT_PAGE")


def test_failed_fetches_store_nothing(app, client, shop):
    for path in ("/status/403", "/slow?seconds=3", "/endless", "/pages/js_shell"):
        assert scrape(client, shop.url(path)).status_code >= 400
    rows = app.extensions["db"].execute_query("SELECT COUNT(*) AS n FROM garment_metadata", fetch_one=True)
    assert rows["n"] == 0


def test_fetch_image_returns_real_image_bytes(app, shop):
    data = service.fetch_image(settings=app.extensions["settings"], url=shop.url("/images/shirt.png"))
    assert Image.open(io.BytesIO(data)).size == (60, 90)


@pytest.mark.parametrize(
    "path, status, code",
    [
        ("/not-an-image", 422, "IMAGE_DOWNLOAD_FAILED"),
        ("/status/404", 422, "IMAGE_DOWNLOAD_FAILED"),
        ("/images/big-photo.png", 413, "IMAGE_TOO_LARGE"),
        ("/slow?seconds=3", 504, "UPSTREAM_TIMEOUT"),
    ],
)
def test_fetch_image_failures_are_typed(app, shop, path, status, code):
    with pytest.raises(ApiError) as failed:
        service.fetch_image(settings=app.extensions["settings"], url=shop.url(path))
    assert (failed.value.status_code, failed.value.code) == (status, code)
