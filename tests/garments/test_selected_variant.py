"""The variant a page shows selected gives the code, price and stock; with none selected, the product's own code and
whether any variant is in stock. Each page is our own, in the shape a platform publishes its variants (schema.org
ProductGroup and offers, Shopify's product JSON and form, WooCommerce's variation form, app state, SFCC's URL
parameters); the selection is read from the URL, the canonical URL, the variant id the buy form posts and the
options the buy box marks chosen. What is asserted is what a client of POST /api/garments/scrape sees.
"""

import json

from tests.garments.test_platform_shapes import json_ld, offer, page, woocommerce_variation
from tests.garments.test_product_facts import scraped

GROUP_URL = "https://shop.example.com/p/field-jacket"


def jacket_variant(sku, color, size, price, availability="InStock"):
    return {
        "@type": "Product",
        "sku": sku,
        "color": color,
        "size": size,
        "offers": offer(price, availability, url=f"{GROUP_URL}?sku={sku}"),
    }


JACKET_GROUP = {
    "@context": "https://schema.org",
    "@type": "ProductGroup",
    "name": "Field jacket",
    "productGroupID": "FJ-200",
    "variesBy": ["https://schema.org/color", "https://schema.org/size"],
    "hasVariant": [
        jacket_variant("FJ-200-OL-M", "Olive", "M", "129.00", "OutOfStock"),
        jacket_variant("FJ-200-OL-L", "Olive", "L", "129.00"),
        jacket_variant("FJ-200-NV-M", "Navy", "M", "119.00", "OutOfStock"),
    ],
}


def jacket_page(buy_box="", head="", aside=""):
    return page(
        head=json_ld(JACKET_GROUP) + head,
        body=f"""<main><h1>Field jacket</h1><div class="product-info">{buy_box}</div>{aside}</main>""",
    )


def swatches(color, size):
    """A buy box marking its choice the ways themes do: a checked radio and an `is-active` button."""
    colors = "".join(
        f'<label><input type="radio" name="color" value="{name}"{" checked" if name == color else ""}>{name}</label>'
        for name in ("Olive", "Navy")
    )
    sizes = "".join(
        f'<button type="button" class="size-swatch{" is-active" if name == size else ""}" data-value="{name}">'
        f"{name}</button>"
        for name in ("M", "L")
    )
    return f'<fieldset class="colors">{colors}</fieldset><div class="sizes">{sizes}</div>'


def test_product_group_variant_the_buy_box_marks_chosen_gives_its_code_price_and_stock(client):
    answer = scraped(client, GROUP_URL, jacket_page(swatches("Navy", "M")))
    assert (answer["sku"], answer["price"], answer["availability"]) == ("FJ-200-NV-M", 119.0, "OutOfStock")
    answer = scraped(client, GROUP_URL, jacket_page(swatches("Olive", "L")))
    assert (answer["sku"], answer["price"], answer["availability"]) == ("FJ-200-OL-L", 129.0, "InStock")


def test_product_group_with_nothing_selected_gives_the_groups_code_and_stock_of_any_variant(client):
    answer = scraped(client, GROUP_URL, jacket_page('<button type="submit">Add to bag</button>'))
    assert (answer["sku"], answer["availability"]) == ("FJ-200", "InStock")


def test_a_choice_that_leaves_several_variants_selects_none(client):
    """Olive chosen, no size: two variants are Olive, so the code is still the group's."""
    answer = scraped(client, GROUP_URL, jacket_page(swatches("Olive", None)))
    assert (answer["sku"], answer["availability"]) == ("FJ-200", "InStock")


def test_swatches_chosen_in_a_carousel_of_other_products_select_nothing(client):
    carousel = f"""<section class="related-products"><div class="product-tile">
        {swatches("Navy", "M")}<a href="/p/wool-coat">Wool coat</a><span>Sold out</span></div></section>"""
    answer = scraped(client, GROUP_URL, jacket_page(aside=carousel))
    assert (answer["sku"], answer["availability"]) == ("FJ-200", "InStock")


def test_the_variant_whose_offer_url_is_the_canonical_url(client):
    canonical = f'<link rel="canonical" href="{GROUP_URL}?sku=FJ-200-OL-L">'
    answer = scraped(client, GROUP_URL + "?utm_source=mail", jacket_page(head=canonical))
    assert (answer["sku"], answer["availability"]) == ("FJ-200-OL-L", "InStock")


def test_one_offer_per_variant_the_url_names_by_its_option_values(client):
    """SFCC-style option parameters (`?dwvar_<id>_color=…`) select among one offer per variant."""
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Merino beanie",
        "sku": "MB-10",
        "offers": [
            offer("25.00", "OutOfStock", sku="MB-10-GRY", itemOffered={"@type": "Product", "color": "Grey"}),
            offer("22.00", sku="MB-10-RST", itemOffered={"@type": "Product", "color": "Rust"}),
        ],
    }
    html = page(head=json_ld(product), body="<h1>Merino beanie</h1>")
    url = "https://shop.example.com/merino-beanie/MB-10.html"
    answer = scraped(client, f"{url}?dwvar_MB-10_color=grey&pid=MB-10", html)
    assert (answer["sku"], answer["price"], answer["availability"]) == ("MB-10-GRY", 25.0, "OutOfStock")
    answer = scraped(client, url, html)
    assert (answer["sku"], answer["availability"]) == ("MB-10", "InStock")


def shopify_page(form=""):
    def variant(variant_id, sku, color, available):
        return {"id": variant_id, "sku": sku, "option1": color, "price": 4500, "available": available}

    product = {
        "id": 7,
        "title": "Canvas tote",
        "handle": "canvas-tote",
        "vendor": "Harbour",
        "options": [{"name": "Color"}],
        "variants": [variant(301, "CT-NAT", "Natural", True), variant(302, "CT-BLK", "Black", False)],
    }
    return page(
        head='<link rel="preconnect" href="https://cdn.shopify.com">',
        body=f"""<h1>Canvas tote</h1><script type="application/json" data-product-json>{json.dumps(product)}</script>
        {form}""",
    )


def test_shopify_variant_the_product_form_posts(client):
    form = """<form method="post" action="/cart/add" class="product-form">
        <select name="id"><option value="301">Natural</option><option value="302" selected>Black</option></select>
        <button type="submit">Add to cart</button></form>"""
    answer = scraped(client, "https://harbour.example.com/products/canvas-tote", shopify_page(form))
    assert (answer["sku"], answer["availability"]) == ("CT-BLK", "OutOfStock")


def test_shopify_with_no_variant_selected_gives_no_variants_code(client):
    answer = scraped(client, "https://harbour.example.com/products/canvas-tote", shopify_page())
    assert (answer["sku"], answer["availability"]) == (None, "InStock")


def woocommerce_page(preselected):
    variations = [
        woocommerce_variation(11, "s", "sand", 49),
        woocommerce_variation(12, "m", "sand", 49, in_stock=False),
    ]
    options = "".join(
        f'<option value="{size}"{" selected" if size == preselected else ""}>{size.upper()}</option>'
        for size in ("s", "m")
    )
    return page(
        body=f"""<div class="product"><h1 class="product_title">Linen shirt</h1>
        <form class="variations_form cart" data-product_id="10"
              data-product_variations='{json.dumps(variations)}'>
          <select name="attribute_pa_size"><option value="">Choose an option</option>{options}</select>
          <select name="attribute_pa_color"><option value="sand" selected>Sand</option></select>
          <button type="submit" class="single_add_to_cart_button">Add to cart</button>
        </form></div>"""
    )


def test_woocommerce_variation_the_form_preselects(client):
    url = "https://shop.example.com/product/linen-shirt/"
    answer = scraped(client, url, woocommerce_page("m"))
    assert (answer["sku"], answer["availability"]) == ("LS-m-sand", "OutOfStock")
    answer = scraped(client, url, woocommerce_page(None))
    assert (answer["sku"], answer["availability"]) == (None, "InStock")


def runner_state(**extra):
    """App state of a product with two sizes, the second sold out."""
    return {
        "product": {
            "name": "Trail runner",
            "brand": "Stride",
            "sku": "TR-9",
            "price": 140,
            "currency": "EUR",
            **extra,
            "variants": [
                {"id": 901, "sku": "TR-9-41", "size": "41", "inStock": True},
                {"id": 902, "sku": "TR-9-42", "size": "42", "inStock": False},
            ],
        }
    }


def test_app_state_variant_the_buy_box_marks_chosen(client):
    state = runner_state()
    body = """<h1>Trail runner</h1><ul class="size-picker">
        <li><button aria-checked="false" role="radio">41</button></li>
        <li><button aria-checked="{}" role="radio">42</button></li></ul>
        <script>window.__STATE__ = {}</script>"""
    url = "https://stride.example.com/trail-runner"
    chosen = body.format("true", json.dumps(state))
    answer = scraped(client, url, page(body=chosen))
    assert (answer["sku"], answer["availability"]) == ("TR-9-42", "OutOfStock")
    answer = scraped(client, url, page(body=body.format("false", json.dumps(state))))
    assert (answer["sku"], answer["availability"]) == ("TR-9", "InStock")


def magento_page(color=None, size=None):
    """A Magento 2 page: the swatch renderer's jsonConfig (children for sale per option, each child's code) and the
    swatches it renders, the chosen ones `selected` with `aria-checked`."""
    config = {
        "[data-role=swatch-options]": {
            "Magento_Swatches/js/swatch-renderer": {
                "jsonConfig": {
                    "attributes": {
                        "93": {
                            "id": "93",
                            "code": "color",
                            "label": "Color",
                            "options": [
                                {"id": "50", "label": "Blue", "products": ["1001", "1002"]},
                                {"id": "58", "label": "Red", "products": ["1003"]},
                            ],
                        },
                        "144": {
                            "id": "144",
                            "code": "size",
                            "label": "Size",
                            "options": [
                                {"id": "167", "label": "M", "products": ["1001", "1003"]},
                                {"id": "168", "label": "L", "products": ["1002"]},
                            ],
                        },
                    },
                    "sku": {"1001": "MJ01-M-Blue", "1002": "MJ01-L-Blue", "1003": "MJ01-M-Red"},
                    "productId": "1000",
                }
            }
        }
    }

    def swatch(attribute, option_id, label, chosen):
        state = ' selected" aria-checked="true' if chosen else '" aria-checked="false'
        return (
            f'<div class="swatch-option {attribute}{state}" data-option-id="{option_id}" '
            f'data-option-label="{label}" role="option">{label}</div>'
        )

    swatches = (
        swatch("color", "50", "Blue", color == "Blue")
        + swatch("color", "58", "Red", color == "Red")
        + swatch("text", "167", "M", size == "M")
        + swatch("text", "168", "L", size == "L")
    )
    return page(
        body=f"""<div class="product-info-main"><h1 class="page-title"><span class="base">Zip jacket</span></h1>
        <span class="price-wrapper"><span class="price">€79.00</span></span>
        <div class="swatch-opt" data-role="swatch-options">{swatches}</div>
        <form id="product_addtocart_form" action="https://shop.example.com/checkout/cart/add/product/1000/">
          <input type="hidden" name="product" value="1000"><input type="hidden" name="selected_configurable_option">
          <button type="submit" class="action tocart">Add to Cart</button></form></div>
        <script type="text/x-magento-init">{json.dumps(config)}</script>"""
    )


def test_magento_child_the_chosen_swatches_select(client):
    url = "https://shop.example.com/zip-jacket.html"
    answer = scraped(client, url, magento_page("Blue", "L"))
    assert (answer["sku"], answer["availability"]) == ("MJ01-L-Blue", "InStock")
    # Red in L: no child for sale has both.
    answer = scraped(client, url, magento_page("Red", "L"))
    assert (answer["sku"], answer["availability"]) == (None, "OutOfStock")
    # Nothing chosen: no child's code, in stock as some child is.
    answer = scraped(client, url, magento_page())
    assert (answer["sku"], answer["availability"]) == (None, "InStock")


def test_app_state_naming_its_selected_variant_by_id(client):
    state = runner_state(selectedVariantId=902)
    html = page(body=f"<h1>Trail runner</h1><script>window.__STATE__ = {json.dumps(state)}</script>")
    answer = scraped(client, "https://stride.example.com/trail-runner", html)
    assert (answer["sku"], answer["availability"]) == ("TR-9-42", "OutOfStock")


def group_and_state_page(product_state):
    """JSON-LD describing the group only (its code, in stock as some variant is) and app state listing variants."""
    group = {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "Field jacket",
        "productGroupID": "FJ-200",
        "offers": offer("129.00"),
    }
    state = {
        "product": {
            "name": "Field jacket",
            **product_state,
            "variants": [
                {"id": "v1", "sku": "FJ-200-OL-L", "size": "L", "inStock": True},
                {"id": "v2", "sku": "FJ-200-OL-M", "size": "M", "inStock": False},
            ],
        }
    }
    return page(
        head=json_ld(group),
        body=f"<h1>Field jacket</h1><script>window.__STATE__ = {json.dumps(state)}</script>",
    )


def test_the_selected_variants_code_in_one_layer_beats_the_groups_code_in_another(client):
    selected = {"selectedVariant": {"sku": "FJ-200-OL-L", "size": "L", "inStock": True}}
    answer = scraped(client, GROUP_URL, group_and_state_page(selected))
    assert (answer["sku"], answer["availability"]) == ("FJ-200-OL-L", "InStock")


def test_the_selected_variants_stock_in_one_layer_beats_the_groups_stock_in_another(client):
    answer = scraped(client, GROUP_URL, group_and_state_page({"selectedVariantId": "v2"}))
    assert (answer["sku"], answer["availability"]) == ("FJ-200-OL-M", "OutOfStock")


def test_variants_with_urls_that_do_not_parse_still_give_the_group(client):
    broken = {
        **JACKET_GROUP,
        "hasVariant": [{**jacket_variant("FJ-200-X", "Olive", "M", "129.00"), "url": "http://[bad"}],
    }
    html = page(head=json_ld(broken), body="<main><h1>Field jacket</h1></main>")
    answer = scraped(client, GROUP_URL + "?sku=none", html)
    assert (answer["title"], answer["price"]) == ("Field jacket", 129.0)
