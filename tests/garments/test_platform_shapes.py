"""Shapes shop platforms publish product data in, each as a small hand-written page sent as client HTML.

Each page is our own, written the way the platform (or schema.org's documentation) shapes it; what
is asserted is what a client of POST /api/garments/scrape sees.
"""
import json

from tests.garments.conftest import product_of, scrape


def page(*, head="", body=""):
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def json_ld(document):
    return f'<script type="application/ld+json">{json.dumps(document)}</script>'


def offer(price, availability="InStock", **extra):
    return {"@type": "Offer", "price": price, "priceCurrency": "EUR",
            "availability": f"https://schema.org/{availability}", **extra}


def test_aggregate_offer_with_one_offer_per_size_named_after_the_size(client):
    html = page(head=json_ld({
        "@context": "https://schema.org", "@type": "Product", "name": "Ribbed tank top", "brand": "Lumo",
        "image": "https://cdn.example.com/tank.jpg",
        "offers": {"@type": "AggregateOffer", "lowPrice": "19.99", "highPrice": "24.99", "priceCurrency": "EUR",
                   "offerCount": 3, "offers": [offer("19.99", name="XS", sku="RT-XS"),
                                               offer("19.99", "OutOfStock", name="S", sku="RT-S"),
                                               offer("24.99", name="Ribbed tank top - XL", sku="RT-XL")]}}))
    product = product_of(scrape(client, "https://shop.example.com/ribbed-tank-top", html=html))
    assert (product["price"], product["currency"]) == (19.99, "EUR")
    assert product["sizes"] == [{"name": "XS", "available": True}, {"name": "S", "available": False},
                                {"name": "XL", "available": True}]


def test_offers_per_size_by_size_property_item_offered_or_sku(client):
    html = page(head=json_ld({
        "@context": "https://schema.org", "@type": "Product", "name": "Denim jacket", "brand": "Nordlys",
        "offers": [offer("89.00", size="S"), offer("89.00", "SoldOut", itemOffered={"@type": "Product", "size": "M"}),
                   offer("89.00", sku="DJ-100-40"), offer("89.00", sku="DJ-100-1")]}))
    product = product_of(scrape(client, "https://shop.example.com/denim-jacket", html=html))
    assert product["title"] == "Denim jacket"
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": False},
                                {"name": "40", "available": True}]


def test_main_product_is_the_one_the_page_url_names_not_a_recommendation_listed_first(client):
    recommendation = {"@type": "Product", "name": "Canvas tote bag", "sku": "TB9",
                      "url": "https://shop.example.com/p/canvas-tote-TB9", "offers": offer("15")}
    main = {"@type": "Product", "name": "Linen shirt", "sku": "LS200", "brand": {"@type": "Brand", "name": "Osterlund"},
            "url": "https://shop.example.com/p/linen-shirt-LS200", "offers": offer("69.95")}
    graph = page(head=json_ld({"@context": "https://schema.org", "@graph": [recommendation, main]}))
    product = product_of(scrape(client, "https://www.shop.example.com/p/linen-shirt-LS200/?ref=home", html=graph))
    assert (product["title"], product["brand"], product["price"]) == ("Linen shirt", "Osterlund", 69.95)

    del main["url"]
    two_blocks = page(head=json_ld(recommendation) + json_ld(main))
    product = product_of(scrape(client, "https://shop.example.com/en/shirts/ls200.html", html=two_blocks))
    assert (product["title"], product["price"]) == ("Linen shirt", 69.95)
