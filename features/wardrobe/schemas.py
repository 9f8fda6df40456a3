"""Wardrobe request and answer shapes, as the document shows them. Bodies come as JSON or as forms and
their fields are still checked by the service (service.py, fields.py), which refuses unknown ones."""

from functools import partial
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PlainValidator, WithJsonSchema

from features.garments.schemas import GARMENT_TYPE, FabricEntry, OptionalGarmentType
from features.wardrobe.fields import (
    ITEM_READ_ONLY_FIELDS,
    ITEM_TEXT_LIMITS,
    MAX_CATEGORY_LENGTH,
    MAX_FABRIC_ENTRIES,
    MAX_PRICE,
    SECTION_NAME_MAX_LENGTH,
    clean_boolean,
    clean_category_id,
    clean_currency,
    clean_fabric,
    clean_garment_type,
    clean_garment_url,
    clean_price,
    clean_section_name,
    optional_text,
)
from shared.errors import ValidationError
from shared.schemas import (
    IMAGE_FILE,
    Misdirected,
    PageQuery,
    RawJson,
    RequestSchema,
    ResponseSchema,
    Shape,
    Timestamp,
    checked,
    unchecked,
)
from shared.validators import validate_integer, validate_url

_SEARCH = {"type": "string", "maxLength": 200}
_SECTION_NAME = {"type": "string", "examples": ["upper_body"]}


# What a client may send back unchanged from an answer.
_READ_ONLY = frozenset(
    {
        "id",
        "is_platform",
        "platform_category_id",
        "display_name",
        "sort_order",
        "created_at",
        "updated_at",
        "categories",
    }
)


def _text(max_length: int) -> PlainValidator:
    return checked(
        lambda value, name: optional_text(value, name, max_length),
        {"type": ["string", "null"], "maxLength": max_length},
    )


def _page_html(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError("html must be the page's HTML as text", details={"field": name})
    return value or None


def _url_or_none(value: object, name: str) -> str | None:
    return validate_url(value, name) if value else None


_SECTION_NAME_FIELD = checked(
    clean_section_name,
    {
        "type": "string",
        "maxLength": SECTION_NAME_MAX_LENGTH,
        "description": "Identifier; spaces and hyphens become underscores.",
    },
)


class SectionInput(RequestSchema):
    """A section of the shopper's own; on an update, only the fields sent change."""

    read_only = _READ_ONLY - {"display_name", "sort_order"}

    display_name: Annotated[str | None, _text(255)] = None
    description: Annotated[str | None, _text(1000)] = None
    icon_name: Annotated[str | None, _text(100)] = None
    name: Annotated[str | None, _SECTION_NAME_FIELD] = None
    icon_url: Annotated[str | None, checked(_url_or_none, {"type": ["string", "null"], "format": "uri"})] = (
        None
    )
    sort_order: Annotated[
        int | None,
        checked(
            partial(validate_integer, min_value=0, max_value=100000),
            {"type": ["integer", "null"], "minimum": 0, "maximum": 100000},
        ),
    ] = None


class CategoryInput(RequestSchema):
    """A category of the shopper's own, in an existing section; on an update, only the fields sent change."""

    read_only = _READ_ONLY

    name: Annotated[str | None, _text(255)] = None
    description: Annotated[str | None, _text(1000)] = None
    category_section: Annotated[
        str | None, checked(clean_section_name, {"type": "string", "examples": ["upper_body"]})
    ] = None


class CategoriesQuery(RequestSchema):
    """Checked by the service. Other query parameters are ignored."""

    model_config = ConfigDict(extra="ignore")

    search: Annotated[
        RawJson, unchecked({**_SEARCH, "description": "Matches name, display name or description."})
    ] = None
    category_section: Annotated[RawJson, unchecked(_SECTION_NAME)] = None


class ItemsQuery(PageQuery):
    """Checked by the service. Other query parameters are ignored."""

    category: Annotated[
        RawJson,
        unchecked(
            {
                "type": "string",
                "description": "A platform category's name or one of yours.",
                "examples": ["t_shirts"],
            }
        ),
    ] = None
    category_id: Annotated[
        RawJson, unchecked({"type": "integer", "minimum": 1, "description": "One of your categories."})
    ] = None
    category_section: Annotated[RawJson, unchecked(_SECTION_NAME)] = None
    search: Annotated[
        RawJson, unchecked({**_SEARCH, "description": "Matches title, brand or description."})
    ] = None


class SectionDeleted(ResponseSchema):
    id: int
    name: str
    deleted: Literal[True]


class CategoryDeleted(SectionDeleted):
    items_uncategorized: int = Field(ge=0)


class ItemDeleted(ResponseSchema):
    id: int
    deleted: Literal[True]


class UrlRequest(RequestSchema):
    """url (or garment_url), as JSON or a form. Other fields are ignored, as they always were."""

    model_config = ConfigDict(extra="ignore")

    url: Annotated[RawJson, unchecked({"type": "string", "format": "uri"})] = None
    garment_url: Annotated[
        RawJson, unchecked({"type": "string", "format": "uri", "description": "Same as url."})
    ] = None
    html: Annotated[
        str | None,
        checked(
            _page_html,
            {"type": "string", "description": "The product page's HTML, read instead of fetching it."},
        ),
    ] = None


class Section(ResponseSchema):
    id: int
    name: str
    display_name: str
    description: str | None
    sort_order: int
    icon_name: str | None
    icon_url: str | None
    is_platform: bool
    created_at: Timestamp
    updated_at: Timestamp


class Category(ResponseSchema):
    """A platform category has `id` null and is addressed by name; yours has an id."""

    id: int | None
    platform_category_id: int | None
    name: str
    display_name: str
    description: str | None
    category_section: str
    sort_order: int | None
    is_platform: bool
    created_at: Timestamp = None  # type: ignore[assignment]  # a platform category has none
    updated_at: Timestamp = None  # type: ignore[assignment]  # a platform category has none


class CategoryGroup(Section):
    """A section with its categories."""

    categories: list[Category]


class WardrobeItem(ResponseSchema):
    id: int
    garment_id: str
    title: str | None
    brand: str | None
    color: str | None
    size: str | None
    description: str | None
    price: float | None
    currency: str | None
    fabric: list[FabricEntry]
    care_instructions: str | None
    category: str | None = Field(description="The platform category's name, or your category's name.")
    category_id: int | None
    platform_category_id: int | None
    custom_category_name: str | None
    category_section: str
    garment_type: OptionalGarmentType
    garment_url: str | None
    is_external: bool
    image_path: str | None = Field(description="Relative (/images/...).")
    image_url: str | None = Field(description="Absolute signed URL of the image.")
    date_added: Timestamp
    created_at: Timestamp
    updated_at: Timestamp


def _item_text(name: str) -> PlainValidator:
    limit = ITEM_TEXT_LIMITS[name]
    return checked(
        lambda value, field_name: optional_text(value, field_name, limit),
        {"type": ["string", "null"], "maxLength": limit},
    )


IMAGE_FIELD = "garment_image"
_IMAGE_AS_TEXT = Misdirected(f"{IMAGE_FIELD} must be sent as a file", code="INVALID_IMAGE_FIELD")


class _ItemFields(RequestSchema):
    """An item's fields as JSON or as form fields (WardrobeItemForm); whether a category or section exists is
    the service's to check."""

    read_only = frozenset(ITEM_READ_ONLY_FIELDS)
    misdirected = {IMAGE_FIELD: _IMAGE_AS_TEXT}

    title: Annotated[str | None, _item_text("title")] = None
    brand: Annotated[str | None, _item_text("brand")] = None
    color: Annotated[str | None, _item_text("color")] = None
    size: Annotated[str | None, _item_text("size")] = None
    description: Annotated[str | None, _item_text("description")] = None
    care_instructions: Annotated[str | None, _item_text("care_instructions")] = None
    custom_category_name: Annotated[str | None, _item_text("custom_category_name")] = None
    price: Annotated[
        float | None,
        checked(
            lambda value, name: clean_price(value),
            {"type": ["number", "null"], "minimum": 0, "maximum": MAX_PRICE},
        ),
    ] = None
    currency: Annotated[
        str | None,
        checked(
            lambda value, name: clean_currency(value),
            {"type": ["string", "null"], "pattern": "^[A-Za-z]{3}$"},
        ),
    ] = None
    fabric: Annotated[
        list[dict[str, Any]] | None,
        checked(
            lambda value, name: clean_fabric(value),
            {
                "type": ["array", "null"],
                "maxItems": MAX_FABRIC_ENTRIES,
                "items": {
                    "type": "object",
                    "required": ["name", "percentage"],
                    "properties": {
                        "name": {"type": "string"},
                        "percentage": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                    },
                },
            },
        ),
    ] = None
    category_section: Annotated[
        str | None, checked(clean_section_name, {"type": ["string", "null"], "examples": ["upper_body"]})
    ] = None
    category_id: Annotated[
        int | None,
        checked(
            lambda value, name: clean_category_id(value),
            {"type": ["integer", "null"], "minimum": 1, "description": "One of your categories."},
        ),
    ] = None
    category: Annotated[
        str | None,
        checked(
            lambda value, name: optional_text(value, name, MAX_CATEGORY_LENGTH),
            {
                "type": ["string", "null"],
                "maxLength": MAX_CATEGORY_LENGTH,
                "description": "A platform category's name or one of yours.",
            },
        ),
    ] = None
    garment_type: Annotated[
        str | None,
        checked(lambda value, name: clean_garment_type(value), {"oneOf": [GARMENT_TYPE, {"type": "null"}]}),
    ] = None
    garment_url: Annotated[
        str | None,
        checked(
            lambda value, name: clean_garment_url(value),
            {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The product page (adding from a URL).",
            },
        ),
    ] = None
    is_external: Annotated[bool | None, checked(clean_boolean, {"type": "boolean"})] = None


class NewItemInput(_ItemFields):
    """A new item: from a photo (the multipart file garment_image) or a product page (garment_url, optionally
    with its HTML)."""

    html: Annotated[
        str | None,
        checked(_page_html, {"type": "string", "description": "The product page's HTML (with garment_url)."}),
    ] = None


class WardrobeItemInput(_ItemFields):
    """The fields to change (null clears one); a new garment_image file replaces the picture."""

    misdirected = {
        IMAGE_FIELD: _IMAGE_AS_TEXT,
        "html": Misdirected(
            "html is only used when adding an item from a garment_url",
            code="UNKNOWN_FIELDS",
            details={"fields": ["html"]},
        ),
    }


def _form_text(example: str | None = None) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", **({"examples": [example]} if example else {})})


class WardrobeItemForm(Shape):
    """The item fields as form fields (`fabric` as JSON text) plus the picture."""

    garment_image: Annotated[RawJson, unchecked(IMAGE_FILE)] = None
    garment_url: Annotated[RawJson, _form_text()] = None
    title: Annotated[RawJson, _form_text()] = None
    brand: Annotated[RawJson, _form_text()] = None
    color: Annotated[RawJson, _form_text()] = None
    size: Annotated[RawJson, _form_text()] = None
    description: Annotated[RawJson, _form_text()] = None
    care_instructions: Annotated[RawJson, _form_text()] = None
    custom_category_name: Annotated[RawJson, _form_text()] = None
    price: Annotated[RawJson, _form_text("29.90")] = None
    currency: Annotated[RawJson, _form_text("EUR")] = None
    fabric: Annotated[RawJson, _form_text('[{"name": "cotton", "percentage": 100}]')] = None
    category_section: Annotated[RawJson, _form_text("upper_body")] = None
    category: Annotated[RawJson, _form_text("t_shirts")] = None
    category_id: Annotated[RawJson, _form_text()] = None
    garment_type: Annotated[RawJson, _form_text()] = None
    is_external: Annotated[RawJson, _form_text("false")] = None


class NewItemForm(WardrobeItemForm):
    """The item fields as form fields (`fabric` as JSON text) plus the picture, or a product page's URL."""

    html: Annotated[
        RawJson, unchecked({"type": "string", "description": "The product page's HTML (with garment_url)."})
    ] = None
