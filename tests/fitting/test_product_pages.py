"""Fitting a garment given by its product page URL (or the page's HTML), served by the loopback shop."""

import urllib.request

import pytest

from tests.fitting.conftest import check, data, error, recommendation


@pytest.fixture
def settings_overrides():
    return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True}


def test_the_size_guide_on_the_product_page_is_used(client, woman, shop):
    url = shop.url("/pages/size_guide")
    result = data(check(client, woman, url=url))
    assert result["chart_source"] == "product" and result["chart"]["labels"] == ["S", "M", "L"]
    assert result["garment"]["source"] == "url" and result["garment"]["url"] == url
    assert result["garment"]["category"] == "t_shirts" and result["garment"]["title"] == "Everyday Tee"
    assert result["recommended_size"] == "M"
    bust = next(zone for zone in result["zones"] if zone["zone"] == "breast_circumference")
    assert bust["range_cm"] == [91, 97]


def test_a_chart_in_the_request_wins_over_the_product_page(client, woman, shop):
    chart = {"sizes": [{"label": "One", "measurements": {"breast_circumference": [80, 120]}}]}
    result = data(check(client, woman, url=shop.url("/pages/size_guide"), size_chart=chart))
    assert result["chart_source"] == "request" and result["recommended_size"] == "One"


def test_the_pages_html_sent_by_the_client_is_read_instead_of_fetching(client, woman, shop):
    url = shop.url("/pages/size_guide")
    html = urllib.request.urlopen(url).read().decode()
    fetched_before = len(shop.requests)
    result = data(check(client, woman, url=url, html=html, size="L"))
    assert len(shop.requests) == fetched_before
    assert (
        result["chart_source"] == "product" and result["size"] == "L" and result["overall_verdict"] == "loose"
    )


def test_only_sizes_the_shop_sells_are_recommended_and_availability_is_shown(client, woman, shop):
    result = data(recommendation(client, woman, url=shop.url("/pages/jsonld_variants")))
    assert result["garment"]["category"] == "dresses" and result["chart_source"] == "builtin"
    assert result["recommended_size"] == "M" and result["available"] is False
    assert [(alternative["size"], alternative["available"]) for alternative in result["alternatives"]] == [
        ("S", True)
    ]
    every_size = data(check(client, woman, url=shop.url("/pages/jsonld_variants")))
    availability = {entry["size"]: entry["available"] for entry in every_size["sizes"]}
    assert availability["S"] is True and availability["M"] is False and availability["XL"] is False


def test_the_brand_on_the_page_picks_the_brand_chart(client, woman, shop):
    url = shop.url("/pages/zara_style")
    found = error(recommendation(client, woman, url=url), 400, "CATEGORY_REQUIRED")
    assert "product page" in found["message"]
    result = data(recommendation(client, woman, url=url, category="jackets"))
    assert result["garment"]["brand"] == "ZARA" and result["chart"]["id"] == "brand:zara:women:tops:letter"
    assert {result["recommended_size"]} | {alt["size"] for alt in result["alternatives"]} == {"S", "M"}


def test_a_product_size_guide_that_cannot_be_used_falls_back_with_a_note(client, woman, shop):
    url = shop.url("/pages/size_guide")
    html = urllib.request.urlopen(url).read().decode().replace("<td>97-103</td>", "<td>70-75</td>")
    result = data(check(client, woman, url=url, html=html))
    assert result["chart_source"] == "builtin"
    assert "size guide could not be used" in result["notes"][0] and "ascending order" in result["notes"][0]


def test_product_page_failures_come_back_as_the_product_feature_reports_them(client, woman, shop):
    error(check(client, woman, url=shop.url("/pages/not_a_product")), 422, "NO_PRODUCT_FOUND")


@pytest.mark.parametrize(
    "extra, code",
    [
        ({"fabric": {"name": "cotton"}}, "INVALID_FABRIC"),
        ({"category": "gowns"}, "VALIDATION_ERROR"),
        ({"fit_preference": "baggy"}, "VALIDATION_ERROR"),
    ],
)
def test_bad_input_is_refused_before_the_page_is_fetched(client, woman, shop, extra, code):
    fetched_before = len(shop.requests)
    error(check(client, woman, url=shop.url("/pages/size_guide"), **extra), 400, code)
    assert len(shop.requests) == fetched_before


def test_html_must_be_the_pages_text(client, woman, shop):
    error(check(client, woman, url=shop.url("/pages/size_guide"), html=["<html>"]), 400, "INVALID_HTML")
