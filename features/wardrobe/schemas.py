"""Wardrobe request and answer shapes, as the document shows them. Bodies come as JSON or as forms and
their fields are still checked by the service (service.py, fields.py), which refuses unknown ones."""

from functools import partial
from typing import Literal

from pydantic import ConfigDict, Field

from features.garments.schemas import GARMENT_TYPE, FabricEntry, OptionalGarmentType
from features.wardrobe.fields import (
    ITEM_TEXT_LIMITS,
    MAX_FABRIC_ENTRIES,
    MAX_PRICE,
    SECTION_NAME_MAX_LENGTH,
    clean_section_name,
    optional_text,
)
from shared.schemas import (
    IMAGE_FILE,
    PageQuery,
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


def _text(max_length):
    return checked(
        lambda value, name: optional_text(value, name, max_length),
        {"type": ["string", "null"], "maxLength": max_length},
    )


def _url_or_none(value, name):
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

    display_name: _text(255) = None
    description: _text(1000) = None
    icon_name: _text(100) = None
    name: _SECTION_NAME_FIELD = None
    icon_url: checked(_url_or_none, {"type": ["string", "null"], "format": "uri"}) = None
    sort_order: checked(
        partial(validate_integer, min_value=0, max_value=100000),
        {"type": ["integer", "null"], "minimum": 0, "maximum": 100000},
    ) = None


class CategoryInput(RequestSchema):
    """A category of the shopper's own, in an existing section; on an update, only the fields sent change."""

    read_only = _READ_ONLY

    name: _text(255) = None
    description: _text(1000) = None
    category_section: checked(clean_section_name, {"type": "string", "examples": ["upper_body"]}) = None


class CategoriesQuery(RequestSchema):
    """Checked by the service. Other query parameters are ignored."""

    model_config = ConfigDict(extra="ignore")

    search: unchecked({**_SEARCH, "description": "Matches name, display name or description."}) = None
    category_section: unchecked(_SECTION_NAME) = None


class ItemsQuery(PageQuery):
    """Checked by the service. Other query parameters are ignored."""

    category: unchecked(
        {
            "type": "string",
            "description": "A platform category's name or one of yours.",
            "examples": ["t_shirts"],
        }
    ) = None
    category_id: unchecked({"type": "integer", "minimum": 1, "description": "One of your categories."}) = None
    category_section: unchecked(_SECTION_NAME) = None
    search: unchecked({**_SEARCH, "description": "Matches title, brand or description."}) = None


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

    url: unchecked({"type": "string", "format": "uri"}) = None
    garment_url: unchecked({"type": "string", "format": "uri", "description": "Same as url."}) = None
    html: unchecked(
        {"type": "string", "description": "The product page's HTML, read instead of fetching it."}
    ) = None


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
    created_at: Timestamp = None
    updated_at: Timestamp = None


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


def _item_text(name):
    return unchecked({"type": ["string", "null"], "maxLength": ITEM_TEXT_LIMITS[name]})


class WardrobeItemInput(Shape):
    """An item's fields as JSON; on an update, only the fields sent change (null clears one)."""

    garment_url: unchecked(
        {"type": ["string", "null"], "format": "uri", "description": "The product page (adding from a URL)."}
    ) = None
    title: _item_text("title") = None
    brand: _item_text("brand") = None
    color: _item_text("color") = None
    size: _item_text("size") = None
    description: _item_text("description") = None
    care_instructions: _item_text("care_instructions") = None
    custom_category_name: _item_text("custom_category_name") = None
    price: unchecked({"type": ["number", "null"], "minimum": 0, "maximum": MAX_PRICE}) = None
    currency: unchecked({"type": ["string", "null"], "pattern": "^[A-Za-z]{3}$"}) = None
    fabric: unchecked(
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
        }
    ) = None
    category_section: unchecked({"type": ["string", "null"], "examples": ["upper_body"]}) = None
    category: unchecked(
        {"type": ["string", "null"], "description": "A platform category's name or one of yours."}
    ) = None
    category_id: unchecked(
        {"type": ["integer", "null"], "minimum": 1, "description": "One of your categories."}
    ) = None
    garment_type: unchecked({"oneOf": [GARMENT_TYPE, {"type": "null"}]}) = None
    is_external: unchecked({"type": "boolean"}) = None


def _form_text(example=None):
    return unchecked({"type": "string", **({"examples": [example]} if example else {})})


class WardrobeItemForm(Shape):
    """The item fields as form fields (`fabric` as JSON text) plus the picture."""

    garment_image: unchecked(IMAGE_FILE) = None
    garment_url: _form_text() = None
    title: _form_text() = None
    brand: _form_text() = None
    color: _form_text() = None
    size: _form_text() = None
    description: _form_text() = None
    care_instructions: _form_text() = None
    custom_category_name: _form_text() = None
    price: _form_text("29.90") = None
    currency: _form_text("EUR") = None
    fabric: _form_text('[{"name": "cotton", "percentage": 100}]') = None
    category_section: _form_text("upper_body") = None
    category: _form_text("t_shirts") = None
    category_id: _form_text() = None
    garment_type: _form_text() = None
    is_external: _form_text("false") = None


_PAGE_HTML = unchecked({"type": "string", "description": "The product page's HTML (with garment_url)."})


class NewItemInput(WardrobeItemInput):
    """An item's fields as JSON; from a product page (garment_url), optionally with its HTML."""

    html: _PAGE_HTML = None


class NewItemForm(WardrobeItemForm):
    """The item fields as form fields (`fabric` as JSON text) plus the picture, or a product page's URL."""

    html: _PAGE_HTML = None
