"""Reading request bodies safely (controllers only): JSON objects, multipart fields, JSON-in-form."""

import json
import math
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar, overload

from flask import Flask, current_app, request
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from config import Settings
from shared.errors import ApiError, PayloadTooLargeError, ValidationError

MAX_JSON_DEPTH = 32
# A JSON object from a client: its values are any JSON, checked by the schema or code that reads them.
JsonObject = dict[str, Any]
_View = TypeVar("_View", bound=Callable[..., Any])
_Json = TypeVar("_Json", list[Any], dict[str, Any])


def json_limit(setting_name: str) -> Callable[[_View], _View]:
    """Caps the endpoint's JSON bodies at the named setting or Settings property (a login needs a few hundred
    bytes, not 32 MB; parsing 30 MB of JSON cost ~760 MB).

    Other content types keep MAX_REQUEST_SIZE (a try-on's multipart form carries photos). An endpoint
    without one takes MAX_JSON_BODY_SIZE. The cap is applied by `apply_json_limit` before anything
    reads the body, rate-limit keys included.
    """

    def mark(view: _View) -> _View:
        view.json_limit_setting = setting_name  # type: ignore[attr-defined]  # read back by _json_cap
        return view

    return mark


def apply_json_limit() -> None:
    """before_request hook: the endpoint's JSON cap becomes this request's max_content_length (a request with
    no Content-Type, every GET, is not JSON: Werkzeug's headers would raise and catch a KeyError to say so)."""
    if request.environ.get("CONTENT_TYPE") and request.is_json:
        request.max_content_length = _json_cap(current_app, request.endpoint)


def json_cap_for(app: Flask, method: str, path: str) -> int | None:
    """The JSON cap of the endpoint a request line routes to, None when it routes nowhere.

    The server asks it as soon as a request's headers are read, so a JSON body past its endpoint's cap is
    refused before it is received (a 30 MB body to the login cost the server's reading thread, and every
    request waiting for the interpreter, as much as reading it whole).
    """
    try:
        endpoint, _arguments = app.url_map.bind("localhost").match(path, method)
    except HTTPException:  # no such route or method, or a redirect
        return None
    return _json_cap(app, endpoint)


def _json_cap(app: Flask, endpoint: str | None) -> int:
    view = app.view_functions.get(endpoint) if endpoint is not None else None
    setting_name = getattr(view, "json_limit_setting", "MAX_JSON_BODY_SIZE")
    settings: Settings = app.extensions["settings"]
    cap: int = getattr(settings, setting_name)
    return min(cap, settings.MAX_REQUEST_SIZE)


def json_body(required: bool = True) -> JsonObject:
    """The request's JSON object; 415 for another content type, 400 for malformed or non-object JSON."""
    if not request.is_json and (
        request.content_length or (request.content_length is None and request.stream.read(1))
    ):
        # refused without reading the rest: another type's body may be as large as MAX_REQUEST_SIZE
        raise ApiError(
            "Content-Type must be application/json", code="UNSUPPORTED_MEDIA_TYPE", status_code=415
        )
    if not request.is_json or not request.get_data(cache=True):
        if required:
            raise ValidationError("Request body must be a JSON object", code="INVALID_JSON")
        return {}
    data = parse_json_text(request.get_data(as_text=True), "request body")
    if not isinstance(data, dict):
        raise ValidationError("Request body must be a JSON object", code="INVALID_JSON")
    return data


def body_fields() -> JsonObject:
    """Fields of a JSON object body or a multipart/urlencoded form, whichever the client sent."""
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if None in request.form:  # werkzeug files a field whose name it cannot parse under None
            raise ValidationError("A form field's name could not be read")
        return {key: request.form.get(key) for key in request.form}
    return json_body()


def parse_json_text(text: str, field_name: str) -> Any:
    """Parse client JSON text; refuses NaN/Infinity (also as 1e400), absurd nesting and lone surrogates with a 400.

    Any JSON value (object, array, string, number, true/false, null): the caller checks the shape it needs."""

    def refuse_constant(name: str) -> NoReturn:
        raise ValueError(f"{name} is not allowed")

    def finite_float(literal: str) -> float:
        number = float(literal)
        if not math.isfinite(number):  # 1e400 is Infinity spelled as a number
            raise ValueError(f"{literal} is out of range")
        return number

    try:
        value = json.loads(text, parse_constant=refuse_constant, parse_float=finite_float)
    except (ValueError, RecursionError):
        raise ValidationError(
            f"{field_name} is not valid JSON", code="INVALID_JSON", details={"field": field_name}
        ) from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise ValidationError(
            f"{field_name} is nested too deeply", code="INVALID_JSON", details={"field": field_name}
        )
    if not _is_valid_unicode(value):
        raise ValidationError(
            f"{field_name} contains an invalid \\u escape (a lone surrogate)",
            code="INVALID_JSON",
            details={"field": field_name},
        )
    return value


@overload
def json_form_field(name: str, expected_type: type[_Json]) -> _Json | None: ...
@overload
def json_form_field(name: str, expected_type: type[_Json], default: _Json) -> _Json: ...


def json_form_field(name: str, expected_type: type[_Json], default: _Json | None = None) -> _Json | None:
    """A form field that carries JSON (e.g. options, item_urls)."""
    raw = request.form.get(name)
    if raw is None or raw.strip() == "":
        return default
    value: object = parse_json_text(raw, name)
    if not isinstance(value, expected_type):
        raise ValidationError(
            f"{name} must be a JSON {expected_type.__name__.replace('dict', 'object').replace('list', 'array')}",
            code="INVALID_JSON",
            details={"field": name},
        )
    return value


def _depth(value: object, level: int = 0) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _is_valid_unicode(value: object) -> bool:
    """False when a "\\ud800"-style escape left a lone surrogate: no database, hash or log can encode it."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_upload(file_storage: FileStorage, field_name: str, max_bytes: int) -> bytes:
    """Bytes of an uploaded file, refusing empty files and files over max_bytes (413)."""
    data = file_storage.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PayloadTooLargeError(
            f"{field_name} is larger than {max_bytes // (1024 * 1024)} MB",
            code="FILE_TOO_LARGE",
            details={"field": field_name, "max_bytes": max_bytes},
        )
    if not data:
        raise ValidationError(f"{field_name} is empty", code="EMPTY_FILE", details={"field": field_name})
    return data
