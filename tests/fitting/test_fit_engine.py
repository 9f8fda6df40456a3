"""The fit engine on its own: verdicts, recommendations, confidence and estimates over real chart data."""

import pytest
from hypothesis import given, settings, strategies as st

from features.fitting import fit_engine as engine, size_charts
from shared.garment_catalog import PLATFORM_CATEGORIES, SIZED_CATEGORIES

LIBRARY = [
    chart
    for group in ("tops", "dresses", "bottoms", "shoes")
    for gender in ("women", "men")
    for brand in (None, "zara", "hm")
    for chart in size_charts.library_charts(group=group, gender=gender, brand=brand)
]
CATEGORY_OF_GROUP = {"tops": "shirts", "dresses": "dresses", "bottoms": "pants", "shoes": "shoes"}
RIGID = {
    "tops": engine.Garment("shirts"),
    "dresses": engine.Garment("dresses"),
    "bottoms": engine.Garment("pants"),
    "shoes": engine.Garment("shoes"),
}


def _body_at(size, position):
    """A body at a relative position of each range: 0 = min, 0.5 = centre, 1 = max."""
    return engine.Body(
        values={zone: low + (high - low) * position for zone, (low, high) in size["measurements"].items()}
    )


def _women_letter(group):
    return size_charts.library_charts(group=group, gender="women")[0]


def _size(chart, label):
    return next(size for size in chart["sizes"] if size["label"] == label)


def _verdicts(result):
    return {zone["zone"]: zone["verdict"] for zone in result["zones"]}


@pytest.mark.parametrize("chart", LIBRARY, ids=lambda chart: chart["id"])
def test_body_at_the_centre_of_each_size_gets_that_size_with_high_confidence(chart):
    garment = RIGID[chart["group"]]
    for size in chart["sizes"]:
        body = _body_at(size, 0.5)
        result = engine.recommend(sizes=chart["sizes"], body=body, garment=garment)
        assert result["recommended_size"] == size["label"]
        assert result["between_sizes"] is False and result["overall_verdict"] == "regular"
        assert result["confidence"] >= 0.9
        check = engine.check_size(size=size, body=body, garment=garment)
        assert set(_verdicts(check).values()) == {"regular"}
        assert all(zone["difference_cm"] == 0 for zone in check["zones"])


@pytest.mark.parametrize("chart", LIBRARY, ids=lambda chart: chart["id"])
def test_body_at_the_edges_of_a_size_is_regular_and_the_upper_edge_is_between_sizes(chart):
    garment = RIGID[chart["group"]]
    sizes = chart["sizes"]
    for index, size in enumerate(sizes):
        lower, upper = _body_at(size, 0.0), _body_at(size, 1.0)
        for body in (lower, upper):
            check = engine.check_size(size=size, body=body, garment=garment)
            assert set(_verdicts(check).values()) == {"regular"}
        assert engine.recommend(sizes=sizes, body=lower, garment=garment)["recommended_size"] == size["label"]
        at_top = engine.recommend(sizes=sizes, body=upper, garment=garment)
        if index + 1 < len(sizes):
            # a rigid garment at the boundary: the larger size, and the answer says it is a close call
            assert at_top["recommended_size"] == sizes[index + 1]["label"]
            assert at_top["between"] == [size["label"], sizes[index + 1]["label"]]
        else:
            assert at_top["recommended_size"] == size["label"] and at_top["between_sizes"] is False


@pytest.mark.parametrize("chart", LIBRARY, ids=lambda chart: chart["id"])
def test_body_outside_a_size_is_snug_or_loose_within_the_tolerance_and_too_tight_or_loose_beyond(chart):
    garment = RIGID[chart["group"]]
    tight_percent, loose_percent = garment.tolerance_percent
    for size in chart["sizes"]:
        for zone, (low, high) in size["measurements"].items():
            others = {other: sum(rng) / 2 for other, rng in size["measurements"].items() if other != zone}
            cases = {
                high * (1 + tight_percent / 100 * 0.5): ("snug", 1),
                high * (1 + tight_percent / 100 * 2): ("too_tight", 1),
                low * (1 - loose_percent / 100 * 0.5): ("loose", -1),
                low * (1 - loose_percent / 100 * 2): ("too_loose", -1),
            }
            for value, (verdict, sign) in cases.items():
                body = engine.Body(values={**others, zone: value})
                fit = next(
                    z
                    for z in engine.check_size(size=size, body=body, garment=garment)["zones"]
                    if z["zone"] == zone
                )
                assert fit["verdict"] == verdict
                edge = high if sign > 0 else low
                assert fit["difference_cm"] == pytest.approx(value - edge, abs=0.06)
                assert fit["difference_cm"] * sign > 0


def test_body_beyond_the_largest_size_is_outside_the_chart_with_low_confidence():
    chart = _women_letter("tops")
    largest = chart["sizes"][-1]
    inside = engine.recommend(sizes=chart["sizes"], body=_body_at(largest, 0.5), garment=RIGID["tops"])
    beyond = engine.recommend(sizes=chart["sizes"], body=_body_at(largest, 2.5), garment=RIGID["tops"])
    assert beyond["recommended_size"] == largest["label"]
    assert beyond["overall_verdict"] == "too_tight"
    assert {"zone": "breast_circumference", "direction": "above"} in beyond["outside_chart"]
    assert beyond["confidence"] < inside["confidence"] / 2
    assert "beyond the largest size" in beyond["explanation"]
    smallest = chart["sizes"][0]
    below = engine.recommend(sizes=chart["sizes"], body=_body_at(smallest, -2.5), garment=RIGID["tops"])
    assert below["recommended_size"] == smallest["label"] and below["overall_verdict"] == "too_loose"
    assert "beyond the smallest size" in below["explanation"]


def test_stretch_fabric_turns_too_tight_into_snug():
    size = _size(_women_letter("bottoms"), "M")
    waist_high = size["measurements"]["waist_circumference"][1]
    body = engine.Body(values={"waist_circumference": waist_high * 1.04, "hip_circumference": 101})
    rigid = engine.check_size(size=size, body=body, garment=engine.Garment("jeans", 0))
    stretchy = engine.check_size(size=size, body=body, garment=engine.Garment("jeans", 3))
    assert _verdicts(rigid)["waist_circumference"] == "too_tight" and rigid["overall_verdict"] == "too_tight"
    assert _verdicts(stretchy)["waist_circumference"] == "snug" and stretchy["overall_verdict"] == "snug"


def test_between_sizes_a_rigid_garment_goes_up_and_a_stretch_garment_goes_down():
    chart = _women_letter("bottoms")
    boundary = _body_at(_size(chart, "M"), 1.0)
    rigid = engine.recommend(sizes=chart["sizes"], body=boundary, garment=engine.Garment("pants", 0))
    stretchy = engine.recommend(sizes=chart["sizes"], body=boundary, garment=engine.Garment("pants", 5))
    assert rigid["recommended_size"] == "L" and stretchy["recommended_size"] == "M"
    assert rigid["between"] == stretchy["between"] == ["M", "L"]
    assert "between M and L" in rigid["explanation"]


def test_stretch_share_counts_every_elastic_fibre_name():
    fabric = [
        {"name": "Cotton", "percentage": 93},
        {"name": "Elastane", "percentage": 2},
        {"name": "LYCRA® spandex", "percentage": 3},
        {"name": "polyester", "percentage": None},
    ]
    assert engine.stretch_percent(fabric) == 5
    assert engine.stretch_percent([{"name": "wool", "percentage": 100}]) == 0
    assert engine.stretch_percent([]) == 0


@pytest.mark.parametrize(
    "position, preference, expected",
    [
        (0.08, "regular", "M"),
        (0.08, "tighter", "S"),
        (0.08, "looser", "M"),
        (0.75, "regular", "M"),
        (0.75, "looser", "L"),
        (0.75, "tighter", "M"),
    ],
)
def test_fit_preference_moves_a_body_near_the_edge_to_the_neighbouring_size(position, preference, expected):
    chart = _women_letter("tops")
    body = _body_at(_size(chart, "M"), position)
    result = engine.recommend(
        sizes=chart["sizes"], body=body, garment=RIGID["tops"], fit_preference=preference
    )
    assert result["recommended_size"] == expected


def test_fit_preference_never_moves_a_body_at_the_centre():
    chart = _women_letter("tops")
    body = _body_at(_size(chart, "M"), 0.5)
    for preference in engine.FIT_PREFERENCES:
        result = engine.recommend(
            sizes=chart["sizes"], body=body, garment=RIGID["tops"], fit_preference=preference
        )
        assert result["recommended_size"] == "M"


def test_missing_zones_are_left_out_and_lower_the_confidence():
    chart = _women_letter("dresses")
    size = _size(chart, "M")
    full = _body_at(size, 0.5)
    bust_only = engine.Body(values={"breast_circumference": full.values["breast_circumference"]})
    check = engine.check_size(size=size, body=bust_only, garment=RIGID["dresses"])
    assert [zone["zone"] for zone in check["zones"]] == ["breast_circumference"]
    assert check["overall_verdict"] == "regular"
    partial = engine.recommend(sizes=chart["sizes"], body=bust_only, garment=RIGID["dresses"])
    complete = engine.recommend(sizes=chart["sizes"], body=full, garment=RIGID["dresses"])
    assert partial["recommended_size"] == complete["recommended_size"] == "M"
    assert partial["confidence"] < complete["confidence"]
    assert partial["deciding_zones"] == ["breast_circumference"]


def test_zones_that_disagree_lower_the_confidence_and_the_tight_zone_limits_the_size():
    chart = _women_letter("dresses")
    agreeing = _body_at(_size(chart, "M"), 0.5)
    large_hips = sum(_size(chart, "L")["measurements"]["hip_circumference"]) / 2 + 2
    hips_of_large = {**agreeing.values, "hip_circumference": large_hips}
    result = engine.recommend(
        sizes=chart["sizes"], body=engine.Body(values=hips_of_large), garment=RIGID["dresses"]
    )
    assert result["recommended_size"] == "L"  # a dress that does not go over the hips cannot be worn
    assert "hip_circumference" in result["deciding_zones"]
    assert (
        result["confidence"]
        < engine.recommend(sizes=chart["sizes"], body=agreeing, garment=RIGID["dresses"])["confidence"]
    )
    check_medium = engine.check_size(
        size=_size(chart, "M"), body=engine.Body(values=hips_of_large), garment=RIGID["dresses"]
    )
    assert _verdicts(check_medium)["hip_circumference"] == "too_tight"
    assert check_medium["overall_verdict"] == "too_tight"


def test_a_light_zone_moves_the_overall_verdict_one_step_at_most():
    size = {"label": "M", "measurements": {"breast_circumference": [92, 98], "hip_circumference": [98, 104]}}
    body = engine.Body(values={"breast_circumference": 95, "hip_circumference": 120})
    check = engine.check_size(size=size, body=body, garment=engine.Garment("t_shirts"))
    assert _verdicts(check)["hip_circumference"] == "too_tight"
    assert check["overall_verdict"] == "snug"  # hips matter little for a t-shirt


def test_tight_beats_loose_in_the_overall_verdict():
    size = {"label": "M", "measurements": {"waist_circumference": [74, 80], "hip_circumference": [98, 104]}}
    body = engine.Body(values={"waist_circumference": 72, "hip_circumference": 105})
    check = engine.check_size(size=size, body=body, garment=engine.Garment("skirts"))
    assert _verdicts(check) == {"waist_circumference": "loose", "hip_circumference": "snug"}
    assert check["overall_verdict"] == "snug"


def test_length_zones_say_short_and_long():
    size = {"label": "32", "measurements": {"waist_circumference": [78, 82], "inner_leg_length": [80, 82]}}
    long_legs = engine.Body(values={"waist_circumference": 80, "inner_leg_length": 86})
    short_legs = engine.Body(values={"waist_circumference": 80, "inner_leg_length": 78})
    assert _verdicts(engine.check_size(size=size, body=long_legs, garment=engine.Garment("jeans"))) == {
        "waist_circumference": "regular",
        "inner_leg_length": "too_short",
    }
    short = engine.check_size(size=size, body=short_legs, garment=engine.Garment("jeans"))
    assert _verdicts(short)["inner_leg_length"] == "long" and short["overall_verdict"] == "regular"
    height_only = {"label": "M", "measurements": {"height": [170, 176]}}
    tall = engine.check_size(
        size=height_only, body=engine.Body(values={"height": 190}), garment=engine.Garment("coats")
    )
    assert tall["overall_verdict"] == "too_short"


def test_a_one_size_chart_with_single_values_still_judges_the_fit():
    sizes = [{"label": "One size", "measurements": {"breast_circumference": [94, 94]}}]
    for value, verdict in ((94, "regular"), (95, "snug"), (110, "too_tight"), (80, "too_loose")):
        body = engine.Body(values={"breast_circumference": value})
        assert (
            engine.check_size(size=sizes[0], body=body, garment=RIGID["tops"])["overall_verdict"] == verdict
        )
    result = engine.recommend(
        sizes=sizes, body=engine.Body(values={"breast_circumference": 94}), garment=RIGID["tops"]
    )
    assert result["recommended_size"] == "One size" and result["alternatives"] == []


def test_alternatives_are_ranked_by_score_and_exclude_the_recommendation():
    chart = _women_letter("tops")
    result = engine.recommend(
        sizes=chart["sizes"], body=_body_at(_size(chart, "M"), 0.7), garment=RIGID["tops"]
    )
    scores = [result["score"]] + [alternative["score"] for alternative in result["alternatives"]]
    assert scores == sorted(scores, reverse=True)
    assert sorted(alt["size"] for alt in result["alternatives"]) == sorted(
        label for label in size_charts.labels(chart) if label != result["recommended_size"]
    )


def test_estimates_grow_with_weight_and_height_and_differ_by_gender():
    light = engine.estimate_measurements(height=170, weight=60, gender="women")
    heavy = engine.estimate_measurements(height=170, weight=85, gender="women")
    taller = engine.estimate_measurements(height=185, weight=60 * (185 / 170) ** 2, gender="women")
    assert set(light) == {"breast_circumference", "waist_circumference", "hip_circumference", "foot_length"}
    assert all(heavy[zone] > light[zone] for zone in light if zone != "foot_length")
    assert all(taller[zone] > light[zone] for zone in light)
    men = engine.estimate_measurements(height=170, weight=60, gender="men")
    unknown = engine.estimate_measurements(height=170, weight=60, gender=None)
    assert men["hip_circumference"] < light["hip_circumference"]
    assert (
        min(men["waist_circumference"], light["waist_circumference"])
        <= unknown["waist_circumference"]
        <= max(men["waist_circumference"], light["waist_circumference"])
    )
    assert engine.estimate_measurements(height=170, weight=None, gender="women") == {
        "foot_length": round(170 * engine.FOOT_LENGTH_PER_HEIGHT["women"], 1)
    }
    assert engine.estimate_measurements(height=None, weight=70, gender="men") == {}


def test_estimates_for_typical_bodies_land_on_plausible_sizes():
    tops = _women_letter("tops")
    body = engine.body_from_measurements(
        {"height": 165, "weight": 58}, gender="women", zones=engine.chart_zones(tops["sizes"])
    )
    assert body.estimated == {"breast_circumference", "waist_circumference"}
    result = engine.recommend(sizes=tops["sizes"], body=body, garment=RIGID["tops"])
    assert result["recommended_size"] in ("XS", "S", "M")
    men_tops = size_charts.library_charts(group="tops", gender="men")[0]
    body = engine.body_from_measurements(
        {"height": 180, "weight": 78}, gender="men", zones=engine.chart_zones(men_tops["sizes"])
    )
    result = engine.recommend(sizes=men_tops["sizes"], body=body, garment=RIGID["tops"])
    assert result["recommended_size"] in ("S", "M", "L")


def test_an_estimate_only_body_is_flagged_and_less_certain_than_the_same_body_measured():
    chart = _women_letter("tops")
    body = engine.body_from_measurements(
        {"height": 168, "weight": 63}, gender="women", zones=engine.chart_zones(chart["sizes"])
    )
    measured = engine.Body(values=body.values)
    estimated = engine.recommend(sizes=chart["sizes"], body=body, garment=RIGID["tops"])
    sure = engine.recommend(sizes=chart["sizes"], body=measured, garment=RIGID["tops"])
    assert estimated["estimated"] is True and sure["estimated"] is False
    assert estimated["recommended_size"] == sure["recommended_size"]
    assert estimated["confidence"] <= sure["confidence"] * (1 - engine.ESTIMATE_CONFIDENCE_PENALTY) + 0.01
    assert "estimated" in estimated["explanation"]
    check = engine.check_size(size=chart["sizes"][2], body=body, garment=RIGID["tops"])
    assert all(zone["estimated"] for zone in check["zones"])


def test_measured_zones_win_over_estimates_and_legacy_fields_are_fallbacks():
    zones = ["breast_circumference", "waist_circumference", "hip_circumference", "inner_leg_length"]
    body = engine.body_from_measurements(
        {"height": 170, "weight": 65, "chest": 99, "hips": 101, "hip_circumference": 104, "inseam": 80},
        gender="women",
        zones=zones,
    )
    assert body.values["breast_circumference"] == 99 and body.values["hip_circumference"] == 104
    assert body.values["inner_leg_length"] == 80
    assert body.estimated == {"waist_circumference"}
    assert engine.body_from_measurements({}, gender=None, zones=zones).values == {}


def test_helpful_measurements_name_the_chart_zones_and_what_estimates_them():
    assert engine.helpful_measurements(["breast_circumference", "waist_circumference"]) == [
        "breast_circumference",
        "waist_circumference",
        "height",
        "weight",
    ]
    assert engine.helpful_measurements(["foot_length"]) == ["foot_length", "height"]
    assert engine.helpful_measurements(["neck_circumference"]) == ["neck_circumference"]


def test_every_sized_platform_category_has_a_group_the_engine_weighs_and_a_tolerance():
    assert engine.Garment("jeans").group == "bottoms" and engine.Garment("coats").group == "tops"
    for name in SIZED_CATEGORIES:
        garment = engine.Garment(name)
        assert garment.group in engine.ZONE_WEIGHTS
        tight, loose = garment.tolerance_percent
        assert 0 < tight <= 10 and 0 < loose <= 10
    unsized = [entry for entry in PLATFORM_CATEGORIES if entry.platform_category not in SIZED_CATEGORIES]
    assert {entry.platform_category for entry in unsized} == {"bags", "hats", "jewelry", "belts"}
    assert all(entry.tolerance_percent is None for entry in unsized)


@settings(max_examples=150, deadline=None)
@given(
    chart=st.sampled_from(LIBRARY),
    position=st.floats(-3, 4),
    stretch=st.floats(0, 30),
    preference=st.sampled_from(engine.FIT_PREFERENCES),
    estimated=st.booleans(),
)
def test_any_body_gets_a_ranked_answer_with_confidence_in_range(
    chart, position, stretch, preference, estimated
):
    body = _body_at(chart["sizes"][len(chart["sizes"]) // 2], position)
    if estimated:
        body = engine.Body(values=body.values, estimated=frozenset(body.values))
    garment = engine.Garment(CATEGORY_OF_GROUP[chart["group"]], stretch)
    result = engine.recommend(sizes=chart["sizes"], body=body, garment=garment, fit_preference=preference)
    assert 0 <= result["confidence"] <= engine.MAX_CONFIDENCE
    assert 0 <= result["score"] <= 1
    assert result["recommended_size"] in size_charts.labels(chart)
    assert all(alt["score"] <= result["score"] for alt in result["alternatives"])
    assert result["explanation"].startswith(result["recommended_size"]) and result["explanation"].endswith(
        "."
    )
