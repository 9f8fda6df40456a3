"""Pages with little or no structured data: price, code and stock read from the visible buy box beside the main
heading, and the stock of the product told apart from a sold-out size, a notify-me form of one variant or the badges
of other products. Each page is our own, in the shapes shops print their buy box; what is asserted is what a client
of POST /api/garments/scrape sees.
"""

import pytest

from tests.envelope import error
from tests.garments.conftest import scrape
from tests.garments.test_platform_shapes import page
from tests.garments.test_product_facts import scraped

URL = "https://shop.example.com/p/linen-shirt"
CART = """<form action="/cart/add" method="post"><input type="number" name="quantity" value="1">
    <button type="submit" class="add-to-cart">Add to cart</button></form>"""


def buy_box(inside, after=""):
    return page(
        body=f"""<main><div class="product"><h1>Linen shirt</h1><span class="price">€39.00</span>{inside}</div>
        {after}</main>"""
    )


@pytest.mark.parametrize(
    "inside, after",
    [
        # A sold-out size beside sizes in stock.
        (
            '<ul class="sizes"><li class="size-option sold-out">S <span>Sold out</span></li>'
            '<li class="size-option">M</li></ul>' + CART,
            "",
        ),
        ('<select name="size"><option>S - Sold out</option><option>M</option></select>' + CART, ""),
        # A notify-me form for one variant, before or after the add-to-cart form.
        (
            '<div class="back-in-stock"><p>Size S is out of stock. Notify me when it is back</p>'
            '<form><input type="email" name="email"><button>Notify me</button></form></div>' + CART,
            "",
        ),
        # Other products' sold-out badges in a carousel.
        (
            CART,
            '<section class="recommendations"><h2>You may also like</h2><div class="tile"><h3>Wool coat</h3>'
            '<span class="price">€99</span><span class="badge">Sold out</span></div></section>',
        ),
    ],
)
def test_sold_out_words_that_are_not_the_products_stock(client, inside, after):
    answer = scraped(client, URL, buy_box(inside, after))
    assert (answer["price"], answer["availability"]) == (39.0, "InStock")


def test_the_products_own_sold_out_message_and_disabled_button(client):
    disabled = CART.replace('<button type="submit"', "<button type=submit disabled")
    answer = scraped(client, URL, buy_box('<p class="stock out-of-stock">Out of stock</p>' + disabled))
    assert answer["availability"] == "OutOfStock"


@pytest.mark.parametrize(
    "box, price, sku",
    [
        # A price no class names, in a span with the currency's symbol or code, and a code under a label.
        (
            '<span>39,00 €</span><span>Artikelnummer: 77-1204</span><button type="submit">In den Warenkorb</button>',
            39.0,
            "77-1204",
        ),
        ("<span>EUR 39.00</span><span>Code: LS-220</span>", 39.0, "LS-220"),
        # Baltic labels, with or without a colon.
        ("<span>39,00 €</span><div>Produkta kods 7730412</div>", 39.0, "7730412"),
        ("<span>39,00 €</span><div>Prekės kodas: LT-5521</div>", 39.0, "LT-5521"),
        ("<span>39,00 €</span><div>Tootekood 448812</div>", 39.0, "448812"),
        (
            '<p>1.299,00 €</p><p>Šifra: 10452</p><form action="/kosarica/add"><input type="number" name="qty" value="1">'
            "<button>Dodaj u košaricu</button></form>",
            1299.0,
            "10452",
        ),
    ],
)
def test_price_and_code_of_a_buy_box_without_price_classes(client, box, price, sku):
    html = page(body=f'<main><h1>Linen shirt</h1><div class="buy">{box}</div></main>')
    answer = scraped(client, URL, html)
    assert (answer["title"], answer["price"], answer["sku"], answer["availability"]) == (
        "Linen shirt",
        price,
        sku,
        "InStock",
    )


def test_amounts_with_words_beside_them_are_no_price(client):
    html = page(
        body="<main><div><h1>Linen shirt</h1><p>Save €20</p><p>Free shipping over €50</p></div></main>"
    )
    error(scrape(client, URL, html=html), 422, "NO_PRODUCT_FOUND")


def test_a_heading_above_a_grid_of_prices_is_a_list_of_products(client):
    tiles = "".join(
        f'<div><a href="/p/{name}">{name}</a><span>€{price}.00</span></div>'
        for name, price in (("linen-shirt", 39), ("oxford-shirt", 49), ("silk-shirt", 89))
    )
    html = page(body=f'<main><h1>Shirts</h1><div class="grid">{tiles}</div></main>')
    error(scrape(client, "https://shop.example.com/c/shirts", html=html), 422, "NO_PRODUCT_FOUND")


@pytest.mark.parametrize(
    "inside, after, sku",
    [
        # An element named as the product's code prints it without a label.
        ('<span class="sku">AB-1234</span>', "", "AB-1234"),
        ('<div class="product-sku">AB-1234</div>', "", "AB-1234"),
        ('<p class="pdp-item-number">992.775.08</p>', "", "992.775.08"),
        # Hidden (a variant's code the script fills in), a selector of variants, words, another product's tile.
        ('<span class="sku" style="display:none">AB-1234</span>', "", None),
        ('<div class="sku-selector"><button>S 36</button><button>M 38</button></div>', "", None),
        ('<span class="product-code">Not available</span>', "", None),
        (
            "",
            '<section class="related-products"><div class="product-tile"><h3>Wool coat</h3>'
            '<span class="sku">WC-2001</span><span class="price">€99</span></div></section>',
            None,
        ),
    ],
)
def test_the_code_an_element_named_as_the_products_code_prints(client, inside, after, sku):
    answer = scraped(client, URL, buy_box(inside + CART, after))
    assert answer["sku"] == sku


def test_a_price_shown_beside_a_hidden_copy_of_its_bare_number(client):
    """Shops keep the bare number for their scripts in a hidden span inside the shown price ("1,679" + "1679")."""
    html = page(
        body='<main><h1>Linen shirt</h1><div class="price-new"><span>only</span> <span>1,679</span>'
        ' <span class="price-value" style="display:none;">1679</span> <span class="currency">₪</span></div>'
        + CART
        + "</main>"
    )
    answer = scraped(client, URL, html)
    assert (answer["price"], answer["currency"], answer["availability"]) == (1679.0, "ILS", "InStock")


def test_the_shops_tile_price_component_reused_beside_the_heading(client):
    """A price block named after the shop's product tiles, with no photo or name of a product in it, is the main
    product's price; a price with a line-through class is the crossed-out one. A real tile below still is another
    product's."""
    price = (
        '<div class="product-tile-price"><span class="product-tile-price-item product-tile-price-item--line-through">'
        '99,99 €</span> <span class="product-tile-price-item">50,00 €</span>'
        '<span class="tax">incl. VAT, plus <a href="/content/delivery">delivery</a></span></div>'
    )
    tile = (
        '<section><div class="product-tile"><a href="/p/wool-coat"><img src="/coat.jpg" alt="Wool coat"></a>'
        '<h3>Wool coat</h3><div class="product-tile-price"><span class="product-tile-price-item">74,99 €</span>'
        "</div></div></section>"
    )
    html = page(body=f'<main><div class="pdp"><h1>Linen shirt</h1>{price}{CART}</div>{tile}</main>')
    answer = scraped(client, URL, html)
    assert (answer["price"], answer["list_price"], answer["currency"]) == (50.0, 99.99, "EUR")


def test_a_tile_price_under_a_category_heading_is_no_product(client):
    tiles = "".join(
        f'<div class="product-tile"><a href="/p/{name}"><img src="/{name}.jpg" alt="{name}"></a>'
        f'<div class="product-tile-price"><span class="product-tile-price-item">{price},00 €</span></div></div>'
        for name, price in (("linen-shirt", 39), ("oxford-shirt", 49), ("silk-shirt", 89))
    )
    html = page(body=f'<main><h1>Shirts</h1><div class="grid">{tiles}</div></main>')
    error(scrape(client, "https://shop.example.com/c/shirts", html=html), 422, "NO_PRODUCT_FOUND")


def test_a_converted_approximate_price_beside_the_price_is_not_the_price(client):
    """Marketplaces print the price in the seller's currency under a label and an approximation in the shopper's;
    a hidden shipping line sits beside it."""
    html = page(
        body='<main><h1>Linen shirt</h1><div class="buy"><div class="label">Price:</div><div class="item-price">'
        '<span class="amount">GBP 11.19</span><div class="ship-cost" style="display: none">+GBP 2.00 shipping</div>'
        '<div class="convPrice">Approximately <span id="convPriceValue">C $19.38</span></div></div>'
        f"{CART}</div></main>"
    )
    answer = scraped(client, URL, html)
    assert (answer["price"], answer["currency"]) == (11.19, "GBP")


def test_a_price_named_only_by_its_test_hook_on_a_page_of_generated_class_names(client):
    """Pages built with generated class names ("b_3bZBOZx4nL") still name their parts for their tests
    (data-testid, data-auto); a discount badge and other offers' amounts sit beside the price."""
    html = page(
        body='<main><div class="x_1a2B"><h1 class="x_9fQ">Linen shirt</h1><div class="x_7Yt">'
        '<div class="x_0pQ" data-auto="old-price"><s>1 529 ₽</s></div>'
        '<div class="x_3bZ" data-auto="price"><span class="x_1pT"><span>899</span> <span class="x_3nX">₽</span>'
        '</span></div><div data-auto="discount-badge"><span>41</span>%</div></div>'
        '<button class="x_5Rr" data-testid="add-to-cart">В корзину</button></div></main>'
    )
    answer = scraped(client, URL, html)
    assert (answer["price"], answer["list_price"], answer["currency"], answer["availability"]) == (
        899.0,
        1529.0,
        "RUB",
        "InStock",
    )
