"""Extraction never fails on a page: each layer runs isolated, and hostile pages get a product or a typed error."""

import json
import logging
from html import escape as html_escape

from hypothesis import HealthCheck, given, settings, strategies as st

from features.garments import service
from features.garments.extractors import PRODUCT_FIELDS
from features.garments.extractors.app_state import read_app_state
from features.garments.extractors.base import isolated
from features.garments.extractors.bigcommerce import read_bigcommerce
from features.garments.extractors.buy_box import read_buy_box
from features.garments.extractors.data_layer import read_data_layer
from features.garments.extractors.html_heuristics import read_html
from features.garments.extractors.meta_tags import read_meta, read_site
from features.garments.extractors.microdata import read_items
from features.garments.extractors.page import ProductPage
from features.garments.extractors.prestashop import read_prestashop
from features.garments.extractors.schema_org import read_products
from features.garments.extractors.shopify import read_shopify_page
from features.garments.extractors.size_chart import read_size_chart
from features.garments.extractors.url_code import read_url
from features.garments.extractors.woocommerce import read_woocommerce
from features.garments.extractors.zara import read_zara_page
from shared.errors import ApiError
from tests.garments.conftest import product_of, scrape
from tests.garments.test_platform_shapes import page
from tests.trust.test_fuzz import Raw, encode


def test_a_layer_that_raises_is_logged_with_the_url_and_layer_and_skipped(caplog):
    product_page = ProductPage("https://shop.example.com/p/1", "<html></html>")
    with caplog.at_level(logging.WARNING, logger="because_future.garments.extractors"):
        assert isolated(product_page, "json-ld", lambda: 1 / 0) == {}
        assert isolated(product_page, "gallery", lambda: [][1], []) == []
    assert [(record.url, record.layer, record.exc_info[0]) for record in caplog.records] == [
        ("https://shop.example.com/p/1", "json-ld", ZeroDivisionError),
        ("https://shop.example.com/p/1", "gallery", IndexError),
    ]


def test_comments_inside_pickers_and_between_labels_and_values(client):
    # A size picker whose options sit beside HTML comments, and a spec table whose label is followed by a comment.
    html = page(
        head='<meta property="og:type" content="product">',
        body="""
      <h1>Merino crew jumper</h1><span class="price">€79.00</span>
      <div class="size-selector"><!-- sizes --><span>S</span><!-- rendered --><span>M</span><?php echo 1 ?></div>
      <dl><dt>Material</dt><!-- from the PIM --><dd>100% wool</dd></dl>
      <p>Colour:<!-- selected --></p>""",
    )
    product = product_of(scrape(client, "https://shop.example.com/p/merino-crew", html=html))
    assert (product["title"], product["price"], product["currency"]) == ("Merino crew jumper", 79.0, "EUR")
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": True}]
    assert product["fabric"] == [{"name": "wool", "percentage": 100.0}]


# --- property tests: generated pages at every layer -------------------------------------------------------------

# Names real pages mark their blocks with, so generated pages reach the buy box, pickers, galleries and tiles.
CLASSES = st.sampled_from(
    [
        "price",
        "old-price",
        "price-box",
        "sale-price",
        "stock",
        "availability",
        "in-stock",
        "add-to-cart",
        "btn",
        "size-selector",
        "swatch",
        "colour",
        "product-gallery",
        "product",
        "recommendations",
        "product-tile",
        "breadcrumb",
        "product-description",
        "composition",
        "is-combinable",
        "disabled",
        "sold-out",
        "",
        "a-price",
        "variations_form",
    ]
)
TAGS = st.sampled_from(
    [
        "div",
        "span",
        "p",
        "h1",
        "h2",
        "ul",
        "li",
        "a",
        "button",
        "select",
        "option",
        "form",
        "input",
        "label",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "td",
        "th",
        "del",
        "s",
        "img",
        "header",
        "main",
        "nav",
        "fieldset",
        "legend",
        "section",
        "meta",
        "link",
        "script",
    ]
)
WORDS = st.sampled_from(
    [
        "€ 49,99",
        "$1,299.00",
        "-5 €",
        "1e999 €",
        "NaN",
        "Infinity $",
        "9" * 400 + " €",
        "Size",
        "Colour:",
        "Material: 100% cotton",
        "Add to cart",
        "Sold out",
        "In stock",
        "Product code:",
        "SKU: AB-12345",
        "Код: 01245",
        "M",
        "XL",
        "38",
        "kr 499,-",
        "44 890 тг.",
        "Bestellnummer",
        "0",
        "",
        " ",
        "<",
        "&amp;",
        "\x00",
        "\ud800",
        "🙂",
        "1" * 30,
    ]
)
ATTRIBUTES = st.dictionaries(
    st.sampled_from(
        [
            "class",
            "id",
            "itemprop",
            "itemscope",
            "itemtype",
            "content",
            "href",
            "src",
            "alt",
            "title",
            "value",
            "type",
            "name",
            "disabled",
            "aria-label",
            "data-size",
            "data-price",
            "data-product",
            "data-product_variations",
            "srcset",
            "for",
            "role",
            "data-type",
            "property",
            "lang",
        ]
    ),
    st.one_of(
        CLASSES,
        WORDS,
        st.sampled_from(
            [
                "http://schema.org/Product",
                "hidden",
                "submit",
                "/p/1.jpg",
                '{"a": [1, {"b": null}]}',
                "[" * 50,
                "https://schema.org/InStock",
                "product",
                "og:title",
                "product:price:amount",
            ]
        ),
    ),
    max_size=4,
)
TEXT = st.one_of(WORDS, st.text(max_size=12))


@st.composite
def html_trees(draw, depth=0):
    """A random element tree in the markup vocabulary of product pages, with comments and processing instructions."""
    tag = draw(TAGS)
    attributes = draw(ATTRIBUTES)
    rendered = "".join(f' {name}="{html_escape(str(value))}"' for name, value in attributes.items())
    children = (
        []
        if depth >= 4
        else draw(
            st.lists(
                st.one_of(
                    TEXT.map(html_escape),
                    st.just("<!-- note -->"),
                    st.just("<?php echo 1 ?>"),
                    html_trees(depth + 1),
                ),
                max_size=4,
            )
        )
    )
    return f"<{tag}{rendered}>{''.join(children)}</{tag}>"


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        TEXT,
        st.sampled_from(
            [
                Raw("1e999"),
                Raw("NaN"),
                Raw("-Infinity"),
                Raw("9" * 400),
                Raw("-5"),
                "https://schema.org/OutOfStock",
                "Product",
                "Offer",
                "ProductGroup",
                "EUR",
            ]
        ),
    ),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "@graph",
                    "name",
                    "offers",
                    "price",
                    "priceCurrency",
                    "priceSpecification",
                    "priceType",
                    "availability",
                    "sku",
                    "productID",
                    "mpn",
                    "gtin13",
                    "hasVariant",
                    "size",
                    "color",
                    "image",
                    "brand",
                    "priceValidUntil",
                    "lowPrice",
                    "productName",
                    "variants",
                    "sizes",
                    "stock",
                    "isInStock",
                    "listPrice",
                    "centAmount",
                    "fractionDigits",
                    "articleNumber",
                    "ean",
                    "id",
                    "url",
                    "props",
                    "pageProps",
                    "product",
                    "images",
                    "material",
                    "description",
                    "category",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=14,
)


PRICES = st.one_of(
    st.sampled_from(
        [
            "49.99",
            49.99,
            12,
            "1.299,00 €",
            "CHF 1'299.–",
            0,
            "0",
            Raw("1e999"),
            Raw("NaN"),
            Raw("-5"),
            "-5",
            Raw("9" * 400),
            "9" * 400,
            {"value": 30},
            {"centAmount": 4995},
        ]
    ),
    JSON_VALUES,
)
STOCK = st.one_of(
    st.sampled_from(["https://schema.org/InStock", "OutOfStock", "in stock", True, False, 0, 3]), JSON_VALUES
)
OFFERS = st.fixed_dictionaries(
    {"@type": st.sampled_from(["Offer", "AggregateOffer"])},
    optional={
        "price": PRICES,
        "priceCurrency": JSON_VALUES,
        "availability": STOCK,
        "sku": JSON_VALUES,
        "priceSpecification": JSON_VALUES,
        "priceValidUntil": JSON_VALUES,
        "lowPrice": JSON_VALUES,
        "offers": JSON_VALUES,
    },
)
# Documents shaped like a product (most random documents are no product at all, and never reach the merge).
PRODUCT_DOCUMENTS = st.fixed_dictionaries(
    {
        "@context": st.just("https://schema.org"),
        "@type": st.sampled_from(["Product", "ProductGroup", ["Product"]]),
        "name": TEXT,
    },
    optional={
        "offers": st.one_of(OFFERS, st.lists(OFFERS, max_size=3), JSON_VALUES),
        "sku": JSON_VALUES,
        "productID": JSON_VALUES,
        "mpn": JSON_VALUES,
        "gtin13": JSON_VALUES,
        "image": JSON_VALUES,
        "brand": JSON_VALUES,
        "hasVariant": st.lists(
            st.fixed_dictionaries(
                {"@type": st.just("Product")},
                optional={"sku": JSON_VALUES, "size": JSON_VALUES, "offers": OFFERS},
            ),
            max_size=3,
        ),
    },
)
PRODUCT_STATES = st.fixed_dictionaries(
    {
        "product": st.fixed_dictionaries(
            {"name": TEXT},
            optional={
                "price": PRICES,
                "listPrice": PRICES,
                "brand": JSON_VALUES,
                "sku": JSON_VALUES,
                "ean": JSON_VALUES,
                "isInStock": STOCK,
                "currency": JSON_VALUES,
                "images": JSON_VALUES,
                "variants": st.lists(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "id": JSON_VALUES,
                            "sku": JSON_VALUES,
                            "size": JSON_VALUES,
                            "stock": STOCK,
                            "price": PRICES,
                        },
                    ),
                    max_size=3,
                ),
            },
        )
    }
)
BODIES = st.tuples(
    st.one_of(st.just(""), TEXT.map(lambda text: f"<h1>{html_escape(text)}</h1>")), html_trees()
).map("".join)


def hostile_page(body, document, state):
    return page(
        head=f'<script type="application/ld+json">{encode(document)}</script>',
        body=f'{body}<script id="__NEXT_DATA__" type="application/json">{encode(state)}</script>'
        f"<script>window.__STATE__ = {encode(state)};</script>"
        f"<script>dataLayer.push({encode(state)}); gtag('event', 'view_item', {encode(state)});</script>"
        f"<div data-product='{html_escape(encode(state))}'></div>",
    )


LAYERS = {
    "json-ld": lambda page_: read_products(page_.json_ld, page_.base_url, page_.url, "Thing"),
    "microdata": lambda page_: read_products(read_items(page_.tree), page_.base_url, page_.url),
    "app-state": lambda page_: read_app_state(page_, "Thing"),
    "meta": read_meta,
    "site": read_site,
    "html": read_html,
    "buy-box": read_buy_box,
    "url": read_url,
    "data-layer": lambda page_: read_data_layer(page_, ("Thing",)),
    "woocommerce": read_woocommerce,
    "bigcommerce": read_bigcommerce,
    "prestashop": read_prestashop,
    "size-chart": lambda page_: read_size_chart(page_.tree),
    "shopify": read_shopify_page,
    "zara": read_zara_page,
}
PAGES = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PAGES
@given(
    body=BODIES,
    document=st.one_of(PRODUCT_DOCUMENTS, JSON_VALUES),
    state=st.one_of(PRODUCT_STATES, JSON_VALUES),
    url=st.sampled_from(
        [
            "https://shop.example.com/p/thing-AB12345.html?variant=1",
            "https://shop.example.com/",
            "https://shop.example.com/products/thing?pid=123456",
        ]
    ),
)
def test_every_layer_reads_generated_pages_without_raising(body, document, state, url):
    product_page = ProductPage(url, hostile_page(body, document, state))
    for name, read in LAYERS.items():
        found = read(product_page)
        assert isinstance(found, (dict, tuple)) or found is None, name
    try:
        product = service.extract_product(url=url, html=product_page.html)
    except ApiError as exc:
        assert 400 <= exc.status_code < 500 and exc.code and exc.message
    else:
        assert product.keys() == PRODUCT_FIELDS and product["availability"] in (None, "InStock", "OutOfStock")
        json.dumps(product, allow_nan=False)  # no NaN or Infinity reaches a client
        for price in (product["price"], product["list_price"]):
            assert price is None or 0 < price <= 1e12
