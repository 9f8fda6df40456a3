"""Webhook request and answer shapes: the account's endpoint, and a job's `callback`."""

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from features.webhooks.service import MAX_URL_LENGTH, SECRET_PREFIX
from shared.errors import ValidationError
from shared.schemas import RawJson, RequestSchema, ResponseSchema, one_of, unchecked

_CALLBACK_URL: dict[str, Any] = {
    "type": ["string", "null"],
    "format": "uri",
    "maxLength": MAX_URL_LENGTH,
    "description": "http(s), no credentials, its host resolving to public addresses only (checked again at "
    "every delivery); 400 CALLBACK_URL_NOT_ALLOWED otherwise.",
}
CALLBACK_URL_FIELD = unchecked(_CALLBACK_URL)


class WebhookEndpoint(ResponseSchema):
    url: str | None = Field(description="The default callback URL of the account's try-ons (null: none).")
    secret: str = Field(
        description=f"Signs every delivery (`{SECRET_PREFIX}` and 64 hex digits; the HMAC key is the whole "
        "string). Made on first use; POST /api/users/webhook/rotate replaces it."
    )


class WebhookUpdate(RequestSchema):
    """The default callback URL of the account's try-ons; null clears it."""

    model_config = ConfigDict(json_schema_extra={"required": ["url"]})

    url: Annotated[RawJson, CALLBACK_URL_FIELD] = None

    def url_given(self) -> str | None:
        """The URL sent (None clears); MISSING_FIELDS when the body does not name it (`{}` clears nothing)."""
        if "url" not in self.model_fields_set:
            raise ValidationError(
                "url is required (null clears it)", code="MISSING_FIELDS", details={"field": "url"}
            )
        url: str | None = self.url
        return url


class JobCallback(ResponseSchema):
    """The delivery of the job to its callback URL."""

    url: str
    status: Annotated[str | None, one_of(["pending", "delivered", "failed", None])] = Field(
        description="null while the job runs; `pending` once it ended (being sent, or waiting to be retried), "
        "`delivered` (the receiver answered 2xx), `failed` (WEBHOOK_MAX_ATTEMPTS attempts without a 2xx)."
    )
    attempts: int = Field(ge=0)
    last_status: int | None = Field(description="The HTTP status of the last attempt (null: no answer).")
    last_error: Annotated[
        str | None, one_of(["CALLBACK_URL_NOT_ALLOWED", "UNREACHABLE", "TIMEOUT", "INTERNAL_ERROR", None])
    ] = Field(
        description="Why the last attempt got no answer: its URL now resolves to a non-public address, no "
        "connection, no status line within WEBHOOK_TIMEOUT_SECONDS, or a fault on our side (logged)."
    )
