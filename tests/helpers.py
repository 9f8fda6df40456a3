"""Helpers every test folder uses: accounts, try-on requests and jobs, stored rows and images.
Fixtures live in the conftest.py files; these are plain functions."""

import http.client
import io
import itertools
import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image

from shared import clock
from tests.stored_images import fetch_image

_emails = itertools.count()
# Try-on options naming the garment a top, so the only model calls are the generations (no categorizing).
TYPED_TOP = '{"garments": [{"type": "top"}]}'


def app_settings(directory, *, database="app.db", **settings):
    """Settings of an app keeping every file under directory (its SQLite database, images, logs and generated
    secrets): a testing app with rate limits off, then `settings`. Apps given one directory and database name
    share their data, as the processes of one deployment do."""
    directory = Path(directory)
    return {
        "FLASK_ENV": "testing",
        "DATABASE_PATH": str(directory / database),
        "IMAGES_DIR": str(directory / "images"),
        "LOG_DIR": str(directory / "logs"),
        "INSTANCE_DIR": str(directory / "instance"),
        "RATELIMIT_ENABLED": False,
        "IMAGE_SWEEP_INTERVAL_SECONDS": 0,  # no sweep in the background; tests/images/test_orphan_sweep.py's own
        **settings,
    }


def app_environment(directory, **settings):
    """app_settings as environment variables, for an app in a process of its own."""
    return {name: str(value) for name, value in app_settings(directory, **settings).items()}


def unique_email(prefix="user"):
    return f"{prefix}{next(_emails)}@example.com"


def sign_up(client, email=None, password="correct horse 1", **extra):
    body = {
        "email": email or unique_email(),
        "password": password,
        "confirm_password": password,
        "first_name": "Ada",
        "last_name": "Lovelace",
        **extra,
    }
    response = client.post("/api/create-account", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    return {
        "token": data["token"],
        "refresh_token": data["refresh_token"],
        "session_id": data["session_id"],
        "expires_in": data["expires_in"],
        "user": data["user"],
        "email": body["email"],
        "password": password,
        "headers": {"Authorization": f"Bearer {data['token']}"},
    }


def product_page_with_image(image_url):
    """A product page the way a shop writes it (schema.org Product in JSON-LD) whose one photo is image_url."""
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Ribbed Tank Top",
        "image": image_url,
        "offers": {"@type": "Offer", "price": "15.00", "priceCurrency": "GBP"},
    }
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(product)}</script></head>'
        "<body><h1>Ribbed Tank Top</h1></body></html>"
    )


def post_tryon(client, user, endpoint="/api/tryon", **form):
    """POST a multipart try-on request as the user; bytes values are sent as uploaded PNG files."""
    data = {
        name: (io.BytesIO(value), f"{name}.png") if isinstance(value, bytes) else value
        for name, value in form.items()
    }
    return client.post(endpoint, headers=user["headers"], data=data, content_type="multipart/form-data")


def submit_tryon(client, user, endpoint="/api/tryon", **form):
    """post_tryon that must be accepted: the new job's id."""
    response = post_tryon(client, user, endpoint, **form)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["data"]["job_id"]


def wait_for_job(client, headers, job_id, timeout=60):
    """Poll like a client until the job leaves queued/processing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/job/{job_id}", headers=headers).get_json()["data"]
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {body['status']} after {timeout}s")


def job_rows(app):
    return app.extensions["db"].execute_query("SELECT * FROM tryon_jobs", fetch_all=True)


def refuse_writes(app, operation, table):
    """Make every INSERT or UPDATE on table fail inside the database, the way a full disk would."""
    db = app.extensions["db"]
    trigger = f"refuse_{operation.lower()}_{table}"
    if db.dialect == "sqlite":
        db.execute_query(
            f"CREATE TRIGGER {trigger} BEFORE {operation} ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'write refused by test'); END"
        )
    else:
        db.execute_query(
            f"CREATE FUNCTION {trigger}() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'write refused by test'; END $$ LANGUAGE plpgsql"
        )
        db.execute_query(
            f"CREATE TRIGGER {trigger} BEFORE {operation} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {trigger}()"
        )


def allow_writes(app, operation, table):
    """Undo refuse_writes: the disk has room again."""
    db = app.extensions["db"]
    trigger = f"refuse_{operation.lower()}_{table}"
    if db.dialect == "sqlite":
        db.execute_query(f"DROP TRIGGER {trigger}")
    else:
        db.execute_query(f"DROP TRIGGER {trigger} ON {table}")
        db.execute_query(f"DROP FUNCTION {trigger}()")


# mediapipe 0.10.21 writes this line to stderr, with the epoch time, each time it loads one of its TFLite models.
_MODEL_LOADED = re.compile(r"^[IWE]\d{4} \d\d:\d\d:(\d+\.\d+) +\d+ inference_feedback_manager", re.MULTILINE)


def mediapipe_model_loads(log_path):
    """When a process whose stderr went to log_path loaded each of mediapipe's models (epoch seconds)."""
    return [float(seconds) for seconds in _MODEL_LOADED.findall(log_path.read_text(errors="replace"))]


def leases_run_out(app):
    """Every key still held is let go, as IDEMPOTENCY_LEASE_SECONDS after a process that held it died."""
    app.extensions["db"].execute_query(
        "UPDATE idempotency_keys SET lease_until = ?", (clock.timestamp(seconds_from_now=-1),)
    )


def image_from_url(client, url):
    response = fetch_image(client, url)
    assert response.status_code == 200, response.data[:200]
    return Image.open(io.BytesIO(response.data))


class EventStream:
    """GET /api/job/<id>/events over real HTTP, read frame by frame as a client reads it.

    with EventStream(server.url, job_id, user["headers"], last_event_id="1-60") as stream:
        stream.status, stream.headers, list(stream.frames())
    """

    def __init__(self, base_url, job_id, headers, last_event_id=None, timeout=60):
        address = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
        sent = {**headers, **({"Last-Event-ID": last_event_id} if last_event_id is not None else {})}
        self.connection.request("GET", f"/api/job/{job_id}/events", headers=sent)
        self.response = self.connection.getresponse()
        self.status, self.headers = self.response.status, self.response.headers

    def frames(self):
        """Each frame until the server ends the stream: {"id", "event", "data" (parsed JSON)} for an event,
        {"comment": text} for a comment, {"retry": text} for a retry hint."""
        frame = {}
        while line := self.response.readline():
            line = line.decode("utf-8").rstrip("\n")
            if not line:
                if frame:
                    yield frame
                frame = {}
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            frame[name or "comment"] = json.loads(value) if name == "data" else value

    def events(self):
        return [frame for frame in self.frames() if "event" in frame]

    def next_event(self):
        return next(frame for frame in self.frames() if "event" in frame)

    def json(self):
        return json.loads(self.response.read())

    def close(self):
        """Hang up, as a client that goes away does (the response owns the socket when the server said it
        closes the connection)."""
        self.response.close()
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def assert_replayed_exactly(first, again):
    """A retry with the first request's Idempotency-Key got, byte for byte, what the first request got: status,
    body, content type and Location (or none), marked as a replay."""
    assert again.status_code == first.status_code, again.get_json()
    assert again.data == first.data
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers.get("Location") == first.headers.get("Location")
    assert again.headers["Idempotency-Replayed"] == "true" and "Idempotency-Replayed" not in first.headers
