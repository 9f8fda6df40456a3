"""Fitting a garment given as one of the caller's wardrobe items."""

from tests.fitting.conftest import check, data, error, recommendation
from tests.helpers import sign_up
from tests.wardrobe.conftest import added_item, create_category

STRETCH_FABRIC = '[{"name": "cotton", "percentage": 95}, {"name": "elastane", "percentage": 5}]'


def test_an_item_brings_its_category_brand_fabric_and_owned_size(client, woman):
    item = added_item(
        client, woman, category="dresses", brand="Zara", size="M", fabric=STRETCH_FABRIC, title="Midi dress"
    )
    result = data(check(client, woman, wardrobe_item_id=item["id"]))
    assert result["garment"] == {
        "source": "wardrobe_item",
        "wardrobe_item_id": item["id"],
        "url": None,
        "title": "Midi dress",
        "brand": "Zara",
        "category": "dresses",
        "owned_size": "M",
        "stretch_percent": 5,
    }
    assert result["chart_source"] == "brand" and result["chart"]["id"] == "brand:zara:women:dresses:letter"
    assert [entry["size"] for entry in result["sizes"]] == result["chart"]["labels"]
    assert result["recommended_size"] in result["chart"]["labels"]


def test_recommendation_for_an_item_by_id(client, woman):
    item = added_item(client, woman, category="jeans")
    result = data(recommendation(client, woman, wardrobe_item_id=str(item["id"])))
    assert (
        result["garment"]["category"] == "jeans" and result["chart"]["id"] == "builtin:women:bottoms:letter"
    )
    assert result["recommended_size"] == "M"


def test_request_values_win_over_the_items(client, woman):
    item = added_item(client, woman, category="t_shirts", brand="Zara", fabric=STRETCH_FABRIC)
    result = data(
        check(
            client,
            woman,
            wardrobe_item_id=item["id"],
            brand="Unknown Label Co",
            category="sweaters",
            fabric=[{"name": "wool", "percentage": 100}],
            size="M",
        )
    )
    assert result["garment"]["category"] == "sweaters" and result["garment"]["stretch_percent"] == 0
    assert result["chart_source"] == "builtin"


def test_an_item_in_a_custom_category_needs_a_category(client, woman):
    create_category(client, woman, "Going out")
    item = added_item(client, woman, category="Going out")
    found = error(check(client, woman, wardrobe_item_id=item["id"]), 400, "CATEGORY_REQUIRED")
    assert "wardrobe item" in found["message"]
    fitted = data(check(client, woman, wardrobe_item_id=item["id"], category="dresses"))
    assert fitted["garment"]["category"] == "dresses"


def test_an_accessory_item_is_not_sized(client, woman):
    item = added_item(client, woman, category="bags", category_section="accessoires")
    error(recommendation(client, woman, wardrobe_item_id=item["id"]), 422, "CATEGORY_NOT_SIZED")


def test_another_users_item_answers_like_a_missing_one(client, woman):
    stranger = sign_up(client)
    item = added_item(client, stranger, category="dresses")
    error(check(client, woman, wardrobe_item_id=item["id"]), 404, "ITEM_NOT_FOUND")
    error(recommendation(client, woman, wardrobe_item_id=999999), 404, "ITEM_NOT_FOUND")
