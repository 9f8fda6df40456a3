"""postman_collection.json: a Postman v2.1 collection that walks every endpoint, run by newman against
a live server; every answer of the walk must also match the OpenAPI document."""

import json
import subprocess

import requests
import schemathesis

from features.docs.openapi import operations
from tests.docs.conftest import ROOT
from tests.docs.test_openapi import DELETING_USER_PHOTOS

COLLECTION = ROOT / "postman_collection.json"
IMAGES_PREFIX = "/images/"
NEWMAN_TIMEOUT_SECONDS = 300


def _requests(items):
    for item in items:
        if "item" in item:
            yield from _requests(item["item"])
        else:
            yield item


def _operation_for(schema, method, path):
    # An image key holds slashes, which an OpenAPI path parameter cannot match.
    if path.startswith(IMAGES_PREFIX):
        return schema["/images/{filename}"][method]
    return schema.find_operation_by_path(method, path)


def _as_response(execution):
    """A newman execution's answer, as schemathesis validates responses."""
    request, answer = execution["request"], execution["response"]
    url = "http://{}:{}/{}".format(
        ".".join(request["url"]["host"]), request["url"].get("port", 80), "/".join(request["url"]["path"])
    )
    headers = {}
    for header in answer["header"]:
        headers.setdefault(header["key"], []).append(header["value"])
    return schemathesis.Response(
        status_code=answer["code"],
        headers=headers,
        content=bytes(answer["stream"]["data"]),
        request=requests.Request(request["method"], url).prepare(),
        elapsed=answer["responseTime"] / 1000,
        verify=True,
    )


def test_the_collection_is_v2_1_with_an_example_and_tests_for_every_request():
    collection = json.loads(COLLECTION.read_text(encoding="utf-8"))
    assert (
        collection["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    )
    assert collection["auth"]["bearer"][0]["value"] == "{{jwt_token}}"
    for item in _requests(collection["item"]):
        tests = "\n".join(
            line for event in item["event"] if event["listen"] == "test" for line in event["script"]["exec"]
        )
        assert "pm.response.to.have.status(" in tests, item["name"]
        assert item["request"]["description"], item["name"]
        body = item["request"].get("body")
        if item["request"]["method"] in ("POST", "PUT") and item["request"]["url"] != "{{avatar_url}}":
            assert body and (body.get("raw") or body.get("formdata")), item["name"]
        for field in (body or {}).get("formdata", []):
            if field["type"] == "file":
                assert (ROOT / field["src"]).is_file(), field["src"]


def test_the_requests_that_delete_a_users_photos_say_google_deletes_them_too(client):
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").get_json())
    collection = json.loads(COLLECTION.read_text(encoding="utf-8"))
    walked, silent = set(), []
    for item in _requests(collection["item"]):
        url = item["request"]["url"]
        if isinstance(url, str):  # an image URL an earlier answer gave
            continue
        operation = _operation_for(schema, item["request"]["method"], "/" + "/".join(url["path"]))
        if operation.definition.raw["operationId"] in DELETING_USER_PHOTOS:
            walked.add(operation.definition.raw["operationId"])
            if "deleted at Google" not in item["request"]["description"]:
                silent.append(item["name"])
    assert (walked, silent) == (DELETING_USER_PHOTOS, [])


def test_newman_walks_every_endpoint_and_every_answer_matches_the_document(
    newman, live_server, product_shop, client, tmp_path
):
    report = tmp_path / "newman.json"
    result = subprocess.run(
        [
            str(newman),
            "run",
            str(COLLECTION),
            "--working-dir",
            str(ROOT),
            "--env-var",
            f"base_url={live_server.url}",
            "--env-var",
            f"product_url={product_shop.product_url}",
            "--reporters",
            "cli,json",
            "--reporter-json-export",
            str(report),
            "--color",
            "off",
            "--timeout-request",
            "60000",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=NEWMAN_TIMEOUT_SECONDS,
    )
    run = json.loads(report.read_text(encoding="utf-8"))["run"]
    failures = [
        f"{failure['source'].get('name')}: {failure['error']['message']}" for failure in run["failures"]
    ]
    assert (result.returncode, failures) == (0, []), result.stdout[-6000:]
    assert run["stats"]["assertions"]["total"] > 100

    document = client.get("/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(document)
    walked = set()
    for execution in run["executions"]:
        method, path = execution["request"]["method"], "/" + "/".join(execution["request"]["url"]["path"])
        operation = _operation_for(schema, method, path)
        assert operation is not None, f"{method} {path} is not in the OpenAPI document"
        status = execution["response"]["code"]
        assert operation.responses.find_by_status_code(status) is not None, f"{operation.label} {status}"
        operation.validate_response(_as_response(execution))
        walked.add(operation.label)
    documented = {f"{method.upper()} {path}" for path, method, _operation in operations(document)}
    assert sorted(documented - walked) == [], "postman_collection.json misses these endpoints"
