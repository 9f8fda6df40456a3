"""Garment category from a photo, asked of Gemini (used only when GEMINI_API_KEY is configured).

One client per app (created by the controller's init_app, closed at shutdown), as google-genai expects.
"""

import httpx2
from google import genai
from google.genai import errors, types

from shared.errors import UpstreamError
from shared.garment_utils import CATEGORY_SECTIONS, UNKNOWN_CATEGORY, category_fields
from shared.image_processing import probe_image
from shared.text_patterns import compile_pattern

PROMPT = ("You are cataloguing a fashion shop. Which kind of garment or accessory is the main item in this photo? "
          "Answer with exactly one of these words and nothing else: "
          + ", ".join(CATEGORY_SECTIONS) + ", none.")
IMAGE_CONFIDENCE = 0.7
_SECTION_WORDS = {name: compile_pattern(rf"\b{name}\b") for name in CATEGORY_SECTIONS}


class GarmentImageClassifier:
    def __init__(self, *, api_key, model_name, base_url=None, timeout_seconds=60.0):
        self.model_name = model_name
        self._client = genai.Client(api_key=api_key, http_options=types.HttpOptions(
            base_url=base_url or None, timeout=int(timeout_seconds * 1000)))

    @classmethod
    def from_settings(cls, settings):
        return cls(api_key=settings.GEMINI_API_KEY, model_name=settings.GEMINI_MODEL_NAME,
                   base_url=settings.GEMINI_BASE_URL, timeout_seconds=settings.GEMINI_TIMEOUT_SECONDS)

    def categorize(self, image):
        """{"category", "wardrobe_category", "category_section", "garment_type", "confidence", "matched",
        "model_answer"}."""
        mime_type = probe_image(image)["mime"]
        try:
            response = self._client.models.generate_content(
                model=self.model_name, contents=[PROMPT, types.Part.from_bytes(data=image, mime_type=mime_type)],
                config=types.GenerateContentConfig(response_modalities=["TEXT"]))
        except errors.APIError as exc:
            raise UpstreamError("The AI provider could not categorise the image", code="IMAGE_CATEGORIZATION_FAILED",
                                details={"status": exc.code}) from exc
        except (httpx2.HTTPError, ValueError) as exc:  # the SDK's transport failed, or the body is not an answer
            raise UpstreamError("The AI provider could not be reached", code="IMAGE_CATEGORIZATION_FAILED",
                                details={"reason": type(exc).__name__}) from exc
        answer = (response.text or "").strip() if response.candidates else ""
        category = next((name for name in CATEGORY_SECTIONS if _SECTION_WORDS[name].search(answer.lower())), None)
        if category is None:
            return {**UNKNOWN_CATEGORY, "model_answer": answer[:200]}
        fields = category_fields(category)
        return {**fields, "confidence": IMAGE_CONFIDENCE,
                "matched": [{"source": "image", "keyword": category, "category": fields["category"]}],
                "model_answer": answer[:200]}

    def close(self):
        self._client.close()
