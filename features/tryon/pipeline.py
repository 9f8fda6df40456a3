"""Running one claimed try-on job: fetch garments, prepare images, (build a body,) generate, save.

Plain functions over explicit dependencies, so the same code runs in an in-process worker thread
or in a separate worker process (RQ). Whatever happens, the job row ends done or failed.
"""
from dataclasses import dataclass

from features.avatars import service as avatars_service
from features.garments import service as garments_service
from features.tryon import model
from shared.ai_models import GarmentInput, ImageModelError
from shared.ai_models.full_body import NEEDS_HIPS, shows_hips
from shared.ai_models.usage import UsageMeter
from shared.errors import ApiError, UnprocessableError
from shared.image_processing import preprocess_image
from shared.logger import get_logger

log = get_logger("tryon.pipeline")

MODEL_INPUT_DIMENSION = 1536
PRODUCT_IMAGE_MAX_INPUT_DIMENSION = 10000
STAGE_PROGRESS = {"fetching_garment": 15, "preparing_images": 40, "building_body": 50, "generating": 60,
                  "saving": 90}


@dataclass(frozen=True)
class PipelineDeps:
    db: object
    settings: object
    storage: object
    image_models: object


class JobAbandoned(Exception):
    """The job stopped being ours (timed out or deleted) while we worked on it."""


def run_job(deps, job):
    """Process a job this worker has claimed; records the outcome (and what the AI calls used) on the row."""
    attempt = job["attempts"]
    provider = deps.image_models.tryon.name
    meter = UsageMeter(deps.image_models.gemini.prices if deps.image_models.gemini else None)

    def record_usage():
        model.record_usage(deps.db, job["job_id"], provider=provider, usage=meter.as_dict())

    def enter(stage):
        if not model.set_stage(deps.db, job["job_id"], attempt, stage, STAGE_PROGRESS[stage]):
            raise JobAbandoned()

    try:
        enter("fetching_garment")
        garments = [_resolve_garment(deps, garment, job["options"]) for garment in job["inputs"]["garments"]]
        enter("preparing_images")
        person = _full_length(deps, job, deps.storage.read_image(job["inputs"]["person"]["path"]), garments,
                              enter, meter)
        enter("generating")
        result = deps.image_models.tryon.try_on(person, garments, job["options"], meter=meter)
        record_usage()
        enter("saving")
        path = deps.storage.upload_image(result, f"tryon-results/{job['user_id']}/{job['job_id']}.png")
        if not model.mark_done(deps.db, job["job_id"], attempt, result_image_path=path, provider=provider):
            deps.storage.delete_image(path)
    except JobAbandoned:
        record_usage()
        log.warning("job abandoned", extra={"job_id": job["job_id"]})
    except ApiError as error:
        record_usage()
        model.mark_failed(deps.db, job["job_id"], attempt, code=error.code, message=error.message, provider=provider,
                          details=error.details)
    except Exception:
        log.exception("try-on job crashed", extra={"job_id": job["job_id"]})
        record_usage()
        model.mark_failed(deps.db, job["job_id"], attempt, code="INTERNAL_ERROR", provider=provider,
                          message="Something went wrong on our side while creating this try-on; please try again")


def _full_length(deps, job, person, garments, enter, meter):
    """The photo to dress. One that does not show the hips (a head-and-shoulders selfie) is replaced by the
    user's body avatar on a model that can build one; on another it fails when a garment needs the hips."""
    if shows_hips(person):
        return person
    tryon_model = deps.image_models.tryon
    if tryon_model.can_build_bodies:
        enter("building_body")
        return avatars_service.body_avatar(db=deps.db, storage=deps.storage, model=tryon_model,
                                           user_id=job["user_id"], photo=person, meter=meter)
    needing = [index for index, garment in enumerate(garments) if garment.garment_type in NEEDS_HIPS]
    if needing:
        kind = garments[needing[0]].garment_type.replace("_", "-")
        raise ImageModelError("NEEDS_FULL_BODY_PHOTO", f"Your photo shows your head and shoulders only, so the {kind} "
                              "cannot be tried on. Use a full-length photo of yourself standing, from head to feet, "
                              "facing the camera", details={"garment_index": needing[0], "missing": "hips"})
    return person


def _resolve_garment(deps, garment, options):
    """A GarmentInput from a stored upload or a product URL (page extracted, chosen image downloaded)."""
    details = {}
    if garment.get("url"):
        html = deps.storage.read_image(garment["html_path"]).decode("utf-8") if garment.get("html_path") else None
        product = garments_service.get_product(db=deps.db, settings=deps.settings, url=garment["url"], html=html)
        # Shops serve large renditions; fetch_image already capped the bytes, so only downscale here.
        image = preprocess_image(_download_product_image(deps, product, garment.get("garment_index", 0)),
                                 max_dimension=MODEL_INPUT_DIMENSION, max_bytes=deps.settings.SCRAPER_MAX_IMAGE_BYTES,
                                 max_input_dimension=PRODUCT_IMAGE_MAX_INPUT_DIMENSION)
        details = product_details(product)
        detected_type = product.get("garment_type")
    else:
        image = deps.storage.read_image(garment["image_path"])
        detected_type = None
    details.update({k: v for k, v in (garment.get("details") or {}).items() if v not in (None, "")})
    garment_type = garment.get("type") or detected_type or _type_from_details(details) or "top"
    return GarmentInput(image=image, garment_type=garment_type, details=details)


def _download_product_image(deps, product, index):
    images = product.get("images") or []
    if not images:
        raise UnprocessableError("The product page has no garment photo we could use; upload the garment image "
                                 "instead", code="NO_GARMENT_IMAGE")
    if index >= len(images):
        raise UnprocessableError(f"garment_index {index} is out of range: the product has {len(images)} images",
                                 code="GARMENT_INDEX_OUT_OF_RANGE", details={"images": len(images)})
    return garments_service.fetch_image(settings=deps.settings, url=images[index])


def product_details(product):
    """The garment details the model prompt uses, from an extracted product."""
    fabric = product.get("fabric") or []
    material = ", ".join(f"{f['percentage']:g}% {f['name']}" if f.get("percentage") else f["name"]
                         for f in fabric if isinstance(f, dict) and f.get("name"))
    colors = product.get("colors") or []
    details = {"brand": product.get("brand"), "category": product.get("category"), "title": product.get("title"),
               "color": colors[0] if colors else None, "material": material or None,
               "description": (product.get("description") or "")[:500] or None}
    return {k: v for k, v in details.items() if v}


def _type_from_details(details):
    text = " ".join(str(details.get(k) or "") for k in ("category", "title", "description")).strip()
    if not text:
        return None
    return garments_service.categorize(title=details.get("title"), description=details.get("description"),
                                       product_type=details.get("category")).get("garment_type")
