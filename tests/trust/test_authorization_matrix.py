"""Every endpoint of the URL map, called with every kind of bad credential and with another user's token.

The endpoints come from `app.url_map`, so a new endpoint is checked the day it is added: it either
refuses each forged, expired or revoked token with 401, or is listed below as public. Another user's
valid token against the owner's ids answers 404 exactly like a missing id, and no answer to that
user ever carries the owner's data.
"""

import base64
import io
import json
import re
import time

import jwt
import pytest

from tests.helpers import sign_up, unique_email
from tests.photos import t_shirt
from tests.stored_images import image_key
from tests.trust.conftest import stored_state

# Endpoints anyone may call: what they answer does not depend on an account.
PUBLIC_ENDPOINTS = {
    "health.health",
    "auth.create_account",
    "auth.login",
    "auth.refresh",  # guarded by the refresh token in its body instead (tests/auth/test_sessions.py)
    "auth.forgot_password",  # the same 202 for every address; the email goes to the account's owner
    "auth.reset_password",  # the emailed code is the credential (tests/auth/test_password_reset.py)
    "avatars.remove_background",
    "garments.scrape_product",
    "garments.categorize_garment",
    "images.serve_image",  # guarded by the URL's signature instead (tests/images/test_serve_images.py)
    "docs.openapi_document",
    "docs.swagger_ui",
    "docs.swagger_ui_asset",
    "docs.playground",
    "docs.playground_asset",
    "docs.reset_password_page",
    "docs.reset_password_script",
    "metrics.metrics",  # no account's data; guarded by METRICS_TOKEN or loopback instead (tests/metrics)
}
# Anonymous calls are served; a token that is sent must be valid.
OPTIONAL_AUTH_ENDPOINTS = {"garments.extract_images"}
# Requests that would succeed for the owner, so a missing ownership check would show as a change.
INTRUDER_BODIES = {
    "wardrobe.update_wardrobe_item": {"title": "renamed by another user"},
    "wardrobe.update_category_section": {"description": "changed by another user"},
    "wardrobe.update_category": {"description": "changed by another user"},
}
# The owner's resources are deleted in this order in the control run (items before their category...; the
# session last: deleting it signs the owner out).
DELETE_ORDER = ("item_id", "category_ref", "section_id", "job_id", "session_id")
# Ends the caller's own session, whoever calls it (tests/auth/test_sessions.py): the intruder keeps theirs.
SIGN_OUT = "auth.logout"
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def routes(app):
    """(rule, method) for every route and method the app serves."""
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def url_for_owner(rule, owner):
    """The rule's path with each argument set to one of the owner's ids (by converter: int id or name)."""

    def value(match):
        key = (match["name"], match["converter"] or "default")
        assert key in owner["ids"], f"{rule.rule}: say which of the owner's values fills <{key[1]}:{key[0]}>"
        return str(owner["ids"][key])

    return _ARGUMENT.sub(value, rule.rule)


def call(client, method, path, headers=None, body=None):
    return client.open(path, method=method, headers=headers or {}, json=body if method != "GET" else None)


def forged_authorizations(settings, owner):
    """Authorization headers that must never authenticate, each carrying the owner's identity."""
    now = int(time.time())
    claims = {
        "sub": owner["userid"],
        "user_id": owner["userid"],
        "email": owner["email"],
        "tv": 0,
        "iat": now,
        "exp": now + 3600,
    }
    key = settings.JWT_SECRET_KEY
    unsigned = (
        ".".join(
            base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")
            for part in ({"alg": "none", "typ": "JWT"}, claims)
        )
        + "."
    )
    return {
        "malformed token": "Bearer not-a-jwt",
        "empty bearer": "Bearer ",
        "wrong scheme": "Basic "
        + base64.b64encode(f"{owner['email']}:{owner['password']}".encode()).decode(),
        "expired token": "Bearer "
        + jwt.encode({**claims, "iat": now - 7200, "exp": now - 3600}, key, "HS256"),
        "token signed with another key": "Bearer "
        + jwt.encode(claims, "another-service-secret-" + "x" * 32, "HS256"),
        "alg=none token": "Bearer " + unsigned,
        "right key, other algorithm (HS512)": "Bearer " + jwt.encode(claims, key, "HS512"),
        "token without a subject": "Bearer "
        + jwt.encode({k: v for k, v in claims.items() if k != "sub"}, key, "HS256"),
    }


def revoked_authorizations(client):
    """Valid-looking tokens of accounts that changed their password or no longer exist."""
    changed = sign_up(client, email=unique_email("changed"))
    response = client.post(
        "/api/users/profile/change-password",
        headers=changed["headers"],
        json={"current_password": changed["password"], "new_password": "a new password 2"},
    )
    assert response.status_code == 200, response.get_json()
    deleted = sign_up(client, email=unique_email("deleted"))
    response = client.delete(
        "/api/users/profile", headers=deleted["headers"], json={"password": deleted["password"]}
    )
    assert response.status_code == 200, response.get_json()
    signed_out = sign_up(client, email=unique_email("signed-out"))
    response = client.post("/api/auth/logout", headers=signed_out["headers"])
    assert response.status_code == 200, response.get_json()
    return {
        "token revoked by a password change": changed["headers"]["Authorization"],
        "token of a deleted account": deleted["headers"]["Authorization"],
        "token of a signed-out session": signed_out["headers"]["Authorization"],
    }


@pytest.fixture
def owner(app, client, person_png):
    """A user with one of everything (measurements, avatar, section, category, item, queued try-on, webhook)."""
    user = sign_up(client, email=unique_email("owner"))
    headers = user["headers"]
    marker = f"owner{user['user']['userid']}"
    assert (
        client.post("/api/body-measurements", headers=headers, json={"height": 171, "weight": 63}).status_code
        == 201
    )
    avatar = client.post(
        "/api/save-avatar",
        headers=headers,
        content_type="multipart/form-data",
        data={"avatar": (io.BytesIO(person_png), "me.png")},
    )
    assert avatar.status_code == 200, avatar.get_json()
    section = client.post(
        "/api/wardrobe/category-sections", headers=headers, json={"name": f"{marker}_section"}
    )
    category = client.post(
        "/api/wardrobe/categories",
        headers=headers,
        json={"name": f"{marker}-category", "category_section": f"{marker}_section"},
    )
    item = client.post(
        "/api/wardrobe/items",
        headers=headers,
        content_type="multipart/form-data",
        data={
            "garment_image": (io.BytesIO(t_shirt()), "top.png"),
            "title": f"{marker} silk blouse",
            "category_id": str(category.get_json()["data"]["id"]),
        },
    )
    app.extensions["tryon_queue"].stop()  # the job stays queued: nothing changes it while the matrix runs
    job = client.post(
        "/api/tryon",
        headers=headers,
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),
            "garment_image": (io.BytesIO(t_shirt()), "shirt.png"),
        },
    )
    for response in (section, category, item, job):
        assert response.status_code in (201, 202), response.get_json()
    webhook = client.put(
        "/api/users/webhook", headers=headers, json={"url": f"https://1.1.1.1/{marker}/hooks"}
    )
    assert webhook.status_code == 200, webhook.get_json()
    item, job_id = item.get_json()["data"], job.get_json()["data"]["job_id"]
    category = category.get_json()["data"]
    secrets = [
        user["email"],
        user["user"]["userid"],
        marker,
        item["garment_id"],
        job_id,
        item["image_path"],
        image_key(client.get("/api/get-avatar", headers=headers).get_json()["data"]["avatar_url"]),
        user["session_id"],
        webhook.get_json()["data"]["secret"],
    ]
    ids = {
        ("item_id", "int"): item["id"],
        ("section_id", "int"): section.get_json()["data"]["id"],
        ("category_ref", "int"): category["id"],
        ("category_ref", "default"): category["name"],
        ("job_id", "default"): job_id,
        ("user_id", "default"): user["user"]["userid"],
        ("filename", "path"): item["image_path"].removeprefix("/images/"),
        ("session_id", "default"): user["session_id"],
    }
    return {**user, "userid": user["user"]["userid"], "ids": ids, "secrets": secrets}


def test_every_listed_public_endpoint_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert (PUBLIC_ENDPOINTS | OPTIONAL_AUTH_ENDPOINTS) - endpoints == set()


def test_every_private_endpoint_refuses_every_bad_credential(app, client, owner):
    """No token, malformed, expired, foreign-key, alg=none, revoked and deleted-account tokens: 401 everywhere."""
    credentials = {
        "no token": None,
        **forged_authorizations(app.extensions["settings"], owner),
        **revoked_authorizations(client),
    }
    before = stored_state(app)
    checked, wrong = 0, []
    for rule, method in routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = url_for_owner(rule, owner)
        for name, authorization in credentials.items():
            if rule.endpoint in OPTIONAL_AUTH_ENDPOINTS and authorization is None:
                continue
            headers = {"Authorization": authorization} if authorization is not None else {}
            response = call(client, method, path, headers, INTRUDER_BODIES.get(rule.endpoint, {}))
            body = response.get_json(silent=True) or {}
            if response.status_code != 401 or body.get("success") is not False:
                wrong.append(f"{method} {rule.rule} with {name}: {response.status_code} {body.get('error')}")
            checked += 1
    assert wrong == []
    assert checked > 300
    assert stored_state(app) == before


def test_optional_auth_endpoints_serve_anonymous_callers(client):
    response = client.post(
        "/api/garments/extract-images",
        json={"url": "https://shop.example/p/1", "html": "<html><body>nothing</body></html>"},
    )
    assert response.status_code == 200, response.get_json()


def test_another_users_token_reaches_none_of_the_owners_data(app, client, owner, other_user):
    before = stored_state(app)
    wrong = []
    for rule, method in routes(app):
        if rule.endpoint in PUBLIC_ENDPOINTS | OPTIONAL_AUTH_ENDPOINTS | {SIGN_OUT}:
            continue
        response = call(
            client,
            method,
            url_for_owner(rule, owner),
            other_user["headers"],
            INTRUDER_BODIES.get(rule.endpoint, {}),
        )
        text = response.get_data(as_text=True)
        leaked = [secret for secret in owner["secrets"] if secret in text]
        if leaked:
            wrong.append(f"{method} {rule.rule}: answer carries the owner's {leaked}")
        if rule.arguments and rule.endpoint not in OPTIONAL_AUTH_ENDPOINTS:
            error = (response.get_json(silent=True) or {}).get("error") or {}
            # 404 of the resource (ITEM_NOT_FOUND...), not of the router: the route itself exists.
            if response.status_code != 404 or error.get("code") in (None, "NOT_FOUND"):
                wrong.append(f"{method} {rule.rule}: {response.status_code} {error}")
    assert wrong == []
    # The intruder's own webhook secret, made on its first GET /api/users/webhook (and rotated), is its own data.
    app.extensions["db"].execute_query(
        "DELETE FROM webhook_endpoints WHERE user_id = ?", (other_user["user"]["userid"],)
    )
    assert stored_state(app) == before


def test_the_owner_reaches_every_resource_the_other_user_could_not(app, client, owner):
    """The control for the test above: the same requests with the owner's token are not refused."""
    calls = [
        (rule, method)
        for rule, method in routes(app)
        if rule.arguments and rule.endpoint not in PUBLIC_ENDPOINTS | OPTIONAL_AUTH_ENDPOINTS
    ]
    calls.sort(
        key=lambda route: (
            route[1] == "DELETE",
            min(DELETE_ORDER.index(a) for a in route[0].arguments if a in DELETE_ORDER)
            if route[1] == "DELETE"
            else 0,
        )
    )
    refused, deleted = [], set()
    for rule, method in calls:
        if method == "DELETE" and rule.endpoint in deleted:
            continue  # the same resource by its other address (a category by id, then by name) is gone
        deleted.update([rule.endpoint] if method == "DELETE" else [])
        response = call(
            client,
            method,
            url_for_owner(rule, owner),
            owner["headers"],
            INTRUDER_BODIES.get(rule.endpoint, {}),
        )
        if response.status_code in (401, 403, 404) or response.status_code >= 500:
            refused.append(f"{method} {rule.rule}: {response.status_code} {response.get_json()}")
    assert refused == []
