"""Product pages → normalised garments: safe fetching, extraction, the garment_metadata cache, categories."""

from collections.abc import Callable
from functools import partial
from typing import Any, NotRequired, TypedDict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from config import Settings
from features.garments import categorizer, model, scraper
from features.garments.extractors import PRODUCT_FIELDS, BrandExtractorFactory, ProductPage, ai_reader
from features.garments.extractors.ai_reader import PageReading
from features.garments.image_categorizer import GarmentImageClassifier
from shared import clock, outbound, process_pool
from shared.ai_models.gemini_client import GeminiClient
from shared.ai_models.usage import UsageMeter
from shared.database import Database
from shared.errors import (
    PayloadTooLargeError,
    ServiceUnavailableError,
    UnprocessableError,
    UpstreamError,
    ValidationError,
)
from shared.text_patterns import IGNORECASE, compile_pattern

# A product as the extractors, the cache and the API give it: field name → JSON value.
Product = dict[str, Any]
# Fetches a shop's JSON document by URL (Shopify's product .js): the parsed JSON, or None if it cannot be had.
FetchJson = Callable[[str], Any]


class ProductImages(TypedDict):
    """extract_images' answer (schemas.ProductImages)."""

    images: list[str]
    count: int
    source_url: str
    extractor: str | None
    reason: NotRequired[str]  # only when there is no image


# Query parameters that only say where a visitor came from; they never change the product shown.
_TRACKING = compile_pattern(
    r"^(?:utm_\w+|gclid|gclsrc|dclid|gbraid|wbraid|fbclid|msclkid|twclid|ttclid|li_fat_id|"
    r"mc_cid|mc_eid|_ga|_gl|_ke|igshid|yclid|srsltid|trk|trkid|spm|cmpid|icid|ito|sc_cid|"
    r"wt_mc|_hsenc|_hsmi|mkt_tok|s_kwcid|ef_id|pk_\w+|mtm_\w+|awc|cjevent|clickid|zanpid|"
    r"ranmid|raneaid|ransiteid|affiliate|aff_\w+|ref|ref_src|referrer)$",
    IGNORECASE,
)
NO_IMAGES_REASON = (
    "No product images were found. The page may build its gallery with JavaScript or load "
    "images lazily; send the rendered page as `html` from the browser to read them."
)


def get_product(
    *,
    db: Database,
    settings: Settings,
    url: str,
    html: str | None = None,
    use_cache: bool = True,
    deadline: float | None = None,
) -> Product:
    """The normalised product on the page at `url` (client `html` is read instead of fetching)."""
    return load_product(db=db, settings=settings, url=url, html=html, use_cache=use_cache, deadline=deadline)[
        0
    ]


def load_product(
    *,
    db: Database,
    settings: Settings,
    url: str,
    html: str | None = None,
    use_cache: bool = True,
    deadline: float | None = None,
) -> tuple[Product, bool]:
    """(product, cached?): like get_product, also saying whether the answer came from the cache.

    Only pages this server fetched are cached: client HTML could carry anything, and a cache shared
    by all users must not be written by one of them. `deadline` (a time.monotonic() value, e.g. a
    try-on job's) ends the fetch and the extraction no later than that.
    """
    outbound.check_url(url, allow_private=settings.SCRAPER_ALLOW_PRIVATE_NETWORKS, resolve="skip")
    if html is not None:
        check_client_html(settings=settings, html=html)
        return _extract_within_budget(settings, deadline, url=url, html=html), False
    key = cache_key(url)
    if use_cache:
        cached = model.get_fresh(db, key, _cache_cutoff(settings))
        if cached is not None and cached.keys() >= PRODUCT_FIELDS:  # else written before a field was added
            return cached, True
    page_html, final_url = scraper.fetch_html(url, settings=settings, deadline=deadline)
    product = _extract_within_budget(
        settings,
        deadline,
        url=final_url,
        html=page_html,
        fetch_json=partial(scraper.fetch_json, settings=settings, deadline=deadline),
    )
    product["source_url"] = url
    model.upsert(db, [key, *_canonical_key(product, final_url)], product)
    return product, False


def _extract_within_budget(
    settings: Settings, deadline: float | None, *, url: str, html: str, fetch_json: FetchJson | None = None
) -> Product:
    """The page's product, read in an extraction worker process stopped after EXTRACTION_TIMEOUT_SECONDS of CPU (or at
    `deadline`): a page that takes longer is PAGE_TOO_COMPLEX (422), and no other request waits on it. With the
    AI reader configured, the worker also reduces the page for it, and the reader (network, not CPU) asks the
    model here for the fields the layers left empty."""
    pool = process_pool.shared_pool(
        "extraction",
        size=settings.EXTRACTION_WORKERS,
        preload=(__name__,),
        memory_limit_bytes=settings.EXTRACTION_MEMORY_LIMIT_MB * 1024 * 1024,
    )
    reader = ai_reader.reader_for(settings)
    product: Product
    reading: PageReading | None
    try:
        product, reading = pool.run(
            _extract_for_reader,
            budget=settings.EXTRACTION_TIMEOUT_SECONDS,
            deadline=deadline,
            callbacks={"fetch_json": fetch_json} if fetch_json else None,
            url=url,
            html=html,
            reading_chars=reader.max_chars if reader else 0,
        )
    except process_pool.TaskStopped:
        raise UnprocessableError(
            "This page is too complex to read within our limits, so reading it was stopped; try the product's own "
            "page rather than a listing or search page",
            code="PAGE_TOO_COMPLEX",
            details={"url": url, "limit_seconds": settings.EXTRACTION_TIMEOUT_SECONDS},
        ) from None
    except process_pool.PoolBusy:
        raise ServiceUnavailableError(
            "Too many product pages are being read right now; try again in a few seconds",
            code="EXTRACTION_BUSY",
            headers={"Retry-After": "5"},
        ) from None
    if reader is None or reading is None:
        return product
    completed: Product = reader.complete(reading, product, html=html, deadline=deadline)
    return completed


def extract_product(*, url: str, html: str, fetch_json: FetchJson | None = None) -> Product:
    """Extraction on HTML already in hand, with the extractor chosen for the URL/page (in this process: callers
    on a request's or job's path go through _extract_within_budget)."""
    return _extract(ProductPage(url, html), fetch_json)


def _extract_for_reader(
    *, url: str, html: str, fetch_json: FetchJson | None = None, reading_chars: int = 0
) -> tuple[Product, PageReading | None]:
    """(product, reading), in an extraction worker: `reading` is the page reduced to at most `reading_chars`
    for the AI reader, None when it is off or no field it reads is empty."""
    page = ProductPage(url, html)
    product = _extract(page, fetch_json)
    wanted: list[str] = ai_reader.wanted_fields(product) if reading_chars else []
    reading: PageReading | None = ai_reader.page_reading(page, wanted, reading_chars) if wanted else None
    return product, reading


def _extract(page: ProductPage, fetch_json: FetchJson | None) -> Product:
    product: Product | None = BrandExtractorFactory.for_page(page).extract(page, fetch_json)
    if product is None:
        if scraper.looks_like_bot_wall(page.html):
            raise UpstreamError(
                scraper.BLOCKED_HINT, code="UPSTREAM_BLOCKED", details={"url": page.url, "hint": "send_html"}
            )
        raise UnprocessableError(
            _no_product_message(page), code="NO_PRODUCT_FOUND", details={"url": page.url, "hint": "send_html"}
        )
    return product


def extract_images(*, db: Database, settings: Settings, url: str, html: str | None = None) -> ProductImages:
    """{"images", "count", "reason"?}: the product's images only, with a reason when there are none."""
    try:
        product = get_product(db=db, settings=settings, url=url, html=html)
    except UnprocessableError as exc:
        if exc.code != "NO_PRODUCT_FOUND":
            raise
        return {"images": [], "count": 0, "source_url": url, "extractor": None, "reason": exc.message}
    result: ProductImages = {
        "images": product["images"],
        "count": len(product["images"]),
        "source_url": url,
        "extractor": product["extractor"],
    }
    if not product["images"]:
        result["reason"] = NO_IMAGES_REASON
    return result


def fetch_image(
    *, settings: Settings, url: str, max_bytes: int | None = None, deadline: float | None = None
) -> bytes:
    """SSRF-safe image download: checked addresses, max_bytes (SCRAPER_MAX_IMAGE_BYTES), an image content type,
    done by `deadline` (time.monotonic()) if given."""
    image: bytes = scraper.fetch_image_bytes(url, settings=settings, max_bytes=max_bytes, deadline=deadline)
    return image


def check_url_allowed(*, settings: Settings, url: str) -> None:
    """URL_NOT_ALLOWED / INVALID_URL for a URL that must not be fetched; fetches nothing.

    A host that does not resolve yet passes: the fetch checks again and reports it.
    """
    outbound.check_url(url, allow_private=settings.SCRAPER_ALLOW_PRIVATE_NETWORKS, resolve="optional")


def categorize(
    *,
    title: str | None = None,
    description: str | None = None,
    breadcrumbs: list[Any] | None = None,
    product_type: str | None = None,
) -> dict[str, Any]:
    """{"category", "wardrobe_category", "category_section", "garment_type", "confidence", "matched"}."""
    return categorizer.categorize(
        title=title, description=description, breadcrumbs=breadcrumbs, product_type=product_type
    )


def image_classifier(*, settings: Settings, gemini: GeminiClient | None) -> GarmentImageClassifier | None:
    """The garment photo classifier on the process's GeminiClient, or None without a Gemini key."""
    classifier: GarmentImageClassifier | None = GarmentImageClassifier.from_settings(settings, gemini)
    return classifier


def categorize_image(
    *,
    classifier: GarmentImageClassifier,
    image: bytes,
    meter: UsageMeter | None = None,
    timeout_seconds: float | None = None,
) -> dict[str, Any]:
    """The category Gemini reads from a garment photo (ImageModelError when it cannot be asked in time)."""
    found: dict[str, Any] = classifier.categorize(image, meter=meter, timeout_seconds=timeout_seconds)
    return found


def categorize_request(
    *, classifier: GarmentImageClassifier | None, texts: dict[str, Any], image: bytes | None = None
) -> dict[str, Any]:
    """Category from the texts, and from an image when an image classifier (Gemini) is configured;
    without one the answer says so instead of guessing from the image."""
    from_text = categorize(**texts) if any(texts.values()) else None
    if image is None:  # nothing to read at all is "none" (the request schema asks for a text or an image)
        return {**(from_text or categorizer.UNKNOWN_CATEGORY), "source": "text" if from_text else "none"}
    if classifier is None:
        note = "Categorising images needs a Gemini API key, which is not configured; only the texts were used"
        return {
            **(from_text or categorizer.UNKNOWN_CATEGORY),
            "source": "text" if from_text else "none",
            "image_analysis": {"available": False, "note": note},
        }
    from_image = categorize_image(classifier=classifier, image=image)
    analysis = {"available": True, **from_image}
    if (
        from_text
        and from_text["category"]
        and (from_image["category"] is None or from_text["confidence"] >= 0.6)
    ):
        return {**from_text, "source": "text", "image_analysis": analysis}
    return {
        **{key: from_image[key] for key in categorizer.UNKNOWN_CATEGORY},
        "source": "image",
        "image_analysis": analysis,
    }


def check_client_html(*, settings: Settings, html: object) -> None:
    """Client-supplied page HTML: a non-empty string within MAX_CLIENT_HTML_BYTES."""
    if not isinstance(html, str) or not html.strip():
        raise ValidationError(
            "html must be the product page's HTML as a string", code="INVALID_HTML", details={"field": "html"}
        )
    if len(html.encode("utf-8", errors="replace")) > settings.MAX_CLIENT_HTML_BYTES:
        raise PayloadTooLargeError(
            f"html is larger than the limit of {settings.MAX_CLIENT_HTML_BYTES // (1024 * 1024)} MB",
            code="HTML_TOO_LARGE",
            details={"field": "html", "limit_bytes": settings.MAX_CLIENT_HTML_BYTES},
        )


def cache_key(url: str) -> str:
    """The URL that identifies a product: lower-case host, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    )
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def _canonical_key(product: Product, fetched_url: str) -> list[str]:
    """The page's canonical URL as a second cache key, only on the same host (a page cannot claim
    another shop's URL and fill its cache entry)."""
    canonical = product.get("canonical_url")
    if canonical and urlsplit(canonical).hostname == urlsplit(fetched_url).hostname:
        return [cache_key(canonical)]
    return []


def _cache_cutoff(settings: Settings) -> str:
    return clock.timestamp(seconds_from_now=-settings.GARMENT_CACHE_TTL_HOURS * 3600)


def _no_product_message(page: ProductPage) -> str:
    text = " ".join(page.tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))
    if len(text.split()) < 40 and len(page.scripts) > 0:
        return (
            "No product was found: the page is an empty shell its JavaScript fills in. Send the rendered page "
            "as `html` from the browser."
        )
    return "No product was found on this page (no product data, price or product title)."
