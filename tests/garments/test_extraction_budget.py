"""Reading a page runs in an extraction worker process under a CPU budget (EXTRACTION_TIMEOUT_SECONDS):
a page that needs more is stopped and answered 422 PAGE_TOO_COMPLEX on every endpoint that reads pages,
and the server goes on reading other pages. Here the budget is made tiny and the page large (about
0.7 s of CPU), so the page is over budget whatever the extractors do with it."""

import pytest

from tests.envelope import data, error
from tests.fakes.shop_server import padded_page
from tests.fitting.conftest import check


@pytest.fixture
def settings_overrides():
    return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True, "EXTRACTION_TIMEOUT_SECONDS": 0.05}


@pytest.fixture
def large_page(shop):
    return padded_page(shop.page_html("jsonld_graph"), 2000)


def test_scrape_of_client_html_over_budget_is_page_too_complex(client, shop, large_page):
    url = shop.url("/pages/jsonld_graph")
    found = error(
        client.post("/api/garments/scrape", json={"url": url, "html": large_page}), 422, "PAGE_TOO_COMPLEX"
    )
    assert found["details"] == {"url": url, "limit_seconds": 0.05}
    assert "too complex" in found["message"]


def test_a_fetched_page_over_budget_is_page_too_complex_and_not_cached(app, client, shop):
    url = shop.url("/large/jsonld_graph?kb=2000")
    error(client.post("/api/garments/scrape", json={"url": url}), 422, "PAGE_TOO_COMPLEX")
    assert (
        app.extensions["db"].execute_query("SELECT COUNT(*) AS n FROM garment_metadata", fetch_one=True)["n"]
        == 0
    )


def test_extract_images_over_budget_is_page_too_complex(client, shop, large_page):
    error(
        client.post(
            "/api/garments/extract-images", json={"url": shop.url("/pages/jsonld_graph"), "html": large_page}
        ),
        422,
        "PAGE_TOO_COMPLEX",
    )


def test_wardrobe_item_and_extract_from_url_over_budget_store_nothing(app, client, user, shop, large_page):
    url = shop.url("/pages/jsonld_graph")
    error(
        client.post(
            "/api/wardrobe/items", headers=user["headers"], json={"garment_url": url, "html": large_page}
        ),
        422,
        "PAGE_TOO_COMPLEX",
    )
    error(
        client.post(
            "/api/wardrobe/extract-from-url", headers=user["headers"], json={"url": url, "html": large_page}
        ),
        422,
        "PAGE_TOO_COMPLEX",
    )
    assert data(client.get("/api/wardrobe/items", headers=user["headers"])) == []


def test_fitting_from_a_page_over_budget_is_page_too_complex(client, user, shop):
    error(check(client, user, url=shop.url("/large/size_guide?kb=2000")), 422, "PAGE_TOO_COMPLEX")


class TestWithTheDefaultBudget:
    @pytest.fixture
    def settings_overrides(self):
        return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True}

    def test_the_same_large_page_is_read_within_the_default_budget(self, client, shop, large_page):
        url = shop.url("/pages/jsonld_graph")
        product = data(client.post("/api/garments/scrape", json={"url": url, "html": large_page}))["product"]
        assert product["title"] == "Linen Blend Blazer" and product["price"] == 129.95
