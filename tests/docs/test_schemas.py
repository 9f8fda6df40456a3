"""The schema layer (shared/schemas.py) through real requests: one rule and one error format for unknown
fields, wrong types and missing fields, the edge cases the hand-written checks handled, and answers that
match the response models the document is generated from."""

import io
import json
import time

import pytest
from pydantic import TypeAdapter

from features.body_measurements.schemas import Measurements
from features.fitting.schemas import AllSizesCheck, FitCheck, OneSizeCheck, SizeRecommendation
from features.garments.schemas import Categorization, Product, Scraped
from features.health.schemas import Health
from features.tryon.schemas import Job
from features.users.schemas import AccountExport, User
from features.wardrobe.schemas import Category, CategoryGroup, Section, WardrobeItem
from tests.docs.conftest import FIXTURES
from tests.envelope import data, error

PERSON = FIXTURES / "person.jpg"


def _created(response):
    assert response.status_code in (201, 202), response.get_json()
    return response.get_json()["data"]


PROFILE = "/api/users/profile"
MEASUREMENTS = "/api/body-measurements"


def test_an_unknown_field_is_named_with_the_fields_allowed(client, user):
    refused = error(
        client.put(PROFILE, headers=user["headers"], json={"city": "Oslo", "shoe": "42"}),
        400,
        "UNKNOWN_FIELDS",
    )
    assert refused["message"] == "Unknown field(s): shoe"
    assert refused["details"]["fields"] == ["shoe"] and "city" in refused["details"]["allowed"]
    assert data(client.get(PROFILE, headers=user["headers"]))["city"] is None  # nothing changed


def test_fields_read_from_an_answer_may_be_sent_back(client, user):
    profile = data(client.get(PROFILE, headers=user["headers"]))
    updated = data(client.put(PROFILE, headers=user["headers"], json={**profile, "city": "Oslo"}))
    assert updated["city"] == "Oslo" and updated["userid"] == profile["userid"]


@pytest.mark.parametrize(
    "path,body,message",
    [
        (PROFILE, {"first_name": 5}, "first_name must be a string"),
        (PROFILE, {"first_name": ["Ada"]}, "first_name must be a string"),
        (PROFILE, {"gender": "robot"}, "gender must be one of: male, female, other, prefer-not-to-say"),
        (MEASUREMENTS, {"height": "tall"}, "height must be a number"),
        (MEASUREMENTS, {"height": True}, "height must be a number"),  # a boolean is not 1
        (MEASUREMENTS, {"height": 10**400}, "height must be a number"),  # too large for a float
        (MEASUREMENTS, {"height": {"cm": 170}}, "height must be a number"),
    ],
)
def test_a_wrong_type_is_a_validation_error_naming_the_field(client, user, path, body, message):
    method = client.put if path == PROFILE else client.post
    refused = error(method(path, headers=user["headers"], json=body), 400, "VALIDATION_ERROR")
    assert refused["message"] == message and refused["details"]["field"] == next(iter(body))


def test_missing_fields_are_refused_together(client, user):
    refused = error(
        client.post(MEASUREMENTS, headers=user["headers"], json={"unit": "metric"}), 400, "MISSING_FIELDS"
    )
    assert "height" in refused["details"]["fields"]


@pytest.mark.parametrize("raw", ["[1, 2]", '"height"', "null", "{", '{"height": 1e400}'])
def test_a_body_that_is_not_a_json_object_is_invalid_json(client, user, raw):
    response = client.post(
        MEASUREMENTS, headers={**user["headers"], "Content-Type": "application/json"}, data=raw
    )
    error(response, 400, "INVALID_JSON")


def test_numbers_as_strings_blank_strings_and_null_versus_missing(client, user):
    created = client.post(MEASUREMENTS, headers=user["headers"], json={"height": " 170.5 ", "weight": "60"})
    assert created.status_code == 201
    assert (created.get_json()["data"]["height"], created.get_json()["data"]["weight"]) == (170.5, 60)
    cleared = data(client.put(MEASUREMENTS, headers=user["headers"], json={"weight": "  "}))
    assert cleared["weight"] is None and cleared["height"] == 170.5  # blank clears, absent keeps
    named = data(
        client.put(PROFILE, headers=user["headers"], json={"first_name": "   ", "last_name": " Byron "})
    )
    assert named["first_name"] is None and named["last_name"] == "Byron"


def test_the_per_endpoint_body_cap_still_applies(client, user):
    response = client.put(PROFILE, headers=user["headers"], json={"first_name": "x" * 40_000})
    error(response, 413, "PAYLOAD_TOO_LARGE")


def test_answers_match_their_response_models(client, user):
    """The models forbid undeclared fields, so an answer with a field the document does not show fails too."""
    client.post(MEASUREMENTS, headers=user["headers"], json={"height": 170})
    User.model_validate(data(client.get(PROFILE, headers=user["headers"])))
    Measurements.model_validate(data(client.get(MEASUREMENTS, headers=user["headers"])))
    AccountExport.model_validate(data(client.get(f"{PROFILE}/export", headers=user["headers"])))
    Health.model_validate(data(client.get("/health")))


@pytest.mark.parametrize(
    "body,code,message",
    [
        ({"password": "correct horse 1"}, "MISSING_FIELDS", "Missing required field(s): email"),
        ({"email": "  ", "password": " "}, "MISSING_FIELDS", "Missing required field(s): email, password"),
        (
            {"email": "ada@example.com", "password": "correct horse 1", "body_measurements": "tall"},
            "VALIDATION_ERROR",
            "body_measurements must be an object",
        ),
        (
            {"email": "ada@example.com", "password": "correct horse 1", "body_measurements": {"height": "x"}},
            "VALIDATION_ERROR",
            "height must be a number",
        ),
    ],
)
def test_sign_up_refusals(client, body, code, message):
    refused = error(client.post("/api/create-account", json=body), 400, code)
    assert refused["message"] == message


def test_sign_up_measurements_nested_win_over_top_level_and_other_fields_are_ignored(client):
    response = client.post(
        "/api/create-account",
        json={
            "email": "nested@example.com",
            "password": "correct horse 1",
            "height": 150,
            "weight": 50,
            "body_measurements": {"height": 170, "unit": "metric"},
            "newsletter": True,
        },
    )
    assert response.status_code == 201
    stored = response.get_json()["data"]["body_measurements"]
    assert (stored["height"], stored["weight"]) == (170, 50)


def test_wardrobe_garment_fitting_and_try_on_answers_match_their_response_models(client, user, product_shop):
    """The shapes that were hand-written YAML, checked against real answers (each model forbids fields it does
    not declare, so an answer carrying more than the document says fails too)."""
    headers = user["headers"]
    client.post(MEASUREMENTS, headers=headers, json={"height": 170, "weight": 65, "breast_circumference": 92})
    url = product_shop.product_url
    product = data(client.post("/api/garments/scrape", json={"url": url}))
    Scraped.model_validate(product)
    assert product["product"]["size_chart"] is not None  # the page's size guide is in the shape too
    Product.model_validate(
        data(client.post("/api/wardrobe/extract-from-url", headers=headers, json={"url": url}))
    )
    Categorization.model_validate(
        data(client.post("/api/garments/categorize", json={"title": "Linen shirt"}))
    )

    section = _created(
        client.post("/api/wardrobe/category-sections", headers=headers, json={"name": "travel"})
    )
    Section.model_validate(section)
    category = _created(
        client.post(
            "/api/wardrobe/categories", headers=headers, json={"name": "rain", "category_section": "travel"}
        )
    )
    Category.model_validate(category)
    for group in data(client.get("/api/wardrobe/categories", headers=headers)):
        CategoryGroup.model_validate(group)
    item = _created(
        client.post("/api/wardrobe/items", headers=headers, json={"garment_url": url, "size": "M"})
    )
    WardrobeItem.model_validate(item)

    one_size = {"wardrobe_item_id": item["id"], "size": "M"}
    checked = data(client.post("/api/fitting/check", headers=headers, json=one_size))
    assert isinstance(TypeAdapter(FitCheck).validate_python(checked), OneSizeCheck)
    every_size = data(client.post("/api/fitting/check", headers=headers, json={"url": url}))
    assert isinstance(TypeAdapter(FitCheck).validate_python(every_size), AllSizesCheck)
    SizeRecommendation.model_validate(
        data(client.get(f"/api/fitting/size-recommendation?url={url}", headers=headers))
    )

    photos = {"selfie": (io.BytesIO(PERSON.read_bytes()), "me.jpg")}
    accepted = _created(
        client.post("/api/tryon", headers=headers, data={**photos, "item_urls": json.dumps([url])})
    )
    Job.model_validate(data(client.get(f"/api/job/{accepted['job_id']}", headers=headers)))
    deadline = time.monotonic() + 60
    while (job := data(client.get(f"/api/job/{accepted['job_id']}", headers=headers)))["status"] in (
        "queued",
        "processing",
    ):
        assert time.monotonic() < deadline, "the try-on did not finish"
        time.sleep(0.1)
    Job.model_validate(job)
    AccountExport.model_validate(data(client.get(f"{PROFILE}/export", headers=headers)))
