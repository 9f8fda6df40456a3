"""The try-on options' checks (TryOnOptions, features/tryon/schemas.py) through real requests, as a form's
JSON text and as a JSON body: each refusal keeps the code, message and details it had when the service
checked the options, and no job or file is left behind."""

import io
import json

import pytest

from shared.ai_models import GARMENT_TYPES
from tests.envelope import error
from tests.helpers import job_rows
from tests.stored_images import stored_keys

DETAILS = ["brand", "category", "color", "style", "material", "title", "description"]
REFUSALS = [
    (
        {"aspect_ratio": "7:3"},
        "VALIDATION_ERROR",
        "options.aspect_ratio must be one of 1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9",
        {"field": "options.aspect_ratio"},
    ),
    ({"garment_index": 51}, "OUT_OF_RANGE", "options.garment_index ", {"field": "options.garment_index"}),
    (
        {"garment_index": "first"},
        "VALIDATION_ERROR",
        "options.garment_index ",
        {"field": "options.garment_index"},
    ),
    (
        {"garment_details": "blue"},
        "VALIDATION_ERROR",
        "options.garment_details must be an object",
        {"field": "options.garment_details"},
    ),
    (
        {"garment_details": {"price": "1", "fit": "slim"}},
        "VALIDATION_ERROR",
        "options.garment_details has unknown keys: fit, price",
        {"field": "options.garment_details", "allowed": DETAILS},
    ),
    (
        {"garment_details": {"brand": "B" * 501}},
        "VALIDATION_ERROR",
        "options.garment_details.brand ",
        {"field": "options.garment_details.brand"},
    ),
    (
        {"garments": [{"type": "hat-ish"}]},
        "VALIDATION_ERROR",
        f"options.garments[0].type must be one of {', '.join(GARMENT_TYPES)}",
        {"field": "options.garments[0].type", "allowed": list(GARMENT_TYPES)},
    ),
    (
        {"garments": ["top"]},
        "VALIDATION_ERROR",
        "options.garments[0] must be an object",
        {"field": "options.garments"},
    ),
    (
        {"garments": [{"details": {"colour": "red"}}]},
        "VALIDATION_ERROR",
        "options.garments[0].details has unknown keys: colour",
        {"field": "options.garments[0].details"},
    ),
    (
        {"garments": [{"garment_index": -1}]},
        "OUT_OF_RANGE",
        "options.garments[0].garment_index ",
        {"field": "options.garments[0].garment_index"},
    ),
    (
        {"garments": {"type": "top"}},
        "VALIDATION_ERROR",
        "options.garments must be a list with at most one entry per garment (1)",
        {"field": "options.garments"},
    ),
    (
        {"garments": [{"type": "top"}, {"type": "bottom"}]},
        "VALIDATION_ERROR",
        "options.garments must be a list with at most one entry per garment (1)",
        {"field": "options.garments"},
    ),
]


@pytest.mark.parametrize("options, code, message, details", REFUSALS)
def test_bad_options_in_a_form_are_refused_as_before(
    client, user, person_png, top_png, app, options, code, message, details
):
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),
            "garment_image": (io.BytesIO(top_png), "shirt.png"),
            "options": json.dumps(options),
        },
    )
    refused = error(response, 400, code)
    assert refused["message"].startswith(message)
    assert details.items() <= refused["details"].items()
    assert job_rows(app) == [] and stored_keys(app) == []


@pytest.mark.parametrize("options, code, message, details", REFUSALS[:3])
def test_bad_options_in_a_json_body_are_refused_as_before(client, user, app, options, code, message, details):
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        json={"item_urls": ["https://shop.example/products/linen-tee"], "options": options},
    )
    assert error(response, 400, code)["message"].startswith(message)
    assert job_rows(app) == []
