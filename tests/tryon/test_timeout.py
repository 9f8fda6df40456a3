"""A job that overruns JOB_TIMEOUT_SECONDS ends failed with TIMEOUT, and the late result is discarded."""

import io
import time

import pytest

from tests.helpers import wait_for_job
from tests.stored_images import stored_keys


@pytest.fixture
def settings_overrides(fake_gemini):
    return fake_gemini.app_settings(
        GEMINI_TIMEOUT_SECONDS=30,
        JOB_TIMEOUT_SECONDS=1,
    )


def test_overrunning_job_fails_with_timeout(app, client, user, standing_png, top_png, fake_gemini):
    fake_gemini.delay = 3.0
    response = client.post(
        "/api/tryon",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(standing_png), "me.png"),
            "garment_image": (io.BytesIO(top_png), "shirt.png"),
        },
    )
    job_id = response.get_json()["data"]["job_id"]
    job = wait_for_job(client, user["headers"], job_id)
    assert job["status"] == "failed" and job["error"]["code"] == "TIMEOUT"
    time.sleep(3)  # let the slow model call return: its result must not resurrect the job
    job = client.get(f"/api/job/{job_id}", headers=user["headers"]).get_json()["data"]
    assert job["status"] == "failed" and job["result_url"] is None
    assert stored_keys(app, "tryon-results/") == []
