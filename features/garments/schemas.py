"""Product-page request and answer shapes, and the errors reading a page can meet (shared with the
features that read pages: fitting, wardrobe, try-on)."""

from pydantic import ConfigDict, Field

from shared.garment_catalog import GARMENT_TYPES, KINDS, PLATFORM_CATEGORIES, PLATFORM_CATEGORY
from shared.schemas import (
    RequestSchema,
    ResponseSchema,
    document_component,
    document_ref,
    flag,
    unchecked,
    url_text,
)

# The garment vocabulary, as the catalogue has it.
GARMENT_TYPE = document_component("GarmentType", {"enum": list(GARMENT_TYPES)})
PLATFORM_CATEGORY_NAME = document_component("PlatformCategory", {"enum": list(PLATFORM_CATEGORY)})
GARMENT_KIND = document_component("GarmentKind", {"enum": [entry.kind for entry in KINDS]})
CATEGORY_NAME = document_component(
    "CategoryName",
    {
        "description": 'A platform category ("dresses") or the garment kind a scrape answers with ("dress"); both name '
        'the same platform category. Any case, and display names ("T-Shirts"), are accepted too.',
        "enum": list(dict.fromkeys([*PLATFORM_CATEGORY, *(entry.kind for entry in PLATFORM_CATEGORIES)])),
    },
)

UPSTREAM_CODES = ["UPSTREAM_ERROR", "UPSTREAM_UNREACHABLE", "UPSTREAM_BLOCKED", "TOO_MANY_REDIRECTS"]
PAGE_READ_ERRORS = {
    429: ["TOO_MANY_CONCURRENT_REQUESTS"],
    400: ["MISSING_FIELDS", "INVALID_URL", "URL_NOT_ALLOWED", "INVALID_HTML", "VALIDATION_ERROR"],
    413: ["HTML_TOO_LARGE"],
    422: ["NO_PRODUCT_FOUND", "PRODUCT_PAGE_NOT_FOUND", "NOT_A_PRODUCT_PAGE", "PAGE_TOO_COMPLEX"],
    502: UPSTREAM_CODES,
    503: ["EXTRACTION_BUSY"],
    504: ["UPSTREAM_TIMEOUT"],
}
_HTML = {
    "type": "string",
    "description": "The product page's HTML as the browser rendered it (read instead of "
    "fetching the page; at most MAX_CLIENT_HTML_SIZE).",
}


class ProductPage(RequestSchema):
    """A product page by its URL, optionally with its HTML. Other fields are ignored, as they always were."""

    model_config = ConfigDict(
        extra="ignore", json_schema_extra={"examples": [{"url": "https://shop.example/products/linen-tee"}]}
    )

    url: url_text()
    html: unchecked(_HTML) = None


class ScrapeRequest(ProductPage):
    refresh: flag("Skip the cache (GARMENT_CACHE_TTL_HOURS).") = False


class CategorizeRequest(RequestSchema):
    """At least one of the fields. Other fields are ignored, as they always were."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"title": "Linen Shirt", "breadcrumbs": "Men > Shirts"}]},
    )

    title: unchecked({"type": "string", "maxLength": 500}) = None
    description: unchecked({"type": "string", "maxLength": 20000}) = None
    product_type: unchecked({"type": "string", "maxLength": 200}) = None
    breadcrumbs: unchecked(
        {
            "oneOf": [
                {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 20},
                {
                    "type": "string",
                    "maxLength": 4000,
                    "description": "Like 'Women > Dresses' (at most 20 names).",
                },
            ]
        }
    ) = None
    image: unchecked(
        {
            "type": "string",
            "description": "Base64 or data URL of the product photo (at most MAX_UPLOAD_SIZE).",
        }
    ) = None
    image_url: unchecked(
        {"type": "string", "format": "uri", "description": "Downloaded up to MAX_UPLOAD_SIZE (413 beyond)."}
    ) = None


class Scraped(ResponseSchema):
    product: document_ref("Product")
    cached: bool


class ProductImages(ResponseSchema):
    images: list[str]
    count: int = Field(ge=0)
    source_url: str
    extractor: str | None
    reason: str | None = None  # only when there is no image
