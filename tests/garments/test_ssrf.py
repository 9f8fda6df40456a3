"""The server never fetches into our own network: every spelling of a private address is refused."""

import pytest

from features.garments import service
from shared.errors import ApiError
from tests.envelope import error
from tests.garments.conftest import scrape


@pytest.fixture
def settings_overrides():
    return {
        "SCRAPER_ALLOW_PRIVATE_NETWORKS": False,
        "SCRAPER_CONNECT_TIMEOUT": 1.0,
        "SCRAPER_READ_TIMEOUT": 1.0,
    }


def private_urls(port):
    return [
        f"http://127.0.0.1:{port}/pages/jsonld_graph",  # loopback: the shop really is there
        f"http://localhost:{port}/pages/jsonld_graph",  # a name resolving to loopback
        f"http://LOCALHOST.:{port}/pages/jsonld_graph",
        f"http://shop.localhost:{port}/pages/jsonld_graph",
        f"http://[::1]:{port}/pages/jsonld_graph",  # IPv6 loopback
        f"http://[::ffff:127.0.0.1]:{port}/pages/jsonld_graph",  # IPv4-mapped IPv6
        f"http://[::ffff:7f00:1]:{port}/pages/jsonld_graph",
        f"http://2130706433:{port}/pages/jsonld_graph",  # decimal
        f"http://0x7f000001:{port}/pages/jsonld_graph",  # hex
        f"http://0177.0.0.1:{port}/pages/jsonld_graph",  # octal
        f"http://127.1:{port}/pages/jsonld_graph",  # short form
        f"http://0.0.0.0:{port}/pages/jsonld_graph",  # unspecified
        "http://10.1.2.3/product",
        "http://172.16.5.4/product",
        "http://192.168.0.10/product",
        "http://100.64.0.1/product",  # carrier-grade NAT
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://224.0.0.1/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 wrapping 169.254.169.254
        f"http://[::127.0.0.1]:{port}/pages/jsonld_graph",  # IPv4-compatible (deprecated) IPv6
        f"http://[::ffff:0:127.0.0.1]:{port}/pages/jsonld_graph",  # IPv4-translated IPv6 (SIIT)
        "http://[64:ff9b:1::a9fe:a9fe]/",  # NAT64 local-use prefix
        "http://[5f00::1]/",  # SRv6 segment identifiers
        "http://[3fff::1]/",
        "http://[2001:db8::1]/",  # documentation
        "http://[fec0::1]/",  # site-local (deprecated)
        "http://[::2]/",
        "http://[100::1]/",  # reserved, discard-only
        "http://192.0.0.8/",
        "http://198.18.0.1/",
        "http://240.0.0.1/",  # IETF, benchmarking, reserved
    ]


def test_private_and_loopback_addresses_are_refused_without_fetching(client, shop):
    requests_before = len(shop.requests)
    for url in private_urls(shop.base_url.rsplit(":", 1)[1]):
        body = error(scrape(client, url), 400, "URL_NOT_ALLOWED")
        assert "private or reserved network" in body["message"], url
    assert len(shop.requests) == requests_before


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/shirt",
        "gopher://127.0.0.1:11211/_stats",
        "javascript:alert(1)",
        "data:text/html,<h1>x</h1>",
        "dict://127.0.0.1:6379/info",
    ],
)
def test_non_http_schemes_are_refused(client, url):
    error(scrape(client, url), 400, "URL_NOT_ALLOWED")


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "/products/shirt",
        "http://",
        "https://user:secret@shop.example/p/1",
        "http://shop.example:99999/p",
        "http://exa mple.com/",
    ],
)
def test_malformed_urls_are_invalid(client, url):
    error(scrape(client, url), 400, "INVALID_URL")


def test_extract_images_and_categorize_image_url_are_guarded_too(client, shop):
    url = shop.url("/images/shirt.jpg").replace("127.0.0.1", "localhost")
    error(
        client.post("/api/garments/extract-images", json={"url": shop.url("/pages/jsonld_graph")}),
        400,
        "URL_NOT_ALLOWED",
    )
    error(client.post("/api/garments/categorize", json={"image_url": url}), 400, "URL_NOT_ALLOWED")


def test_client_html_with_a_private_url_is_refused(client, shop):
    html = shop.page_html("jsonld_graph")
    error(scrape(client, "http://169.254.169.254/latest/", html=html), 400, "URL_NOT_ALLOWED")


def test_check_url_allowed_validates_without_fetching(app, shop):
    settings = app.extensions["settings"]
    for url in private_urls(8000):
        with pytest.raises(ApiError) as refused:
            service.check_url_allowed(settings=settings, url=url)
        assert refused.value.code == "URL_NOT_ALLOWED"
    with pytest.raises(ApiError) as invalid:
        service.check_url_allowed(settings=settings, url="ftp://example.com/x")
    assert invalid.value.code == "URL_NOT_ALLOWED"
    # A public-looking host that does not resolve here passes; the fetch itself checks again.
    assert service.check_url_allowed(settings=settings, url="https://www.example-shop.test/p/1") is None


@pytest.mark.parametrize(
    "host",
    [
        "93.184.215.14",
        "[2606:4700::6810:84e5]",
        "[::ffff:93.184.215.14]",
        "[64:ff9b::5db8:d70e]",
        "[2002:5db8:d70e::1]",
    ],
)
def test_public_addresses_and_their_routable_ipv6_forms_are_allowed(app, host):
    """Only what is not global is refused: a shop on a public IPv4 or IPv6 address (also behind NAT64) is fine."""
    settings = app.extensions["settings"]
    assert service.check_url_allowed(settings=settings, url=f"http://{host}/products/shirt") is None


def test_fetch_image_refuses_private_addresses(app, shop):
    with pytest.raises(ApiError) as refused:
        service.fetch_image(settings=app.extensions["settings"], url=shop.url("/images/shirt.jpg"))
    assert refused.value.code == "URL_NOT_ALLOWED" and refused.value.status_code == 400
