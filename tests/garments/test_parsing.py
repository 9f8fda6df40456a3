"""The small parsers real pages need: prices, currencies, availability, image URLs, compositions, JS objects."""

import pytest

from features.garments.extractors.fabric import parse_composition
from features.garments.extractors.page import ProductPage, parse_json_text
from features.garments.extractors.values import (
    large_image_url,
    money_amounts,
    parse_availability,
    parse_currency,
    parse_gtin,
    parse_identifier,
    parse_price,
)
from features.garments.service import cache_key, extract_product
from shared.text_patterns import IGNORECASE, compile_pattern


@pytest.mark.parametrize(
    "text, price",
    [
        ("1.299,95 €", 1299.95),
        ("$49", 49.0),
        ("49,99 EUR", 49.99),
        ("$3.499", 3499.0),
        ("€89.50", 89.5),
        ("26,00 €", 26.0),
        ("99 ر.س", 99.0),
        ("£1,299.00", 1299.0),
        ("1 299,95 kr", 1299.95),
        ("CHF 1'250.50", 1250.5),
        ("89.5", 89.5),
        (117.0, 117.0),
        (50, 50.0),
        ("free", None),
        ("0,00 €", None),
        (None, None),
        (True, None),
    ],
)
def test_prices_from_real_world_strings(text, price):
    assert parse_price(text) == price


@pytest.mark.parametrize(
    "text, currency",
    [
        ("EUR", "EUR"),
        ("1.299,95 €", "EUR"),
        ("£12", "GBP"),
        ("99 ر.س", "SAR"),
        ("R$ 59,90", "BRL"),
        ("49,99 zł", "PLN"),
        ("usd", "USD"),
        ("$49", None),
        ("", None),
        ("XYZ", None),
        ("EUR110.00", "EUR"),
        ("44 890 тг.", "KZT"),
        ("30,000원", "KRW"),
        ("Gift card 20", None),
        ("1 299 Ft", "HUF"),
    ],
)
def test_currencies_are_iso_codes_or_none(text, currency):
    assert parse_currency(text) == currency


@pytest.mark.parametrize(
    "value, available",
    [
        ("http://schema.org/InStock", True),
        ("https://schema.org/OutOfStock", False),
        ("http://schema.org/ instock ", True),
        ("InStock", True),
        ("in_stock", True),
        ("SoldOut", False),
        (0, False),
        (3, True),
        (True, True),
        ("maybe", None),
        ("in stock", True),
        ("out of stock", False),
        ("available for order", True),
        ("oos", False),
        # schema.org's names however spelled: relative, prefixed, any case, and what each means to a shopper.
        ("schema:InStock", True),
        ("sdo:OutOfStock", False),
        ("https://schema.org/InStock#", True),
        ("instock", True),
        ("OUTOFSTOCK", False),
        ("LimitedAvailability", True),
        ("PreOrder", True),
        ("Pre-Order", True),
        ("BackOrder", True),
        ("PreSale", True),
        ("MadeToOrder", True),
        ("OnlineOnly", True),
        ("InStoreOnly", True),
        ("http://schema.org/SoldOut", False),
        ("Discontinued", False),
        ("Reserved", False),
        ("Available: 3 pcs", True),
        # Platforms' own words for the same states.
        ("TemporarilyOutOfStock", False),
        ("temporarily_unavailable", False),
        ("orderable", True),
        ("NOT_ORDERABLE", False),
        # Punctuation a template leaves after the value.
        ("https://schema.org/InStock;", True),
        ("InStock.", True),
        ("http://schema.org/OutOfStock?", False),
    ],
)
def test_availability_is_normalised(value, available):
    assert parse_availability(value) is available


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        -float("inf"),
        1e999,
        -5,
        "-5",
        "-€5",
        "€-5,00",
        0,
        "0,00",
        0.004,
        10**13,
        int("9" * 400),
        "9" * 400,
        True,
    ],
)
def test_what_is_no_price(value):
    assert parse_price(value) is None


@pytest.mark.parametrize(
    "text, amounts",
    [
        ("44 890 тг. + до 448 бонусов", [44890.0]),
        ("$87.11$87.11", [87.11, 87.11]),
        ("EUR110.00", [110.0]),
        ("Save 10 € now 49 €", [10.0, 49.0]),
        ("2 for 30 EUR", [30.0]),
        ("-€5", [None]),
        ("30,000원~", [30000.0]),
        ("Gift card 20", []),
        ("kr 499,-", [499.0]),
    ],
)
def test_money_is_a_number_beside_a_currency(text, amounts):
    assert money_amounts(text) == amounts


@pytest.mark.parametrize(
    "value, code",
    [
        ("AB-12345", "AB-12345"),
        (93133869, "93133869"),
        ("isbn:9780552173742", "9780552173742"),
        ("SKU: RT-XS", "RT-XS"),
        (" ", None),
        ("{{ product.sku }}", None),
        ("a sentence that is no code at all", None),
        ({"id": 1}, None),
        (True, None),
        ("x" * 65, None),
        # Three letters or digits at least: a counter, a quantity or a size is no code.
        ("A12", "A12"),
        ("0", None),
        (12, None),
        ("XL", None),
        # A template's leftovers: the field's own name, a word for none, a placeholder marker.
        ("SKU", None),
        ("Item no.", None),
        ("TBD", None),
        ("%SKU%", None),
        ("[product_sku]", None),
        # A database's keys: a UUID, an object id, a hash; a long number stays (shops number their items).
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", None),
        ("5f1d7a3b9c8e4a2b1c0d9e8f", None),
        ("D41D8CD98F00B204E9800998ECF8427E", None),
        ("123456789012345678901234", "123456789012345678901234"),
    ],
)
def test_product_codes(value, code):
    assert parse_identifier(value) == code


@pytest.mark.parametrize(
    "value, gtin",
    [
        ("4006381333931", "4006381333931"),
        ("978-0-552-17374-2", "9780552173742"),
        (96385074, "96385074"),
        ("4006381333932", None),
        ("0000000000000", None),
        ("12345", None),
        ("40063813339AB", None),
    ],
)
def test_gtins_need_their_check_digit(value, gtin):
    assert parse_gtin(value) == gtin


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("//cdn.shop.test/a.jpg", "https://cdn.shop.test/a.jpg"),
        ("/img/a.jpg?imwidth=103", "https://shop.test/img/a.jpg"),
        ("/dw/image/a.jpg?sw=780&sh=780&sm=fit", "https://shop.test/dw/image/a.jpg?sm=fit"),
        (
            "https://shop.test/cdn/shop/files/x_600x600.jpg?v=1&width=300",
            "https://shop.test/cdn/shop/files/x.jpg?v=1",
        ),
        ("/newmedia/art_img/MAIN/82e5/.jpg", None),
        ("/static/logo.png", None),
        ("/img/spinner.gif", None),
        ("data:image/png;base64,AAAA", None),
        ("/app?set=source[01_0566155_005_001],type[FABRICSWATCH]", None),
        ('location.origin + "/images/a.jpg"', None),  # a script's expression, not a URL
        ("/img/summer dress.jpg", "https://shop.test/img/summer%20dress.jpg"),
    ],
)
def test_image_urls_are_absolute_large_and_product_shots(raw, expected):
    assert large_image_url(raw, "https://shop.test/p/1.html") == expected


def test_compositions_in_several_styles_and_languages():
    assert parse_composition("95% Viskose, 5% Elasthan") == [
        {"name": "Viskose", "percentage": 95.0},
        {"name": "Elasthan", "percentage": 5.0},
    ]
    assert parse_composition("Baumwolle 60% Polyester 40%") == [
        {"name": "Baumwolle", "percentage": 60.0},
        {"name": "Polyester", "percentage": 40.0},
    ]
    assert parse_composition("Composição :<br> Algodão : 100%") == [{"name": "Algodão", "percentage": 100.0}]
    assert parse_composition("Upper: leather. Sole: synthetic, Lining: leather") == [
        {"name": "leather", "percentage": None},
        {"name": "synthetic", "percentage": None},
    ]
    assert parse_composition("Made in Portugal") == []


def test_json_ld_wrappers_and_entities():
    assert parse_json_text('/*<![CDATA[*/{"brand": {"name": "H&amp;M"}}/*]]>*/') == {"brand": {"name": "H&M"}}
    assert parse_json_text('<!-- {"a": 1} -->') == {"a": 1}
    assert parse_json_text("{'a': 1, 'b': [1, 2,],}") == {"a": 1, "b": [1, 2]}
    assert parse_json_text("not json at all") is None


def test_js_object_literals_with_ternaries_and_string_division():
    html = """<script>var details = {'name': 'Shirt', 'image': isDesktop ? '//a/desktop.jpg' : '//a/mobile.jpg',
              'care': [ '40 degrees'/ 'Iron medium heat' ], 'ok': true,};
              window.app.state = JSON.parse('{"price":"\\u20ac20","title":"It\\'s"}');</script>"""
    assignments = ProductPage("https://shop.test/", html).script_assignments
    assert assignments["details"] == {
        "name": "Shirt",
        "image": "//a/desktop.jpg",
        "care": ["40 degrees", "Iron medium heat"],
        "ok": True,
    }
    assert assignments["app.state"] == {"price": "€20", "title": "It's"}


def test_cache_key_strips_tracking_and_normalises():
    assert (
        cache_key("HTTPS://Shop.TEST:443/p/1?utm_source=x&size=m&gclid=1&colour=red#top")
        == "https://shop.test/p/1?colour=red&size=m"
    )
    assert cache_key("http://shop.test:8080/p") == "http://shop.test:8080/p"


def test_markers_searched_together_answer_as_searched_one_by_one():
    """ProductPage.mark_all settles many markers with one search over them all: each answer is the one a search of
    that marker alone gives, whatever stands on the lines beside it (a word guard at a line's edge, a marker with a
    line break of its own, a match that would run across two lines)."""
    markers = [
        "product-tile",
        "tile-image x",
        "reco",
        "record-list",
        "my-reco",
        "",
        "recommend\nme",
        "related",
        "x b",
        "a y",
        "x reco",
        "related-related-related",
        "grüße reco reco",
        "tile-imagé tile-image",
    ]
    # The second pattern would match across "x b" and "a y": every marker is then searched alone.
    for source in (r"(?<![a-z])recos?(?![a-z])|related|tile-image", r"b\s*a|related"):
        pattern = compile_pattern(source, IGNORECASE)
        page = ProductPage("https://shop.example.com/p/1", "<html></html>")
        page.mark_all(pattern, markers)
        alone = ProductPage("https://shop.example.com/p/1", "<html></html>")
        assert [page.marked(pattern, marker) for marker in markers] == [
            alone.marked(pattern, marker) for marker in markers
        ], source


def test_visible_texts_are_the_bodys_texts_outside_scripts_styles_noscript_and_templates_in_page_order():
    """What a shopper reads: every text of the body (an element's own text and the text after it), none inside a
    script, style, noscript or template (but the text after one is the page's again), none after a comment's
    content; the head's title is no visible text."""
    page = ProductPage(
        "https://shop.example.com/p/1",
        "<html><head><title>Head title</title><script>var head = 1;</script></head><body>Intro"
        "<div>Name <b>Linen</b> shirt<script>var a = '<p>not shown</p>';</script>after script</div>"
        "<!-- a comment -->after comment<style>p { color: red }</style>after style"
        "<noscript>Enable JS <b>please</b></noscript>after noscript"
        "<template><p>Template text</p> template tail</template>after template"
        "<p>SKU <span>AB-1234</span></p>Outro</body></html>",
    )
    assert [text.strip() for text in page.visible_texts] == [
        "Intro",
        "Name",
        "Linen",
        "shirt",
        "after script",
        "after comment",
        "after style",
        "after noscript",
        "after template",
        "SKU",
        "AB-1234",
        "Outro",
    ]


@pytest.mark.parametrize("declared", ["utf-8", "iso-8859-1"])
def test_an_xhtml_page_with_an_xml_declaration_is_read(declared):
    """A page served as XHTML opens with `<?xml version="1.0" encoding="…"?>`: its product is read like any other's,
    and the declared encoding does not decode the (already decoded) text again."""
    product = extract_product(
        url="https://shop.example.com/p/linen-shirt",
        html=f'<?xml version="1.0" encoding="{declared}"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Leinenhemd Größe M</title>'
        '<script type="application/ld+json">{"@type": "Product", "name": "Leinenhemd Größe M",'
        ' "offers": {"price": "49.90", "priceCurrency": "EUR"}}</script></head>'
        "<body><h1>Leinenhemd Größe M</h1></body></html>",
    )
    assert (product["title"], product["price"], product["currency"]) == ("Leinenhemd Größe M", 49.9, "EUR")
