"""Pages with little or no structured data: price, code and stock read from the visible buy box beside the main
heading, and the stock of the product told apart from a sold-out size, a notify-me form of one variant or the badges
of other products. Each page is our own, in the shapes shops print their buy box; what is asserted is what a client
of POST /api/garments/scrape sees.
"""

import pytest

from tests.envelope import error
from tests.garments.conftest import scrape
from tests.garments.test_platform_shapes import json_ld, offer, page
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


@pytest.mark.parametrize(
    "price_html, price",
    [
        # Cents printed in their own element, after whole units (and after a thousands separator).
        ('<div class="price">$229<sup>99</sup></div>', 229.99),
        ('<div class="price">1.299<sup>95</sup> €</div>', 1299.95),
        ("<div><span>€39<span>99</span></span></div>", 39.99),
        # A footnote's superscript number after a price with its cents is no part of it.
        ('<div class="price">€39.99<sup>1</sup></div>', 39.99),
    ],
)
def test_cents_printed_in_their_own_element(client, price_html, price):
    answer = scraped(
        client, URL, page(body=f"<main><div><h1>Linen shirt</h1>{price_html}{CART}</div></main>")
    )
    assert answer["price"] == price


@pytest.mark.parametrize(
    "prices, price, list_price",
    [
        # A "from" price (the lowest of the sizes') beside the price before the reduction, no class naming either.
        ("<span>From €70.50</span><span>€78.50</span>", 70.5, 78.5),
        ("<span>ab 70,50 €</span>", 70.5, None),
        # Two bare amounts: the sale price and the one crossed out by a style, in either order.
        ("<span>€78.50</span><span>€49.00</span>", 49.0, 78.5),
        ("<span>€49.00</span> <span>€78.50</span>", 49.0, 78.5),
        # A range of the variants' prices is no reduction.
        ("<span>$3.499</span> - <span>$4.059</span>", 3499.0, None),
        # A price per unit beside the price is neither the price nor the one before a reduction.
        ("<span>€2.99</span><span>(€14.95/kg)</span>", 2.99, None),
        ('<span class="price">€2.99 <span>(€14.95 / 1 kg)</span></span>', 2.99, None),
        ('<span class="price">€2.99 <span class="unit-price">€14.95</span></span>', 2.99, None),
        # Instalments are not the price.
        ("<span>€120.00</span><span>4 x €30.00</span>", 120.0, None),
    ],
)
def test_sale_from_per_unit_and_instalment_prices_beside_the_heading(client, prices, price, list_price):
    answer = scraped(
        client, URL, page(body=f"<main><div><h1>Linen shirt</h1><div>{prices}</div>{CART}</div></main>")
    )
    assert (answer["price"], answer["list_price"]) == (price, list_price)


def test_a_price_whose_parts_are_named_unit_and_a_count_of_buyers_beside_it(client):
    """ "unit" in a class names a price's own parts (its number, its currency), not a unit price; a count of buyers
    beside a price whose symbol follows it is no amount of money."""
    html = page(
        body='<main><div class="deal"><h1>Linen shirt</h1><p class="deal_price_sell">'
        '<strong class="number_unit">30,000<sub class="text_unit">원~</sub></strong>'
        '<span class="deal_price_buy_count"><span class="number_unit">29개 구매</span></span></p>'
        f"{CART}</div></main>"
    )
    answer = scraped(client, "https://shop.example.kr/deal/4548", html)
    assert (answer["price"], answer["currency"]) == (30000.0, "KRW")


def test_headings_of_tiles_linking_to_other_products_are_not_the_products_name(client):
    """A page listing deals names each tile by an h1 inside its link; the product's own name is a lower heading the
    page's title names. A heading linking to the page itself is still its name."""
    tiles = "".join(
        f'<li><a href="/deal/{number}"><img src="/t{number}.jpg" alt=""><h1>{name}</h1>'
        f'<span class="price">{price} €</span></a></li>'
        for number, name, price in ((11, "Wool coat", 99), (12, "Silk shirt", 89))
    )
    deal = (
        f'<div class="deal"><h2 class="deal-title">Linen shirt</h2><p class="deal-price">39 €</p>{CART}</div>'
    )
    html = (
        "<html><head><title>Linen shirt - Deals</title></head>"
        f"<body><main>{deal}<ul>{tiles}</ul></main></body></html>"
    )
    answer = scraped(client, "https://shop.example.com/deal/10", html)
    assert (answer["title"], answer["price"]) == ("Linen shirt", 39.0)
    own = html.replace(
        '<h2 class="deal-title">Linen shirt</h2>', '<a href="/deal/10"><h1>Linen shirt</h1></a>'
    )
    answer = scraped(client, "https://shop.example.com/deal/10", own)
    assert (answer["title"], answer["price"]) == ("Linen shirt", 39.0)


@pytest.mark.parametrize(
    "details, sku, brand",
    [
        # A label alone in its cell or box, the value in the next one.
        (
            "<table><tr><td><span>Item #</span></td><td><span>77-1204</span></td></tr></table>",
            "77-1204",
            None,
        ),
        (
            '<div class="row"><div class="label"><span>Ref.</span></div><div class="value">ZX-5540</div></div>',
            "ZX-5540",
            None,
        ),
        (
            "<table><tr><td><span>ID Produto</span></td><td><span>1257009</span></td></tr></table>",
            "1257009",
            None,
        ),
        ("<table><tr><td><span>Marca</span></td><td><span>Lumo</span></td></tr></table>", None, "Lumo"),
        # A label and its code set apart by a long run of white space.
        (f'<span class="prd-sku">Sku:{" " * 60}480464{" " * 40}</span>', "480464", None),
        # The cell after a label holds no code, or the label's cell holds more than the label.
        ("<table><tr><td><span>Ref.</span></td><td><span>Ask our staff</span></td></tr></table>", None, None),
        ("<table><tr><td><span>Weight</span></td><td><span>1200 g</span></td></tr></table>", None, None),
        (
            "<table><tr><td><span>Item #</span><span>see below</span></td><td><span>77-1204</span></td></tr></table>",
            None,
            None,
        ),
    ],
)
def test_the_code_and_brand_in_the_cell_after_their_label(client, details, sku, brand):
    answer = scraped(client, URL, buy_box(details + CART))
    assert (answer["sku"], answer["brand"]) == (sku, brand)


@pytest.mark.parametrize(
    "inside, availability",
    [
        # The product's own sold-out words beside the heading, no element named for stock, no add-to-cart control.
        ("<p>Leider ausverkauft</p>", "OutOfStock"),
        ("<div><span>Agotado</span></div>", "OutOfStock"),
        ("<p>Out of stock</p><button>Notify me when available</button>", "OutOfStock"),
        # Stock counters.
        ('<p class="stock">0 in stock</p>', "OutOfStock"),
        ('<p class="stock">3 in stock</p>', "InStock"),
        ("<p>Stock: 0</p>", "OutOfStock"),
        ("<p>Only 2 left!</p>" + CART, "InStock"),
        # A size's or a way of getting it is not the product's stock; nor is a sold-out message beside a usable
        # add-to-cart control.
        ('<ul class="size-list"><li>S - sold out</li><li>M</li></ul>', "InStock"),
        ("<p>Size S is sold out</p>", "InStock"),
        ("<p>Not available in stores</p>", "InStock"),
        ("<p>Sold out</p>" + CART, "InStock"),
        # A sold-out word as the value of another field (a product detail) is not the product's stock; under a
        # stock label it is.
        ("<table><tr><th>Non-stick coating</th><td>Not available</td></tr></table>", "InStock"),
        (
            "<table><tr><td>Antihaftbeschichtung</td><td><span>nicht verfügbar</span></td></tr></table>",
            "InStock",
        ),
        ("<p>Gift wrapping: unavailable</p>", "InStock"),
        ("<dl><dt>Availability</dt><dd>Sold out</dd></dl>", "OutOfStock"),
        ("<table><tr><th>Stock status</th><td>Out of stock</td></tr></table>", "OutOfStock"),
    ],
)
def test_stock_a_shopper_reads_beside_the_heading(client, inside, availability):
    answer = scraped(client, URL, buy_box(inside))
    assert (answer["price"], answer["availability"]) == (39.0, availability)


@pytest.mark.parametrize(
    "heading, title, brand",
    [
        # The heading holds its template, the brand in an element of its own and a colour the page hides.
        (
            '<h1 class="pdp-title"><script type="text/x-handlebars-template">{{#if brand}}<a class="pdp-brand">'
            '{{brand}}</a>{{/if}} {{name}}</script><div><a class="pdp-brand" href="/brands/lumo">Lumo</a> Linen'
            ' shirt <span class="h-hide">ecru</span></div></h1>',
            "Linen shirt",
            "Lumo",
        ),
        # Words the heading only emphasises stay in its name.
        ("<h1>Linen <em>shirt</em></h1>", "Linen shirt", None),
    ],
)
def test_the_name_a_heading_shows(client, heading, title, brand):
    html = page(
        body=f'<main><div class="product">{heading}<span class="price">€39.00</span>{CART}</div></main>'
    )
    answer = scraped(client, URL, html)
    assert (answer["title"], answer["brand"], answer["price"]) == (title, brand, 39.0)


def test_gallery_images_an_image_server_renders_by_query(client):
    """An image server's address need not look like an image file; the <img>'s own source is one when written out in
    full. A relative placeholder ("null") is no image."""
    gallery = "".join(
        f'<img src="//images.example.com/render?set=source[01_4471_{view}],type[LOOK]" alt="Linen shirt, view {view}">'
        for view in ("001", "002")
    )
    html = buy_box(f'<div class="slides">{gallery}<img src="null" alt="Linen shirt"></div>' + CART)
    answer = scraped(client, URL, html)
    assert answer["images"] == [
        "https://images.example.com/render?set=source[01_4471_001],type[LOOK]",
        "https://images.example.com/render?set=source[01_4471_002],type[LOOK]",
    ]


def test_the_currency_of_a_price_block_holding_its_template(client):
    """A price block holding the template its script renders ("{{price}}") beside the rendered price."""
    price = (
        '<div class="product-price"><script type="text/x-handlebars-template"><span class="price">{{price}}</span>'
        '</script><div class="js-target"><span class="price-item">50,00 €</span></div></div>'
    )
    answer = scraped(client, URL, page(body=f"<main><div><h1>Linen shirt</h1>{price}{CART}</div></main>"))
    assert (answer["price"], answer["currency"]) == (50.0, "EUR")


def test_the_brand_named_closest_to_the_heading(client):
    """A wishlist button elsewhere carries the brand's key; the brand line above the product's name prints it as the
    shop writes it. Without that line the key is still the brand."""
    wishlist = '<div class="tools"><button class="wishlist-button" data-brand="lumo">♡</button></div>'
    line = '<h2 class="product__brandname"><a href="/lumo/">Lumo Atelier</a></h2>'
    html = page(
        body=f'<main>{wishlist}<div class="product">{line}<h1>Linen shirt</h1><span class="price">€39.00</span>'
        f"{CART}</div></main>"
    )
    assert scraped(client, URL, html)["brand"] == "Lumo Atelier"
    assert scraped(client, URL, html.replace(line, ""))["brand"] == "lumo"


@pytest.mark.parametrize(
    "prices, price",
    [
        # Elements a shop names as prices that hold a price per unit of measure, an instalment or a monthly rate,
        # before the price to pay.
        ('<span class="price">€12.50/kg</span><span class="price">€25.00</span>', 25.0),
        ('<span class="price">12,50 € pro kg</span><span class="price">25,00 €</span>', 25.0),
        ('<span class="price">from €9/month</span><span class="price">€199.00</span>', 199.0),
        ('<span class="price">€10 x 4</span><span class="price">€40.00</span>', 40.0),
        # The negative: a count of items after the slash is what the price buys.
        ('<span class="price">£3 / 3 pack</span>', 3.0),
    ],
)
def test_a_price_per_unit_or_instalment_named_as_a_price_is_not_the_price(client, prices, price):
    answer = scraped(client, URL, page(body=f"<main><div><h1>Linen shirt</h1>{prices}{CART}</div></main>"))
    assert answer["price"] == price


@pytest.mark.parametrize(
    "price, words, currency, availability",
    [
        ("399 lei", "Stoc epuizat", "RON", "OutOfStock"),
        ("39,00 €", "Loppu varastosta", "EUR", "OutOfStock"),
        ("39,00 €", "Εξαντλήθηκε", "EUR", "OutOfStock"),
        ("3 900 Ft", "Nincs készleten", "HUF", "OutOfStock"),
        ("Rp 39.000", "Stok habis", "IDR", "OutOfStock"),
        ("39.000 ₫", "Hết hàng", "VND", "OutOfStock"),
        ("39 ر.س", "نفدت الكمية", "SAR", "OutOfStock"),
        ("390 грн", "Немає в наявності", "UAH", "OutOfStock"),
        ("39 лв", "Изчерпан", "BGN", "OutOfStock"),
        ("39,00 €", "Nema na zalihi", "EUR", "OutOfStock"),
        ("39,00 €", "Nedostupno", "EUR", "OutOfStock"),
        ("฿390", "สินค้าหมด", "THB", "OutOfStock"),
        ("39,00 TL", "Tükendi", "TRY", "OutOfStock"),
        ("RM 39.00", "Stok habis", "MYR", "OutOfStock"),
        # The negatives: the same languages' words for a product in stock.
        ("399 lei", "În stoc", "RON", "InStock"),
        ("39.000 ₫", "Còn hàng", "VND", "InStock"),
        ("390 грн", "В наявності", "UAH", "InStock"),
        ("39,00 €", "Na zalihi", "EUR", "InStock"),
        ("Rp 39.000", "Stok tersedia", "IDR", "InStock"),
    ],
)
def test_stock_words_and_currencies_of_more_languages_beside_the_heading(
    client, price, words, currency, availability
):
    box = f'<main><div class="product"><h1>Linen shirt</h1><span class="price">{price}</span><p>{words}</p></div></main>'
    answer = scraped(client, URL, page(body=box))
    assert (answer["currency"], answer["availability"]) == (currency, availability)


@pytest.mark.parametrize(
    "controls, availability",
    [
        # No add-to-cart control: the button in its place says the product cannot be bought now.
        ('<button class="btn">Notify me when available</button>', "OutOfStock"),
        ('<a class="button" href="/alerts">Email me when back in stock</a>', "OutOfStock"),
        ('<button type="button">Ausverkauft</button>', "OutOfStock"),
        # The negatives: a size's notify-me button in the size picker, a pre-order button, a notify-me button beside
        # a usable add-to-cart control.
        (
            '<div class="size-selector"><span>S</span><button class="btn">Notify me</button></div>',
            "InStock",
        ),
        ('<button class="btn">Pre-order now</button>', "InStock"),
        ('<button class="btn">Notify me when available</button>' + CART, "InStock"),
    ],
)
def test_a_sold_out_button_in_place_of_the_add_to_cart_control(client, controls, availability):
    answer = scraped(client, URL, buy_box(controls))
    assert answer["availability"] == availability


@pytest.mark.parametrize(
    "prices, price, currency",
    [
        # A price printed under a label in its own text.
        ("<p>Preis: 39,00 €</p>", 39.0, "EUR"),
        ("<p>Our price: €39.00</p>", 39.0, "EUR"),
        # A number alone in an element named as a price, its currency drawn by a style: the page's currency.
        ('<span class="price">39.00</span>', 39.0, None),
        ('<span class="product-price">1.299,00</span>', 1299.0, None),
        # A currency whose minor unit is a thousandth: one separator before three digits is its decimal point.
        ('<span class="price">KWD 12.500</span>', 12.5, "KWD"),
        ('<span class="price">12.500 د.ك</span>', 12.5, "KWD"),
        # The negatives: a list price's label is no price label, a count or a rating in an element named for the
        # price is no price, and elsewhere three digits after one separator are thousands.
        ("<p>Retail price: €59.00</p>", None, None),
        ('<span class="price-rating">4.5</span>', None, None),
        ('<span class="price">€1.299</span>', 1299.0, "EUR"),
    ],
)
def test_prices_printed_with_a_label_without_a_currency_or_in_thousandths(client, prices, price, currency):
    answer = scraped(client, URL, page(body=f"<main><div><h1>Linen shirt</h1>{prices}{CART}</div></main>"))
    assert (answer["price"], answer["currency"] if price else None) == (price, currency)


@pytest.mark.parametrize(
    "price, words, availability",
    [
        # A sold-out message written as a negation of an in-stock word, in a stock element or in plain text.
        ("€39.00", '<p class="stock">Produit non disponible</p>', "OutOfStock"),
        ("€39.00", "<p>Ce produit n'est pas disponible</p>", "OutOfStock"),
        ("R$ 39,00", '<span class="availability">Este produto não está disponível</span>', "OutOfStock"),
        ("39,00 €", "<p>Non è disponibile</p>", "OutOfStock"),
        ("39,00 €", "<p>No está disponible</p>", "OutOfStock"),
        ("399 lei", '<p class="stock">Produsul nu este disponibil</p>', "OutOfStock"),
        ("₪39", '<div class="stock">המוצר אינו במלאי</div>', "OutOfStock"),
        ("₪39", "<p>אין במלאי</p>", "OutOfStock"),
        ("$39.00", '<p class="stock">Not currently available</p>', "OutOfStock"),
        # The negatives: the same words without the negation, and a negation of something else before them.
        ("€39.00", '<p class="stock">Disponible</p>', "InStock"),
        ("R$ 39,00", '<span class="availability">Disponível</span>', "InStock"),
        ("₪39", '<div class="stock">במלאי</div>', "InStock"),
        ("$39.00", '<p class="stock">No minimum order. In stock</p>', "InStock"),
        ("€39.00", '<p class="stock">Non-stick coating. In stock</p>', "InStock"),
    ],
)
def test_a_sold_out_message_that_negates_an_in_stock_word(client, price, words, availability):
    box = f'<main><div class="product"><h1>Linen shirt</h1><span class="price">{price}</span>{words}</div></main>'
    answer = scraped(client, URL, page(body=box))
    assert (answer["price"] is not None, answer["availability"]) == (True, availability)


def test_a_sold_out_product_whose_buy_box_holds_only_the_sold_out_sentence(client):
    # No price and no add-to-cart control: where the price would stand, the page says the product is not in stock.
    details = (
        '<p>קוד מוצר: 101693</p><div class="product_page_price price"><div class="price-new">{}</div></div>'
    )
    html = page(body=f"<main><h1>Eau de toilette 200 ml</h1>{details.format('המוצר אינו במלאי')}</main>")
    answer = scraped(client, URL, html)
    assert (answer["title"], answer["price"], answer["availability"], answer["sku"]) == (
        "Eau de toilette 200 ml",
        None,
        "OutOfStock",
        "101693",
    )
    # The negative: the same heading and code with nothing about stock or a price is no product page.
    error(
        scrape(
            client, URL, html=page(body=f"<main><h1>Eau de toilette 200 ml</h1>{details.format('')}</main>")
        ),
        422,
        "NO_PRODUCT_FOUND",
    )


@pytest.mark.parametrize(
    "stated_price, stated, box, availability",
    [
        # The data's offer has no price (a placeholder): the buy box's usable add-to-cart control or message decides.
        ("0", "OutOfStock", '<span class="price">€39.00</span>' + CART, "InStock"),
        ("", "InStock", '<span class="price">€39.00</span><p class="stock">Sold out</p>', "OutOfStock"),
        # The negatives: an offer with its price keeps its stock beside an add-to-cart control, and a placeholder
        # offer keeps it where the buy box says nothing about stock.
        ("39.00", "OutOfStock", '<span class="price">€39.00</span>' + CART, "OutOfStock"),
        ("0", "OutOfStock", '<span class="price">€39.00</span>', "OutOfStock"),
    ],
)
def test_the_stock_of_an_offer_without_a_price_against_the_buy_box(
    client, stated_price, stated, box, availability
):
    data = json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "Linen shirt",
            "offers": offer(stated_price, stated),
        }
    )
    html = page(head=data, body=f'<main><div class="product"><h1>Linen shirt</h1>{box}</div></main>')
    answer = scraped(client, URL, html)
    assert (answer["price"], answer["availability"]) == (39.0, availability)
