"""Helpers for wardrobe tests: garment photos made with Pillow, items added through the API, stored images."""

import io

import pytest

from tests.photos import decode, encode, t_shirt

PLATFORM_SECTIONS = ["upper_body", "lower_body", "accessoires", "wishlist"]


def garment_photo(size=(120, 160), image_format="PNG", colour=(30, 60, 160)):
    """The T-shirt of tests/photos.py at this size, encoded in image_format."""
    return encode(decode(t_shirt(colour)).resize(size), image_format)


def add_item(client, user, image=None, filename="shirt.png", **fields):
    """POST a multipart item with a garment photo; returns the response. A field given as None is left out."""
    form = {
        key: str(value)
        for key, value in {"category_section": "upper_body", **fields}.items()
        if value is not None
    }
    form["garment_image"] = (io.BytesIO(image or garment_photo()), filename)
    return client.post(
        "/api/wardrobe/items", headers=user["headers"], data=form, content_type="multipart/form-data"
    )


def added_item(client, user, **fields):
    response = add_item(client, user, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def create_category(client, user, name, section="upper_body", **fields):
    response = client.post(
        "/api/wardrobe/categories",
        headers=user["headers"],
        json={"name": name, "category_section": section, **fields},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def create_section(client, user, name, **fields):
    response = client.post(
        "/api/wardrobe/category-sections", headers=user["headers"], json={"name": name, **fields}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def delete_after_update(app, table):
    """Make the database delete a row of table right after it is updated, as another request deleting it
    between our update and our read-back would."""
    db = app.extensions["db"]
    trigger = f"delete_after_update_{table}"
    if db.dialect == "sqlite":
        db.execute_query(
            f"CREATE TRIGGER {trigger} AFTER UPDATE ON {table} BEGIN DELETE FROM {table} WHERE id = NEW.id; END"
        )
    else:
        db.execute_query(
            f"CREATE FUNCTION {trigger}() RETURNS trigger AS $$ "
            f"BEGIN DELETE FROM {table} WHERE id = NEW.id; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        db.execute_query(
            f"CREATE TRIGGER {trigger} AFTER UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {trigger}()"
        )


def error_code(response):
    return response.get_json()["error"]["code"]


def count_rows(app, table):
    return app.extensions["db"].execute_query(f"SELECT COUNT(*) AS n FROM {table}", fetch_one=True)["n"]


@pytest.fixture
def storage(app):
    """The app's image storage (local disk or S3), to look at what the endpoints stored."""
    return app.extensions["storage"]


def stored_file(storage, image_path):
    """The stored image behind an item's image_path ("/images/<key>"), as a file object."""
    return io.BytesIO(storage.read_image(image_path))


def wardrobe_files(storage, user):
    return [key.rsplit("/", 1)[1] for key in storage.list_keys(f"wardrobe/{user['user']['userid']}/")]
