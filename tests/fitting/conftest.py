"""Helpers for fitting tests: measurements saved through the API and the two fitting endpoints."""

import pytest

from tests.envelope import data, error  # noqa: F401  (re-exported to the fitting tests)
from tests.helpers import sign_up

WOMEN_M_BODY = {"breast_circumference": 95, "waist_circumference": 77, "hip_circumference": 101}


def save_measurements(client, user, **values):
    response = client.post("/api/body-measurements", headers=user["headers"], json=values)
    assert response.status_code in (200, 201), response.get_json()


def check(client, user, **body):
    return client.post("/api/fitting/check", headers=user["headers"], json=body)


def recommendation(client, user, **query):
    return client.get("/api/fitting/size-recommendation", headers=user["headers"], query_string=query)


@pytest.fixture
def woman(client):
    """A signed-up woman whose body sits at the centre of the built-in women's M."""
    user = sign_up(client, gender="female")
    save_measurements(client, user, height=168, weight=62, **WOMEN_M_BODY)
    return user
