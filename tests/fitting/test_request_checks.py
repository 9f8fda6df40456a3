"""The fitting requests' field checks (features/fitting/schemas.py) through real requests: each refusal keeps
the status, code, message and details clients got when the service checked the fields by hand."""

import pytest

from tests.fitting.conftest import check, error, recommendation

_GENDERS = "women, woman, female, men, man, male"


@pytest.mark.parametrize(
    "body, code, message, details",
    [
        (
            {"category": "ballgowns"},
            "VALIDATION_ERROR",
            "category must be one of: ",
            {"field": "category"},
        ),
        (
            {"category": "t_shirts", "fit_preference": "baggy"},
            "VALIDATION_ERROR",
            "fit_preference must be one of: tighter, regular, looser",
            {"field": "fit_preference", "allowed": ["tighter", "regular", "looser"]},
        ),
        (
            {"category": "t_shirts", "gender": "robot"},
            "VALIDATION_ERROR",
            f"gender must be one of: {_GENDERS}",
            {"field": "gender"},
        ),
        ({"category": "t_shirts", "brand": "B" * 101}, "VALIDATION_ERROR", "brand ", {"field": "brand"}),
        ({"category": "t_shirts", "size": "M" * 41}, "VALIDATION_ERROR", "size ", {"field": "size"}),
        (
            {"category": "t_shirts", "wardrobe_item_id": 0},
            "OUT_OF_RANGE",
            "wardrobe_item_id ",
            {"field": "wardrobe_item_id"},
        ),
        (
            {"wardrobe_item_id": 1, "url": "https://shop.example/p/1"},
            "CONFLICTING_FIELDS",
            "Send either wardrobe_item_id or url, not both",
            {"fields": ["wardrobe_item_id", "url"]},
        ),
        (
            {"category": "t_shirts", "html": "<html></html>"},
            "MISSING_FIELDS",
            "html is the product page's HTML and needs its url",
            {"fields": ["url"]},
        ),
        ({"url": "ftp://shop.example/p/1"}, "INVALID_URL", "url must be an http(s) URL", {"field": "url"}),
        (
            {"category": "t_shirts", "size_chart": {"unit": "mm", "sizes": []}},
            "INVALID_SIZE_CHART",
            "Invalid size_chart: size_chart.unit must be 'cm' or 'in'",
            {"field": "size_chart", "problem": "size_chart.unit must be 'cm' or 'in'"},
        ),
        (
            {"category": "t_shirts", "fabric": [{"name": "elastane", "percentage": 140}]},
            "INVALID_FABRIC",
            "each fabric percentage must be a number greater than 0 and at most 100",
            {"field": "fabric"},
        ),
    ],
)
def test_a_bad_check_field_is_refused_as_before(client, woman, body, code, message, details):
    refused = error(check(client, woman, **body), 400, code)
    assert refused["message"].startswith(message)
    assert details.items() <= refused["details"].items()


@pytest.mark.parametrize(
    "query, code, message",
    [
        (
            {"category": "t_shirts", "gender": "robot"},
            "VALIDATION_ERROR",
            f"gender must be one of: {_GENDERS}",
        ),
        ({"category": "t_shirts", "brand": "B" * 101}, "VALIDATION_ERROR", "brand "),
        ({"wardrobe_item_id": "x"}, "VALIDATION_ERROR", "wardrobe_item_id "),
        (
            {"wardrobe_item_id": "1", "url": "https://shop.example/p/1"},
            "CONFLICTING_FIELDS",
            "Send either wardrobe_item_id or url, not both",
        ),
        ({"url": "shop.example/p/1"}, "INVALID_URL", "url must be an http(s) URL"),
    ],
)
def test_a_bad_recommendation_parameter_is_refused_as_before(client, woman, query, code, message):
    assert error(recommendation(client, woman, **query), 400, code)["message"].startswith(message)


def test_null_and_blank_fields_are_fields_not_sent(client, woman):
    """A client that sends every field, empty ones as null or "", gets the answer for the fields it filled."""
    body = {
        "category": "t_shirts",
        "size": "M",
        "wardrobe_item_id": None,
        "url": "",
        "brand": None,
        "fabric": None,
        "size_chart": None,
        "gender": " ",
        "fit_preference": None,
    }
    response = check(client, woman, **body)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()["data"]
    assert (answer["size"], answer["fit_preference"], answer["garment"]["source"]) == (
        "M",
        "regular",
        "request",
    )
