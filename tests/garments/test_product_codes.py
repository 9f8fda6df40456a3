"""Which code is the product's SKU, and which numbers on a page are not: each page is our own, in the shape a
platform publishes (WooCommerce, Magento, Shopify feeds, app state, labelled codes in many languages, codes in the
URL), with negative pages whose only numbers are a database row, a feed's key, a phone number, a tracking pixel or
another product's code. What is asserted is what a client of POST /api/garments/scrape sees.
"""

import json

import pytest

from tests.garments.test_platform_shapes import json_ld, offer, page
from tests.garments.test_product_facts import scraped


def product_data(**extra):
    return {"@context": "https://schema.org", "@type": "Product", "name": "Linen shirt", **extra}


def woocommerce_page(printed=""):
    """A WooCommerce product page: JSON-LD whose `sku` WooCommerce fills with the post id when the shop left the
    SKU empty, the post id in the body's class and in the add-to-cart button."""
    return f"""<!doctype html><html><head>{json_ld(product_data(sku="4127", offers=offer("49.00")))}</head>
      <body class="product-template-default single single-product postid-4127">
      <div class="product"><h1 class="product_title entry-title">Linen shirt</h1>
        <p class="price"><span class="woocommerce-Price-amount amount">€49.00</span></p>
        <form class="cart" method="post"><input type="number" name="quantity" value="1">
          <button type="submit" name="add-to-cart" value="4127" class="single_add_to_cart_button">Add to cart</button>
        </form>
        <div class="product_meta">{printed}<span class="posted_in">Category: Shirts</span></div>
      </div></body></html>"""


def test_the_post_id_woocommerce_puts_in_place_of_an_empty_sku_is_no_sku(client):
    answer = scraped(client, "https://shop.example.com/product/linen-shirt/", woocommerce_page())
    assert (answer["title"], answer["price"], answer["sku"]) == ("Linen shirt", 49.0, None)
    # With a SKU of its own the page prints it, and that is the answer.
    printed = '<span class="sku_wrapper">SKU: <span class="sku">LS-220</span></span>'
    answer = scraped(client, "https://shop.example.com/product/linen-shirt/", woocommerce_page(printed))
    assert (answer["sku"], answer["field_sources"]["sku"]) == ("LS-220", "html")
    # A shop whose SKUs are its post ids prints them: the printed number is the SKU.
    printed = '<span class="sku_wrapper">SKU: <span class="sku">4127</span></span>'
    answer = scraped(client, "https://shop.example.com/product/linen-shirt/", woocommerce_page(printed))
    assert answer["sku"] == "4127"


def test_the_product_row_a_magento_form_posts_is_no_sku_unless_the_url_names_it(client):
    html = page(
        head=json_ld(product_data(sku="58211", offers=offer("39.00"))),
        body="""<div class="product-info-main"><h1 class="page-title"><span>Linen shirt</span></h1>
          <form action="https://shop.example.com/checkout/cart/add/uenc/aHR0cA,,/product/58211/"
                id="product_addtocart_form" method="post">
            <input type="hidden" name="product" value="58211"><input type="hidden" name="form_key" value="x1">
            <button type="submit" class="action primary tocart">Add to Cart</button></form></div>""",
    )
    assert scraped(client, "https://shop.example.com/linen-shirt.html", html)["sku"] is None
    # A URL that carries the number says it is how the shop names the product.
    assert scraped(client, "https://shop.example.com/prod/58211/", html)["sku"] == "58211"


def test_a_catalogue_feeds_key_in_the_meta_tags_is_no_sku(client):
    head = (
        '<meta property="og:type" content="product"><meta property="og:title" content="Linen shirt">'
        '<meta property="product:price:amount" content="39.00"><meta property="product:price:currency" content="EUR">'
    )

    def sku(retailer_id, body=""):
        tags = f'{head}<meta property="product:retailer_item_id" content="{retailer_id}">'
        return scraped(client, "https://shop.example.com/products/linen-shirt", page(head=tags, body=body))[
            "sku"
        ]

    assert sku("shopify_US_7012345678901_40111222333444") is None
    assert sku("7012345678901") is None
    assert sku("LS-220") == "LS-220"  # a code a person gave the product
    assert sku("7012345", "<h1>Linen shirt</h1><p>Item no. 7012345</p>") == "7012345"


@pytest.mark.parametrize(
    "printed, sku",
    [
        ("<p>SKU# LS-220</p>", "LS-220"),
        ("<p>SKU No.: LS-220</p>", "LS-220"),
        ("<p>Catalog #: 22-0417</p>", "22-0417"),
        ("<dl><dt>Produktnummer</dt><dd>771204</dd></dl>", "771204"),
        ("<p>Best.-Nr.: 771204</p>", "771204"),
        ("<p>Réf. produit : LS220</p>", "LS220"),
        ("<p>Referência: 771204</p>", "771204"),
        ("<p>Codice prodotto: LS220</p>", "LS220"),
        ("<table><tr><th>Kód produktu</th><td>LS-220</td></tr></table>", "LS-220"),
        ("<p>Cikkszám: LS-220</p>", "LS-220"),
        ("<p>Symbol: LS-220</p>", "LS-220"),
        ("<p>Κωδικός προϊόντος: 771204</p>", "771204"),
        ("<p>Mã sản phẩm: LS220</p>", "LS220"),
        ("<p>品番：LS-220</p>", "LS-220"),
        ("<p>상품코드: 771204</p>", "771204"),
        ("<p><strong>Item code</strong> <span>LS-220</span></p>", "LS-220"),
        ("<p>Šifra: 771204</p>", "771204"),
        ("<p>Šifra proizvoda: LS-220</p>", "LS-220"),
        ("<p>Code: LS-220</p>", "LS-220"),
        ("<div>Artikelnummer <span>771204</span></div>", "771204"),
        ("<p>Cod. articolo: LS220</p>", "LS220"),
        ("<p>Rif. LS220</p>", "LS220"),
        ("<p>Numéro d'article : 771204</p>", "771204"),
        ("<p>N° de référence : 771204</p>", "771204"),
        ("<p>Web ID: 771204</p>", "771204"),
        ("<p>Prod. no. 771204</p>", "771204"),
        ("<p>Itemnummer 771204</p>", "771204"),
        ("<p>Item #77-1204</p>", "77-1204"),
        ("<p>Art. 771204</p>", "771204"),
        ("<p>Art.: LS-220</p>", "LS-220"),
        ("<p>Artículo: LS-220</p>", "LS-220"),
        ("<p>Nº de artículo: 771204</p>", "771204"),
        ("<p>Articolo: LS220</p>", "LS220"),
        ("<p>Numer produktu: 771204</p>", "771204"),
        ("<p>Katalógusszám: LS-220</p>", "LS-220"),
        ("<p>Kodi i produktit: LS-220</p>", "LS-220"),
        ("<p>商品コード：LS-220</p>", "LS-220"),
        ("<p>Item: LS-220</p>", "LS-220"),
        ("<p>Article: LS-220</p>", "LS-220"),
        ("<p>Referentie: LS-220</p>", "LS-220"),
        ("<p>Produktkode: LS-220</p>", "LS-220"),
        ("<p>Varekode: LS-220</p>", "LS-220"),
        ("<p>Artikkelnummer: 771204</p>", "771204"),
        ("<p>Номер товара: 771204</p>", "771204"),
        ("<p>Артикул товара: 771204</p>", "771204"),
        ("<p>Mã hàng: LS220</p>", "LS220"),
        # The line goes on after the code.
        ("<p>Artikelnummer: 771204, Farbe: blau</p>", "771204"),
        ("<p>SKU: LS-220 | Category: Shirts</p>", "LS-220"),
        ("<p>Item # LS-220 · In stock</p>", "LS-220"),
        # The maker's model under a label in Spanish, Portuguese, French or Japanese stands in for a missing code.
        ("<p>Modelo: LS-220</p>", "LS-220"),
        ("<p>Numéro de modèle : LS-220</p>", "LS-220"),
        ("<p>型番：LS-220</p>", "LS-220"),
        # Words that begin like a label are none ("Ref" in "Refurbished", "Sku" in "Skull"), nor is prose.
        ("<p>Rifinitura: 2 colori</p>", None),
        ("<p>Webbing 2 cm wide</p>", None),
        ("<p>Refurbished 2021 edition</p>", None),
        ("<p>Skull print 2024</p>", None),
        ("<p>Symbol of summer since 1998</p>", None),
        ("<p>Code of conduct 2024</p>", None),
        ("<p>Art. Deco print, 1920s</p>", None),
        ("<p>Articolo in cotone 100%</p>", None),
        ("<p>Item #1 of our bestsellers</p>", None),
        ("<p>Item 2 of 5</p>", None),
        ("<p>Items: 2</p>", None),
        ("<p>Article 12, paragraph 3 of our terms</p>", None),
        ("<p>Referentie: zie maattabel, pasvorm normaal</p>", None),
    ],
)
def test_the_code_printed_under_a_label_in_the_shops_language(client, printed, sku):
    html = page(
        body=f'<div class="product"><h1>Linen shirt</h1><span class="price">€39.00</span>{printed}</div>'
    )
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert (answer["title"], answer["sku"]) == ("Linen shirt", sku)


def test_numbers_that_are_no_code_of_the_product_give_no_sku(client):
    # A phone number, a tracking pixel's id, a price, the year, and a carousel of other products with their codes.
    html = page(
        body="""<header><p>Call us: 0800 123 456</p></header>
          <main><div class="product"><h1>Linen shirt</h1><span class="price">€39.00</span>
            <button class="add-to-cart">Add to cart</button></div>
          <section class="related-products"><h2>You may also like</h2>
            <div class="product-tile"><h3>Cotton shirt</h3><span>SKU: CS-100</span><span class="price">€29</span></div>
            <div class="product-tile"><h3>Silk shirt</h3><span>SKU: SS-200</span><span class="price">€89</span></div>
          </section></main>
          <footer><p>© 2024 Shop</p><img src="https://px.example.com/t.gif?id=88221144" alt=""></footer>""",
    )
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert (answer["title"], answer["price"], answer["sku"]) == ("Linen shirt", 39.0, None)


def test_app_state_holding_several_products_gives_the_code_of_the_one_the_page_names(client):
    def state(first, second):
        return {
            "props": {
                "pageProps": {
                    "product": {"name": first, "sku": "LS-220", "price": 39.0, "brand": "Lino", "id": 11},
                    "viewed": {"name": second, "sku": "CS-100", "price": 29.0, "brand": "Lino", "id": 12},
                }
            }
        }

    def sku(heading, first="Linen shirt", second="Cotton shirt"):
        script = json.dumps(state(first, second))
        html = page(
            body=f'<h1>{heading}</h1><script id="__NEXT_DATA__" type="application/json">{script}</script>'
        )
        return scraped(client, "https://shop.example.com/p/shirt", html)["sku"]

    assert sku("Linen shirt") == "LS-220"
    # Nothing on the page names either product: neither code is the page's for sure.
    assert sku("Summer shirts") is None
    # The URL names the product by its id (a code of its own).
    html = page(
        body=f'<h1>Summer</h1><script id="__NEXT_DATA__" type="application/json">{json.dumps(state("Linen shirt", "Cotton shirt"))}</script>'
    )
    assert scraped(client, "https://shop.example.com/p/shirt-ls-220", html)["sku"] == "LS-220"


@pytest.mark.parametrize(
    "url, printed, sku",
    [
        ("https://shop.example.com/product/58211/linen-shirt", "Item 58211", "58211"),
        ("https://shop.example.com/product/58211/linen-shirt", "", None),
        (
            "https://shop.example.com/Linen-Shirt/dp/B01GOH7PKA/ref=sr_1_1?keywords=shirt",
            "B01GOH7PKA",
            "B01GOH7PKA",
        ),
        ("https://shop.example.com/c/55123/shirts/linen-shirt-ls22004", "ls22004", "ls22004"),
        ("https://shop.example.com/product.php?id=48213", "", None),
        ("https://shop.example.com/product.php?id=48213", "No. 48213", "48213"),
        ("https://shop.example.com/goods/view?goodsNo=1000012345", "", "1000012345"),
    ],
)
def test_the_code_in_the_url_wherever_the_shop_puts_it(client, url, printed, sku):
    head = json_ld(product_data(offers=offer("39.00")))
    answer = scraped(client, url, page(head=head, body=f"<h1>Linen shirt</h1><p>{printed}</p>"))
    assert (answer["sku"], answer["field_sources"].get("sku")) == (sku, "url" if sku else None)


@pytest.mark.parametrize(
    "words", ["Sold-out", "Out-of-stock", "Not in stock", "Discontinued", "Agotada", "Esaurita"]
)
def test_sold_out_words_in_the_buy_box(client, words):
    html = page(
        body=f'<div class="product"><h1>Linen shirt</h1><span class="price">€39.00</span>'
        f'<p class="stock">{words}</p></div>'
    )
    assert scraped(client, "https://shop.example.com/p/linen-shirt", html)["availability"] == "OutOfStock"


def test_a_member_price_beside_the_price_is_not_the_price_to_pay(client):
    # Shops print the price for their club's members first, beside the price everyone pays.
    html = page(
        body='<div class="product"><h1>Linen shirt</h1><div class="prices">'
        '<span class="price price--member">Members €33.00</span><span class="price">€39.00</span></div>'
        '<button class="add-to-cart">Add to cart</button></div>'
    )
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert (answer["price"], answer["currency"], answer["availability"]) == (39.0, "EUR", "InStock")


def test_the_sellers_code_the_url_carries_comes_before_the_makers_part_number(client):
    html = page(
        head=json_ld(product_data(mpn="WH-1000XM4", offers=offer("39.00"))),
        body="<h1>Linen shirt</h1><p>Listed as 143863282131</p>",
    )
    answer = scraped(client, "https://shop.example.com/itm/143863282131", html)
    assert (answer["sku"], answer["field_sources"]["sku"]) == ("143863282131", "url")
    # With no code of the seller's, the maker's part number stands in.
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html.replace("143863282131", ""))
    assert (answer["sku"], answer["field_sources"]["sku"]) == ("WH-1000XM4", "json-ld")


def analytics_page(report, printed="", data=None):
    head = json_ld(product_data(offers=offer("39.00"), **(data or {})))
    return page(
        head=head,
        body=f'<div class="product"><h1>Linen shirt</h1><p>{printed}</p></div><script>{report}</script>',
    )


GA4_VIEW = (
    "window.dataLayer = window.dataLayer || []; dataLayer.push({ ecommerce: null });"
    "dataLayer.push({event: 'view_item', ecommerce: {currency: 'EUR', value: 39,"
    " items: [{item_id: 'LS-220', item_name: 'Linen shirt', price: 39, quantity: 1}]}});"
)


def test_the_product_a_page_reports_to_its_analytics_votes_for_its_code(client):
    url = "https://shop.example.com/p/linen-shirt"
    # Alone, the reported id stands where the page prints it (shops report database rows as often as SKUs).
    answer = scraped(client, url, analytics_page(GA4_VIEW, printed="Linen, LS-220"))
    assert (answer["sku"], answer["field_sources"]["sku"]) == ("LS-220", "data-layer")
    assert scraped(client, url, analytics_page(GA4_VIEW))["sku"] is None
    # Beside the data's code for a variant and the add-to-cart control's code for the product, neither printed, it
    # settles which.
    control = '<button class="add-to-cart" data-sku="LS-220">Add to cart</button>'
    answer = scraped(client, url, analytics_page(GA4_VIEW, printed=control, data={"sku": "LS-220-M"}))
    assert answer["sku"] == "LS-220"
    assert scraped(client, url, analytics_page("", printed=control, data={"sku": "LS-220-M"}))["sku"] is None
    # gtag's event and Universal Analytics' product detail read alike.
    gtag = "gtag('event', 'view_item', {items: [{item_id: 'LS-220', item_name: 'Linen shirt'}]});"
    assert scraped(client, url, analytics_page(gtag, printed="Linen, LS-220"))["sku"] == "LS-220"
    detail = "dataLayer.push({ecommerce: {detail: {products: [{id: 'LS-220', name: 'Linen shirt'}]}}});"
    assert scraped(client, url, analytics_page(detail, printed="Linen, LS-220"))["sku"] == "LS-220"


def test_analytics_reports_of_other_products_give_no_code(client):
    url = "https://shop.example.com/p/linen-shirt"
    listing = (
        "dataLayer.push({event: 'view_item_list', ecommerce: {items: [{item_id: 'CS-100', item_name: 'Cotton shirt'},"
        " {item_id: 'SS-200', item_name: 'Silk shirt'}]}});"
    )
    other = "dataLayer.push({event: 'view_item', ecommerce: {items: [{item_id: 'CS-100', item_name: 'Cotton shirt'}]}});"
    added = "dataLayer.push({event: 'add_to_cart', ecommerce: {items: [{item_id: 'CS-100', item_name: 'Linen shirt'}]}});"
    for report in (listing, other, added):
        assert scraped(client, url, analytics_page(report, printed="CS-100 SS-200"))["sku"] is None


def test_a_label_wrapped_in_direction_marks_and_a_marketplaces_asin(client):
    # A sold-out marketplace page (no add-to-cart form) whose details print the code with right-to-left and
    # left-to-right marks around the colon; the URL names another variant's code, which the page does not print.
    html = page(
        head="<title>Plush octopus toy : Shop</title>",
        body='<div id="centerCol"><h1 id="title"><span>Plush octopus toy</span></h1>'
        '<div id="availability"><span>Currently unavailable.</span></div></div>'
        '<div id="detailBullets"><ul><li><span class="a-list-item"><span class="a-text-bold">ASIN \u200f : \u200e'
        "</span><span>B0TESTAB12</span></span></li></ul></div>",
    )
    answer = scraped(client, "https://shop.example.com/dp/B0OTHERC34", html)
    assert (answer["sku"], answer["field_sources"]["sku"], answer["availability"]) == (
        "B0TESTAB12",
        "html",
        "OutOfStock",
    )


@pytest.mark.parametrize(
    "value, availability",
    [
        ("http://schema.org/InStock", "InStock"),
        ("HTTPS://SCHEMA.ORG/OUTOFSTOCK", "OutOfStock"),
        ("schema:SoldOut", "OutOfStock"),
        ("instock", "InStock"),
        ("https://schema.org/LimitedAvailability", "InStock"),
        ("https://schema.org/PreOrder", "InStock"),
        ("https://schema.org/BackOrder", "InStock"),
        ("https://schema.org/Discontinued", "OutOfStock"),
    ],
)
def test_microdata_stock_link_in_any_case_with_or_without_the_vocabulary(client, value, availability):
    html = page(
        body=f"""<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Linen shirt</h1>
          <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
            <span itemprop="price" content="39.00">€39.00</span><meta itemprop="priceCurrency" content="EUR">
            <link itemprop="availability" href="{value}"></div></div>"""
    )
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert (answer["availability"], answer["field_sources"]["availability"]) == (availability, "microdata")


def labelled_page(printed, head=""):
    """A buy box printing the shop's reference under a label, app state and analytics carrying a longer internal code."""
    state = {"product": {"name": "Linen shirt", "sku": "100000457812", "price": 39.0, "brand": "Lino"}}
    report = {
        "event": "view_item",
        "ecommerce": {"items": [{"item_id": "100000457812", "item_name": "Linen shirt"}]},
    }
    return page(
        head=head,
        body=f"""<div class="product"><h1>Linen shirt</h1><span class="price">€39.00</span>{printed}
          <button class="add-to-cart">Add to cart</button></div>
          <script>window.__STATE__ = {json.dumps(state)}</script>
          <script>dataLayer.push({json.dumps(report)})</script>""",
    )


def test_the_reference_a_shopper_reads_beats_an_internal_code_of_app_state_and_scripts(client):
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", labelled_page("<p>Ref. 4471-BL</p>"))
    assert answer["sku"] == "4471-BL"
    # Without a printed reference the internal code is all there is.
    assert (
        scraped(client, "https://shop.example.com/p/linen-shirt", labelled_page(""))["sku"] == "100000457812"
    )


def test_structured_datas_sku_beats_a_printed_reference(client):
    head = json_ld(product_data(sku="100000457812", offers=offer("39.00")))
    answer = scraped(
        client, "https://shop.example.com/p/linen-shirt", labelled_page("<p>Ref. 4471-BL</p>", head)
    )
    assert answer["sku"] == "100000457812"


@pytest.mark.parametrize(
    "url, body, sku",
    [
        # The page names the URL's number as a value: a data attribute, a script's value, a text.
        (
            "https://shop.example.com/linen-shirt-1234567.html",
            '<div data-product-id="1234567"></div>',
            "1234567",
        ),
        (
            "https://shop.example.com/linen-shirt-1234567",
            '<script>var item = {"id": 1234567};</script>',
            "1234567",
        ),
        # The number stands only in the page's own URLs (canonical link, share links): no code.
        (
            "https://shop.example.com/linen-shirt-1234567.html",
            '<a href="https://shop.example.com/linen-shirt-1234567.html?share=1">Share</a>'
            '<img src="https://cdn.example.com/img/linen-shirt-1234567/main.jpg" alt="">',
            None,
        ),
        # A platform's row key built from the number ("postid-1234567") names no value of its own.
        (
            "https://shop.example.com/linen-shirt-1234567.html",
            '<div class="product type-product post-1234567 postid-1234567"></div>',
            None,
        ),
        # A year or a size at the end of a slug is no code, even where the page prints it.
        ("https://shop.example.com/summer-dress-2024", '<p data-year="2024">Collection 2024</p>', None),
        ("https://shop.example.com/trail-sneaker-42", '<button data-size="42">42</button>', None),
    ],
)
def test_the_trailing_number_of_a_slug_is_a_code_only_where_the_page_names_it(client, url, body, sku):
    head = json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "Linen shirt",
            "offers": offer("39.00"),
        }
    )
    head += f'<link rel="canonical" href="{url}">'
    answer = scraped(client, url, page(head=head, body=f"<h1>Linen shirt</h1>{body}"))
    assert answer["sku"] == sku


@pytest.mark.parametrize(
    "printed, gtin",
    [
        ("<p>EAN: 4006381333931</p>", "4006381333931"),
        ("<table><tr><th>UPC</th><td>012345678905</td></tr></table>", "012345678905"),
        ("<ul><li><strong>GTIN-13:</strong> 4006381333931</li></ul>", "4006381333931"),
        # The negatives: a number with a wrong check digit under the label, and a barcode in another product's tile.
        ("<p>EAN: 4006381333932</p>", None),
        (
            '<section class="related-products"><div class="product-tile"><h3>Wool coat</h3>'
            "<p>EAN: 4006381333931</p></div></section>",
            None,
        ),
    ],
)
def test_the_barcode_printed_under_its_label(client, printed, gtin):
    html = page(
        body=f'<div class="product"><h1>Linen shirt</h1><span class="price">€39.00</span>{printed}</div>'
    )
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert (answer["gtin"], answer["sku"]) == (gtin, None)


@pytest.mark.parametrize(
    "elsewhere",
    [
        '<section class="recommendations"><h2>You may also like</h2><div class="product-tile"><h3>Wool coat</h3>'
        '<span>SKU: WC-9981</span><span class="price">€99</span></div></section>',
        '<div class="related-products"><div class="item"><a href="/p/coat">Coat</a><p>Art.-Nr.: 55512</p></div></div>',
    ],
)
def test_a_code_printed_in_another_products_block_is_not_the_products(client, elsewhere):
    html = page(
        body='<main><div class="product"><h1>Linen shirt</h1><span class="price">€39.00</span></div>'
        f"{elsewhere}</main>"
    )
    answer = scraped(client, "https://shop.example.com/p/linen-shirt", html)
    assert (answer["title"], answer["price"], answer["sku"]) == ("Linen shirt", 39.0, None)


@pytest.mark.parametrize(
    "photo, sku",
    [
        # The shop names the product's photos by its code: the code in the URL is the product's.
        ("https://img.example.com/6206/185097/93133869_1_x.jpg?width=512", "93133869"),
        ("https://img.example.com/p/pillows-pair-93133869-front.webp", "93133869"),
        # Photos named otherwise, or kept in a folder named by the number, say nothing of it.
        ("https://img.example.com/6206/185097/pillows_1_x.jpg", None),
        ("https://img.example.com/93133869/front.jpg", None),
    ],
)
def test_the_code_in_the_url_that_the_products_photos_are_named_by(client, photo, sku):
    html = page(
        body=f"""<main><div class="gallery"><img src="{photo}" alt="Pillows, pair"></div>
          <h1>Pillows, pair</h1><p class="price">$200</p><button class="bid-button">Place bid</button></main>"""
    )
    answer = scraped(client, "https://auction.example.com/item/93133869_pillows-pair", html)
    assert (answer["title"], answer["sku"]) == ("Pillows, pair", sku)
