"""Try-on jobs: validating and accepting requests, reading status, history and deletion."""

import math
import statistics
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from config import Settings
from features.garments import service as garments_service
from features.tryon import model
from features.tryon.job_queue import RQJobQueue, ThreadJobQueue, input_prefix
from features.tryon.model import Job
from features.users import model as user_model
from features.webhooks import service as webhooks_service
from shared import clock
from shared.ai_models import ImageModel, ImageModelError
from shared.ai_models.gemini_file_rows import deleting_user_photos
from shared.database import Database
from shared.errors import (
    ApiError,
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    UnprocessableError,
    ValidationError,
)
from shared.image_processing import EXTENSIONS, MIME_TYPES, prepare_for_processing
from shared.storage import Storage
from shared.validators import validate_url

if TYPE_CHECKING:
    from shared.ai_models.gemini_files import UploadedPhotos

JobQueue = ThreadJobQueue | RQJobQueue


MAX_GARMENTS = 5
DEFAULT_ESTIMATE_SECONDS = 15
PERSON_DIMENSION = 2048
GARMENT_DIMENSION = 1536
# where this feature stores files: a job's inputs (person, garment photos, the client's page) and its result
IMAGE_FOLDERS = ("tryon-inputs/", "tryon-results/")


@dataclass
class Upload:
    data: bytes
    filename: str | None = None


@dataclass
class TryOnRequest:
    """What the client sent, already read from HTTP but not yet validated."""

    person: Upload | None = None
    person_field: str | None = None
    garment_uploads: list[Upload] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    html: str | None = None
    options: dict[str, Any] = field(default_factory=dict)  # the fields of a parsed TryOnOptions
    callback_url: object = None  # where the job is POSTed when it ends (else the account's default)


def _with_garment_options(options: dict[str, Any], garment_count: int) -> dict[str, Any]:
    """The client's options (the fields of a parsed TryOnOptions) with `garments` checked against the number
    of garments sent."""
    garments = options.get("garments", [])
    if not isinstance(garments, list) or len(garments) > garment_count:
        raise ValidationError(
            f"options.garments must be a list with at most one entry per garment ({garment_count})",
            details={"field": "options.garments"},
        )
    return {**options, "garments": garments}


def create_job(
    *,
    db: Database,
    settings: Settings,
    storage: Storage,
    queue: JobQueue,
    user_id: str,
    request: TryOnRequest,
    multi: bool,
    billed: bool,
    on_accepted: Callable[[dict[str, Any]], None] = lambda accepted: None,
) -> dict[str, Any]:
    """Validate everything, store the inputs, persist the job, queue it. Returns the 202 payload.

    `billed`: the try-on model charges per generation, so the user's TRYON_DAILY_LIMIT applies.
    `on_accepted` is called with the 202 payload inside the transaction that stores the job: what it writes
    (the request's idempotent answer) commits with the job or not at all.
    """
    if len(request.urls) > MAX_GARMENTS or len(request.garment_uploads) > MAX_GARMENTS:
        raise ValidationError(f"At most {MAX_GARMENTS} garments per try-on", code="TOO_MANY_GARMENTS")
    urls = [validate_url(url, "item_urls") for url in request.urls]
    for i, url in enumerate(urls):
        if not (i == 0 and request.html is not None):  # a page the client sent is not fetched
            garments_service.check_url_allowed(settings=settings, url=url)
    if request.html is not None and len(request.html.encode("utf-8")) > settings.MAX_CLIENT_HTML_BYTES:
        raise PayloadTooLargeError("html is larger than the allowed size", code="HTML_TOO_LARGE")
    garment_count = len(request.garment_uploads) + len(urls)
    if garment_count == 0:
        raise ValidationError("Send a garment: garment_image, item_urls or garment_url", code="NO_GARMENT")
    if multi and garment_count < 2:
        raise ValidationError(
            "A multi-garment try-on needs at least two garments", code="NOT_ENOUGH_GARMENTS"
        )
    options = _with_garment_options(request.options, garment_count)
    callback_url = webhooks_service.callback_url_for(
        db=db, settings=settings, user_id=user_id, given=request.callback_url
    )
    person = _person_image(
        db=db, storage=storage, user_id=user_id, upload=request.person, field=request.person_field
    )
    garment_images = [
        prepare_for_processing(u.data, u.filename, max_dimension=GARMENT_DIMENSION)
        for u in request.garment_uploads
    ]

    job_id = str(uuid.uuid4())
    prefix = input_prefix(user_id, job_id)
    stored: list[str] = []
    try:
        person_path = _store_image(storage, stored, person["image"], f"{prefix}person")
        garments: list[dict[str, Any]] = []
        for i, image in enumerate(garment_images):
            garments.append(
                {
                    "source": "upload",
                    "image_path": _store_image(storage, stored, image, f"{prefix}garment_{i}"),
                }
            )
        for i, url in enumerate(urls):
            entry = {"source": "url", "url": url, "garment_index": options.get("garment_index", 0)}
            if request.html is not None and i == 0:
                entry["html_path"] = _store(
                    storage, stored, request.html.encode("utf-8"), f"{prefix}page_0.html", "text/html"
                )
            garments.append(entry)
        for entry, override in zip(garments, options["garments"]):
            entry["type"] = override["type"]
            entry["details"] = override["details"]
            if override["garment_index"] is not None:
                entry["garment_index"] = override["garment_index"]
        if len(garments) == 1 and "garment_details" in options:
            garments[0]["details"] = {**options["garment_details"], **garments[0].get("details", {})}
        inputs = {
            "person": {"path": person_path, "source": person["source"]},
            "garments": garments,
            "callback": bool(callback_url),  # as attach() below: what polls and the end of the job check
        }
        model_options = {k: v for k, v in options.items() if k == "aspect_ratio"}
        with db.transaction():
            # One admission at a time: every limit counts rows this block's insert adds to.
            db.lock_row("job_queues", name="tryon")
            _check_capacity(
                db=db,
                settings=settings,
                user_id=user_id,
                daily_limit=settings.TRYON_DAILY_LIMIT if billed else 0,
            )
            model.insert(
                db,
                job_id=job_id,
                user_id=user_id,
                kind="multi" if len(garments) > 1 else "single",
                inputs=inputs,
                options=model_options,
                person_image_path=person_path,
                garment_image_path=garments[0].get("image_path") or garments[0].get("url"),
            )
            if callback_url:
                webhooks_service.attach(db=db, job_id=job_id, user_id=user_id, url=callback_url)
            accepted = {
                "job_id": job_id,
                "status": model.QUEUED,
                "estimated_time": estimated_seconds(db=db, settings=settings),
            }
            on_accepted(accepted)
    except BaseException:
        for path in stored:
            storage.delete_image(path)
        raise
    queue.submit(job_id)
    return accepted


def _store(
    storage: Storage, stored: list[str], data: bytes, path: str, content_type: str = "image/png"
) -> str:
    path = storage.upload_image(data, path, content_type)
    stored.append(path)
    return path


def _store_image(storage: Storage, stored: list[str], image: tuple[bytes, str], name: str) -> str:
    """Store (bytes, format) as name.png / name.jpg."""
    data, image_format = image
    return _store(storage, stored, data, f"{name}.{EXTENSIONS[image_format]}", MIME_TYPES[image_format])


def _person_image(
    *, db: Database, storage: Storage, user_id: str, upload: Upload | None, field: str | None
) -> dict[str, Any]:
    if upload is not None:
        return {
            "image": prepare_for_processing(upload.data, upload.filename, max_dimension=PERSON_DIMENSION),
            "source": field,
        }
    user = user_model.get_by_userid(db, user_id)
    avatar_path = user["avatar_path"] if user else None
    if not avatar_path or not storage.exists(avatar_path):
        raise ValidationError(
            "Send a selfie (or person_image), or save an avatar first with POST /api/save-avatar",
            code="NO_PERSON_IMAGE",
        )
    # Copy the avatar so a later avatar change cannot alter (or delete) this job's input.
    return {"image": (storage.read_image(avatar_path), "PNG"), "source": "avatar"}


def ensure_model_available(image_model: ImageModel) -> None:
    """503 AI_UNAVAILABLE with Retry-After, before anything is read or stored, while the model cannot generate."""
    availability = image_model.availability()
    if availability["status"] != "ok":
        raise ImageModelError(
            "AI_UNAVAILABLE",
            "Try-ons are unavailable right now; please try again in a few minutes",
            details={"provider": availability["provider"]},
            headers={"Retry-After": str(availability.get("retry_after", 60))},
        )


def _check_capacity(*, db: Database, settings: Settings, user_id: str, daily_limit: int) -> None:
    counts = model.admission_counts(db, user_id, model.utc_day())
    if daily_limit and counts["accepted_today"] >= daily_limit:
        now = clock.now()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        raise ApiError(
            f"You have made today's {daily_limit} try-ons; more are possible from midnight UTC",
            code="DAILY_LIMIT_REACHED",
            status_code=429,
            details={"limit": daily_limit, "resets_at": clock.timestamp(midnight)},
            headers={"Retry-After": str(max(1, math.ceil((midnight - now).total_seconds())))},
        )
    if counts["waiting"] >= settings.MAX_QUEUE_SIZE:
        raise ApiError(
            "The try-on queue is full; try again in a few seconds",
            code="QUEUE_FULL",
            status_code=429,
            headers={"Retry-After": str(max(1, estimated_seconds(db=db, settings=settings)))},
        )
    if counts["in_flight"] >= settings.MAX_JOBS_PER_USER:
        raise ApiError(
            f"You already have {settings.MAX_JOBS_PER_USER} try-ons in progress; wait for one to finish",
            code="TOO_MANY_JOBS",
            status_code=429,
            headers={"Retry-After": "5"},
        )


def estimated_seconds(*, db: Database, settings: Settings) -> int:
    """Median recent job duration times the number of rounds the waiting jobs need."""
    durations = model.recent_durations(db)
    per_job = statistics.median(durations) if durations else DEFAULT_ESTIMATE_SECONDS
    rounds = math.ceil((model.count_waiting(db) + 1) / max(1, settings.TRYON_WORKERS))
    return max(1, math.ceil(per_job * rounds))


def get_job(*, db: Database, user_id: str, job_id: str) -> Job:
    """The job with its `callback` (present_job shows both)."""
    job = model.get_for_user(db, job_id, user_id)
    if job is None:
        raise NotFoundError("No such try-on job", code="JOB_NOT_FOUND")
    return _with_callbacks(db, [job])[0]


def job_as_shown(*, db: Database, storage: Storage, job_id: str) -> dict[str, Any] | None:
    """The job as GET /api/job/<id> shows it (what its callback delivers), or None once it is deleted."""
    job = model.get(db, job_id)
    return present_job(_with_callbacks(db, [job])[0], storage) if job else None


def _with_callbacks(db: Database, jobs: list[Job]) -> list[Job]:
    """The jobs, each with its `callback` (None without one); only jobs accepted with one are looked up (a
    client polling a job without a callback costs no read of the deliveries)."""
    found = webhooks_service.callbacks(
        db=db, job_ids=[job["job_id"] for job in jobs if model.may_have_callback(job)]
    )
    for job in jobs:
        job["callback"] = found.get(job["job_id"])
    return jobs


def get_result_path(*, db: Database, user_id: str, job_id: str) -> str:
    """The result image path of a finished job; 409 while running, 422 with the job's error if it failed."""
    job = get_job(db=db, user_id=user_id, job_id=job_id)
    if job["status"] == model.FAILED:
        raise UnprocessableError(
            job["error_message"] or "The try-on failed",
            code=job["error_code"] or "JOB_FAILED",
            details={"job_id": job_id, "status": job["status"]},
        )
    if job["status"] != model.DONE:
        raise ConflictError(
            "The try-on is not finished yet; poll GET /api/job/<id>",
            code="JOB_NOT_FINISHED",
            details={"status": job["status"], "progress": job["progress"]},
            headers={"Retry-After": "2"},
        )
    path: str = job["result_image_path"]
    return path


def list_jobs(
    *, db: Database, user_id: str, status: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[Job], int]:
    if status is not None and status not in (model.QUEUED, model.PROCESSING, model.DONE, model.FAILED):
        raise ValidationError(
            "status must be one of queued, processing, done, failed", details={"field": "status"}
        )
    jobs, total = model.list_for_user(db, user_id, status=status, limit=limit, offset=offset)
    return _with_callbacks(db, jobs), total


def delete_job(
    *,
    db: Database,
    storage: Storage,
    user_id: str,
    job_id: str,
    gemini_photos: "UploadedPhotos | None" = None,
) -> dict[str, Any]:
    """Cancel a queued job or delete a finished one, with its files (and the user's photos uploaded to Gemini,
    there). Running jobs cannot be deleted."""
    job = get_job(db=db, user_id=user_id, job_id=job_id)
    with deleting_user_photos(db, user_id, gemini_photos):
        if not model.delete_unless_processing(db, job_id, user_id):
            raise ConflictError(
                "The try-on is being generated right now; delete it once it has finished",
                code="JOB_IN_PROGRESS",
                headers={"Retry-After": "5"},
            )
        if job["status"] == model.QUEUED:
            model.forget_usage(db, job_id)
    storage.delete_prefix(input_prefix(user_id, job_id))
    if job["result_image_path"]:
        storage.delete_image(job["result_image_path"])
    return {"job_id": job_id, "deleted": True, "was_status": job["status"]}


def delete_all_for_user(*, db: Database, storage: Storage, user_id: str) -> None:
    """Every job and file of a user (account deletion)."""
    model.delete_for_user(db, user_id)
    storage.delete_prefix(f"tryon-inputs/{user_id}/")
    storage.delete_prefix(f"tryon-results/{user_id}/")


def timings(job: Job) -> dict[str, float | None]:
    """Seconds spent waiting in the queue and processing (None until known)."""
    created, started, finished = (clock.parse(job[k]) for k in ("created_at", "started_at", "finished_at"))
    if created is None:  # every stored job has one; a row without would have no durations either
        return {"queue_seconds": None, "processing_seconds": None, "total_seconds": None}
    return {
        "queue_seconds": round((started - created).total_seconds(), 3) if started else None,
        "processing_seconds": round((finished - started).total_seconds(), 3)
        if started and finished
        else None,
        "total_seconds": round((finished - created).total_seconds(), 3) if finished else None,
    }


def present_garments(job: Job) -> list[dict[str, Any]]:
    """Each garment as sent, with its type, where the type came from and how it was photographed once the
    job has looked (before that, only a type the client gave)."""
    resolved = job.get("garments") or []
    garments: list[dict[str, Any]] = []
    for position, garment in enumerate(job["inputs"].get("garments", [])):
        found = resolved[position] if position < len(resolved) else {}
        client_type = garment.get("type")
        garments.append(
            {
                "source": garment["source"],
                "url": garment.get("url"),
                "type": found.get("type", client_type),
                "type_source": found.get("type_source", "client" if client_type else None),
                "photo_type": found.get("photo_type"),
            }
        )
    return garments


def present_job(job: Job, storage: Storage) -> dict[str, Any]:
    """What clients see of a job: status, progress, stage, signed result URL or typed error (with the provider's
    own words in error.details.upstream), timings, what the AI calls used, and its callback's delivery (a job
    read through get_job, list_jobs or job_as_shown carries it)."""
    data = {
        "job_id": job["job_id"],
        "status": job["status"],
        "progress": job["progress"],
        "stage": job["stage"],
        "kind": job["kind"],
        "provider": job["provider"],
        "garments": present_garments(job),
        "created_at": job["created_at"],
        "started_at": job["started_at"],
        "finished_at": job["finished_at"],
        "timings": timings(job),
        "usage": job["usage"],
        "result_url": None,
        "error": None,
        "callback": job.get("callback"),
    }
    if job["status"] == "done":
        data["result_url"] = storage.signed_url(job["result_image_path"])
    elif job["status"] == "failed":
        data["error"] = {
            "code": job["error_code"],
            "message": job["error_message"],
            "details": job["error_details"],
        }
    return data


def image_paths_in_use(*, db: Database) -> Iterator[str]:
    """Every value of a job's row that may name a file under IMAGE_FOLDERS."""
    return model.stored_paths(db)
