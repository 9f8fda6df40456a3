"""Categorisation from product texts in several languages, and from an image only with a Gemini key."""

import base64
import io

import pytest
from PIL import Image

from features.garments import service
from features.garments.categorizer import categorize
from shared.garment_catalog import PLATFORM_CATEGORY
from tests.envelope import data as ok, error
from tests.fakes import gemini_server
from tests.fakes.gemini_server import FakeGemini


@pytest.mark.parametrize(
    "texts, kind, wardrobe_category",
    [
        ({"title": "Slim Fit Oxford Shirt"}, "shirt", "shirts"),
        ({"title": "Basic T-Shirt aus Bio-Baumwolle"}, "t-shirt", "t_shirts"),
        ({"title": "Umstandskleid in Wickeloptik"}, "dress", "dresses"),
        (
            {"title": "Hoodiejacke Regular Fit", "product_type": "Hoodies & Sweatshirts"},
            "sweater",
            "sweaters",
        ),
        ({"title": "Robe chemise en lin"}, "dress", "dresses"),
        ({"title": "Pantalon large à pinces"}, "pants", "pants"),
        ({"title": "Vestido camisero de lino"}, "dress", "dresses"),
        ({"title": "Botines Puma Future 5.4 OSG TT"}, "shoes", "shoes"),
        ({"title": "Cappotto doppiopetto in lana"}, "coat", "coats"),
        ({"title": "Gonna plissettata"}, "skirt", "skirts"),
        ({"title": "Spijkerbroek slim fit"}, "jeans", "jeans"),
        ({"title": "Wollen jas met ceintuur"}, "coat", "coats"),
        ({"title": "Shirt dress with belt"}, "dress", "dresses"),
        ({"title": "Leather look shirt"}, "shirt", "shirts"),
        (
            {
                "title": "YUNG 96",
                "breadcrumbs": ["Startseite", "Herren", "Schuhe", "Fashion Sneaker", "YUNG 96"],
            },
            "shoes",
            "shoes",
        ),
        (
            {"title": "OFLEKI", "breadcrumbs": ["Homem", "T-Shirt mangas curtas Homem", "OFLEKI"]},
            "t-shirt",
            "t_shirts",
        ),
        ({"title": "Everyday Canvas Tote"}, "bag", "bags"),
        ({"title": "Wool Beanie"}, "hat", "hats"),
        ({"title": "Gold hoop earrings"}, "jewelry", "jewelry"),
        ({"title": "Leather Belt"}, "belt", "belts"),
        ({"title": "High-rise leggings"}, "leggings", "leggings"),
        ({"title": "Denim shorts"}, "shorts", "shorts"),
        ({"title": "Bomber jacket"}, "jacket", "jackets"),
        ({"description": "A soft wrap dress to pair with sneakers."}, "dress", "dresses"),
    ],
)
def test_categorize_in_several_languages(texts, kind, wardrobe_category):
    result = categorize(**texts)
    assert (result["category"], result["wardrobe_category"]) == (kind, wardrobe_category)
    assert result["category_section"] == PLATFORM_CATEGORY[wardrobe_category].section
    assert result["matched"] and 0 < result["confidence"] <= 1


def test_garments_without_a_platform_category_are_not_forced_into_one():
    bra = categorize(title="Brassière de sport post-opératoire")
    assert (bra["category"], bra["wardrobe_category"], bra["category_section"], bra["garment_type"]) == (
        "underwear",
        None,
        None,
        None,
    )
    jumpsuit = categorize(title="Denim jumpsuit")
    assert (jumpsuit["category"], jumpsuit["wardrobe_category"], jumpsuit["garment_type"]) == (
        "jumpsuit",
        None,
        "one_piece",
    )
    assert categorize(title="Gift card")["matched"] == []


def test_stronger_signals_outweigh_the_title_and_confidence_shows_disagreement():
    agreed = categorize(title="Wool coat", product_type="Coats")
    disputed = categorize(title="Hoodiejacke", product_type="Hoodies & Sweatshirts")
    assert agreed["category"] == "coat" and disputed["category"] == "sweater"
    assert agreed["confidence"] > disputed["confidence"]


def test_categorize_endpoint_from_texts(client):
    data = ok(
        client.post(
            "/api/garments/categorize", json={"title": "Jupe plissée", "breadcrumbs": "Femme > Jupes"}
        )
    )
    assert (
        data["category"],
        data["wardrobe_category"],
        data["category_section"],
        data["garment_type"],
        data["source"],
    ) == ("skirt", "skirts", "lower_body", "bottom", "text")
    assert {"source": "breadcrumb", "keyword": "jupes", "category": "skirt"} in data["matched"]


def png_base64():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (20, 40, 200)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_image_without_gemini_key_says_so_instead_of_guessing(client):
    data = ok(client.post("/api/garments/categorize", json={"image": png_base64()}))
    assert data["category"] is None and data["wardrobe_category"] is None and data["source"] == "none"
    assert data["image_analysis"]["available"] is False and "Gemini" in data["image_analysis"]["note"]
    with_text = ok(
        client.post("/api/garments/categorize", json={"image": png_base64(), "title": "Linen shirt"})
    )
    assert with_text["category"] == "shirt" and with_text["image_analysis"]["available"] is False


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({}, 400, "MISSING_FIELDS"),
        ({"title": 12}, 400, "VALIDATION_ERROR"),
        ({"breadcrumbs": [1, 2]}, 400, "VALIDATION_ERROR"),
        ({"image": "not base64!"}, 400, "INVALID_BASE64"),
        ({"image": base64.b64encode(b"plain text, not a picture").decode()}, 400, "UNSUPPORTED_IMAGE"),
        ({"image_url": 5}, 400, "INVALID_URL"),
        ({"title": "Linen shirt " * 50}, 400, "VALIDATION_ERROR"),
        ({"product_type": "Shirts " * 30}, 400, "VALIDATION_ERROR"),
        ({"breadcrumbs": ["Women"] * 21}, 400, "VALIDATION_ERROR"),
        ({"breadcrumbs": ["Women", "Dresses" * 30]}, 400, "VALIDATION_ERROR"),
        ({"breadcrumbs": "Women > " * 600}, 400, "VALIDATION_ERROR"),
        ({"description": "Soft linen. " * 1700}, 400, "VALIDATION_ERROR"),
    ],
)
def test_categorize_rejects_bad_input(client, body, status, code):
    error(client.post("/api/garments/categorize", json=body), status, code)


class TestImageUrl:
    @pytest.fixture
    def settings_overrides(self):
        return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True, "MAX_UPLOAD_SIZE": 50_000}

    def test_an_image_url_larger_than_an_upload_is_refused_while_downloading(self, client, shop):
        found = error(
            client.post("/api/garments/categorize", json={"image_url": shop.url("/images/big-noise.png")}),
            413,
            "IMAGE_TOO_LARGE",
        )
        assert found["details"]["limit_bytes"] == 50_000

    def test_an_image_url_within_the_limit_is_read(self, client, shop):
        data = ok(
            client.post(
                "/api/garments/categorize",
                json={"image_url": shop.url("/images/shirt.png"), "title": "Linen shirt"},
            )
        )
        assert data["category"] == "shirt" and data["image_analysis"]["available"] is False


class AnsweringGemini(FakeGemini):
    """The fake Gemini server answering with a fixed text, as a model asked for one word would."""

    answer = "dresses"

    def _answer(self, entry, behaviour, params, answered):
        if behaviour != "ok":
            return super()._answer(entry, behaviour, params, answered)
        return gemini_server._json(200, gemini_server._candidate([{"text": self.answer}], entry))


@pytest.fixture
def gemini():
    with AnsweringGemini() as server:
        yield server


@pytest.fixture
def settings_overrides(request):
    if "gemini" not in request.fixturenames:
        return {}
    return request.getfixturevalue("gemini").app_settings(
        GEMINI_TIMEOUT_SECONDS=5, GEMINI_MAX_ATTEMPTS=2, GEMINI_RETRY_DELAY_SECONDS=0.01
    )


def test_image_is_categorised_by_gemini_when_a_key_is_configured(client, gemini):
    data = ok(client.post("/api/garments/categorize", json={"image": png_base64()}))
    assert (data["category"], data["wardrobe_category"], data["category_section"], data["source"]) == (
        "dress",
        "dresses",
        "upper_body",
        "image",
    )
    assert data["image_analysis"]["available"] is True
    request = gemini.requests[-1]
    assert request["api_key"] == "test-key" and len(request["images"]) == 1
    assert (
        request["model"] == "gemini-flash-lite-latest"
    )  # the first of GEMINI_TEXT_MODEL_NAME the key can use
    assert request["body"]["generationConfig"]["responseModalities"] == ["TEXT"]
    assert "t_shirts" in request["text"] and "dresses" in request["text"]


def test_confident_text_wins_over_the_image(client, gemini):
    data = ok(
        client.post(
            "/api/garments/categorize",
            json={"image": png_base64(), "title": "Wool coat", "product_type": "Coats"},
        )
    )
    assert data["category"] == "coat" and data["source"] == "text"
    assert data["image_analysis"]["category"] == "dress"


def test_gemini_failures_are_the_image_models_typed_errors(client, gemini):
    gemini.set_behaviour("server_error")
    body = error(
        client.post("/api/garments/categorize", json={"image": png_base64()}), 502, "UPSTREAM_UNAVAILABLE"
    )
    assert "500" not in body["message"]
    assert len(gemini.requests) == 2  # retried as every Gemini call is (GEMINI_MAX_ATTEMPTS)
    gemini.set_behaviour("rate_limit", times=10)
    response = client.post("/api/garments/categorize", json={"image": png_base64()})
    error(response, 429, "RATE_LIMITED")
    assert response.headers["Retry-After"] == "7"


def test_a_text_model_renamed_under_us_is_replaced_at_once(client, gemini):
    gemini.set_models(["gemini-2.5-flash-lite", "gemini-3.1-flash-image"])
    data = ok(client.post("/api/garments/categorize", json={"image": png_base64()}))
    assert data["category"] == "dress"
    assert [request["model"] for request in gemini.requests] == [
        "gemini-flash-lite-latest",
        "gemini-2.5-flash-lite",
    ]


def test_without_a_usable_text_model_image_categorisation_is_unavailable(client, gemini):
    gemini.set_models(["gemini-3.1-flash-image"])
    response = client.post("/api/garments/categorize", json={"image": png_base64()})
    error(response, 503, "AI_UNAVAILABLE")
    assert int(response.headers["Retry-After"]) >= 1


def test_categorize_request_with_nothing_to_read_is_no_category():
    """The request schema asks for a text or an image; a caller that sends neither gets no category, not a crash."""
    texts = {"title": None, "description": None, "product_type": None, "breadcrumbs": None}
    answer = service.categorize_request(classifier=None, texts=texts)
    assert answer["category"] is None and answer["source"] == "none" and "image_analysis" not in answer
