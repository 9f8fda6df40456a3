"""Try-on request and answer shapes. A try-on arrives as a multipart form (photos) or as JSON (URLs only);
the controller reads both itself (files, URLs), so these describe them; the options are parsed by
TryOnOptions."""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, WithJsonSchema

from features.garments.schemas import GARMENT_TYPE, OptionalGarmentType
from features.tryon import model
from features.tryon.pipeline import STAGE_PROGRESS
from features.tryon.service import MAX_GARMENTS
from features.webhooks.schemas import CALLBACK_URL_FIELD, JobCallback
from shared.ai_models import ASPECT_RATIOS, GARMENT_TYPES, TYPE_SOURCES
from shared.ai_models.garment_photo import PHOTO_TYPES
from shared.errors import ValidationError
from shared.schemas import (
    IMAGE_FILE,
    PageQuery,
    RawJson,
    RequestSchema,
    ResponseSchema,
    Shape,
    Timestamp,
    checked,
    document_component,
    one_of,
    unchecked,
)
from shared.validators import field_list, validate_integer, validate_text

JOB_STATUSES = (model.QUEUED, model.PROCESSING, model.DONE, model.FAILED)
JOB_STATUS = document_component("JobStatus", {"enum": list(JOB_STATUSES)})
JOB_STAGES = ("queued", "starting", *STAGE_PROGRESS, "done")
IMAGE_PART = {"contentType": "image/png, image/jpeg, image/webp, image/heic, image/heif"}
MAX_DETAIL_LENGTH = 500
MAX_GARMENT_INDEX = 50
_GARMENT_INDEX = {"type": "integer", "minimum": 0, "maximum": MAX_GARMENT_INDEX}


class JobAccepted(ResponseSchema):
    job_id: str
    status: Literal["queued"]
    estimated_time: int = Field(ge=1, description="Seconds until the result is likely ready.")


JOB_EVENT_DATA = document_component(
    "JobEventData",
    {
        "type": "object",
        "description": "The `data` of a job event: the job's state as GET /api/job/<id> names it.",
        "required": ["job_id", "status", "stage", "progress"],
        "additionalProperties": False,
        "properties": {
            "job_id": {"type": "string"},
            "status": JOB_STATUS,
            "stage": {"enum": list(JOB_STAGES)},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "result_url": {
                "type": "string",
                "format": "uri",
                "description": "`done` only: the signed result.",
            },
            "error": {
                "type": "object",
                "description": "`failed` only: why, for the shopper.",
                "required": ["code", "message"],
                "additionalProperties": False,
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
)


class JobEvent(ResponseSchema):
    """One event of a job's stream as an SSE parser reads it (before OpenAPI 3.2, the schema of an event stream
    describes each of its events); comments and the `retry:` hint carry no data and are not events."""

    event: Literal["stage", "progress", "done", "failed"]
    id: str = Field(
        pattern=r"^[0-9]+-([0-9]+|end)$",
        description="The job's state: `<run>-<progress>`, `<run>-end` for the final event. Send it back as "
        "`Last-Event-ID` to resume after it.",
    )
    data: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "string",
                "description": "JSON (JobEventData).",
                "contentMediaType": "application/json",
                "contentSchema": JOB_EVENT_DATA,
            }
        ),
    ]


class JobResult(ResponseSchema):
    job_id: str
    result_url: str = Field(json_schema_extra={"format": "uri"})


class JobDeleted(ResponseSchema):
    job_id: str
    deleted: Literal[True]
    was_status: Annotated[str, one_of(JOB_STATUSES)]


class JobsQuery(PageQuery):
    status: Annotated[RawJson, unchecked(JOB_STATUS)] = None  # checked by service.list_jobs


class GarmentDetails(Shape):
    """What the image model is told about a garment (other keys are refused)."""

    model_config = ConfigDict(extra="forbid")

    brand: str | None = Field(None, max_length=MAX_DETAIL_LENGTH)
    category: str | None = Field(None, max_length=MAX_DETAIL_LENGTH)
    color: str | None = Field(None, max_length=MAX_DETAIL_LENGTH)
    style: str | None = Field(None, max_length=MAX_DETAIL_LENGTH)
    material: str | None = Field(None, max_length=MAX_DETAIL_LENGTH)
    title: str | None = Field(None, max_length=MAX_DETAIL_LENGTH)
    description: str | None = Field(None, max_length=MAX_DETAIL_LENGTH)


DETAIL_FIELDS = tuple(GarmentDetails.model_fields)


class GarmentOptions(Shape):
    type: Annotated[RawJson, unchecked(GARMENT_TYPE)] = None
    details: GarmentDetails | None = None
    garment_index: Annotated[RawJson, unchecked(_GARMENT_INDEX)] = None


def _garment_index(value: Any, name: str) -> int | None:
    return validate_integer(value, name, 0, MAX_GARMENT_INDEX)


def _aspect_ratio(value: Any, name: str) -> str:
    if value not in ASPECT_RATIOS:
        raise ValidationError(
            f"{name} must be one of {', '.join(ASPECT_RATIOS)}",
            details={"field": name, "allowed": list(ASPECT_RATIOS)},
        )
    return str(value)


def _details(details: Any, name: str) -> dict[str, str | None]:
    if not isinstance(details, dict):
        raise ValidationError(f"{name} must be an object", details={"field": name})
    unknown = sorted(set(details) - set(DETAIL_FIELDS))
    if unknown:
        raise ValidationError(
            f"{name} has unknown keys: {field_list(unknown)}",
            details={"field": name, "allowed": list(DETAIL_FIELDS)},
        )
    return {
        key: validate_text(value, f"{name}.{key}", max_length=MAX_DETAIL_LENGTH)
        for key, value in details.items()
    }


def _garments(value: Any, name: str) -> Any:
    """Each entry's type, details and image index. A value that is not a list is left to the service, whose
    refusal says how many entries the garments sent allow."""
    if not isinstance(value, list):
        return value
    garments = []
    for i, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise ValidationError(f"{name}[{i}] must be an object", details={"field": name})
        garment_type = entry.get("type")
        if garment_type is not None and garment_type not in GARMENT_TYPES:
            raise ValidationError(
                f"{name}[{i}].type must be one of {', '.join(GARMENT_TYPES)}",
                details={"field": f"{name}[{i}].type", "allowed": list(GARMENT_TYPES)},
            )
        garments.append(
            {
                "type": garment_type,
                "details": _details(entry.get("details", {}), f"{name}[{i}].details"),
                "garment_index": _garment_index(entry.get("garment_index"), f"{name}[{i}].garment_index"),
            }
        )
    return garments


def _option(check: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    """check(value, name) with the name as a client sees it, inside options."""
    return lambda value, name: check(value, f"options.{name}")


class TryOnOptions(RequestSchema):
    """Sent as a JSON object (`options`; JSON text in a multipart form). Other keys are ignored, as they always
    were."""

    model_config = ConfigDict(extra="ignore")

    garment_index: Annotated[
        int | None,
        checked(
            _option(_garment_index),
            {**_GARMENT_INDEX, "description": "Which of the product page's images to use."},
        ),
    ] = None
    aspect_ratio: Annotated[
        str | None,
        checked(_option(_aspect_ratio), {"enum": list(ASPECT_RATIOS), "description": "Gemini only."}),
    ] = None
    garment_details: Annotated[dict[str, str | None] | None, checked(_option(_details), GarmentDetails)] = (
        None
    )
    garments: Annotated[
        RawJson, checked(_option(_garments), Annotated[list[GarmentOptions], Field(max_length=MAX_GARMENTS)])
    ] = Field(None, description="The i-th entry applies to the i-th garment (at most one entry per garment).")


class TryOnForm(Shape):
    """Photos as files, product pages as URLs; at least one garment."""

    selfie: Annotated[RawJson, unchecked(IMAGE_FILE)] = None
    person_image: Annotated[RawJson, unchecked(IMAGE_FILE)] = None
    garment_image: Annotated[RawJson, unchecked(IMAGE_FILE)] = None
    garment_images: Annotated[
        RawJson,
        unchecked(
            {"type": "array", "items": IMAGE_FILE, "description": "Several garment photos (multi try-on)."}
        ),
    ] = None
    item_urls: str | None = Field(
        None,
        description='JSON array of product URLs, e.g. ["https://shop.example/p/1"].',
        examples=['["https://shop.example/products/linen-tee"]'],
    )
    item_urls_list: list[str] | None = Field(
        None, alias="item_urls[]", description="The product URLs as repeated fields."
    )
    garment_url: str | None = Field(None, description="One product URL (older clients).")
    html: str | None = Field(None, description="The first product page's HTML, read instead of fetching it.")
    options: str | None = Field(
        None, description="JSON object, see TryOnOptions.", examples=['{"garments": [{"type": "top"}]}']
    )
    callback_url: Annotated[RawJson, CALLBACK_URL_FIELD] = None


class TryOnJson(Shape):
    """A try-on from product URLs only (the person is the saved avatar)."""

    item_urls: list[Annotated[str, Field(json_schema_extra={"format": "uri"})]] | None = Field(
        None, max_length=MAX_GARMENTS
    )
    garment_url: str | None = Field(None, json_schema_extra={"format": "uri"})
    html: str | None = None
    options: TryOnOptions | None = None
    callback_url: Annotated[RawJson, CALLBACK_URL_FIELD] = None


class JobGarment(ResponseSchema):
    source: Literal["upload", "url"]
    url: str | None
    type: OptionalGarmentType
    type_source: Annotated[str | None, one_of([*TYPE_SOURCES, None])]
    photo_type: Annotated[str | None, one_of([*PHOTO_TYPES, None])]


class JobTimings(ResponseSchema):
    queue_seconds: float | None
    processing_seconds: float | None
    total_seconds: float | None


class JobUsage(ResponseSchema):
    model: str | None = Field(description="The Gemini image model that ran the job.")
    calls: int = Field(description="Model calls (a body, the try-on, a retry after a renamed model).")
    prompt_tokens: int
    output_tokens: int
    thought_tokens: int
    total_tokens: int
    estimated_cost_usd: float | None = Field(
        description="From GEMINI_PRICES; null when the model has no configured price."
    )
    model_seconds: float | None


class JobError(ResponseSchema):
    code: str | None
    message: str | None = Field(description="For the shopper; never quotes the AI provider.")
    details: dict[str, Any] = Field(
        description="What the code needs (e.g. `reason`, `garment_index`, `missing`) and operator fields: "
        "`upstream` holds what the AI provider said (status, message, finish reason, its text)."
    )


class Job(ResponseSchema):
    job_id: str
    status: Annotated[RawJson, unchecked(JOB_STATUS)]
    progress: int = Field(ge=0, le=100)
    stage: Annotated[str, one_of(JOB_STAGES)] = Field(
        description="What the worker is doing; a failed job keeps the stage it failed in. `building_body`: on "
        "Gemini, a photo that does not show the hips is first made a full-length photo of the person."
    )
    kind: Literal["single", "multi"]
    provider: str | None = Field(description="The model that ran the job (local, gemini); null until it ran.")
    garments: list[JobGarment] = Field(
        description="The garments in the order they were sent. Once the job has fetched them, each has its "
        "type and where the type came from (`type_source`, in order of precedence: `client` = the type or "
        "category you sent, `page` = the product page, `ai` = the Gemini image categoriser, `silhouette` = "
        "the garment's outline in its photo: two legs → bottom, one long piece → dress, sleeves → top), and "
        "`photo_type`: `flat-lay` (the garment alone) or `on-model` (worn by a model, whose face, hair and "
        "skin are left out). `photo_type` is null while unknown and on Gemini when the type was given "
        "(Gemini does not need the photo read)."
    )
    created_at: Timestamp
    started_at: str | None
    finished_at: str | None
    timings: JobTimings
    result_url: str | None = Field(description="Set when status is done.")
    usage: JobUsage | None = Field(
        None,
        description="What the job's AI calls used (null for the local model, or before a call was made).",
    )
    error: JobError | None = Field(
        description="Set when status is failed. `code` is the reason: from the image model (NO_PERSON_DETECTED, "
        "MULTIPLE_PEOPLE, NO_POSE_DETECTED, NEEDS_FULL_BODY_PHOTO, BODY_PART_NOT_VISIBLE (the photo does not "
        "show where the garment is worn; the message names the part), INVALID_GARMENT_IMAGE, NEEDS_PLAIN_BACKGROUND (a garment "
        "photo on a busy surface it cannot be told from), CONTENT_BLOCKED "
        "(`details.reason`: the finish or block reason), INVALID_ASPECT_RATIO, NO_IMAGE_RETURNED, RATE_LIMITED, "
        "UPSTREAM_UNAVAILABLE, UPSTREAM_REJECTED, BAD_UPSTREAM_RESPONSE, TIMEOUT, AI_UNAVAILABLE), from the "
        "product page (NO_GARMENT_IMAGE, GARMENT_INDEX_OUT_OF_RANGE, NO_PRODUCT_FOUND, PRODUCT_PAGE_NOT_FOUND, "
        "NOT_A_PRODUCT_PAGE, PAGE_TOO_COMPLEX, EXTRACTION_BUSY, IMAGE_DOWNLOAD_FAILED, IMAGE_TOO_LARGE, "
        "UPSTREAM_ERROR, UPSTREAM_UNREACHABLE, UPSTREAM_BLOCKED, UPSTREAM_TIMEOUT), or WORKER_LOST (the server "
        "restarted twice during the job) and INTERNAL_ERROR. TIMEOUT is the job's own deadline "
        "(JOB_TIMEOUT_SECONDS), whichever step it ran out in."
    )
    callback: JobCallback | None = Field(
        description="The delivery of the job to its `callback_url` (or the account's default) once it ends; "
        "null when it has none."
    )
