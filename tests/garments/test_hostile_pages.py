"""Client HTML built to make extraction slow (issue 14) is answered like any other page.

Each page is a small product page with one hostile part of about 4 KB (20 KB for the JSON-LD
material that used to take over a minute). What is asserted is the answer; that extraction time
grows linearly with such input is what tests/shared/test_text_patterns.py proves, and
bench/bench_hostile_pages.py measures.
"""

import json

import pytest

from tests.garments.conftest import product_of, scrape

URL = "https://shop.test/products/linen-shirt"


def _page(head="", body="", **product_fields):
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Linen shirt",
        "offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"},
        **product_fields,
    }
    return (
        f"<html><head><title>Linen shirt</title>{head}"
        f'<script type="application/ld+json">{json.dumps(product)}</script></head>'
        f"<body><h1>Linen shirt</h1>{body}</body></html>"
    )


HOSTILE_PAGES = {
    "JSON-LD material of a repeated short pattern": _page(material="a-" * 10_000),
    "JSON-LD material of repeated percentages": _page(material="10% " * 1000),
    "a script of window. runs": _page(head="<script>" + "window." * 600 + "</script>"),
    "a script of unclosed assignments": _page(head="<script>" + "var a={" * 600 + "</script>"),
    "a script of nested assignments": _page(
        head="<script>" + "window.a={b:" * 300 + "1" + "}" * 300 + "</script>"
    ),
    "a script of escaped quotes that never close": _page(head="<script>var a={" + '"\\' * 2000 + "</script>"),
    "a script with an unterminated string": _page(head="<script>var s = `" + "a" * 4000 + "</script>"),
    "a script of unterminated JSON.parse strings": _page(
        head="<script>" + "window.a=JSON.parse(`" * 200 + "</script>"
    ),
    "a heading of repeated symbols": _page(body="<h2>" + "-_" * 2000 + "</h2>"),
    "deeply nested price blocks": _page(body='<div class="price">' * 200 + "€ 12,00" + "</div>" * 200),
    "a composition line of percentages": _page(body="<p>Composition: " + "1% " * 1300 + "</p>"),
}


@pytest.mark.parametrize("html", HOSTILE_PAGES.values(), ids=HOSTILE_PAGES.keys())
def test_hostile_client_html_gets_the_product(client, html):
    product = product_of(scrape(client, URL, html=html))
    assert product["title"] == "Linen shirt"
    assert (product["price"], product["currency"]) == (49.0, "EUR")
    assert all(len(material["name"]) < 40 for material in product["fabric"])


def test_a_hostile_script_does_not_hide_the_state_after_it(client):
    state = '<script>window.__PRODUCT__ = {"name": "Linen shirt", "price": 49, "brand": "Harbour"};</script>'
    html = _page(head="<script>" + "var a={" * 600 + "</script>" + state)
    assert product_of(scrape(client, URL, html=html))["brand"] == "Harbour"
