"""Categories: read-only platform categories plus each user's own, grouped by section."""

import pytest

from tests.wardrobe.conftest import (
    PLATFORM_SECTIONS,
    count_rows,
    create_category,
    create_section,
    delete_after_update,
    error_code,
)

CATEGORIES = "/api/wardrobe/categories"
UPPER_BODY = ["t_shirts", "shirts", "sweaters", "jackets", "dresses", "coats"]


def grouped(client, user, **query):
    response = client.get(CATEGORIES, headers=user["headers"], query_string=query)
    assert response.status_code == 200, response.get_json()
    return {group["name"]: [c["name"] for c in group["categories"]] for group in response.get_json()["data"]}


def test_platform_categories_grouped_by_section(client, user):
    response = client.get(CATEGORIES, headers=user["headers"])
    groups = response.get_json()["data"]
    assert [g["name"] for g in groups] == PLATFORM_SECTIONS
    assert groups[0]["display_name"] == "Upper Body"
    by_section = {g["name"]: g["categories"] for g in groups}
    assert [c["name"] for c in by_section["upper_body"]] == UPPER_BODY
    assert [c["name"] for c in by_section["lower_body"]] == ["pants", "jeans", "shorts", "skirts", "leggings"]
    assert [c["name"] for c in by_section["accessoires"]] == ["bags", "shoes", "hats", "jewelry", "belts"]
    assert by_section["wishlist"] == []
    tshirts = by_section["upper_body"][0]
    assert tshirts["display_name"] == "T-Shirts" and tshirts["is_platform"] is True
    assert tshirts["id"] is None and isinstance(tshirts["platform_category_id"], int)


def test_create_category_with_the_spec_body(client, user, other_user):
    body = {
        "name": "casual_shirts",
        "description": "Casual shirts for everyday wear",
        "category_section": "upper_body",
    }
    response = client.post(CATEGORIES, headers=user["headers"], json=body)
    assert response.status_code == 201
    category = response.get_json()["data"]
    assert {key: category[key] for key in body} == body
    assert category["is_platform"] is False and isinstance(category["id"], int)
    assert grouped(client, user)["upper_body"] == [*UPPER_BODY, "casual_shirts"]
    assert grouped(client, other_user)["upper_body"] == UPPER_BODY


def test_category_in_own_section(client, user):
    create_section(client, user, "festival")
    create_category(client, user, "Glitter", section="festival", description="Sparkly things")
    assert grouped(client, user)["festival"] == ["Glitter"]


def test_search_is_case_insensitive_over_name_and_description(client, user):
    create_category(client, user, "casual_shirts")
    create_category(client, user, "Office", description="Formal SHIRTS and blouses")
    create_category(client, user, "Sneakers", section="accessoires")
    assert grouped(client, user, search="SHIRT") == {
        "upper_body": ["t_shirts", "shirts", "casual_shirts", "Office"]
    }
    assert grouped(client, user, search="sneak") == {"accessoires": ["Sneakers"]}
    assert grouped(client, user, search="no such thing") == {}
    assert grouped(client, user, search="%") == {}  # wildcards in the search text are literal
    assert grouped(client, user, search="_") == {"upper_body": ["t_shirts", "casual_shirts"]}


def test_section_filter(client, user):
    create_category(client, user, "Sneakers", section="accessoires")
    assert grouped(client, user, category_section="accessoires") == {
        "accessoires": ["bags", "shoes", "hats", "jewelry", "belts", "Sneakers"]
    }
    assert grouped(client, user, category_section="accessoires", search="SNEAK") == {
        "accessoires": ["Sneakers"]
    }
    response = client.get(CATEGORIES, headers=user["headers"], query_string={"category_section": "shoes"})
    assert response.status_code == 400 and error_code(response) == "INVALID_CATEGORY_SECTION"
    assert response.get_json()["error"]["details"]["allowed"] == PLATFORM_SECTIONS


def test_get_by_id_and_platform_category_by_name(client, user):
    category = create_category(client, user, "Knitwear", description="Warm")
    response = client.get(f"{CATEGORIES}/{category['id']}", headers=user["headers"])
    assert response.status_code == 200 and response.get_json()["data"] == category
    by_name = client.get(f"{CATEGORIES}/knitwear", headers=user["headers"]).get_json()["data"]
    assert by_name["id"] == category["id"]
    platform = client.get(f"{CATEGORIES}/dresses", headers=user["headers"]).get_json()["data"]
    assert platform["is_platform"] is True and platform["category_section"] == "upper_body"
    # the garment kind the scrape endpoint answers with names the same platform category
    assert client.get(f"{CATEGORIES}/dress", headers=user["headers"]).get_json()["data"] == platform
    missing = client.get(f"{CATEGORIES}/ballgowns", headers=user["headers"])
    assert missing.status_code == 404 and error_code(missing) == "CATEGORY_NOT_FOUND"


def test_update_category(client, user):
    create_section(client, user, "winter")
    category = create_category(client, user, "Knitwear")
    url = f"{CATEGORIES}/{category['id']}"
    response = client.put(
        url,
        headers=user["headers"],
        json={"name": "Knits", "description": "Wool", "category_section": "winter"},
    )
    assert response.status_code == 200
    updated = response.get_json()["data"]
    assert (updated["name"], updated["description"], updated["category_section"]) == (
        "Knits",
        "Wool",
        "winter",
    )
    assert grouped(client, user)["winter"] == ["Knits"]
    # renaming to the same name in another case is not a conflict with itself
    assert client.put(url, headers=user["headers"], json={"name": "KNITS"}).status_code == 200


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"category_section": "upper_body"}, 400, "MISSING_FIELDS"),
        ({"name": "Knits"}, 400, "MISSING_FIELDS"),
        ({"name": "Knits", "category_section": "summer"}, 400, "INVALID_CATEGORY_SECTION"),
        ({"name": "Knits", "category_section": "upper_body", "colour": "red"}, 400, "UNKNOWN_FIELDS"),
        ({"name": ["Knits"], "category_section": "upper_body"}, 400, "VALIDATION_ERROR"),
        ({"name": "x" * 256, "category_section": "upper_body"}, 400, "VALIDATION_ERROR"),
        ({"name": "Existing", "category_section": "upper_body"}, 409, "CATEGORY_EXISTS"),
        ({"name": "EXISTING", "category_section": "lower_body"}, 409, "CATEGORY_EXISTS"),
        ({"name": "shirts", "category_section": "upper_body"}, 409, "CATEGORY_NAME_RESERVED"),
        ({"name": "T-Shirts", "category_section": "lower_body"}, 409, "CATEGORY_NAME_RESERVED"),
        (
            {"name": "Dress", "category_section": "upper_body"},
            409,
            "CATEGORY_NAME_RESERVED",
        ),  # the kind of "dresses"
    ],
)
def test_invalid_category_bodies_are_refused_and_nothing_is_stored(app, client, user, body, status, code):
    create_category(client, user, "Existing")
    before = count_rows(app, "wardrobe_categories")
    response = client.post(CATEGORIES, headers=user["headers"], json=body)
    assert (response.status_code, error_code(response)) == (status, code)
    assert count_rows(app, "wardrobe_categories") == before


def test_invalid_section_lists_the_valid_names(client, user):
    create_section(client, user, "gym")
    response = client.post(
        CATEGORIES, headers=user["headers"], json={"name": "Tights", "category_section": "yoga"}
    )
    details = response.get_json()["error"]["details"]
    assert details == {"field": "category_section", "allowed": [*PLATFORM_SECTIONS, "gym"]}
    assert "yoga" in response.get_json()["error"]["message"]


def test_a_category_deleted_while_it_is_updated_answers_not_found(app, client, user):
    category = create_category(client, user, "Linen shirts")
    delete_after_update(app, "wardrobe_categories")
    response = client.put(
        f"{CATEGORIES}/{category['id']}", headers=user["headers"], json={"description": "Summer"}
    )
    assert response.status_code == 404 and error_code(response) == "CATEGORY_NOT_FOUND"


def test_update_refuses_bad_values_without_changing_anything(client, user):
    create_category(client, user, "Taken")
    category = create_category(client, user, "Mine")
    url = f"{CATEGORIES}/{category['id']}"
    for body, status, code in [
        ({"name": "taken"}, 409, "CATEGORY_EXISTS"),
        ({"name": "Jeans"}, 409, "CATEGORY_NAME_RESERVED"),
        ({"name": ""}, 400, "MISSING_FIELDS"),
        ({"category_section": None}, 400, "MISSING_FIELDS"),
        ({"category_section": "nowhere"}, 400, "INVALID_CATEGORY_SECTION"),
    ]:
        response = client.put(url, headers=user["headers"], json=body)
        assert (response.status_code, error_code(response)) == (status, code), body
    assert client.get(url, headers=user["headers"]).get_json()["data"] == category


def test_platform_categories_are_read_only(app, client, user):
    for response in (
        client.put(f"{CATEGORIES}/dresses", headers=user["headers"], json={"name": "Gowns"}),
        client.delete(f"{CATEGORIES}/dresses", headers=user["headers"]),
    ):
        assert response.status_code == 403 and error_code(response) == "PLATFORM_CATEGORY_READ_ONLY"
    assert count_rows(app, "platform_categories") == 16
    assert "dresses" in grouped(client, user)["upper_body"]


def test_delete_unused_category(client, user):
    category = create_category(client, user, "Temporary")
    response = client.delete(f"{CATEGORIES}/{category['id']}", headers=user["headers"])
    assert response.status_code == 200
    assert response.get_json()["data"] == {
        "id": category["id"],
        "name": "Temporary",
        "deleted": True,
        "items_uncategorized": 0,
    }
    assert client.get(f"{CATEGORIES}/{category['id']}", headers=user["headers"]).status_code == 404


def test_another_users_category_answers_like_a_missing_one(client, user, other_user):
    theirs = create_category(client, other_user, "Private")
    missing = client.get(f"{CATEGORIES}/999999", headers=user["headers"])
    assert missing.status_code == 404
    for url in (f"{CATEGORIES}/{theirs['id']}", f"{CATEGORIES}/Private"):
        for response in (
            client.get(url, headers=user["headers"]),
            client.put(url, headers=user["headers"], json={"name": "Stolen"}),
            client.delete(url, headers=user["headers"]),
        ):
            assert response.status_code == 404
            assert response.get_json()["error"] == missing.get_json()["error"]
    assert (
        client.get(f"{CATEGORIES}/{theirs['id']}", headers=other_user["headers"]).get_json()["data"] == theirs
    )
    assert "Private" not in grouped(client, user, search="private").get("upper_body", [])
    # the same name is free for another user
    create_category(client, user, "Private")


def test_categories_require_auth(client):
    assert client.get(CATEGORIES).status_code == 401
    assert client.post(CATEGORIES, json={"name": "x", "category_section": "upper_body"}).status_code == 401
    assert client.get(f"{CATEGORIES}/1").status_code == 401
