"""Garments given as product URLs: fetched from a loopback shop, or from HTML the client sent."""

import json

import pytest

from tests.helpers import post_tryon, wait_for_job


@pytest.fixture
def settings_overrides(fake_gemini):
    # The loopback shop's photos are plain colour swatches, which the local model rightly refuses to cut
    # a garment out of; the fake Gemini takes any image.
    return fake_gemini.app_settings(
        SCRAPER_ALLOW_PRIVATE_NETWORKS=True,
    )


def test_item_url_is_extracted_and_its_image_downloaded(client, user, standing_png, shop):
    url = shop.url("/pages/jsonld_graph")
    already = len(shop.requests)
    response = post_tryon(client, user, selfie=standing_png, item_urls=json.dumps([url]))
    assert response.status_code == 202, response.get_json()
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["status"] == "done", job["error"]
    assert job["garments"][0]["url"] == url
    # The page files it under jackets; Gemini needs no look at the photo for a type the page gives.
    assert job["garments"][0] | {"url": None} == {
        "source": "url",
        "url": None,
        "type": "outerwear",
        "type_source": "page",
        "photo_type": None,
    }
    paths = [r["path"] for r in shop.requests[already:]]
    assert "/pages/jsonld_graph" in paths and any(p.startswith("/images/") for p in paths)


def test_garment_index_picks_another_product_image(client, user, standing_png, shop):
    already = len(shop.requests)
    response = post_tryon(
        client,
        user,
        selfie=standing_png,
        garment_url=shop.url("/pages/jsonld_graph"),
        options='{"garment_index": 1}',
    )
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["status"] == "done", job["error"]
    images = [r["path"] for r in shop.requests[already:] if r["path"].startswith("/images/")]
    assert len(images) == 1
    out_of_range = post_tryon(
        client,
        user,
        selfie=standing_png,
        garment_url=shop.url("/pages/jsonld_graph"),
        options='{"garment_index": 40}',
    )
    job = wait_for_job(client, user["headers"], out_of_range.get_json()["data"]["job_id"])
    assert job["status"] == "failed" and job["error"]["code"] == "GARMENT_INDEX_OUT_OF_RANGE"


@pytest.mark.parametrize(
    "path,code",
    [
        ("/status/404", "PRODUCT_PAGE_NOT_FOUND"),
        ("/status/403", "UPSTREAM_BLOCKED"),
        ("/pages/js_shell", "NO_PRODUCT_FOUND"),
    ],
)
def test_unusable_pages_fail_the_job_with_their_code(client, user, standing_png, shop, path, code):
    response = post_tryon(client, user, selfie=standing_png, garment_url=shop.url(path))
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["status"] == "failed" and job["error"]["code"] == code and job["error"]["message"]


def test_client_html_is_used_instead_of_fetching_the_page(client, user, standing_png, shop):
    url = shop.url("/p/never-fetched")  # the page's images resolve against this URL and are fetched
    response = post_tryon(
        client, user, selfie=standing_png, item_urls=json.dumps([url]), html=shop.page_html("jsonld_graph")
    )
    assert response.status_code == 202, response.get_json()
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["status"] == "done", job["error"]
    assert shop.count("/p/never-fetched") == 0
