"""Items added from a product URL (or the client's copy of the page) through the loopback shop, and
extract-from-url, which reads a page without storing anything."""

import io
import json

import pytest
from PIL import Image

from tests.wardrobe.conftest import (
    count_rows,
    create_category,
    error_code,
    garment_photo,
    stored_file,
    wardrobe_files,
)

ITEMS = "/api/wardrobe/items"
EXTRACT = "/api/wardrobe/extract-from-url"


@pytest.fixture
def settings_overrides():
    """The shop lives on 127.0.0.1, so these tests admit loopback addresses."""
    return {
        "SCRAPER_ALLOW_PRIVATE_NETWORKS": True,
        "SCRAPER_CONNECT_TIMEOUT": 2.0,
        "SCRAPER_READ_TIMEOUT": 2.0,
    }


def product_page_html(shop, image_path=None):
    """A page the way a shop writes it: one schema.org Product in JSON-LD, with or without an image."""
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Ribbed Tank Top",
        "brand": {"@type": "Brand", "name": "Southbay"},
        "description": "Fitted ribbed tank top.",
        "offers": {"@type": "Offer", "price": "15.00", "priceCurrency": "GBP"},
    }
    if image_path:
        product["image"] = shop.url(image_path)
    return (
        f'<html><head><title>Ribbed Tank Top</title><script type="application/ld+json">{json.dumps(product)}'
        "</script></head><body><h1>Ribbed Tank Top</h1></body></html>"
    )


def test_add_item_from_a_product_url(app, client, user, shop, storage):
    url = shop.url("/pages/jsonld_graph")
    response = client.post(ITEMS, headers=user["headers"], json={"garment_url": url, "size": "38"})
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["data"]
    assert (item["title"], item["brand"], item["price"], item["currency"], item["color"]) == (
        "Linen Blend Blazer",
        "Northwind",
        129.95,
        "EUR",
        "Sand",
    )
    assert item["fabric"] == [{"name": "Linen", "percentage": 55}, {"name": "Viscose", "percentage": 45}]
    assert (item["category"], item["category_section"], item["garment_type"]) == (
        "jackets",
        "upper_body",
        "outerwear",
    )
    assert item["description"].startswith("Single-breasted blazer")
    assert (item["garment_url"], item["size"], item["is_external"]) == (url, "38", True)
    # the page's main product shot, downloaded and stored as our PNG
    assert any(request["path"].startswith("/images/blazer-front.jpg") for request in shop.requests)
    with Image.open(stored_file(storage, item["image_path"])) as stored:
        assert stored.format == "PNG" and stored.size == (60, 90)
    assert wardrobe_files(storage, user) == [f"{item['garment_id']}.png"]
    assert (
        client.get(f"{ITEMS}/{item['id']}", headers=user["headers"]).get_json()["data"]["brand"]
        == "Northwind"
    )


def test_the_clients_fields_win_over_the_page(client, user, shop):
    party = create_category(client, user, "Party", section="wishlist")
    response = client.post(
        ITEMS,
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "garment_url": shop.url("/pages/jsonld_variants"),
            "title": "My knit dress",
            "category_id": str(party["id"]),
            "price": "70",
            "fabric": '[{"name": "wool", "percentage": 100}]',
            "is_external": "false",
        },
    )
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["data"]
    assert (item["title"], item["brand"], item["price"], item["currency"]) == (
        "My knit dress",
        "Atelier Nord",
        70,
        "EUR",
    )
    assert (item["category"], item["category_id"], item["category_section"]) == (
        "Party",
        party["id"],
        "wishlist",
    )
    assert item["fabric"] == [{"name": "wool", "percentage": 100}] and item["is_external"] is False


def test_page_values_that_break_the_rules_are_left_out(client, user, shop):
    # This page lists shell and lining at 100 % each and names no category we know.
    url = shop.url("/pages/zara_style")
    response = client.post(ITEMS, headers=user["headers"], json={"garment_url": url})
    assert response.status_code == 400 and error_code(response) == "MISSING_FIELDS"
    assert response.get_json()["error"]["details"]["field"] == "category_section"
    response = client.post(
        ITEMS, headers=user["headers"], json={"garment_url": url, "category_section": "upper_body"}
    )
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["data"]
    assert (item["brand"], item["price"], item["currency"], item["fabric"]) == ("ZARA", 559, "PLN", [])


def test_add_item_from_the_clients_copy_of_the_page(client, user, shop, storage):
    url = shop.url("/pages/og_only")
    response = client.post(
        ITEMS, headers=user["headers"], json={"garment_url": url, "html": shop.page_html("og_only")}
    )
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["data"]
    assert (item["title"], item["category"], item["category_section"]) == (
        "Jupe plissée midi",
        "skirts",
        "lower_body",
    )
    assert shop.count("/pages/og_only") == 0  # read from the client's HTML, only the image was fetched
    assert storage.exists(item["image_path"])


@pytest.mark.parametrize(
    "page, status, code",
    [
        ("/pages/js_shell", 422, "NO_PRODUCT_FOUND"),
        ("/pages/no-such-product", 422, "PRODUCT_PAGE_NOT_FOUND"),
        ("/status/403", 502, "UPSTREAM_BLOCKED"),
    ],
)
def test_unreadable_pages_store_nothing(app, client, user, shop, storage, page, status, code):
    response = client.post(
        ITEMS, headers=user["headers"], json={"garment_url": shop.url(page), "category_section": "upper_body"}
    )
    assert (response.status_code, error_code(response)) == (status, code)
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []


@pytest.mark.parametrize(
    "image_path, status, code",
    [
        (None, 422, "NO_PRODUCT_IMAGE"),
        ("/not-an-image", 422, "IMAGE_DOWNLOAD_FAILED"),
        ("/status/404", 422, "IMAGE_DOWNLOAD_FAILED"),
    ],
)
def test_a_page_without_a_usable_image_stores_nothing(
    app, client, user, shop, storage, image_path, status, code
):
    response = client.post(
        ITEMS,
        headers=user["headers"],
        json={
            "garment_url": shop.url("/products/ribbed-tank"),
            "html": product_page_html(shop, image_path),
            "category_section": "upper_body",
        },
    )
    assert (response.status_code, error_code(response)) == (status, code)
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []


def test_bad_fields_are_refused_before_the_page_is_fetched(app, client, user, shop):
    url = shop.url("/pages/microdata")
    for body, code in [
        ({"price": -1}, "OUT_OF_RANGE"),
        ({"category_section": "nowhere"}, "INVALID_CATEGORY_SECTION"),
        ({"category": "ballgowns"}, "CATEGORY_NOT_FOUND"),
        ({"html": 42}, "VALIDATION_ERROR"),
    ]:
        response = client.post(ITEMS, headers=user["headers"], json={"garment_url": url, **body})
        assert response.status_code in (400, 404) and error_code(response) == code, body
    assert shop.count("/pages/microdata") == 0 and count_rows(app, "wardrobe") == 0
    response = client.post(ITEMS, headers=user["headers"], json={"garment_url": "javascript:alert(1)"})
    assert response.status_code == 400 and error_code(response) == "INVALID_URL"


@pytest.mark.parametrize("settings_overrides", [{}])
def test_private_addresses_are_refused(app, client, user, storage, settings_overrides):
    for url in ("http://127.0.0.1:9/pages/jsonld_graph", "http://169.254.169.254/latest/meta-data/"):
        for path in (ITEMS, EXTRACT):
            response = client.post(
                path, headers=user["headers"], json={"garment_url": url, "category_section": "upper_body"}
            )
            assert (response.status_code, error_code(response)) == (400, "URL_NOT_ALLOWED"), (path, url)
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []


def test_extract_from_url_reads_without_storing(app, client, user, shop, storage):
    response = client.post(EXTRACT, headers=user["headers"], json={"url": shop.url("/pages/microdata")})
    assert response.status_code == 200, response.get_json()
    product = response.get_json()["data"]
    assert (product["title"], product["brand"], product["price"], product["category"]) == (
        "Spijkerbroek slim fit",
        "Kaasboer Mode",
        1299.95,
        "jeans",
    )
    assert product["images"][0].endswith("/images/broek-1-zoom.jpg")
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []
    # the client's copy of a page, sent as a form
    response = client.post(
        EXTRACT,
        headers=user["headers"],
        data={"url": shop.url("/pages/og_only"), "html": shop.page_html("og_only")},
    )
    assert response.status_code == 200 and response.get_json()["data"]["category"] == "skirt"
    assert shop.count("/pages/og_only") == 0


def test_extract_from_url_errors(client, user, shop):
    for body, status, code in [
        ({}, 400, "MISSING_FIELDS"),
        ({"url": "not a url"}, 400, "INVALID_URL"),
        ({"url": shop.url("/pages/js_shell")}, 422, "NO_PRODUCT_FOUND"),
        ({"url": shop.url("/pages/og_only"), "html": ["<html>"]}, 400, "VALIDATION_ERROR"),
    ]:
        response = client.post(EXTRACT, headers=user["headers"], json=body)
        assert (response.status_code, error_code(response)) == (status, code), body
    assert client.post(EXTRACT, json={"url": shop.url("/pages/og_only")}).status_code == 401


def test_an_uploaded_photo_is_the_image_and_the_url_only_a_link(client, user, shop, storage):
    url = shop.url("/pages/og_only")
    response = client.post(
        ITEMS,
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "garment_url": url,
            "category_section": "lower_body",
            "garment_image": (io.BytesIO(garment_photo((40, 40))), "mine.png"),
        },
    )
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["data"]
    assert (item["garment_url"], item["title"]) == (url, None)
    assert shop.count("/pages/og_only") == 0
    with Image.open(stored_file(storage, item["image_path"])) as stored:
        assert stored.size == (40, 40)
