"""GET /metrics: Prometheus text from the database, so every process reports the whole deployment; not public."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import post_tryon, sign_up, wait_for_job

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def _samples(response):
    """{(sample name, frozenset of labels): value} of a Prometheus text answer."""
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def _gemini_app(make_app, fake_gemini, **settings):
    return make_app(
        **fake_gemini.app_settings(
            GEMINI_MODEL_NAME="gemini-3.1-flash-image", GEMINI_RETRY_DELAY_SECONDS=0.01, **settings
        )
    )


def test_metrics_count_jobs_generations_cost_and_latency_across_processes(
    make_app, fake_gemini, standing_png, top_png
):
    # Two apps on one database stand for two API processes (or an API and an RQ worker).
    first, second = _gemini_app(make_app, fake_gemini), _gemini_app(make_app, fake_gemini)
    client = first.test_client()
    user = sign_up(client)
    done = [
        post_tryon(client, user, selfie=standing_png, garment_image=top_png).get_json()["data"]["job_id"]
        for _ in range(2)
    ]
    for job_id in done:
        assert wait_for_job(client, user["headers"], job_id)["status"] == "done"
    fake_gemini.set_behaviour("finish", reason="IMAGE_SAFETY")
    blocked = post_tryon(client, user, selfie=standing_png, garment_image=top_png).get_json()["data"][
        "job_id"
    ]
    assert wait_for_job(client, user["headers"], blocked)["status"] == "failed"
    jobs = client.get("/api/jobs", headers=user["headers"]).get_json()["data"]
    client.delete(f"/api/job/{done[0]}", headers=user["headers"])  # counters keep deleted try-ons

    samples = _samples(second.test_client().get("/metrics"))
    model = frozenset({"provider": "gemini", "model": "gemini-3.1-flash-image"}.items())
    assert samples[("tryon_generations_total", model)] == 3
    assert samples[("tryon_estimated_cost_usd_total", model)] == pytest.approx(
        sum(job["usage"]["estimated_cost_usd"] for job in jobs), rel=1e-6
    )
    assert samples[("tryon_tokens_total", model | {("kind", "output")})] == sum(
        job["usage"]["output_tokens"] for job in jobs
    )
    latency = frozenset({"model": "gemini-3.1-flash-image"}.items())
    assert samples[("tryon_model_seconds_count", latency)] == 3
    assert samples[("tryon_model_seconds_bucket", latency | {("le", "+Inf")})] == 3
    assert samples[("tryon_model_seconds_sum", latency)] > 0
    assert samples[("tryon_jobs", frozenset({"status": "done", "code": ""}.items()))] == 1
    assert samples[("tryon_jobs", frozenset({"status": "failed", "code": "CONTENT_BLOCKED"}.items()))] == 1
    assert samples[("tryon_queue_depth", frozenset())] == 0


def test_queue_depth_counts_the_jobs_waiting(make_app, fake_gemini, standing_png, top_png):
    app = _gemini_app(make_app, fake_gemini, TRYON_WORKERS=1, MAX_JOBS_PER_USER=10)
    client = app.test_client()
    user = sign_up(client)
    fake_gemini.delay = 30
    jobs = [
        post_tryon(client, user, selfie=standing_png, garment_image=top_png).get_json()["data"]["job_id"]
        for _ in range(3)
    ]
    samples = _samples(client.get("/metrics"))
    assert samples[("tryon_queue_depth", frozenset())] >= 2
    fake_gemini.release()
    for job_id in jobs:
        wait_for_job(client, user["headers"], job_id)


def test_without_a_token_only_this_machine_may_scrape(client):
    assert client.get("/metrics").status_code == 200
    response = client.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "METRICS_LOOPBACK_ONLY"


@pytest.mark.parametrize("settings_overrides", [{"METRICS_TOKEN": "s3cret-metrics"}])
def test_with_a_token_every_scrape_must_send_it(client, settings_overrides):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-metrics-and-more"}):
        response = client.get("/metrics", headers=headers)
        assert (
            response.status_code == 401 and response.get_json()["error"]["code"] == "METRICS_TOKEN_REQUIRED"
        )
    assert (
        client.get(
            "/metrics", headers={"Authorization": "Bearer s3cret-metrics"}, environ_base=OUTSIDE
        ).status_code
        == 200
    )
