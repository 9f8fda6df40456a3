"""A job's deadline (JOB_TIMEOUT_SECONDS) ends every step that could block — the page fetch, the image download,
the page's extraction, the model call — so a timed-out job frees its worker, and one user cannot hold all of
them with shops that never finish answering."""

import json
import time
from urllib.parse import quote

import pytest

from tests.fakes.shop_server import padded_page
from tests.helpers import sign_up, submit_tryon, wait_for_job

STALLING = "/trickle?headers=120"  # a shop sending its headers a few bytes at a time for two minutes


@pytest.fixture
def settings_overrides(fake_gemini):
    return fake_gemini.app_settings(
        SCRAPER_ALLOW_PRIVATE_NETWORKS=True,
        GEMINI_MAX_ATTEMPTS=1,
        TRYON_WORKERS=2,
        MAX_JOBS_PER_USER=2,
        JOB_TIMEOUT_SECONDS=8,
    )


def _assert_every_stalling_fetch_abandoned(shop, fetches, within=20):
    """The jobs reached the stalling shop `fetches` times and hung up on it every time (no thread still waits on
    it), polled for a while: the shop notices only when its next few bytes cannot be delivered."""
    give_up = time.monotonic() + within
    while shop.dropped_count(STALLING) < fetches and time.monotonic() < give_up:
        time.sleep(0.2)
    assert (shop.count(STALLING), shop.dropped_count(STALLING)) == (fetches, fetches)


@pytest.mark.parametrize("stalls", ["page fetch", "image download"])
def test_a_user_cannot_hold_every_worker_with_a_stalling_shop(client, person_png, top_png, shop, stalls):
    attacker, shopper = sign_up(client), sign_up(client)
    if stalls == "page fetch":
        page = shop.url(STALLING)
    else:
        page = shop.url("/product?image=" + quote(shop.url(STALLING), safe=""))
        # Read once beforehand (as a shopper's browser extension does), so the jobs take the product from the
        # cache: their deadline goes to the download alone, however slowly a loaded machine reads a page.
        assert client.post("/api/garments/scrape", json={"url": page}).status_code == 200
    form = {"item_urls": json.dumps([page])}
    first = [submit_tryon(client, attacker, selfie=person_png, **form) for _ in range(2)]  # every worker
    assert [wait_for_job(client, attacker["headers"], job)["error"]["code"] for job in first] == [
        "TIMEOUT"
    ] * 2
    _assert_every_stalling_fetch_abandoned(shop, 2)  # the workers let go of the shop, not just of the jobs
    second = [
        submit_tryon(client, attacker, selfie=person_png, **form) for _ in range(2)
    ]  # the limit is free again
    job = wait_for_job(
        client,
        shopper["headers"],
        submit_tryon(client, shopper, selfie=person_png, garment_image=top_png),
        timeout=30,
    )
    assert job["status"] == "done", job["error"]
    assert [wait_for_job(client, attacker["headers"], job)["error"]["code"] for job in second] == [
        "TIMEOUT"
    ] * 2
    _assert_every_stalling_fetch_abandoned(shop, 4)


def test_a_hanging_model_call_ends_with_its_job(client, person_png, top_png, fake_gemini):
    fake_gemini.delay = 120
    user, other = sign_up(client), sign_up(client)
    hanging = [submit_tryon(client, user, selfie=person_png, garment_image=top_png) for _ in range(2)]
    assert [wait_for_job(client, user["headers"], job)["error"]["code"] for job in hanging] == ["TIMEOUT"] * 2
    fake_gemini.delay = 0  # the calls still pending at the fake would answer only after two minutes
    job = wait_for_job(
        client,
        other["headers"],
        submit_tryon(client, other, selfie=person_png, garment_image=top_png),
        timeout=30,
    )
    assert job["status"] == "done", job["error"]


class TestExtraction:
    @pytest.fixture
    def settings_overrides(self, fake_gemini):
        return fake_gemini.app_settings(SCRAPER_ALLOW_PRIVATE_NETWORKS=True, EXTRACTION_TIMEOUT_SECONDS=0.02)

    @staticmethod
    def _submit_a_page_too_complex(client, user, person_png, shop):
        return submit_tryon(
            client,
            user,
            selfie=person_png,
            item_urls=json.dumps([shop.url("/p/blazer")]),
            html=padded_page(shop.page_html("jsonld_graph"), 400),
        )  # under the form limit

    def test_a_page_too_complex_to_read_fails_the_job_with_that_code(self, client, user, person_png, shop):
        job = wait_for_job(
            client, user["headers"], self._submit_a_page_too_complex(client, user, person_png, shop)
        )
        assert job["status"] == "failed" and job["error"]["code"] == "PAGE_TOO_COMPLEX"

    def test_an_interrupted_job_with_a_page_too_complex_fails_cleanly_after_a_restart(
        self, make_app, settings_overrides, shop, person_png
    ):
        first = make_app(**settings_overrides)
        first.extensions["tryon_queue"].stop()  # the server dies before any worker picks the job up
        client = first.test_client()
        user = sign_up(client)
        job_id = self._submit_a_page_too_complex(client, user, person_png, shop)
        first.extensions["db"].execute_query(
            "UPDATE tryon_jobs SET status = 'processing', attempts = 1 WHERE job_id = ?", (job_id,)
        )
        client = make_app(**settings_overrides).test_client()
        job = wait_for_job(client, user["headers"], job_id)
        assert job["status"] == "failed" and job["error"]["code"] == "PAGE_TOO_COMPLEX"
        assert client.get("/health").status_code == 200
