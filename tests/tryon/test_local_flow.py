"""End to end on the embedded default: local model, SQLite, local disk, in-process workers."""

import io

from PIL import Image

from tests.helpers import image_from_url, job_rows, post_tryon, sign_up, wait_for_job
from tests.stored_images import image_key


def test_selfie_and_garment_upload_make_a_result(client, user, person_png, top_png, app):
    response = post_tryon(client, user, selfie=person_png, garment_image=top_png)
    assert response.status_code == 202
    accepted = response.get_json()["data"]
    assert accepted["status"] == "queued" and accepted["estimated_time"] > 0
    job = wait_for_job(client, user["headers"], accepted["job_id"])
    assert job["status"] == "done", job["error"]
    assert job["progress"] == 100 and job["provider"] == "local"
    assert image_key(job["result_url"]).startswith("tryon-results/")
    result = image_from_url(client, job["result_url"])
    assert result.size[0] > 100 and result.size[1] > 100
    again = client.get(f"/api/job/{accepted['job_id']}/result", headers=user["headers"])
    assert (
        again.status_code == 200
        and again.get_json()["data"]["result_url"].split("?")[0] == job["result_url"].split("?")[0]
    )
    assert job["timings"]["processing_seconds"] is not None
    assert [r["status"] for r in job_rows(app)] == ["done"]


def test_saved_avatar_is_used_when_no_selfie_is_sent(client, user, person_png, top_png):
    saved = client.post(
        "/api/save-avatar",
        headers=user["headers"],
        data={"avatar": (io.BytesIO(person_png), "me.png")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 200
    response = post_tryon(client, user, garment_image=top_png)
    assert response.status_code == 202
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["status"] == "done", job["error"]


def test_bottom_on_a_photo_without_hips_needs_a_full_body_photo(
    client, user, person_png, top_png, bottom_png
):
    # the astronaut photo ends at the chest: a top can be placed, trousers cannot, and the local model cannot
    # make up the rest of the body (BODY_PART_NOT_VISIBLE is for a photo showing the hips but not the part)
    response = client.post(
        "/api/tryon/multi",
        headers=user["headers"],
        content_type="multipart/form-data",
        data={
            "selfie": (io.BytesIO(person_png), "me.png"),
            "garment_images": [(io.BytesIO(top_png), "top.png"), (io.BytesIO(bottom_png), "bottom.png")],
            "options": '{"garments": [{"type": "top"}, {"type": "bottom"}]}',
        },
    )
    assert response.status_code == 202, response.get_json()
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["kind"] == "multi" and [g["type"] for g in job["garments"]] == ["top", "bottom"]
    assert job["status"] == "failed"
    assert job["error"]["code"] == "NEEDS_FULL_BODY_PHOTO" and "full-length photo" in job["error"]["message"]
    assert job["error"]["details"] == {"garment_index": 1, "missing": "hips"}


def test_no_person_detected_fails_with_a_clear_code(client, user, top_png):
    blank = io.BytesIO()
    Image.new("RGB", (512, 512), (120, 160, 200)).save(blank, "PNG")
    response = post_tryon(client, user, selfie=blank.getvalue(), garment_image=top_png)
    job = wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])
    assert job["status"] == "failed"
    assert job["error"]["code"] == "NO_PERSON_DETECTED" and job["error"]["message"]
    result = client.get(f"/api/job/{job['job_id']}/result", headers=user["headers"])
    assert result.status_code == 422 and result.get_json()["error"]["code"] == "NO_PERSON_DETECTED"


def test_the_daily_limit_guards_paid_generations_only(make_app, person_png, top_png):
    """TRYON_DAILY_LIMIT caps what an account can spend on Gemini; the local model costs nothing per try-on."""
    app = make_app(TRYON_DAILY_LIMIT=1)
    client = app.test_client()
    user = sign_up(client)
    for _ in range(3):
        response = post_tryon(client, user, selfie=person_png, garment_image=top_png)
        assert response.status_code == 202, response.get_json()
        assert (
            wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])["status"] == "done"
        )
