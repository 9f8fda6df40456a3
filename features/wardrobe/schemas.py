"""Wardrobe request and answer shapes, as the document shows them. Bodies come as JSON or as forms and
their fields are still checked by the service (service.py, fields.py), which refuses unknown ones."""

from functools import partial
from typing import Literal

from pydantic import ConfigDict, Field

from features.wardrobe.fields import SECTION_NAME_MAX_LENGTH, clean_section_name, optional_text
from shared.schemas import PageQuery, RequestSchema, ResponseSchema, checked, unchecked, yaml_component
from shared.validators import validate_integer, validate_url

SECTION = yaml_component("Section")
CATEGORY = yaml_component("Category")
ITEM = yaml_component("WardrobeItem")
_HTML = {
    "properties": {"html": {"type": "string", "description": "The product page's HTML (with garment_url)."}}
}
ITEM_FORM_WITH_HTML = {"allOf": [yaml_component("WardrobeItemForm"), _HTML]}
ITEM_INPUT_WITH_HTML = {"allOf": [yaml_component("WardrobeItemInput"), _HTML]}
ITEM_FORM = yaml_component("WardrobeItemForm")
ITEM_INPUT = yaml_component("WardrobeItemInput")
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
