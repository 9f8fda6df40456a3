"""A loopback shop: product pages written the way real shops write them, plus every way shops fail.

    with ShopServer() as shop:
        shop.url("/pages/jsonld_graph")       # http://127.0.0.1:<port>/pages/jsonld_graph
        shop.requests                         # [{"path", "headers"}] of every request, in order
        shop.dropped                          # paths of requests the client hung up on before the answer ended

Pages live in shop_pages/ beside this file (our own, hand-written); `{{BASE}}` and `{{HOST}}` in
them become this server's address. Routes:
  /pages/<name>                 shop_pages/<name>.html
  /products/harbour-linen-shirt Shopify page without embedded product JSON; `.js` serves the JSON
  /products/trail-runner-2      Shopify page with embedded product JSON and recommendation JSON
  /images/<name>.jpg|.png       real JPEG/PNG bytes made with Pillow (colour from the name; "big-…" names
                                are 400×400 noise, several hundred KB as PNG; "huge-<W>x<H>…" names are that
                                many pixels: a PNG of one colour is a few hundred KB even at 10000×10000;
                                "padded-<N>mb.png" is a small PNG followed by N MB of zeros)
  /not-an-image                 an HTML page where an image was expected
  /status/<code>                that status; 403/429/503 carry a bot-challenge page
  /bot-wall                     a bot challenge answered with 200
  /slow?seconds=N               answers after N seconds
  /endless                      a body that never ends
  /drip                         one byte at a time, slowly, forever
  /trickle?headers=S&body=S     the jsonld_graph page whose status line and headers arrive byte by byte over
                                S seconds, then its body likewise (each read is quick; the whole is slow)
  /redirect?to=<url>            302 to the given URL
  /redirect-chain/<n>           n redirects in a row, then the jsonld_graph page
  /gzip/<name>, /br/<name>      the page compressed with that Content-Encoding
  /product?image=<url>          a product page (schema.org Product in JSON-LD) whose one photo is <url>
  /data.json                    a JSON document (not a web page)
  /charset/<label>/<name>       the page in UTF-8, its Content-Type declaring charset=<label>
  /large/<name>?kb=N            the page with about N KB of related-product links added (padded_page)
"""

import functools
import gzip
import io
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import brotli
from PIL import Image

from tests.fakes.loopback import LoopbackServer
from tests.helpers import product_page_with_image

PAGES_DIR = Path(__file__).parent / "shop_pages"
SHOPIFY_PAGES = {
    "/products/harbour-linen-shirt": "shopify_product.html",
    "/products/trail-runner-2": "shopify_embedded.html",
    "/products/harbour-linen-shirt.js": "shopify_product.js",
}


@functools.lru_cache(maxsize=4)
def huge_image(width, height, image_format):
    """A plain image of width×height pixels: a PNG is written row by row (never whole in memory here)."""
    if image_format == "jpeg":
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), (200, 180, 160)).save(buffer, "JPEG", quality=80)
        return buffer.getvalue()
    # Each row is compressed on its own (a full flush between rows), so one row's deflate block serves for
    # all: the file costs one row's work whatever its height, which keeps a loaded machine within the job's
    # download time. The zlib wrapper (header, checksum) is written around the raw blocks by hand.
    row = b"\x00" + b"\x7f" * (width * 3)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(row) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(height):
        checksum = zlib.adler32(row, checksum)
    data = b"\x78\xda" + block * height + compressor.flush() + struct.pack(">I", checksum)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@functools.lru_cache(maxsize=2)
def padded_png(megabytes):
    """A 60×90 PNG followed by `megabytes` MB of zeros: an image that costs its size to download, not to decode."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 90), (120, 130, 140)).save(buffer, "PNG")
    return buffer.getvalue() + bytes(megabytes * 1024 * 1024)


def padded_page(html, kilobytes):
    """The page with about `kilobytes` KB of ordinary markup added (a long list of related products): a page that
    is costly to read only because it is large."""
    item = (
        '<li class="related"><a href="/products/item-{0}"><img src="/images/item-{0}.jpg" alt="Item {0}">'
        'Related item {0} in cotton</a> <span class="price">€{1}.95</span></li>'
    )
    count = kilobytes * 1000 // len(item.format(0, 0))
    return html.replace(
        "</body>", "<ul>" + "".join(item.format(i, i % 90) for i in range(count)) + "</ul></body>"
    )


class ShopServer(LoopbackServer):
    thread_name = "fake-shop"

    def __init__(self, tls=None):
        super().__init__(tls=tls)
        self._lock = threading.Lock()
        self.requests = []
        self.dropped = []  # paths of requests whose client hung up before the whole answer was sent

    def page_html(self, name):
        """A page's HTML as this server serves it (for tests that send it as client HTML)."""
        return self._render(PAGES_DIR / f"{name}.html")

    def count(self, path):
        with self._lock:
            return sum(1 for request in self.requests if request["path"] == path)

    def dropped_count(self, path):
        with self._lock:
            return self.dropped.count(path)

    def _render(self, file):
        return (
            file.read_text(encoding="utf-8").replace("{{BASE}}", self.base_url).replace("{{HOST}}", self.host)
        )

    def _handler_class(self):
        shop = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                with shop._lock:
                    shop.requests.append({"path": self.path, "headers": dict(self.headers)})
                try:
                    self._route(urlsplit(self.path))
                except (BrokenPipeError, ConnectionResetError):
                    with shop._lock:
                        shop.dropped.append(self.path)

            def _route(self, parts):
                path, query = parts.path, parse_qs(parts.query)
                if path.startswith("/pages/"):
                    return self._page(path.removeprefix("/pages/"))
                if path in SHOPIFY_PAGES:
                    kind = "application/javascript" if path.endswith(".js") else "text/html; charset=utf-8"
                    return self._send(200, shop._render(PAGES_DIR / SHOPIFY_PAGES[path]).encode(), kind)
                if (
                    path.startswith("/images/")
                    or path.startswith("/cdn/shop/")
                    or path.startswith("/is/image/")
                ):
                    return self._image(path)
                if path == "/not-an-image":
                    return self._send(200, b"<html><body>nothing here</body></html>", "text/html")
                if path.startswith("/status/"):
                    return self._status(int(path.rsplit("/", 1)[1]))
                if path == "/bot-wall":
                    return self._page("bot_wall")
                if path == "/slow":
                    if shop._stopping.wait(float(query.get("seconds", ["5"])[0])):
                        return None
                    return self._page("jsonld_graph")
                if path == "/endless":
                    return self._endless(b"<html><body>" + b"<p>filler</p>" * 1000)
                if path == "/drip":
                    return self._endless(b"x", pause=0.2)
                if path == "/trickle":
                    return self._trickle(
                        float(query.get("headers", ["0"])[0]), float(query.get("body", ["0"])[0])
                    )
                if path == "/redirect":
                    return self._redirect(query["to"][0])
                if path.startswith("/redirect-chain/"):
                    remaining = int(path.rsplit("/", 1)[1])
                    target = f"/redirect-chain/{remaining - 1}" if remaining > 1 else "/pages/jsonld_graph"
                    return self._redirect(target)
                if path.startswith("/gzip/") or path.startswith("/br/"):
                    encoding, name = path.strip("/").split("/", 1)
                    html = shop._render(PAGES_DIR / f"{name}.html").encode()
                    body = gzip.compress(html) if encoding == "gzip" else brotli.compress(html)
                    return self._send(200, body, "text/html; charset=utf-8", {"Content-Encoding": encoding})
                if path.startswith("/large/"):
                    html = padded_page(
                        shop._render(PAGES_DIR / f"{path.removeprefix('/large/')}.html"),
                        int(query.get("kb", ["1000"])[0]),
                    )
                    return self._send(200, html.encode(), "text/html; charset=utf-8")
                if path.startswith("/charset/"):
                    label, name = path.removeprefix("/charset/").split("/", 1)
                    return self._send(
                        200, shop._render(PAGES_DIR / f"{name}.html").encode(), f"text/html; charset={label}"
                    )
                if path == "/product":  # a product page whose one photo is the `image` URL
                    return self._send(
                        200, product_page_with_image(query["image"][0]).encode(), "text/html; charset=utf-8"
                    )
                if path == "/data.json":
                    return self._send(200, b'{"hello": "world"}', "application/json")
                return self._send(404, b"<html><body><h1>Page not found</h1></body></html>", "text/html")

            def _page(self, name):
                file = PAGES_DIR / f"{name}.html"
                if not file.is_file():
                    return self._send(404, b"<html><body>Not found</body></html>", "text/html")
                return self._send(200, shop._render(file).encode(), "text/html; charset=utf-8")

            def _status(self, code):
                body = (
                    shop._render(PAGES_DIR / "bot_wall.html").encode()
                    if code in (403, 429, 503)
                    else f"<html><body>Error {code}</body></html>".encode()
                )
                self._send(code, body, "text/html; charset=utf-8")

            def _image(self, path):
                name = path.rsplit("/", 1)[-1]
                if name.startswith("padded-"):  # padded-<N>mb.png: a small PNG followed by N MB of zeros
                    return self._send(200, padded_png(int(name.split("-")[1].split("mb")[0])), "image/png")
                if name.startswith("huge-"):
                    width, height = (int(side) for side in name.split("-")[1].split(".")[0].split("x"))
                    image_format = "png" if name.endswith(".png") else "jpeg"
                    return self._send(200, huge_image(width, height, image_format), f"image/{image_format}")
                seed = zlib.crc32(name.encode())
                colour = (seed & 0xFF, (seed >> 8) & 0xFF, (seed >> 16) & 0xFF)
                buffer = io.BytesIO()
                image_format = "PNG" if ".png" in name else "JPEG"
                image = (
                    Image.effect_noise((400, 400), 90).convert("RGB")
                    if name.startswith("big-")
                    else Image.new("RGB", (60, 90), colour)
                )
                image.save(buffer, image_format)
                self._send(200, buffer.getvalue(), f"image/{image_format.lower()}")

            def _redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _endless(self, chunk, pause=0.0):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Connection", "close")
                self.end_headers()
                while not shop._stopping.is_set():
                    self.wfile.write(chunk)
                    if pause:
                        self.wfile.flush()
                        time.sleep(pause)
                self.close_connection = True

            def _trickle(self, header_seconds, body_seconds):
                body = shop._render(PAGES_DIR / "jsonld_graph.html").encode()
                head = (
                    f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
                    "Connection: close\r\n\r\n"
                ).encode()
                for data, seconds in ((head, header_seconds), (body, body_seconds)):
                    pieces = [
                        data[i : i + max(1, len(data) // 50)]
                        for i in range(0, len(data), max(1, len(data) // 50))
                    ]
                    for piece in pieces:
                        if shop._stopping.wait(seconds / len(pieces)):
                            return
                        self.wfile.write(piece)
                        self.wfile.flush()
                self.close_connection = True

            def _send(self, status, body, content_type, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler
