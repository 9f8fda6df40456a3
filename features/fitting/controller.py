"""HTTP endpoints under /api/fitting: fit check and size recommendation for the caller's body."""
from flask import Blueprint, current_app, g, request

from features.fitting import service
from shared.database import get_db
from shared.middleware import require_auth
from shared.rate_limit import at_once_per_client, limit, user_or_ip_key
from shared.request_data import json_body, json_limit
from shared.response import success_response

bp = Blueprint("fitting", __name__, url_prefix="/api/fitting")


@bp.post("/check")
@limit("RATELIMIT_FITTING", key_func=user_or_ip_key)
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@json_limit("max_page_body_size")
@require_auth
def check_fit():
    result = service.check_fit(db=get_db(), settings=current_app.extensions["settings"], user_id=g.user_id,
                               user_gender=g.current_user["gender"], data=json_body())
    return success_response(result)


@bp.get("/size-recommendation")
@limit("RATELIMIT_FITTING", key_func=user_or_ip_key)
@at_once_per_client("MAX_PAGE_READS_PER_CLIENT")
@require_auth
def get_size_recommendation():
    result = service.recommend_size(db=get_db(), settings=current_app.extensions["settings"], user_id=g.user_id,
                                    user_gender=g.current_user["gender"], params=request.args.to_dict())
    return success_response(result)
