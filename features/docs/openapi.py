"""The OpenAPI document, generated from the routes and their declared schemas (shared/schemas.py).

Each route's @operation says what is particular to it (summary, body, answers, its own error codes); the
route itself says its method, path, path parameters, auth (@require_auth / @optional_auth) and rate limit
(@limit). This module adds what every operation shares (the envelopes, the errors any request can meet, the
request-id header), so the document describes every response without any feature repeating it:
500 INTERNAL_ERROR and 503 everywhere; 401 with bearerAuth; 400 VALIDATION_ERROR on operations taking any
input (the database refuses text with NUL characters); 400 BAD_REQUEST / 413 with a body; 400 INVALID_JSON
and 415 with a JSON body; 404 NOT_FOUND on paths with parameters; 429 with a rate limit.

Nothing is written twice: the schemas are the features' models (features/*/schemas.py, shared/schemas.py)
and the named schemas they declare (document_component); what is left here is the document's own text.
"""

from http import HTTPStatus

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

from shared.schemas import COMPONENT, COMPONENTS, Error, Pagination, parses_input
from shared.text_patterns import compile_pattern

DESCRIPTION = """\
Every JSON answer is an envelope: `{"success": true, "data": ..., "message"?: ..., "pagination"?: ...}`
or `{"success": false, "error": {"code", "message", "details"?}}`. `error.code` is stable and
machine-readable; the message is for people. Every response carries `X-Request-ID` (send your own
to correlate logs).

Sign up (`POST /api/create-account`) or sign in (`POST /api/login`) to get an access token (a JWT valid
`expires_in` seconds) and a refresh token, then send `Authorization: Bearer <token>`; before the access
token expires, trade the refresh token for a new pair at `POST /api/auth/refresh` (each refresh token works
once). Image URLs in answers are absolute, signed and expire
(`IMAGE_URL_TTL`); ask the API again for a fresh one.

The try-on is asynchronous: `POST /api/tryon` answers 202 with a `job_id`; poll
`GET /api/job/{job_id}` until `status` is `done` (then `result_url` is set) or `failed`
(then `error` says why). `/playground` is a page that walks the whole flow in a browser.
"""
# The tags in the order the docs page lists them, with what each groups.
TAGS = {
    "Health": None,
    "Account": "Sign up, sign in, and the sessions (signed-in devices) that keep a shopper signed in.",
    "Profile": None,
    "Body measurements": "Always the caller's own; stored in metric (send `unit` = `imperial` for inches and "
    "pounds).",
    "Avatar": "The caller's photo with its background removed; used by try-on when no selfie is sent.",
    "Try-on": None,
    "Wardrobe sections": "Platform sections (read-only) and the caller's own.",
    "Wardrobe categories": "Platform categories (read-only, addressed by name) and the caller's own (by id).",
    "Wardrobe items": None,
    "Garments": "Product pages read into normalised garments.",
    "Fitting": "Fit checks and size recommendations from the caller's body measurements.",
    "Images": None,
    "Metrics": "For the operator's Prometheus, not for clients.",
}
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The `token` from /api/create-account, /api/login, /api/auth/refresh or "
        "/api/users/profile/change-password.",
    }
}
HEADERS = {
    "X-Request-ID": {
        "description": "The request's id (yours when you sent a valid one), also in the server's logs.",
        "schema": {"type": "string"},
    },
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "string"}},
    "Location": {"description": "Where to poll the job.", "schema": {"type": "string"}},
}
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
ANY_CODE = "*"
ERROR_SCHEMA = "#/components/schemas/Error"
TOKEN_CODES = ["AUTHENTICATION_REQUIRED", "INVALID_TOKEN", "TOKEN_EXPIRED", "TOKEN_REVOKED", "SESSION_ENDED"]
_HEADER = "#/components/headers/"
_COMPONENT = "#/components/schemas/{model}"
_RULE_ARGUMENT = compile_pattern(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([A-Za-z_][A-Za-z0-9_]*)>")
_PATH_SCHEMAS = {
    "int": {"type": "integer"},
    "path": {"type": "string"},
    "string": {"type": "string"},
    None: {"type": "string"},
}


class _Schemas(GenerateJsonSchema):
    """pydantic's JSON Schema without a title on every property (the name says it) and without null defaults
    (a field not sent is simply not changed; the schema of a field that may not be null must not show one)."""

    def field_title_should_be_set(self, schema):
        return False

    def default_schema(self, schema):
        if schema.get("default", ...) is None:
            return self.generate_inner(schema["schema"])
        return super().default_schema(schema)


def build_document(*, app, settings):
    """The served document, showing the rate limits configured in settings."""
    components = dict(COMPONENTS)
    for model in (Error, Pagination):
        _schema(model, components)
    paths = {}
    for path, method, operation in generated_operations(app, components):
        paths.setdefault(path, {})[method] = operation
    document = _with_component_refs(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Because Future API",
                "version": "1.0.0",
                "summary": "Virtual try-on backend for the Because Future mobile app and Chrome extension.",
                "description": DESCRIPTION,
            },
            "servers": [{"url": "/", "description": "This server"}],
            "tags": [
                {"name": name, **({"description": text} if text else {})} for name, text in TAGS.items()
            ],
            "paths": paths,
            "components": {
                "securitySchemes": SECURITY_SCHEMES,
                "headers": HEADERS,
                "schemas": dict(sorted(components.items())),
            },
        }
    )
    for path, _method, operation in operations(document):
        _expand_operation(operation, has_path_parameters="{" in path, settings=settings)
    return document


def operations(document):
    """(path, method, operation) for every operation in the document."""
    for path, path_item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in path_item:
                yield path, method, path_item[method]


def generated_operations(app, components):
    """(path, method, shorthand operation) of every route declared with @operation; the models they name are
    added to components."""
    seen = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = app.view_functions[rule.endpoint]
        spec = getattr(view, "operation", None)
        if spec is None:
            continue
        path = _RULE_ARGUMENT.sub(r"{\2}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (path, method) not in seen:  # a view routed twice (by id and by name) is one operation
                seen.add((path, method))
                yield path, method.lower(), _operation(rule, method, view, spec, components)


def _operation(rule, method, view, spec, components):
    operation_id = spec.operation_id
    if isinstance(operation_id, dict):  # one view serving several methods
        operation_id = operation_id[method]
    operation = {
        "tags": [spec.tag],
        "operationId": operation_id or _camel_case(view.__name__),
        "summary": spec.summary,
    }
    if spec.description:
        operation["description"] = spec.description
    auth = getattr(view, "auth", None)
    if auth:
        operation["security"] = [{"bearerAuth": []}] if auth == "required" else [{}, {"bearerAuth": []}]
    parameters = [
        _path_parameter(converter, name, spec) for converter, name in _RULE_ARGUMENT.findall(rule.rule)
    ]
    if spec.query is not None:
        parameters += _query_parameters(spec.query)
    if parameters:
        operation["parameters"] = parameters
    errors = {
        str(status): codes if codes == ANY_CODE else list(codes) for status, codes in spec.errors.items()
    }
    content = {}
    if spec.form is not None:
        content[spec.form_media_type] = {"schema": _schema(spec.form, components)}
        if spec.form_encoding:
            content[spec.form_media_type]["encoding"] = spec.form_encoding
    if spec.body is not None:
        content["application/json"] = {"schema": _schema(spec.body, components)}
        if spec.example is not None:
            content["application/json"]["example"] = spec.example
    if content:
        operation["requestBody"] = {"required": True, "content": content}
    for model in (spec.body, spec.query):
        if parses_input(model):
            errors["400"] = list(dict.fromkeys([*errors.get("400", []), *_input_codes(model)]))
    operation["responses"] = {
        str(status): _answer(answer, components) for status, answer in spec.answers.items()
    }
    if errors:
        operation["x-errors"] = errors
    limit_setting = getattr(view, "rate_limit_setting", None)
    if limit_setting:
        operation["x-rate-limit"] = limit_setting
    return operation


def _input_codes(model):
    """The 400 codes shared/schemas.py answers for this model's input."""
    codes = ["VALIDATION_ERROR"]
    if model.model_config.get("extra") == "forbid":
        codes.append("UNKNOWN_FIELDS")
    if any(field.is_required() for field in model.model_fields.values()):
        codes.append("MISSING_FIELDS")
    codes += [refusal.code for refusal in model.misdirected.values()]
    return codes


def _answer(answer, components):
    response = {"description": answer.description}
    if answer.headers:
        response["headers"] = dict(answer.headers)
    if answer.content:
        response["content"] = answer.content
    elif answer.model is not None:
        response["x-data"] = _schema(answer.model, components)
        if answer.paginated:
            response["x-paginated"] = True
    return response


def _path_parameter(converter, name, spec):
    description, example = spec.path_parameters.get(name, (None, None))
    parameter = {
        "name": name,
        "in": "path",
        "required": True,
        "schema": dict(_PATH_SCHEMAS[converter or None]),
    }
    if converter == "int":
        parameter["schema"]["minimum"] = 1
    if description:
        parameter["description"] = description
    if example is not None:
        parameter["example"] = example
    return parameter


def _query_parameters(model):
    schema = model.model_json_schema(ref_template=_COMPONENT, schema_generator=_Schemas)
    required = set(schema.get("required", []))
    parameters = []
    for name, field_schema in schema["properties"].items():
        parameter = {"name": name, "in": "query", "schema": _without_null(field_schema)}
        if "description" in field_schema:
            parameter["description"] = field_schema.pop("description")
        if name in required:
            parameter["required"] = True
        parameters.append(parameter)
    return parameters


def _without_null(schema):
    """A query parameter's schema without the null a model field allows: a query string cannot carry one
    (a parameter left out, or sent empty, takes the default)."""
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        rest = [kind for kind in types if kind != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}
    branches = [branch for branch in schema.get("anyOf", []) if branch != {"type": "null"}]
    if len(branches) != 1:
        return schema
    return {**{key: value for key, value in schema.items() if key != "anyOf"}, **branches[0]}


def _schema(annotation, components):
    """A $ref to a model's component (added to components with every model it names), or an inline schema."""
    if isinstance(annotation, dict):  # a JSON Schema already
        return annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        schema = annotation.model_json_schema(ref_template=_COMPONENT, schema_generator=_Schemas)
        components.update(schema.pop("$defs", {}))
        components[annotation.__name__] = schema
        return {"$ref": _COMPONENT.format(model=annotation.__name__)}
    schema = TypeAdapter(annotation).json_schema(ref_template=_COMPONENT, schema_generator=_Schemas)
    components.update(schema.pop("$defs", {}))
    return schema


def _with_component_refs(node):
    """document_component markers as $refs (a marker rather than a $ref in the models: pydantic resolves every
    $ref it sees among its own definitions). The copy also keeps operations from sharing any dict."""
    if isinstance(node, list):
        return [_with_component_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    if COMPONENT in node:
        return {"$ref": _COMPONENT.format(model=node[COMPONENT])}
    return {key: _with_component_refs(value) for key, value in node.items()}


def _camel_case(name):
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def _expand_operation(operation, *, has_path_parameters, settings):
    for response in operation["responses"].values():
        if "$ref" not in response:
            _expand_success(response)
    errors = _common_errors(operation, has_path_parameters)
    for status, codes in operation.pop("x-errors", {}).items():
        errors[status] = (
            ANY_CODE if ANY_CODE in (codes, errors.get(status)) else _union(codes, errors.get(status, []))
        )
    limit_setting = operation.pop("x-rate-limit", None)
    if limit_setting:
        errors["429"] = _union(errors.get("429", []), ["RATE_LIMITED"])
        operation["description"] = (
            operation.get("description", "") + "\n\nRate limit: "
            f"{getattr(settings, limit_setting)} (setting {limit_setting}); over it the "
            "answer is 429 RATE_LIMITED."
        ).strip()
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
        errors["400"] = [
            "VALIDATION_ERROR"
        ]  # the database refuses text with NUL characters, whatever the field
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
    response["content"] = {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["success", "data", *(["pagination"] if paginated else [])],
                "properties": properties,
            }
        }
    }


def _error_response(status, codes):
    phrase = HTTPStatus(int(status)).phrase
    headers = {"X-Request-ID": {"$ref": _HEADER + "X-Request-ID"}}
    if status in ("429", "503", "507"):
        headers["Retry-After"] = {"$ref": _HEADER + "Retry-After"}
    if codes == ANY_CODE:
        return {
            "description": f"{phrase}: error.code says why.",
            "headers": headers,
            "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA}}},
        }
    schema = {
        "allOf": [
            {"$ref": ERROR_SCHEMA},
            {"properties": {"error": {"properties": {"code": {"enum": codes}}}}},
        ]
    }
    return {
        "description": f"{phrase}: {', '.join(codes)}",
        "headers": headers,
        "content": {"application/json": {"schema": schema}},
    }


def _union(first, second):
    return list(dict.fromkeys([*first, *second]))
