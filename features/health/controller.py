"""GET /health: is the service and each component it depends on reachable?"""
from flask import Blueprint

from shared.database import DatabaseUnavailableError, get_db
from shared.response import success_response

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    try:
        get_db().ping()
        database = "connected"
    except DatabaseUnavailableError:
        database = "unavailable"
    healthy = database == "connected"
    return success_response({"status": "healthy" if healthy else "unhealthy", "database": database},
                            status_code=200 if healthy else 503)
