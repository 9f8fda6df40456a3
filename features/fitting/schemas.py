"""Fit-check and size-recommendation request shapes. Each field is checked by the service: which garment,
chart and body to use depends on the fields together and on stored data (see service.py)."""

from features.garments.schemas import CATEGORY_NAME
from shared.schemas import RequestSchema, unchecked, yaml_component

_GARMENT_FIELDS = {
    "wardrobe_item_id": {"type": "integer", "minimum": 1},
    "url": {"type": "string", "format": "uri", "description": "The product page."},
    "category": CATEGORY_NAME,
    "brand": {"type": "string", "maxLength": 100},
    "gender": yaml_component("FitGender"),
    "fit_preference": yaml_component("FitPreference"),
}


class FitCheckRequest(RequestSchema):
    """The garment: wardrobe_item_id, or url (with the page's html when you have it), or just category."""

    wardrobe_item_id: unchecked(_GARMENT_FIELDS["wardrobe_item_id"]) = None
    url: unchecked(_GARMENT_FIELDS["url"]) = None
    html: unchecked({"type": "string", "description": "The page's HTML (with url)."}) = None
    size_chart: unchecked(yaml_component("SizeChart")) = None
    category: unchecked(_GARMENT_FIELDS["category"]) = None
    brand: unchecked(_GARMENT_FIELDS["brand"]) = None
    fabric: unchecked({"type": "array", "items": yaml_component("FabricEntry")}) = None
    size: unchecked({"type": ["string", "integer"], "maxLength": 40}) = None
    fit_preference: unchecked(_GARMENT_FIELDS["fit_preference"]) = None
    gender: unchecked(_GARMENT_FIELDS["gender"]) = None


class RecommendationQuery(RequestSchema):
    wardrobe_item_id: unchecked(_GARMENT_FIELDS["wardrobe_item_id"]) = None
    url: unchecked(_GARMENT_FIELDS["url"]) = None
    brand: unchecked(_GARMENT_FIELDS["brand"]) = None
    category: unchecked(_GARMENT_FIELDS["category"]) = None
    gender: unchecked(_GARMENT_FIELDS["gender"]) = None
    fit_preference: unchecked(_GARMENT_FIELDS["fit_preference"]) = None
