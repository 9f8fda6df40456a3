"""Idempotency-Key on adding wardrobe items: a retried add makes one item, and a retry that arrives while the
first add is still reading the shop's page waits for it or is told to come back."""

import threading
import time

import pytest

from tests.helpers import allow_writes, assert_replayed_exactly, leases_run_out, refuse_writes, sign_up
from tests.wardrobe.conftest import (
    add_item,
    count_rows,
    error_code,
    garment_photo,
    wardrobe_files,
)

ITEMS = "/api/wardrobe/items"


@pytest.fixture
def settings_overrides():
    return {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True}


def keyed(user, key):
    return {**user, "headers": {**user["headers"], "Idempotency-Key": key}}


def test_a_retried_photo_makes_one_item(app, client, user, storage):
    photo = garment_photo()
    first = add_item(client, keyed(user, "add-1"), image=photo, title="Blue tee")
    again = add_item(client, keyed(user, "add-1"), image=photo, title="Blue tee")
    assert first.status_code == 201, first.get_json()
    assert first.headers["Content-Type"] == "application/json" and first.get_json()["data"]["image_url"]
    assert_replayed_exactly(first, again)
    assert count_rows(app, "wardrobe") == 1 and len(wardrobe_files(storage, user)) == 1


def test_another_photo_under_the_same_key_is_refused(app, client, user):
    assert add_item(client, keyed(user, "add-2"), image=garment_photo(), title="Blue tee").status_code == 201
    other = add_item(client, keyed(user, "add-2"), image=garment_photo(colour=(200, 0, 0)), title="Blue tee")
    assert other.status_code == 422 and error_code(other) == "IDEMPOTENCY_KEY_REUSED"
    other_field = add_item(client, keyed(user, "add-2"), image=garment_photo(), title="Red tee")
    assert other_field.status_code == 422
    assert count_rows(app, "wardrobe") == 1


def test_a_retried_add_from_a_product_page_reads_the_page_once(app, client, user, shop):
    def add():
        return client.post(
            ITEMS,
            headers=keyed(user, "from-url")["headers"],
            json={"garment_url": shop.url("/pages/jsonld_graph")},
        )

    first, again = add(), add()
    assert first.status_code == again.status_code == 201, first.get_json()
    assert again.get_json() == first.get_json()
    assert shop.count("/pages/jsonld_graph") == 1 and count_rows(app, "wardrobe") == 1


def test_an_add_that_failed_on_our_side_runs_again_when_retried(app, client, user):
    refuse_writes(app, "INSERT", "wardrobe")
    failed = add_item(client, keyed(user, "after-a-crash"), title="Blue tee")
    assert failed.status_code >= 500 and count_rows(app, "wardrobe") == 0
    allow_writes(app, "INSERT", "wardrobe")
    retried = add_item(client, keyed(user, "after-a-crash"), title="Blue tee")
    assert retried.status_code == 201 and "Idempotency-Replayed" not in retried.headers
    assert count_rows(app, "wardrobe") == 1


def test_a_retry_while_the_first_add_reads_the_page_waits_or_is_told_to_come_back(make_app, shop):
    """Three servers on one database: one runs the add, one waits briefly, one waits long enough."""
    settings = {"SCRAPER_ALLOW_PRIVATE_NETWORKS": True}
    running, impatient, patient = (
        make_app(**settings),
        make_app(**settings, IDEMPOTENCY_WAIT_SECONDS=0.2),
        make_app(**settings, IDEMPOTENCY_WAIT_SECONDS=60),
    )
    user = keyed(sign_up(running.test_client()), "slow-shop")
    body = {"garment_url": shop.url("/slow?seconds=3")}
    answers = {}

    def post(name, application):
        answers[name] = application.test_client().post(ITEMS, headers=user["headers"], json=body)

    first = threading.Thread(target=post, args=("first", running))
    first.start()
    db = running.extensions["db"]
    deadline = time.monotonic() + 10
    while not db.execute_query("SELECT state FROM idempotency_keys", fetch_all=True):
        assert time.monotonic() < deadline, "the first add never claimed its key"
        time.sleep(0.02)
    waiting = threading.Thread(target=post, args=("patient", patient))
    waiting.start()
    post("impatient", impatient)
    first.join(30)
    waiting.join(30)

    busy = answers["impatient"]
    assert busy.status_code == 409 and error_code(busy) == "IDEMPOTENCY_IN_PROGRESS"
    assert int(busy.headers["Retry-After"]) > 0
    assert answers["first"].status_code == 201, answers["first"].get_json()
    assert (
        answers["patient"].status_code == 201 and answers["patient"].headers["Idempotency-Replayed"] == "true"
    )
    assert answers["patient"].get_json() == answers["first"].get_json()
    assert count_rows(running, "wardrobe") == 1


def test_a_user_s_keys_go_with_the_account(app, client, user):
    assert add_item(client, keyed(user, "mine"), title="Blue tee").status_code == 201
    db = app.extensions["db"]
    assert count_rows(app, "idempotency_keys") == 1
    deleted = client.delete(
        "/api/users/profile", headers=user["headers"], json={"password": user["password"]}
    )
    assert deleted.status_code == 200
    assert db.execute_query("SELECT * FROM idempotency_keys", fetch_all=True) == []


def test_a_process_dying_between_the_item_and_its_answer_leaves_one_item_for_the_retries(
    app, client, user, storage
):
    """The database refuses the key's answer (the write after the item's) and the key's release: what a process
    killed between the two leaves behind, its key held until the lease runs out."""
    photo = garment_photo()
    refuse_writes(app, "UPDATE", "idempotency_keys")
    refuse_writes(app, "DELETE", "idempotency_keys")
    crashed = add_item(client, keyed(user, "dies-midway"), image=photo, title="Blue tee")
    assert crashed.status_code == 500 and error_code(crashed) == "INTERNAL_ERROR"
    assert count_rows(app, "wardrobe") == 0 and wardrobe_files(storage, user) == []
    allow_writes(app, "UPDATE", "idempotency_keys")
    allow_writes(app, "DELETE", "idempotency_keys")

    leases_run_out(app)
    retried = add_item(client, keyed(user, "dies-midway"), image=photo, title="Blue tee")
    assert retried.status_code == 201 and "Idempotency-Replayed" not in retried.headers
    item_id = retried.get_json()["data"]["id"]
    assert count_rows(app, "wardrobe") == 1 and len(wardrobe_files(storage, user)) == 1

    leases_run_out(app)  # the retry's answer was lost on the way too: the next retry still gets its item
    again = add_item(client, keyed(user, "dies-midway"), image=photo, title="Blue tee")
    assert again.status_code == 201 and again.headers["Idempotency-Replayed"] == "true"
    assert again.get_json()["data"]["id"] == item_id
    assert count_rows(app, "wardrobe") == 1 and len(wardrobe_files(storage, user)) == 1
