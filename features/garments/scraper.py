"""SSRF-safe fetching of shop pages and product images.

Users choose the URLs this server fetches, so it must never become a door into our own network:
- every URL, each redirect's too (max 5), passes shared/outbound.py's address policy (http/https, no
  credentials, every address the host resolves to global) and the connection goes to the checked address;
- one deadline per fetch (SCRAPER_TOTAL_TIMEOUT, or the caller's if sooner) over connect, headers and body of
  every redirect, besides per-read timeouts; byte limits while streaming (decompressed bytes count, a
  declared Content-Length over the limit is refused before reading), content-type checks.
`SCRAPER_ALLOW_PRIVATE_NETWORKS` (test-only) admits loopback and private addresses, never
link-local, multicast or unspecified ones.
"""

import codecs
import json
import math
import ssl
import time
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urljoin

from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError, SSLError
from urllib3.util.ssl_match_hostname import CertificateError

from shared import outbound
from shared.errors import (
    ApiError,
    PayloadTooLargeError,
    UnprocessableError,
    UpstreamError,
    UpstreamTimeoutError,
)
from shared.text_patterns import IGNORECASE, compile_pattern

BROWSER_HEADERS = {
    "User-Agent": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36"
    ),
    "Accept-Language": "en-GB,en;q=0.9,de;q=0.8,fr;q=0.7,es;q=0.6,it;q=0.5,nl;q=0.4",
    "Accept-Encoding": "gzip, deflate, br",
}
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSON_ACCEPT = "application/json,text/javascript,*/*;q=0.5"
IMAGE_ACCEPT = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
# Python's names for the encodings of the WHATWG Encoding Standard (what browsers decode pages with).
_WEB_ENCODINGS = frozenset(
    {
        "utf-8",
        "utf-16",
        "utf-16-be",
        "utf-16-le",
        "ascii",
        "iso8859-1",
        "cp866",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "cp874",
        "gbk",
        "gb2312",
        "gb18030",
        "big5",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "shift_jis",
        "cp932",
        "euc_kr",
        "cp949",
        *(f"iso8859-{n}" for n in range(2, 17) if n != 12),
        *(f"cp{n}" for n in range(1250, 1259)),
    }
)
_IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF", b"BM")
_BOT_WALL = compile_pattern(
    r"cf-browser-verification|challenge-platform|cf_chl_|Just a moment\.\.\.|Attention Required! \| "
    r"Cloudflare|px-captcha|_Incapsula_Resource|captcha-delivery\.com|datadome|"
    r"Access Denied</title>|Pardon Our Interruption|are you a robot|verify you are human",
    IGNORECASE,
)
BLOCKED_HINT = (
    "The shop refused our request (bot protection). Send the page's HTML from the browser as `html` "
    "next to `url` and it will be read without fetching."
)
_CHARSET_PARAMETER = compile_pattern(r"charset=[\"']?([\w.:-]+)", IGNORECASE)
_META_CHARSET = compile_pattern(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", IGNORECASE)


@dataclass(frozen=True)
class FetchedResponse:
    url: str
    status: int
    content_type: str
    charset: str
    body: bytes


def fetch(
    url,
    *,
    allow_private,
    connect_timeout,
    read_timeout,
    total_timeout,
    accept,
    max_bytes,
    too_large,
    deadline=None,
):
    """GET following up to MAX_REDIRECTS redirects, each target checked; the final response, any status.

    One deadline covers every connect, header and body read of every redirect: total_timeout seconds,
    or the caller's `deadline` (a time.monotonic() value) when that comes first. `too_large(limit)`
    builds the error raised when the body exceeds max_bytes.
    """
    limit = outbound.FetchDeadline(min(time.monotonic() + total_timeout, deadline or math.inf))
    try:
        for _ in range(MAX_REDIRECTS + 1):
            target = outbound.check_url(url, allow_private=allow_private)
            connection, response = _get(target, limit, connect_timeout, read_timeout, accept)
            location = response.headers.get("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                connection.close()
                url = urljoin(url, location.strip())
                continue
            try:
                return _read(response, url, limit, max_bytes, too_large)
            finally:
                connection.close()
        raise UpstreamError(
            f"The shop redirected more than {MAX_REDIRECTS} times",
            code="TOO_MANY_REDIRECTS",
            details={"url": url},
        )
    finally:
        limit.close()


def fetch_html(url, *, settings, deadline=None):
    """(html text, final URL) of a product page; typed errors for every way a shop can fail us."""
    response = _fetch(url, settings, HTML_ACCEPT, settings.SCRAPER_MAX_HTML_BYTES, _page_too_large, deadline)
    _raise_for_page_status(response)
    if response.content_type and not response.content_type.startswith(_HTML_TYPES):
        raise UnprocessableError(
            f"The URL is not a web page (it serves {response.content_type})",
            code="NOT_A_PRODUCT_PAGE",
            details={"content_type": response.content_type},
        )
    return decode_html(response.body, response.charset), response.url


def fetch_json(url, *, settings, deadline=None):
    """A JSON document from a shop (Shopify's product .js), or None if it cannot be had."""
    try:
        response = _fetch(
            url, settings, JSON_ACCEPT, settings.SCRAPER_MAX_HTML_BYTES, _page_too_large, deadline
        )
    except ApiError:
        return None
    if response.status != 200:
        return None
    try:
        return json.loads(decode_html(response.body, response.charset))
    except ValueError:
        return None


def fetch_image_bytes(url, *, settings, max_bytes=None, deadline=None):
    """The bytes of an image (at most max_bytes, SCRAPER_MAX_IMAGE_BYTES by default); IMAGE_DOWNLOAD_FAILED
    (422) when the URL does not serve one."""
    response = _fetch(
        url, settings, IMAGE_ACCEPT, max_bytes or settings.SCRAPER_MAX_IMAGE_BYTES, _image_too_large, deadline
    )
    if response.status != 200:
        raise UnprocessableError(
            f"The image could not be downloaded (the server answered {response.status})",
            code="IMAGE_DOWNLOAD_FAILED",
            details={"url": url, "status": response.status},
        )
    if not (response.content_type.startswith("image/") or response.body.startswith(_IMAGE_SIGNATURES)):
        raise UnprocessableError(
            f"The URL does not serve an image (it serves {response.content_type or 'unknown'})",
            code="IMAGE_DOWNLOAD_FAILED",
            details={"url": url, "content_type": response.content_type},
        )
    return response.body


def looks_like_bot_wall(html):
    """Whether a page is a bot challenge (Cloudflare, PerimeterX, DataDome, Akamai…) rather than the shop."""
    return bool(_BOT_WALL.search((html or "")[:200_000]))


def decode_html(body, charset):
    """Text of a page: the declared charset, else a <meta charset>, else UTF-8 (bad bytes replaced).

    Only the text encodings web pages are written in count; any other name (idna, punycode,
    unicode_escape, unknown) is read as UTF-8, as browsers do with labels they do not know.
    """
    return body.decode(_web_encoding(charset or _meta_charset(body[:4096])), errors="replace")


def _web_encoding(label):
    try:
        name = codecs.lookup(label).name if label else "utf-8"
    except (LookupError, ValueError):
        return "utf-8"
    return name if name in _WEB_ENCODINGS else "utf-8"


def _fetch(url, settings, accept, max_bytes, too_large, deadline):
    """fetch with the SCRAPER_* settings."""
    return fetch(
        url,
        allow_private=settings.SCRAPER_ALLOW_PRIVATE_NETWORKS,
        connect_timeout=settings.SCRAPER_CONNECT_TIMEOUT,
        read_timeout=settings.SCRAPER_READ_TIMEOUT,
        total_timeout=settings.SCRAPER_TOTAL_TIMEOUT,
        accept=accept,
        max_bytes=max_bytes,
        too_large=too_large,
        deadline=deadline,
    )


def _get(target, limit, connect_timeout, read_timeout, accept):
    """(connection, response headers) from the first checked address that answers; the body is left streaming."""
    headers = {**BROWSER_HEADERS, "Accept": accept, "Host": target.host_header}
    last_error = None
    for address in target.addresses:
        remaining = limit.remaining()
        if remaining <= 0:
            break
        connection = outbound.connection(target, address, min(connect_timeout, remaining), limit)
        try:
            connection.request(
                "GET", target.path, headers=headers, preload_content=False, decode_content=True
            )
            connection.sock.settimeout(min(read_timeout, max(0.01, limit.remaining())))
            return connection, connection.getresponse()
        except NewConnectionError as exc:  # urllib3 derives it from ConnectTimeoutError: test it first
            last_error = exc
        except (ConnectTimeoutError, ReadTimeoutError, TimeoutError) as exc:
            connection.close()
            raise _timed_out(target.url) from exc
        except (ssl.SSLError, CertificateError, HTTPError, HTTPException, OSError) as exc:
            last_error = exc
        connection.close()
        if limit.expired:
            break
    if limit.expired or limit.remaining() <= 0:
        raise _timed_out(target.url)
    raise UpstreamError(
        "The shop could not be reached",
        code="UPSTREAM_UNREACHABLE",
        details={"url": target.url, "reason": _reason(last_error)},
    )


def _read(response, url, limit, max_bytes, too_large):
    """The body, decompressed, stopping at max_bytes and at the deadline (a slow drip is a timeout too)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    chunks, size = [], 0
    try:
        # read1 returns whatever has arrived, so a body dripping in byte by byte still meets the deadline.
        while chunk := response.read1(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            if limit.remaining() <= 0:
                raise _timed_out(url, "The shop sent the page too slowly")
            chunks.append(chunk)
    except (ReadTimeoutError, TimeoutError) as exc:
        raise _timed_out(url, "The shop stopped answering") from exc
    except (HTTPError, HTTPException, OSError) as exc:
        if limit.expired:
            raise _timed_out(url, "The shop sent the page too slowly") from exc
        raise UpstreamError(
            "The shop's answer could not be read",
            code="UPSTREAM_ERROR",
            details={"url": url, "reason": type(exc).__name__},
        ) from exc
    if limit.expired:  # the deadline shut the socket: what arrived is cut short
        raise _timed_out(url, "The shop sent the page too slowly")
    content_type = response.headers.get("Content-Type", "")
    mime, _, params = content_type.partition(";")
    charset = _CHARSET_PARAMETER.search(params)
    return FetchedResponse(
        url, response.status, mime.strip().lower(), charset.group(1) if charset else "", b"".join(chunks)
    )


def _timed_out(url, message="The shop did not answer in time"):
    return UpstreamTimeoutError(message, code="UPSTREAM_TIMEOUT", details={"url": url})


def _reason(error):
    if isinstance(error, (ssl.SSLError, CertificateError, SSLError)):
        return "SSLError"
    return type(error).__name__ if error else None


def _raise_for_page_status(response):
    if response.status in (404, 410):
        raise UnprocessableError(
            "The shop says this product page does not exist",
            code="PRODUCT_PAGE_NOT_FOUND",
            details={"url": response.url, "status": response.status},
        )
    if response.status in (401, 403, 429) or (
        response.status == 503 and looks_like_bot_wall(decode_html(response.body, response.charset))
    ):
        raise UpstreamError(
            BLOCKED_HINT,
            code="UPSTREAM_BLOCKED",
            details={"url": response.url, "status": response.status, "hint": "send_html"},
        )
    if response.status >= 400:
        raise UpstreamError(
            f"The shop answered with an error ({response.status})",
            code="UPSTREAM_ERROR",
            details={"url": response.url, "status": response.status},
        )


def _page_too_large(limit):
    return PayloadTooLargeError(
        f"The product page is larger than {limit // (1024 * 1024)} MB",
        code="HTML_TOO_LARGE",
        details={"limit_bytes": limit},
    )


def _image_too_large(limit):
    return PayloadTooLargeError(
        f"The image is larger than {limit // (1024 * 1024)} MB",
        code="IMAGE_TOO_LARGE",
        details={"limit_bytes": limit},
    )


def _meta_charset(head):
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None
