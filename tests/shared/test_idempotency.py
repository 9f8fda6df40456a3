"""record_answer: a view's work and its Idempotency-Key answer commit together. The try-on, wardrobe and sign-up
tests cover the endpoints; this one covers a request that lost its key while it ran, which no endpoint can be
slowed down enough to show."""

from flask import g

from shared import clock
from shared.idempotency import idempotent, record_answer
from shared.response import success_response


def test_a_request_whose_key_a_retry_took_while_it_ran_stores_nothing(app):
    db = app.extensions["db"]
    db.execute_query("CREATE TABLE made_things (name TEXT NOT NULL)")

    @app.post("/test/make-thing")
    @idempotent
    def make_thing():
        # This request outlived its lease, and a retry took the key and holds it now.
        db.execute_query(
            "UPDATE idempotency_keys SET created_at = ?, lease_until = ?",
            (clock.timestamp(seconds_from_now=1), clock.timestamp(seconds_from_now=300)),
        )
        with db.transaction():
            db.execute_query("INSERT INTO made_things (name) VALUES (?)", (g.request_id,))
            record_answer(success_response({"made": True}, status_code=201))
        return success_response({"made": True}, status_code=201)

    response = app.test_client().post("/test/make-thing", headers={"Idempotency-Key": "slow-one"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "IDEMPOTENCY_IN_PROGRESS"
    assert db.execute_query("SELECT name FROM made_things", fetch_all=True) == []
    key = db.execute_query("SELECT state, answer FROM idempotency_keys", fetch_one=True)
    assert key == {"state": "in_progress", "answer": None}  # still the retry's, to answer when it is done
