"""GET /health: is the service and each component it depends on reachable? 503 when one is not."""
from flask import Blueprint, current_app

from features.health import service
from shared.database import get_db
from shared.response import success_response
from shared.storage import get_storage

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    statuses = service.component_statuses(db=get_db(), storage=get_storage(),
                                          redis_url=current_app.extensions["settings"].REDIS_URL)
    healthy = all(state == service.CONNECTED for state in statuses.values())
    return success_response({"status": "healthy" if healthy else "unhealthy", **statuses},
                            status_code=200 if healthy else 503)
