"""Product pages → normalised garments: safe fetching, extraction, the garment_metadata cache, categories."""

from functools import partial
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from features.garments import categorizer, model, scraper
from features.garments.extractors import PRODUCT_FIELDS, BrandExtractorFactory, ProductPage, ai_reader
from features.garments.image_categorizer import GarmentImageClassifier
from shared import clock, process_pool
from shared.errors import (
    PayloadTooLargeError,
    ServiceUnavailableError,
    UnprocessableError,
    UpstreamError,
    ValidationError,
)
from shared.text_patterns import IGNORECASE, compile_pattern

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
    *, db, settings, url: str, html: str | None = None, use_cache: bool = True, deadline=None
) -> dict:
    """The normalised product on the page at `url` (client `html` is read instead of fetching)."""
    return load_product(db=db, settings=settings, url=url, html=html, use_cache=use_cache, deadline=deadline)[
        0
    ]


def load_product(*, db, settings, url, html=None, use_cache=True, deadline=None):
    """(product, cached?): like get_product, also saying whether the answer came from the cache.

    Only pages this server fetched are cached: client HTML could carry anything, and a cache shared
    by all users must not be written by one of them. `deadline` (a time.monotonic() value, e.g. a
    try-on job's) ends the fetch and the extraction no later than that.
    """
    scraper.check_url(url, allow_private=settings.SCRAPER_ALLOW_PRIVATE_NETWORKS, resolve="skip")
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


def _extract_within_budget(settings, deadline, *, url, html, fetch_json=None):
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
    return reader.complete(reading, product, html=html, deadline=deadline) if reading else product


def extract_product(*, url, html, fetch_json=None):
    """Extraction on HTML already in hand, with the extractor chosen for the URL/page (in this process: callers
    on a request's or job's path go through _extract_within_budget)."""
    return _extract(ProductPage(url, html), fetch_json)


def _extract_for_reader(*, url, html, fetch_json=None, reading_chars=0):
    """(product, reading), in an extraction worker: `reading` is the page reduced to at most `reading_chars`
    for the AI reader, None when it is off or no field it reads is empty."""
    page = ProductPage(url, html)
    product = _extract(page, fetch_json)
    wanted = ai_reader.wanted_fields(product) if reading_chars else []
    return product, ai_reader.page_reading(page, wanted, reading_chars) if wanted else None


def _extract(page, fetch_json):
    product = BrandExtractorFactory.for_page(page).extract(page, fetch_json)
    if product is None:
        if scraper.looks_like_bot_wall(page.html):
            raise UpstreamError(
                scraper.BLOCKED_HINT, code="UPSTREAM_BLOCKED", details={"url": page.url, "hint": "send_html"}
            )
        raise UnprocessableError(
            _no_product_message(page), code="NO_PRODUCT_FOUND", details={"url": page.url, "hint": "send_html"}
        )
    return product


def extract_images(*, db, settings, url, html=None):
    """{"images", "count", "reason"?}: the product's images only, with a reason when there are none."""
    try:
        product = get_product(db=db, settings=settings, url=url, html=html)
    except UnprocessableError as exc:
        if exc.code != "NO_PRODUCT_FOUND":
            raise
        return {"images": [], "count": 0, "source_url": url, "extractor": None, "reason": exc.message}
    result = {
        "images": product["images"],
        "count": len(product["images"]),
        "source_url": url,
        "extractor": product["extractor"],
    }
    if not product["images"]:
        result["reason"] = NO_IMAGES_REASON
    return result


def fetch_image(*, settings, url: str, max_bytes=None, deadline=None) -> bytes:
    """SSRF-safe image download: checked addresses, max_bytes (SCRAPER_MAX_IMAGE_BYTES), an image content type,
    done by `deadline` (time.monotonic()) if given."""
    return scraper.fetch_image_bytes(url, settings=settings, max_bytes=max_bytes, deadline=deadline)


def check_url_allowed(*, settings, url: str) -> None:
    """URL_NOT_ALLOWED / INVALID_URL for a URL that must not be fetched; fetches nothing.

    A host that does not resolve yet passes: the fetch checks again and reports it.
    """
    scraper.check_url(url, allow_private=settings.SCRAPER_ALLOW_PRIVATE_NETWORKS, resolve="optional")


def categorize(*, title=None, description=None, breadcrumbs=None, product_type=None) -> dict:
    """{"category", "wardrobe_category", "category_section", "garment_type", "confidence", "matched"}."""
    return categorizer.categorize(
        title=title, description=description, breadcrumbs=breadcrumbs, product_type=product_type
    )


def image_classifier(*, settings, gemini):
    """The garment photo classifier on the process's GeminiClient, or None without a Gemini key."""
    return GarmentImageClassifier.from_settings(settings, gemini)


def categorize_image(*, classifier, image, meter=None, timeout_seconds=None):
    """The category Gemini reads from a garment photo (ImageModelError when it cannot be asked in time)."""
    return classifier.categorize(image, meter=meter, timeout_seconds=timeout_seconds)


def categorize_request(*, classifier, texts, image=None):
    """Category from the texts, and from an image when an image classifier (Gemini) is configured;
    without one the answer says so instead of guessing from the image."""
    from_text = categorize(**texts) if any(texts.values()) else None
    if image is None:
        return {**from_text, "source": "text"}
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


def check_client_html(*, settings, html):
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


def cache_key(url):
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


def _canonical_key(product, fetched_url):
    """The page's canonical URL as a second cache key, only on the same host (a page cannot claim
    another shop's URL and fill its cache entry)."""
    canonical = product.get("canonical_url")
    if canonical and urlsplit(canonical).hostname == urlsplit(fetched_url).hostname:
        return [cache_key(canonical)]
    return []


def _cache_cutoff(settings):
    return clock.timestamp(seconds_from_now=-settings.GARMENT_CACHE_TTL_HOURS * 3600)


def _no_product_message(page):
    text = " ".join(page.tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))
    if len(text.split()) < 40 and len(page.scripts) > 0:
        return (
            "No product was found: the page is an empty shell its JavaScript fills in. Send the rendered page "
            "as `html` from the browser."
        )
    return "No product was found on this page (no product data, price or product title)."
