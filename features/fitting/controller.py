"""HTTP endpoints under /api/fitting: fit check and size recommendation for the caller's body."""

from flask import Blueprint, current_app, g

from features.auth.decorators import require_auth
from features.fitting import service
from features.fitting.schemas import FitCheck, FitCheckRequest, RecommendationQuery, SizeRecommendation
from features.garments.schemas import PAGE_READ_ERRORS
from shared.database import get_db
from shared.rate_limit import at_once_per_client, limit, user_or_ip_key
from shared.request_data import json_limit
from shared.response import success_response
from shared.schemas import Answer, operation

bp = Blueprint("fitting", __name__)

TAG = "Fitting"
_ERRORS = {
    **PAGE_READ_ERRORS,
    400: [
        "CATEGORY_REQUIRED",
        "CONFLICTING_FIELDS",
        "MISSING_FIELDS",
        "INVALID_SIZE_CHART",
        "UNKNOWN_SIZE",
        "INVALID_FABRIC",
        *PAGE_READ_ERRORS[400],
        "OUT_OF_RANGE",
    ],
    404: ["ITEM_NOT_FOUND"],
    422: ["MEASUREMENTS_REQUIRED", "CATEGORY_NOT_SIZED", *PAGE_READ_ERRORS[422]],
}


@bp.post("/check")
@limit("RATELIMIT_FITTING", key_func=user_or_ip_key)
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
@require_auth
@operation(
    tag=TAG,
    operation_id="checkFit",
    body=FitCheckRequest,
    example={"category": "t_shirts", "size": "M", "fit_preference": "regular"},
    summary="How a size fits you zone by zone; without `size`, every size plus the recommendation.",
    description="The garment comes from `wardrobe_item_id`, or `url` (its product page, or the `html` you "
    "send), or just `category`. The size chart: `size_chart` if sent, else the page's size "
    "guide, else the brand's chart, else the built-in EN 13402-3 chart. Needs body measurements "
    "(height and weight are enough for estimates).",
    answers={
        200: Answer(
            FitCheck,
            "With `size`: that size's zones and verdict. Without: "
            "`sizes` (every size checked) and the recommendation fields.",
        )
    },
    errors=_ERRORS,
)
def check_fit(body):
    result = service.check_fit(
        db=get_db(),
        settings=current_app.extensions["settings"],
        user_id=g.userid,
        user_gender=g.current_user["gender"],
        data=body.given(),
    )
    return success_response(result)


@bp.get("/size-recommendation")
@limit("RATELIMIT_FITTING", key_func=user_or_ip_key)
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@require_auth
@operation(
    tag=TAG,
    operation_id="recommendSize",
    query=RecommendationQuery,
    summary="The best size for you, ranked alternatives, a confidence and a one-sentence explanation.",
    answers={200: Answer(SizeRecommendation, "The recommendation.")},
    errors=_ERRORS,
)
def get_size_recommendation(query):
    result = service.recommend_size(
        db=get_db(),
        settings=current_app.extensions["settings"],
        user_id=g.userid,
        user_gender=g.current_user["gender"],
        params=query.given(),
    )
    return success_response(result)
