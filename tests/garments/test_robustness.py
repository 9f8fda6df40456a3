"""Extraction never fails on a page: each layer runs isolated, and hostile pages get a product or a typed error."""
import logging

from features.garments.extractors.base import isolated
from features.garments.extractors.page import ProductPage
from tests.garments.conftest import product_of, scrape
from tests.garments.test_platform_shapes import page


def test_a_layer_that_raises_is_logged_with_the_url_and_layer_and_skipped(caplog):
    product_page = ProductPage("https://shop.example.com/p/1", "<html></html>")
    with caplog.at_level(logging.WARNING, logger="because_future.garments.extractors"):
        assert isolated(product_page, "json-ld", lambda: 1 / 0) == {}
        assert isolated(product_page, "gallery", lambda: [][1], []) == []
    assert [(record.url, record.layer, record.exc_info[0]) for record in caplog.records] == [
        ("https://shop.example.com/p/1", "json-ld", ZeroDivisionError),
        ("https://shop.example.com/p/1", "gallery", IndexError)]


def test_comments_inside_pickers_and_between_labels_and_values(client):
    # A size picker whose options sit beside HTML comments, and a spec table whose label is followed by a comment.
    html = page(head='<meta property="og:type" content="product">', body="""
      <h1>Merino crew jumper</h1><span class="price">€79.00</span>
      <div class="size-selector"><!-- sizes --><span>S</span><!-- rendered --><span>M</span><?php echo 1 ?></div>
      <dl><dt>Material</dt><!-- from the PIM --><dd>100% wool</dd></dl>
      <p>Colour:<!-- selected --></p>""")
    product = product_of(scrape(client, "https://shop.example.com/p/merino-crew", html=html))
    assert (product["title"], product["price"], product["currency"]) == ("Merino crew jumper", 79.0, "EUR")
    assert product["sizes"] == [{"name": "S", "available": True}, {"name": "M", "available": True}]
    assert product["fabric"] == [{"name": "wool", "percentage": 100.0}]
