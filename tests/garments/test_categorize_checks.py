"""The categorize request's field checks (CategorizeRequest, features/garments/schemas.py) through real
requests: each refusal keeps the code, message and details it had when the controller checked the fields."""

import pytest

from tests.envelope import data, error

CATEGORIZE = "/api/garments/categorize"
_BREADCRUMBS = "breadcrumbs must be a list of at most 20 names of at most 200 characters, or a string like 'Women > Dresses'"


@pytest.mark.parametrize(
    "body, code, message, details",
    [
        (
            {"title": "T" * 501},
            "VALIDATION_ERROR",
            "title must be a string of at most 500 characters",
            {"field": "title", "max_length": 500},
        ),
        (
            {"product_type": ["Shirts"]},
            "VALIDATION_ERROR",
            "product_type must be a string of at most 200 characters",
            {"field": "product_type", "max_length": 200},
        ),
        (
            {"breadcrumbs": ["Women"] * 21},
            "VALIDATION_ERROR",
            _BREADCRUMBS,
            {"field": "breadcrumbs", "max_items": 20, "max_length": 200},
        ),
        ({"breadcrumbs": [1, 2]}, "VALIDATION_ERROR", _BREADCRUMBS, {"field": "breadcrumbs"}),
        (
            {"title": "Shirt", "image_url": 5},
            "INVALID_URL",
            "image_url must be a string",
            {"field": "image_url"},
        ),
        (
            {"title": "  ", "breadcrumbs": []},
            "MISSING_FIELDS",
            "Send at least one of title, description, breadcrumbs, product_type or image",
            {"fields": ["title", "description", "product_type", "breadcrumbs", "image"]},
        ),
        (
            {"breadcrumbs": " > / "},
            "MISSING_FIELDS",
            "Send at least one of title, description, breadcrumbs, product_type or image",
            {"fields": ["title", "description", "product_type", "breadcrumbs", "image"]},
        ),
    ],
)
def test_a_bad_categorize_field_is_refused_as_before(client, body, code, message, details):
    refused = error(client.post(CATEGORIZE, json=body), 400, code)
    assert (refused["message"], refused["details"]) == (message, {**refused["details"], **details})


def test_breadcrumbs_as_one_string_are_split_and_other_fields_ignored(client):
    answer = data(client.post(CATEGORIZE, json={"breadcrumbs": "Women > Dresses | Maxi", "colour": "red"}))
    assert answer["wardrobe_category"] == "dresses" and answer["source"] == "text"
