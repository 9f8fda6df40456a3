"""Product-page request and answer shapes, and the errors reading a page can meet (shared with the
features that read pages: fitting, wardrobe, try-on)."""

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator

from shared.errors import ValidationError
from shared.garment_catalog import GARMENT_TYPES, KINDS, PLATFORM_CATEGORIES, PLATFORM_CATEGORY
from shared.schemas import (
    RawJson,
    RequestSchema,
    ResponseSchema,
    checked,
    document_component,
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


def nullable(component: dict[str, str], description: str | None = None) -> WithJsonSchema:
    """A field holding one of a document_component's values, or null."""
    schema = {"oneOf": [component, {"type": "null"}]}
    return WithJsonSchema({**schema, "description": description} if description else schema)


OptionalGarmentType = Annotated[str | None, nullable(GARMENT_TYPE)]
_KIND_DESCRIPTION = 'What the garment is, as one singular word ("dress"); null when the page does not say.'
_WARDROBE_CATEGORY_DESCRIPTION = (
    'The platform category it is filed under in the wardrobe ("dresses"); null for kinds without one.'
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

    url: Annotated[str | None, url_text()]
    html: Annotated[RawJson, unchecked(_HTML)] = None


class ScrapeRequest(ProductPage):
    refresh: Annotated[bool, flag("Skip the cache (GARMENT_CACHE_TTL_HOURS).")] = False


# Each text of an anonymous categorize request is capped to what a real product has.
CATEGORIZE_TEXT_LIMITS = {"title": 500, "description": 20_000, "product_type": 200}
MAX_BREADCRUMBS = 20
MAX_BREADCRUMB_LENGTH = 200


def _capped_text(max_length: int) -> PlainValidator:
    def check(value: Any, name: str) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or len(value) > max_length:
            raise ValidationError(
                f"{name} must be a string of at most {max_length} characters",
                details={"field": name, "max_length": max_length},
            )
        return value.strip()

    return checked(check, {"type": "string", "maxLength": max_length})


def _breadcrumbs(value: Any, name: str) -> list[str] | None:
    """A list of strings, or one string with the usual separators ("Women > Dresses"), within the caps."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str) and len(value) <= MAX_BREADCRUMBS * MAX_BREADCRUMB_LENGTH:
        value = value.replace("/", ">").replace("|", ">").split(">")
    if (
        not isinstance(value, list)
        or len(value) > MAX_BREADCRUMBS
        or not all(isinstance(item, str) and len(item) <= MAX_BREADCRUMB_LENGTH for item in value)
    ):
        raise ValidationError(
            f"{name} must be a list of at most {MAX_BREADCRUMBS} names of at most "
            f"{MAX_BREADCRUMB_LENGTH} characters, or a string like 'Women > Dresses'",
            details={"field": name, "max_items": MAX_BREADCRUMBS, "max_length": MAX_BREADCRUMB_LENGTH},
        )
    return [item.strip() for item in value if item.strip()] or None


class CategorizeRequest(RequestSchema):
    """At least one of the fields. Other fields are ignored, as they always were."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"title": "Linen Shirt", "breadcrumbs": "Men > Shirts"}]},
    )

    title: Annotated[str | None, _capped_text(CATEGORIZE_TEXT_LIMITS["title"])] = None
    description: Annotated[str | None, _capped_text(CATEGORIZE_TEXT_LIMITS["description"])] = None
    product_type: Annotated[str | None, _capped_text(CATEGORIZE_TEXT_LIMITS["product_type"])] = None
    breadcrumbs: Annotated[
        list[str] | None,
        checked(
            _breadcrumbs,
            {
                "oneOf": [
                    {
                        "type": "array",
                        "items": {"type": "string", "maxLength": MAX_BREADCRUMB_LENGTH},
                        "maxItems": MAX_BREADCRUMBS,
                    },
                    {
                        "type": "string",
                        "maxLength": MAX_BREADCRUMBS * MAX_BREADCRUMB_LENGTH,
                        "description": f"Like 'Women > Dresses' (at most {MAX_BREADCRUMBS} names).",
                    },
                ]
            },
        ),
    ] = None
    image: Annotated[
        RawJson,
        unchecked(  # decoded and checked against MAX_UPLOAD_SIZE by the controller
            {
                "type": "string",
                "description": "Base64 or data URL of the product photo (at most MAX_UPLOAD_SIZE).",
            }
        ),
    ] = None
    image_url: Annotated[str | None, url_text("Downloaded up to MAX_UPLOAD_SIZE (413 beyond).")] = None

    @model_validator(mode="after")
    def _something_to_read(self) -> "CategorizeRequest":
        if not any(self.texts().values()) and self.image in (None, "") and self.image_url is None:
            raise ValidationError(
                "Send at least one of title, description, breadcrumbs, product_type or image",
                code="MISSING_FIELDS",
                details={"fields": [*CATEGORIZE_TEXT_LIMITS, "breadcrumbs", "image"]},
            )
        return self

    def texts(self) -> dict[str, Any]:
        """The texts the categoriser reads, by name (None: not sent)."""
        return {
            "title": self.title,
            "description": self.description,
            "product_type": self.product_type,
            "breadcrumbs": self.breadcrumbs,
        }


class FabricEntry(ResponseSchema):
    name: str
    percentage: float | None


_Measurement = float | Annotated[list[float], Field(min_length=1, max_length=2)]


class SizeChartRow(ResponseSchema):
    label: str | int
    measurements: dict[str, _Measurement] = Field(
        description='Body-measurement names to a number or a [min, max] pair, e.g. {"breast_circumference": '
        "[86, 91]}."
    )


class SizeChart(ResponseSchema):
    unit: Literal["cm", "in"] = "cm"
    sizes: list[SizeChartRow] = Field(min_length=1)


class ProductSize(ResponseSchema):
    name: str
    available: bool | None = None


class Product(ResponseSchema):
    """A product page, read."""

    title: str | None
    brand: str | None
    price: float | None = Field(
        gt=0, description="What a shopper pays now (for the variant the URL selects, when it selects one)."
    )
    list_price: float | None = Field(
        gt=0,
        description="The original price the page shows crossed out beside `price`; null without a reduction.",
    )
    currency: str | None
    sku: str | None = Field(
        description="The product's (or the selected variant's) own code: schema.org sku/productID/mpn, an "
        "article number in the page's app state, a code printed under a label or in the add-to-cart form, else "
        "the code in the URL."
    )
    gtin: str | None = Field(
        pattern="^(?:[0-9]{8}|[0-9]{12,14})$",
        description="The GTIN-8/12/13/14 (EAN, UPC, ISBN-13) when the page states one with a valid check digit.",
    )
    availability: Literal["InStock", "OutOfStock"] | None = Field(
        description="Whether the product (or the variant the URL selects) can be bought: from its offers, app "
        "state, a stock message or the add-to-cart control; else from its sizes' stock, else InStock when it "
        "is offered at a price with nothing saying it is sold out. Each size keeps its own `available`."
    )
    images: list[str] = Field(description="Absolute image URLs, best first.")
    sizes: list[ProductSize]
    colors: list[Any]
    fabric: list[FabricEntry]
    description: str | None
    category: Annotated[str | None, nullable(GARMENT_KIND, _KIND_DESCRIPTION)]
    wardrobe_category: Annotated[str | None, nullable(PLATFORM_CATEGORY_NAME, _WARDROBE_CATEGORY_DESCRIPTION)]
    category_section: str | None
    garment_type: OptionalGarmentType
    size_chart: SizeChart | None = Field(description="The page's size guide, in cm.")
    source_url: str
    canonical_url: str
    extractor: str = Field(description="Which extractor read the page (default, shopify, zara, ...).")
    field_sources: dict[str, str] = Field(
        None,  # type: ignore[arg-type]  # answers cached before the field existed lack it; never null
        description='Where each field was found: the layer (json-ld, microdata, app-state, meta, html, …), or "ai" '
        "when the AI reader (configured with a Gemini key) read it from the page.",
    )


class ImageAnalysis(ResponseSchema):
    """Whether the photo was read; when it was, also the category read from it (Categorization's fields)."""

    model_config = ConfigDict(extra="allow")

    available: bool
    note: str = Field(None, description="Why the photo was not read.")  # type: ignore[assignment]  # only when not read


class Categorization(ResponseSchema):
    category: Annotated[str | None, nullable(GARMENT_KIND, _KIND_DESCRIPTION)]
    wardrobe_category: Annotated[str | None, nullable(PLATFORM_CATEGORY_NAME, _WARDROBE_CATEGORY_DESCRIPTION)]
    category_section: str | None
    garment_type: OptionalGarmentType
    confidence: float = Field(ge=0, le=1)
    matched: list[dict[str, Any]]
    source: Literal["text", "image", "none"]
    image_analysis: ImageAnalysis = None  # type: ignore[assignment]  # left out of the answer when absent, never null


class Scraped(ResponseSchema):
    product: Product
    cached: bool


class ProductImages(ResponseSchema):
    images: list[str]
    count: int = Field(ge=0)
    source_url: str
    extractor: str | None
    reason: str | None = None  # only when there is no image
