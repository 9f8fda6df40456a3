"""POST /api/fitting/check and GET /api/fitting/size-recommendation with inline, brand and built-in charts."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.fitting.conftest import WOMEN_M_BODY, check, data, error, recommendation, save_measurements
from tests.helpers import sign_up

INLINE_CHART = {
    "unit": "cm",
    "sizes": [
        {"label": "S", "measurements": {"breast_circumference": [87, 93], "waist_circumference": [69, 75]}},
        {"label": "M", "measurements": {"breast_circumference": [93, 97], "waist_circumference": [75, 79]}},
        {"label": "L", "measurements": {"breast_circumference": [97, 103], "waist_circumference": [79, 85]}},
    ],
}


def _zones(result):
    return {zone["zone"]: zone for zone in result["zones"]}


def test_inline_chart_check_of_one_size_answers_per_zone(client, woman):
    result = data(check(client, woman, size_chart=INLINE_CHART, category="t_shirts", size="S"))
    assert result["chart_source"] == "request" and result["chart"]["labels"] == ["S", "M", "L"]
    zones = _zones(result)
    assert set(zones) == {"breast_circumference", "waist_circumference"}
    bust = zones["breast_circumference"]
    assert bust["body_cm"] == WOMEN_M_BODY["breast_circumference"] and bust["range_cm"] == [87, 93]
    assert bust["difference_cm"] == WOMEN_M_BODY["breast_circumference"] - 93 and bust["verdict"] == "snug"
    waist = zones["waist_circumference"]
    assert waist["difference_cm"] == WOMEN_M_BODY["waist_circumference"] - 75 and waist["verdict"] == "snug"
    assert result["overall_verdict"] == "snug" and result["size"] == "S"
    assert result["missing_measurements"] == [] and result["estimated"] is False
    assert "recommended_size" not in result


def test_inline_chart_without_size_checks_every_size_and_recommends(client, woman):
    result = data(check(client, woman, size_chart=INLINE_CHART, category="t_shirts"))
    assert [entry["size"] for entry in result["sizes"]] == ["S", "M", "L"]
    verdicts = {entry["size"]: entry["overall_verdict"] for entry in result["sizes"]}
    assert verdicts["M"] == "regular" and verdicts["S"] in ("snug", "too_tight")
    assert result["recommended_size"] == "M" and result["overall_verdict"] == "regular"
    assert 0.8 <= result["confidence"] <= 1
    assert [alternative["size"] for alternative in result["alternatives"]] in (["L", "S"], ["S", "L"])
    assert result["between_sizes"] is False and result["between"] is None
    assert result["deciding_zones"] and result["explanation"].startswith("M ")
    assert _zones(result) == _zones(next(entry for entry in result["sizes"] if entry["size"] == "M"))


def test_stretch_fabric_from_the_request_changes_the_verdict(client, woman):
    save_measurements(client, woman, breast_circumference=100, waist_circumference=80)
    rigid = data(
        check(
            client,
            woman,
            size_chart=INLINE_CHART,
            category="shirts",
            size="M",
            fabric=[{"name": "cotton", "percentage": 100}],
        )
    )
    stretchy = data(
        check(
            client,
            woman,
            size_chart=INLINE_CHART,
            category="shirts",
            size="M",
            fabric=[{"name": "cotton", "percentage": 95}, {"name": "elastane", "percentage": 5}],
        )
    )
    assert rigid["garment"]["stretch_percent"] == 0 and stretchy["garment"]["stretch_percent"] == 5
    assert _zones(rigid)["breast_circumference"]["verdict"] == "too_tight"
    assert _zones(stretchy)["breast_circumference"]["verdict"] == "snug"


def test_size_recommendation_from_the_builtin_chart_for_the_profile_gender(client, woman):
    result = data(recommendation(client, woman, category="dresses"))
    assert result["chart_source"] == "builtin" and result["chart"]["id"] == "builtin:women:dresses:letter"
    assert result["gender"] == "women" and result["recommended_size"] == "M"
    assert result["confidence"] >= 0.8 and result["estimated"] is False
    assert set(result["deciding_zones"]) <= {
        "breast_circumference",
        "waist_circumference",
        "hip_circumference",
    }
    scores = [result["score"]] + [alternative["score"] for alternative in result["alternatives"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 8
    assert result["notes"] == []


@pytest.mark.parametrize("category", ["dress", "Dresses"])
def test_the_garment_kind_from_a_scrape_names_the_same_category(client, woman, category):
    result = data(recommendation(client, woman, category=category))
    assert (
        result["chart"]["id"] == "builtin:women:dresses:letter" and result["garment"]["category"] == "dresses"
    )


def test_brand_and_category_use_the_brand_chart(client, woman):
    result = data(recommendation(client, woman, brand="ZARA", category="t_shirts"))
    assert result["chart_source"] == "brand" and result["chart"]["id"] == "brand:zara:women:tops:letter"
    assert result["chart"]["approximation"] is True and "approximation" in result["chart"]["note"]
    assert result["garment"]["brand"] == "ZARA"


def test_a_brand_without_a_chart_falls_back_to_the_builtin_chart(client, woman):
    result = data(recommendation(client, woman, brand="Unknown Label Co", category="t_shirts"))
    assert result["chart_source"] == "builtin"


def test_a_size_only_in_eu_labels_picks_the_eu_chart(client, woman):
    result = data(check(client, woman, category="dresses", size="40"))
    assert result["chart"]["id"] == "builtin:women:dresses:eu" and result["size"] == "40"
    assert {zone["verdict"] for zone in result["zones"]} <= {"regular", "snug", "loose"}


@pytest.mark.parametrize(
    "query_gender, chart_id", [("men", "builtin:men:tops:letter"), ("female", "builtin:women:tops:letter")]
)
def test_gender_parameter_overrides_the_profile(client, woman, query_gender, chart_id):
    assert (
        data(recommendation(client, woman, category="shirts", gender=query_gender))["chart"]["id"] == chart_id
    )


def test_without_a_gender_the_answer_says_which_sizes_it_assumed(client):
    user = sign_up(client)
    save_measurements(client, user, **WOMEN_M_BODY)
    skirts = data(recommendation(client, user, category="skirts"))
    shirts = data(recommendation(client, user, category="shirts"))
    assert skirts["gender"] == "women" and shirts["gender"] == "men"
    assert "no gender" in skirts["notes"][0] and "gender=women" in shirts["notes"][0]


def test_shoes_use_foot_length(client):
    user = sign_up(client, gender="male")
    save_measurements(client, user, foot_length=27.2)
    result = data(recommendation(client, user, category="shoes"))
    assert result["chart"]["id"] == "builtin:men:shoes:eu" and result["recommended_size"] == "43"
    assert result["deciding_zones"] == ["foot_length"]


@pytest.mark.parametrize("preference, expected", [("tighter", "S"), ("regular", "M"), ("looser", "M")])
def test_fit_preference_moves_a_body_near_the_lower_edge(client, preference, expected):
    user = sign_up(client, gender="female")
    save_measurements(client, user, breast_circumference=92.5, waist_circumference=74.5)
    result = data(recommendation(client, user, category="t_shirts", fit_preference=preference))
    assert result["fit_preference"] == preference and result["recommended_size"] == expected


def test_between_sizes_is_said_with_both_sizes_and_lowers_the_confidence(client, woman):
    user = sign_up(client, gender="female")
    save_measurements(client, user, breast_circumference=98, waist_circumference=80)
    result = data(recommendation(client, user, category="t_shirts"))
    assert result["between_sizes"] is True and result["between"] == ["M", "L"]
    assert result["recommended_size"] in ("M", "L") and "between M and L" in result["explanation"]
    assert result["confidence"] < data(recommendation(client, woman, category="t_shirts"))["confidence"]


def test_estimate_only_profile_answers_with_lower_confidence(client, woman):
    estimated_user = sign_up(client, gender="female")
    save_measurements(client, estimated_user, height=168, weight=62)
    estimated = data(recommendation(client, estimated_user, category="t_shirts"))
    measured = data(recommendation(client, woman, category="t_shirts"))
    assert estimated["estimated"] is True and measured["estimated"] is False
    assert estimated["estimated_measurements"] == ["breast_circumference", "waist_circumference"]
    assert estimated["missing_measurements"] == ["breast_circumference", "waist_circumference"]
    assert estimated["confidence"] < measured["confidence"] and estimated["confidence"] <= 0.6
    assert "estimated" in estimated["explanation"]


def test_missing_zones_are_listed_and_estimated_when_possible(client):
    user = sign_up(client, gender="female")
    save_measurements(client, user, breast_circumference=95)
    bust_only = data(check(client, user, category="dresses", size="M"))
    assert [zone["zone"] for zone in bust_only["zones"]] == ["breast_circumference"]
    assert bust_only["missing_measurements"] == ["waist_circumference", "hip_circumference"]
    save_measurements(client, user, height=168, weight=62)
    with_estimates = data(check(client, user, category="dresses", size="M"))
    assert {zone["zone"]: zone["estimated"] for zone in with_estimates["zones"]} == {
        "breast_circumference": False,
        "waist_circumference": True,
        "hip_circumference": True,
    }
    assert with_estimates["missing_measurements"] == ["waist_circumference", "hip_circumference"]


def test_legacy_measurements_count(client):
    user = sign_up(client, gender="male")
    save_measurements(client, user, chest=98, waist=86)
    result = data(check(client, user, category="shirts", size="M"))
    assert {zone["zone"]: zone["body_cm"] for zone in result["zones"]} == {
        "breast_circumference": 98,
        "waist_circumference": 86,
    }


# --- errors ------------------------------------------------------------------------------------------


def test_no_measurements_is_422_naming_the_helpful_fields(client, user):
    found = error(
        recommendation(client, user, category="t_shirts", gender="women"), 422, "MEASUREMENTS_REQUIRED"
    )
    assert found["details"]["fields"] == ["breast_circumference", "waist_circumference", "height", "weight"]
    shoes = error(check(client, user, category="shoes", gender="women"), 422, "MEASUREMENTS_REQUIRED")
    assert shoes["details"]["fields"] == ["foot_length", "height"]
    save_measurements(client, user, neck_circumference=38)
    error(check(client, user, category="t_shirts"), 422, "MEASUREMENTS_REQUIRED")


def test_unknown_size_is_400_with_the_chart_labels(client, woman):
    inline = error(
        check(client, woman, size_chart=INLINE_CHART, category="t_shirts", size="XL"), 400, "UNKNOWN_SIZE"
    )
    assert inline["details"] == {"size": "XL", "labels": ["S", "M", "L"]}
    builtin = error(check(client, woman, category="t_shirts", size="XXXXXL"), 400, "UNKNOWN_SIZE")
    assert builtin["details"]["labels"][:8] == ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]
    assert "38" in builtin["details"]["labels"]


@pytest.mark.parametrize(
    "chart, fragment",
    [
        ("M", "must be an object"),
        ({"unit": "cm", "sizes": []}, "non-empty list"),
        ({"sizes": [{"label": "M", "measurements": {"bust": [88, 92]}}]}, "unknown measurement 'bust'"),
        ({"sizes": [{"label": "M", "measurements": {"waist_circumference": [80, 70]}}]}, "min above max"),
        (
            {
                "sizes": [
                    {"label": "L", "measurements": {"waist_circumference": 80}},
                    {"label": "M", "measurements": {"waist_circumference": 74}},
                ]
            },
            "ascending order",
        ),
        (
            {"unit": ["cm"], "sizes": [{"label": "M", "measurements": {"waist_circumference": 74}}]},
            "unit must be",
        ),
        (
            {"unit": {"cm": 1}, "sizes": [{"label": "M", "measurements": {"waist_circumference": 74}}]},
            "unit must be",
        ),
        (
            {"sizes": [{"label": "M", "measurements": {"waist_circumference": 10**300}}]},
            "outside the plausible",
        ),
        (
            {"sizes": [{"label": "M", "measurements": {"waist_circumference": [70, -(10**400)]}}]},
            "must be a number",
        ),
    ],
)
def test_invalid_inline_chart_is_400_explaining_the_problem(client, woman, chart, fragment):
    found = error(check(client, woman, size_chart=chart, category="t_shirts"), 400, "INVALID_SIZE_CHART")
    assert fragment in found["message"] and found["details"]["field"] == "size_chart"


def test_missing_category_is_400(client, woman):
    found = error(check(client, woman, size_chart=INLINE_CHART), 400, "CATEGORY_REQUIRED")
    assert "t_shirts" in found["details"]["allowed"]
    error(recommendation(client, woman, brand="Zara"), 400, "CATEGORY_REQUIRED")
    error(recommendation(client, woman), 400, "CATEGORY_REQUIRED")


def test_category_without_body_sizes_is_422(client, woman):
    found = error(recommendation(client, woman, category="bags"), 422, "CATEGORY_NOT_SIZED")
    assert "shoes" in found["details"]["sized_categories"]


@pytest.mark.parametrize(
    "body, code",
    [
        ({"category": "ballgowns"}, "VALIDATION_ERROR"),
        ({"category": "t_shirts", "fit_preference": "baggy"}, "VALIDATION_ERROR"),
        ({"category": "t_shirts", "gender": "robot"}, "VALIDATION_ERROR"),
        ({"category": "t_shirts", "size": ["M"]}, "VALIDATION_ERROR"),
        ({"category": "t_shirts", "size": "M" * 41}, "VALIDATION_ERROR"),
        ({"category": "t_shirts", "brand": 12}, "VALIDATION_ERROR"),
        ({"category": "t_shirts", "fabric": "cotton"}, "INVALID_JSON"),
        ({"category": "t_shirts", "fabric": {"name": "cotton"}}, "INVALID_FABRIC"),
        ({"category": "t_shirts", "fabric": [{"name": "elastane", "percentage": 140}]}, "INVALID_FABRIC"),
        ({"category": "t_shirts", "wardrobe_item_id": "abc"}, "VALIDATION_ERROR"),
        ({"category": "t_shirts", "wardrobe_item_id": 0}, "OUT_OF_RANGE"),
        ({"wardrobe_item_id": 1, "url": "https://shop.example/p/1"}, "CONFLICTING_FIELDS"),
        ({"category": "t_shirts", "html": "<html></html>"}, "MISSING_FIELDS"),
        ({"url": "ftp://shop.example/p/1"}, "INVALID_URL"),
        ({"category": "t_shirts", "sizechart": {}}, "UNKNOWN_FIELDS"),
    ],
)
def test_bad_check_input_is_a_clear_400(client, woman, body, code):
    found = error(check(client, woman, **body), 400, code)
    assert found["message"]


@pytest.mark.parametrize(
    "query, code",
    [
        ({"category": "t_shirts", "size_chart": "{}"}, "UNKNOWN_FIELDS"),
        ({"category": "t_shirts", "fit_preference": "tight"}, "VALIDATION_ERROR"),
        ({"category": "ballgowns"}, "VALIDATION_ERROR"),
        ({"wardrobe_item_id": "-3"}, "OUT_OF_RANGE"),
    ],
)
def test_bad_recommendation_query_is_a_clear_400(client, woman, query, code):
    error(recommendation(client, woman, **query), 400, code)


def test_check_body_must_be_json(client, woman):
    error(
        client.post("/api/fitting/check", headers=woman["headers"], data="size=M", content_type="text/plain"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    error(
        client.post(
            "/api/fitting/check", headers=woman["headers"], data="{", content_type="application/json"
        ),
        400,
        "INVALID_JSON",
    )


def test_both_endpoints_need_a_signed_in_user(client):
    error(client.post("/api/fitting/check", json={"category": "t_shirts"}), 401, "AUTHENTICATION_REQUIRED")
    error(client.get("/api/fitting/size-recommendation?category=t_shirts"), 401, "AUTHENTICATION_REQUIRED")


def test_fitting_stores_nothing(app, client, woman):
    db = app.extensions["db"]
    before = db.execute_query("SELECT * FROM body_measurements", fetch_all=True)
    data(check(client, woman, size_chart=INLINE_CHART, category="t_shirts"))
    data(recommendation(client, woman, category="dresses"))
    error(check(client, woman, size_chart={"sizes": []}, category="t_shirts"), 400, "INVALID_SIZE_CHART")
    assert db.execute_query("SELECT * FROM body_measurements", fetch_all=True) == before
    assert db.execute_query("SELECT COUNT(*) AS n FROM garment_metadata", fetch_one=True)["n"] == 0


@pytest.mark.parametrize(
    "settings_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_FITTING": "2 per minute"}]
)
def test_fitting_is_rate_limited_per_user(client, woman):
    for _ in range(2):
        data(recommendation(client, woman, category="t_shirts"))
    error(recommendation(client, woman, category="t_shirts"), 429, "RATE_LIMITED")


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(-1e6, 1e6, allow_nan=False)
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ZONE_VALUES = st.one_of(
    st.floats(-50, 300, allow_nan=False),
    st.lists(st.floats(-50, 300, allow_nan=False), max_size=3),
    JSON_VALUES,
)
CHARTS = (
    st.fixed_dictionaries(
        {
            "sizes": st.lists(
                st.fixed_dictionaries(
                    {
                        "label": st.one_of(st.sampled_from(["S", "M", "L", "38", "2XL"]), JSON_VALUES),
                        "measurements": st.dictionaries(
                            st.sampled_from(
                                [
                                    "breast_circumference",
                                    "waist_circumference",
                                    "chest",
                                    "foot_length",
                                    "height",
                                    "bust",
                                ]
                            ),
                            ZONE_VALUES,
                            max_size=3,
                        ),
                    }
                ),
                max_size=4,
            )
        },
        optional={"unit": st.sampled_from(["cm", "in", "mm", 3])},
    )
    | JSON_VALUES
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    chart=CHARTS,
    category=st.sampled_from(["t_shirts", "dresses", "jeans", "shoes", "bags", None, 7]),
    size=st.one_of(st.none(), st.sampled_from(["S", "M", "38", "XXXXL"]), JSON_VALUES),
    fabric=st.one_of(st.none(), JSON_VALUES),
    preference=st.sampled_from([None, "tighter", "loose", 1]),
)
def test_any_request_body_gets_an_answer_or_a_clear_4xx(
    client, woman, chart, category, size, fabric, preference
):
    body = {
        "size_chart": chart,
        "category": category,
        "size": size,
        "fabric": fabric,
        "fit_preference": preference,
    }
    response = check(client, woman, **{key: value for key, value in body.items() if value is not None})
    assert response.status_code in (200, 400, 422), response.get_json()
    assert response.get_json()["success"] is (response.status_code == 200)


def test_blank_gender_means_no_gender_not_an_error(client, woman):
    response = client.get(
        "/api/fitting/size-recommendation",
        headers=woman["headers"],
        query_string={"category": "dresses", "gender": " "},
    )
    assert response.status_code == 200, response.get_json()
