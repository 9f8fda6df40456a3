"""Size charts: the data files, validation of any chart, size-label matching and size-system choice."""

import pytest

from features.fitting import size_charts
from features.fitting.size_charts import InvalidSizeChart, parse_chart

LETTERS = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]


def _chart(*sizes, unit="cm"):
    return {
        "unit": unit,
        "sizes": [{"label": label, "measurements": measurements} for label, measurements in sizes],
    }


@pytest.mark.parametrize(
    "gender, groups", [("women", ("tops", "bottoms", "dresses")), ("men", ("tops", "bottoms"))]
)
def test_builtin_clothing_charts_have_letter_and_eu_sizes(gender, groups):
    for group in groups:
        letter, eu = size_charts.library_charts(group=group, gender=gender)
        assert letter["system"] == "letter" and size_charts.labels(letter) == LETTERS
        assert eu["system"] == "eu" and all(label.isdigit() for label in size_charts.labels(eu))
        assert letter["source"] == eu["source"] == "builtin" and "13402" in letter["name"]
        assert letter["id"] == f"builtin:{gender}:{group}:letter"


def test_builtin_zones_fit_each_garment_group():
    zones = {
        group: set(size_charts.library_charts(group=group, gender="women")[0]["sizes"][0]["measurements"])
        for group in ("tops", "bottoms", "dresses", "shoes")
    }
    assert zones == {
        "tops": {"breast_circumference", "waist_circumference"},
        "bottoms": {"waist_circumference", "hip_circumference"},
        "dresses": {"breast_circumference", "waist_circumference", "hip_circumference"},
        "shoes": {"foot_length"},
    }


@pytest.mark.parametrize("gender, first, last", [("women", "35", "43"), ("men", "39", "47")])
def test_builtin_shoe_sizes_are_paris_points_of_foot_length_plus_allowance(gender, first, last):
    (shoes,) = size_charts.library_charts(group="shoes", gender=gender)
    labels = size_charts.labels(shoes)
    assert labels[0] == first and labels[-1] == last
    for size in shoes["sizes"]:
        low, high = size["measurements"]["foot_length"]
        assert (low + high) / 2 == pytest.approx(int(size["label"]) / 1.5 - 1.5, abs=0.01)


def test_sizes_without_a_chart_of_their_own_find_none():
    assert size_charts.library_charts(group="dresses", gender="men") == []
    assert size_charts.library_charts(group="tops", gender="women", brand="Unknown Label Co") == []


@pytest.mark.parametrize("name", ["Zara", "ZARA", "zara woman", "H&M", "h & m", "HM", "Hennes & Mauritz"])
def test_brand_charts_are_found_by_loose_brand_names_and_marked_as_approximations(name):
    charts = size_charts.library_charts(group="tops", gender="women", brand=name)
    assert charts and all(chart["source"] == "brand" and chart["approximation"] is True for chart in charts)
    assert "approximation" in charts[0]["note"]


def test_a_valid_chart_is_returned_in_cm_with_ranges():
    parsed = parse_chart(
        _chart(
            ("S", {"breast_circumference": [34, 36]}), ("M", {"breast_circumference": [36, 38]}), unit="in"
        )
    )
    assert parsed == {
        "unit": "cm",
        "sizes": [
            {"label": "S", "measurements": {"breast_circumference": [86.36, 91.44]}},
            {"label": "M", "measurements": {"breast_circumference": [91.44, 96.52]}},
        ],
    }


def test_legacy_zone_names_and_numeric_labels_are_accepted():
    parsed = parse_chart(
        _chart((38, {"chest": [86, 90], "hips": [92, 96]}), (40, {"chest": [90, 94], "hips": [96, 100]}))
    )
    assert [size["label"] for size in parsed["sizes"]] == ["38", "40"]
    assert set(parsed["sizes"][0]["measurements"]) == {"breast_circumference", "hip_circumference"}


def test_single_values_stand_for_the_range_halfway_to_the_neighbours():
    parsed = parse_chart(
        _chart(
            ("S", {"waist_circumference": 68}),
            ("M", {"waist_circumference": [72, 76]}),
            ("L", {"waist_circumference": 80}),
        )
    )
    assert [size["measurements"]["waist_circumference"] for size in parsed["sizes"]] == [
        [65, 71],
        [72, 76],
        [77, 83],
    ]


@pytest.mark.parametrize(
    "chart, fragment",
    [
        ("M", "must be an object"),
        ({"unit": "mm", "sizes": []}, "unit must be 'cm' or 'in'"),
        ({"unit": "cm"}, "non-empty list"),
        ({"unit": "cm", "sizes": []}, "non-empty list"),
        (
            {
                "sizes": [
                    {"label": str(n), "measurements": {"waist_circumference": 60 + n}} for n in range(61)
                ]
            },
            "at most 60",
        ),
        ({"sizes": ["M"]}, "sizes[0] must be an object"),
        (
            {"sizes": [{"label": "", "measurements": {"waist_circumference": 70}}]},
            "label must be a size name",
        ),
        (
            {"sizes": [{"label": "M" * 41, "measurements": {"waist_circumference": 70}}]},
            "label must be a size name",
        ),
        (
            {"sizes": [{"label": True, "measurements": {"waist_circumference": 70}}]},
            "label must be a size name",
        ),
        ({"sizes": [{"label": "M"}]}, "needs 'measurements'"),
        ({"sizes": [{"label": "M", "measurements": {}}]}, "needs 'measurements'"),
        ({"sizes": [{"label": "M", "measurements": {"bust": [88, 92]}}]}, "unknown measurement 'bust'"),
        ({"sizes": [{"label": "M", "measurements": {"weight": [60, 70]}}]}, "unknown measurement 'weight'"),
        (
            {
                "sizes": [
                    {"label": "M", "measurements": {"chest": [88, 92], "breast_circumference": [88, 92]}}
                ]
            },
            "twice",
        ),
        ({"sizes": [{"label": "M", "measurements": {"waist_circumference": [80, 70]}}]}, "min above max"),
        (
            {"sizes": [{"label": "M", "measurements": {"waist_circumference": [70, 72, 74]}}]},
            "[min, max] pair",
        ),
        ({"sizes": [{"label": "M", "measurements": {"waist_circumference": "70"}}]}, "[min, max] pair"),
        ({"sizes": [{"label": "M", "measurements": {"waist_circumference": [70, None]}}]}, "[min, max] pair"),
        ({"sizes": [{"label": "M", "measurements": {"waist_circumference": [True, 80]}}]}, "[min, max] pair"),
        (
            {"sizes": [{"label": "M", "measurements": {"waist_circumference": [float("nan"), 80]}}]},
            "[min, max] pair",
        ),
        ({"sizes": [{"label": "M", "measurements": {"waist_circumference": [28, 30]}}]}, "wrong unit?"),
        (
            {"unit": "in", "sizes": [{"label": "M", "measurements": {"breast_circumference": [88, 92]}}]},
            "wrong unit?",
        ),
        (
            {
                "sizes": [
                    {"label": "M", "measurements": {"waist_circumference": 70}},
                    {"label": "m", "measurements": {"waist_circumference": 74}},
                ]
            },
            "listed twice",
        ),
        (
            {
                "sizes": [
                    {"label": "XXL", "measurements": {"waist_circumference": 70}},
                    {"label": "2XL", "measurements": {"waist_circumference": 74}},
                ]
            },
            "listed twice",
        ),
        (
            {
                "sizes": [
                    {"label": "M", "measurements": {"waist_circumference": 70}},
                    {"label": "L", "measurements": {"waist_circumference": 74, "hip_circumference": 100}},
                ]
            },
            "same measurements",
        ),
        (
            {
                "sizes": [
                    {"label": "L", "measurements": {"waist_circumference": 80}},
                    {"label": "M", "measurements": {"waist_circumference": 74}},
                ]
            },
            "ascending order",
        ),
    ],
)
def test_invalid_charts_say_what_is_wrong(chart, fragment):
    with pytest.raises(InvalidSizeChart) as raised:
        parse_chart(chart)
    assert fragment in str(raised.value)


@pytest.mark.parametrize(
    "name, labels, expected",
    [
        ("M", LETTERS, "M"),
        (" m ", LETTERS, "M"),
        ("2XL", LETTERS, "XXL"),
        ("3xl", LETTERS, "XXXL"),
        ("S 36/38", LETTERS, "S"),
        ("Tamanho: XS - Em Stock", LETTERS, "XS"),
        ("EU 38", ["36", "38"], "38"),
        ("40 2/3", ["39", "40", "41"], "40"),
        ("W30 L32", LETTERS, None),
        ("Medium", LETTERS, None),
        ("", LETTERS, None),
    ],
)
def test_free_text_size_names_match_chart_labels(name, labels, expected):
    assert size_charts.match_label(name, labels) == expected


def test_the_size_system_is_the_one_with_the_size_or_the_most_offered_sizes():
    letter, eu = size_charts.library_charts(group="tops", gender="women")
    assert size_charts.pick_chart([letter, eu], size="38") is eu
    assert size_charts.pick_chart([letter, eu], size="XL") is letter
    assert size_charts.pick_chart([letter, eu], size="XXXXXL") is None
    assert size_charts.pick_chart([letter, eu], offered_names=["36", "38", "40", "S"]) is eu
    assert size_charts.pick_chart([letter, eu], offered_names=["One size"]) is letter
    assert size_charts.pick_chart([letter, eu]) is letter
