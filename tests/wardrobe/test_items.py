"""Wardrobe items added by upload: fields, validation, listing, updates, deletion and their image files."""

import io
from pathlib import Path

import pytest
from PIL import Image

from features.wardrobe import service
from shared.errors import NotFoundError
from tests.helpers import refuse_writes
from tests.stored_images import fetch_image, image_key
from tests.wardrobe.conftest import (
    PLATFORM_SECTIONS,
    add_item,
    added_item,
    count_rows,
    create_category,
    create_section,
    delete_after_update,
    error_code,
    garment_photo,
    stored_file,
    wardrobe_files,
)

ITEMS = "/api/wardrobe/items"
FULL_ITEM = {
    "title": "Classic Blue Cotton T-Shirt",
    "brand": "Zara",
    "color": "blue",
    "size": "M",
    "description": "Crew neck, regular fit",
    "price": "19.95",
    "currency": "eur",
    "fabric": '[{"name": "cotton", "percentage": 95}, {"name": "elastane", "percentage": 5}]',
    "care_instructions": "Machine wash at 30 °C",
    "custom_category_name": "Basics",
    "category": "t_shirts",
    "garment_url": "https://www.zara.com/us/en/basic-t-shirt-p01234567.html",
    "is_external": "true",
}


def items_of(client, user, **query):
    response = client.get(ITEMS, headers=user["headers"], query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def titles(client, user, **query):
    return [item["title"] for item in items_of(client, user, **query)["data"]]


def put_multipart(client, user, item_id, image, **fields):
    data = {**fields, "garment_image": (io.BytesIO(image), "new.jpg")}
    return client.put(
        f"{ITEMS}/{item_id}", headers=user["headers"], data=data, content_type="multipart/form-data"
    )


def test_add_item_by_upload_with_every_field(client, user, storage):
    response = add_item(client, user, **FULL_ITEM)
    assert response.status_code == 201
    body = response.get_json()
    assert body["success"] is True
    item = body["data"]
    assert {
        key: item[key]
        for key in (
            "title",
            "brand",
            "color",
            "size",
            "description",
            "care_instructions",
            "custom_category_name",
            "garment_url",
        )
    } == {
        key: FULL_ITEM[key]
        for key in (
            "title",
            "brand",
            "color",
            "size",
            "description",
            "care_instructions",
            "custom_category_name",
            "garment_url",
        )
    }
    assert item["price"] == 19.95 and item["currency"] == "EUR"
    assert item["fabric"] == [{"name": "cotton", "percentage": 95}, {"name": "elastane", "percentage": 5}]
    assert (item["category"], item["category_id"], item["category_section"]) == (
        "t_shirts",
        None,
        "upper_body",
    )
    assert item["garment_type"] == "top" and item["is_external"] is True
    userid = user["user"]["userid"]
    assert item["image_path"] == f"/images/wardrobe/{userid}/{item['garment_id']}.png"
    assert image_key(item["image_url"]) == f"wardrobe/{userid}/{item['garment_id']}.png"
    served = fetch_image(client, item["image_url"])
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert client.get(item["image_path"]).status_code == 403  # only the signed URL opens the file
    with Image.open(stored_file(storage, item["image_path"])) as stored:
        assert stored.format == "PNG" and stored.size == (120, 160)
    assert (
        client.get(f"{ITEMS}/{item['id']}", headers=user["headers"]).get_json()["data"]["title"]
        == item["title"]
    )


def test_upload_is_normalised_to_a_bounded_png(client, user, storage):
    item = added_item(client, user, image=garment_photo((3000, 1500), "JPEG"), filename="photo.jpg")
    with Image.open(stored_file(storage, item["image_path"])) as stored:
        assert stored.format == "PNG" and stored.size == (2048, 1024)
    assert item["is_external"] is False and item["fabric"] == [] and item["price"] is None


@pytest.mark.parametrize(
    "category, section, expected_section, expected_type",
    [
        ("dresses", None, "upper_body", "one_piece"),
        ("coats", None, "upper_body", "outerwear"),
        ("jeans", None, "lower_body", "bottom"),
        ("shoes", None, "accessoires", "shoes"),
        ("belts", None, "accessoires", "accessory"),
        (None, "lower_body", "lower_body", "bottom"),
        (None, "accessoires", "accessoires", "accessory"),
        (None, "wishlist", "wishlist", None),
        ("dresses", "wishlist", "wishlist", "one_piece"),
        ("dress", None, "upper_body", "one_piece"),
        ("T-Shirt", None, "upper_body", "top"),
    ],
)
def test_garment_type_follows_the_category_then_the_section(
    client, user, category, section, expected_section, expected_type
):
    fields = {key: value for key, value in (("category", category), ("category_section", section)) if value}
    response = client.post(
        ITEMS,
        headers=user["headers"],
        content_type="multipart/form-data",
        data={**fields, "garment_image": (io.BytesIO(garment_photo()), "g.png")},
    )
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["data"]
    assert (item["category_section"], item["garment_type"]) == (expected_section, expected_type)


def test_garment_type_from_user_category_section_and_explicit_override(client, user):
    trousers = create_category(client, user, "Work trousers", section="lower_body")
    item = added_item(client, user, category_id=trousers["id"], category_section="wishlist")
    assert (item["category"], item["category_id"], item["garment_type"]) == (
        "Work trousers",
        trousers["id"],
        "bottom",
    )
    item = added_item(
        client, user, category="Work trousers", category_section=None
    )  # section from the category
    assert (item["category_id"], item["category_section"]) == (trousers["id"], "lower_body")
    item = added_item(client, user, garment_type="outerwear")
    assert item["garment_type"] == "outerwear"


@pytest.mark.parametrize(
    "fields, status, code",
    [
        (
            {"fabric": '[{"name": "cotton", "percentage": 80}, {"name": "wool", "percentage": 30}]'},
            400,
            "INVALID_FABRIC",
        ),
        ({"fabric": '[{"name": "cotton", "percentage": 0}]'}, 400, "INVALID_FABRIC"),
        ({"fabric": '[{"name": "cotton", "percentage": -5}]'}, 400, "INVALID_FABRIC"),
        ({"fabric": '[{"name": "", "percentage": 50}]'}, 400, "INVALID_FABRIC"),
        ({"fabric": '[{"name": "cotton", "percentage": "lots"}]'}, 400, "INVALID_FABRIC"),
        ({"fabric": '[{"name": "cotton", "percentage": true}]'}, 400, "INVALID_FABRIC"),
        ({"fabric": '{"name": "cotton"}'}, 400, "INVALID_FABRIC"),
        ({"fabric": "cotton 100%"}, 400, "INVALID_JSON"),
        ({"price": "-1"}, 400, "OUT_OF_RANGE"),
        ({"price": "abc"}, 400, "VALIDATION_ERROR"),
        ({"price": "nan"}, 400, "VALIDATION_ERROR"),
        ({"price": "inf"}, 400, "VALIDATION_ERROR"),
        ({"currency": "EURO"}, 400, "VALIDATION_ERROR"),
        ({"currency": "E1R"}, 400, "INVALID_CURRENCY"),
        ({"category_section": "nowhere"}, 400, "INVALID_CATEGORY_SECTION"),
        ({"category_section": ""}, 400, "MISSING_FIELDS"),
        ({"category": "ballgowns"}, 404, "CATEGORY_NOT_FOUND"),
        ({"category_id": "999999"}, 404, "CATEGORY_NOT_FOUND"),
        ({"category_id": "two"}, 400, "VALIDATION_ERROR"),
        ({"category": "jeans", "category_id": "__mine__"}, 400, "CONFLICTING_CATEGORY"),
        ({"garment_url": "ftp://shop.example/item"}, 400, "INVALID_URL"),
        ({"garment_type": "hat"}, 400, "VALIDATION_ERROR"),
        ({"is_external": "maybe"}, 400, "VALIDATION_ERROR"),
        ({"title": "x" * 501}, 400, "VALIDATION_ERROR"),
        ({"shoe_size": "42"}, 400, "UNKNOWN_FIELDS"),
    ],
)
def test_invalid_fields_are_refused_and_nothing_is_stored(app, client, user, storage, fields, status, code):
    mine = create_category(client, user, "Mine")
    fields = {key: (str(mine["id"]) if value == "__mine__" else value) for key, value in fields.items()}
    response = add_item(client, user, **fields)
    assert (response.status_code, error_code(response)) == (status, code), response.get_json()
    assert response.get_json()["error"]["message"]
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []


def test_missing_section_lists_the_valid_names(client, user):
    create_section(client, user, "gym")
    response = client.post(
        ITEMS,
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"garment_image": (io.BytesIO(garment_photo()), "g.png")},
    )
    assert response.status_code == 400 and error_code(response) == "MISSING_FIELDS"
    assert response.get_json()["error"]["details"]["allowed"] == [*PLATFORM_SECTIONS, "gym"]


def test_fabric_rounding_up_to_100_is_accepted(client, user):
    item = added_item(
        client,
        user,
        fabric='[{"name": "a", "percentage": 33.33}, {"name": "b", "percentage": 33.33},'
        ' {"name": "c", "percentage": 33.34}]',
    )
    assert sum(entry["percentage"] for entry in item["fabric"]) == pytest.approx(100)


@pytest.mark.parametrize(
    "image, filename, status, code",
    [
        (b"GIF89a" + b"\x00" * 64, "anim.gif", 400, "UNSUPPORTED_IMAGE"),
        (b"%PDF-1.7 not an image", "shirt.png", 400, "UNSUPPORTED_IMAGE"),
        (garment_photo()[:60], "cut.png", 400, "INVALID_IMAGE"),
        (b"", "empty.png", 400, "EMPTY_FILE"),
        (b"\x89PNG" + b"\x00" * (6 * 1024 * 1024), "huge.png", 413, "FILE_TOO_LARGE"),
    ],
    ids=["gif", "pdf", "truncated_png", "empty", "too_large"],
)
def test_bad_images_are_refused_and_nothing_is_stored(
    app, client, user, storage, image, filename, status, code
):
    response = client.post(
        ITEMS,
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"category_section": "upper_body", "garment_image": (io.BytesIO(image), filename)},
    )
    assert (response.status_code, error_code(response)) == (status, code)
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []


def test_garment_must_be_given_as_a_file_or_url(client, user):
    response = client.post(
        ITEMS, headers=user["headers"], json={"title": "Nothing", "category_section": "wishlist"}
    )
    assert response.status_code == 400 and error_code(response) == "MISSING_GARMENT"
    response = client.post(
        ITEMS,
        headers=user["headers"],
        data={"garment_image": "aGVsbG8=", "category_section": "upper_body"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and error_code(response) == "INVALID_IMAGE_FIELD"
    response = client.post(ITEMS, headers={**user["headers"], "Content-Type": "application/json"}, data="[1,")
    assert response.status_code == 400 and error_code(response) == "INVALID_JSON"
    assert client.post(ITEMS, data={"category_section": "upper_body"}).status_code == 401


def test_list_newest_first_with_pagination(client, user):
    for number in range(1, 6):
        added_item(client, user, title=f"Item {number}")
    body = items_of(client, user)
    assert [item["title"] for item in body["data"]] == ["Item 5", "Item 4", "Item 3", "Item 2", "Item 1"]
    assert body["pagination"] == {"total": 5, "limit": 20, "offset": 0}
    assert all(
        image_key(item["image_url"]) == item["image_path"].removeprefix("/images/") for item in body["data"]
    )
    page = items_of(client, user, limit=2, offset=2)
    assert [item["title"] for item in page["data"]] == ["Item 3", "Item 2"]
    assert page["pagination"] == {"total": 5, "limit": 2, "offset": 2}
    assert items_of(client, user, limit=2, offset=10) == {
        "success": True,
        "data": [],
        "pagination": {"total": 5, "limit": 2, "offset": 10},
    }


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": "x"},
        {"category_section": "nowhere"},
        {"category_id": "abc"},
        {"search": "a" * 201},
    ],
)
def test_bad_list_queries_are_400(client, user, query):
    response = client.get(ITEMS, headers=user["headers"], query_string=query)
    assert response.status_code == 400 and response.get_json()["success"] is False


def test_filters_and_search(client, user, other_user):
    work = create_category(client, user, "Work")
    added_item(client, user, title="Blue jeans", brand="Levi's", category="jeans", category_section=None)
    added_item(
        client,
        user,
        title="Linen shirt",
        brand="COS",
        category_id=work["id"],
        description="Breezy 100% linen",
    )
    added_item(client, user, title="Wool coat", brand="Arket", category="coats", category_section="wishlist")
    added_item(client, user, title="Tote", brand="cos", category_section="accessoires")
    added_item(client, other_user, title="Their jeans", brand="Levi's", category="jeans")

    assert titles(client, user, category="jeans") == ["Blue jeans"]
    assert titles(client, user, category="Work") == ["Linen shirt"]
    assert titles(client, user, category_id=work["id"]) == ["Linen shirt"]
    assert titles(client, user, category_section="wishlist") == ["Wool coat"]
    assert titles(client, user, category_section="upper_body") == ["Linen shirt"]
    assert titles(client, user, search="COS") == ["Tote", "Linen shirt"]  # brand, any case
    assert titles(client, user, search="breezy") == ["Linen shirt"]  # description
    assert titles(client, user, search="JEANS") == ["Blue jeans"]  # title, only the caller's
    assert titles(client, user, search="100%") == ["Linen shirt"]
    assert titles(client, user, search="%") == ["Linen shirt"]  # literal, not a wildcard
    assert titles(client, user, search="cos", category_section="accessoires") == ["Tote"]
    assert titles(client, user, category="jeans", category_id=work["id"]) == []
    assert items_of(client, user, search="cos")["pagination"]["total"] == 2
    missing = client.get(ITEMS, headers=user["headers"], query_string={"category": "ballgowns"})
    assert missing.status_code == 404 and error_code(missing) == "CATEGORY_NOT_FOUND"


def test_update_fields(client, user):
    item = added_item(client, user, **FULL_ITEM)
    url = f"{ITEMS}/{item['id']}"
    response = client.put(
        url,
        headers=user["headers"],
        json={
            "title": "Faded tee",
            "price": 12,
            "fabric": [{"name": "cotton", "percentage": 100}],
            "brand": None,
            "category_section": "wishlist",
            "is_external": False,
            "image_url": "ignored",
            "id": 999,
        },
    )
    assert response.status_code == 200
    updated = response.get_json()["data"]
    assert (updated["title"], updated["price"], updated["brand"], updated["category_section"]) == (
        "Faded tee",
        12,
        None,
        "wishlist",
    )
    assert updated["fabric"] == [{"name": "cotton", "percentage": 100}] and updated["is_external"] is False
    assert (updated["id"], updated["color"], updated["category"], updated["image_path"]) == (
        item["id"],
        "blue",
        "t_shirts",
        item["image_path"],
    )


def test_update_switches_between_platform_and_user_categories(client, user):
    party = create_category(client, user, "Party")
    item = added_item(client, user, category="dresses")
    url = f"{ITEMS}/{item['id']}"
    updated = client.put(url, headers=user["headers"], json={"category_id": party["id"]}).get_json()["data"]
    assert (updated["category"], updated["category_id"], updated["platform_category_id"]) == (
        "Party",
        party["id"],
        None,
    )
    updated = client.put(url, headers=user["headers"], json={"category": "skirts"}).get_json()["data"]
    assert (updated["category"], updated["category_id"], updated["garment_type"]) == (
        "skirts",
        None,
        "bottom",
    )
    updated = client.put(url, headers=user["headers"], json={"category": None}).get_json()["data"]
    assert (updated["category"], updated["category_id"], updated["platform_category_id"]) == (
        None,
        None,
        None,
    )
    # echoing an item back unchanged is harmless
    echoed = client.put(url, headers=user["headers"], json=updated).get_json()["data"]
    assert echoed == {**updated, "updated_at": echoed["updated_at"], "image_url": echoed["image_url"]}


def test_update_refuses_bad_values_without_changing_anything(client, user, other_user):
    theirs = create_category(client, other_user, "Theirs")
    item = added_item(client, user, **FULL_ITEM)
    url = f"{ITEMS}/{item['id']}"
    for body, status, code in [
        ({"category_section": None}, 400, "MISSING_FIELDS"),
        ({"category_section": "nowhere"}, 400, "INVALID_CATEGORY_SECTION"),
        ({"price": -3}, 400, "OUT_OF_RANGE"),
        ({"fabric": [{"name": "silk", "percentage": 101}]}, 400, "INVALID_FABRIC"),
        ({"category_id": theirs["id"]}, 404, "CATEGORY_NOT_FOUND"),
        ({"title": 5}, 400, "VALIDATION_ERROR"),
        ({"html": "<html></html>"}, 400, "UNKNOWN_FIELDS"),
    ]:
        response = client.put(url, headers=user["headers"], json=body)
        assert (response.status_code, error_code(response)) == (status, code), body
    current = client.get(url, headers=user["headers"]).get_json()["data"]
    assert {**current, "image_url": None} == {**item, "image_url": None}


def test_replacing_the_image_swaps_the_file(client, user, storage):
    item = added_item(client, user)
    response = put_multipart(client, user, item["id"], garment_photo((90, 90), "JPEG"), title="New photo")
    assert response.status_code == 200
    updated = response.get_json()["data"]
    assert updated["title"] == "New photo" and updated["image_path"] != item["image_path"]
    assert not storage.exists(item["image_path"])
    with Image.open(stored_file(storage, updated["image_path"])) as stored:
        assert stored.format == "PNG" and stored.size == (90, 90)
    assert wardrobe_files(storage, user) == [f"{updated['garment_id']}.png"]


def test_a_bad_replacement_image_keeps_the_old_one(client, user, storage):
    item = added_item(client, user)
    response = put_multipart(client, user, item["id"], b"not an image", title="Changed")
    assert response.status_code == 400 and error_code(response) == "UNSUPPORTED_IMAGE"
    current = client.get(f"{ITEMS}/{item['id']}", headers=user["headers"]).get_json()["data"]
    assert current["image_path"] == item["image_path"] and current["title"] is None
    assert wardrobe_files(storage, user) == [f"{item['garment_id']}.png"]


def test_delete_item_removes_its_file(client, user, storage):
    keep = added_item(client, user, title="Keep")
    gone = added_item(client, user, title="Gone")
    response = client.delete(f"{ITEMS}/{gone['id']}", headers=user["headers"])
    assert response.status_code == 200 and response.get_json()["data"] == {"id": gone["id"], "deleted": True}
    assert not storage.exists(gone["image_path"])
    assert fetch_image(client, gone["image_url"]).status_code == 404
    assert wardrobe_files(storage, user) == [f"{keep['garment_id']}.png"]
    assert client.get(f"{ITEMS}/{gone['id']}", headers=user["headers"]).status_code == 404
    assert client.delete(f"{ITEMS}/{gone['id']}", headers=user["headers"]).status_code == 404
    assert titles(client, user) == ["Keep"]


def test_deleting_a_used_category_keeps_its_items_without_category(client, user):
    work = create_category(client, user, "Work", section="lower_body")
    first = added_item(client, user, category_id=work["id"], title="Chinos", category_section=None)
    added_item(client, user, category="Work", title="Suit trousers", category_section=None)
    response = client.delete(f"/api/wardrobe/categories/{work['id']}", headers=user["headers"])
    assert response.status_code == 200
    assert response.get_json()["data"]["items_uncategorized"] == 2
    assert "2 item(s) kept without a category" in response.get_json()["message"]
    items = items_of(client, user)["data"]
    assert [(i["title"], i["category"], i["category_id"]) for i in items] == [
        ("Suit trousers", None, None),
        ("Chinos", None, None),
    ]
    assert (
        client.get(f"{ITEMS}/{first['id']}", headers=user["headers"]).get_json()["data"]["category_section"]
        == "lower_body"
    )


@pytest.mark.parametrize(
    "settings_overrides", [{"STORAGE_BACKEND": "local"}]
)  # a folder on disk made unusable
def test_a_failed_image_save_leaves_no_item(app, client, user, settings_overrides):
    # A file where the user's image folder should be makes every save fail, even when running as root.
    images_dir = Path(app.extensions["settings"].IMAGES_DIR)
    (images_dir / "wardrobe").mkdir(parents=True, exist_ok=True)
    (images_dir / "wardrobe" / user["user"]["userid"]).write_bytes(b"in the way")
    response = add_item(client, user, title="Never stored")
    assert response.status_code >= 500 and response.get_json()["success"] is False
    assert count_rows(app, "wardrobe") == 0


def test_a_failed_row_insert_removes_the_saved_file(app, client, user, storage):
    refuse_writes(app, "INSERT", "wardrobe")
    response = add_item(client, user, title="Never stored")
    assert response.status_code >= 500 and response.get_json()["success"] is False
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []


def test_a_failed_row_update_keeps_the_old_image(app, client, user, storage):
    item = added_item(client, user, title="Original")
    refuse_writes(app, "UPDATE", "wardrobe")
    response = put_multipart(client, user, item["id"], garment_photo((50, 50)), title="Changed")
    assert response.status_code >= 500
    assert wardrobe_files(storage, user) == [f"{item['garment_id']}.png"]
    current = client.get(f"{ITEMS}/{item['id']}", headers=user["headers"]).get_json()["data"]
    assert (current["title"], current["image_path"]) == ("Original", item["image_path"])


def test_an_item_deleted_while_it_is_updated_answers_not_found(app, client, user):
    item = added_item(client, user, title="Original")
    delete_after_update(app, "wardrobe")
    response = client.put(f"{ITEMS}/{item['id']}", headers=user["headers"], json={"title": "Changed"})
    assert response.status_code == 404 and error_code(response) == "ITEM_NOT_FOUND"
    assert count_rows(app, "wardrobe") == 0


def test_another_users_item_answers_like_a_missing_one(client, user, other_user, storage):
    theirs = added_item(client, other_user, title="Theirs")
    missing = client.get(f"{ITEMS}/999999", headers=user["headers"])
    assert missing.status_code == 404 and error_code(missing) == "ITEM_NOT_FOUND"
    url = f"{ITEMS}/{theirs['id']}"
    for response in (
        client.get(url, headers=user["headers"]),
        client.put(url, headers=user["headers"], json={"title": "Mine now"}),
        put_multipart(client, user, theirs["id"], garment_photo()),
        client.delete(url, headers=user["headers"]),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"] == missing.get_json()["error"]
    assert titles(client, user) == []
    assert client.get(url, headers=other_user["headers"]).get_json()["data"]["title"] == "Theirs"
    assert wardrobe_files(storage, other_user) == [f"{theirs['garment_id']}.png"]
    assert wardrobe_files(storage, user) == []


def test_get_item_for_other_features(app, client, user, other_user):
    item = added_item(client, user, **FULL_ITEM)
    db = app.extensions["db"]
    found = service.get_item(db=db, user_id=user["user"]["userid"], item_id=item["id"])
    assert found == {key: value for key, value in item.items() if key != "image_url"}
    for user_id, item_id in ((other_user["user"]["userid"], item["id"]), (user["user"]["userid"], 999999)):
        with pytest.raises(NotFoundError) as raised:
            service.get_item(db=db, user_id=user_id, item_id=item_id)
        assert raised.value.code == "ITEM_NOT_FOUND"


def test_delete_all_for_user_removes_rows_and_files(app, client, user, other_user, storage):
    create_section(client, user, "travel")
    create_category(client, user, "Mine", section="travel")
    added_item(client, user, category="Mine")
    added_item(client, user)
    kept = added_item(client, other_user)
    create_category(client, other_user, "Theirs")
    with app.app_context():
        service.delete_all_for_user(
            db=app.extensions["db"], storage=app.extensions["storage"], user_id=user["user"]["userid"]
        )
    assert titles(client, user) == [] and wardrobe_files(storage, user) == []
    assert [
        s["name"]
        for s in client.get("/api/wardrobe/category-sections", headers=user["headers"]).get_json()["data"]
    ] == PLATFORM_SECTIONS
    assert count_rows(app, "wardrobe_categories") == 1 and count_rows(app, "wardrobe") == 1
    assert wardrobe_files(storage, other_user) == [f"{kept['garment_id']}.png"]
