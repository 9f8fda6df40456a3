"""HTTP endpoints for product pages: scrape, categorize, extract-images."""

from flask import Blueprint, current_app

from features.auth.decorators import optional_auth
from features.garments import service
from features.garments.schemas import (
    PAGE_READ_ERRORS,
    Categorization,
    CategorizeRequest,
    ProductImages,
    ProductPage,
    Scraped,
    ScrapeRequest,
)
from shared.database import get_db
from shared.image_processing import decode_base64_image, validate_image
from shared.rate_limit import at_once_per_client, limit
from shared.request_data import json_limit
from shared.response import success_response
from shared.schemas import Answer, operation

bp = Blueprint("garments", __name__)
TAG = "Garments"


@bp.post("/scrape")
@limit("RATELIMIT_SCRAPE")
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
@operation(
    tag=TAG,
    operation_id="scrapeProduct",
    body=ScrapeRequest,
    summary="Read a product page (fetched by the server, or the `html` you send) into a normalised garment.",
    description="Pages the server fetched are cached for GARMENT_CACHE_TTL_HOURS (`refresh` skips the cache).",
    answers={200: Answer(Scraped, "The product.")},
    errors=PAGE_READ_ERRORS,
)
def scrape_product(body):
    _check_html(body.html)
    product, cached = service.load_product(
        db=get_db(), settings=_settings(), url=body.url, html=body.html, use_cache=not body.refresh
    )
    return success_response({"product": product, "cached": cached})


@bp.post("/categorize")
@limit("RATELIMIT_CATEGORIZE")
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_image_body_size")
@operation(
    tag=TAG,
    operation_id="categorizeGarment",
    body=CategorizeRequest,
    summary="What a garment is and its platform category, from its texts (and its image, with a Gemini key).",
    answers={200: Answer(Categorization, "The category, how sure, and what matched.")},
    errors={
        400: [
            "MISSING_FIELDS",
            "VALIDATION_ERROR",
            "INVALID_URL",
            "URL_NOT_ALLOWED",
            "INVALID_BASE64",
            "INVALID_IMAGE",
            "UNSUPPORTED_IMAGE",
            "IMAGE_TOO_LARGE",
        ],
        413: ["FILE_TOO_LARGE", "IMAGE_TOO_LARGE"],
        422: ["IMAGE_DOWNLOAD_FAILED"],
        429: ["RATE_LIMITED", "TOO_MANY_CONCURRENT_REQUESTS"],
        502: ["UPSTREAM_UNAVAILABLE", "UPSTREAM_REJECTED", "BAD_UPSTREAM_RESPONSE", *PAGE_READ_ERRORS[502]],
        503: ["AI_UNAVAILABLE"],
        504: ["UPSTREAM_TIMEOUT", "TIMEOUT"],
    },
)
def categorize_garment(body):
    result = service.categorize_request(
        classifier=current_app.extensions.get("garment_image_classifier"),
        texts=body.texts(),
        image=_image(body),
    )
    return success_response(result)


@bp.post("/extract-images")
@limit("RATELIMIT_SCRAPE")
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
@optional_auth
@operation(
    tag=TAG,
    operation_id="extractImages",
    body=ProductPage,
    summary="Only the product images of a page, with a `reason` when there are none.",
    answers={200: Answer(ProductImages, "The images.")},
    errors=PAGE_READ_ERRORS,
)
def extract_images(body):
    _check_html(body.html)
    return success_response(
        service.extract_images(db=get_db(), settings=_settings(), url=body.url, html=body.html)
    )


def _settings():
    return current_app.extensions["settings"]


def _check_html(html):
    if html is not None:
        service.check_client_html(settings=_settings(), html=html)


def _image(body):
    """Image bytes from `image` (base64 or data URL) or `image_url` (downloaded safely), validated."""
    if body.image not in (None, ""):
        image = decode_base64_image(body.image, "image", max_bytes=_settings().MAX_UPLOAD_SIZE)
    elif body.image_url is not None:
        # capped at the upload size while downloading: a larger image is refused before it is read in full
        image = service.fetch_image(
            settings=_settings(), url=body.image_url, max_bytes=_settings().MAX_UPLOAD_SIZE
        )
    else:
        return None
    validate_image(image, max_bytes=_settings().MAX_UPLOAD_SIZE)
    return image
