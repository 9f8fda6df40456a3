"""Every endpoint that fetches a URL a client names refuses our own network, however the URL spells it.

tests/garments/test_ssrf.py proves the checks on /api/garments/scrape and the fetch helpers. Here the
same addresses go to every other endpoint that takes a URL, with what is left: a host name this machine
resolves to loopback through its resolver (not by name), redirects into the network, product pages
whose images point into it, and the try-on, which fetches later in a worker.
"""

import io
import socket

import pytest

from tests.garments.test_ssrf import private_urls
from tests.helpers import wait_for_job
from tests.trust.conftest import assert_refused, stored_state

METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"

# name -> request(client, user, url) for every endpoint that fetches a URL from the request
URL_ENDPOINTS = {
    "scrape": lambda client, user, url: client.post("/api/garments/scrape", json={"url": url}),
    "extract-images": lambda client, user, url: client.post(
        "/api/garments/extract-images", json={"url": url}
    ),
    "categorize image_url": lambda client, user, url: client.post(
        "/api/garments/categorize", json={"image_url": url}
    ),
    "wardrobe item from garment_url": lambda client, user, url: client.post(
        "/api/wardrobe/items", headers=user["headers"], json={"garment_url": url}
    ),
    "wardrobe extract-from-url": lambda client, user, url: client.post(
        "/api/wardrobe/extract-from-url", headers=user["headers"], json={"url": url}
    ),
    "fit check by url": lambda client, user, url: client.post(
        "/api/fitting/check", headers=user["headers"], json={"url": url, "category": "dresses"}
    ),
    "size recommendation by url": lambda client, user, url: client.get(
        "/api/fitting/size-recommendation",
        headers=user["headers"],
        query_string={"url": url, "category": "dresses"},
    ),
    "try-on item_urls": lambda client, user, url: client.post(
        "/api/tryon", headers=user["headers"], json={"item_urls": [url]}
    ),
    "try-on garment_url": lambda client, user, url: client.post(
        "/api/tryon", headers=user["headers"], json={"garment_url": url}
    ),
}


def refused_everywhere(app, client, user, urls):
    """[what was not refused with 400 URL_NOT_ALLOWED]; nothing may be stored either way."""
    before, wrong = stored_state(app), []
    for name, send in URL_ENDPOINTS.items():
        for url in urls:
            response = send(client, user, url)
            error = (response.get_json(silent=True) or {}).get("error") or {}
            if response.status_code != 400 or error.get("code") != "URL_NOT_ALLOWED":
                wrong.append(f"{name} {url}: {response.status_code} {error}")
    assert stored_state(app) == before
    return wrong


class TestWithoutPrivateNetworks:
    @pytest.fixture
    def settings_overrides(self):
        return {
            "SCRAPER_ALLOW_PRIVATE_NETWORKS": False,
            "SCRAPER_CONNECT_TIMEOUT": 1.0,
            "SCRAPER_READ_TIMEOUT": 1.0,
        }

    def test_every_url_endpoint_refuses_every_private_spelling_without_fetching(
        self, app, client, user, shop
    ):
        requests_before = len(shop.requests)
        assert refused_everywhere(app, client, user, private_urls(shop.base_url.rsplit(":", 1)[1])) == []
        assert len(shop.requests) == requests_before

    def test_a_host_name_resolving_to_loopback_is_refused(self, app, client, user, shop):
        name = socket.gethostname()
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(name, None)}
        except socket.gaierror:
            addresses = set()
        if not addresses or not all(address.startswith("127.") or address == "::1" for address in addresses):
            pytest.skip(
                f"this machine's name {name!r} does not resolve to loopback ({addresses or 'not at all'})"
            )
        port = shop.base_url.rsplit(":", 1)[1]
        assert refused_everywhere(app, client, user, [f"http://{name}:{port}/pages/jsonld_graph"]) == []

    def test_dns_rebinding_cannot_move_the_fetch_into_the_network(self, client, shop, monkeypatch):
        """The first answer for the name is public, every later one loopback (where the shop listens):
        the fetch must connect to the address it checked, never ask again."""
        real_getaddrinfo, asked = socket.getaddrinfo, []

        def rebinding(host, port, *args, **kwargs):
            if host != "rebind.example":
                return real_getaddrinfo(host, port, *args, **kwargs)
            asked.append(host)
            # public first (passes the check; unreachable from these machines), then loopback
            address = "8.8.8.8" if len(asked) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))]

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        requests_before = len(shop.requests)
        port = shop.base_url.rsplit(":", 1)[1]
        response = client.post(
            "/api/garments/scrape", json={"url": f"http://rebind.example:{port}/pages/jsonld_graph"}
        )
        assert assert_refused(response, (502, 504))["code"] in ("UPSTREAM_UNREACHABLE", "UPSTREAM_TIMEOUT")
        assert asked == ["rebind.example"] and len(shop.requests) == requests_before


class TestThroughTheLoopbackShop:
    """The shop runs on 127.0.0.1, so loopback is admitted here; link-local (metadata) never is."""

    @pytest.fixture
    def settings_overrides(self):
        return {
            "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
            "SCRAPER_CONNECT_TIMEOUT": 1.0,
            "SCRAPER_READ_TIMEOUT": 1.0,
        }

    def test_a_redirect_into_the_network_is_refused_by_every_endpoint(self, app, client, user, shop):
        redirect = shop.url(f"/redirect?to={METADATA}")
        synchronous = {name: send for name, send in URL_ENDPOINTS.items() if not name.startswith("try-on")}
        for name, send in synchronous.items():
            assert assert_refused(send(client, user, redirect), (400,))["code"] == "URL_NOT_ALLOWED", name

    def test_a_try_on_whose_page_redirects_into_the_network_fails_in_the_worker(
        self, client, user, shop, person_png
    ):
        response = client.post(
            "/api/tryon",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={
                "selfie": (io.BytesIO(person_png), "me.png"),
                "garment_url": shop.url(f"/redirect?to={METADATA}"),
            },
        )
        assert response.status_code == 202, response.get_json()
        job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
        assert job["status"] == "failed" and job["error"]["code"] == "URL_NOT_ALLOWED"

    def test_product_images_pointing_into_the_network_are_not_fetched(
        self, app, client, user, shop, person_png
    ):
        html = shop.page_html("og_only").replace(f"//{shop.host}/images/", "http://169.254.169.254/latest/")
        url = shop.url("/fr/jupe-plissee-midi.html")
        before = stored_state(app)
        item = client.post(
            "/api/wardrobe/items", headers=user["headers"], json={"garment_url": url, "html": html}
        )
        assert assert_refused(item, (400,))["code"] == "URL_NOT_ALLOWED"
        assert stored_state(app) == before
        tryon = client.post(
            "/api/tryon",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={"selfie": (io.BytesIO(person_png), "me.png"), "garment_url": url, "html": html},
        )
        job = wait_for_job(client, user["headers"], tryon.get_json()["data"]["job_id"])
        assert job["status"] == "failed" and job["error"]["code"] == "URL_NOT_ALLOWED"
