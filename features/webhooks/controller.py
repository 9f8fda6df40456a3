"""The account's webhook: default callback URL and signing secret."""

from flask import Blueprint, Response, current_app, g

from features.auth.decorators import require_auth
from features.webhooks import service
from features.webhooks.schemas import WebhookEndpoint, WebhookUpdate
from shared.database import get_db
from shared.request_data import json_limit
from shared.response import success_response
from shared.schemas import Answer, operation

bp = Blueprint("webhooks", __name__)

TAG = "Webhooks"
_ENDPOINT = {200: Answer(WebhookEndpoint, "The account's callback URL and signing secret.")}


@bp.get("/webhook")
@require_auth
@operation(
    tag=TAG,
    operation_id="getWebhook",
    summary="The default callback URL of the caller's try-ons and the secret that signs every delivery.",
    description="The secret is made on the first call. Verify each delivery's `BecauseFuture-Signature` "
    "(`t=<unix>,v1=<hex>`: HMAC-SHA256 of `<t>.<raw body>` under the secret) before trusting it.",
    answers=_ENDPOINT,
)
def get_webhook() -> Response:
    return success_response(service.get_endpoint(db=get_db(), user_id=g.userid))


@bp.put("/webhook")
@json_limit("MAX_ACCOUNT_BODY_SIZE")
@require_auth
@operation(
    tag=TAG,
    operation_id="setWebhook",
    body=WebhookUpdate,
    example={"url": "https://hooks.example.com/because-future"},
    summary="Set (or with null clear) the default callback URL of the caller's try-ons.",
    description="A try-on sent with its own `callback_url` goes there instead. The URL is checked now and "
    "again at every delivery.",
    answers=_ENDPOINT,
    errors={400: ["CALLBACK_URL_NOT_ALLOWED", "MISSING_FIELDS", "UNKNOWN_FIELDS", "INVALID_JSON"]},
)
def set_webhook(body: WebhookUpdate) -> Response:
    return success_response(
        service.set_default_url(
            db=get_db(), settings=current_app.extensions["settings"], user_id=g.userid, url=body.url_given()
        )
    )


@bp.post("/webhook/rotate")
@require_auth
@operation(
    tag=TAG,
    operation_id="rotateWebhookSecret",
    summary="Replace the signing secret: every later delivery, retries included, is signed with the new one.",
    answers=_ENDPOINT,
)
def rotate_webhook_secret() -> Response:
    return success_response(service.rotate_secret(db=get_db(), user_id=g.userid), "Webhook secret replaced")
