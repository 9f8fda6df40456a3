"""Body measurements: create, partial update, imperial input, bounds, isolation."""

import pytest

from features.body_measurements.fields import MEASUREMENT_FIELDS


def _get(client, user):
    return client.get("/api/body-measurements", headers=user["headers"])


def test_none_stored_yet_is_404(client, user):
    response = _get(client, user)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "MEASUREMENTS_NOT_FOUND"


def test_every_field_round_trips(client, user):
    body = {name: round((low + high) / 2, 1) for name, (_kind, low, high) in MEASUREMENT_FIELDS.items()}
    created = client.post("/api/body-measurements", headers=user["headers"], json=body)
    assert created.status_code == 201
    stored = _get(client, user).get_json()["data"]
    assert {name: stored[name] for name in body} == body
    assert stored["unit"] == "metric"


def test_partial_update_keeps_other_fields_and_null_clears(client, user):
    client.post(
        "/api/body-measurements",
        headers=user["headers"],
        json={"height": 180, "weight": 80, "waist_circumference": 85},
    )
    updated = client.put(
        "/api/body-measurements", headers=user["headers"], json={"weight": 78, "height": None}
    )
    assert updated.status_code == 200
    data = updated.get_json()["data"]
    assert data["weight"] == 78 and data["waist_circumference"] == 85 and data["height"] is None


def test_imperial_input_is_stored_in_metric(client, user):
    response = client.post(
        "/api/body-measurements",
        headers=user["headers"],
        json={"unit": "imperial", "height": 70, "weight": 154, "inner_leg_length": 32},
    )
    data = response.get_json()["data"]
    assert data["unit"] == "metric"
    assert data["height"] == pytest.approx(177.8)
    assert data["weight"] == pytest.approx(69.85, abs=0.01)
    assert data["inner_leg_length"] == pytest.approx(81.28)


@pytest.mark.parametrize(
    "body,code",
    [
        ({"height": 1750}, "OUT_OF_RANGE"),
        ({"weight": -3}, "OUT_OF_RANGE"),
        ({"waist_circumference": "wide"}, "VALIDATION_ERROR"),
        ({"foot_length": True}, "VALIDATION_ERROR"),
        ({"unit": "furlongs", "height": 1}, "VALIDATION_ERROR"),
        ({"unit": "imperial", "height": 175}, "OUT_OF_RANGE"),  # centimetres sent as inches
        ({}, "MISSING_FIELDS"),
    ],
)
def test_invalid_measurements_are_refused_and_nothing_changes(client, user, body, code):
    response = client.post("/api/body-measurements", headers=user["headers"], json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
    assert _get(client, user).status_code == 404


def test_out_of_range_update_leaves_stored_values(client, user):
    client.post("/api/body-measurements", headers=user["headers"], json={"height": 170, "weight": 65})
    response = client.put(
        "/api/body-measurements", headers=user["headers"], json={"weight": 70, "height": 5000}
    )
    assert response.status_code == 400
    data = _get(client, user).get_json()["data"]
    assert (data["height"], data["weight"]) == (170, 65)


def test_get_by_user_only_answers_for_the_caller(client, user, other_user):
    client.post("/api/body-measurements", headers=other_user["headers"], json={"height": 190})
    theirs = client.get(f"/api/body-measurements/{other_user['user']['userid']}", headers=user["headers"])
    assert theirs.status_code == 404
    client.post("/api/body-measurements", headers=user["headers"], json={"height": 160})
    mine = client.get(f"/api/body-measurements/{user['user']['userid']}", headers=user["headers"])
    assert mine.status_code == 200 and mine.get_json()["data"]["height"] == 160
