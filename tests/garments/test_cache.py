"""garment_metadata caches fetched pages by canonical URL: hits do no network I/O, entries expire."""

import json

from tests.envelope import data as ok
from tests.garments.conftest import scrape


def rows(app):
    return app.extensions["db"].execute_query("SELECT * FROM garment_metadata ORDER BY url", fetch_all=True)


def test_second_scrape_is_a_cache_hit_without_network(app, client, shop):
    url = shop.url("/pages/jsonld_graph?cache=1")
    first = ok(scrape(client, url))
    fetches = shop.count("/pages/jsonld_graph?cache=1")
    second = ok(scrape(client, url))
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["product"] == first["product"]
    assert shop.count("/pages/jsonld_graph?cache=1") == fetches


def test_cache_row_holds_the_product(app, client, shop):
    ok(scrape(client, shop.url("/pages/jsonld_variants")))
    row = next(row for row in rows(app) if row["url"] == shop.url("/pages/jsonld_variants"))
    assert (row["title"], row["price"], row["currency"], row["brand"]) == (
        "Strickkleid mit Rollkragen",
        89.99,
        "EUR",
        "Atelier Nord",
    )
    assert json.loads(row["sizes"]) == ["S", "M"]
    assert json.loads(row["colors"]) == ["Grau meliert", "Rost"]
    assert json.loads(row["images"]) == [
        shop.url("/images/kleid-grau.jpg"),
        shop.url("/images/kleid-rost.jpg"),
    ]
    assert json.loads(row["metadata"])["category"] == "dress"


def test_cached_product_holds_code_stock_and_list_price(app, client, shop):
    product = ok(scrape(client, shop.url("/pages/jsonld_graph?facts=1")))["product"]
    row = next(row for row in rows(app) if row["url"] == shop.url("/pages/jsonld_graph?facts=1"))
    cached = json.loads(row["metadata"])
    assert (
        (cached["sku"], cached["availability"], cached["list_price"], cached["gtin"])
        == (product["sku"], product["availability"], None, None)
        == ("NW-4411", "InStock", None, None)
    )


def test_an_entry_written_before_a_field_existed_is_fetched_again(app, client, shop):
    url = shop.url("/pages/jsonld_graph?older=1")
    ok(scrape(client, url))
    older = {
        key: value
        for key, value in json.loads(rows(app)[0]["metadata"]).items()
        if key not in ("sku", "gtin", "availability", "list_price")
    }
    app.extensions["db"].execute_query("UPDATE garment_metadata SET metadata = ?", (json.dumps(older),))
    answer = ok(scrape(client, url))
    assert answer["cached"] is False and answer["product"]["sku"] == "NW-4411"
    assert shop.count("/pages/jsonld_graph?older=1") == 2
    assert json.loads(rows(app)[0]["metadata"])["availability"] == "InStock"


def test_tracking_parameters_and_fragments_share_the_cache_entry(client, shop):
    ok(scrape(client, shop.url("/pages/og_only?colour=navy")))
    fetches = shop.count("/pages/og_only?colour=navy")
    tracked = shop.url("/pages/og_only?utm_source=newsletter&colour=navy&gclid=abc&fbclid=x#reviews")
    assert ok(scrape(client, tracked))["cached"] is True
    assert shop.count("/pages/og_only?colour=navy") == fetches


def test_canonical_url_is_a_cache_key_too(client, shop):
    ok(scrape(client, shop.url("/pages/jsonld_graph?canonical=1")))
    # The canonical URL itself is never fetched (the shop would answer 404): it is served from the cache.
    answer = ok(scrape(client, shop.url("/products/linen-blend-blazer")))
    assert answer["cached"] is True and answer["product"]["title"] == "Linen Blend Blazer"


def test_a_page_cannot_claim_another_shops_url(app, client, shop):
    ok(scrape(client, shop.url("/pages/foreign_canonical")))
    assert [row["url"] for row in rows(app)] == [shop.url("/pages/foreign_canonical")]


def test_expired_entries_are_fetched_again(app, client, shop):
    url = shop.url("/pages/jsonld_graph?expiry=1")
    ok(scrape(client, url))
    app.extensions["db"].execute_query(
        "UPDATE garment_metadata SET updated_at = ?", ("2000-01-01T00:00:00+00:00",)
    )
    answer = ok(scrape(client, url))
    assert answer["cached"] is False
    assert shop.count("/pages/jsonld_graph?expiry=1") == 2
    assert all(row["updated_at"] > "2000" for row in rows(app))


def test_refresh_bypasses_the_cache(client, shop):
    url = shop.url("/pages/jsonld_graph?refresh=1")
    ok(scrape(client, url))
    assert ok(scrape(client, url, refresh=True))["cached"] is False
    assert shop.count("/pages/jsonld_graph?refresh=1") == 2


def test_client_html_is_read_but_never_cached(app, client, shop):
    html = shop.page_html("jsonld_graph").replace("Linen Blend Blazer", "Tampered Blazer")
    url = "https://www.example-shop.test/products/linen-blend-blazer"
    answer = ok(scrape(client, url, html=html))
    assert answer == {"product": answer["product"], "cached": False}
    assert answer["product"]["title"] == "Tampered Blazer"
    assert rows(app) == []
