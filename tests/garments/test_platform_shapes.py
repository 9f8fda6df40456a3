"""Shapes shop platforms publish product data in, each as a small hand-written page sent as client HTML.

Each page is our own, written the way the platform (or schema.org's documentation) shapes it; what
is asserted is what a client of POST /api/garments/scrape sees.
"""

import json
from html import escape as html_escape

from tests.garments.conftest import product_of, scrape


def page(*, head="", body=""):
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def json_ld(document):
    return f'<script type="application/ld+json">{json.dumps(document)}</script>'


def offer(price, availability="InStock", **extra):
    return {
        "@type": "Offer",
        "price": price,
        "priceCurrency": "EUR",
        "availability": f"https://schema.org/{availability}",
        **extra,
    }


def test_aggregate_offer_with_one_offer_per_size_named_after_the_size(client):
    html = page(
        head=json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Ribbed tank top",
                "brand": "Lumo",
                "image": "https://cdn.example.com/tank.jpg",
                "offers": {
                    "@type": "AggregateOffer",
                    "lowPrice": "19.99",
                    "highPrice": "24.99",
                    "priceCurrency": "EUR",
                    "offerCount": 3,
                    "offers": [
                        offer("19.99", name="XS", sku="RT-XS"),
                        offer("19.99", "OutOfStock", name="S", sku="RT-S"),
                        offer("24.99", name="Ribbed tank top - XL", sku="RT-XL"),
                    ],
                },
            }
        )
    )
    product = product_of(scrape(client, "https://shop.example.com/ribbed-tank-top", html=html))
    assert (product["price"], product["currency"]) == (19.99, "EUR")
    assert product["sizes"] == [
        {"name": "XS", "available": True},
        {"name": "S", "available": False},
        {"name": "XL", "available": True},
    ]


def test_offers_per_size_by_size_property_item_offered_or_sku(client):
    html = page(
        head=json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Denim jacket",
                "brand": "Nordlys",
                "offers": [
                    offer("89.00", size="S"),
                    offer("89.00", "SoldOut", itemOffered={"@type": "Product", "size": "M"}),
                    offer("89.00", sku="DJ-100-40"),
                    offer("89.00", sku="DJ-100-1"),
                ],
            }
        )
    )
    product = product_of(scrape(client, "https://shop.example.com/denim-jacket", html=html))
    assert product["title"] == "Denim jacket"
    assert product["sizes"] == [
        {"name": "S", "available": True},
        {"name": "M", "available": False},
        {"name": "40", "available": True},
    ]


def test_main_product_is_the_one_the_page_url_names_not_a_recommendation_listed_first(client):
    recommendation = {
        "@type": "Product",
        "name": "Canvas tote bag",
        "sku": "TB9",
        "url": "https://shop.example.com/p/canvas-tote-TB9",
        "offers": offer("15"),
    }
    main = {
        "@type": "Product",
        "name": "Linen shirt",
        "sku": "LS200",
        "brand": {"@type": "Brand", "name": "Osterlund"},
        "url": "https://shop.example.com/p/linen-shirt-LS200",
        "offers": offer("69.95"),
    }
    graph = page(head=json_ld({"@context": "https://schema.org", "@graph": [recommendation, main]}))
    product = product_of(
        scrape(client, "https://www.shop.example.com/p/linen-shirt-LS200/?ref=home", html=graph)
    )
    assert (product["title"], product["brand"], product["price"]) == ("Linen shirt", "Osterlund", 69.95)

    del main["url"]
    two_blocks = page(head=json_ld(recommendation) + json_ld(main))
    product = product_of(scrape(client, "https://shop.example.com/en/shirts/ls200.html", html=two_blocks))
    assert (product["title"], product["price"]) == ("Linen shirt", 69.95)


def test_salesforce_commerce_cloud_markup_sale_price_not_the_struck_through_list_price(client):
    html = page(
        head='<meta property="og:type" content="product"><meta property="og:site_name" content="Brandhaus">',
        body="""
      <div class="container product-detail product-wrapper" data-pid="PS-4411">
        <h1 class="product-name">Pleated skirt</h1>
        <div class="prices"><div class="price"><span><!-- list price, then sale price -->
          <del><span class="strike-through list"><span class="value" content="89.00">€89.00</span></span></del>
          <span class="sales"><span class="value" content="69.00">€69.00</span></span></span></div></div>
        <div class="attribute"><label class="size" for="size-1">Size</label>
          <select class="custom-select form-control select-size" id="size-1">
            <option data-attr-value="36">36</option><option data-attr-value="38">38</option>
            <option data-attr-value="40" disabled>40</option></select></div>
      </div>""",
    )
    product = product_of(
        scrape(client, "https://www.shop.example.com/en/pleated-skirt/PS-4411.html", html=html)
    )
    assert (product["title"], product["price"], product["currency"]) == ("Pleated skirt", 69.0, "EUR")
    assert product["sizes"] == [
        {"name": "36", "available": True},
        {"name": "38", "available": True},
        {"name": "40", "available": False},
    ]


def test_money_in_minor_units_in_app_state(client):
    state = {
        "props": {
            "pageProps": {
                "product": {
                    "id": "BZ1",
                    "name": "Tailored blazer",
                    "brand": "Vela",
                    "price": {
                        "value": {
                            "type": "centPrecision",
                            "currencyCode": "EUR",
                            "centAmount": 12995,
                            "fractionDigits": 2,
                        }
                    },
                    "images": [
                        {"url": "https://cdn.example.com/bz1-1.jpg"},
                        {"url": "https://cdn.example.com/bz1-2.jpg"},
                    ],
                    "variants": [
                        {"sku": "BZ1-36", "size": "36", "isOnStock": True},
                        {"sku": "BZ1-38", "size": "38", "isOnStock": False},
                    ],
                }
            }
        }
    }
    html = page(body=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>')
    product = product_of(scrape(client, "https://shop.example.com/p/blazer-BZ1", html=html))
    assert (product["title"], product["price"], product["currency"]) == ("Tailored blazer", 129.95, "EUR")
    assert product["sizes"] == [{"name": "36", "available": True}, {"name": "38", "available": False}]

    state = {
        "product": {
            "id": "KD13",
            "name": "Knit dress",
            "brand": "Vela",
            "priceInCents": 4995,
            "currencyCode": "EUR",
        }
    }
    html = page(body=f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>")
    product = product_of(scrape(client, "https://shop.example.com/p/knit-dress-KD13", html=html))
    assert (product["price"], product["currency"]) == (49.95, "EUR")


def test_magento_configurable_options_and_gallery_in_x_magento_init_scripts(client):
    configurable = {
        "#product_addtocart_form": {
            "configurable": {
                "spConfig": {
                    "attributes": {
                        "150": {
                            "id": "150",
                            "code": "waist_size",
                            "label": "Waist",
                            "options": [
                                {"id": "30", "label": "30", "products": ["11"]},
                                {"id": "32", "label": "32", "products": []},
                            ],
                        },
                        "93": {
                            "id": "93",
                            "code": "color",
                            "label": "Color",
                            "options": [{"id": "5", "label": "Khaki", "products": ["11"]}],
                        },
                    },
                    "prices": {"finalPrice": {"amount": 79}},
                    "productId": "10",
                }
            }
        }
    }
    gallery = {
        "[data-gallery-role=gallery-placeholder]": {
            "mage/gallery/gallery": {
                "data": [
                    {
                        "thumb": "https://shop.example.com/media/catalog/product/cache/t/chino-1.jpg",
                        "img": "https://shop.example.com/media/catalog/product/cache/i/chino-1.jpg",
                        "full": "https://shop.example.com/media/catalog/product/c/h/chino-1.jpg",
                        "isMain": True,
                    },
                    {
                        "thumb": "https://shop.example.com/media/catalog/product/cache/t/chino-2.jpg",
                        "full": "https://shop.example.com/media/catalog/product/c/h/chino-2.jpg",
                        "isMain": False,
                    },
                ]
            }
        }
    }
    html = page(
        head='<meta property="og:type" content="product"><meta property="og:title" content="Chino pants">'
        '<meta property="product:price:amount" content="79.00">'
        '<meta property="product:price:currency" content="EUR">',
        body='<h1 class="page-title"><span class="base">Chino pants</span></h1>'
        f'<script type="text/x-magento-init">{json.dumps(configurable)}</script>'
        f'<script type="text/x-magento-init">{json.dumps(gallery)}</script>',
    )
    product = product_of(scrape(client, "https://shop.example.com/chino-pants.html", html=html))
    assert (product["title"], product["price"]) == ("Chino pants", 79.0)
    assert product["sizes"] == [{"name": "30", "available": True}, {"name": "32", "available": False}]
    assert product["colors"] == ["Khaki"]
    assert product["images"] == [
        "https://shop.example.com/media/catalog/product/c/h/chino-1.jpg",
        "https://shop.example.com/media/catalog/product/c/h/chino-2.jpg",
    ]


def test_nuxt2_state_returned_by_a_function_call_with_minified_arguments(client):
    state = (
        'window.__NUXT__=(function(a,b,c,d){return {layout:"default",data:[{product:{id:"OH5",'
        'name:"Oversized hoodie",brand:{name:"Kollekt"},price:{current:59.99,currency:d},'
        'images:[{src:"https://cdn.example.com/oh5-1.jpg"},{src:"https://cdn.example.com/oh5-2.jpg"}],'
        'sizes:[{label:"S",inStock:a},{label:"M",inStock:b},{label:"L",inStock:a}],color:"Washed black",'
        'composition:"80% Baumwolle, 20% Polyester"}}],error:c,serverRendered:a}}(true,false,null,"EUR"));'
    )
    html = page(body=f'<div id="__nuxt"></div><script>{state}</script>')
    product = product_of(scrape(client, "https://shop.example.com/p/oversized-hoodie-OH5", html=html))
    assert (product["title"], product["brand"], product["price"], product["currency"]) == (
        "Oversized hoodie",
        "Kollekt",
        59.99,
        "EUR",
    )
    assert product["sizes"] == [
        {"name": "S", "available": True},
        {"name": "M", "available": False},
        {"name": "L", "available": True},
    ]
    assert product["colors"] == ["Washed black"]
    assert product["fabric"] == [
        {"name": "Baumwolle", "percentage": 80.0},
        {"name": "Polyester", "percentage": 20.0},
    ]


def test_nuxt3_devalue_payload(client):
    flat = [
        ["ShallowReactive", 1],
        {"data": 2},
        ["ShallowReactive", 3],
        {"product-PK2": 4},
        {"id": 5, "name": 6, "brand": 7, "price": 8, "sizes": 11, "images": 16},
        "PK2",
        "Hooded parka",
        "Kollekt",
        {"value": 9, "currencyCode": 10},
        199,
        "CHF",
        [12, 14],
        {"name": 13, "available": 18},
        "S",
        {"name": 15, "available": 19},
        "M",
        [17],
        "https://cdn.example.com/pk2.jpg",
        True,
        False,
    ]
    html = page(
        body=f'<script type="application/json" id="__NUXT_DATA__" data-ssr="true">{json.dumps(flat)}</script>'
    )
    product = product_of(scrape(client, "https://shop.example.com/p/parka-PK2", html=html))
    assert (product["title"], product["brand"], product["price"], product["currency"]) == (
        "Hooded parka",
        "Kollekt",
        199.0,
        "CHF",
    )
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": False}]
    assert product["images"] == ["https://cdn.example.com/pk2.jpg"]


def test_next_app_router_flight_chunks(client):
    props = {
        "product": {
            "id": "PT9",
            "name": "Pleated trousers",
            "brand": "Kollekt",
            "price": {"amount": "89.95", "currencyCode": "EUR"},
            "images": [{"url": "https://cdn.example.com/pt9-1.jpg"}],
            "variants": [{"size": "30", "available": True}, {"size": "32", "available": False}],
            "material": "98% cotton, 2% elastane",
        }
    }
    row = "5:" + json.dumps(["$", "div", None, {"children": ["$", "$L6", None, props]}]) + "\n"
    chunks = [[0], [1, '1:HL["/_next/static/css/a.css","style"]\n'], [1, row[:40]], [1, row[40:]]]
    html = page(body="".join(f"<script>self.__next_f.push({json.dumps(chunk)})</script>" for chunk in chunks))
    product = product_of(scrape(client, "https://shop.example.com/p/pleated-trousers-PT9", html=html))
    assert (product["title"], product["brand"], product["price"], product["currency"]) == (
        "Pleated trousers",
        "Kollekt",
        89.95,
        "EUR",
    )
    assert product["sizes"] == [{"name": "30", "available": True}, {"name": "32", "available": False}]
    assert product["fabric"] == [
        {"name": "cotton", "percentage": 98.0},
        {"name": "elastane", "percentage": 2.0},
    ]


def test_shopify_theme_with_only_the_analytics_meta_product(client):
    meta = {
        "product": {
            "id": 778,
            "vendor": "Coastline",
            "type": "Polo",
            "variants": [
                {
                    "id": 1,
                    "price": 8500,
                    "name": "Ribbed knit polo - Cream / S",
                    "public_title": "Cream / S",
                    "sku": "RKP-C-S",
                },
                {
                    "id": 2,
                    "price": 8500,
                    "name": "Ribbed knit polo - Cream / M",
                    "public_title": "Cream / M",
                    "sku": "RKP-C-M",
                },
            ],
        },
        "page": {"pageType": "product", "resourceType": "product", "resourceId": 778},
    }
    html = page(
        head='<link rel="preconnect" href="https://cdn.shopify.com">'
        '<meta property="og:title" content="Ribbed knit polo"><meta property="og:type" content="product">'
        '<meta property="og:price:currency" content="USD">'
        f"<script>var meta = {json.dumps(meta)};\n"
        "for (var attr in meta) { window.ShopifyAnalytics.meta[attr] = meta[attr]; }</script>",
        body="<h1>Ribbed knit polo</h1>",
    )
    product = product_of(scrape(client, "https://brand.example.com/products/ribbed-knit-polo", html=html))
    assert product["extractor"] == "shopify"
    assert (product["title"], product["brand"], product["price"], product["currency"]) == (
        "Ribbed knit polo",
        "Coastline",
        85.0,
        "USD",
    )
    assert [size["name"] for size in product["sizes"]] == ["S", "M"]
    assert product["colors"] == ["Cream"]


def og_product(title, body):
    """A page whose meta tags give title and price; everything else is in `body`."""
    return page(
        head=f'<meta property="og:type" content="product"><meta property="og:title" content="{title}">'
        '<meta property="product:price:amount" content="40"><meta property="product:price:currency" '
        'content="EUR">',
        body=f"<h1>{title}</h1>{body}",
    )


def sizes_on(client, body):
    return product_of(scrape(client, "https://shop.example.com/p/tee", html=og_product("Basic tee", body)))[
        "sizes"
    ]


def test_size_pickers_named_by_legend_label_aria_or_data_size(client):
    s_m = [{"name": "S", "available": True}, {"name": "M", "available": False}]
    assert (
        sizes_on(
            client,
            '<fieldset class="variant-picker"><legend>Size</legend>'
            '<input type="radio" name="opt-1" id="o1" value="S"><label for="o1">S</label>'
            '<input type="radio" name="opt-1" id="o2" value="M" disabled><label for="o2">M</label>'
            "</fieldset>",
        )
        == s_m
    )
    assert (
        sizes_on(
            client,
            '<div role="radiogroup" aria-label="Select size"><button role="radio">S</button>'
            '<button role="radio" aria-disabled="true">M</button></div>',
        )
        == s_m
    )
    assert (
        sizes_on(
            client,
            '<div class="form-row"><label>Größe</label><select id="variant-select">'
            "<option>Größe wählen</option><option>S</option><option>M - ausverkauft</option>"
            "</select></div>",
        )
        == s_m
    )
    assert (
        sizes_on(
            client,
            '<div class="pdp-options"><button type="button" data-size="S">S</button>'
            '<button type="button" data-size="M" disabled>M</button></div>',
        )
        == s_m
    )


def test_colour_swatches_and_woocommerce_colour_select(client):
    swatches = (
        '<ul class="color-swatches"><li><a class="swatch" title="Ivory" href="?c=2"></a></li>'
        '<li><a class="swatch is-selected" title="Dusty pink" href="?c=1"></a></li>'
        '<li><a class="swatch" title="Basic tee, Black, large" href="?c=3"></a></li></ul>'
        '<div class="colour-picker"><button aria-label="Colour: Olive"></button></div>'
    )
    product = product_of(
        scrape(client, "https://shop.example.com/p/tee", html=og_product("Basic tee", swatches))
    )
    assert product["colors"] == ["Dusty pink", "Ivory"]
    # A product of one word: a swatch holding it and the brand is the product's name, not a colour.
    one_word = swatches.replace("Basic tee, Black, large", "Lumo Ofleki")
    product = product_of(
        scrape(client, "https://shop.example.com/p/tee", html=og_product("Ofleki", one_word))
    )
    assert product["colors"] == ["Dusty pink", "Ivory"]

    woocommerce = (
        '<form class="variations_form cart"><table class="variations"><tr><th class="label">'
        '<label for="pa_color">Color</label></th><td class="value"><select id="pa_color" '
        'name="attribute_pa_color"><option value="">Choose an option</option>'
        '<option value="natural">Natural</option></select></td></tr></table></form>'
    )
    product = product_of(
        scrape(client, "https://shop.example.com/p/tee", html=og_product("Basic tee", woocommerce))
    )
    assert product["colors"] == ["Natural"]


def fabric_on(client, body):
    return [
        (entry["name"], entry["percentage"])
        for entry in product_of(
            scrape(client, "https://shop.example.com/p/coat", html=og_product("Coat", body))
        )["fabric"]
    ]


def test_composition_texts_in_several_languages_and_layouts(client):
    assert fabric_on(client, "<ul><li>Regular fit</li><li>Cotton 95%, Elastane 5%</li></ul>") == [
        ("Cotton", 95.0),
        ("Elastane", 5.0),
    ]
    assert fabric_on(
        client, "<p>Tissu principal : 70% laine, 30% polyamide. Doublure : 100% viscose</p>"
    ) == [("laine", 70.0), ("polyamide", 30.0), ("viscose", 100.0)]
    assert fabric_on(client, "<dl><dt>Obermaterial</dt><dd>Leder</dd><dt>Sohle</dt><dd>Gummi</dd></dl>") == [
        ("Leder", None),
        ("Gummi", None),
    ]
    assert fabric_on(client, "<table><tr><th>Upper</th><td>Leather</td></tr></table>") == [("Leather", None)]
    assert fabric_on(
        client, '<div class="value">Felpa in cotone. Composizione: 95% cotone, 5% elastan</div>'
    ) == [("cotone", 95.0), ("elastan", 5.0)]


def price_of(client, url, document, head=""):
    product = product_of(scrape(client, url, html=page(head=head + json_ld(document))))
    return product["price"], product["currency"]


def test_prices_written_as_text_and_currencies_stated_elsewhere_or_by_the_country(client):
    def coat(price):
        return {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": "Coat",
            "offers": {"price": price},
        }

    assert price_of(client, "https://shop.example.com/p/coat", coat("1.299,00 €")) == (1299.0, "EUR")
    assert price_of(
        client,
        "https://shop.example.com/p/coat",
        coat("299.00"),
        head='<meta itemprop="priceCurrency" content="DKK">',
    ) == (299.0, "DKK")
    assert price_of(client, "https://www.butik.se/p/kappa", coat("kr 499,-")) == (499.0, "SEK")
    assert price_of(
        client,
        "https://shop.example.com/p/coat",
        coat("$1,299.00"),
        head='<meta property="og:locale" content="en_US">',
    ) == (1299.0, "USD")
    assert price_of(client, "https://shop.example.com/p/coat", coat("$1,299.00")) == (1299.0, None)


def test_composition_in_description_prose_tied_to_a_material_word(client):
    def fabric_in(description):
        html = page(
            head=json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "Product",
                    "name": "Knit jumper",
                    "description": "A relaxed jumper for every day.",
                    "offers": offer("79"),
                }
            ),
            body=f'<div class="woocommerce-product-details__short-description"><p>{description}</p></div>',
        )
        product = product_of(scrape(client, "https://shop.example.com/p/knit-jumper", html=html))
        return [(entry["name"], entry["percentage"]) for entry in product["fabric"]]

    assert fabric_in("Made from 100% wool. 100% satisfaction guaranteed.") == [("wool", 100.0)]
    assert fabric_in("Crafted in 98% organic cotton and 2% elastane.") == [
        ("organic cotton", 98.0),
        ("elastane", 2.0),
    ]
    assert fabric_in("Ein Pullover aus 100 % Baumwolle.") == [("Baumwolle", 100.0)]
    assert fabric_in("Un pull en 100 % lin.") == [("lin", 100.0)]
    assert fabric_in("This wool jumper is made from 100% merino wool.") == [("merino wool", 100.0)]
    assert fabric_in("Up to 50% off linen shirts! Save 20% on wool. Shipped in 30% recycled packaging.") == []


def test_one_fabric_entry_per_material_across_spellings_and_languages(client):
    assert fabric_on(
        client, "<p>Composition: 95% Cotton, 5% Elastane</p><ul><li>Material: Baumwolle, Elastan</li></ul>"
    ) == [("Cotton", 95.0), ("Elastane", 5.0)]
    assert fabric_on(
        client,
        "<ul><li>Capellada: Sintético</li><li>Material exterior: Sintetico</li><li>Suela: Goma</li></ul>",
    ) == [("Sintético", None), ("Goma", None)]


def test_product_group_variant_selected_by_the_url_gives_price_colour_and_image(client):
    def variant(sku, color, size, price):
        return {
            "@type": "Product",
            "sku": sku,
            "color": color,
            "size": size,
            "image": f"https://cdn.example.com/{sku}.jpg",
            "offers": offer(price, url=f"https://shop.example.com/p/wrap-dress?variant={sku}"),
        }

    group = {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "Wrap dress",
        "productGroupID": "WD7",
        "variesBy": ["https://schema.org/color", "https://schema.org/size"],
        "hasVariant": [
            variant("WD7-BLK-S", "Black", "S", "89"),
            variant("WD7-GRN-S", "Sage green", "S", "69"),
            variant("WD7-GRN-M", "Sage green", "M", "69"),
        ],
    }
    html = page(head=json_ld(group))
    product = product_of(scrape(client, "https://shop.example.com/p/wrap-dress?variant=WD7-GRN-M", html=html))
    assert (product["price"], product["colors"][0]) == (69.0, "Sage green")
    assert product["images"][0] == "https://cdn.example.com/WD7-GRN-M.jpg"
    assert [size["name"] for size in product["sizes"]] == ["S", "M"]

    product = product_of(scrape(client, "https://shop.example.com/p/wrap-dress-wd7-grn-s", html=html))
    assert (product["price"], product["colors"][0]) == (69.0, "Sage green")

    product = product_of(scrape(client, "https://shop.example.com/p/wrap-dress", html=html))
    assert (product["price"], product["colors"]) == (89.0, ["Black", "Sage green"])


def test_several_products_none_named_by_the_url_the_one_titled_like_the_page(client):
    bag = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Canvas tote bag",
        "offers": offer("15"),
    }
    shirt = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Striped poplin shirt",
        "brand": "Osterlund",
        "offers": offer("59"),
    }
    head = json_ld(bag) + json_ld(shirt)
    by_og_title = page(
        head=head + '<meta property="og:title" content="Striped poplin shirt | Osterlund">'
        '<meta property="og:site_name" content="Osterlund">'
    )
    product = product_of(scrape(client, "https://shop.example.com/item/55120", html=by_og_title))
    assert (product["title"], product["price"]) == ("Striped poplin shirt", 59.0)

    by_h1 = page(head=head, body="<h1>Striped Poplin Shirt</h1>")
    product = product_of(scrape(client, "https://shop.example.com/item/55120", html=by_h1))
    assert (product["title"], product["price"]) == ("Striped poplin shirt", 59.0)


def woocommerce_variation(variation_id, size, color, price, in_stock=True):
    upload = f"https://shop.example.com/wp-content/uploads/2026/03/shirt-{color}"
    return {
        "attributes": {"attribute_pa_size": size, "attribute_pa_color": color},
        "availability_html": f'<p class="stock {"in-stock" if in_stock else "out-of-stock"}">'
        f"{'In stock' if in_stock else 'Out of stock'}</p>",
        "display_price": price,
        "display_regular_price": 59,
        "is_in_stock": in_stock,
        "is_purchasable": True,
        "variation_is_active": True,
        "variation_is_visible": True,
        "sku": f"LS-{size}-{color}",
        "variation_id": variation_id,
        "image": {
            "title": f"shirt-{color}",
            "alt": "",
            "url": f"{upload}.jpg",
            "src": f"{upload}-600x600.jpg",
            "full_src": f"{upload}.jpg",
        },
    }


def test_woocommerce_variation_form_and_gallery_without_alt_text(client):
    variations = [
        woocommerce_variation(11, "s", "sand", 49),
        woocommerce_variation(12, "m", "sand", 49, in_stock=False),
        woocommerce_variation(13, "l", "sand", 49),
        woocommerce_variation(14, "", "dusty-blue", 54),
    ]
    gallery = "".join(
        f'<div data-thumb="https://shop.example.com/wp-content/uploads/2026/03/IMG_{n}-100x100.jpg" '
        f'class="woocommerce-product-gallery__image"><a href="https://shop.example.com/wp-content/uploads/2026/03/IMG_{n}.jpg">'
        f'<img width="600" height="600" src="https://shop.example.com/wp-content/uploads/2026/03/IMG_{n}-600x600.jpg" '
        f'alt="" title="IMG_{n}" data-large_image="https://shop.example.com/wp-content/uploads/2026/03/IMG_{n}.jpg" '
        f'data-large_image_width="1200"></a></div>'
        for n in (4821, 4822, 4823)
    )
    form = (
        f'<form class="variations_form cart" method="post" data-product_id="10" '
        f'data-product_variations="{html_escape(json.dumps(variations))}"><table class="variations">'
        '<tr><th class="label"><label for="pa_size">Size</label></th><td class="value">'
        '<select id="pa_size" name="attribute_pa_size" data-attribute_name="attribute_pa_size">'
        '<option value="">Choose an option</option><option value="s">S</option><option value="m">M</option>'
        '<option value="l">L</option></select></td></tr>'
        '<tr><th class="label"><label for="pa_color">Color</label></th><td class="value">'
        '<select id="pa_color" name="attribute_pa_color" data-attribute_name="attribute_pa_color">'
        '<option value="">Choose an option</option><option value="sand">Sand</option>'
        '<option value="dusty-blue" selected="selected">Dusty blue</option></select></td></tr></table></form>'
    )
    html = page(
        head='<meta property="og:type" content="product"><meta property="og:title" content="Linen shirt">'
        '<meta property="og:image" content="https://shop.example.com/wp-content/uploads/2026/03/IMG_4821.jpg">'
        + json_ld(
            {
                "@context": "https://schema.org/",
                "@type": "Product",
                "name": "Linen shirt",
                "image": "https://shop.example.com/wp-content/uploads/2026/03/IMG_4821.jpg",
                "offers": [
                    {
                        "@type": "AggregateOffer",
                        "lowPrice": "49.00",
                        "highPrice": "54.00",
                        "offerCount": 4,
                        "priceCurrency": "EUR",
                    }
                ],
            }
        ),
        body=f'<div class="product type-product"><div class="woocommerce-product-gallery images">{gallery}</div>'
        f'<div class="summary entry-summary"><h1 class="product_title entry-title">Linen shirt</h1>'
        f"{form}</div></div>",
    )
    product = product_of(scrape(client, "https://shop.example.com/product/linen-shirt/", html=html))
    assert (product["title"], product["price"], product["currency"]) == ("Linen shirt", 49.0, "EUR")
    assert product["sizes"] == [
        {"name": "S", "available": True},
        {"name": "M", "available": True},
        {"name": "L", "available": True},
    ]
    assert product["colors"] == ["Dusty blue", "Sand"]
    assert product["images"] == [
        f"https://shop.example.com/wp-content/uploads/2026/03/{name}.jpg"
        for name in ("IMG_4821", "IMG_4822", "IMG_4823", "shirt-sand", "shirt-dusty-blue")
    ]

    sold_out_blue = variations[:3] + [woocommerce_variation(14, "", "dusty-blue", 54, in_stock=False)]
    product = product_of(
        scrape(
            client,
            "https://shop.example.com/product/linen-shirt/",
            html=html.replace(html_escape(json.dumps(variations)), html_escape(json.dumps(sold_out_blue))),
        )
    )
    assert product["sizes"] == [
        {"name": "S", "available": True},
        {"name": "M", "available": False},
        {"name": "L", "available": True},
    ]


def test_price_specifications_expired_offers_and_swiss_or_thin_space_prices(client):
    def coat(offers):
        return {"@context": "https://schema.org", "@type": "Product", "name": "Coat", "offers": offers}

    url = "https://shop.example.com/p/coat"
    strike_through_first = {
        "@type": "Offer",
        "priceSpecification": [
            {
                "@type": "UnitPriceSpecification",
                "priceType": "https://schema.org/StrikethroughPrice",
                "price": 179.0,
                "priceCurrency": "EUR",
            },
            {"@type": "UnitPriceSpecification", "price": 129.0, "priceCurrency": "EUR"},
        ],
    }
    assert price_of(client, url, coat(strike_through_first)) == (129.0, "EUR")
    expired_sale = [offer("99", priceValidUntil="2024-01-31"), offer("149", priceValidUntil="2099-12-31")]
    assert price_of(client, url, coat(expired_sale)) == (149.0, "EUR")
    assert price_of(client, url, coat({"price": "CHF 1'299.–"})) == (1299.0, "CHF")
    assert price_of(client, url, coat({"price": "1\u2009299,00\u00a0€"})) == (1299.0, "EUR")
    assert price_of(client, url, coat({"price": "1\u202f299,00 €"})) == (1299.0, "EUR")


def test_bigcommerce_stencil_bcdata_product_view_and_option_labels(client):
    bc_data = {
        "csrf_token": "x",
        "product_attributes": {
            "sku": "LS-112",
            "price": {
                "without_tax": {"formatted": "$49.00", "value": 49, "currency": "USD"},
                "tax_label": "Tax",
            },
            "stock": None,
            "instock": True,
            "purchasable": True,
        },
    }
    cdn = "https://cdn11.bigcommerce.com/s-abc123/images/stencil"

    def option(kind, attribute, value, text, extra_class=""):
        return (
            f'<input class="form-radio" type="radio" id="attribute_{kind}_{attribute}_{value}" '
            f'name="attribute[{attribute}]" value="{value}" required>'
            f'<label class="form-option {extra_class}" for="attribute_{kind}_{attribute}_{value}" '
            f'data-product-attribute-value="{value}">{text}</label>'
        )

    html = page(
        head=f"<script>var BCData = {json.dumps(bc_data)};</script>",
        body=f"""
      <div class="productView" data-event-type="product" data-entity-id="112" data-name="Linen Shirt"
           data-product-category="Men/Shirts" data-product-brand="Osterlund" data-product-price="49">
        <section class="productView-images" data-image-gallery><ul class="productView-thumbnails">
          <li><a href="{cdn}/1280x1280/products/112/381/linen-shirt__1.jpg?c=1" data-image-gallery-item>
            <img class="lazyload" data-src="{cdn}/50x50/products/112/381/linen-shirt__1.jpg?c=1" alt="Linen Shirt"></a></li>
          <li><a href="{cdn}/1280x1280/products/112/382/linen-shirt-back__2.jpg?c=1" data-image-gallery-item>
            <img class="lazyload" data-src="{cdn}/50x50/products/112/382/linen-shirt-back__2.jpg?c=1" alt="Linen Shirt"></a></li>
        </ul></section>
        <h1 class="productView-title">Linen Shirt</h1>
        <span data-product-price-without-tax class="price price--withoutTax">$49.00</span>
        <form class="form" method="post" action="/cart.php" data-cart-item-add><div data-product-option-change>
          <div class="form-field" data-product-attribute="set-rectangle">
            <label class="form-label">Size: <span data-option-value></span><small>Required</small></label>
            {option("rectangle", 118, 201, '<span class="form-option-variant">S</span>')}
            {option("rectangle", 118, 202, '<span class="form-option-variant">M</span>', "unavailable")}
          </div>
          <div class="form-field" data-product-attribute="swatch">
            <label class="form-label">Color: <span data-option-value></span><small>Required</small></label>
            {option("swatch", 119, 204, '<span class="form-option-variant form-option-variant--color" title="Navy"></span>')}
            {option("swatch", 119, 205, '<span class="form-option-variant form-option-variant--color" title="Sand"></span>')}
          </div></div></form></div>""",
    )
    product = product_of(scrape(client, "https://store.example.com/linen-shirt/", html=html))
    assert (product["title"], product["brand"], product["price"], product["currency"]) == (
        "Linen Shirt",
        "Osterlund",
        49.0,
        "USD",
    )
    assert (product["sku"], product["availability"]) == ("LS-112", "InStock")
    assert product["category"] == "shirt"
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": False}]
    assert product["colors"] == ["Navy", "Sand"]
    assert product["images"] == [
        f"{cdn}/1280x1280/products/112/381/linen-shirt__1.jpg?c=1",
        f"{cdn}/1280x1280/products/112/382/linen-shirt-back__2.jpg?c=1",
    ]


def test_shopware_configurator_groups_titled_by_a_div_and_gallery_slider(client):
    def option(group, value, caption, combinable=True, checked=False, display="text"):
        combinable_class = " is-combinable" if combinable else ""
        return (
            f'<div class="product-detail-configurator-option"><input type="radio" name="{group}" value="{value}" '
            f'class="product-detail-configurator-option-input{combinable_class}" id="{group}-{value}"'
            f'{" checked" if checked else ""}><label class="product-detail-configurator-option-label'
            f'{combinable_class} is-display-{display}" title="{caption}" for="{group}-{value}">'
            f"{caption if display == 'text' else ''}</label></div>"
        )

    def group(title, options):
        return (
            f'<div class="product-detail-configurator-group"><div class="product-detail-configurator-group-title">'
            f'{title}</div><div class="product-detail-configurator-options">{"".join(options)}</div></div>'
        )

    html = page(
        head='<meta property="og:type" content="product">',
        body=f"""
      <div class="cms-element-image-gallery"><div class="base-slider gallery-slider" data-gallery-slider="true">
        <div class="gallery-slider-item-container"><div class="gallery-slider-item js-magnifier-container">
          <img src="https://shop.example.de/media/ab/cd/leinenhemd-1.jpg" class="img-fluid gallery-slider-image" alt=""
               data-full-image="https://shop.example.de/media/ab/cd/leinenhemd-1.jpg" itemprop="image"></div></div>
        <div class="gallery-slider-item-container"><div class="gallery-slider-item js-magnifier-container">
          <img src="https://shop.example.de/media/ab/ce/leinenhemd-2.jpg" class="img-fluid gallery-slider-image" alt=""
               data-full-image="https://shop.example.de/media/ab/ce/leinenhemd-2.jpg" itemprop="image"></div></div></div></div>
      <div class="product-detail-buy" itemscope itemtype="https://schema.org/Product">
        <h1 class="product-detail-name" itemprop="name">Leinenhemd</h1>
        <div itemprop="brand" itemtype="https://schema.org/Brand" itemscope><meta itemprop="name" content="Osterlund"></div>
        <div itemprop="offers" itemscope itemtype="http://schema.org/Offer"><meta itemprop="priceCurrency" content="EUR">
          <p class="product-detail-price">49,95 €*</p><meta itemprop="price" content="49.95">
          <link itemprop="availability" href="http://schema.org/InStock"></div>
        <form data-variant-switch="true" data-variant-switch-options='{{"url":"/detail/switch","pageType":"product-detail"}}'>
          {group("Größe", [option("g1", "o1", "S", checked=True), option("g1", "o2", "M", combinable=False)])}
          {
            group(
                "Farbe",
                [
                    option("g2", "c1", "Sand", checked=True, display="color"),
                    option("g2", "c2", "Navy", display="color"),
                ],
            )
        }
        </form></div>""",
    )
    product = product_of(scrape(client, "https://shop.example.de/leinenhemd/SW10001", html=html))
    assert (product["title"], product["brand"], product["price"], product["currency"]) == (
        "Leinenhemd",
        "Osterlund",
        49.95,
        "EUR",
    )
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": False}]
    assert product["colors"] == ["Sand", "Navy"]
    assert product["images"] == [
        "https://shop.example.de/media/ab/cd/leinenhemd-1.jpg",
        "https://shop.example.de/media/ab/ce/leinenhemd-2.jpg",
    ]


def test_prestashop_product_details_data_variants_form_and_image_thumbnails(client):
    details = {
        "id_product": "1",
        "id_manufacturer": "2",
        "reference": "demo_1",
        "name": "Linen shirt",
        "price": "€49.00",
        "price_amount": 49,
        "regular_price_amount": 59,
        "manufacturer_name": "Osterlund",
        "attributes": {"1": {"id_attribute": "1", "id_attribute_group": "1", "name": "S", "group": "Size"}},
        "quantity": 12,
        "availability": "available",
        "description": "<p>A breezy shirt in 100% linen.</p>",
    }
    prestashop = {
        "currency": {"id": 1, "name": "Euro", "iso_code": "EUR", "sign": "€"},
        "page": {"page_name": "product"},
        "shop": {"name": "Osterlund Store"},
    }

    def thumb(n):
        return (
            f'<li class="thumb-container js-thumb-container"><img class="thumb js-thumb" alt="" '
            f'data-image-large-src="https://shop.example.fr/{n}-large_default/linen-shirt.jpg" '
            f'src="https://shop.example.fr/{n}-small_default/linen-shirt.jpg"></li>'
        )

    html = page(
        head=f'<meta property="og:type" content="product"><script>var prestashop = {json.dumps(prestashop)};</script>',
        body=f"""
      <div class="images-container js-images-container"><div class="product-cover">
        <img class="js-qv-product-cover img-fluid" src="https://shop.example.fr/2-large_default/linen-shirt.jpg" alt=""></div>
        <ul class="product-images js-qv-product-images">{thumb(2)}{thumb(3)}</ul></div>
      <h1 class="h1">Linen shirt</h1>
      <div class="product-prices"><div class="product-discount"><span class="regular-price">€59.00</span></div>
        <div class="current-price"><span class="current-price-value" content="49">€49.00</span></div></div>
      <form id="add-to-cart-or-refresh"><div class="product-variants js-product-variants">
        <div class="clearfix product-variants-item"><span class="control-label">Size</span>
          <select class="form-control form-control-select" id="group_1" aria-label="Size" name="group[1]">
            <option value="1" title="S" selected="selected">S</option><option value="2" title="M">M</option></select></div>
      </div></form>
      <div class="js-product-details tab-pane fade" id="product-details"
           data-product="{html_escape(json.dumps(details))}"></div>""",
    )
    product = product_of(
        scrape(client, "https://shop.example.fr/en/men/1-2-linen-shirt.html#/1-size-s", html=html)
    )
    assert (product["title"], product["brand"], product["price"], product["currency"]) == (
        "Linen shirt",
        "Osterlund",
        49.0,
        "EUR",
    )
    assert [size["name"] for size in product["sizes"]] == ["S", "M"]
    assert product["fabric"] == [{"name": "linen", "percentage": 100.0}]
    assert product["images"] == [
        "https://shop.example.fr/2-large_default/linen-shirt.jpg",
        "https://shop.example.fr/3-large_default/linen-shirt.jpg",
    ]


def test_prestashop_16_combinations_with_stock_and_attribute_groups(client):
    groups = [
        {"id_attribute": "1", "id_attribute_group": "1", "attribute": "s", "group": "size"},
        {"id_attribute": "2", "id_attribute_group": "1", "attribute": "m", "group": "size"},
        {"id_attribute": "13", "id_attribute_group": "3", "attribute": "orange", "group": "color"},
        {"id_attribute": "15", "id_attribute_group": "3", "attribute": "green", "group": "color"},
    ]
    combinations = {
        "40": {
            "attributes_values": {"1": "S", "3": "Orange"},
            "attributes": [1, 13],
            "price": 0,
            "quantity": 4,
        },
        "41": {
            "attributes_values": {"1": "M", "3": "Orange"},
            "attributes": [2, 13],
            "price": 0,
            "quantity": 0,
        },
        "42": {
            "attributes_values": {"1": "S", "3": "Green"},
            "attributes": [1, 15],
            "price": 0,
            "quantity": 2,
        },
    }
    script = (
        f"var attributesCombinations = {json.dumps(groups)};\nvar allowBuyWhenOutOfStock = false;\n"
        f"var combinations = {json.dumps(combinations)};"
    )
    html = page(
        head=f"<script>{script}</script>",
        body="""
      <div class="primary_block" itemscope itemtype="http://schema.org/Product">
        <h1 itemprop="name">Faded short sleeves T-shirt</h1>
        <p class="our_price_display" itemprop="offers" itemscope itemtype="http://schema.org/Offer">
          <span id="our_price_display" class="price" itemprop="price" content="16.51">16,51 €</span>
          <meta itemprop="priceCurrency" content="EUR"></p>
        <fieldset class="attribute_fieldset"><label class="attribute_label" for="group_1">Size&nbsp;</label>
          <select id="group_1" class="form-control attribute_select" name="group_1">
            <option value="1" selected="selected" title="S">S</option><option value="2" title="M">M</option></select>
        </fieldset></div>""",
    )
    product = product_of(
        scrape(client, "https://shop.example.fr/tshirts/1-faded-short-sleeves-tshirt.html", html=html)
    )
    assert (product["title"], product["price"], product["currency"]) == (
        "Faded short sleeves T-shirt",
        16.51,
        "EUR",
    )
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": False}]
    assert product["colors"] == ["Orange", "Green"]


def test_shopify_variant_selected_by_the_url(client):
    def variant(variant_id, color, size, cents, image):
        return {
            "id": variant_id,
            "title": f"{color} / {size}",
            "option1": color,
            "option2": size,
            "price": cents,
            "available": True,
            "featured_image": {"src": f"//brand.example.com/cdn/shop/files/{image}.jpg"},
        }

    product = {
        "id": 9,
        "title": "Cord overshirt",
        "handle": "cord-overshirt",
        "vendor": "Coastline",
        "price": 8900,
        "options": [{"name": "Color"}, {"name": "Size"}],
        "images": [
            "//brand.example.com/cdn/shop/files/tan.jpg",
            "//brand.example.com/cdn/shop/files/olive.jpg",
        ],
        "variants": [variant(101, "Tan", "M", 8900, "tan"), variant(102, "Olive", "M", 7900, "olive")],
    }
    html = page(
        head='<link rel="preconnect" href="https://cdn.shopify.com">',
        body=f'<script type="application/json" data-product-json>{json.dumps(product)}</script>',
    )
    selected = product_of(
        scrape(client, "https://brand.example.com/products/cord-overshirt?variant=102", html=html)
    )
    assert (selected["price"], selected["colors"][0]) == (79.0, "Olive")
    assert selected["images"][0] == "https://brand.example.com/cdn/shop/files/olive.jpg"
    plain = product_of(scrape(client, "https://brand.example.com/products/cord-overshirt", html=html))
    assert (plain["price"], plain["colors"][0]) == (89.0, "Tan")


def test_product_group_variant_selected_by_the_query_of_its_offer_url(client):
    def variant(color, size, price):
        return {
            "@type": "Product",
            "sku": f"CT-{color[:3].upper()}-{size}",
            "color": color,
            "size": size,
            "offers": offer(
                price, url=f"https://shop.example.com/coat?size={size.lower()}&color={color.lower()}"
            ),
        }

    group = {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "Wool coat",
        "productGroupID": "CT",
        "hasVariant": [
            variant("Green", "S", "199"),
            variant("Navy", "S", "179"),
            variant("Navy", "M", "179"),
        ],
    }
    product = product_of(
        scrape(client, "https://shop.example.com/coat?color=navy&size=m", html=page(head=json_ld(group)))
    )
    assert (product["price"], product["colors"]) == (179.0, ["Navy", "Green"])


def test_graph_nodes_linked_by_id_references(client):
    # An @graph (Yoast-style) links its nodes by @id: the group's variants, offers, brand and image are nodes of
    # their own beside it, and the variants are not products of their own.
    base = "https://shop.example.com/p/wool-hat"

    def variant(code, colour):
        return {
            "@type": "Product",
            "@id": f"{base}#{code}",
            "name": f"Wool hat {colour}",
            "sku": code,
            "color": colour,
            "offers": {"@id": f"{base}#offer-{code}"},
        }

    graph = [
        {"@type": "WebPage", "@id": base, "primaryImageOfPage": {"@id": f"{base}#image"}},
        {"@type": "ImageObject", "@id": f"{base}#image", "contentUrl": "https://cdn.example.com/hat.jpg"},
        {"@type": "Brand", "@id": "https://shop.example.com/#brand", "name": "Fjellull"},
        {
            "@type": "ProductGroup",
            "@id": f"{base}#group",
            "name": "Wool hat",
            "productGroupID": "WH-1",
            "brand": {"@id": "https://shop.example.com/#brand"},
            "image": {"@id": f"{base}#image"},
            "hasVariant": [{"@id": f"{base}#WH-1-GRY"}, {"@id": f"{base}#WH-1-RED"}],
        },
        variant("WH-1-GRY", "Grey"),
        variant("WH-1-RED", "Red"),
        {**offer("29.00", "OutOfStock"), "@id": f"{base}#offer-WH-1-GRY"},
        {**offer("29.00"), "@id": f"{base}#offer-WH-1-RED"},
    ]
    html = page(head=json_ld({"@context": "https://schema.org", "@graph": graph}))
    product = product_of(scrape(client, base, html=html))
    assert (product["title"], product["brand"], product["sku"]) == ("Wool hat", "Fjellull", "WH-1")
    assert (product["price"], product["currency"], product["availability"]) == (29.0, "EUR", "InStock")
    assert product["images"] == ["https://cdn.example.com/hat.jpg"]
    selected = product_of(scrape(client, f"{base}?variant=WH-1-GRY", html=html))
    assert (selected["sku"], selected["availability"], selected["colors"][0]) == (
        "WH-1-GRY",
        "OutOfStock",
        "Grey",
    )


def test_app_state_variant_the_url_selects_by_a_short_query_value(client):
    state = {
        "props": {
            "pageProps": {
                "product": {
                    "id": 9120,
                    "name": "Canvas sneaker",
                    "brand": "Tread",
                    "sku": "CS-9",
                    "price": 59.0,
                    "currency": "EUR",
                    "variants": [
                        {"id": 46, "sku": "CS-9-41", "size": "41", "available": True},
                        {"id": 47, "sku": "CS-9-42", "size": "42", "available": False},
                    ],
                }
            }
        }
    }
    html = page(body=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>')
    product = product_of(scrape(client, "https://shop.example.com/p/canvas-sneaker?variant=47", html=html))
    assert (product["sku"], product["availability"]) == ("CS-9-42", "OutOfStock")
    product = product_of(scrape(client, "https://shop.example.com/p/canvas-sneaker", html=html))
    assert (product["sku"], product["availability"]) == ("CS-9", "InStock")


def test_sap_commerce_base_product_not_purchasable_itself_but_in_stock(client):
    def stock(level):
        state = {
            "product": {
                "code": "300441",
                "name": "Merino cardigan",
                "manufacturer": "Lanark",
                "price": {"currencyIso": "EUR", "value": 79.0, "formattedValue": "€79.00"},
                "purchasable": False,
                "stock": {"stockLevelStatus": level},
                "images": [{"url": "https://cdn.example.com/300441.jpg", "format": "zoom"}],
            }
        }
        html = page(body=f"<script>window.__STATE__ = {json.dumps(state)};</script>")
        return product_of(scrape(client, "https://shop.example.com/p/300441", html=html))["availability"]

    assert (stock("inStock"), stock("lowStock"), stock("outOfStock")) == ("InStock", "InStock", "OutOfStock")


def test_prestashop_17_product_details_data_with_reference_and_stock(client):
    details = {
        "id_product": "8",
        "name": "Hummingbird cushion",
        "reference": "demo_8",
        "price": "€18.90",
        "price_amount": 18.9,
        "description": "<p>Cushion with a removable cover.</p>",
        "quantity": 0,
        "availability": "unavailable",
        "availability_message": "Out-of-Stock",
        "ean13": "",
        "category_name": "Home accessories",
    }
    html = page(
        body=f"""<h1>Hummingbird cushion</h1>
      <div id="product-details" data-product='{html_escape(json.dumps(details), quote=True)}'></div>"""
    )
    product = product_of(
        scrape(client, "https://shop.example.com/home/8-hummingbird-cushion.html", html=html)
    )
    assert (product["title"], product["sku"], product["availability"]) == (
        "Hummingbird cushion",
        "demo_8",
        "OutOfStock",
    )


def test_json_in_a_data_attribute_is_read_however_the_page_writes_the_attribute(client):
    """The attribute's name in capitals, white space around "=", no quotes, the first brace as a character reference:
    the browser reads each as the same JSON, and so must the extraction (a search of the page's text for such
    attributes, to skip the walk of the tree on pages without any, has to see every one of these)."""
    details = {
        "id_product": "8",
        "name": "Hummingbird cushion",
        "reference": "demo_8",
        "price": "€18.90",
        "price_amount": 18.9,
        "quantity": 0,
        "availability": "unavailable",
        "availability_message": "Out-of-Stock",
    }
    text = html_escape(json.dumps(details, separators=(",", ":")), quote=True)

    def read(attribute):
        html = page(body=f"<h1>Hummingbird cushion</h1><div id='product-details' {attribute}></div>")
        response = scrape(client, "https://shop.example.com/home/8-hummingbird-cushion.html", html=html)
        if response.status_code != 200:
            return response.get_json()["error"]["code"]
        product = product_of(response)
        return product["sku"], product["availability"]

    written = [
        f'data-product="{text}"',
        f'DATA-Product="{text}"',
        f'data-product =\n "{text}"',
        f"data-product={text.replace(' ', '')}",
        f'data-product="&#123;{text[1:]}"',
        f'data-product="&lbrace;{text[1:]}"',
        f"data-product='&#x7B;{text[1:]}'",
    ]
    assert [read(attribute) for attribute in written] == [("demo_8", "OutOfStock")] * len(written)
    # Not JSON to the browser either: a value that starts with a space, or a brace in another attribute.
    assert read(f'data-product=" {text}"') == read(f'title="{text}"') == read("") == "NO_PRODUCT_FOUND"
