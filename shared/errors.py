"""Typed exceptions. Raised anywhere; turned into the JSON envelope only by the app's error handlers."""

from typing import Any


class ApiError(Exception):
    """An error a client can act on: HTTP status, a stable machine code and a human message."""

    status_code = 400
    code = "BAD_REQUEST"

    def __init__(
        self,
        message: str,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.details = details or {}
        self.headers = headers or {}


class ValidationError(ApiError):
    status_code = 400
    code = "VALIDATION_ERROR"


class AuthenticationError(ApiError):
    status_code = 401
    code = "AUTHENTICATION_REQUIRED"


class ForbiddenError(ApiError):
    status_code = 403
    code = "FORBIDDEN"


class NotFoundError(ApiError):
    status_code = 404
    code = "NOT_FOUND"


class ConflictError(ApiError):
    status_code = 409
    code = "CONFLICT"


class PayloadTooLargeError(ApiError):
    status_code = 413
    code = "PAYLOAD_TOO_LARGE"


class UnprocessableError(ApiError):
    status_code = 422
    code = "UNPROCESSABLE"


class RateLimitedError(ApiError):
    status_code = 429
    code = "RATE_LIMITED"


class UpstreamError(ApiError):
    """The outside world (a shop, the AI provider) failed us."""

    status_code = 502
    code = "UPSTREAM_ERROR"


class UpstreamTimeoutError(UpstreamError):
    status_code = 504
    code = "UPSTREAM_TIMEOUT"


class ServiceUnavailableError(ApiError):
    status_code = 503
    code = "SERVICE_UNAVAILABLE"
