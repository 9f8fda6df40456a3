"""GET /health: is the service and each component it depends on reachable? 503 when one is not.

`ai` says whether try-ons can be generated (provider, model, status, reason); it does not change the
HTTP status, which stays about the API itself: a load balancer must not take the API out of service
because the AI provider renamed a model.
"""

from flask import Blueprint, current_app

from features.health import service
from features.health.schemas import Health
from shared.ai_models import get_image_models
from shared.database import get_db
from shared.response import success_response
from shared.schemas import Answer, operation
from shared.storage import get_storage

bp = Blueprint("health", __name__)


@bp.get("/health")
@operation(
    tag="Health",
    operation_id="health",
    summary="Is the service up, and is each component it uses reachable? Can try-ons be generated?",
    description="The HTTP status is about the API itself (database, storage, Redis): point a load balancer "
    "at it. `ai` says whether the AI model can generate try-ons right now (with Gemini: the model "
    "chosen from GEMINI_MODEL_NAME, or why none is usable); it never turns the answer into a 503.",
    answers={
        200: Answer(Health, "Every component answered."),
        503: Answer(Health, "A component (database, Redis) is unavailable; `data` says which."),
    },
)
def health():
    statuses = service.component_statuses(
        db=get_db(), storage=get_storage(), redis_url=current_app.extensions["settings"].REDIS_URL
    )
    healthy = all(state == service.CONNECTED for state in statuses.values())
    return success_response(
        {
            "status": "healthy" if healthy else "unhealthy",
            **statuses,
            "ai": get_image_models().tryon.availability(),
        },
        status_code=200 if healthy else 503,
    )
