"""A page whose only schema.org Product is another product (a recommended item, a bundle, an accessory) gives none of
that product's code, price or stock: the page's own buy box does. Each page is our own, in the shape such pages take;
the negatives are the page's own product described under another name than its heading (its URL, a code the URL
names, its photo, or most of its name tell it is the page's), and names in a script written without spaces. What is
asserted is what a client of POST /api/garments/scrape sees.
"""

import pytest

from tests.garments.test_platform_shapes import json_ld, offer, page
from tests.garments.test_product_facts import scraped

URL = "https://shop.example.com/products/linen-shirt-ls220"
BUY_BOX = """<main><h1>Linen shirt</h1><p class="price">€49.00</p><p>Item #: LS-220</p>
  <form action="/cart/add" method="post"><button type="submit" name="add">Add to cart</button></form></main>"""


def product(name, **extra):
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "sku": "WC-9001",
        "image": "https://cdn.example.com/photos/wc-9001-front.jpg",
        "offers": offer("129.00", "OutOfStock"),
        **extra,
    }


def head(data, extra=""):
    return f"<title>Linen shirt | Example Shop</title>{extra}{json_ld(data)}"


@pytest.mark.parametrize(
    "data",
    [
        # A recommended item, marked up alone ("You may also like"), its own URL elsewhere on the shop.
        product("Wool overcoat", url="https://shop.example.com/products/wool-overcoat"),
        # A bundle sharing the shop's brand word and one more with the product.
        product("Example Shop summer bundle: shorts, hat and bag"),
        # Another product of the same line: a brand word and one word of four are the page's.
        product("Example Linen trousers beige"),
    ],
)
def test_the_only_json_ld_product_is_another_product(client, data):
    answer = scraped(client, URL, page(head=head(data), body=BUY_BOX))
    assert (answer["title"], answer["price"], answer["sku"], answer["availability"]) == (
        "Linen shirt",
        49.0,
        "LS-220",
        "InStock",
    )
    assert answer["field_sources"]["price"] == "html"


@pytest.mark.parametrize(
    "data",
    [
        # Named like the heading, or holding it with its colour.
        product("Linen shirt"),
        product("Linen shirt - white, long sleeves"),
        # Another name, but the product's URL, an offer's URL or a code the URL names is the page's.
        product("Men's top LS220 white", url=URL),
        product("Men's top white", offers=offer("129.00", "OutOfStock", url=URL + "?variant=1")),
        product("Men's top white", sku="LS220"),
        # Another name, but its photo is the page's own.
        product("Men's top white", image="https://cdn.example.com/photos/wc-9001-front.jpg?w=1200"),
    ],
)
def test_the_pages_own_product_under_another_name_is_read(client, data):
    og_image = '<meta property="og:image" content="https://cdn.example.com/photos/wc-9001-front.jpg">'
    answer = scraped(client, URL, page(head=head(data, og_image), body=BUY_BOX))
    assert (answer["price"], answer["availability"], answer["field_sources"]["price"]) == (
        129.0,
        "OutOfStock",
        "json-ld",
    )


def test_names_in_a_script_written_without_spaces(client):
    """Chinese names are compared by their pairs of characters: the page's own product is read, another one is not."""
    title = "<title>達美樂披薩外帶優惠券 | 好康網</title>"
    body = '<main><h1>達美樂披薩外帶優惠券</h1><p class="price">NT$210</p><button class="add-to-cart">加入購物車</button></main>'
    own = product("達美樂披薩外帶優惠券(無限期)", sku="CP-260591", offers=offer("210", "InStock"))
    answer = scraped(
        client, "https://deals.example.com/store/1227", page(head=title + json_ld(own), body=body)
    )
    assert (answer["sku"], answer["field_sources"]["sku"]) == ("CP-260591", "json-ld")
    other = product("星巴克咖啡買一送一兌換券", sku="CP-777001", offers=offer("150", "InStock"))
    answer = scraped(
        client, "https://deals.example.com/store/1227", page(head=title + json_ld(other), body=body)
    )
    assert (answer["sku"], answer["price"]) == (None, 210.0)


def test_the_pages_own_product_among_others_is_chosen_by_what_the_page_owns(client):
    """A product of the same line listed first shares more of the heading's words than the page's own product, which
    only its photo tells apart: the page's own is read."""
    other = product("Example Linen trousers beige", sku="LT-330", offers=offer("89.00", "InStock"))
    own = product("Men's top white", offers=offer("129.00", "OutOfStock"))
    og_image = '<meta property="og:image" content="https://cdn.example.com/photos/wc-9001-front.jpg">'
    data = {
        "@context": "https://schema.org",
        "@graph": [{**other, "image": "https://cdn.example.com/lt-330.jpg"}, own],
    }
    answer = scraped(client, URL, page(head=head(data, og_image), body=BUY_BOX))
    assert (answer["price"], answer["availability"], answer["field_sources"]["price"]) == (
        129.0,
        "OutOfStock",
        "json-ld",
    )
