"""SKU, GTIN, stock and the crossed-out price, from every layer, and pages that show them without any data.

Each page is our own, written in the shape real shops publish (schema.org, app state, meta tags, plain
markup); what is asserted is what a client of POST /api/garments/scrape sees.
"""

import json

import pytest

from tests.envelope import error
from tests.garments.conftest import product_of, scrape
from tests.garments.test_platform_shapes import json_ld, offer, page


def facts(product):
    return {key: product[key] for key in ("price", "list_price", "currency", "sku", "gtin", "availability")}


def scraped(client, url, html):
    return product_of(scrape(client, url, html=html))


def test_json_ld_code_barcode_stock_and_strike_through_price(client):
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Rain jacket",
        "sku": "RJ-204",
        "gtin13": "4006381333931",
        "mpn": "MK-77",
        "offers": {
            "@type": "Offer",
            "availability": "https://schema.org/InStock",
            "priceSpecification": [
                {
                    "@type": "UnitPriceSpecification",
                    "priceType": "https://schema.org/StrikethroughPrice",
                    "price": 149.0,
                    "priceCurrency": "EUR",
                },
                {"@type": "UnitPriceSpecification", "price": 119.0, "priceCurrency": "EUR"},
            ],
        },
    }
    answer = scraped(client, "https://shop.example.com/p/rain-jacket", page(head=json_ld(product)))
    assert facts(answer) == {
        "price": 119.0,
        "list_price": 149.0,
        "currency": "EUR",
        "sku": "RJ-204",
        "gtin": "4006381333931",
        "availability": "InStock",
    }
    assert answer["field_sources"]["sku"] == answer["field_sources"]["availability"] == "json-ld"

    # A barcode whose check digit is wrong is no GTIN; the maker's part number stands in for a missing SKU.
    product.update(gtin13="4006381333932", sku=" ")
    answer = scraped(client, "https://shop.example.com/p/rain-jacket", page(head=json_ld(product)))
    assert (answer["gtin"], answer["sku"]) == (None, "MK-77")


def test_the_code_the_url_names_wins_and_stock_is_the_products_or_the_selected_variants(client):
    # The page's URL carries the part number, not the model name the shop put in `sku`.
    laptop = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Desktop computer",
        "sku": "TOWER 9010 I7",
        "mpn": "144432",
        "offers": offer("1679"),
    }
    assert (
        scraped(client, "https://shop.example.com/Prod/144432/", page(head=json_ld(laptop)))["sku"]
        == "144432"
    )

    # One offer per size: the product is in stock when one size is; the variant the URL selects speaks for itself.
    boots = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Winter boots",
        "sku": "WB-100",
        "offers": [
            offer("89", "OutOfStock", sku="WB-100-40", size="40"),
            offer("89", "InStock", sku="WB-100-41", size="41"),
        ],
    }
    answer = scraped(client, "https://shop.example.com/p/winter-boots-wb-100.html", page(head=json_ld(boots)))
    assert (answer["sku"], answer["availability"]) == ("WB-100", "InStock")
    group = {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "Winter boots",
        "productGroupID": "WB",
        "hasVariant": [
            {"@type": "Product", "sku": "WB-40", "size": "40", "offers": offer("89", "OutOfStock")},
            {"@type": "Product", "sku": "WB-41", "size": "41", "offers": offer("89")},
        ],
    }
    answer = scraped(
        client, "https://shop.example.com/p/winter-boots?variant=WB-40", page(head=json_ld(group))
    )
    assert (answer["sku"], answer["availability"]) == ("WB-40", "OutOfStock")
    assert answer["sizes"] == [{"name": "40", "available": False}, {"name": "41", "available": True}]
    # A variant's code run into a longer number of the URL selects nothing: the product speaks.
    numbered = {
        **group,
        "productGroupID": "BT-7",
        "hasVariant": [{**group["hasVariant"][0], "sku": "2345"}, {**group["hasVariant"][1], "sku": "6789"}],
    }
    answer = scraped(client, "https://shop.example.com/p/boots-123456", page(head=json_ld(numbered)))
    assert (answer["sku"], answer["availability"]) == ("BT-7", "InStock")
    answer = scraped(
        client, "https://shop.example.com/p/boots-123456?size=2345", page(head=json_ld(numbered))
    )
    assert (answer["sku"], answer["availability"]) == ("2345", "OutOfStock")


def test_microdata_sku_and_availability_link(client):
    html = page(
        body="""
      <div itemscope itemtype="https://schema.org/Product">
        <h1 itemprop="name">Canvas tote</h1><span itemprop="productID">CT-9</span>
        <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
          <meta itemprop="price" content="25.00"><meta itemprop="priceCurrency" content="GBP">
          <link itemprop="availability" href="https://schema.org/OutOfStock"></div></div>"""
    )
    answer = scraped(client, "https://shop.example.com/canvas-tote", html)
    assert (answer["sku"], answer["availability"], answer["price"]) == ("CT-9", "OutOfStock", 25.0)
    # Stock written in words, in the shop's language.
    for words, availability in (("Sofort lieferbar", "InStock"), ("Nicht mehr lieferbar", "OutOfStock")):
        html_in_words = html.replace(
            '<link itemprop="availability" href="https://schema.org/OutOfStock">',
            f'<span itemprop="availability">{words}</span>',
        )
        assert (
            scraped(client, "https://shop.example.com/canvas-tote", html_in_words)["availability"]
            == availability
        )


def test_rdfa_product_with_prefixed_names(client):
    html = page(
        body="""
      <div vocab="http://schema.org/" prefix="schema: http://schema.org/" typeof="schema:Product">
        <h1 property="schema:name">Felt slippers</h1>
        <span property="brand" typeof="Brand"><span property="name">Hutte</span></span>
        <span property="sku">FS-12</span>
        <div property="offers" typeof="Offer"><span property="price" content="39.90">39,90 €</span>
          <meta property="priceCurrency" content="EUR">
          <span property="availability" resource="http://schema.org/OutOfStock">Sold out</span></div>
        <nav typeof="BreadcrumbList"><span property="itemListElement" typeof="ListItem">
          <span property="name">Home</span></span></nav>
      </div>"""
    )
    answer = scraped(client, "https://shop.example.com/p/felt-slippers", html)
    assert (answer["title"], answer["brand"]) == ("Felt slippers", "Hutte")
    assert facts(answer) == {
        "price": 39.9,
        "list_price": None,
        "currency": "EUR",
        "sku": "FS-12",
        "gtin": None,
        "availability": "OutOfStock",
    }
    assert answer["field_sources"]["availability"] == "microdata"


def test_microdata_product_inside_an_rdfa_page_item_and_the_other_way_round(client):
    """An item of one syntax inside an item of the other is still a top-level item of its own syntax (a CMS marks its
    pages up as RDFa WebPages, the shop's template its product as microdata); inside an item of its own syntax that is
    no property, it is not (another product's tile inside the product)."""
    product = """<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Canvas tote</h1>
      <span itemprop="productID">CT-9</span><div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <meta itemprop="price" content="25.00"><meta itemprop="priceCurrency" content="GBP">
        <link itemprop="availability" href="https://schema.org/OutOfStock"></div>{inside}</div>"""
    tile = """<div itemscope itemtype="https://schema.org/Product"><span itemprop="productID">OTHER-1</span>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="9.00">
        <meta itemprop="priceCurrency" content="GBP"></div></div>"""
    in_rdfa = f'<div vocab="http://schema.org/" typeof="WebPage">{product.format(inside="")}</div>'
    answer = scraped(client, "https://shop.example.com/canvas-tote", page(body=in_rdfa))
    assert (answer["sku"], answer["price"], answer["availability"]) == ("CT-9", 25.0, "OutOfStock")
    assert answer["field_sources"]["sku"] == "microdata"
    with_tile = page(body=product.format(inside=tile))
    answer = scraped(client, "https://shop.example.com/canvas-tote", with_tile)
    assert (answer["sku"], answer["price"]) == ("CT-9", 25.0)


def test_app_state_codes_stock_and_compare_at_price_whatever_the_keys(client):
    state = {
        "props": {
            "pageProps": {
                "product": {
                    "productName": "Linen shirt",
                    "brandName": "Osterlund",
                    "productSKU": "LS-200",
                    "ean": "4006381333931",
                    "price": {"current": 59.0, "currency": "EUR"},
                    "compareAtPrice": 79.0,
                    "isInStock": False,
                    "images": ["https://cdn.example.com/ls-1.jpg"],
                }
            }
        }
    }
    html = page(body=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>')
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert facts(answer) == {
        "price": 59.0,
        "list_price": 79.0,
        "currency": "EUR",
        "sku": "LS-200",
        "gtin": "4006381333931",
        "availability": "OutOfStock",
    }
    assert answer["field_sources"]["sku"] == "app-state"

    # The variant the URL names gives its own code and stock.
    state = {
        "product": {
            "name": "Linen shirt",
            "brand": "Osterlund",
            "price": 59.0,
            "currencyCode": "EUR",
            "variants": [
                {"id": 88101, "articleNumber": "LS-200-S", "size": "S", "stock": 0},
                {"id": 88102, "articleNumber": "LS-200-M", "size": "M", "stock": 4},
            ],
        }
    }
    html = page(body=f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>")
    answer = scraped(client, "https://shop.example.com/p/linen-shirt?variant=88101", html)
    assert (answer["sku"], answer["availability"]) == ("LS-200-S", "OutOfStock")
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert answer["availability"] == "InStock"  # one of its sizes is


def test_meta_tags_stock_catalogue_id_and_sale_price(client):
    head = (
        '<meta property="og:type" content="product"><meta property="og:title" content="Wool scarf">'
        '<meta property="product:price:amount" content="40.00"><meta property="product:price:currency" '
        'content="EUR"><meta property="product:sale_price:amount" content="30.00">'
        '<meta property="product:availability" content="out of stock">'
        '<meta property="product:retailer_item_id" content="WS-31">'
    )
    answer = scraped(client, "https://shop.example.com/p/wool-scarf", page(head=head))
    assert facts(answer) == {
        "price": 30.0,
        "list_price": 40.0,
        "currency": "EUR",
        "sku": "WS-31",
        "gtin": None,
        "availability": "OutOfStock",
    }
    # A catalogue id that is a valid barcode is the barcode; the code in the URL is the shop's when the page prints it.
    head = head.replace('content="WS-31"', 'content="9780552173742"')
    answer = scraped(
        client,
        "https://shop.example.com/books/the-one-device-1605177813.html",
        page(head=head, body="<p>Ref. 1605177813</p>"),
    )
    assert (answer["gtin"], answer["sku"]) == ("9780552173742", "1605177813")
    # A price meta tag written for people: "30,000원~".
    answer = scraped(
        client,
        "https://shop.example.com/deal/4548094738",
        page(
            head='<meta property="og:title" content="Magazine subscription"><meta property="og:type" content="product">'
            '<meta property="og:price" content="30,000원~">',
            body="<span>Deal no. 4548094738</span>",
        ),
    )
    assert (answer["price"], answer["currency"], answer["sku"]) == (30000.0, "KRW", "4548094738")


@pytest.mark.parametrize(
    "url, sku",
    [
        ("https://www.shop.example/dp/B01GOH7PKA", "B01GOH7PKA"),
        ("https://www.shop.example/itm/143863282131", "143863282131"),
        ("https://city.shop.example/app/d/washing-machine-6kg/7235216655.html", "7235216655"),
        ("https://shop.example/item/93133869_pillows-pair", "93133869"),
        ("https://shop.example/women/leather-look-shirt-15213589.html?cgid=women", "15213589"),
        ("https://shop.example/store/122725?pid=260591", "260591"),
        ("https://shop.example/en/coats/product.wool-blend-coat-red.0196680008.html", "0196680008"),
        ("https://shop.example/p/adilette-pool-slides", None),
        ("https://shop.example/p/galaxy-a01-red", None),
        ("https://shop.example/blog/2024/10", None),
    ],
)
def test_the_code_in_the_url_is_the_last_resort_for_the_sku(client, url, sku):
    head = json_ld(
        {"@context": "https://schema.org", "@type": "Product", "name": "Thing", "offers": offer("10")}
    )
    printed = page(head=head, body=f"<h1>Thing</h1><p>Thing ({(sku or '').lower()}), in stock</p>")
    answer = scraped(client, url, printed)
    assert answer["sku"] == sku
    assert answer["field_sources"].get("sku") == ("url" if sku else None)
    # A code in the path the page never shows a shopper is the shop's internal id (or another variant's), not the
    # product's SKU; a query parameter naming the product's code says what it is.
    named = "?pid=" in url
    assert scraped(client, url, page(head=head, body="<h1>Thing</h1>"))["sku"] == (sku if named else None)
    in_another_code = page(head=head, body=f"<h1>Thing</h1><p>Thing ({sku}-2)</p>")
    assert scraped(client, url, in_another_code)["sku"] == (sku if named else None)


def test_the_code_in_the_url_as_the_page_prints_it_with_its_separators(client):
    def sku(url, body, data_code=None):
        data = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "Sofa bed module",
            "offers": offer("499"),
        }
        html = page(
            head=json_ld({**data, "sku": data_code} if data_code else data),
            body=f'<main><div class="product"><h1>Sofa bed module</h1>{body}</div></main>',
        )
        answer = scraped(client, url, html)
        return answer["sku"], answer["field_sources"].get("sku")

    url = "https://shop.example.com/gb/en/p/sofa-bed-module-s99277508/"
    # The URL spells the code without its separators and with the shop's letter before it; the page prints it.
    assert sku(url, "<p>Sofa bed module <b>992.775.08</b></p>") == ("992.775.08", "url")
    assert sku(url, "<p>Black, 992 775 08.</p>") == ("992 775 08", "url")
    assert sku(url, "<p>Sofa bed module (992-775-081)</p>") == (
        None,
        None,
    )  # another code that begins like it
    # The URL seconds the data's code against another code printed beside the heading (a part's).
    assert sku(url, "<p>Article number 903.294.89</p>", data_code="992.775.08") == ("992.775.08", "json-ld")


BUY_BOX = """
  <header><a class="logo" href="/">Shop</a><a class="mini-cart" href="/cart">Cart (0)</a></header>
  <main>
    <section class="recommendations"><div class="tile"><span class="price">$ 19.00</span></div></section>
    <div class="product">
      <div class="product-gallery"><img src="/img/kettle-1.jpg" alt=""><img src="/img/kettle-2.jpg" alt=""></div>
      <div class="product-info">
        <h1>Stovetop kettle 2 l</h1>
        <p class="product-code">Product code: 287807</p>
        <div class="price-box"><del class="old-price">$ 49.00</del> <span class="price">$ 39.00</span>
          <span class="price-per-unit">$ 19.50 / l</span></div>
        {stock}
        <form action="/cart/add" method="post"><input type="hidden" name="sku" value="SK-4471">
          <button type="submit" class="btn btn-primary">Add to cart</button></form>
      </div>
    </div>
    <section class="reviews"><h2>Reviews</h2><p>Lovely kettle, $ 12.00 cheaper than in town.</p></section>
  </main>"""


def test_a_page_without_any_data_read_from_its_buy_box(client):
    html = page(
        head='<title>Stovetop kettle 2 l | Homeware</title><meta property="og:locale" content="en_US">',
        body=BUY_BOX.format(stock='<p class="stock-status">Only 3 left in stock</p>'),
    )
    answer = scraped(client, "https://homeware.example.com/kettle", html)
    assert answer["title"] == "Stovetop kettle 2 l"
    # No brand stated: the shop's own name, as its title and host name spell it, is the brand of its house goods.
    assert (answer["brand"], answer["field_sources"]["brand"]) == ("Homeware", "site")
    assert facts(answer) == {
        "price": 39.0,
        "list_price": 49.0,
        "currency": "USD",
        "sku": "287807",
        "gtin": None,
        "availability": "InStock",
    }
    assert answer["field_sources"]["price"] == answer["field_sources"]["sku"] == "html"
    assert answer["images"] == [
        "https://homeware.example.com/img/kettle-1.jpg",
        "https://homeware.example.com/img/kettle-2.jpg",
    ]

    sold_out = page(
        body=BUY_BOX.format(stock='<div id="availability"><span>Currently unavailable.</span></div>')
        .replace('<p class="product-code">Product code: 287807</p>', "")
        .replace('class="btn btn-primary"', 'class="btn btn-primary" disabled')
    )
    answer = scraped(client, "https://homeware.example.com/kettle", sold_out)
    assert (answer["availability"], answer["sku"]) == ("OutOfStock", "SK-4471")  # the add-to-cart form's code


def test_stock_words_in_the_shops_language(client):
    def stock(text):
        html = page(
            body=f'<h1>Kaffeekanne</h1><span class="price">24,90 €</span><div class="availability">{text}</div>'
        )
        return scraped(client, "https://shop.example.de/kaffeekanne", html)["availability"]

    assert [
        stock(text)
        for text in (
            "Auf Lager",
            "Actuellement indisponible.",
            "Non disponibile.",
            "Agotado",
            "Disponibilità immediata",
            "Нет в наличии",
        )
    ] == ["InStock", "OutOfStock", "OutOfStock", "OutOfStock", "InStock", "OutOfStock"]
    assert [
        stock(text)
        for text in (
            "Sofort verfügbar",
            "Tillfälligt slut",
            "Ej i lager",
            "I lager",
            "Brak towaru",
            "Sin existencias",
            "Fora de estoque",
            "売り切れ",
            "在庫あり",
            "Ikke på lager",
        )
    ] == [
        "InStock",
        "OutOfStock",
        "OutOfStock",
        "InStock",
        "OutOfStock",
        "OutOfStock",
        "OutOfStock",
        "OutOfStock",
        "InStock",
        "OutOfStock",
    ]
    # A long message by its first sentence.
    assert (
        stock(
            "Actuellement indisponible. Nous ne savons pas quand cet article sera de nouveau approvisionné, ni "
            "s'il le sera un jour; revenez nous voir plus tard."
        )
        == "OutOfStock"
    )


def test_stock_messages_and_controls_the_page_hides_state_nothing(client):
    def stock(hidden_part, button='<button type="submit" class="add-to-cart">Add to cart</button>'):
        html = page(
            head='<meta property="og:type" content="product">',
            body=f"""
          <main><div class="product"><h1>Linen cushion</h1><span class="price">€25.00</span>{hidden_part}
            <form action="/cart/add">{button}</form></div></main>""",
        )
        answer = scraped(client, "https://home.example.com/p/linen-cushion", html)
        return answer["availability"], answer["field_sources"]["availability"]

    # Shops ship every state's message and show the one that applies.
    for hidden in (
        '<p class="stock-alert" style="display: none;">Sold out</p>',
        '<div hidden><p class="availability">Out of stock</p></div>',
        '<div class="availability-msg d-none">Produto esgotado</div>',
        '<template><p class="out-of-stock">Sold out</p></template>',
    ):
        assert stock(hidden) == ("InStock", "html")
    # A sold-out message beside an add-to-cart control that can be used is another offer's or a size's ...
    assert stock('<span class="unavailable">Store pickup: not available</span>') == ("InStock", "html")
    # ... and beside a disabled one it is the product's; a hidden add-to-cart control says nothing.
    disabled = '<button type="submit" class="add-to-cart" disabled>Add to cart</button>'
    assert stock('<p class="stock">Sold out</p>', disabled) == ("OutOfStock", "html")
    hidden_button = '<button type="submit" class="add-to-cart" style="display:none">Add to cart</button>'
    assert stock('<p class="stock">Sold out</p>', hidden_button) == ("OutOfStock", "html")
    # A link named as what adds to the cart, whose href is the cart page (a script drives it), is a control.
    scripted = '<a class="product-AddToCart-btn" href="/cart/">Add to bag</a>'
    assert stock('<p class="outofstock-cta">Is this sold out? Tell me</p>', scripted) == ("InStock", "html")
    assert stock('<p class="stock">Sold out</p>', '<a class="mini-cart" href="/cart/">Cart (0)</a>') == (
        "OutOfStock",
        "html",
    )


def test_the_sku_the_layers_agree_on_or_none(client):
    def sku(data_code, printed, url="https://shop.example.com/p/oak-stool-kb-100"):
        html = page(
            head=json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "Product",
                    "name": "Oak stool",
                    "sku": data_code,
                    "offers": offer("120"),
                }
            ),
            body=f'<main><div class="product"><h1>Oak stool</h1>{printed}</div></main>',
        )
        answer = scraped(client, url, html)
        return answer["sku"], answer["field_sources"].get("sku")

    # The variant's code in the data against the product's code the page prints and its URL names: two to one.
    assert sku("KB-100-1", "<p>Item no. KB-100</p>") == ("KB-100", "html")
    # One to one: the code the page prints wins; when it prints both, or neither, there is no SKU.
    assert sku("10134622", "<p>Product code: 141677</p>", url="https://shop.example.com/p/oak-stool") == (
        "141677",
        "html",
    )
    assert sku(
        "10134622",
        "<p>Product code: 141677</p><p>Model 10134622</p>",
        url="https://shop.example.com/p/oak-stool",
    ) == (None, None)
    # Codes written differently are the same code.
    assert sku(
        "603.471.02", "<p>Article number 60347102</p>", url="https://shop.example.com/p/oak-stool"
    ) == ("603.471.02", "json-ld")


def test_a_database_key_or_a_templates_leftover_is_no_sku(client):
    """Codes that are not the product's own: app state's object id under "sku", a template's "%SKU%" in the
    JSON-LD, a counter where the code was to go, a UUID at the end of the URL. None of them is answered; the code
    the page prints beside the heading is, and with none printed there is no SKU rather than a wrong one."""
    state = {
        "product": {"name": "Oak stool", "sku": "5f1d7a3b9c8e4a2b1c0d9e8f", "price": 120, "currency": "EUR"}
    }

    def answer(json_ld_sku, printed="", url="https://shop.example.com/p/oak-stool"):
        html = page(
            head=json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "Product",
                    "name": "Oak stool",
                    "sku": json_ld_sku,
                    "offers": offer("120"),
                }
            ),
            body=f"<main><h1>Oak stool</h1>{printed}</main><script>window.__STATE__ = {json.dumps(state)};</script>",
        )
        product = scraped(client, url, html)
        return product["sku"], product["field_sources"].get("sku")

    assert answer("%SKU%", "<p>Art.-Nr.: KB-100</p>") == ("KB-100", "html")
    assert answer("%SKU%") == (None, None)
    assert answer("1") == (None, None)
    assert answer("", url="https://shop.example.com/p/3f2504e0-4f89-11d3-9a0c-0305e82c3301") == (None, None)
    # The same page with the shop's own code in its data: that code, whatever the app state's key says.
    assert answer("KB-100") == ("KB-100", "json-ld")


def test_one_product_per_size_gives_no_sku_unless_the_url_selects_one(client):
    def product(size, sku):
        return {
            "@type": "Product",
            "name": "Rain jacket",
            "size": size,
            "sku": sku,
            "gtin13": None,
            "offers": offer("89.00"),
        }

    html = page(
        head=json_ld(
            {"@context": "https://schema.org", "@graph": [product("S", "RJ-1-S"), product("M", "RJ-1-M")]}
        )
    )
    answer = scraped(client, "https://shop.example.com/p/rain-jacket", html)
    assert (answer["title"], answer["sku"]) == ("Rain jacket", None)
    answer = scraped(client, "https://shop.example.com/p/rain-jacket?sku=RJ-1-M", html)
    assert answer["sku"] == "RJ-1-M"


def test_a_sold_out_page_without_a_price_is_still_the_product(client):
    html = page(
        head="<title>Plush octopus toy : Amazing Shop</title>",
        body='<h1 class="status">Adding to your basket...</h1><div id="centerCol"><h1 id="title">'
        '<span>Plush octopus toy</span></h1><div id="availability"><span>Currently unavailable.</span>'
        "<br>We don't know when or if this item will be back in stock.</div></div>",
    )
    answer = scraped(client, "https://shop.example.com/dp/B08LZM5286", html)
    assert (answer["title"], answer["price"], answer["availability"], answer["sku"]) == (
        "Plush octopus toy",
        None,
        "OutOfStock",
        None,
    )  # the URL's code, which the page does not print


def test_the_product_heading_in_the_page_header_with_its_code(client):
    html = page(
        head="<title>Mobile phone Galaxy A01 red - Shop</title>",
        body="""
      <div class="wrapper"><header class="site-header"><nav><a href="/">Home</a></nav>
        <h1><span>Mobile phone Galaxy A01 red</span> <span class="article">Код: 01245</span></h1></header>
      <div class="catalog-detail"><div class="e-price"><s>49 890 тг.</s><br>
        <span class="ok-price">44 890 тг.</span><div class="bonus">+ 448 бонусов</div></div></div></div>""",
    )
    answer = scraped(client, "https://shop.example.kz/product/galaxy-a01-red/", html)
    assert facts(answer) == {
        "price": 44890.0,
        "list_price": 49890.0,
        "currency": "KZT",
        "sku": "01245",
        "gtin": None,
        "availability": "InStock",
    }


def test_data_that_lags_behind_a_reduction_the_page_shows(client):
    # The page crosses out the price its microdata still states and shows the reduced one beside it.
    html = page(
        body="""
      <div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Backpack Rosso</h1>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><meta itemprop="price" content="219.99">
          <meta itemprop="priceCurrency" content="EUR"></div>
        <div class="price-block"><span class="original-price">EUR219.99</span><span class="discount">-50%</span>
          <span class="product-price current-price">EUR110.00</span></div></div>"""
    )
    answer = scraped(client, "https://shop.example.com/backpack-rosso.html", html)
    assert (answer["price"], answer["list_price"], answer["field_sources"]["price"]) == (
        110.0,
        219.99,
        "html",
    )

    # An offer whose price validity has passed yields to the price the page's buy box shows now when another layer
    # states it too (taken from the best such layer); a buy box showing the same price changes nothing.
    lot = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Pair of pillows",
        "offers": offer("150", priceValidUntil="2020-12-06T20:00:00.000Z"),
    }
    head = (
        json_ld(lot) + '<meta property="product:price:amount" content="200"><meta property="og:type" '
        'content="product"><meta property="product:price:currency" content="USD">'
    )
    body = (
        '<main><div class="lot"><h1>Pair of pillows</h1><div class="bidding"><span class="price">$200</span> 2 bids'
        "</div></div></main>"
    )
    answer = scraped(client, "https://shop.example.com/item/93133869_pillows", page(head=head, body=body))
    assert (answer["price"], answer["field_sources"]["price"]) == (200.0, "meta")
    answer = scraped(
        client,
        "https://shop.example.com/item/93133869_pillows",
        page(head=head, body=body.replace("$200", "$150")),
    )
    assert (answer["price"], answer["field_sources"]["price"]) == (150.0, "json-ld")
    # A passed date alone proves little (shops leave old dates in place): no other layer states the shown price.
    answer = scraped(
        client,
        "https://shop.example.com/item/93133869_pillows",
        page(head=head.replace('content="200"', 'content="150"'), body=body),
    )
    assert (answer["price"], answer["field_sources"]["price"]) == (150.0, "json-ld")


def test_stock_from_the_sizes_when_nothing_else_says(client):
    html = page(
        head=json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Silk top",
                "offers": {"price": "89", "priceCurrency": "EUR"},
            }
        ),
        body='<ul class="size-selector"><li class="disabled">S</li><li class="sold-out">M</li></ul>',
    )
    answer = scraped(client, "https://shop.example.com/p/silk-top", html)
    assert (answer["availability"], answer["field_sources"]["availability"]) == ("OutOfStock", "sizes")
    html = html.replace('<li class="sold-out">M</li>', "<li>M</li>")
    assert scraped(client, "https://shop.example.com/p/silk-top", html)["availability"] == "InStock"


def test_a_page_listing_products_is_no_product(client):
    tiles = "".join(
        f'<li class="card"><a href="/p/{n}"><img src="/img/{n}.jpg" alt=""><h3>Dress {n}</h3></a>'
        f'<span class="price">€{20 + n}.00</span></li>'
        for n in range(6)
    )
    html = page(body=f'<main><h1>Dresses</h1><ul class="grid">{tiles}</ul></main>')
    error(scrape(client, "https://shop.example.com/women/dresses", html=html), 422, "NO_PRODUCT_FOUND")


@pytest.mark.parametrize(
    "price",
    ["1e999", "NaN", "Infinity", "-Infinity", "-5", '"-5"', '"-€5"', "9" * 400, '"' + "9" * 400 + '"'],
)
def test_prices_that_are_no_price_are_dropped_never_a_500(client, price):
    document = (
        '{"@context": "https://schema.org", "@type": "Product", "name": "Coat", "offers": {"price": '
        + price
        + ', "priceCurrency": "EUR"}}'
    )
    state = (
        '{"product": {"name": "Coat", "brand": "Vela", "price": ' + price + ', "listPrice": ' + price + "}}"
    )
    html = page(
        head=f'<script type="application/ld+json">{document}</script>',
        body=f'<script id="__NEXT_DATA__" type="application/json">{state}</script>',
    )
    response = scrape(client, "https://shop.example.com/p/coat", html=html)
    assert response.status_code == 200
    assert b"Infinity" not in response.data and b"NaN" not in response.data
    answer = response.get_json()["data"]["product"]
    assert (answer["title"], answer["price"], answer["list_price"]) == ("Coat", None, None)


def test_shopify_variant_code_barcode_stock_and_compare_at_price_in_cents(client):
    def variant(variant_id, size, available, sku, barcode=None):
        return {
            "id": variant_id,
            "title": size,
            "option1": size,
            "price": 11700,
            "compare_at_price": 19000,
            "available": available,
            "sku": sku,
            "barcode": barcode,
        }

    product = {
        "id": 7,
        "title": "Walking shoe",
        "handle": "walking-shoe",
        "vendor": "Stride",
        "price": 11700,
        "options": [{"name": "Size"}],
        "images": ["//shoes.example.com/cdn/shop/files/shoe.jpg"],
        "variants": [variant(201, "7", False, "WS-7"), variant(202, "8", True, "WS-8", "4006381333931")],
    }
    html = page(
        head='<link rel="preconnect" href="https://cdn.shopify.com">',
        body=f'<script type="application/json" data-product-json>{json.dumps(product)}</script>'
        f"<script>var meta = {json.dumps({'product': product})};</script>"
        # The theme's product form posts the variant it shows (Shopify's first one in stock).
        '<form action="/cart/add" method="post"><input type="hidden" name="id" value="202">'
        '<button type="submit">Add to cart</button></form>',
    )
    shown = scraped(client, "https://shoes.example.com/products/walking-shoe", html)
    # The variant the product form posts names the product; the state's cents are no list price.
    assert facts(shown) == {
        "price": 117.0,
        "list_price": 190.0,
        "currency": None,
        "sku": "WS-8",
        "gtin": "4006381333931",
        "availability": "InStock",
    }
    selected = scraped(client, "https://shoes.example.com/products/walking-shoe?variant=201", html)
    assert (selected["sku"], selected["availability"]) == ("WS-7", "OutOfStock")


def test_a_colour_label_followed_by_a_price_names_no_colour(client):
    # The colour's name is filled in by the page's script; what follows the label in the HTML is the price.
    html = page(
        head=json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Canvas sneaker",
                "offers": offer("29.95"),
            }
        ),
        body='<div class="variant"><span class="label">Colour:</span><span class="price">$29.95</span></div>',
    )
    assert scraped(client, "https://shop.example.com/p/canvas-sneaker", html)["colors"] == []


def test_the_images_beside_the_heading_when_nothing_else_shows_one(client):
    html = page(
        head='<meta property="og:type" content="product">',
        body="""
      <main><div class="pdp"><div class="left"><img src="/img/kettle-front.jpg"><img src="/img/kettle-side.jpg"></div>
        <div class="right"><h1>Stovetop kettle</h1><span class="price">€39.00</span></div></div>
        <section class="recommendations"><a href="/p/mug"><img src="/img/mug.jpg"></a></section></main>""",
    )
    answer = scraped(client, "https://homeware.example.com/kettle", html)
    assert answer["images"] == [
        "https://homeware.example.com/img/kettle-front.jpg",
        "https://homeware.example.com/img/kettle-side.jpg",
    ]
    assert answer["field_sources"]["images"] == "html"


def test_a_currency_symbol_several_countries_share_read_by_the_pages_language(client):
    def currency(lang, url="https://shop.example.com/p/uldtrøje"):
        html = page(
            body=f'<main lang="{lang}"><div class="product"><h1>Uldtrøje</h1>'
            '<span class="price">kr 499,-</span></div></main>'
        ).replace("<html>", f'<html lang="{lang}">')
        return scraped(client, url, html)["currency"]

    assert (currency("da"), currency("da-DK"), currency("sv"), currency("nb")) == ("DKK", "DKK", "SEK", "NOK")
    assert currency("en", "https://shop.example.no/p/genser") == "NOK"  # the country's domain
    assert currency("en") is None  # no country, no language of one currency: unknown, not guessed


def test_stock_from_the_add_to_cart_control(client):
    def stock(control):
        html = page(
            head='<meta property="og:type" content="product">',
            body=f"""
          <main><div class="product"><h1>Linen cushion</h1><span class="price">€25.00</span>
            <form action="/cart/add">{control}</form></div></main>""",
        )
        answer = scraped(client, "https://home.example.com/p/linen-cushion", html)
        return answer["availability"], answer["field_sources"]["availability"]

    assert stock('<button type="submit" class="btn">Add to bag</button>') == ("InStock", "html")
    assert stock('<button type="submit" class="btn add-to-cart">Sold out</button>') == ("OutOfStock", "html")
    # Disabled until a size is chosen says nothing about stock: the offered price does.
    assert stock('<button type="submit" class="btn" disabled>In den Warenkorb</button>') == (
        "InStock",
        "price",
    )


def test_a_crossed_out_price_ten_times_the_price_is_another_amount(client):
    # The state gives the compare-at price in cents beside data that gives the price in units.
    state = {
        "product": {"name": "Walking shoe", "brand": "Stride", "price": 117.0, "compare_at_price": 19000}
    }
    html = page(
        head=json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Walking shoe",
                "offers": offer("117.00"),
            }
        ),
        body=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>',
    )
    answer = scraped(client, "https://shoes.example.com/p/walking-shoe", html)
    assert (answer["price"], answer["list_price"]) == (117.0, None)
    html = html.replace("19000", "190.0")
    assert scraped(client, "https://shoes.example.com/p/walking-shoe", html)["list_price"] == 190.0


def test_a_page_without_an_h1_names_its_product_title_by_class(client):
    html = page(
        head="<title>Merino beanie – Knit Co</title>",
        body="""
      <main><section class="recommendations"><div class="product-name">Wool socks</div></section>
        <div class="pdp"><div class="pdp-title">Merino beanie</div><span class="price">£18.00</span>
          <button class="add-to-cart">Add to basket</button></div></main>""",
    )
    answer = scraped(client, "https://knit.example.com/p/merino-beanie", html)
    assert (answer["title"], answer["price"], answer["currency"], answer["availability"]) == (
        "Merino beanie",
        18.0,
        "GBP",
        "InStock",
    )


def test_the_brand_printed_under_a_label_beside_the_heading(client):
    def brand(details):
        html = page(
            head='<meta property="og:type" content="product">',
            body=f"""
          <main><div class="product"><h1>Citrus body lotion</h1><span class="price">8,71 €</span>{details}</div>
          <footer><p>Brand: Shopname Ltd</p></footer></main>""",
        )
        return scraped(client, "https://shop.example.de/p/citrus-lotion", html)["brand"]

    assert brand("<p>Marke: Weleda</p>") == "Weleda"
    assert brand("<table><tr><th>Brand</th><td>Weleda</td></tr></table>") == "Weleda"
    assert brand("<p>Brandy butter, a seasonal favourite</p>") is None


def test_codes_in_data_attributes_stray_properties_and_meta_tags_outside_an_item(client):
    def sku(body, head=""):
        html = page(
            head='<meta property="og:type" content="product">' + head,
            body=f'<main><div class="product"><h1>Walnut tray</h1><span class="price">€45.00</span>{body}'
            "</div></main>",
        )
        answer = scraped(client, "https://shop.example.com/p/walnut-tray", html)
        return answer["sku"], answer["field_sources"].get("sku")

    form = '<form action="/cart/add" {attributes}><button type="submit" class="add-to-cart">Add to cart</button></form>'
    assert sku(form.format(attributes='data-product-sku="WT-450"')) == ("WT-450", "html")
    assert sku(form.format(attributes='data-sku="WT-450" data-product-id="88213"')) == ("WT-450", "html")
    # A product id that is a number is the shop's database row; one in letters and digits is a code.
    assert sku(form.format(attributes='data-product-id="88213"')) == (None, None)
    assert sku(form.format(attributes='data-product-id="WT450"')) == ("WT450", "html")
    # More names shops give the code on the form: its reference or number, an article or style id in letters and digits.
    assert sku(form.format(attributes='data-product-reference="WT-450"')) == ("WT-450", "html")
    assert sku(form.format(attributes='data-product-number="WT-450"')) == ("WT-450", "html")
    assert sku(form.format(attributes='data-item-no="WT-450"')) == ("WT-450", "html")
    assert sku(form.format(attributes='data-article-id="WT450"')) == ("WT450", "html")
    assert sku(form.format(attributes='data-article-id="88213"')) == (None, None)
    assert sku(form.format(attributes='data-style-id="88213"')) == (None, None)
    for database_id in ("gid://shop/Product/88213", "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f"):
        assert sku(form.format(attributes=f'data-product-id="{database_id}"')) == (None, None)
    # A schema.org property that lost its item: printed beside the heading, or as a meta tag in the head.
    assert sku('<p>Item <span itemprop="sku">WT-451</span></p>') == ("WT-451", "microdata")
    assert sku("", head='<meta itemprop="sku" content="WT-452">') == ("WT-452", "meta")
    # One in a recommended product's tile is that product's code, wherever the tile stands.
    tile = '<div class="related-products"><div class="tile"><span itemprop="sku">CB-17</span></div></div>'
    assert sku(tile) == (None, None)
    assert sku(tile + '<p>Item <span itemprop="sku">WT-451</span></p>') == ("WT-451", "microdata")


def test_the_makers_part_or_model_number_stands_in_for_the_sku_and_garment_words_are_no_code(client):
    def codes(printed, url="https://shop.example.com/p/headphones"):
        html = page(
            head='<meta property="og:type" content="product">',
            body=f'<main><div class="product"><h1>Wireless headphones</h1><span class="price">$349.00</span>'
            f"{printed}</div></main>",
        )
        answer = scraped(client, url, html)
        return answer["sku"], answer["field_sources"].get("sku")

    assert codes("<p>Model: WH-1000XM4</p>") == ("WH-1000XM4", "html")
    assert codes("<p>Item model number: 99361</p>") == ("99361", "html")
    assert codes("<p>MPN 1055-V01</p><p>Item no. 44120</p>") == ("44120", "html")  # the shop's own code first
    assert codes("<p>Model: 185 cm</p><p>Style: 2-piece</p>") == (None, None)
    assert codes("<p>Style: CW2288-111</p>") == ("CW2288-111", "html")


def test_notify_me_and_coming_soon_are_sold_out_pre_and_back_orders_in_stock(client):
    def stock(buy_box):
        html = page(
            head='<meta property="og:type" content="product">',
            body=f'<main><div class="product"><h1>Desk lamp</h1><span class="price">€89.00</span>{buy_box}'
            "</div></main>",
        )
        answer = scraped(client, "https://shop.example.com/p/desk-lamp", html)
        return answer["availability"], answer["field_sources"]["availability"]

    assert stock('<p class="stock-info">Notify me when available</p>') == ("OutOfStock", "html")
    assert stock('<div class="availability">Benachrichtigen, wenn verfügbar</div>') == ("OutOfStock", "html")
    assert stock('<div class="availability">Coming soon</div>') == ("OutOfStock", "html")
    # What a shopper can order now, to be delivered later, is in stock (README: availability).
    assert stock('<div class="availability">Back-order: ships in 6 weeks</div>') == ("InStock", "html")
    assert stock('<form action="/cart/add"><button type="submit" class="btn">Pre-order</button></form>') == (
        "InStock",
        "html",
    )


def test_the_submit_button_of_a_form_posting_to_the_cart_is_the_add_to_cart_control_whatever_it_says(client):
    def stock(button, action="/cart/add"):
        html = page(
            head='<meta property="og:type" content="product">',
            body=f'<main><div class="product"><h1>Wool beanie</h1><span class="price">€25.00</span>'
            f'<form method="post" action="{action}"><input type="hidden" name="id" value="4471">'
            f"{button}</form></div></main>",
        )
        answer = scraped(client, "https://shop.example.com/p/wool-beanie", html)
        return answer["availability"], answer["field_sources"]["availability"]

    sold_out = (
        '<button type="submit" name="add" class="product-form__submit button" disabled><span>Sold out</span>'
        "</button>"
    )
    assert stock(sold_out) == ("OutOfStock", "html")
    assert stock(sold_out, action="/checkout/cart/add/uenc/aHR0/product/4471/") == ("OutOfStock", "html")
    assert stock('<button type="submit" class="button">Ajouter</button>') == ("InStock", "html")
    # A form posting elsewhere (a newsletter) is no cart: the price alone says it is on sale.
    assert stock(sold_out, action="/newsletter/subscribe") == ("InStock", "price")


def test_a_code_the_url_carries_as_a_part_of_its_own_seconds_that_code(client):
    html = page(
        head=json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Pool slides",
                "sku": "AD542B1O1-Q11",
                "offers": offer("35"),
            }
        ),
        body='<main><div class="product"><h1>Pool slides</h1><p>AD542B1O1-Q11</p><p>Item no. 44120</p>'
        "</div></main>",
    )
    answer = scraped(client, "https://shop.example.com/adidas-pool-slides-ad542b1o1-q11.html", html)
    assert (answer["sku"], answer["field_sources"]["sku"]) == ("AD542B1O1-Q11", "json-ld")
    # Without the URL's word the two printed codes tie, and there is no SKU rather than a guess.
    assert scraped(client, "https://shop.example.com/adidas-pool-slides.html", html)["sku"] is None


def test_a_page_without_an_h1_names_its_product_in_a_lower_heading_its_title_holds(client):
    body = """<header><a class="logo" href="/">Bookshop</a></header><main><div class="book">
      <div class="cover"><img src="/img/one-device.jpg" alt=""></div>
      <div class="details"><h2>The One Device</h2><h3>Description</h3>
        <div class="prices"><span class="old-price">€11.95</span> <span class="price">€10.75</span></div>
        <form action="/cart/add"><button type="submit" class="btn">Add to cart</button></form></div></div></main>"""
    answer = scraped(
        client,
        "https://books.example.com/the-one-device",
        page(head="<title>The One Device - Bookshop</title>", body=body),
    )
    assert (answer["title"], answer["price"], answer["list_price"], answer["currency"]) == (
        "The One Device",
        10.75,
        11.95,
        "EUR",
    )
    # A heading the title does not name is no product's name.
    error(
        scrape(
            client,
            "https://books.example.com/the-one-device",
            html=page(head="<title>Bookshop</title>", body=body),
        ),
        422,
        "NO_PRODUCT_FOUND",
    )


def test_stock_printed_under_a_label_beside_the_heading(client):
    def stock(printed):
        html = page(
            head='<meta property="og:type" content="product">',
            body=f'<main><div class="product"><h1>Oak side table</h1><span class="price">€129.00</span>'
            f"{printed}</div></main>",
        )
        answer = scraped(client, "https://shop.example.com/p/oak-side-table", html)
        return answer["availability"], answer["field_sources"]["availability"]

    assert stock("<p>Availability: <strong>Out of stock</strong></p>") == ("OutOfStock", "html")
    assert stock("<dl><dt>Disponibilité :</dt><dd>En stock</dd></dl>") == ("InStock", "html")
    # A message the page hides states nothing; the price alone then says the product is on sale.
    assert stock('<p style="display:none">Availability: Sold out</p>') == ("InStock", "price")
