"""Request and response shapes, declared once per feature (features/*/schemas.py) as pydantic v2 models.

A request model validates what a client sent and describes it in the OpenAPI document; a response model
only describes (answers are not re-validated on the way out: a read must not pay for it). The checks
themselves are shared/validators.py's, attached to the field types below, so every endpoint answers a bad
field with the codes and messages it always had; pydantic adds the declaration, the order and the schema.

One rule for fields a model does not declare: 400 UNKNOWN_FIELDS (the first five named, the rest counted),
except the model's `read_only` names (a client may send back what it read) and models declared with
`extra="ignore"` (endpoints that have always ignored extra fields). Required fields that are absent, null
or blank: 400 MISSING_FIELDS, all named at once. A field of the wrong type: 400 VALIDATION_ERROR naming it.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Annotated, Any, ClassVar, Literal, Self, TypeGuard

import pydantic
from flask import request
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic.fields import FieldInfo

from shared.errors import ValidationError
from shared.request_data import body_fields, json_body
from shared.validators import (
    field_details,
    field_list,
    refuse_unknown_fields,
    validate_choice,
    validate_email,
    validate_integer,
    validate_numeric,
    validate_past_date,
    validate_required,
    validate_text,
)

# pydantic's error types, by what the client sent wrong, and how the message says it.
_EXPECTED = {
    "string": "a string",
    "int": "an integer",
    "float": "a number",
    "decimal": "a number",
    "bool": "true or false",
    "dict": "an object",
    "model": "an object",
    "list": "an array",
    "tuple": "an array",
    "literal": "one of the allowed values",
    "enum": "one of the allowed values",
}


@dataclass(frozen=True)
class Misdirected:
    """The refusal of a field that belongs to another endpoint."""

    message: str
    code: str
    details: dict[str, Any] | None = None  # {"field": name} when None


class ResponseSchema(BaseModel):
    """The shape of an answer's `data`, for the document."""

    model_config = ConfigDict(extra="forbid")


class RequestSchema(BaseModel):
    """A request body or query string. `parse` is the only way in (it applies the module's rules)."""

    model_config = ConfigDict(extra="forbid")
    # Fields a client may send back unchanged from an answer (ids, timestamps): accepted and dropped.
    read_only: ClassVar[frozenset[str]] = frozenset()
    # Fields sent to the wrong endpoint, refused with a pointer to the right one.
    misdirected: ClassVar[dict[str, "Misdirected"]] = {}

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Self:
        """The validated model of client data (a dict); ValidationError (400) with today's codes otherwise."""
        names = _names(cls)
        if cls.misdirected and not names.misdirected.isdisjoint(data):
            name = next(name for name in cls.misdirected if name in data)
            refusal = cls.misdirected[name]
            raise ValidationError(
                refusal.message, code=refusal.code, details=refusal.details or {"field": name}
            )
        if names.forbid and not names.accepted.issuperset(data):
            refuse_unknown_fields(data, cls.model_fields, ignored=cls.read_only)
        if not cls.read_only.isdisjoint(data):
            data = {name: value for name, value in data.items() if name not in cls.read_only}
        if names.required:
            validate_required(data, names.required)
        try:
            return cls.model_validate(data)
        except pydantic.ValidationError as error:
            raise _refusal(error) from None

    def given(self) -> dict[str, Any]:
        """{name: value} of the fields the client sent (an explicit null included: it clears a value)."""
        return {name: getattr(self, name) for name in self.model_fields_set}


@dataclass(frozen=True)
class _Names:
    accepted: frozenset[str]  # declared and read-only fields
    required: tuple[str, ...]
    misdirected: frozenset[str]
    forbid: bool


@cache
def _names(model: type[RequestSchema]) -> _Names:
    """A model's field names as parse asks about them, computed once per model."""
    return _Names(
        accepted=frozenset(model.model_fields) | model.read_only,
        required=tuple(name for name, info in model.model_fields.items() if info.is_required()),
        misdirected=frozenset(model.misdirected),
        forbid=model.model_config.get("extra") == "forbid",
    )


def _refusal(error: pydantic.ValidationError) -> ValidationError:
    """pydantic's first complaint as our ValidationError (the field checks above raise ours directly)."""
    problems = error.errors(include_url=False, include_context=False, include_input=False)
    missing = [".".join(map(str, p["loc"])) for p in problems if p["type"] == "missing"]
    if missing:
        return ValidationError(
            f"Missing required field(s): {field_list(missing)}",
            code="MISSING_FIELDS",
            details=field_details(missing),
        )
    problem = problems[0]
    name = ".".join(map(str, problem["loc"])) or "request body"
    if problem["type"] == "extra_forbidden":
        return ValidationError(
            f"Unknown field(s): {field_list([name])}", code="UNKNOWN_FIELDS", details=field_details([name])
        )
    kind = problem["type"].split("_")[0]
    if kind in _EXPECTED:
        return ValidationError(f"{name} must be {_EXPECTED[kind]}", details={"field": name})
    return ValidationError(f"{name}: {problem['msg']}", details={"field": name})


# --- field types: the shared validators, with the schema they promise ----------------------------------
#
# Each helper is Annotated metadata: `height: Annotated[float | None, number(50, 300)] = None`. The declared type
# is what the check returns (the check replaces pydantic's own validation, so the codes and messages are ours);
# the schema is what the document shows.

RawJson = Any  # a client's JSON value as sent, checked by the service rather than by the model
FieldCheck = Callable[[Any, str], Any]  # check(value, field_name) → the clean value, or ValidationError


def _schema_of(schema: dict[str, Any], description: str | None) -> dict[str, Any]:
    return {**schema, "description": description} if description else schema


def checked(check: FieldCheck, schema: dict[str, Any] | object) -> PlainValidator:
    """A field checked by check(value, field_name), documented as schema: a JSON Schema (which may hold
    document_component references), or a type (a model) whose schema the document shows."""
    shown = Annotated[Any, WithJsonSchema(schema)] if isinstance(schema, dict) else schema
    return PlainValidator(lambda value, info: check(value, info.field_name), json_schema_input_type=shown)


def _bounds(low: float | None, high: float | None) -> dict[str, float]:
    return ({"minimum": low} if low is not None else {}) | ({"maximum": high} if high is not None else {})


def number(
    low: float | None = None, high: float | None = None, description: str | None = None
) -> PlainValidator:
    """A finite number (numeric strings accepted, blank is null), within [low, high] when given."""
    return checked(
        lambda v, name: validate_numeric(v, name, low, high),
        _schema_of({"type": ["number", "null"], **_bounds(low, high)}, description),
    )


def integer(
    low: int | None = None,
    high: int | None = None,
    description: str | None = None,
    default: int | None = None,
) -> PlainValidator:
    """An integer within [low, high] and the 64-bit SQL range (numeric strings accepted; blank is default)."""
    return checked(
        lambda v, name: validate_integer(v, name, low, high, default=default),
        _schema_of({"type": ["integer", "null"], **_bounds(low, high)}, description),
    )


def text(max_length: int = 5000, description: str | None = None) -> PlainValidator:
    """A trimmed string without control characters; blank becomes null."""
    return checked(
        lambda v, name: validate_text(v, name, max_length=max_length) or None,
        _schema_of({"type": ["string", "null"], "maxLength": max_length}, description),
    )


def choice(values: Sequence[str], description: str | None = None) -> PlainValidator:
    """One of values (blank is null)."""
    return checked(
        lambda v, name: validate_choice(v, name, values), _schema_of({"enum": [*values, None]}, description)
    )


def past_date(description: str | None = None) -> PlainValidator:
    """A YYYY-MM-DD date in the past, after 1900."""
    return checked(
        validate_past_date, _schema_of({"type": ["string", "null"], "format": "date"}, description)
    )


def email_address(description: str | None = None) -> PlainValidator:
    """An email address, trimmed and lower-cased."""
    return checked(
        lambda v, name: validate_email(v),
        _schema_of({"type": "string", "format": "email", "maxLength": 254}, description),
    )


def _url_string(value: object, name: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string", code="INVALID_URL", details={"field": name})
    return value.strip()


def url_text(description: str | None = None) -> PlainValidator:
    """A URL as a trimmed string (INVALID_URL otherwise); its syntax and safety are checked where it is
    fetched (shared/url_utils.py), which says why a URL is refused."""
    return checked(_url_string, _schema_of({"type": ["string", "null"], "format": "uri"}, description))


def flag(description: str | None = None) -> FieldInfo:
    """true or false, nothing else (not 1, not "yes"): `Annotated[bool, flag()]`."""
    info: FieldInfo = Field(strict=True, description=description)
    return info


def secret(
    description: str | None = None, min_length: int | None = None, max_length: int | None = None
) -> WithJsonSchema:
    """A password, handed to the service unchecked (`Annotated[RawJson, secret()]`): whatever is wrong with it
    (even its type) is answered the way that service answers a wrong or weak password (401
    INVALID_CREDENTIALS, 400 INVALID_PASSWORD)."""
    bounds = {key: value for key, value in (("minLength", min_length), ("maxLength", max_length)) if value}
    return WithJsonSchema(_schema_of({"type": "string", **bounds}, description))


def one_of(values: Iterable[str | None], description: str | None = None) -> FieldInfo:
    """An answer's field that holds one of values (a vocabulary the code owns, shown as the schema's enum)."""
    info: FieldInfo = Field(description=description, json_schema_extra={"enum": list(values)})
    return info


Timestamp = Annotated[str, Field(description="ISO 8601 in UTC, e.g. 2026-11-25T09:44:46+00:00.")]


COMPONENT = "x-component"
# Named schemas that are not models (enums read from the garment catalogue, the image file): name -> JSON
# Schema, filled by the features' schemas.py modules (document_component).
COMPONENTS: dict[str, dict[str, Any]] = {}


def document_component(name: str, schema: dict[str, Any]) -> dict[str, str]:
    """Adds a named schema to the document's components; a reference to it (for a field's schema)."""
    COMPONENTS[name] = schema
    return {COMPONENT: name}


def unchecked(schema: dict[str, Any] | object) -> WithJsonSchema | PlainValidator:
    """`Annotated[RawJson, unchecked(schema)]`: a field the service checks itself (its rules depend on other
    fields or on stored data), documented with schema: a JSON Schema (which may hold document_component
    references) or a type (a model)."""
    if isinstance(schema, dict):
        return WithJsonSchema(schema)
    return PlainValidator(lambda value: value, json_schema_input_type=schema)


class Shape(BaseModel):
    """Input the document shows but the view reads itself (a multipart form, a body checked by the service):
    never parsed with this model. Other fields are not refused by the document (the service says which)."""

    model_config = ConfigDict(extra="ignore")


IMAGE_FILE = document_component(
    "ImageFile",
    {
        "type": "string",
        "format": "binary",
        "description": "PNG, JPEG, WebP or HEIC/HEIF, at most MAX_UPLOAD_SIZE bytes and MAX_IMAGE_DIMENSION "
        "pixels a side.",
    },
)
ImageFile = Annotated[RawJson, unchecked(IMAGE_FILE)]


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable.")
    message: str = Field(description="For people.")
    details: dict[str, Any] = Field(
        default_factory=dict, description="What the error is about (e.g. `field`, `allowed`, `max_bytes`)."
    )


class Error(BaseModel):
    """Every error answer."""

    success: Literal[False]
    error: ErrorBody


class Pagination(ResponseSchema):
    total: int = Field(ge=0)
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)


class PageQuery(RequestSchema):
    """One page of a list. Other query parameters are ignored (a client may add a cache buster)."""

    model_config = ConfigDict(extra="ignore")

    limit: Annotated[int, integer(1, 100, default=20)] = 20
    offset: Annotated[int, integer(0, 10**9, default=0)] = 0

    def pagination(self, total: int) -> dict[str, int]:
        """The answer's `pagination`."""
        return {"total": total, "limit": self.limit, "offset": self.offset}


# --- operations: what the API document says about each route ------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One success response: its `data` model (None: no JSON body), what it means, and how it is sent."""

    model: object  # a ResponseSchema, a type (list[...], a union) or a JSON Schema; None: no JSON body
    description: str
    paginated: bool = False
    content: dict[str, Any] | None = (
        None  # OpenAPI content by media type, for answers other than the JSON envelope
    )
    headers: dict[str, Any] | None = None  # OpenAPI headers the answer carries (besides X-Request-ID)


@dataclass(frozen=True)
class Operation:
    """A route's entry in the document; the method, path, auth and rate limit come from the route itself."""

    tag: str
    summary: str
    answers: dict[int, Answer]
    description: str | None = None
    body: object = None  # a RequestSchema (parsed), a Shape or a JSON Schema (documented only)
    query: type[RequestSchema] | None = None
    form: object = None  # multipart fields, documented only: files are read by shared/request_data.py
    form_encoding: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # the multipart parts' content types, by field
    form_media_type: str = "multipart/form-data"
    errors: dict[int, list[str] | str] = field(default_factory=dict)  # status -> codes, or "*" (any)
    example: object = None
    path_parameters: dict[str, tuple[str | None, str | None]] = field(
        default_factory=dict
    )  # name -> (description, example)
    header_parameters: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # optional request headers the route reads: name -> (description, example)
    operation_id: str | dict[str, str] | None = None  # by HTTP method for a view routed for several


View = Callable[..., Any]


def operation(**declaration: Any) -> Callable[[View], View]:
    """Declares the route's document entry (Operation's fields) and hands the view its parsed input.

    With `body` a RequestSchema, the view is called with `body=` the parsed JSON object, or form when the
    route documents one (a Shape or a JSON Schema is only documented: the view reads the body itself); with
    `query`, with `query=` the parsed query string. Put it directly above the view function, under the auth
    decorator, so a request without a token is refused before its body is read.
    """
    spec = Operation(**declaration)
    body = spec.body if parses_input(spec.body) else None  # decided once, not per request

    def decorate(view: View) -> View:
        @wraps(view)
        def parsed(*args: Any, **kwargs: Any) -> Any:
            if body is not None:  # a route that documents a form reads either
                kwargs["body"] = body.parse(json_body() if spec.form is None else body_fields())
            if spec.query is not None:
                kwargs["query"] = spec.query.parse({name: request.args.get(name) for name in request.args})
            return view(*args, **kwargs)

        parsed.operation = spec  # type: ignore[attr-defined]  # read by features/docs/openapi.py
        return parsed

    return decorate


def parses_input(model: object) -> TypeGuard[type[RequestSchema]]:
    """Whether @operation parses input with model (a RequestSchema) rather than only documenting it."""
    return isinstance(model, type) and issubclass(model, RequestSchema)
