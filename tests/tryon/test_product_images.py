"""A product page's image is downloaded by the job and held to the pixel limits of an upload: a PNG of
10000×10000 pixels (a few hundred KB) is refused before it is decoded, while a large JPEG rendition is
decoded straight at a reduced scale."""

import json

import pytest

from tests.helpers import post_tryon, product_page_with_image, wait_for_job


@pytest.fixture
def settings_overrides(fake_gemini):
    return fake_gemini.app_settings(
        SCRAPER_ALLOW_PRIVATE_NETWORKS=True,
    )


def _job_with_image(client, user, person_png, image_url):
    response = post_tryon(
        client,
        user,
        selfie=person_png,
        item_urls=json.dumps(["https://shop.example/p/tank"]),
        html=product_page_with_image(image_url),
    )
    assert response.status_code == 202, response.get_json()
    return wait_for_job(client, user["headers"], response.get_json()["data"]["job_id"])


def test_a_huge_png_product_image_fails_the_job_before_it_is_decoded(client, user, person_png, shop):
    job = _job_with_image(client, user, person_png, shop.url("/images/huge-10000x10000.png"))
    assert job["status"] == "failed" and job["error"]["code"] == "IMAGE_TOO_LARGE"
    assert "10000×10000" in job["error"]["message"]


def test_a_large_jpeg_rendition_is_decoded_at_a_reduced_scale(client, user, person_png, shop):
    job = _job_with_image(client, user, person_png, shop.url("/images/huge-6000x5000.jpg"))
    assert job["status"] == "done", job["error"]
