"""The sweep of orphaned image files, on local disk and on S3 (moto on loopback): every kind of file a row names
survives, an unreferenced file goes once it is older than the grace period and stays while it is younger, one
process sweeps at a time, the API sweeps in the background, and `python -m scripts.sweep_images` sweeps now."""

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from features.images.service import TASK, sweep_orphans, sweep_when_due
from shared import clock
from shared.task_lease import end_turn, take_turn
from tests.helpers import (
    TYPED_TOP,
    app_environment,
    image_from_url,
    product_page_with_image,
    sign_up,
    submit_tryon,
    wait_for_job,
)
from tests.photos import t_shirt
from tests.stored_images import stored_keys, swept_in_time
from tests.wardrobe.conftest import added_item, garment_photo

ROOT = Path(__file__).resolve().parents[2]
HOUR = 3600
# One file of each folder the features store in, that no row names (a write whose commit never came).
ORPHANS = (
    "avatars/{user}/0123456789abcdef0123456789abcdef.png",
    "wardrobe/{user}/0123456789abcdef0123456789abcdef.png",
    "tryon-inputs/{user}/00000000-0000-4000-8000-000000000000/person.png",
    "tryon-inputs/{user}/00000000-0000-4000-8000-000000000000/page_0.html",
    "tryon-results/{user}/00000000-0000-4000-8000-000000000000.png",
)


@pytest.fixture(params=["local", "s3"])
def storage_settings(request):
    if request.param == "local":
        yield {"STORAGE_BACKEND": "local"}
        return
    s3_server = request.getfixturevalue("s3_server")
    with s3_server.fresh_bucket() as bucket:
        yield s3_server.settings(bucket)


@pytest.fixture
def settings_overrides(fake_gemini, storage_settings):
    return fake_gemini.app_settings(SCRAPER_ALLOW_PRIVATE_NETWORKS=True, **storage_settings)


def plant_orphans(app, user_id):
    storage = app.extensions["storage"]
    keys = [key.format(user=user_id) for key in ORPHANS]
    for key in keys:
        storage.upload_image(b"left behind " + key.encode(), key)
    return keys


def sweep(app, *, hours_from_now=0.0):
    """A sweep with the default grace period (an hour), run as if hours_from_now had passed."""
    return sweep_orphans(
        db=app.extensions["db"],
        storage=app.extensions["storage"],
        grace_seconds=HOUR,
        now=clock.epoch_seconds() + hours_from_now * HOUR,
    )


def store_one_file_of_every_kind(client, user, person_png, standing_png, shop):
    """Through the API: an avatar, a body built from a head-and-shoulders selfie, try-on inputs (person, garment
    photo, the client's copy of a page) and results, wardrobe items added and given a new photo."""
    headers = user["headers"]
    client.put("/api/users/profile", headers=headers, json={"gender": "female"})
    client.put("/api/body-measurements", headers=headers, json={"height": 168, "weight": 60})
    saved = client.post(
        "/api/save-avatar", headers=headers, data={"avatar": (io.BytesIO(standing_png), "me.png")}
    )
    assert saved.status_code in (200, 201), saved.get_json()
    selfie_job = submit_tryon(
        client, user, selfie=person_png, garment_image=t_shirt((200, 30, 40)), options=TYPED_TOP
    )
    page_job = submit_tryon(
        client,
        user,
        selfie=standing_png,
        item_urls=json.dumps(["https://shop.example/p/tank"]),
        html=product_page_with_image(shop.url("/images/red-tank.jpg")),
        options=TYPED_TOP,
    )
    jobs = [wait_for_job(client, headers, job_id) for job_id in (selfie_job, page_job)]
    assert [job["status"] for job in jobs] == ["done", "done"], [job["error"] for job in jobs]
    added_item(client, user, image=garment_photo(), title="Blue tee")
    changed = added_item(client, user, image=garment_photo(colour=(20, 120, 40)), title="Green tee")
    replaced = client.put(
        f"/api/wardrobe/items/{changed['id']}",
        headers=headers,
        data={"garment_image": (io.BytesIO(garment_photo(colour=(120, 20, 40))), "new.png")},
        content_type="multipart/form-data",
    )
    assert replaced.status_code == 200, replaced.get_json()
    return jobs


def kinds(keys, user_id):
    """What each stored file is, by where the features put it."""
    named = set()
    for key in keys:
        folder, _, rest = key.partition(f"/{user_id}/")
        name = rest.rsplit("/", 1)[-1]
        if folder == "avatars":
            named.add("body avatar" if name.startswith("body-") else "avatar")
        elif folder == "tryon-inputs":
            named.add("try-on " + name.split(".")[0])
        else:
            named.add(folder)
    return named


def test_every_file_a_row_names_survives_and_only_old_orphans_go(
    app, client, user, person_png, standing_png, shop, caplog
):
    user_id = user["user"]["userid"]
    jobs = store_one_file_of_every_kind(client, user, person_png, standing_png, shop)
    in_use = stored_keys(app)
    assert kinds(in_use, user_id) == {
        "avatar",
        "body avatar",
        "try-on person",
        "try-on garment_0",
        "try-on page_0",
        "tryon-results",
        "wardrobe",
    }
    orphans = plant_orphans(app, user_id)
    elsewhere = "exports/report.png"  # not a folder of ours: never listed, never deleted
    app.extensions["storage"].upload_image(b"not ours", elsewhere)

    young = sweep(app, hours_from_now=0.5)
    assert (young.deleted, young.young, young.listed) == (0, len(orphans), len(in_use) + len(orphans))
    assert set(stored_keys(app)) == {*in_use, *orphans, elsewhere}

    caplog.clear()
    old = sweep(app, hours_from_now=2)
    orphan_bytes = sum(len(b"left behind " + key.encode()) for key in orphans)
    assert (old.deleted, old.deleted_bytes, old.young) == (len(orphans), orphan_bytes, 0)
    assert set(stored_keys(app)) == {*in_use, elsewhere}
    (logged,) = [record for record in caplog.records if record.getMessage() == "orphaned image files deleted"]
    assert (logged.count, logged.bytes) == (len(orphans), orphan_bytes)
    # what the user sees is all there
    avatar = client.get("/api/get-avatar", headers=user["headers"]).get_json()["data"]
    for url in (avatar["avatar_url"], avatar["body_url"], *(job["result_url"] for job in jobs)):
        assert image_from_url(client, url).width > 0
    items = client.get("/api/wardrobe/items", headers=user["headers"]).get_json()["data"]
    assert len(items) == 2 and all(image_from_url(client, item["image_url"]).width > 0 for item in items)


def test_a_file_written_again_after_it_was_listed_is_young_again(app, user):
    """A job's result rewritten under its key by a retry of the job, between the listing and the deletion."""
    storage = app.extensions["storage"]
    key = f"tryon-results/{user['user']['userid']}/00000000-0000-4000-8000-000000000001.png"
    storage.upload_image(b"first attempt", key)
    listed_then = storage.list_files

    def listed_then_rewritten(prefix=""):
        listed = listed_then(prefix)
        if key.startswith(prefix):
            time.sleep(1.1)  # S3 keeps whole seconds
            storage.upload_image(b"second attempt", key)
        return listed

    storage.list_files = listed_then_rewritten
    grace = 1.0
    report = sweep_orphans(
        db=app.extensions["db"], storage=storage, grace_seconds=grace, now=storage.modified(key) + grace + 0.5
    )
    assert report.deleted == 0 and storage.read_image(key) == b"second attempt"


def test_one_process_sweeps_at_a_time_and_all_keep_one_schedule(make_app, storage_settings):
    first, second = (make_app(IMAGE_SWEEP_GRACE_SECONDS=0, **storage_settings) for _ in range(2))
    db = first.extensions["db"]
    user_id = sign_up(first.test_client())["user"]["userid"]

    def sweep_at(app, **options):
        """A sweep of an hourly schedule (the background thread is off, so the test takes every turn)."""
        return sweep_when_due(
            db=app.extensions["db"],
            storage=app.extensions["storage"],
            settings=app.extensions["settings"].with_overrides({"IMAGE_SWEEP_INTERVAL_SECONDS": HOUR}),
            **options,
        )

    sweeping = take_turn(db, TASK, lease_seconds=900)  # the first process is sweeping
    assert sweeping is not None
    plant_orphans(second, user_id)
    assert sweep_at(second) is None and sweep_at(second, due_only=False) is None
    assert len(stored_keys(second)) == len(ORPHANS)
    end_turn(db, sweeping, next_in_seconds=HOUR)
    assert sweep_at(second) is None  # swept a moment ago: due in an hour, for every process
    db.execute_query("UPDATE task_leases SET due_at = ?", (clock.timestamp(seconds_from_now=-1),))
    assert sweep_at(second).deleted == len(ORPHANS) and stored_keys(second) == []

    dead = take_turn(db, TASK, lease_seconds=900, due_only=False)  # a process that dies while it sweeps
    assert dead is not None and sweep_at(second, due_only=False) is None
    db.execute_query("UPDATE task_leases SET lease_until = ?", (clock.timestamp(seconds_from_now=-1),))
    assert sweep_at(second, due_only=False) is not None


def test_the_api_sweeps_at_start_up_and_then_periodically(make_app, storage_settings):
    earlier = make_app(**storage_settings)  # a process that left an orphan behind (its sweep is off)
    user = sign_up(earlier.test_client())
    user_id = user["user"]["userid"]
    earlier.extensions["storage"].upload_image(b"kept", f"avatars/{user_id}/{'a' * 32}.png")
    earlier.extensions["db"].execute_query(
        "UPDATE users SET avatar_path = ? WHERE userid = ?",
        (f"/images/avatars/{user_id}/{'a' * 32}.png", user_id),
    )
    left_behind = plant_orphans(earlier, user_id)
    restarted = make_app(IMAGE_SWEEP_GRACE_SECONDS=0, IMAGE_SWEEP_INTERVAL_SECONDS=1, **storage_settings)
    assert swept_in_time(restarted, left_behind)
    assert swept_in_time(restarted, plant_orphans(restarted, user_id))  # by a later, periodic sweep
    assert stored_keys(restarted) == [f"avatars/{user_id}/{'a' * 32}.png"]


def test_the_command_sweeps_now_and_a_dry_run_deletes_nothing(make_app, storage_settings, tmp_path):
    app = make_app(**storage_settings)
    user_id = sign_up(app.test_client())["user"]["userid"]
    orphans = plant_orphans(app, user_id)
    environment = {**os.environ, **app_environment(tmp_path, database="shared.db", **storage_settings)}

    def command(*arguments):
        return subprocess.run(
            [sys.executable, "-m", "scripts.sweep_images", *arguments],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    dry = command("--dry-run", "--grace-seconds", "0")
    assert dry.returncode == 0, dry.stderr
    assert f"would delete {len(orphans)} orphaned files" in dry.stdout
    assert sorted(stored_keys(app)) == sorted(orphans)
    kept = command()  # the default grace period: they are minutes old
    assert kept.returncode == 0 and "deleted 0 orphaned files" in kept.stdout, kept.stderr
    swept = command("--grace-seconds", "0")
    assert swept.returncode == 0 and f"deleted {len(orphans)} orphaned files" in swept.stdout, swept.stderr
    assert stored_keys(app) == []


def test_a_write_left_unfinished_is_swept_once_older_than_the_grace_period(app, user):
    storage = app.extensions["storage"]
    if storage.get_image_path("avatars") is None:
        pytest.skip("an object store has no temporary files: a PUT is whole or nothing")
    folder = storage.get_image_path(f"wardrobe/{user['user']['userid']}/photo.png").parent
    folder.mkdir(parents=True, exist_ok=True)
    unfinished = folder / ".upload-k1llEd.tmp"  # a process killed between writing and renaming
    unfinished.write_bytes(b"half a photo")
    assert unfinished.name not in storage.list_keys()  # never listed as a stored file
    assert (
        sweep(app).deleted == 0 and unfinished.exists()
    )  # younger than the grace period: a write may be running
    report = sweep(app, hours_from_now=2)
    assert not unfinished.exists() and report.deleted == 1 and report.deleted_bytes == len(b"half a photo")
