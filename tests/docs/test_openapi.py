"""/openapi.json: valid OpenAPI 3.1, complete against the app's URL map and its error codes, true about
auth; /docs and /playground served with every file from this server."""

import json
import re

from openapi_spec_validator import validate

from features.docs.openapi import operations
from features.tryon.pipeline import STAGE_PROGRESS
from shared.ai_models.errors import CODES as MODEL_ERROR_CODES
from shared.errors import ApiError
from tests.docs.conftest import ROOT

# Where the code says which error codes a client can get.
_CODE_ARGUMENT = re.compile(r"""\bcode=["']([A-Z][A-Z0-9_]+)["']""")
_ERROR_RESPONSE = re.compile(r'error_response\(\s*"([A-Z][A-Z0-9_]+)"')
_UPPER_LITERAL = re.compile(r'"([A-Z][A-Z0-9_]{2,})"')
# Raised by name but never shown to a client: storage keys come from our own code, and /images turns
# a bad key into IMAGE_NOT_FOUND.
_INTERNAL_CODES = {"INVALID_IMAGE_PATH"}
_PATH_PARAMETER = re.compile(r"\{[^}]+\}")
_ASSET = re.compile(r'(?:src|href)="((?!data:)[^"]+)"')


def _document(client):
    return client.get("/openapi.json").get_json()


def _served_operations(app):
    """{(OpenAPI path, method)} of every URL rule, except the documentation's own pages."""
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("docs."):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        served |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return served


def _source_texts():
    sources = [ROOT / "app.py", *(ROOT / "features").rglob("*.py"), *(ROOT / "shared").rglob("*.py")]
    return [
        path.read_text(encoding="utf-8")
        for path in sources
        if (ROOT / "features" / "docs") not in path.parents
    ]


def _codes_raised_in_source():
    """Every error code the code raises (or answers) by name."""
    codes = set()
    for text in _source_texts():
        for pattern in (_CODE_ARGUMENT, _ERROR_RESPONSE):
            codes |= set(pattern.findall(text))
    return (codes | set(MODEL_ERROR_CODES)) - _INTERNAL_CODES


def _codes_the_app_can_answer():
    """Those, the error classes' default codes and the codes the app gives HTTP errors."""
    app_literals = set(_UPPER_LITERAL.findall((ROOT / "app.py").read_text(encoding="utf-8")))
    return _codes_raised_in_source() | _default_codes() | app_literals


def _documented_error_codes(document):
    codes = set()
    for _path, _method, operation in operations(document):
        for response in operation["responses"].values():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            for part in schema.get("allOf", []):
                codes |= set(
                    part.get("properties", {})
                    .get("error", {})
                    .get("properties", {})
                    .get("code", {})
                    .get("enum", [])
                )
    return codes


def _resolved(document, node):
    """node, or what its local $ref ("#/components/...") points at."""
    if "$ref" not in node:
        return node
    for key in node["$ref"].removeprefix("#/").split("/"):
        document = document[key]
    return document


def _default_codes(error_class=ApiError):
    return {error_class.code}.union(*(_default_codes(sub) for sub in error_class.__subclasses__()))


def test_the_document_is_valid_openapi_3_1(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)
    bearer = document["components"]["securitySchemes"]["bearerAuth"]
    assert (bearer["type"], bearer["scheme"], bearer["bearerFormat"]) == ("http", "bearer", "JWT")


def test_every_endpoint_the_app_serves_is_documented_and_nothing_else(app, client):
    documented = {(path, method) for path, method, _operation in operations(_document(client))}
    served = _served_operations(app)
    assert sorted(served - documented) == [], "declare these routes with @operation (shared/schemas.py)"
    assert sorted(documented - served) == [], "the document describes endpoints the app does not serve"


def test_every_reference_resolves_and_every_component_is_used(client):
    """The document is generated whole from the code: a $ref to a component nobody declared, or a component
    nothing points at (a leftover), is a mistake in a schemas.py."""
    document = _document(client)
    text = json.dumps(document)
    referenced = set(re.findall(r'"\$ref": "#/components/([A-Za-z]+)/([^"]+)"', text))
    assert sorted(ref for ref in referenced if ref[1] not in document["components"][ref[0]]) == []
    declared = {("schemas", name) for name in document["components"]["schemas"]} | {
        ("headers", name) for name in document["components"]["headers"]
    }
    assert sorted(declared - referenced) == []
    assert not (ROOT / "features" / "docs" / "openapi.yaml").exists()


def test_every_operation_documents_success_errors_and_the_envelope(client):
    document = _document(client)
    for path, method, operation in operations(document):
        statuses = set(operation["responses"])
        assert any(status.startswith("2") for status in statuses), (method, path)
        assert {"500", "503"} <= statuses, (method, path)
        assert operation["summary"] and operation["tags"], (method, path)
        for status, response in operation["responses"].items():
            response = _resolved(document, response)
            assert "X-Request-ID" in response.get("headers", {}), (method, path, status)
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                is_error = "#/components/schemas/Error" in json.dumps(schema)
                is_success = schema.get("properties", {}).get("success") == {"const": True}
                assert is_error != is_success, (method, path, status)
                assert is_error == (status >= "400") or path == "/health", (method, path, status)


def test_operations_with_bearer_auth_refuse_a_request_without_a_token_and_the_others_do_not(client):
    for path, method, operation in operations(_document(client)):
        requirements = operation.get("security", [])
        response = client.open(_PATH_PARAMETER.sub("1", path), method=method.upper())
        if requirements and {} not in requirements:
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.get_json()["error"]["code"] == "AUTHENTICATION_REQUIRED"
            assert "401" in operation["responses"]
        else:
            assert response.status_code != 401, (method, path)


def test_a_nul_character_in_any_path_parameter_gets_a_documented_answer(client, user):
    document = _document(client)
    for path, method, operation in operations(document):
        if "{" not in path or path.startswith("/images/"):
            continue
        response = client.open(
            _PATH_PARAMETER.sub("a%00b", path), method=method.upper(), headers=user["headers"]
        )
        documented = _resolved(document, operation["responses"].get(str(response.status_code), {}))
        assert documented, (method, path, response.status_code)
        codes = documented["content"]["application/json"]["schema"]["allOf"][1]["properties"]["error"][
            "properties"
        ]["code"]["enum"]
        assert response.get_json()["error"]["code"] in codes, (method, path)


def test_every_error_code_the_code_raises_is_in_the_document(client):
    text = json.dumps(_document(client))
    undocumented = sorted(code for code in _codes_raised_in_source() if not re.search(rf"\b{code}\b", text))
    assert undocumented == [], "document these error codes (the route's @operation errors)"


def test_every_documented_error_code_is_one_the_app_can_answer(client):
    assert sorted(_documented_error_codes(_document(client)) - _codes_the_app_can_answer()) == []


def test_rate_limits_are_documented_with_their_configured_value(client):
    create_account = _document(client)["paths"]["/api/create-account"]["post"]
    assert "Rate limit: 10 per hour (setting RATELIMIT_CREATE_ACCOUNT)" in create_account["description"]
    assert create_account["responses"]["429"]["content"]["application/json"]["schema"]["allOf"][1][
        "properties"
    ]["error"]["properties"]["code"]["enum"] == ["RATE_LIMITED"]


def test_the_documented_job_stages_are_the_pipeline_s_and_the_playground_shows_them_in_order(client):
    stages = _document(client)["components"]["schemas"]["Job"]["properties"]["stage"]["enum"]
    assert stages == ["queued", "starting", *STAGE_PROGRESS, "done"]
    playground = (ROOT / "features" / "docs" / "playground" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-stage="([a-z_]+)"', playground) == stages


def test_docs_page_loads_swagger_ui_from_this_server(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assets = _ASSET.findall(html)
    assert {"docs/assets/swagger-ui-bundle.js", "docs/assets/swagger-ui.css"} <= set(assets)
    assert not [asset for asset in assets if "//" in asset], "no file may come from another host"
    assert 'url: "openapi.json"' in html
    for asset in assets:
        response = client.get("/" + asset)
        assert response.status_code == 200 and len(response.data) > 100, asset


def test_playground_page_and_its_files_are_served_by_the_app(client):
    page = client.get("/playground")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assets = _ASSET.findall(page.get_data(as_text=True))
    assert {"playground/app.js", "playground/style.css"} <= set(assets)
    assert not [asset for asset in assets if "//" in asset]
    for asset in assets:
        assert client.get("/" + asset).status_code == 200, asset


def test_a_missing_docs_file_is_a_json_404(client):
    for path in ("/docs/assets/nothing.js", "/playground/nothing.js", "/playground/../app.py"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["success"] is False


def test_the_documented_garment_vocabulary_is_the_catalogue_s(client):
    from shared.garment_catalog import GARMENT_TYPES, KINDS, PLATFORM_CATEGORY

    schemas = _document(client)["components"]["schemas"]
    assert schemas["GarmentType"]["enum"] == list(GARMENT_TYPES)
    assert schemas["PlatformCategory"]["enum"] == list(PLATFORM_CATEGORY)
    assert schemas["GarmentKind"]["enum"] == [entry.kind for entry in KINDS]
    assert set(PLATFORM_CATEGORY) <= set(schemas["CategoryName"]["enum"])


# The routes that delete a photo of the caller, and with it the caller's photos uploaded to the Gemini Files API
# (shared/ai_models/gemini_file_rows.py, deleting_user_photos).
DELETING_USER_PHOTOS = {
    "deleteAccount",
    "saveAvatar",
    "updateAvatar",
    "updateItem",
    "deleteItem",
    "deleteJob",
}


def test_the_routes_that_delete_a_users_photos_say_google_deletes_them_too_and_no_other_does(client):
    said = {
        operation["operationId"]
        for _path, _method, operation in operations(_document(client))
        if "deleted at Google" in operation.get("description", "")
    }
    assert said == DELETING_USER_PHOTOS


def test_the_export_documents_the_users_photos_held_at_google(client):
    document = _document(client)
    export = document["paths"]["/api/users/profile/export"]["get"]
    assert "gemini_files" in export["description"]
    listed = document["components"]["schemas"]["GeminiFile"]["properties"]
    assert sorted(listed) == ["expires_at", "name", "state", "uploaded_at"]
