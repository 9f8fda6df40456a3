"""A loopback shop with one product page: the one postman_collection.json, the playground test and
the README's examples use for product URLs (scrape, wardrobe from URL, try-on by URL, fitting).

    with ProductShop() as shop:
        shop.product_url        # http://127.0.0.1:<port>/products/harbour-cotton-t-shirt

The page (tests/fixtures/postman/product_page.html) is written like a real shop's: JSON-LD with
per-size offers, a size-guide table, an og:image; its photo is the garment flat-lay fixture, so a
try-on by URL gets a garment the local model can cut out. Run it by hand for a newman run or the
playground against your own server (serves on 127.0.0.1:8765 and prints the product URL):

    .venv/bin/python -m tests.docs.product_shop
"""

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.fakes.loopback import LoopbackServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "postman"
PRODUCT_PATH = "/products/harbour-cotton-t-shirt"
IMAGE_PATH = "/images/harbour-cotton-t-shirt.jpg"
MANUAL_PORT = 8765


class ProductPageHandler(BaseHTTPRequestHandler):
    """The product page (its links point back at the host the request named) and its photo."""

    def do_GET(self):
        if self.path == PRODUCT_PATH:
            page = (FIXTURES / "product_page.html").read_text(encoding="utf-8")
            self._send(
                page.replace("{{BASE}}", f"http://{self.headers['Host']}").encode(),
                "text/html; charset=utf-8",
            )
        elif self.path == IMAGE_PATH:
            self._send((FIXTURES / "garment.jpg").read_bytes(), "image/jpeg")
        else:
            self.send_error(404)

    def _send(self, body, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ProductShop(LoopbackServer):
    thread_name = "product-shop"

    @property
    def product_url(self):
        return self.url(PRODUCT_PATH)

    def _handler_class(self):
        return ProductPageHandler


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", MANUAL_PORT), ProductPageHandler)
    print(f"http://127.0.0.1:{MANUAL_PORT}{PRODUCT_PATH}", flush=True)
    server.serve_forever()
