"""A wardrobe item's field checks (features/wardrobe/schemas.py) through real requests, as JSON and as a
form: each refusal keeps the status, code, message and details it had when the service checked the fields,
and nothing is stored."""

import pytest

from tests.envelope import error
from tests.wardrobe.conftest import add_item, added_item

ITEMS = "/api/wardrobe/items"
REFUSALS = [
    ({"title": "T" * 501}, "VALIDATION_ERROR", "title ", {"field": "title"}),
    ({"price": "cheap"}, "VALIDATION_ERROR", "price must be a number", {"field": "price"}),
    ({"price": -1}, "OUT_OF_RANGE", "price ", {"field": "price"}),
    (
        {"currency": "EURO"},
        "VALIDATION_ERROR",
        "currency ",
        {"field": "currency"},
    ),
    (
        {"currency": "E1R"},
        "INVALID_CURRENCY",
        "currency must be a three-letter ISO 4217 code such as EUR or USD",
        {"field": "currency"},
    ),
    (
        {"fabric": '[{"name": "cotton", "percentage": 140}]'},
        "INVALID_FABRIC",
        "each fabric percentage must be a number greater than 0 and at most 100",
        {"field": "fabric"},
    ),
    (
        {"category_section": "upper body!"},
        "INVALID_SECTION_NAME",
        "category_section may contain only letters, digits, spaces, hyphens and underscores",
        {"field": "category_section"},
    ),
    ({"category_id": "first"}, "VALIDATION_ERROR", "category_id ", {"field": "category_id"}),
    ({"category_id": "0"}, "OUT_OF_RANGE", "category_id ", {"field": "category_id"}),
    (
        {"garment_type": "cape"},
        "VALIDATION_ERROR",
        "garment_type must be one of: ",
        {"field": "garment_type"},
    ),
    ({"garment_url": "ftp://shop.example/p/1"}, "INVALID_URL", "garment_url ", {"field": "garment_url"}),
    (
        {"is_external": "maybe"},
        "VALIDATION_ERROR",
        "is_external must be true or false",
        {"field": "is_external"},
    ),
    ({"shoe_size": "42"}, "UNKNOWN_FIELDS", "Unknown field(s): shoe_size", {"fields": ["shoe_size"]}),
]


@pytest.mark.parametrize("fields, code, message, details", REFUSALS)
def test_a_bad_field_of_a_new_item_is_refused_as_before(client, user, fields, code, message, details):
    refused = error(add_item(client, user, **fields), 400, code)
    assert refused["message"].startswith(message)
    assert details.items() <= refused["details"].items()
    assert client.get(ITEMS, headers=user["headers"]).get_json()["pagination"]["total"] == 0


@pytest.mark.parametrize("fields, code, message, details", REFUSALS)
def test_a_bad_field_of_an_update_is_refused_as_before(client, user, fields, code, message, details):
    item = added_item(client, user, title="Tee")
    response = client.put(f"{ITEMS}/{item['id']}", headers=user["headers"], json=fields)
    refused = error(response, 400, code)
    assert refused["message"].startswith(message)
    assert client.get(f"{ITEMS}/{item['id']}", headers=user["headers"]).get_json()["data"] == item


def test_html_is_for_adding_from_a_page_only(client, user):
    item = added_item(client, user)
    response = client.put(f"{ITEMS}/{item['id']}", headers=user["headers"], json={"html": "<html></html>"})
    refused = error(response, 400, "UNKNOWN_FIELDS")
    assert refused["message"] == "html is only used when adding an item from a garment_url"
    assert refused["details"] == {"fields": ["html"]}
    response = client.post(
        ITEMS, headers=user["headers"], json={"garment_url": "https://shop.example/p/1", "html": 5}
    )
    assert error(response, 400, "VALIDATION_ERROR")["message"] == "html must be the page's HTML as text"


def test_the_picture_sent_as_a_text_field_is_refused_on_an_update_too(client, user):
    item = added_item(client, user)
    response = client.put(
        f"{ITEMS}/{item['id']}",
        headers=user["headers"],
        data={"garment_image": "aGVsbG8=", "size": "L"},
        content_type="multipart/form-data",
    )
    refused = error(response, 400, "INVALID_IMAGE_FIELD")
    assert (refused["message"], refused["details"]) == (
        "garment_image must be sent as a file",
        {"field": "garment_image"},
    )


def test_fields_read_from_an_item_may_be_sent_back(client, user):
    item = added_item(client, user, title="Tee")
    sent_back = {key: value for key, value in item.items() if key != "image_url"}
    response = client.put(f"{ITEMS}/{item['id']}", headers=user["headers"], json={**sent_back, "size": "L"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["size"] == "L"
