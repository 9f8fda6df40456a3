"""The response envelope every endpoint answers in."""

from typing import Any

from flask import Response, jsonify

from shared.errors import ApiError


def success_response(
    data: Any = None,
    message: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    pagination: dict[str, int] | None = None,
) -> Response:
    """`pagination` ({"total", "limit", "offset"}) sits beside `data` for list endpoints."""
    body: dict[str, Any] = {"success": True, "data": data}
    if pagination is not None:
        body["pagination"] = pagination
    if message:
        body["message"] = message
    response = jsonify(body)
    response.status_code = status_code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def error_response(
    code: str,
    message: str,
    status_code: int,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    response = jsonify({"success": False, "error": error})
    response.status_code = status_code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def error_response_from_exception(error: ApiError) -> Response:
    """Envelope for a shared.errors.ApiError."""
    return error_response(error.code, error.message, error.status_code, error.details, error.headers)


def readable_size(size: int) -> str:
    """A byte limit as an error message names it: whole MB, else whole KB."""
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def security_headers(response: Response) -> Response:
    """Headers every answer carries: no MIME sniffing, and JSON (tokens, personal data) kept out of caches."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "application/json" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
