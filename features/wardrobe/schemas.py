"""Wardrobe request and answer shapes, as the document shows them. Bodies come as JSON or as forms and
their fields are still checked by the service (service.py, fields.py), which refuses unknown ones."""
from pydantic import ConfigDict

from shared.schemas import PageQuery, RequestSchema, ResponseSchema, unchecked, yaml_component

SECTION = yaml_component("Section")
CATEGORY = yaml_component("Category")
ITEM = yaml_component("WardrobeItem")
SECTION_INPUT = yaml_component("SectionInput")
CATEGORY_INPUT = yaml_component("CategoryInput")
_HTML = {"properties": {"html": {"type": "string", "description": "The product page's HTML (with garment_url)."}}}
ITEM_FORM_WITH_HTML = {"allOf": [yaml_component("WardrobeItemForm"), _HTML]}
ITEM_INPUT_WITH_HTML = {"allOf": [yaml_component("WardrobeItemInput"), _HTML]}
ITEM_FORM = yaml_component("WardrobeItemForm")
ITEM_INPUT = yaml_component("WardrobeItemInput")
_SEARCH = {"type": "string", "maxLength": 200}
_SECTION_NAME = {"type": "string", "examples": ["upper_body"]}


class CategoriesQuery(RequestSchema):
    """Checked by the service. Other query parameters are ignored."""

    model_config = ConfigDict(extra="ignore")

    search: unchecked({**_SEARCH, "description": "Matches name, display name or description."}) = None
    category_section: unchecked(_SECTION_NAME) = None


class ItemsQuery(PageQuery):
    """Checked by the service. Other query parameters are ignored."""

    category: unchecked({"type": "string", "description": "A platform category's name or one of yours.",
                         "examples": ["t_shirts"]}) = None
    category_id: unchecked({"type": "integer", "minimum": 1, "description": "One of your categories."}) = None
    category_section: unchecked(_SECTION_NAME) = None
    search: unchecked({**_SEARCH, "description": "Matches title, brand or description."}) = None


class SectionDeleted(ResponseSchema):
    id: int
    name: str
    deleted: bool


class CategoryDeleted(SectionDeleted):
    items_uncategorized: int


class ItemDeleted(ResponseSchema):
    id: int
    deleted: bool


class UrlRequest(RequestSchema):
    """url (or garment_url), as JSON or a form. Other fields are ignored, as they always were."""

    model_config = ConfigDict(extra="ignore")

    url: unchecked({"type": "string", "format": "uri"}) = None
    garment_url: unchecked({"type": "string", "format": "uri", "description": "Same as url."}) = None
    html: unchecked({"type": "string", "description": "The product page's HTML, read instead of fetching it."}) = None
