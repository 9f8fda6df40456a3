"""`python -m scripts.sweep_images` sweeps the Gemini files too (through the real google-genai SDK against the fake
Gemini): the photos of a deleted account whose deletion at Google failed are deleted there, the rows of expired
files are dropped, and the operator reads both counts; without a key only the expired rows go."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared import clock
from tests.helpers import app_environment, submit_tryon, wait_for_job

ROOT = Path(__file__).resolve().parents[2]
TYPED_TOP = '{"garments": [{"type": "top"}]}'
GEMINI = {"GEMINI_TIMEOUT_SECONDS": 30, "GEMINI_MAX_ATTEMPTS": 1}


@pytest.fixture
def settings_overrides(fake_gemini):
    return fake_gemini.app_settings(**GEMINI)


def _sweep_command(tmp_path, **settings):
    environment = {**os.environ, **app_environment(tmp_path, database="test.db", **settings)}
    return subprocess.run(
        [sys.executable, "-m", "scripts.sweep_images"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _rows(app):
    return app.extensions["db"].execute_query("SELECT state, name FROM gemini_files", fetch_all=True)


def _deleted_account_with_photos_left_at_google(app, client, user, standing_png, top_png, fake_gemini):
    uploads = app.extensions["image_models"].photos
    for _ in range(2):  # the second try-on uploads the selfie and the garment
        job = submit_tryon(client, user, selfie=standing_png, garment_image=top_png, options=TYPED_TOP)
        assert wait_for_job(client, user["headers"], job)["status"] == "done"
    uploads.wait_for_uploads()
    fake_gemini.fail_deletes = True  # Google unavailable while the account is deleted
    deleted = client.delete(
        "/api/users/profile", headers=user["headers"], json={"password": user["password"]}
    )
    assert deleted.status_code == 200
    uploads.wait_for_deletions()
    assert len(fake_gemini.files) == 2 and [row["state"] for row in _rows(app)] == ["deleting"] * 2


def _expired_row_of_an_old_key(app):
    app.extensions["db"].execute_query(
        "INSERT INTO gemini_files (key_fingerprint, sha256, state, name, uri, created_at, expires_at) "
        "VALUES (?, ?, 'active', 'files/old', 'https://old/files/old', ?, ?)",
        (
            "0" * 64,
            "1" * 64,
            clock.timestamp(seconds_from_now=-49 * 3600),
            clock.timestamp(seconds_from_now=-1),
        ),
    )


def test_the_command_deletes_at_google_what_failed_and_drops_the_rows_of_expired_files(
    app, client, user, standing_png, top_png, fake_gemini, tmp_path
):
    _deleted_account_with_photos_left_at_google(app, client, user, standing_png, top_png, fake_gemini)
    _expired_row_of_an_old_key(app)

    still_down = _sweep_command(tmp_path, **fake_gemini.app_settings(**GEMINI))
    assert still_down.returncode == 0, still_down.stderr
    assert (
        "Gemini files: deleted 0 at Google (2 left for the next sweep); dropped 1 rows" in still_down.stdout
    )
    assert len(fake_gemini.files) == 2 and len(_rows(app)) == 2

    fake_gemini.fail_deletes = False
    swept = _sweep_command(tmp_path, **fake_gemini.app_settings(**GEMINI))
    assert swept.returncode == 0, swept.stderr
    assert "Gemini files: deleted 2 at Google (0 left for the next sweep); dropped 0 rows" in swept.stdout
    assert not fake_gemini.files and not _rows(app)


def test_without_a_key_the_command_drops_expired_rows_and_leaves_the_marked_files(
    app, client, user, standing_png, top_png, fake_gemini, tmp_path
):
    _deleted_account_with_photos_left_at_google(app, client, user, standing_png, top_png, fake_gemini)
    _expired_row_of_an_old_key(app)
    fake_gemini.fail_deletes = False

    swept = _sweep_command(tmp_path, GEMINI_API_KEY="", AI_PROVIDER="local")
    assert swept.returncode == 0, swept.stderr
    assert "dropped 1 rows of expired files (no GEMINI_API_KEY: nothing deleted at Google)" in swept.stdout
    assert len(fake_gemini.files) == 2 and [row["state"] for row in _rows(app)] == ["deleting"] * 2
