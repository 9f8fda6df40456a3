"""Trust tests: a snapshot of everything stored, and what every refused request must look like."""

import hashlib
import time

from tests.stored_images import stored_bytes, stored_keys

# Refused requests are counted on purpose here (failed sign-ins, shared/rate_limit.py), like rate-limit counters.
COUNTER_TABLES = ("login_failures",)


def stored_state(app):
    """Every row of every table and every stored image, on local disk or S3.

    On local disk each file's bytes are digested and hidden files count too (a temporary file a failed
    write left behind); in a bucket the keys are compared (every write of an image makes a new key,
    and reading every object back for every request would make the fuzzing crawl).
    """
    db = app.extensions["db"]
    tables = {
        table: sorted(
            repr(sorted(row.items())) for row in db.execute_query(f"SELECT * FROM {table}", fetch_all=True)
        )
        for table in db.get_tables()
        if table not in COUNTER_TABLES
    }
    root = getattr(app.extensions["storage"], "root", None)
    if root is None:
        return {"tables": tables, "files": stored_keys(app)}
    files = [(key, hashlib.sha256(stored_bytes(app, key)).hexdigest()) for key in stored_keys(app)]
    hidden = sorted(str(path.relative_to(root)) for path in root.rglob(".*") if path.is_file())
    return {"tables": tables, "files": files, "hidden files": hidden}


def assert_refused(response, statuses=range(400, 500)):
    """A refusal a client can act on: a 4xx (or the given statuses) in the JSON error envelope."""
    assert response.status_code in statuses, (response.status_code, response.get_data()[:300])
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and body.get("success") is False, response.get_data()[:300]
    error = body["error"]
    assert (
        isinstance(error["code"], str)
        and error["code"]
        and isinstance(error["message"], str)
        and error["message"]
    )
    return error


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
