"""Shops speak HTTPS: the page is read over TLS with the certificate checked against the host name in
the URL, even though the connection goes to the address that was checked (not a second lookup)."""

import pytest

from tests.envelope import error
from tests.fakes.shop_server import ShopServer
from tests.fakes.tls import CertificateAuthority
from tests.garments.conftest import product_of, scrape


@pytest.fixture
def authority(tmp_path):
    return CertificateAuthority(tmp_path)


def https_shop(authority, name):
    return ShopServer(tls=authority.issue(name))


def test_a_shop_with_a_trusted_certificate_is_read_over_https(client, authority, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.bundle))  # how a machine trusts an extra CA
    with https_shop(authority, "localhost") as shop:
        assert shop.base_url.startswith("https://localhost:")
        product = product_of(scrape(client, shop.url("/pages/jsonld_graph")))
        assert product["title"] == "Linen Blend Blazer" and product["price"] == 129.95
        assert product["images"] == [
            shop.url("/images/blazer-front.jpg"),
            shop.url("/images/blazer-back.jpg"),
        ]
        assert shop.count("/pages/jsonld_graph") == 1


def test_a_certificate_nobody_vouches_for_is_refused(client, authority):
    with https_shop(authority, "localhost") as shop:
        found = error(scrape(client, shop.url("/pages/jsonld_graph")), 502, "UPSTREAM_UNREACHABLE")
        assert found["details"]["reason"] == "SSLError"
        assert shop.count("/pages/jsonld_graph") == 0


def test_a_certificate_for_another_host_is_refused(client, authority, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.bundle))
    with https_shop(authority, "shop.example") as shop:
        found = error(scrape(client, shop.url("/pages/jsonld_graph")), 502, "UPSTREAM_UNREACHABLE")
        assert found["details"]["reason"] == "SSLError"
        assert shop.count("/pages/jsonld_graph") == 0


def test_product_images_are_fetched_over_https_too(client, user, authority, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.bundle))
    with https_shop(authority, "localhost") as shop:
        response = client.post(
            "/api/wardrobe/items",
            headers=user["headers"],
            json={"garment_url": shop.url("/pages/jsonld_graph")},
        )
        assert response.status_code == 201, response.get_json()
        assert shop.count("/images/blazer-front.jpg") == 1
