"""Try-on endpoints: accept a job (202), poll it or follow its events, fetch the result, list and delete jobs."""

from flask import Blueprint, Response, current_app, g, request, stream_with_context

from features.auth.decorators import require_auth
from features.tryon import events, service
from features.tryon.schemas import (
    IMAGE_PART,
    Job,
    JobAccepted,
    JobDeleted,
    JobEvent,
    JobResult,
    JobsQuery,
    TryOnForm,
    TryOnJson,
    TryOnOptions,
)
from shared import event_stream
from shared.ai_models import get_image_models
from shared.ai_models.gemini_file_rows import DELETED_AT_GOOGLE
from shared.database import get_db
from shared.errors import ValidationError
from shared.idempotency import AnswerOnce, idempotent
from shared.rate_limit import limit, user_or_ip_key
from shared.request_data import json_body, json_form_field, json_limit, read_upload
from shared.response import success_response
from shared.schemas import Answer, operation
from shared.storage import get_storage

bp = Blueprint("tryon", __name__)

TAG = "Try-on"
_JOB_ID = {"job_id": (None, "0b7c8f0e-5a61-4c3e-9d0a-3b9a2f1c7e44")}
_ACCEPTED = {
    202: Answer(
        JobAccepted,
        "Queued; poll the job at `Location`.",
        headers={"Location": {"$ref": "#/components/headers/Location"}},
    )
}
_TRYON_ERRORS = {
    400: [
        "NO_GARMENT",
        "NOT_ENOUGH_GARMENTS",
        "TOO_MANY_GARMENTS",
        "NO_PERSON_IMAGE",
        "INVALID_URL",
        "URL_NOT_ALLOWED",
        "CALLBACK_URL_NOT_ALLOWED",
        "VALIDATION_ERROR",
        "OUT_OF_RANGE",
        "MISSING_FIELDS",
        "EMPTY_FILE",
        "INVALID_IMAGE",
        "UNSUPPORTED_IMAGE",
        "IMAGE_TOO_LARGE",
    ],
    413: ["FILE_TOO_LARGE", "HTML_TOO_LARGE"],
    429: ["QUEUE_FULL", "TOO_MANY_JOBS", "DAILY_LIMIT_REACHED"],
    503: ["STORAGE_UNAVAILABLE", "AI_UNAVAILABLE"],
    507: ["INSUFFICIENT_STORAGE"],
}
_TRYON_INPUT = {
    "form": TryOnForm,
    "form_encoding": {"selfie": IMAGE_PART, "garment_image": IMAGE_PART},
    "body": TryOnJson,
    "example": {"item_urls": ["https://shop.example/products/linen-tee"]},
}


@bp.post("/tryon")
@require_auth
@limit("RATELIMIT_TRYON", key_func=user_or_ip_key, scope="tryon")
@json_limit("max_page_body_size")
@idempotent
@operation(
    tag=TAG,
    operation_id="createTryOn",
    **_TRYON_INPUT,
    answers=_ACCEPTED,
    errors=_TRYON_ERRORS,
    summary="Start a try-on of one garment (answers 202 at once; poll the job).",
    description="Person: `selfie`, else `person_image`, else the saved avatar. Garment: `garment_image`, else "
    "the first of `item_urls`, else `garment_url` (product pages are fetched and read by the "
    "worker; send the page as `html` when the shop blocks servers). Per user limit: "
    "RATELIMIT_TRYON requests, MAX_JOBS_PER_USER jobs in flight, TRYON_DAILY_LIMIT Gemini try-ons "
    "per UTC day (429 DAILY_LIMIT_REACHED with Retry-After until midnight UTC; the local model is "
    "not counted). While no AI model can generate (Gemini: none of GEMINI_MODEL_NAME is usable) "
    "the answer is 503 AI_UNAVAILABLE with Retry-After at once, and nothing is stored or queued. "
    "With `callback_url` (else the account's default: PUT /api/users/webhook) the job is POSTed there, "
    "signed, when it ends.",
)
def create_tryon_job():
    return _accept(multi=False)


@bp.post("/tryon/multi")
@require_auth
@limit("RATELIMIT_TRYON", key_func=user_or_ip_key, scope="tryon")
@json_limit("max_page_body_size")
@idempotent
@operation(
    tag=TAG,
    operation_id="createMultiTryOn",
    **_TRYON_INPUT,
    answers=_ACCEPTED,
    errors=_TRYON_ERRORS,
    summary="Start a try-on of two to five garments at once (e.g. a top and trousers).",
    description="Garments: every `garment_images` / `garment_image` file, then every URL. "
    "`options.garments[i]` applies to the i-th garment in that order (its `type` decides how it "
    "is layered).",
)
def create_multi_tryon_job():
    return _accept(multi=True)


def _accept(*, multi):
    image_model = get_image_models().tryon
    service.ensure_model_available(image_model)  # before the uploads are read
    answer = AnswerOnce(_accepted_response)
    service.create_job(
        db=get_db(),
        settings=current_app.extensions["settings"],
        storage=get_storage(),
        queue=current_app.extensions["tryon_queue"],
        user_id=g.userid,
        request=_read_tryon_request(multi),
        multi=multi,
        billed=image_model.billed,
        on_accepted=answer.record,
    )
    return answer.response


def _accepted_response(accepted):
    return success_response(
        accepted,
        "Try-on queued; poll GET /api/job/<job_id>",
        202,
        headers={"Location": f"/api/job/{accepted['job_id']}"},
    )


def _read_tryon_request(multi):
    """Person, garments, URLs, html and options from multipart (or JSON for URL-only requests)."""
    max_bytes = current_app.extensions["settings"].MAX_UPLOAD_SIZE
    if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        body = json_body()
        fields = {
            "item_urls": body.get("item_urls"),
            "garment_url": body.get("garment_url"),
            "html": body.get("html"),
            "options": body.get("options", {}),
            "callback_url": body.get("callback_url"),
        }
        uploads, person, person_field = [], None, None
    else:
        fields = {
            "item_urls": json_form_field("item_urls", list) or request.form.getlist("item_urls[]") or None,
            "garment_url": request.form.get("garment_url"),
            "html": request.form.get("html"),
            "options": json_form_field("options", dict, {}),
            "callback_url": request.form.get("callback_url"),
        }
        person, person_field = None, None
        for name in ("selfie", "person_image"):
            if request.files.get(name) and request.files[name].filename != "":
                person, person_field = (
                    service.Upload(
                        read_upload(request.files[name], name, max_bytes), request.files[name].filename
                    ),
                    name,
                )
                break
        names = ("garment_images", "garment_image") if multi else ("garment_image",)
        uploads = [
            service.Upload(read_upload(f, name, max_bytes), f.filename)
            for name in names
            for f in request.files.getlist(name)
            if f.filename != ""
        ]
    urls = _urls(fields["item_urls"], fields["garment_url"])
    if not isinstance(fields["options"], dict):
        raise ValidationError(
            "options must be a JSON object", code="INVALID_JSON", details={"field": "options"}
        )
    options = TryOnOptions.parse(fields["options"]).given()
    if fields["html"] is not None and not isinstance(fields["html"], str):
        raise ValidationError("html must be a string", details={"field": "html"})
    if not multi and uploads:
        urls = []  # garment_image wins over item_urls and garment_url (spec priority)
    return service.TryOnRequest(
        person=person,
        person_field=person_field,
        garment_uploads=uploads,
        urls=urls,
        html=fields["html"],
        options=options,
        callback_url=fields["callback_url"],
    )


def _urls(item_urls, garment_url):
    if item_urls is not None:
        if not isinstance(item_urls, list) or not all(isinstance(u, str) for u in item_urls):
            raise ValidationError(
                "item_urls must be a JSON array of URL strings",
                code="INVALID_JSON",
                details={"field": "item_urls"},
            )
        if item_urls:
            return item_urls
    if garment_url is not None:
        if not isinstance(garment_url, str):
            raise ValidationError("garment_url must be a string", details={"field": "garment_url"})
        return [garment_url]
    return []


@bp.get("/job/<job_id>")
@require_auth
@operation(
    tag=TAG,
    operation_id="getJob",
    path_parameters=_JOB_ID,
    summary="A try-on job's status, stage and progress; `result_url` once done, `error` once failed.",
    answers={200: Answer(Job, "The job.")},
    errors={404: ["JOB_NOT_FOUND"]},
)
def get_job_status(job_id):
    job = service.get_job(db=get_db(), user_id=g.userid, job_id=job_id)
    return success_response(service.present_job(job, get_storage()))


_EVENTS_EXAMPLE = (
    "retry: 2000\n\n"
    "id: 1-60\nevent: stage\n"
    'data: {"job_id":"0b7c8f0e-5a61-4c3e-9d0a-3b9a2f1c7e44","status":"processing","stage":"generating",'
    '"progress":60}\n\n'
    ": keep-alive\n\n"
    "id: 1-90\nevent: stage\n"
    'data: {"job_id":"0b7c8f0e-5a61-4c3e-9d0a-3b9a2f1c7e44","status":"processing","stage":"saving",'
    '"progress":90}\n\n'
    "id: 1-end\nevent: done\n"
    'data: {"job_id":"0b7c8f0e-5a61-4c3e-9d0a-3b9a2f1c7e44","status":"done","stage":"done","progress":100,'
    '"result_url":"https://api.example.com/images/tryon-results/...png?expires=...&sig=..."}\n\n'
)


@bp.get("/job/<job_id>/events")
@require_auth
@operation(
    tag=TAG,
    operation_id="getJobEvents",
    path_parameters=_JOB_ID,
    header_parameters={
        "Last-Event-ID": ("The id of the last event received: the stream resumes after it.", "1-60"),
    },
    summary="Follow a try-on job live: its stages and progress as Server-Sent Events, until done or failed.",
    description="`text/event-stream`. Events: `stage` (the first event, and each change of stage), `progress` "
    "(the progress moved within a stage), then `done` (with `result_url`) or `failed` (with `error: {code, "
    "message}`), after which the stream ends. Each event's `data` is JSON with `job_id`, `status`, `stage` "
    "and `progress`. Ids are the job's state (`<run>-<progress>`, `<run>-end`): send the last one back as "
    "`Last-Event-ID` to resume after it, on any server process; an id that cannot be read is ignored. A "
    "finished job answers its final event at once (204 when `Last-Event-ID` is already that event). "
    "`: keep-alive` comments come every EVENT_STREAM_HEARTBEAT_SECONDS; after EVENT_STREAM_MAX_SECONDS the "
    "stream ends with a `retry:` hint. Browsers' EventSource cannot send the Authorization header: read the "
    "stream with fetch() and its body's reader. Each open stream holds a server thread: at most "
    "MAX_EVENT_STREAMS per process and MAX_EVENT_STREAMS_PER_USER per user (poll GET /api/job/<job_id> "
    "when refused).",
    answers={
        200: Answer(
            None,
            "The job's events, until its final one.",
            content={"text/event-stream": {"schema": JobEvent, "example": _EVENTS_EXAMPLE}},
        ),
        204: Answer(None, "`Last-Event-ID` is the job's final event: there is nothing left to send."),
    },
    errors={404: ["JOB_NOT_FOUND"], 429: ["TOO_MANY_STREAMS"], 503: ["EVENT_STREAMS_BUSY"]},
)
def get_job_events(job_id):
    settings = current_app.extensions["settings"]
    start = events.open_stream(
        db=get_db(),
        settings=settings,
        slots=current_app.extensions["event_streams"],
        user_id=g.userid,
        job_id=job_id,
        last_event_id=request.headers.get("Last-Event-ID"),
    )
    if start is None:
        nothing_left = Response(status=204)
        del nothing_left.headers["Content-Type"]
        return nothing_left
    frames = events.follow(
        db=get_db(),
        storage=get_storage(),
        settings=settings,
        user_id=g.userid,
        job_id=job_id,
        after=start.after,
        client_gone=event_stream.disconnect_check(request.environ),
        renew=start.renew,
    )
    response = Response(
        stream_with_context(frames),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
    response.call_on_close(start.release)
    return response


@bp.get("/job/<job_id>/result")
@require_auth
@operation(
    tag=TAG,
    operation_id="getJobResult",
    path_parameters=_JOB_ID,
    summary="The result image's URL of a finished job.",
    answers={200: Answer(JobResult, "The result.")},
    errors={404: ["JOB_NOT_FOUND"], 409: ["JOB_NOT_FINISHED"], 422: "*"},
)
def get_job_result(job_id):
    path = service.get_result_path(db=get_db(), user_id=g.userid, job_id=job_id)
    return success_response({"job_id": job_id, "result_url": get_storage().signed_url(path)})


@bp.get("/jobs")
@require_auth
@operation(
    tag=TAG,
    operation_id="listJobs",
    query=JobsQuery,
    summary="The caller's try-ons, newest first.",
    answers={200: Answer(list[Job], "One page of jobs.", paginated=True)},
    errors={400: ["VALIDATION_ERROR", "OUT_OF_RANGE"]},
)
def list_jobs(query):
    jobs, total = service.list_jobs(
        db=get_db(), user_id=g.userid, status=query.status or None, limit=query.limit, offset=query.offset
    )
    storage = get_storage()
    return success_response(
        [service.present_job(job, storage) for job in jobs], pagination=query.pagination(total)
    )


@bp.delete("/job/<job_id>")
@require_auth
@operation(
    tag=TAG,
    operation_id="deleteJob",
    path_parameters=_JOB_ID,
    summary="Cancel a queued job or delete a finished one with its images (not while it is being generated).",
    description=DELETED_AT_GOOGLE,
    answers={200: Answer(JobDeleted, "Deleted.")},
    errors={404: ["JOB_NOT_FOUND"], 409: ["JOB_IN_PROGRESS"]},
)
def delete_job(job_id):
    return success_response(
        service.delete_job(
            db=get_db(),
            storage=get_storage(),
            user_id=g.userid,
            job_id=job_id,
            gemini_photos=get_image_models().photos,
        ),
        "Try-on deleted",
    )
