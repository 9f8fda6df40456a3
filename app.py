"""Because Future API: `create_app(config)` builds the Flask app; `python app.py` serves it on :8000.

`python app.py` serves with waitress, a production WSGI server (threads in this one process, so the
in-process try-on queue runs beside it); FLASK_DEBUG=1 serves with Werkzeug's debugging server instead.
"""

import time
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple

from flask import Blueprint, Flask, Request, Response, g, request
from flask.sessions import SessionInterface, SessionMixin
from flask_cors import CORS
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import IntegerConverter, Map

from config import ConfigurationError, Settings, finalize_secrets
from features.auth import controller as auth
from features.avatars import controller as avatars
from features.body_measurements import controller as body_measurements
from features.docs import controller as docs
from features.fitting import controller as fitting
from features.garments import controller as garments, service as garments_service
from features.health import controller as health
from features.images import controller as images
from features.images.service import ImageSweeper
from features.metrics import controller as metrics
from features.tryon import controller as tryon, service as tryon_service
from features.tryon.events import StreamSlots
from features.tryon.job_queue import create_job_queue
from features.tryon.pipeline import PipelineDeps
from features.users import controller as users
from features.wardrobe import controller as wardrobe
from features.webhooks import controller as webhooks, service as webhooks_service
from migrations import run_migrations
from shared import rate_limit
from shared.ai_models import create_image_models
from shared.database import Database, DatabaseUnavailableError, create_database
from shared.errors import ApiError
from shared.logger import configure_logging, get_logger, request_id_var
from shared.mail import Mailer
from shared.request_data import apply_json_limit
from shared.response import (
    error_response,
    error_response_from_exception,
    readable_size,
    security_headers,
    success_response,
)
from shared.storage import create_storage
from shared.text_patterns import compile_pattern
from shared.validators import MAX_SQL_INTEGER
from shared.wsgi_server import serve

_REQUEST_ID = compile_pattern(r"^[A-Za-z0-9._:-]{1,128}$")
_LOGGED_PATH_CHARS = 512  # the access log never records a query string, nor a 20 KB path in full
# Retry-After tells a client when to come back (a 409 when the thing it waits for is still running: a job, a
# request with the same Idempotency-Key); on any other answer it would only mislead.
_RETRY_STATUSES = {409, 429, 503, 507}
_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "AUTHENTICATION_REQUIRED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "UNPROCESSABLE",
    429: "RATE_LIMITED",
}


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the app from a Settings object, a dict of overrides, or the environment (None)."""
    settings = _resolve_settings(config)
    app = BecauseFutureFlask(__name__, static_folder=None)
    app.url_map.converters["int"] = SqlIntegerConverter
    app.url_map.merge_slashes = False  # `//api/login` is no route (404 JSON), not an HTML redirect
    # A form's text field may carry a page's html (MAX_CLIENT_HTML_BYTES); Werkzeug's default is 500 KB.
    app.config.update(
        SECRET_KEY=settings.SECRET_KEY,
        MAX_CONTENT_LENGTH=settings.MAX_REQUEST_SIZE,
        MAX_FORM_MEMORY_SIZE=settings.MAX_CLIENT_HTML_BYTES,
        MAX_FORM_PARTS=settings.MAX_FORM_PARTS,
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the default provider's (DefaultJSONProvider)
    app.extensions["settings"] = settings
    configure_logging(settings)

    db = create_database(settings)
    run_migrations(db)
    app.extensions["db"] = db

    if settings.cors_origins:  # with none (production's default) flask-cors adds no header to any answer
        CORS(
            app,
            origins=list(settings.cors_origins),
            expose_headers=["X-Request-ID", "Retry-After", "Idempotency-Replayed"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "Idempotency-Key"],
            max_age=600,
        )
    app.before_request(apply_json_limit)  # before the limiter's hook, whose keys may read the body
    rate_limit.init_app(app, settings)
    _register_request_hooks(app)
    _register_error_handlers(app)
    _start_services(app, settings, db)
    for feature in features(app.extensions["storage"].url_prefix):
        app.register_blueprint(feature.blueprint, url_prefix=feature.url_prefix)
    app.extensions["tryon_queue"].start()
    app.extensions["image_sweeper"].start()
    return app


class Feature(NamedTuple):
    name: str
    blueprint: Blueprint
    url_prefix: str  # every route of the feature's blueprint is under it ("" for the root's own paths)


def features(images_url_prefix: str) -> tuple[Feature, ...]:
    """Every feature of the API and the URL prefix of its routes: the one place they are listed (blueprints
    carry no prefix of their own). Images are served under IMAGES_BASE_URL, the prefix storage gives keys."""
    return (
        Feature("auth", auth.bp, "/api"),
        Feature("avatars", avatars.bp, "/api"),
        Feature("body_measurements", body_measurements.bp, "/api/body-measurements"),
        Feature("docs", docs.bp, ""),
        Feature("fitting", fitting.bp, "/api/fitting"),
        Feature("garments", garments.bp, "/api/garments"),
        Feature("health", health.bp, ""),
        Feature("images", images.bp, images_url_prefix),
        Feature("metrics", metrics.bp, ""),
        Feature("tryon", tryon.bp, "/api"),
        Feature("users", users.bp, "/api/users"),
        Feature("wardrobe", wardrobe.bp, "/api/wardrobe"),
        Feature("webhooks", webhooks.bp, "/api/users"),
    )


def _start_services(app: Flask, settings: Settings, db: Database) -> None:
    """What the features share, built once here: the mailer, image storage, the AI image models (the Gemini
    client among them), the garment photo classifier (on that client, only with a Gemini key), the try-on job
    queue (chosen by JOB_QUEUE; started once the routes are registered, stopped by shutdown_app), the
    deliverer of try-on callbacks, which the queue's maintenance loop runs, the sweeper of orphaned image files
    (its own thread, started with the queue) and the count of open job event streams."""
    storage = create_storage(settings)
    image_models = create_image_models(settings, db)
    garment_classifier = garments_service.image_classifier(settings=settings, gemini=image_models.gemini)
    deps = PipelineDeps(
        db=db,
        settings=settings,
        storage=storage,
        image_models=image_models,
        garment_classifier=garment_classifier,
    )
    deliverer = webhooks_service.Deliverer(
        db=db,
        settings=settings,
        render=lambda job_id: tryon_service.job_as_shown(db=db, storage=storage, job_id=job_id),
    )
    app.extensions.update(
        mailer=Mailer(settings, after_each=db.close_thread_connection),
        storage=storage,
        image_models=image_models,
        garment_image_classifier=garment_classifier,
        webhook_deliverer=deliverer,
        tryon_queue=create_job_queue(deps, settings, also_maintain=[deliverer.run]),
        image_sweeper=ImageSweeper(
            db=db, storage=storage, settings=settings, gemini_photos=image_models.photos
        ),
        event_streams=StreamSlots(),
    )


class NoCookieSessions(SessionInterface):
    """The API signs clients in with bearer tokens and keeps no cookie session: Flask's `session` stays the
    null one, and no request spends time building a cookie serializer."""

    def open_session(self, app: Flask, request: Request) -> None:
        return None

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None


class BecauseFutureFlask(Flask):
    session_interface = NoCookieSessions()

    def make_default_options_response(self) -> Response:
        """OPTIONS answers in the JSON envelope too (Flask's default is an empty text/html page)."""
        methods = sorted(request.url_rule.methods or ()) if request.url_rule else []
        return success_response({"allow": methods}, headers={"Allow": ", ".join(methods)})


class SqlIntegerConverter(IntegerConverter):
    """`<int:id>` up to the largest SQL integer: a longer number names no row, so no route (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:  # the rule's arguments, passed on
        super().__init__(url_map, *args, **{"max": MAX_SQL_INTEGER, **kwargs})


def shutdown_app(app: Flask) -> None:
    """Stop background work (queue workers), close the AI clients and the database: for tests and embedding."""
    app.extensions["tryon_queue"].stop()
    app.extensions["image_sweeper"].stop()
    app.extensions["webhook_deliverer"].stop()
    app.extensions["mailer"].stop()
    app.extensions["image_models"].close()
    app.extensions["db"].close_all()


def _resolve_settings(config: Settings | Mapping[str, Any] | None) -> Settings:
    if isinstance(config, Settings):
        settings = config
    else:
        settings = Settings.from_env().with_overrides(config or {})
    return finalize_secrets(settings)


def _register_request_hooks(app: Flask) -> None:
    access_log = get_logger("access")

    @app.before_request
    def assign_request_id() -> None:
        # the header as the environ holds it: Werkzeug's headers.get raises and catches an exception for a
        # header that is absent, and most clients send none (nor is a pattern called then: RE2 lets go of
        # the interpreter lock on each call)
        incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
        g.request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        request_id_var.set(g.request_id)

    @app.after_request
    def log_and_tag(response: Response) -> Response:
        request_id = getattr(g, "request_id", None) or uuid.uuid4().hex
        response.headers["X-Request-ID"] = request_id
        security_headers(response)
        if response.status_code not in _RETRY_STATUSES and "Retry-After" in response.headers:
            del response.headers["Retry-After"]
        started = getattr(g, "request_started", None)
        access_log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path[:_LOGGED_PATH_CHARS],
                "status": response.status_code,
                "user_id": getattr(g, "userid", None),
                "latency_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
                "remote_addr": request.remote_addr,
            },
        )
        return response

    @app.teardown_request
    def release_connection(_exc: BaseException | None) -> None:
        app.extensions["db"].close_thread_connection()


def _register_error_handlers(app: Flask) -> None:
    log = get_logger("errors")

    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError) -> Response:
        return error_response_from_exception(error)

    @app.errorhandler(RateLimitExceeded)
    def handle_rate_limited(error: RateLimitExceeded) -> Response:
        return error_response(
            "RATE_LIMITED",
            f"Too many requests: limit {error.description}. Retry after the time in Retry-After.",
            429,
            headers={"Retry-After": str(rate_limit.retry_after_seconds())},
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> Response:
        status = error.code or 500  # Flask hands no codeless HTTPException (a routing signal) to handlers
        code = _HTTP_CODES.get(status, "HTTP_ERROR")
        message = error.description or error.name
        details: dict[str, Any] | None = None
        if status == 413:
            message, details = _body_limit_hit(app.extensions["settings"])
        elif status == 404:
            message = "No such endpoint"
        elif status == 405:
            message = f"Method {request.method} is not allowed on this endpoint"
        headers = {}
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return error_response(code, message, status, details=details, headers=headers)

    @app.errorhandler(DatabaseUnavailableError)
    def handle_database_down(error: DatabaseUnavailableError) -> Response:
        log.error("database unavailable", extra={"error": str(error)})
        return error_response(
            "SERVICE_UNAVAILABLE",
            "The database is unavailable; try again shortly",
            503,
            headers={"Retry-After": "5"},
        )

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.path})
        return error_response(
            "INTERNAL_ERROR",
            "Something went wrong on our side; the error was logged "
            f"with request id {getattr(g, 'request_id', '-')}",
            500,
        )


def _body_limit_hit(settings: Settings) -> tuple[str, dict[str, Any]]:
    """(message, details) of a 413 naming the limit this request broke: its body's, a form field's or the parts'."""
    body_limit = request.max_content_length
    assert body_limit is not None  # create_app sets MAX_CONTENT_LENGTH; apply_json_limit narrows it
    length = request.content_length
    if length is None or length > body_limit or request.mimetype != "multipart/form-data":
        return (
            f"Request body is larger than the limit of {readable_size(body_limit)} for this endpoint",
            {"limit": "body", "max_bytes": body_limit},
        )
    if length <= settings.MAX_CLIENT_HTML_BYTES:  # no field can be larger than the whole form
        return (
            f"The form has more than the limit of {settings.MAX_FORM_PARTS} fields and files",
            {"limit": "form_parts", "max_parts": settings.MAX_FORM_PARTS},
        )
    return (
        "A form field (other than a file) is larger than the limit of "
        f"{readable_size(settings.MAX_CLIENT_HTML_BYTES)}",
        {"limit": "form_field", "max_bytes": settings.MAX_CLIENT_HTML_BYTES},
    )


def main() -> None:

    try:
        app = create_app()
    except ConfigurationError as exc:
        raise SystemExit(f"Configuration error: {exc}") from None
    settings = app.extensions["settings"]
    if settings.FLASK_DEBUG:
        app.run(host=settings.HOST, port=settings.PORT, debug=True, threaded=True, use_reloader=False)
        return
    # waitress reads each request whole before a thread takes it (slow clients cost no thread), logs no
    # request lines (the app logs each request without its query string) and names no version. It reads
    # 256 KB at a time rather than 8 KB: a large body then costs its I/O thread (and the interpreter lock
    # every other request needs) a quarter of the CPU (bench/bench_body_reads.py).
    # A request lookahead of one keeps reading the connection while a request runs, so a job's event stream
    # learns at once that its client has gone (shared/event_stream.py) instead of at its next failed write.
    serve(
        app,
        host=settings.HOST,
        port=settings.PORT,
        threads=settings.SERVER_THREADS,
        max_request_body_size=settings.MAX_REQUEST_SIZE,
        recv_bytes=256 * 1024,
        channel_request_lookahead=1,
        ident="Because Future",
        clear_untrusted_proxy_headers=True,
    )


if __name__ == "__main__":
    main()
