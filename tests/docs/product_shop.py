"""A loopback shop with one product page: the one postman_collection.json, the playground test and
schemathesis seeding use for product URLs (scrape, wardrobe from URL, try-on by URL, fitting).

    with ProductShop() as shop:
        shop.product_url        # http://127.0.0.1:<port>/products/harbour-cotton-t-shirt

The page (tests/fixtures/postman/product_page.html) is written like a real shop's: JSON-LD with
per-size offers, a size-guide table, an og:image; its photo is the garment flat-lay fixture, so a
try-on by URL gets a garment the local model can cut out. Run it by hand for a newman run against
your own server:  .venv/bin/python -m tests.docs.product_shop   (prints the product URL)
"""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "postman"
PRODUCT_PATH = "/products/harbour-cotton-t-shirt"
IMAGE_PATH = "/images/harbour-cotton-t-shirt.jpg"


class ProductShop:
    def __init__(self, port=0):
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="product-shop", daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def product_url(self):
        return self.base_url + PRODUCT_PATH

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler_class(self):
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == PRODUCT_PATH:
                    page = (FIXTURES / "product_page.html").read_text(encoding="utf-8")
                    self._send(page.replace("{{BASE}}", shop.base_url).encode(), "text/html; charset=utf-8")
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

        return Handler


if __name__ == "__main__":
    with ProductShop(port=8765) as running:
        print(running.product_url, flush=True)
        threading.Event().wait()
