"""Account export and deletion: everything stored about a shopper, and then nothing."""

import io
from urllib.parse import urlsplit

from flask import has_app_context, has_request_context

from features.users import service as users_service
from tests.helpers import sign_up, wait_for_job
from tests.photos import t_shirt
from tests.stored_images import fetch_image, image_key, stored_keys
from tests.wardrobe.conftest import add_item, create_category


def _fill_account(client, user, person_png):
    client.post(
        "/api/body-measurements", headers=user["headers"], json={"height": 172, "waist_circumference": 74}
    )
    assert (
        client.post(
            "/api/save-avatar",
            headers=user["headers"],
            content_type="multipart/form-data",
            data={"avatar": (io.BytesIO(person_png), "me.png")},
        ).status_code
        == 200
    )
    create_category(client, user, "Work shirts")
    assert add_item(client, user, title="Blue shirt", category_section="upper_body").status_code == 201
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={"garment_image": (io.BytesIO(t_shirt()), "shirt.png")},
    )
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["status"] == "done", job["error"]
    return job


def test_export_holds_everything_stored_about_the_caller(client, user, other_user, person_png):
    job = _fill_account(client, user, person_png)
    _fill_account(client, other_user, person_png)
    response = client.get("/api/users/profile/export", headers=user["headers"])
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["profile"]["email"] == user["email"] and "password" not in data["profile"]
    assert data["body_measurements"]["height"] == 172
    assert image_key(data["avatar_url"]).startswith(f"avatars/{user['user']['userid']}/")
    assert [i["title"] for i in data["wardrobe"]["items"]] == ["Blue shirt"]
    assert data["wardrobe"]["items"][0]["image_url"].startswith("http")
    assert [c["name"] for c in data["wardrobe"]["categories"]] == ["Work shirts"]
    assert [j["job_id"] for j in data["tryon_jobs"]] == [job["job_id"]]
    assert fetch_image(client, data["avatar_url"]).status_code == 200


def test_the_export_service_signs_urls_outside_any_flask_context(make_app, person_png):
    """Services are Flask-free: storage got its public address (PUBLIC_BASE_URL) when it was built."""
    app = make_app(PUBLIC_BASE_URL="https://api.example.com/", STORAGE_BACKEND="local")
    client = app.test_client()
    user = sign_up(client)
    avatar = {"avatar": (io.BytesIO(person_png), "me.png")}
    assert client.post("/api/save-avatar", headers=user["headers"], data=avatar).status_code == 200
    assert add_item(client, user, title="Blue shirt").status_code == 201
    assert not has_app_context() and not has_request_context()
    data = users_service.export_account(
        db=app.extensions["db"], storage=app.extensions["storage"], userid=user["user"]["userid"]
    )
    avatar_url, item_url = urlsplit(data["avatar_url"]), urlsplit(data["wardrobe"]["items"][0]["image_url"])
    assert avatar_url[:2] == item_url[:2] == ("https", "api.example.com")
    assert avatar_url.path.startswith(f"/images/avatars/{user['user']['userid']}/")
    assert client.get(f"{avatar_url.path}?{avatar_url.query}").status_code == 200


def test_delete_needs_the_password_and_then_removes_everything(app, client, user, other_user, person_png):
    _fill_account(client, user, person_png)
    _fill_account(client, other_user, person_png)
    uid = user["user"]["userid"]
    before = stored_keys(app)
    assert any(uid in path for path in before)

    wrong = client.delete("/api/users/profile", headers=user["headers"], json={"password": "not-it"})
    assert wrong.status_code == 401 and stored_keys(app) == before
    missing = client.delete("/api/users/profile", headers=user["headers"], json={})
    assert missing.status_code == 401

    deleted = client.delete(
        "/api/users/profile", headers=user["headers"], json={"password": user["password"]}
    )
    assert deleted.status_code == 200 and deleted.get_json()["data"]["deleted"] is True
    after = stored_keys(app)
    assert not any(uid in path for path in after)
    assert after == [p for p in before if uid not in p]  # the other shopper's files are untouched
    db = app.extensions["db"]
    for table in ("users", "body_measurements", "wardrobe", "wardrobe_categories", "tryon_jobs"):
        column = "userid" if table == "users" else "user_id"
        assert (
            db.execute_query(f"SELECT COUNT(*) AS n FROM {table} WHERE {column} = ?", (uid,), fetch_one=True)[
                "n"
            ]
            == 0
        )
    assert client.get("/api/users/profile", headers=user["headers"]).status_code == 401
    assert (
        client.post("/api/login", json={"email": user["email"], "password": user["password"]}).status_code
        == 401
    )
    assert client.get("/api/users/profile", headers=other_user["headers"]).status_code == 200
