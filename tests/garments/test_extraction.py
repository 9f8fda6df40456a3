"""Every layer of a product page, through POST /api/garments/scrape against the loopback shop."""

from tests.envelope import error
from tests.garments.conftest import product_of, scrape


def names(sizes):
    return [size["name"] for size in sizes]


def test_json_ld_graph_with_brand_object_offers_array_and_image_objects(client, shop):
    product = product_of(scrape(client, shop.url("/pages/jsonld_graph")))
    assert product["title"] == "Linen Blend Blazer"
    assert product["brand"] == "Northwind"
    assert (product["price"], product["currency"]) == (129.95, "EUR")
    assert product["images"] == [shop.url("/images/blazer-front.jpg"), shop.url("/images/blazer-back.jpg")]
    assert product["colors"] == ["Sand"]
    assert product["fabric"] == [
        {"name": "Linen", "percentage": 55.0},
        {"name": "Viscose", "percentage": 45.0},
    ]
    assert product["description"] == "Single-breasted blazer in a linen blend.\nNotch lapels"
    assert (
        product["category"],
        product["wardrobe_category"],
        product["category_section"],
        product["garment_type"],
    ) == ("jacket", "jackets", "upper_body", "outerwear")
    assert product["canonical_url"] == shop.url("/products/linen-blend-blazer")
    assert product["extractor"] == "default"
    assert product["field_sources"]["title"] == "json-ld"
    assert product["field_sources"]["images"] == "json-ld"


def test_product_group_with_variants_in_cdata_wrapper(client, shop):
    product = product_of(scrape(client, shop.url("/pages/jsonld_variants")))
    assert product["title"] == "Strickkleid mit Rollkragen"
    assert product["brand"] == "Atelier Nord"
    assert product["price"] == 89.99
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": False}]
    assert product["colors"] == ["Grau meliert", "Rost"]
    assert product["images"] == [shop.url("/images/kleid-grau.jpg"), shop.url("/images/kleid-rost.jpg")]
    assert product["fabric"] == [
        {"name": "Wolle", "percentage": 70.0},
        {"name": "Polyamid", "percentage": 30.0},
    ]
    assert product["field_sources"]["fabric"] == "description"
    assert product["category"] == "dress"


def test_product_per_size_with_malformed_aggregate_offer_and_html_sizes(client, shop):
    product = product_of(scrape(client, shop.url("/pages/jsonld_per_size")))
    assert product["brand"] == "Stride&Co"
    assert (product["price"], product["currency"]) == (3499.0, "ARS")
    assert product["images"][0] == shop.url("/images/runner-side.jpg")
    assert product["sizes"] == [
        {"name": "38", "available": True},
        {"name": "39", "available": False},
        {"name": "40.5", "available": True},
    ]
    assert [entry["name"] for entry in product["fabric"]] == ["Sintético", "Goma"]
    assert product["category"] == "shoes"


def test_opengraph_only_page(client, shop):
    product = product_of(scrape(client, shop.url("/pages/og_only")))
    assert product["title"] == "Jupe plissée midi"
    assert product["brand"] == "Maison Lumière"
    assert (product["price"], product["currency"]) == (49.99, "EUR")
    assert product["images"] == [shop.url("/images/jupe-1.jpg"), shop.url("/images/jupe-2.jpg")]
    assert product["sizes"] == [
        {"name": "34", "available": True},
        {"name": "36", "available": True},
        {"name": "38", "available": False},
    ]
    assert product["colors"] == ["Bleu marine"]
    assert product["fabric"] == [{"name": "Polyester", "percentage": 100.0}]
    assert product["category"] == "skirt" and product["category_section"] == "lower_body"
    assert product["field_sources"]["price"] == "meta"


def test_microdata_only_page_respects_item_scopes(client, shop):
    product = product_of(scrape(client, shop.url("/pages/microdata")))
    assert product["title"] == "Spijkerbroek slim fit"  # not the breadcrumb's h1
    assert product["brand"] == "Kaasboer Mode"  # "$metabrand" is an unrendered placeholder
    assert (product["price"], product["currency"]) == (1299.95, "EUR")
    assert product["colors"] == ["donkerblauw"]
    assert product["images"] == [shop.url("/images/broek-1-zoom.jpg"), shop.url("/images/broek-2-zoom.jpg")]
    assert product["fabric"] == [
        {"name": "katoen", "percentage": 98.0},
        {"name": "elastaan", "percentage": 2.0},
    ]
    assert product["category"] == "jeans"
    assert product["field_sources"]["title"] == "microdata"


def test_zara_state_sizes_availability_width_placeholder_and_minor_units(client, shop):
    product = product_of(scrape(client, shop.url("/pages/zara_style")))
    assert product["extractor"] == "zara"
    assert (product["price"], product["currency"]) == (559.0, "PLN")
    assert product["colors"] == ["CZARNY", "MARSALA"]
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": False}]
    assert product["images"] == [shop.url("/images/zara-black-p.jpg?ts=1&w=1920")]
    assert product["fabric"] == [
        {"name": "skóra", "percentage": 100.0},
        {"name": "poliester", "percentage": 100.0},
    ]


def test_zara_colour_selected_by_v1_builds_image_urls_from_path_fragments(client, shop):
    product = product_of(scrape(client, shop.url("/pages/zara_style?v1=599226858")))
    assert product["colors"][0] == "MARSALA"
    assert product["sizes"] == [
        {"name": "XS", "available": False},
        {"name": "S", "available": True},
        {"name": "M", "available": True},
    ]
    assert product["images"] == [
        "https://static.zara.net/photos///assets/public/fff5/06318252172-p/w/1920/06318252172-p.jpg?ts=1790947236997",
        shop.url("/images/zara-marsala-a1.jpg?ts=2&w=1920"),
    ]


def test_zara_extractor_chosen_by_domain_for_client_html(client, shop):
    html = shop.page_html("zara_style")
    product = product_of(scrape(client, "https://www.zara.com/pl/pl/kurtka-p06318252.html", html=html))
    assert product["extractor"] == "zara"
    assert product["source_url"] == "https://www.zara.com/pl/pl/kurtka-p06318252.html"


def test_shopify_product_json_fetched_from_product_url_js(client, shop):
    product = product_of(scrape(client, shop.url("/products/harbour-linen-shirt?variant=1")))
    assert product["extractor"] == "shopify"
    assert shop.count("/products/harbour-linen-shirt.js") >= 1
    assert product["brand"] == "Driftwood"
    assert (product["price"], product["currency"]) == (89.0, "USD")  # cents → units; sale, not compare-at
    assert product["sizes"] == [
        {"name": "S", "available": True},
        {"name": "M", "available": False},
        {"name": "L", "available": True},
    ]
    assert product["colors"] == ["Sand", "Navy"]
    assert product["images"] == [
        shop.url("/cdn/shop/files/harbour-sand.jpg?v=17"),
        shop.url("/cdn/shop/files/harbour-navy.jpg?v=17"),
    ]
    assert product["category"] == "shirt"


def test_shopify_embedded_json_picked_by_handle_not_recommendations(client, shop):
    product = product_of(scrape(client, shop.url("/products/trail-runner-2")))
    assert product["title"] == "Trail Runner 2"
    assert product["price"] == 117.0
    assert names(product["sizes"]) == ["7 b", "8 b"]
    assert product["colors"] == ["Grey"]
    assert product["category"] == "shoes"


def test_next_data_state_with_selected_sku_and_skus(client, shop):
    product = product_of(scrape(client, shop.url("/pages/next_data")))
    assert product["title"] == "Oakley Chelsea Boot"
    assert product["brand"] == "Hartwell"
    assert (product["price"], product["currency"]) == (145.0, "GBP")
    assert product["sizes"] == [{"name": "7", "available": False}, {"name": "8", "available": True}]
    assert product["colors"] == ["Tan", "Black"]
    assert len(product["images"]) == 2
    assert [entry["name"] for entry in product["fabric"]] == ["leather", "rubber"]
    assert product["category"] == "shoes"
    assert product["field_sources"]["sizes"] == "app-state"


def test_js_object_literal_state_of_the_article_in_the_url(client, shop):
    product = product_of(scrape(client, shop.url("/pages/article_state?article=0566155005")))
    assert product["title"] == "Cord Overshirt"
    assert product["brand"] == "Fjord"  # the shop's own name, nothing else names a brand
    assert (product["price"], product["currency"]) == (20.0, "EUR")
    assert names(product["sizes"]) == ["S", "M"]
    assert product["colors"] == ["Rust"]
    assert [entry["name"] for entry in product["fabric"]] == ["Cotton", "Viscose", "Elastane"]
    assert len(product["images"]) == 2 and all("FABRICSWATCH" not in url for url in product["images"])
    assert product["category"] == "shirt"


def test_json_props_in_cdata_with_units_and_attribute_lists(client, shop):
    product = product_of(scrape(client, shop.url("/pages/props_cdata")))
    assert product["title"] == "AURA - Cocktail dress - black"
    assert product["brand"] == "Aurora"
    assert (product["price"], product["currency"]) == (89.5, "EUR")
    assert product["sizes"] == [{"name": "8", "available": False}, {"name": "10", "available": True}]
    assert product["images"] == [shop.url("/images/aura-1.jpg"), shop.url("/images/aura-2.jpg")]
    assert product["fabric"] == [
        {"name": "polyester", "percentage": 50.0},
        {"name": "viscose", "percentage": 50.0},
    ]
    assert product["category"] == "dress"
    assert product["canonical_url"] == shop.url("/aurora-midi-dress-black-au121c0.html")


def test_size_guide_table_becomes_a_size_chart(client, shop):
    product = product_of(scrape(client, shop.url("/pages/size_guide")))
    assert product["size_chart"] == {
        "unit": "cm",
        "sizes": [
            {
                "label": "S",
                "measurements": {
                    "breast_circumference": [86.0, 91.0],
                    "waist_circumference": [71.0, 76.0],
                    "hip_circumference": [91.0, 96.0],
                },
            },
            {
                "label": "M",
                "measurements": {
                    "breast_circumference": [91.0, 97.0],
                    "waist_circumference": [76.0, 81.0],
                    "hip_circumference": [96.0, 101.0],
                },
            },
            {
                "label": "L",
                "measurements": {
                    "breast_circumference": [97.0, 103.0],
                    "waist_circumference": [81.0, 86.0],
                    "hip_circumference": [101.0, 106.0],
                },
            },
        ],
    }
    assert product["category"] == "t-shirt"


def test_pages_without_size_guide_have_no_chart(client, shop):
    assert product_of(scrape(client, shop.url("/pages/jsonld_graph")))["size_chart"] is None


def test_compressed_pages_are_read(client, shop):
    for encoding in ("gzip", "br"):
        product = product_of(scrape(client, shop.url(f"/{encoding}/jsonld_graph")))
        assert product["title"] == "Linen Blend Blazer"


def test_js_shell_without_data_is_no_product(client, shop):
    body = error(scrape(client, shop.url("/pages/js_shell")), 422, "NO_PRODUCT_FOUND")
    assert "JavaScript" in body["message"] and body["details"]["hint"] == "send_html"


def test_page_that_is_not_a_product(client, shop):
    error(scrape(client, shop.url("/pages/not_a_product")), 422, "NO_PRODUCT_FOUND")


def test_option_definitions_in_a_data_script_give_sizes_and_colours(client, shop):
    product = product_of(scrape(client, shop.url("/pages/magento_options")))
    assert product["title"] == "Felpa con cappuccio"
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": True}]
    assert product["colors"] == ["Nero", "Grigio"]
    assert product["field_sources"]["sizes"] == "app-state"
    assert product["category"] == "sweater"


def test_next_data_product_keyed_by_style_code_in_the_url(client, shop):
    product = product_of(scrape(client, shop.url("/pages/next_product?style=DZ4125-001")))
    assert product["title"] == "Velox Air Stride 2"
    assert product["brand"] == "Velox"
    assert (product["price"], product["currency"]) == (109.99, "EUR")  # the current price, not the full one
    assert product["sizes"] == [{"name": "42", "available": True}, {"name": "42.5", "available": False}]
    assert product["colors"] == ["Schwarz/Weiß"]
    assert product["category"] == "shoes"
