"""Running one claimed try-on job: fetch garments, prepare images, (build a body,) generate, save.

Plain functions over explicit dependencies, so the same code runs in an in-process worker thread
or in a separate worker process (RQ). Whatever happens, the job row ends done or failed.

A job has JOB_TIMEOUT_SECONDS from its claim. That deadline is handed to every step that can block
(the page fetch, the page's extraction, the image download, the model call), so each gives up by
then, and the worker itself fails the job with TIMEOUT and is free for the next one.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, cast

import numpy as np

from config import Settings
from features.avatars import service as avatars_service
from features.garments import service as garments_service
from features.garments.image_categorizer import GarmentImageClassifier
from features.tryon import model
from features.tryon.model import Job
from features.webhooks import service as webhooks_service
from shared import clock
from shared.ai_models import GARMENT_TYPES, BodyBuilder, GarmentInput, ImageModelError, ImageModels
from shared.ai_models.full_body import shows_hips
from shared.ai_models.usage import UsageMeter
from shared.database import Database
from shared.errors import ApiError, UnprocessableError
from shared.image_processing import preprocess_image
from shared.logger import get_logger
from shared.storage import Storage

log = get_logger("tryon.pipeline")

MODEL_INPUT_DIMENSION = 1536
_WARM_UP_SIZE = 64  # a blank photo: enough for every model to load and run once
DEFAULT_GARMENT_TYPE = "top"  # a photo that shows no garment outline (the model then says what is wrong)
STAGE_PROGRESS = {
    "fetching_garment": 15,
    "preparing_images": 40,
    "building_body": 50,
    "generating": 60,
    "saving": 90,
}


@dataclass(frozen=True)
class PipelineDeps:
    db: Database
    settings: Settings
    storage: Storage
    image_models: ImageModels
    # types a garment photo with Gemini (only with GEMINI_API_KEY)
    garment_classifier: GarmentImageClassifier | None = None


class JobAbandoned(Exception):
    """The job stopped being ours (timed out or deleted) while we worked on it."""


class DeadlinePassed(Exception):
    """The job's time ran out between two steps."""


def run_job(deps: PipelineDeps, job: Job) -> None:
    """Process a job this worker has claimed; records the outcome (and what the AI calls used) on the row."""
    attempt = job["attempts"]
    provider = deps.image_models.tryon.name
    timeout_seconds = deps.settings.JOB_TIMEOUT_SECONDS
    deadline = job_deadline(job, timeout_seconds)
    meter = UsageMeter(deps.image_models.gemini.prices if deps.image_models.gemini else None)

    def record_usage() -> None:
        model.record_usage(deps.db, job["job_id"], provider=provider, usage=meter.as_dict())

    def enter(stage: str, garments: list[dict[str, str | None]] | None = None) -> None:
        if time.monotonic() >= deadline:
            raise DeadlinePassed()
        if not model.set_stage(deps.db, job["job_id"], attempt, stage, STAGE_PROGRESS[stage], garments):
            raise JobAbandoned()

    def fail(code: str, message: str, details: Mapping[str, Any] | None = None) -> None:
        """End the job failed with this error (nothing happens if the job is no longer this worker's)."""
        _end(
            deps,
            job,
            partial(
                model.mark_failed,
                deps.db,
                job["job_id"],
                attempt,
                code=code,
                message=message,
                provider=provider,
                details=details,
            ),
        )

    try:
        enter("fetching_garment")
        garments = [_resolve_garment(deps, garment, deadline, meter) for garment in job["inputs"]["garments"]]
        enter("preparing_images", [_described(garment) for garment in garments])
        person = _full_length(
            deps,
            job,
            deps.storage.read_image(job["inputs"]["person"]["path"]),
            enter,
            deadline,
            meter,
        )
        enter("generating")
        result = deps.image_models.tryon.try_on(
            person,
            garments,
            job["options"],
            timeout_seconds=deadline - time.monotonic(),
            meter=meter,
            owner=job["user_id"],
        )
        record_usage()
        enter("saving")
        path = deps.storage.upload_image(result, f"tryon-results/{job['user_id']}/{job['job_id']}.png")
        if not _end(
            deps,
            job,
            partial(
                model.mark_done, deps.db, job["job_id"], attempt, result_image_path=path, provider=provider
            ),
        ):
            deps.storage.delete_image(path)
    except JobAbandoned:
        record_usage()
        log.warning("job abandoned", extra={"job_id": job["job_id"]})
    except (DeadlinePassed, ApiError) as error:
        record_usage()
        if isinstance(error, DeadlinePassed) or time.monotonic() >= deadline:  # the job ran out of time
            _end(
                deps,
                job,
                partial(
                    model.mark_timed_out, deps.db, job["job_id"], attempt, timeout_seconds, provider=provider
                ),
            )
        else:
            fail(error.code, error.message, error.details)
    except Exception:
        log.exception("try-on job crashed", extra={"job_id": job["job_id"]})
        record_usage()
        fail(
            "INTERNAL_ERROR", "Something went wrong on our side while creating this try-on; please try again"
        )


def load_models(deps: PipelineDeps) -> None:
    """Load what a fresh worker's first job would otherwise load on its own time, which counts against its
    deadline from the claim: mediapipe with its pose, face and person segmentation models (every job checks the
    person photo's hips, framed by the segmentation's outline of the person: person_photo.py). A worker calls it
    before it claims its first job; a model that fails to load here is logged, and the jobs say what is wrong."""
    started = time.monotonic()
    try:
        _load_mediapipe()
    except Exception:
        log.exception("could not load the try-on models before the first job")
        return
    log.info("try-on models loaded", extra={"seconds": round(time.monotonic() - started, 3)})


@cache
def _load_mediapipe() -> None:
    """Once per process: mediapipe keeps its models for the life of the process (shared/ai_models/body.py)."""
    from shared.ai_models.body import Body  # mediapipe: a second to import

    body = Body(np.zeros((_WARM_UP_SIZE, _WARM_UP_SIZE, 3), np.uint8))
    _ = body.segmentation  # worked out on first read: loads the segmentation model


def _end(deps: PipelineDeps, job: Job, record: Callable[[], bool]) -> bool:
    """Record the job's end (record() is False when the job is no longer this worker's) and, in the same
    transaction, make its callback due (when it was accepted with one): a crash loses neither."""
    with deps.db.transaction():
        ended = record()
        if ended and model.may_have_callback(job):
            webhooks_service.jobs_ended(db=deps.db, job_ids=[job["job_id"]])
    return ended


def job_deadline(job: Job, timeout_seconds: float) -> float:
    """The time.monotonic() value by which the job must end: JOB_TIMEOUT_SECONDS after its claim."""
    started = clock.parse(job["started_at"])
    assert started is not None  # a claimed job has its start time
    elapsed = (clock.now() - started).total_seconds()
    return time.monotonic() + timeout_seconds - max(0.0, elapsed)


def _full_length(
    deps: PipelineDeps,
    job: Job,
    person: bytes,
    enter: Callable[[str], None],
    deadline: float,
    meter: UsageMeter,
) -> bytes:
    """The photo to dress. One that does not show the hips (a head-and-shoulders selfie) is replaced by the
    user's body avatar on a model that can build one. A model that cannot frames the photo itself and refuses it
    when a garment needs the hips (NEEDS_FULL_BODY_PHOTO): the local model reads the pose once per job, not once
    here and again in try_on."""
    tryon_model = deps.image_models.tryon
    if not tryon_model.can_build_bodies or shows_hips(person):
        return person
    enter("building_body")
    return avatars_service.body_avatar(
        db=deps.db,
        storage=deps.storage,
        model=cast(BodyBuilder, tryon_model),  # can_build_bodies: it has build_body
        user_id=job["user_id"],
        photo=person,
        meter=meter,
        timeout_seconds=deadline - time.monotonic(),
    )


def _resolve_garment(
    deps: PipelineDeps, garment: Mapping[str, Any], deadline: float, meter: UsageMeter
) -> GarmentInput:
    """A GarmentInput from a stored upload or a product URL (page extracted, chosen image downloaded); its type
    from the client, else the page, else Gemini's reading of the photo, else the photo's silhouette.

    `garment` is the job's stored input (JSON): url, html_path, garment_index, image_path, type, details."""
    details: dict[str, Any] = {}
    page_type: str | None = None
    if garment.get("url"):
        html = (
            deps.storage.read_image(garment["html_path"]).decode("utf-8")
            if garment.get("html_path")
            else None
        )
        product = garments_service.get_product(
            db=deps.db, settings=deps.settings, url=garment["url"], html=html, deadline=deadline
        )
        # Shops serve renditions of any size: the pixels decoded are held to what an upload may have (a JPEG
        # decodes at a reduced scale first), so a 291 KB PNG of 10000×10000 pixels is refused, not decoded.
        image = preprocess_image(
            _download_product_image(deps, product, garment.get("garment_index", 0), deadline),
            max_dimension=MODEL_INPUT_DIMENSION,
            max_bytes=deps.settings.SCRAPER_MAX_IMAGE_BYTES,
            max_input_dimension=deps.settings.MAX_IMAGE_DIMENSION,
            reduce_first=True,
        )
        details = product_details(product)
        page_type = product.get("garment_type") or _type_from_details(details)
    else:
        image = deps.storage.read_image(garment["image_path"])
    client_details = {k: v for k, v in (garment.get("details") or {}).items() if v not in (None, "")}
    details.update(client_details)
    garment_type, source = _known_type(garment.get("type") or _type_from_details(client_details), page_type)
    if garment_type is None and (read_by_ai := _type_from_photo(deps, image, deadline, meter)):
        garment_type, source = read_by_ai, "ai"
    photo_type: str | None = None
    if garment_type is None or deps.image_models.tryon.name == "local":
        # The local model reads the photo anyway (the reading is cached); Gemini only needs it for the type.
        # Imported here: mediapipe takes a second to load and a Gemini deployment may never need it.
        from shared.ai_models.garment_photo import read_garment_photo

        photo = read_garment_photo(image)
        photo_type = photo.photo_type
        if garment_type is None:
            garment_type, source = photo.detected_type or DEFAULT_GARMENT_TYPE, "silhouette"
    return GarmentInput(
        image=image, garment_type=garment_type, details=details, photo_type=photo_type, type_source=source
    )


def _type_from_photo(deps: PipelineDeps, image: bytes, deadline: float, meter: UsageMeter) -> str | None:
    """The type Gemini reads from the garment photo (one cheap call), or None without a key, without an answer
    or when the model cannot be asked (the silhouette decides then)."""
    if deps.garment_classifier is None:
        return None
    try:
        found = garments_service.categorize_image(
            classifier=deps.garment_classifier,
            image=image,
            meter=meter,
            timeout_seconds=deadline - time.monotonic(),
        )
    except ImageModelError as error:
        log.warning(
            "garment photo not typed by Gemini",
            extra={"code": error.code, "upstream": error.details.get("upstream")},
        )
        return None
    garment_type: str | None = found["garment_type"]
    return garment_type if garment_type in GARMENT_TYPES else None


def _known_type(client_type: str | None, page_type: str | None) -> tuple[str | None, str | None]:
    """(type, source) from what the client or the product page says, in that order; (None, None) otherwise."""
    for garment_type, source in ((client_type, "client"), (page_type, "page")):
        if garment_type in GARMENT_TYPES:
            return garment_type, source
    return None, None


def _described(garment: GarmentInput) -> dict[str, str | None]:
    """What the job shows of a garment it resolved: its type, where the type came from, how it was photographed."""
    return {
        "type": garment.garment_type,
        "type_source": garment.type_source,
        "photo_type": garment.photo_type,
    }


def _download_product_image(
    deps: PipelineDeps, product: Mapping[str, Any], index: int, deadline: float
) -> bytes:
    images = product.get("images") or []
    if not images:
        raise UnprocessableError(
            "The product page has no garment photo we could use; upload the garment image instead",
            code="NO_GARMENT_IMAGE",
        )
    if index >= len(images):
        raise UnprocessableError(
            f"garment_index {index} is out of range: the product has {len(images)} images",
            code="GARMENT_INDEX_OUT_OF_RANGE",
            details={"images": len(images)},
        )
    return garments_service.fetch_image(settings=deps.settings, url=images[index], deadline=deadline)


def product_details(product: Mapping[str, Any]) -> dict[str, str]:
    """The garment details the model prompt uses, from an extracted product."""
    fabric = product.get("fabric") or []
    material = ", ".join(
        f"{f['percentage']:g}% {f['name']}" if f.get("percentage") else f["name"]
        for f in fabric
        if isinstance(f, dict) and f.get("name")
    )
    colors = product.get("colors") or []
    details = {
        "brand": product.get("brand"),
        "category": product.get("category"),
        "title": product.get("title"),
        "color": colors[0] if colors else None,
        "material": material or None,
        "description": (product.get("description") or "")[:500] or None,
    }
    return {k: v for k, v in details.items() if v}


def _type_from_details(details: Mapping[str, Any]) -> str | None:
    text = " ".join(str(details.get(k) or "") for k in ("category", "title", "description")).strip()
    if not text:
        return None
    garment_type: str | None = garments_service.categorize(
        title=details.get("title"),
        description=details.get("description"),
        product_type=details.get("category"),
    ).get("garment_type")
    return garment_type
