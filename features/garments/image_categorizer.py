"""A garment's kind from a photo, asked of a cheap Gemini text model (only when GEMINI_API_KEY is configured).

It runs on the process's one GeminiClient (shared/ai_models/gemini_client.py), so it has the image
model's retries, typed errors (RATE_LIMITED, UPSTREAM_UNAVAILABLE, TIMEOUT, AI_UNAVAILABLE, ...) and
model discovery: the first model of GEMINI_TEXT_MODEL_NAME this key can use.
"""

from features.garments.categorizer import UNKNOWN_CATEGORY
from shared.ai_models.errors import ImageModelError
from shared.ai_models.gemini_client import ModelChoice, answer_text
from shared.ai_models.gemini_types import GenerateContentConfig, Part
from shared.garment_catalog import PLATFORM_CATEGORY, product_category_fields
from shared.image_processing import probe_image
from shared.text_patterns import compile_pattern

PROMPT = (
    "You are cataloguing a fashion shop. Which kind of garment or accessory is the main item in this photo? "
    "Answer with exactly one of these words and nothing else: " + ", ".join(PLATFORM_CATEGORY) + ", none."
)
IMAGE_CONFIDENCE = 0.7
_CATEGORY_WORDS = {name: compile_pattern(rf"\b{name}\b") for name in PLATFORM_CATEGORY}


class GarmentImageClassifier:
    def __init__(self, *, client, model_names, refresh_seconds=900.0):
        self._client = client
        self._models = ModelChoice(client, model_names, draws_images=False, refresh_seconds=refresh_seconds)
        self._models.check()

    @classmethod
    def from_settings(cls, settings, client):
        """The classifier on `client` (the ImageModels' GeminiClient), or None without a key."""
        if client is None:
            return None
        return cls(
            client=client,
            model_names=settings.GEMINI_TEXT_MODEL_NAME.split(","),
            refresh_seconds=settings.GEMINI_MODEL_REFRESH_SECONDS,
        )

    def categorize(self, image, meter=None, timeout_seconds=None):
        """{"category", "wardrobe_category", "category_section", "garment_type", "confidence", "matched",
        "model_answer"}; an answer without words is no category; ImageModelError when the model cannot be asked."""
        mime_type = probe_image(image)["mime"]
        response = self._client.generate(
            models=self._models,
            contents=[PROMPT, Part.from_bytes(data=image, mime_type=mime_type)],
            config=GenerateContentConfig(response_modalities=["TEXT"]),
            meter=meter,
            timeout_seconds=timeout_seconds,
        )
        try:
            answer = answer_text(response)
        except ImageModelError as error:
            if error.code not in ("CONTENT_BLOCKED", "NO_IMAGE_RETURNED"):
                raise
            answer = ""
        named = next(
            (name for name in PLATFORM_CATEGORY if _CATEGORY_WORDS[name].search(answer.lower())), None
        )
        if named is None:
            return {**UNKNOWN_CATEGORY, "model_answer": answer[:200]}
        kind = PLATFORM_CATEGORY[named].kind
        return {
            **product_category_fields(kind),
            "confidence": IMAGE_CONFIDENCE,
            "matched": [{"source": "image", "keyword": named, "category": kind}],
            "model_answer": answer[:200],
        }
