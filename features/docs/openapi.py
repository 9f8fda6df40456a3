"""The OpenAPI document: openapi.yaml with its shorthands expanded (the file's header explains them).

The hand-written file says what is particular to each operation; this module adds what every
operation shares (the envelopes, the errors any request can meet, the request-id header), so the
served document describes every response without the file repeating it forty times.
"""
import json
from http import HTTPStatus
from pathlib import Path

import yaml

SOURCE = Path(__file__).with_name("openapi.yaml")
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
ANY_CODE = "*"
ERROR_SCHEMA = "#/components/schemas/Error"
TOKEN_CODES = ["AUTHENTICATION_REQUIRED", "INVALID_TOKEN", "TOKEN_EXPIRED", "TOKEN_REVOKED"]
_HEADER = "#/components/headers/"


def build_document(*, settings):
    """The served document, showing the rate limits configured in settings."""
    # The JSON round trip drops YAML's shared aliases, so expanding one operation never touches another.
    document = json.loads(json.dumps(yaml.safe_load(SOURCE.read_text(encoding="utf-8"))))
    for response in document["components"]["responses"].values():
        _expand_success(response)
    for path, _method, operation in operations(document):
        _expand_operation(operation, has_path_parameters="{" in path, settings=settings)
    return document


def operations(document):
    """(path, method, operation) for every operation in the document."""
    for path, path_item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in path_item:
                yield path, method, path_item[method]


def _expand_operation(operation, *, has_path_parameters, settings):
    for response in operation["responses"].values():
        if "$ref" not in response:
            _expand_success(response)
    errors = _common_errors(operation, has_path_parameters)
    for status, codes in operation.pop("x-errors", {}).items():
        errors[status] = ANY_CODE if ANY_CODE in (codes, errors.get(status)) else _union(codes, errors.get(status, []))
    limit_setting = operation.pop("x-rate-limit", None)
    if limit_setting:
        errors["429"] = _union(errors.get("429", []), ["RATE_LIMITED"])
        operation["description"] = (operation.get("description", "") + f"\n\nRate limit: {getattr(settings, limit_setting)} "
                                    f"(setting {limit_setting}); over it the answer is 429 RATE_LIMITED.").strip()
    for status in sorted(errors):
        if status not in operation["responses"]:
            operation["responses"][status] = _error_response(status, errors[status])


def _common_errors(operation, has_path_parameters):
    """The errors the app's shared machinery can answer for this operation."""
    errors = {"500": ["INTERNAL_ERROR"], "503": ["SERVICE_UNAVAILABLE"]}
    if any("bearerAuth" in requirement for requirement in operation.get("security", [])):
        errors["401"] = list(TOKEN_CODES)
    if has_path_parameters:
        errors["404"] = ["NOT_FOUND"]
    body = operation.get("requestBody")
    if has_path_parameters or operation.get("parameters") or body is not None:
        errors["400"] = ["VALIDATION_ERROR"]  # the database refuses text with NUL characters, whatever the field
    if body is not None:
        errors["400"].append("BAD_REQUEST")
        errors["413"] = ["PAYLOAD_TOO_LARGE"]
        if "$ref" in body or "application/json" in body.get("content", {}):
            errors["400"].append("INVALID_JSON")
            errors["415"] = ["UNSUPPORTED_MEDIA_TYPE"]
    return errors


def _expand_success(response):
    """x-data / x-paginated → the {"success": true, "data": ...} envelope; every response gets X-Request-ID."""
    response.setdefault("headers", {})["X-Request-ID"] = {"$ref": _HEADER + "X-Request-ID"}
    if "x-data" not in response:
        return
    paginated = response.pop("x-paginated", False)
    properties = {"success": {"const": True}, "data": response.pop("x-data"), "message": {"type": "string"}}
    if paginated:
        properties["pagination"] = {"$ref": "#/components/schemas/Pagination"}
    response["content"] = {"application/json": {"schema": {
        "type": "object", "required": ["success", "data", *(["pagination"] if paginated else [])],
        "properties": properties}}}


def _error_response(status, codes):
    phrase = HTTPStatus(int(status)).phrase
    headers = {"X-Request-ID": {"$ref": _HEADER + "X-Request-ID"}}
    if status in ("429", "503", "507"):
        headers["Retry-After"] = {"$ref": _HEADER + "Retry-After"}
    if codes == ANY_CODE:
        return {"description": f"{phrase}: error.code says why.", "headers": headers,
                "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA}}}}
    schema = {"allOf": [{"$ref": ERROR_SCHEMA},
                        {"properties": {"error": {"properties": {"code": {"enum": codes}}}}}]}
    return {"description": f"{phrase}: {', '.join(codes)}", "headers": headers,
            "content": {"application/json": {"schema": schema}}}


def _union(first, second):
    return list(dict.fromkeys([*first, *second]))
