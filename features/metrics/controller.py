"""GET /metrics (Prometheus text format). Not public: `Authorization: Bearer <METRICS_TOKEN>`, or, when
METRICS_TOKEN is unset, callers on the loopback interface only (a scraper on the same machine)."""

import hmac
import ipaddress

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from features.metrics import service
from shared.database import get_db
from shared.errors import AuthenticationError, ForbiddenError
from shared.schemas import Answer, operation

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
@operation(
    tag="Metrics",
    operation_id="metrics",
    summary="Prometheus metrics of try-on jobs, AI usage and estimated cost (text format).",
    description="Computed from the database at scrape time, so any API process reports the whole deployment "
    "(every API process and RQ worker). Not public: with METRICS_TOKEN set, send "
    "`Authorization: Bearer <token>`; without it only callers on this machine's loopback "
    "interface are answered. `tryon_jobs{status,code}` and `tryon_queue_depth` (gauges); "
    "`tryon_generations_total`, `tryon_estimated_cost_usd_total`, `tryon_tokens_total{kind}` by "
    "provider and model, and the histogram `tryon_model_seconds` by model (counters that keep "
    "deleted try-ons).",
    answers={200: Answer(None, "The metrics.", content={"text/plain": {"schema": {"type": "string"}}})},
    errors={401: ["METRICS_TOKEN_REQUIRED"], 403: ["METRICS_LOOPBACK_ONLY"]},
)
def metrics():
    _check_access(current_app.extensions["settings"].METRICS_TOKEN)
    return Response(
        service.render(db=get_db()),
        mimetype=None,
        content_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )


def _check_access(token):
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), token.encode()):
            raise AuthenticationError(
                "Send the metrics token as 'Authorization: Bearer <METRICS_TOKEN>'",
                code="METRICS_TOKEN_REQUIRED",
            )
        return
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ForbiddenError(
            "Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere",
            code="METRICS_LOOPBACK_ONLY",
        )
