"""The AI image models behind one interface: background removal and virtual try-on.

Two implementations: `local` (mediapipe, offline, the embedded default) and `gemini` (google-genai).
AI_PROVIDER picks the try-on model (auto = gemini when GEMINI_API_KEY is set, else local) and
BACKGROUND_REMOVAL_PROVIDER the background remover. Both are safe to call from many threads.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NotRequired, Protocol, TypedDict

from flask import current_app

from config import ConfigurationError, Settings
from shared.ai_models.errors import CODES, ImageModelError
from shared.ai_models.usage import UsageMeter
from shared.garment_catalog import GARMENT_TYPES

if TYPE_CHECKING:
    from shared.ai_models.gemini_client import GeminiClient
    from shared.ai_models.gemini_files import UploadedPhotos
    from shared.database import Database

# Where a garment's type came from, in order of precedence: what the client said, what the product
# page says, the Gemini image categoriser, the garment's outline in its photo.
TYPE_SOURCES = ("client", "page", "ai", "silhouette")
# Garments are put on in this order: later layers cover earlier ones.
DRESSING_ORDER = ("shoes", "bottom", "one_piece", "top", "outerwear", "accessory")
# options["aspect_ratio"] values Gemini accepts; the local model keeps the person photo's own framing.
ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
PROVIDERS = ("local", "gemini")

__all__ = [
    "ASPECT_RATIOS",
    "CODES",
    "DRESSING_ORDER",
    "GARMENT_TYPES",
    "TYPE_SOURCES",
    "Availability",
    "GarmentInput",
    "ImageModel",
    "ImageModelError",
    "ImageModels",
    "ModelStatus",
    "create_image_models",
    "get_image_models",
]


@dataclass
class GarmentInput:
    """One garment to put on: its product photo, its type and what the shop says about it."""

    image: bytes
    garment_type: str  # one of GARMENT_TYPES
    details: dict[str, Any] = field(
        default_factory=dict
    )  # brand, category, color, style, material, title ...
    photo_type: str | None = None  # "flat-lay" or "on-model" when known (garment_photo.PHOTO_TYPES)
    type_source: str | None = None  # one of TYPE_SOURCES when known

    def __post_init__(self) -> None:
        if self.garment_type not in GARMENT_TYPES:
            raise ValueError(f"garment_type must be one of {GARMENT_TYPES}, not {self.garment_type!r}")


class ModelStatus(TypedDict):
    """Can the model generate right now; retry_after (seconds) only while it cannot."""

    model: str | None
    status: str  # ok | unavailable
    reason: str | None
    retry_after: NotRequired[int]


class Availability(ModelStatus):
    """A provider's ModelStatus, named."""

    provider: str


class ImageModel(Protocol):
    name: str
    # can make a full-length photo from a head-and-shoulders one (build_body); a model that cannot refuses such a
    # photo itself (NEEDS_FULL_BODY_PHOTO) when a garment needs the hips
    can_build_bodies: bool
    billed: bool  # each generation costs money (TRYON_DAILY_LIMIT guards those)

    def availability(self) -> Availability:
        """{"provider", "model", "status" (ok | unavailable), "reason"}."""

    def remove_background(
        self, image: bytes, meter: UsageMeter | None = None, *, owner: str | None = None
    ) -> bytes:
        """PNG with the person kept and the background transparent. owner: the user whose photo it is (None:
        an anonymous caller's, never kept by a provider beyond the call)."""

    def try_on(
        self,
        person: bytes,
        garments: Sequence[GarmentInput],
        options: Mapping[str, Any] | None,
        *,
        timeout_seconds: float | None = None,
        meter: UsageMeter | None = None,
        owner: str | None = None,
    ) -> bytes:
        """PNG of the person wearing the garments; options may hold aspect_ratio; a model that waits on a service
        gives up after timeout_seconds (the job's time left). A UsageMeter, when given, is told the model and
        tokens of every call made. owner: the user whose try-on it is (whose photos a provider may keep)."""

    def close(self) -> None:
        """Release what the model holds."""


class BodyBuilder(Protocol):
    """A model that can_build_bodies: a full-length photo from a head-and-shoulders one."""

    def build_body(
        self,
        person: bytes,
        *,
        gender: str | None = None,
        measurements: Mapping[str, float] | None = None,
        timeout_seconds: float | None = None,
        meter: UsageMeter | None = None,
        owner: str | None = None,
    ) -> bytes: ...


@dataclass
class ImageModels:
    tryon: ImageModel
    background: ImageModel
    # The process's GeminiClient when GEMINI_API_KEY is set, shared by every Gemini caller.
    gemini: "GeminiClient | None" = None
    # The photos uploaded to the Gemini Files API (with a key, a database and GEMINI_UPLOAD_ON_USE > 0): the
    # features that delete a user's photos have them deleted at Google too.
    photos: "UploadedPhotos | None" = None

    def close(self) -> None:
        for model in {self.tryon, self.background}:
            model.close()


def create_image_models(settings: Settings, db: "Database | None" = None) -> ImageModels:
    """The models chosen by AI_PROVIDER and BACKGROUND_REMOVAL_PROVIDER (one instance per provider); with a
    database, Gemini names the photos it sees again by uri (the record of uploads lives there)."""
    tryon_provider = settings.AI_PROVIDER
    if tryon_provider == "auto":
        tryon_provider = "gemini" if settings.GEMINI_API_KEY else "local"
    for name, value in (
        ("AI_PROVIDER", tryon_provider),
        ("BACKGROUND_REMOVAL_PROVIDER", settings.BACKGROUND_REMOVAL_PROVIDER),
    ):
        if value not in PROVIDERS:
            raise ConfigurationError(f"{name}={value!r} is not one of auto, {', '.join(PROVIDERS)}")
        if value == "gemini" and not settings.GEMINI_API_KEY:
            raise ConfigurationError(f"{name}=gemini needs GEMINI_API_KEY")
    gemini = _gemini_client(settings) if settings.GEMINI_API_KEY else None
    photos = (
        _uploaded_photos(gemini, db, settings.GEMINI_UPLOAD_ON_USE)
        if gemini and db and settings.GEMINI_UPLOAD_ON_USE > 0
        else None
    )
    instances: dict[str, ImageModel] = {}

    def model(provider: str) -> ImageModel:
        if provider not in instances:
            instances[provider] = _build(provider, settings, gemini, photos)
        return instances[provider]

    return ImageModels(
        tryon=model(tryon_provider),
        background=model(settings.BACKGROUND_REMOVAL_PROVIDER),
        gemini=gemini,
        photos=photos,
    )


def _gemini_client(settings: Settings) -> "GeminiClient":
    from shared.ai_models.gemini_client import process_client

    return process_client(settings)


def _uploaded_photos(gemini: "GeminiClient", db: "Database", upload_on_use: int) -> "UploadedPhotos":
    from shared.ai_models.gemini_files import UploadedPhotos

    return UploadedPhotos(
        gemini.files, db=db, key_fingerprint=gemini.key_fingerprint, upload_on_use=upload_on_use
    )


def _build(
    provider: str, settings: Settings, gemini: "GeminiClient | None", photos: "UploadedPhotos | None"
) -> ImageModel:
    # Imported here so a deployment loads only the SDK it uses (mediapipe alone takes a second to import).
    if provider == "gemini":
        from shared.ai_models.gemini_model import GeminiImageModel

        assert gemini is not None  # create_image_models refuses gemini without GEMINI_API_KEY

        return GeminiImageModel.from_settings(settings, gemini, photos)
    from shared.ai_models.local_model import LocalImageModel

    return LocalImageModel()


def get_image_models() -> ImageModels:
    """The app's models (controllers only)."""
    models: ImageModels = current_app.extensions["image_models"]
    return models
