"""Category sections: the four platform sections plus each user's own."""

import pytest

from tests.wardrobe.conftest import (
    PLATFORM_SECTIONS,
    added_item,
    count_rows,
    create_category,
    create_section,
    error_code,
)

SECTIONS = "/api/wardrobe/category-sections"


def section_names(client, user):
    response = client.get(SECTIONS, headers=user["headers"])
    assert response.status_code == 200
    return [section["name"] for section in response.get_json()["data"]]


def test_platform_sections_with_display_names_and_order(client, user):
    response = client.get(SECTIONS, headers=user["headers"])
    assert response.status_code == 200
    sections = response.get_json()["data"]
    assert [s["name"] for s in sections] == PLATFORM_SECTIONS
    assert [s["display_name"] for s in sections] == ["Upper Body", "Lower Body", "Accessories", "Wishlist"]
    assert [s["sort_order"] for s in sections] == [1, 2, 3, 4]
    assert all(s["is_platform"] and s["icon_name"] == s["name"] and "icon_url" in s for s in sections)


def test_create_section_with_the_spec_body(client, user, other_user):
    body = {
        "name": "summer_collection",
        "display_name": "Summer Collection",
        "description": "My summer wardrobe items",
        "icon_name": "summer_icon",
        "icon_url": "https://example.com/icons/summer.png",
        "sort_order": 5,
    }
    response = client.post(SECTIONS, headers=user["headers"], json=body)
    assert response.status_code == 201
    section = response.get_json()["data"]
    assert {key: section[key] for key in body} == body
    assert section["is_platform"] is False and isinstance(section["id"], int)
    assert section_names(client, user) == [*PLATFORM_SECTIONS, "summer_collection"]
    assert section_names(client, other_user) == PLATFORM_SECTIONS


def test_section_name_is_normalised_and_display_name_derived(client, user):
    section = create_section(client, user, "  Rainy Days-Out ")
    assert section["name"] == "rainy_days_out"
    assert section["display_name"] == "Rainy Days Out"
    assert section["sort_order"] == 5  # after the last visible section
    sent_as_null = client.post(
        SECTIONS, headers=user["headers"], json={"name": "beach", "display_name": None}
    )
    assert sent_as_null.status_code == 201 and sent_as_null.get_json()["data"]["display_name"] == "Beach"
    # a multipart form works as well as JSON
    response = client.post(SECTIONS, headers=user["headers"], data={"name": "gym", "sort_order": "0"})
    assert response.status_code == 201 and response.get_json()["data"]["sort_order"] == 0
    assert section_names(client, user)[0] == "gym"


@pytest.mark.parametrize(
    "name, code",
    [
        ("summer", "SECTION_EXISTS"),
        ("Summer", "SECTION_EXISTS"),
        ("upper_body", "SECTION_NAME_RESERVED"),
        ("Upper Body", "SECTION_NAME_RESERVED"),
        ("WISHLIST", "SECTION_NAME_RESERVED"),
    ],
)
def test_section_names_unique_per_user_and_never_shadow_platform(client, user, name, code):
    create_section(client, user, "summer")
    response = client.post(SECTIONS, headers=user["headers"], json={"name": name})
    assert response.status_code == 409 and error_code(response) == code
    assert section_names(client, user) == [*PLATFORM_SECTIONS, "summer"]


def test_two_users_may_use_the_same_section_name(client, user, other_user):
    mine = create_section(client, user, "festival")
    theirs = create_section(client, other_user, "festival")
    assert mine["id"] != theirs["id"]


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, "MISSING_FIELDS"),
        ({"name": "   "}, "MISSING_FIELDS"),
        ({"name": "sale!"}, "INVALID_SECTION_NAME"),
        ({"name": "_hidden"}, "INVALID_SECTION_NAME"),
        ({"name": "x" * 101}, "VALIDATION_ERROR"),
        ({"name": 7}, "VALIDATION_ERROR"),
        ({"name": "ok", "icon_url": "javascript:alert(1)"}, "INVALID_URL"),
        ({"name": "ok", "sort_order": "first"}, "VALIDATION_ERROR"),
        ({"name": "ok", "sort_order": -1}, "OUT_OF_RANGE"),
        ({"name": "ok", "display_name": "a\x00b"}, "VALIDATION_ERROR"),
        ({"name": "ok", "colour": "red"}, "UNKNOWN_FIELDS"),
    ],
)
def test_invalid_section_bodies_are_refused_and_nothing_is_stored(app, client, user, body, code):
    before = count_rows(app, "category_sections")
    response = client.post(SECTIONS, headers=user["headers"], json=body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["success"] is False and error_code(response) == code
    assert count_rows(app, "category_sections") == before


def test_malformed_bodies_and_missing_auth(client, user):
    response = client.post(
        SECTIONS, headers={**user["headers"], "Content-Type": "application/json"}, data="{"
    )
    assert response.status_code == 400 and error_code(response) == "INVALID_JSON"
    response = client.post(SECTIONS, headers={**user["headers"], "Content-Type": "text/plain"}, data="name=x")
    assert response.status_code == 415
    assert client.get(SECTIONS).status_code == 401
    assert client.post(SECTIONS, json={"name": "x"}).status_code == 401


def test_get_update_delete_own_section(client, user):
    section = create_section(client, user, "travel")
    url = f"{SECTIONS}/{section['id']}"
    assert client.get(url, headers=user["headers"]).get_json()["data"]["name"] == "travel"
    response = client.put(
        url, headers=user["headers"], json={"display_name": "Travel light", "sort_order": 9, "icon_url": None}
    )
    assert response.status_code == 200
    updated = response.get_json()["data"]
    assert (updated["name"], updated["display_name"], updated["sort_order"]) == ("travel", "Travel light", 9)
    response = client.delete(url, headers=user["headers"])
    assert response.status_code == 200 and response.get_json()["data"]["deleted"] is True
    assert client.get(url, headers=user["headers"]).status_code == 404
    assert section_names(client, user) == PLATFORM_SECTIONS


def test_update_refuses_bad_values_and_taken_names(client, user):
    create_section(client, user, "taken")
    section = create_section(client, user, "mine")
    url = f"{SECTIONS}/{section['id']}"
    for body, status, code in [
        ({"name": "taken"}, 409, "SECTION_EXISTS"),
        ({"name": "lower_body"}, 409, "SECTION_NAME_RESERVED"),
        ({"name": None}, 400, "MISSING_FIELDS"),
        ({"display_name": ""}, 400, "MISSING_FIELDS"),
        ({"id": 1, "user_id": "x", "owner": "y"}, 400, "UNKNOWN_FIELDS"),
    ]:
        response = client.put(url, headers=user["headers"], json=body)
        assert (response.status_code, error_code(response)) == (status, code), body
    assert client.get(url, headers=user["headers"]).get_json()["data"]["name"] == "mine"


def test_rename_carries_over_to_categories_and_items(client, user):
    section = create_section(client, user, "beach")
    category = create_category(client, user, "Swimwear", section="beach")
    item = added_item(client, user, category_section="beach", title="Towel")
    response = client.put(f"{SECTIONS}/{section['id']}", headers=user["headers"], json={"name": "Seaside"})
    assert response.status_code == 200 and response.get_json()["data"]["name"] == "seaside"
    category_now = client.get(
        f"/api/wardrobe/categories/{category['id']}", headers=user["headers"]
    ).get_json()
    assert category_now["data"]["category_section"] == "seaside"
    item_now = client.get(f"/api/wardrobe/items/{item['id']}", headers=user["headers"]).get_json()["data"]
    assert item_now["category_section"] == "seaside"


def test_section_in_use_cannot_be_deleted(client, user):
    section = create_section(client, user, "office")
    category = create_category(client, user, "Blazers", section="office")
    url = f"{SECTIONS}/{section['id']}"
    response = client.delete(url, headers=user["headers"])
    assert response.status_code == 409 and error_code(response) == "SECTION_IN_USE"
    assert response.get_json()["error"]["details"] == {"categories": 1, "items": 0}
    client.delete(f"/api/wardrobe/categories/{category['id']}", headers=user["headers"])
    assert client.delete(url, headers=user["headers"]).status_code == 200


def test_platform_sections_are_read_only(client, user):
    sections = client.get(SECTIONS, headers=user["headers"]).get_json()["data"]
    url = f"{SECTIONS}/{sections[0]['id']}"
    assert client.get(url, headers=user["headers"]).get_json()["data"]["name"] == "upper_body"
    for response in (
        client.put(url, headers=user["headers"], json={"display_name": "Tops"}),
        client.delete(url, headers=user["headers"]),
    ):
        assert response.status_code == 403 and error_code(response) == "PLATFORM_SECTION_READ_ONLY"
    assert section_names(client, user) == PLATFORM_SECTIONS
    assert client.get(url, headers=user["headers"]).get_json()["data"]["display_name"] == "Upper Body"


def test_another_users_section_answers_like_a_missing_one(client, user, other_user):
    theirs = create_section(client, other_user, "private")
    missing = client.get(f"{SECTIONS}/999999", headers=user["headers"])
    assert missing.status_code == 404
    url = f"{SECTIONS}/{theirs['id']}"
    for response in (
        client.get(url, headers=user["headers"]),
        client.put(url, headers=user["headers"], json={"display_name": "Mine now"}),
        client.delete(url, headers=user["headers"]),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"] == missing.get_json()["error"]
    assert client.get(url, headers=other_user["headers"]).get_json()["data"]["display_name"] == "Private"
    # nor can it be used as a category's or item's section
    response = client.post(
        "/api/wardrobe/categories",
        headers=user["headers"],
        json={"name": "Secret", "category_section": "private"},
    )
    assert response.status_code == 400 and error_code(response) == "INVALID_CATEGORY_SECTION"
    assert "private" not in response.get_json()["error"]["details"]["allowed"]
