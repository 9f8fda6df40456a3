"""Gemini as it behaves in production, through the API: renamed models, thinking models, usage, the cost guard."""

import io
import json
from datetime import UTC, datetime

import numpy as np
import pytest
from PIL import Image

from tests.fakes.gemini_server import DEFAULT_MODELS
from tests.helpers import TYPED_TOP, image_from_url, job_rows, post_tryon, sign_up, submit_tryon, wait_for_job
from tests.stored_images import fetch_image, stored_keys

CONFIGURED = "gemini-3.1-flash-image,gemini-3-pro-image"


@pytest.fixture
def settings_overrides(fake_gemini):
    return fake_gemini.app_settings(
        GEMINI_TIMEOUT_SECONDS=10,
        GEMINI_MODEL_NAME=CONFIGURED,
        GEMINI_RETRY_DELAY_SECONDS=0.01,
        MAX_JOBS_PER_USER=20,
        TRYON_DAILY_LIMIT=3,
    )


def _without(*names):
    return {name: methods for name, methods in DEFAULT_MODELS.items() if name not in names}


def test_health_names_the_model_in_use(client, fake_gemini):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json()["data"]["ai"] == {
        "provider": "gemini",
        "model": "gemini-3.1-flash-image",
        "status": "ok",
        "reason": None,
    }


def test_without_a_usable_model_try_ons_are_refused_at_once_and_nothing_is_queued(
    make_app, fake_gemini, standing_png, top_png, bottom_png, tmp_path
):
    fake_gemini.set_models(_without("gemini-3.1-flash-image", "gemini-3-pro-image"))
    app = make_app(**fake_gemini.app_settings(GEMINI_MODEL_NAME=CONFIGURED))
    client = app.test_client()
    user = sign_up(client)

    health = client.get("/health")
    assert health.status_code == 200  # the API itself is fine
    ai = health.get_json()["data"]["ai"]
    assert (ai["provider"], ai["model"], ai["status"]) == ("gemini", None, "unavailable")
    assert "gemini-3.1-flash-image" in ai["reason"]
    for endpoint, files in (
        ("/api/tryon", {"garment_image": top_png}),
        ("/api/tryon/multi", {"garment_images": top_png, "item_urls": '["https://x.example/a"]'}),
    ):
        response = post_tryon(client, user, endpoint, selfie=standing_png, **files)
        assert response.status_code == 503, response.get_json()
        body = response.get_json()["error"]
        assert body["code"] == "AI_UNAVAILABLE" and "gemini" not in body["message"].lower()
        assert 1 <= int(response.headers["Retry-After"]) <= 30
    assert job_rows(app) == []
    assert not (tmp_path / "images" / "tryon-inputs").exists()
    assert fake_gemini.requests == []
    errors_log = [json.loads(line) for line in (tmp_path / "logs" / "errors.log").read_text().splitlines()]
    logged = next(entry for entry in errors_log if entry["message"] == "no configured Gemini model is usable")
    assert logged["tried"] == ["gemini-3.1-flash-image", "gemini-3-pro-image"]
    assert logged["usable_image_models"] == ["gemini-2.5-flash-image"]


def test_a_model_renamed_mid_flight_retries_the_job_once_on_the_next(
    client, user, standing_png, top_png, fake_gemini
):
    fake_gemini.set_models(_without("gemini-3.1-flash-image"))
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP),
    )
    assert job["status"] == "done", job["error"]
    assert [request["model"] for request in fake_gemini.requests] == [
        "gemini-3.1-flash-image",
        "gemini-3-pro-image",
    ]
    assert job["usage"]["model"] == "gemini-3-pro-image"
    assert client.get("/health").get_json()["data"]["ai"]["model"] == "gemini-3-pro-image"


def test_a_thinking_model_gives_the_shopper_its_final_image(client, user, standing_png, top_png, fake_gemini):
    fake_gemini.set_behaviour("thinking")
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP),
    )
    assert job["status"] == "done", job["error"]
    result = image_from_url(client, job["result_url"])
    # the draft is the photo at its own size in a grey frame; the final image is drawn at 1K in its framing
    assert result.size == (1024, 1024)
    assert job["usage"]["thought_tokens"] == 300


def test_usage_of_each_job_shows_model_tokens_and_estimated_cost(
    client, user, standing_png, top_png, fake_gemini
):
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP),
    )
    usage = job["usage"]
    assert (usage["model"], usage["calls"]) == ("gemini-3.1-flash-image", 1)
    assert (
        usage["output_tokens"] >= 1120
        and usage["total_tokens"] == usage["prompt_tokens"] + usage["output_tokens"]
    )
    assert usage["estimated_cost_usd"] == pytest.approx(
        (usage["prompt_tokens"] * 0.5 + 1120 * 60 + (usage["output_tokens"] - 1120) * 3) / 1e6, abs=1e-6
    )
    listed = client.get("/api/jobs", headers=user["headers"]).get_json()["data"]
    assert listed[0]["job_id"] == job["job_id"] and listed[0]["usage"] == usage


def test_a_failed_job_keeps_the_providers_words_out_of_its_message(
    client, user, standing_png, top_png, fake_gemini
):
    fake_gemini.set_behaviour("finish", reason="STOP", text="I cannot edit images of this person.")
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP),
    )
    error = job["error"]
    assert error["code"] == "NO_IMAGE_RETURNED" and "cannot edit" not in error["message"]
    assert error["details"]["upstream"]["model_text"] == "I cannot edit images of this person."
    assert job["usage"]["calls"] == 1  # a refusal is billed, so it is counted
    fake_gemini.set_behaviour("finish", reason="IMAGE_SAFETY")
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP),
    )
    assert (job["error"]["code"], job["error"]["details"]["reason"]) == ("CONTENT_BLOCKED", "IMAGE_SAFETY")
    result = client.get(f"/api/job/{job['job_id']}/result", headers=user["headers"])
    assert result.status_code == 422 and result.get_json()["error"]["code"] == "CONTENT_BLOCKED"


def test_the_daily_limit_answers_429_until_midnight_utc(
    client, user, other_user, standing_png, top_png, fake_gemini
):
    job_ids = [
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP)
        for _ in range(3)
    ]
    for job_id in job_ids:
        wait_for_job(client, user["headers"], job_id)
    client.delete(
        f"/api/job/{job_ids[0]}", headers=user["headers"]
    )  # deleting a try-on does not give it back
    response = post_tryon(client, user, selfie=standing_png, garment_image=top_png)
    assert response.status_code == 429
    body = response.get_json()["error"]
    assert body["code"] == "DAILY_LIMIT_REACHED" and body["details"]["limit"] == 3
    now = datetime.now(UTC)
    seconds_to_midnight = 86400 - (now.hour * 3600 + now.minute * 60 + now.second)
    assert abs(int(response.headers["Retry-After"]) - seconds_to_midnight) <= 5
    assert body["details"]["resets_at"].endswith("T00:00:00.000+00:00")
    assert len(job_rows(client.application)) == 2
    assert post_tryon(client, other_user, selfie=standing_png, garment_image=top_png).status_code == 202


def test_a_try_on_cancelled_before_it_ran_does_not_count(make_app, fake_gemini, standing_png, top_png):
    app = make_app(**fake_gemini.app_settings(TRYON_WORKERS=1, TRYON_DAILY_LIMIT=3))
    client = app.test_client()
    user = sign_up(client)
    fake_gemini.delay = 30  # the first job holds the only worker; the others wait in the queue
    first, queued, _ = (
        submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP)
        for _ in range(3)
    )
    assert post_tryon(client, user, selfie=standing_png, garment_image=top_png).status_code == 429
    cancelled = client.delete(f"/api/job/{queued}", headers=user["headers"]).get_json()["data"]
    assert cancelled["was_status"] == "queued"
    assert post_tryon(client, user, selfie=standing_png, garment_image=top_png).status_code == 202
    fake_gemini.release()
    assert wait_for_job(client, user["headers"], first)["status"] == "done"


def test_a_garment_photo_without_a_type_is_typed_by_gemini_first(
    client, user, standing_png, bottom_png, fake_gemini
):
    fake_gemini.set_behaviour("ok", text="jeans")
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=standing_png, garment_image=bottom_png, options="{}"),
    )
    assert job["status"] == "done", job["error"]
    assert (job["garments"][0]["type"], job["garments"][0]["type_source"]) == ("bottom", "ai")
    categorise, tryon = fake_gemini.requests
    assert categorise["model"] == "gemini-flash-lite-latest" and len(categorise["images"]) == 1
    assert categorise["body"]["generationConfig"]["responseModalities"] == ["TEXT"]
    assert "Image 2 is a product photo of a bottom" in tryon["text"]
    assert (job["usage"]["calls"], job["usage"]["model"]) == (2, "gemini-3.1-flash-image")


def test_without_a_text_model_the_silhouette_types_the_garment(
    client, user, standing_png, bottom_png, fake_gemini
):
    fake_gemini.set_models(
        _without("gemini-flash-lite-latest", "gemini-2.5-flash-lite", "gemini-flash-latest")
    )
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=standing_png, garment_image=bottom_png, options="{}"),
    )
    assert job["status"] == "done", job["error"]
    assert (job["garments"][0]["type"], job["garments"][0]["type_source"]) == ("bottom", "silhouette")


def _watch_stages(client, user, job_id):
    """Every stage the job is seen in while polling, in order, and the finished job."""
    stages, job = [], None
    while job is None or job["status"] not in ("done", "failed"):
        job = client.get(f"/api/job/{job_id}", headers=user["headers"]).get_json()["data"]
        if not stages or stages[-1] != job["stage"]:
            stages.append(job["stage"])
    return stages, job


def test_a_head_and_shoulders_selfie_is_first_made_a_full_body_then_dressed(
    client, user, person_png, top_png, fake_gemini
):
    client.put("/api/users/profile", headers=user["headers"], json={"gender": "female"})
    client.put(
        "/api/body-measurements",
        headers=user["headers"],
        json={
            "height": 168,
            "weight": 60,
            "breast_circumference": 90,
            "waist_circumference": 74,
            "hip_circumference": 98,
        },
    )
    fake_gemini.delay = 0.3  # slow enough for the polling to see each stage
    stages, job = _watch_stages(
        client, user, submit_tryon(client, user, selfie=person_png, garment_image=top_png, options=TYPED_TOP)
    )
    assert job["status"] == "done", job["error"]
    assert "building_body" in stages and stages.index("building_body") < stages.index("generating")
    body_request, tryon_request = fake_gemini.requests
    (sent_selfie,) = (Image.open(io.BytesIO(image)) for image in body_request["images"])
    assert np.array_equal(
        np.asarray(sent_selfie.convert("RGB")), np.asarray(Image.open(io.BytesIO(person_png)))
    )
    assert "a woman, 168 cm tall, weighing 60 kg, bust 90 cm, waist 74 cm, hips 98 cm" in body_request["text"]
    assert body_request["body"]["generationConfig"]["imageConfig"]["aspectRatio"] == "2:3"
    avatar = client.get("/api/get-avatar", headers=user["headers"]).get_json()["data"]
    body = image_from_url(client, avatar["body_url"])
    assert body.height > body.width
    # the try-on dresses the body, in its framing, not the selfie
    assert tryon_request["images"][0] == fetch_image(client, avatar["body_url"]).data
    assert tryon_request["body"]["generationConfig"]["imageConfig"]["aspectRatio"] == "2:3"
    assert job["usage"]["calls"] == 2


def test_the_body_is_reused_until_the_photo_or_the_measurements_change(
    app, client, user, person_png, top_png, fake_gemini
):
    client.put("/api/body-measurements", headers=user["headers"], json={"height": 180, "weight": 80})
    for _ in range(2):
        assert (
            wait_for_job(
                client,
                user["headers"],
                submit_tryon(client, user, selfie=person_png, garment_image=top_png, options=TYPED_TOP),
            )["status"]
            == "done"
        )
    assert len(fake_gemini.requests) == 3  # one body, two try-ons
    first_body = client.get("/api/get-avatar", headers=user["headers"]).get_json()["data"]["body_url"]

    client.put("/api/body-measurements", headers=user["headers"], json={"weight": 90})
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=person_png, garment_image=top_png, options=TYPED_TOP),
    )
    assert job["status"] == "done" and job["usage"]["calls"] == 2
    assert "weighing 90 kg" in fake_gemini.requests[-2]["text"]
    assert fetch_image(client, first_body).status_code == 404  # the old body went with its measurements
    bodies = [path for path in stored_keys(app, f"avatars/{user['user']['userid']}/") if "body-" in path]
    assert len(bodies) == 1


def test_a_blocked_body_fails_the_job_with_the_reason(client, user, person_png, top_png, fake_gemini):
    fake_gemini.set_behaviour("finish", reason="IMAGE_SAFETY")
    job = wait_for_job(
        client,
        user["headers"],
        submit_tryon(client, user, selfie=person_png, garment_image=top_png, options=TYPED_TOP),
    )
    assert (job["status"], job["error"]["code"], job["error"]["details"]["reason"]) == (
        "failed",
        "CONTENT_BLOCKED",
        "IMAGE_SAFETY",
    )
    assert len(fake_gemini.requests) == 1 and job["usage"]["calls"] == 1
    assert client.get("/api/get-avatar", headers=user["headers"]).status_code == 404
