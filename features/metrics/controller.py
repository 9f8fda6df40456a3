"""GET /metrics (Prometheus text format). Not public: `Authorization: Bearer <METRICS_TOKEN>`, or, when
METRICS_TOKEN is unset, callers on the loopback interface only (a scraper on the same machine)."""
import hmac
import ipaddress

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from features.metrics import service
from shared.database import get_db
from shared.errors import AuthenticationError, ForbiddenError

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics():
    _check_access(current_app.extensions["settings"].METRICS_TOKEN)
    return Response(service.render(db=get_db()), mimetype=None, content_type=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})


def _check_access(token):
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(sent.encode(), token.encode()):
            raise AuthenticationError("Send the metrics token as 'Authorization: Bearer <METRICS_TOKEN>'",
                                      code="METRICS_TOKEN_REQUIRED")
        return
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ForbiddenError("Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere",
                             code="METRICS_LOOPBACK_ONLY")
