"""The AI reader: with a Gemini key, a text model reads the fields the other layers left empty.

Gemini is the loopback fake (tests/fakes/gemini_server.py) spoken to by the real google-genai SDK;
the page is tests/fakes/shop_pages/visible_details.html, whose brand, colour, description and photo
are only in its visible text (no layer reads them), while its name and price are in JSON-LD.
"""

import json

import pytest

from tests.fakes.shop_server import PAGES_DIR
from tests.garments.conftest import product_of, scrape

PAGE = "/pages/visible_details"
READS = {
    "brand": "Harbour Knitting Co.",
    "colors": ["Deep Navy"],
    "description": "A ribbed jumper with a crew neck, knitted in a warm wool blend for cold harbour mornings.",
}


@pytest.fixture
def settings_overrides(gemini_server, request):
    return gemini_server.app_settings(
        SCRAPER_ALLOW_PRIVATE_NETWORKS=True,
        PRODUCT_AI_READER_TIMEOUT_SECONDS=2.0,
        **getattr(request, "param", {}),
    )


def _reader_requests(gemini):
    return [
        entry
        for entry in gemini.requests
        if (entry["body"].get("generationConfig") or {}).get("responseMimeType") == "application/json"
    ]


def test_the_reader_fills_what_the_layers_left_empty(client, shop, gemini):
    image = shop.url("/images/navy-jumper-front.jpg")
    gemini.json_answer = {**READS, "images": [image]}
    product = product_of(scrape(client, shop.url(PAGE)))
    assert product["brand"] == "Harbour Knitting Co."
    assert product["colors"] == ["Deep Navy"]
    assert product["description"] == READS["description"]
    assert product["images"] == [image]
    assert {product["field_sources"][name] for name in ("brand", "colors", "description", "images")} == {"ai"}
    # what the other layers read stays theirs
    assert (product["title"], product["price"], product["field_sources"]["price"]) == (
        "Rib Knit Jumper",
        59.0,
        "json-ld",
    )
    assert product["fabric"] == [
        {"name": "wool", "percentage": 70.0},
        {"name": "polyamide", "percentage": 30.0},
    ]

    [request] = _reader_requests(gemini)
    config = request["body"]["generationConfig"]
    assert request["model"] == "gemini-flash-lite-latest"
    asked = set(config["responseSchema"]["properties"])
    assert {"brand", "colors", "description", "images"} <= asked
    assert not asked & {"title", "price", "currency", "fabric"}
    assert "Rib Knit Jumper" in request["text"] and "Made by Harbour Knitting Co." in request["text"]
    assert image in request["text"]


def test_the_reader_is_bounded_in_what_it_reads(client, gemini):
    gemini.json_answer = {}
    filler = "<p>" + "Soft knit, warm and light. " * 4000 + "</p>"
    html = (
        open_page()
        .replace("<main>", "<main>" + filler)
        .replace("</head>", '<script>window.__STATE__ = {"blob": "' + "x" * 100_000 + '"};</script></head>')
    )
    product_of(scrape(client, "https://shop.test/products/rib-knit-jumper", html=html))
    [request] = _reader_requests(gemini)
    assert len(request["text"]) < 3000 * 4 + 2000  # PRODUCT_AI_READER_MAX_INPUT_TOKENS, ~4 characters each
    assert "Rib Knit Jumper" in request["text"]


def open_page():
    return (PAGES_DIR / "visible_details.html").read_text().replace("{{BASE}}", "https://shop.test")


@pytest.mark.parametrize(
    "answer",
    [
        {"brand": "Gucci"},  # not on the page
        {"colors": ["Purple"]},  # not on the page
        {"images": ["https://elsewhere.test/photo.jpg"]},  # not on the page
        {"images": ["javascript:alert(1)"]},  # not a web URL
        {"description": 42},  # not text
        {"availability": "Maybe"},  # neither InStock nor OutOfStock
        {"brand": "x" * 500},  # not a brand
    ],
)
def test_values_the_page_does_not_support_are_dropped(client, gemini, answer):
    gemini.json_answer = answer
    product = product_of(scrape(client, "https://shop.test/products/rib-knit-jumper", html=open_page()))
    assert "ai" not in product["field_sources"].values()
    assert (product["brand"], product["colors"], product["images"], product["description"]) == (
        None,
        [],
        [],
        None,
    )


@pytest.mark.parametrize(
    "answer, price, currency",
    [
        ({"price": "about forty"}, None, None),
        ({"price": "9" * 400}, None, None),
        ({"price": 59}, None, None),  # the schema asks for the price as written
        ({"price": "€ 59,00"}, 59.0, "EUR"),
        ({"price": "59.00", "currency": "EUR"}, 59.0, "EUR"),
        ({"price": "59.00", "currency": "Euro"}, 59.0, None),
    ],
)
def test_a_price_is_taken_only_when_it_parses(client, gemini, answer, price, currency):
    gemini.json_answer = answer
    html = open_page().replace(
        '"offers": {"@type": "Offer", "price": "59.00", "priceCurrency": "EUR"}', '"sku": "HK-2231-NV"'
    )
    product = product_of(scrape(client, "https://shop.test/products/rib-knit-jumper", html=html))
    assert (product["price"], product["currency"]) == (price, currency)
    assert product["field_sources"].get("price") == ("ai" if price else None)


@pytest.mark.parametrize(
    "behaviour, params, answer",
    [
        ("server_error", {}, None),
        ("error", {"status": 429, "message": "Quota exceeded"}, None),
        ("error", {"status": 400, "message": "API key not valid"}, None),
        ("malformed", {}, None),
        ("close", {}, None),
        ("text_only", {}, None),  # a refusal in plain text
        ("prompt_blocked", {}, None),
        ("ok", {}, "Sorry, I cannot read this page."),  # text that is not JSON
        ("ok", {}, json.dumps(["Harbour Knitting Co."])),  # JSON, but not the schema's object
    ],
)
def test_a_failing_reader_never_fails_the_page(client, gemini, caplog, behaviour, params, answer):
    gemini.set_behaviour(behaviour, **params)
    if answer is not None:
        gemini.json_answer = answer
    product = product_of(scrape(client, "https://shop.test/products/rib-knit-jumper", html=open_page()))
    assert (product["title"], product["price"], product["brand"]) == ("Rib Knit Jumper", 59.0, None)
    assert "ai" not in product["field_sources"].values()
    assert any(
        record.levelname == "WARNING"
        and "AI reader" in record.getMessage()
        and "rib-knit-jumper" in record.getMessage()
        for record in caplog.records
    )


def test_a_slow_reader_is_given_up(client, gemini):
    gemini.json_answer = READS
    gemini.delay = 5  # the reader's timeout is 2 s here
    product = product_of(scrape(client, "https://shop.test/products/rib-knit-jumper", html=open_page()))
    gemini.release()
    assert product["brand"] is None


@pytest.mark.parametrize(
    "settings_overrides",
    [{"PRODUCT_AI_READER": "off"}, {"GEMINI_API_KEY": "", "AI_PROVIDER": "auto"}],  # no key: no Gemini at all
    indirect=True,
    ids=["switched off", "no key"],
)
def test_without_the_reader_nothing_is_sent(client, shop, gemini):
    gemini.json_answer = READS
    product = product_of(scrape(client, shop.url(PAGE)))
    assert product["brand"] is None
    assert _reader_requests(gemini) == []


def test_the_reader_answer_is_cached_with_the_product(client, shop, gemini):
    gemini.json_answer = READS
    first = client.post("/api/garments/scrape", json={"url": shop.url(PAGE)}).get_json()["data"]
    again = client.post("/api/garments/scrape", json={"url": shop.url(PAGE)}).get_json()["data"]
    assert (first["cached"], again["cached"]) == (False, True)
    assert again["product"]["brand"] == "Harbour Knitting Co."
    assert again["product"]["field_sources"]["brand"] == "ai"
    assert len(_reader_requests(gemini)) == 1


def test_client_html_read_by_the_reader_is_not_cached(client, gemini):
    gemini.json_answer = READS
    url = "https://shop.test/products/rib-knit-jumper"
    for _ in range(2):
        body = client.post("/api/garments/scrape", json={"url": url, "html": open_page()}).get_json()["data"]
        assert (body["cached"], body["product"]["brand"]) == (False, "Harbour Knitting Co.")
    assert len(_reader_requests(gemini)) == 2
