"""schemathesis against the live API: generated requests to every operation of /openapi.json, with a
real account's token; no 500s, and every answer as documented (tests/docs/schemathesis.toml)."""

import os
import secrets
import subprocess
import time

import requests

from features.docs.openapi import operations
from tests.docs.conftest import FIXTURES, ROOT

CONFIG = ROOT / "tests" / "docs" / "schemathesis.toml"
RUN_TIMEOUT_SECONDS = 480


def _seed_account(base_url):
    """An account with measurements, an avatar, a section, a category, an item and a finished try-on;
    the environment schemathesis.toml reads (token and resource ids)."""
    session = requests.Session()
    created = session.post(
        base_url + "/api/create-account",
        json={
            "email": "fuzz@example.com",
            "password": secrets.token_urlsafe(16),
            "gender": "female",
            "height": 168,
            "weight": 60,
            "breast_circumference": 90,
        },
    ).json()["data"]
    session.headers["Authorization"] = f"Bearer {created['token']}"
    person, garment = (FIXTURES / "person.jpg").read_bytes(), (FIXTURES / "garment.jpg").read_bytes()
    assert (
        session.post(base_url + "/api/save-avatar", files={"avatar": ("me.jpg", person)}).status_code == 200
    )
    section = session.post(base_url + "/api/wardrobe/category-sections", json={"name": "fuzzed"}).json()[
        "data"
    ]
    category = session.post(
        base_url + "/api/wardrobe/categories", json={"name": "fuzzed_tops", "category_section": "upper_body"}
    ).json()["data"]
    item = session.post(
        base_url + "/api/wardrobe/items",
        files={"garment_image": ("tee.jpg", garment)},
        data={"category_id": category["id"], "size": "M"},
    ).json()["data"]
    job = session.post(base_url + "/api/tryon", files={"garment_image": ("tee.jpg", garment)}).json()["data"]
    deadline = time.monotonic() + 60
    while session.get(f"{base_url}/api/job/{job['job_id']}").json()["data"]["status"] not in (
        "done",
        "failed",
    ):
        assert time.monotonic() < deadline, "the seeded try-on did not finish"
        time.sleep(0.1)
    return {
        "BF_TOKEN": created["token"],
        "BF_USER_ID": created["user"]["userid"],
        "BF_ITEM_ID": str(item["id"]),
        "BF_CATEGORY_ID": str(category["id"]),
        "BF_SECTION_ID": str(section["id"]),
        "BF_JOB_ID": job["job_id"],
    }


def test_schemathesis_finds_no_server_error_and_no_answer_that_breaks_the_document(
    schemathesis_cli, live_server, client, tmp_path
):
    seeded = _seed_account(live_server.url)
    result = subprocess.run(
        [
            str(schemathesis_cli),
            "--config-file",
            str(CONFIG),
            "run",
            live_server.url + "/openapi.json",
            "--header",
            f"Authorization: Bearer {seeded.pop('BF_TOKEN')}",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
            "--no-color",
        ],
        cwd=tmp_path,
        env={**os.environ, **seeded},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
    operation_count = sum(1 for _ in operations(client.get("/openapi.json").get_json()))
    assert f"Selected: {operation_count}/{operation_count}" in result.stdout
    assert f"Tested: {operation_count}" in result.stdout
