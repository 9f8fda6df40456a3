"""Photos the model sees again go to the Gemini Files API once and are named by uri afterwards (through the real
google-genai SDK against the fake Gemini, which speaks the resumable upload protocol, file uris and deletions); the
record of uploads is shared by every process through the database (SQLite, or PostgreSQL in its pass)."""

import os
import time

import pytest

from config import Settings
from features.users import model as user_model
from migrations import run_migrations
from shared import clock
from shared.ai_models import GarmentInput, ImageModelError, gemini_file_rows as file_rows
from shared.ai_models.gemini_client import GeminiClient
from shared.ai_models.gemini_files import UploadedPhotos
from shared.ai_models.gemini_model import GeminiImageModel
from shared.database import create_database
from tests import photos

MODEL_NAME = "gemini-3.1-flash-image"
SHOPPER, OTHER_SHOPPER = "shopper-1", "shopper-2"


@pytest.fixture
def db(tmp_path):
    """A migrated database of this pass (a SQLite file, or this test's PostgreSQL schema) with two users."""
    database = create_database(
        Settings.from_env(
            env={
                "DATABASE_PATH": str(tmp_path / "files.db"),
                "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            }
        )
    )
    run_migrations(database)
    for userid in (SHOPPER, OTHER_SHOPPER):
        user_model.insert(
            database, userid=userid, email=f"{userid}@example.com", password_hash="-", profile={}
        )
    yield database
    database.close_all()


def _model(gemini, db, upload_on_use=2, model_names=(MODEL_NAME,)):
    """A model on a client of its own, as one process has (its own memory of uploads, the shared rows)."""
    client = GeminiClient(
        api_key="test-key", base_url=gemini.base_url, timeout_seconds=5, retry_delay_seconds=0.01
    )
    uploads = (
        UploadedPhotos(
            client.files, db=db, key_fingerprint=client.key_fingerprint, upload_on_use=upload_on_use
        )
        if upload_on_use
        else None
    )
    return GeminiImageModel(client=client, model_names=list(model_names), photos=uploads), uploads


def _try_on(model, person=None, garment=None, owner=SHOPPER):
    return model.try_on(
        person or photos.astronaut_png(), [GarmentInput(garment or photos.t_shirt(), "top")], {}, owner=owner
    )


def _inline_images(request):
    parts = request["body"]["contents"][0]["parts"]
    return [part for part in parts if "inlineData" in part]


def test_a_photo_used_again_is_uploaded_once_and_then_named_by_uri(fake_gemini, db):
    model, uploads = _model(fake_gemini, db)
    first = _try_on(model)
    _try_on(model)  # the second use starts the upload; this request still carries the photos
    uploads.wait_for_uploads()
    third = _try_on(model)

    # Each photo uploaded once (the two uploads run side by side: either may finish first).
    assert sorted(upload["size"] for upload in fake_gemini.uploads) == sorted(
        [len(photos.astronaut_png()), len(photos.t_shirt())]
    )
    assert [upload["mime_type"] for upload in fake_gemini.uploads] == ["image/png", "image/png"]
    inline, again, named = fake_gemini.requests
    assert len(_inline_images(inline)) == 2 and len(_inline_images(again)) == 2 and not inline["file_uris"]
    # The model reads the same photos, in the same order, from the files; the request carries no image bytes.
    assert not _inline_images(named) and len(named["file_uris"]) == 2
    assert named["images"] == [photos.astronaut_png(), photos.t_shirt()]
    assert named["mime_types"] == ["image/png", "image/png"]
    assert len(str(named["body"])) < len(str(inline["body"])) / 100
    assert third == first


def test_photos_seen_once_are_never_uploaded(fake_gemini, db):
    model, uploads = _model(fake_gemini, db)
    for colour in ((200, 30, 40), (30, 160, 60), (240, 200, 20)):
        _try_on(model, garment=photos.t_shirt(colour))
    uploads.wait_for_uploads()
    # The person photo came three times (uploaded at its second use); each garment came once (never uploaded).
    assert [upload["size"] for upload in fake_gemini.uploads] == [len(photos.astronaut_png())]
    assert all(len(_inline_images(request)) >= 1 for request in fake_gemini.requests)


def test_with_uploads_off_every_photo_goes_inline(fake_gemini, db):
    model, uploads = _model(fake_gemini, db, upload_on_use=0)
    for _ in range(3):
        _try_on(model)
    assert uploads is None and not fake_gemini.uploads
    assert all(len(_inline_images(request)) == 2 for request in fake_gemini.requests)


def _named_after_upload(fake_gemini, db):
    model, uploads = _model(fake_gemini, db)
    _try_on(model)
    _try_on(model)
    uploads.wait_for_uploads()
    return model, uploads


def test_an_expired_file_is_sent_inline_and_uploaded_anew(fake_gemini, db):
    model, uploads = _named_after_upload(fake_gemini, db)
    fake_gemini.expire_files()  # as 48 hours later, or deleted
    fake_gemini.requests.clear()

    result = photos.decode(_try_on(model))

    assert result.format == "PNG"  # the shopper's try-on worked
    refused, inline = fake_gemini.requests
    assert len(refused["file_uris"]) == 2 and not refused["images"]  # 403: the files are gone
    assert len(_inline_images(inline)) == 2 and inline["images"] == [photos.astronaut_png(), photos.t_shirt()]
    _try_on(model)  # the next use uploads them again
    uploads.wait_for_uploads()
    assert len(fake_gemini.uploads) == 4
    _try_on(model)
    assert len(fake_gemini.requests[-1]["file_uris"]) == 2 and not _inline_images(fake_gemini.requests[-1])


def test_a_failed_upload_leaves_the_photos_inline(fake_gemini, db):
    fake_gemini.fail_uploads = True  # 503 on every upload (the SDK tries again, then gives up)
    model, uploads = _model(fake_gemini, db)
    for _ in range(3):
        _try_on(model)
        uploads.wait_for_uploads()
    assert not fake_gemini.uploads and not fake_gemini.files
    assert [len(_inline_images(request)) for request in fake_gemini.requests] == [2, 2, 2]


def test_a_file_still_processing_is_named_once_active(fake_gemini, db):
    fake_gemini.processing_reads = 1  # the upload answers PROCESSING; the first files.get says so too
    model, uploads = _named_after_upload(fake_gemini, db)
    _try_on(model)
    assert len(fake_gemini.requests[-1]["file_uris"]) == 2 and fake_gemini.requests[-1]["images"]


@pytest.mark.parametrize(
    ("status", "message", "asked_inline"),
    [
        (403, "Permission denied: consumer has been suspended.", False),  # the key's, not a file's: as before
        (400, "Request contains an invalid argument.", True),  # perhaps the file references: asked once more
    ],
)
def test_an_error_while_files_are_named_fails_the_call_as_it_would_inline(
    fake_gemini, db, status, message, asked_inline
):
    model, _ = _named_after_upload(fake_gemini, db)
    fake_gemini.requests.clear()
    fake_gemini.set_behaviour("error", status=status, message=message)
    with pytest.raises(ImageModelError) as caught:
        _try_on(model)
    assert caught.value.code == "UPSTREAM_REJECTED"
    named, *inline = fake_gemini.requests
    assert len(named["file_uris"]) == 2
    assert [len(_inline_images(request)) for request in inline] == ([2] if asked_inline else [])


def test_a_model_that_refuses_file_references_gets_the_photos_inline_from_then_on(fake_gemini, db):
    model, uploads = _named_after_upload(fake_gemini, db)
    fake_gemini.refuse_file_data = True
    fake_gemini.requests.clear()

    assert photos.decode(_try_on(model)).format == "PNG"
    for _ in range(2):
        _try_on(model)
    uploads.wait_for_uploads()

    refused, *inline = fake_gemini.requests
    assert len(refused["file_uris"]) == 2
    assert [len(_inline_images(request)) for request in inline] == [2, 2, 2]
    assert len(fake_gemini.uploads) == 2  # nothing uploaded again while uris are refused


def test_a_model_gone_while_files_are_named_still_moves_to_the_next_model(fake_gemini, db):
    model, uploads = _model(
        fake_gemini, db, upload_on_use=1, model_names=(MODEL_NAME, "gemini-2.5-flash-image")
    )
    _try_on(model)
    uploads.wait_for_uploads()
    fake_gemini.set_models(
        {name: methods for name, methods in fake_gemini.models.items() if name != MODEL_NAME}
    )
    fake_gemini.requests.clear()

    _try_on(model)

    gone, moved = fake_gemini.requests
    assert gone["model"] == MODEL_NAME and moved["model"] == "gemini-2.5-flash-image"
    assert len(moved["file_uris"]) == 2  # the files stay named: the 404 was the model's, not theirs


# --- one record for every process ---------------------------------------------------------------------------


def test_a_second_process_names_a_photo_the_first_uploaded(fake_gemini, db):
    first, first_uploads = _model(fake_gemini, db)
    _try_on(first)
    _try_on(first)
    first_uploads.wait_for_uploads()
    second, second_uploads = _model(fake_gemini, db)  # another process: nothing of the first in its memory

    for _ in range(3):
        _try_on(second)
    second_uploads.wait_for_uploads()

    assert len(fake_gemini.uploads) == 2  # each photo once, for both processes
    assert [len(request["file_uris"]) for request in fake_gemini.requests[2:]] == [2, 2, 2]
    assert fake_gemini.requests[-1]["images"] == [photos.astronaut_png(), photos.t_shirt()]


def test_processes_due_to_upload_one_photo_upload_it_once(fake_gemini, db):
    first, first_uploads = _model(fake_gemini, db)
    second, second_uploads = _model(fake_gemini, db)
    for model in (first, second, first, second):  # each process reaches the photos' second use
        _try_on(model)
    first_uploads.wait_for_uploads()
    second_uploads.wait_for_uploads()
    for model in (first, second):
        _try_on(model)

    assert len(fake_gemini.uploads) == 2
    assert [len(request["file_uris"]) for request in fake_gemini.requests[-2:]] == [2, 2]


def test_an_anonymous_request_uploads_nothing(fake_gemini, db):
    model, uploads = _model(fake_gemini, db)
    for _ in range(3):
        _try_on(model, owner=None)
    uploads.wait_for_uploads()
    assert not fake_gemini.uploads and not fake_gemini.files
    assert all(len(_inline_images(request)) == 2 for request in fake_gemini.requests)


# --- deleting a user's files --------------------------------------------------------------------------------


def _file_data(fake_gemini):
    return [stored["data"] for stored in fake_gemini.files.values()]


def _delete_photos_of(db, user_id, uploads, *, account=False):
    """What the features do when the user deletes a photo (or the account): mark in the transaction, then delete."""
    with file_rows.deleting_user_photos(db, user_id, uploads):
        if account:
            user_model.delete(db, user_id)
    uploads.wait_for_deletions()


def test_a_deleted_account_leaves_none_of_its_photos_at_google_but_a_garment_another_user_sent(
    fake_gemini, db
):
    model, uploads = _model(fake_gemini, db)
    garment = photos.t_shirt()
    other_person = photos.cameraman_png()
    _try_on(model, garment=garment)
    _try_on(model, garment=garment)  # both photos uploaded: the shopper's
    uploads.wait_for_uploads()
    _try_on(model, person=other_person, garment=garment, owner=OTHER_SHOPPER)  # the garment is now no one's
    assert sorted(_file_data(fake_gemini)) == sorted([photos.astronaut_png(), garment])

    _delete_photos_of(db, SHOPPER, uploads, account=True)

    assert _file_data(fake_gemini) == [garment]
    assert [deletion["status"] for deletion in fake_gemini.deletions] == [200]
    _try_on(model, person=other_person, garment=garment, owner=OTHER_SHOPPER)
    assert fake_gemini.requests[-1]["images"] == [other_person, garment]
    assert len(fake_gemini.requests[-1]["file_uris"]) == 1  # the garment still named


def test_a_photo_deleted_while_it_uploads_is_deleted_when_the_upload_ends(fake_gemini, db):
    fake_gemini.processing_reads = 1  # the upload waits for the file to be ACTIVE: the user deletes meanwhile
    client = GeminiClient(api_key="test-key", base_url=fake_gemini.base_url, retry_delay_seconds=0.01)
    uploads = UploadedPhotos(
        client.files,
        db=db,
        key_fingerprint=client.key_fingerprint,
        upload_on_use=1,
        processing_check_seconds=0.5,
    )
    model = GeminiImageModel(client=client, model_names=[MODEL_NAME], photos=uploads)
    _try_on(model)
    _wait_until(lambda: db.execute_query("SELECT COUNT(*) AS n FROM gemini_files", fetch_one=True)["n"] == 2)

    _delete_photos_of(db, SHOPPER, uploads)
    uploads.wait_for_uploads()

    assert len(fake_gemini.uploads) == 2 and not fake_gemini.files
    assert not db.execute_query("SELECT * FROM gemini_files", fetch_all=True)


def test_a_file_google_no_longer_has_counts_as_deleted(fake_gemini, db):
    model, uploads = _named_after_upload(fake_gemini, db)
    fake_gemini.expire_files()

    _delete_photos_of(db, SHOPPER, uploads)

    assert [deletion["status"] for deletion in fake_gemini.deletions] == [403, 403]
    assert not db.execute_query("SELECT * FROM gemini_files", fetch_all=True)


def test_a_failed_deletion_is_tried_again_by_the_sweep(fake_gemini, db):
    model, uploads = _named_after_upload(fake_gemini, db)
    fake_gemini.fail_deletes = True

    _delete_photos_of(db, SHOPPER, uploads)  # Google unavailable: the rows stay marked

    assert len(fake_gemini.files) == 2
    assert {row["state"] for row in db.execute_query("SELECT state FROM gemini_files", fetch_all=True)} == {
        file_rows.DELETING
    }
    fake_gemini.fail_deletes = False
    uploads.sweep()
    assert not fake_gemini.files
    assert not db.execute_query("SELECT * FROM gemini_files", fetch_all=True)


def test_the_sweep_drops_the_rows_of_expired_files_and_keeps_the_others(fake_gemini, db):
    model, uploads = _named_after_upload(fake_gemini, db)
    db.execute_query(
        "UPDATE gemini_files SET expires_at = ? WHERE sha256 = (SELECT MIN(sha256) FROM gemini_files)",
        (clock.timestamp(seconds_from_now=-1),),
    )
    uploads.sweep()
    assert len(db.execute_query("SELECT * FROM gemini_files", fetch_all=True)) == 1
    assert not fake_gemini.deletions  # Google let go of it by itself


def _wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
