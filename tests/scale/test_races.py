"""Checks that must precede a write hold when the same requests arrive at once, at two server processes.

There is no global lock: each check is made true by a constraint, a conditional UPDATE or a row lock
(shared/database.py). Two apps on one database stand for two server processes; every request of a race
starts at the same moment from its own thread. On the PostgreSQL pass (TEST_DATABASE_URL) blocks really
run side by side; on SQLite they are serialised by the write lock, and the answers must be the same.
"""

import threading
import time

import pytest

from tests.helpers import post_tryon, sign_up

RACERS = 8


def race(apps, request, count=RACERS):
    """Run request(client, n) for n in range(count), all released at once, alternating between the apps."""
    barrier, answers = threading.Barrier(count), [None] * count

    def run(n):
        client = apps[n % len(apps)].test_client()
        barrier.wait(30)
        answers[n] = request(client, n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def two_servers(make_app, **settings):
    apps = [make_app(**settings) for _ in range(2)]
    for app in apps:
        if "tryon_queue" in app.extensions:
            app.extensions["tryon_queue"].stop()  # jobs stay queued: the limits are all that is measured
    return apps


def _tryon_answer(client, account, person_png, top_png):
    """(status, error code or None) of one try-on request."""
    response = post_tryon(client, account, selfie=person_png, garment_image=top_png)
    return response.status_code, (
        response.get_json()["error"]["code"] if response.status_code >= 400 else None
    )


def test_a_user_never_has_more_jobs_in_flight_than_allowed(make_app, person_png, top_png):
    apps = two_servers(make_app, MAX_JOBS_PER_USER=2, MAX_QUEUE_SIZE=100)
    account = sign_up(apps[0].test_client())
    answers = race(apps, lambda client, n: _tryon_answer(client, account, person_png, top_png))
    assert sorted(answers) == [(202, None)] * 2 + [(429, "TOO_MANY_JOBS")] * (RACERS - 2)
    rows = apps[0].extensions["db"].execute_query("SELECT COUNT(*) AS n FROM tryon_jobs", fetch_one=True)
    assert rows["n"] == 2


def test_the_queue_never_holds_more_jobs_than_its_size(make_app, person_png, top_png):
    apps = two_servers(make_app, MAX_JOBS_PER_USER=10, MAX_QUEUE_SIZE=3)
    accounts = [sign_up(apps[0].test_client()) for _ in range(4)]
    answers = race(apps, lambda client, n: _tryon_answer(client, accounts[n % 4], person_png, top_png))
    assert sorted(answers) == [(202, None)] * 3 + [(429, "QUEUE_FULL")] * (RACERS - 3)
    rows = apps[0].extensions["db"].execute_query("SELECT COUNT(*) AS n FROM tryon_jobs", fetch_one=True)
    assert rows["n"] == 3


def test_first_measurements_saved_at_once_make_one_row(make_app):
    apps = two_servers(make_app)
    account = sign_up(apps[0].test_client())
    answers = race(
        apps,
        lambda client, n: (
            client.post(
                "/api/body-measurements", headers=account["headers"], json={"height": 160 + n}
            ).status_code
        ),
    )
    assert sorted(answers) == [200] * (RACERS - 1) + [201]
    rows = apps[0].extensions["db"].execute_query("SELECT height FROM body_measurements", fetch_all=True)
    assert len(rows) == 1 and 160 <= rows[0]["height"] < 160 + RACERS


def test_one_category_name_is_created_once_whatever_its_case(make_app):
    apps = two_servers(make_app)
    account = sign_up(apps[0].test_client())

    def create(client, n):
        response = client.post(
            "/api/wardrobe/categories",
            headers=account["headers"],
            json={"name": "Work" if n % 2 else "WORK", "category_section": "upper_body"},
        )
        return response.status_code, response.get_json().get("error", {}).get("code")

    assert sorted(race(apps, create)) == [(201, None)] + [(409, "CATEGORY_EXISTS")] * (RACERS - 1)
    rows = apps[0].extensions["db"].execute_query("SELECT name FROM wardrobe_categories", fetch_all=True)
    assert len(rows) == 1


def test_a_section_is_never_deleted_while_a_category_is_created_in_it(make_app):
    apps = two_servers(make_app)
    account = sign_up(apps[0].test_client())
    for round_number in range(4):
        section = (
            apps[0]
            .test_client()
            .post(
                "/api/wardrobe/category-sections",
                headers=account["headers"],
                json={"name": f"capsule {round_number}"},
            )
            .get_json()["data"]
        )

        def act(client, n):
            if n == 0:
                return client.delete(
                    f"/api/wardrobe/category-sections/{section['id']}", headers=account["headers"]
                ).status_code
            return client.post(
                "/api/wardrobe/categories",
                headers=account["headers"],
                json={"name": f"c{round_number}-{n}", "category_section": section["name"]},
            ).status_code

        answers = race(apps, act, count=4)
        db = apps[0].extensions["db"]
        stranded = db.execute_query(
            "SELECT COUNT(*) AS n FROM wardrobe_categories c WHERE NOT EXISTS (SELECT 1 FROM category_sections s "
            "WHERE s.name = c.category_section AND (s.user_id = c.user_id OR s.user_id IS NULL))",
            fetch_one=True,
        )
        assert stranded["n"] == 0
        assert answers[0] in (200, 409) and set(answers[1:]) <= {201, 400}


@pytest.mark.parametrize("racers", [6])
def test_a_delayed_address_gets_one_attempt_when_its_wait_is_over(make_app, racers):
    apps = two_servers(
        make_app,
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="1000 per minute",
        RATELIMIT_CREATE_ACCOUNT="1000 per minute",
        RATELIMIT_STORAGE_URI="memory://",
        LOGIN_FREE_FAILURES=1,
    )
    account = sign_up(apps[0].test_client())

    def guess(client, n):
        return client.post(
            "/api/login",
            json={"email": account["email"], "password": f"guess {n}"},
            environ_base={"REMOTE_ADDR": "10.8.0.1"},
        ).status_code

    assert guess(apps[0].test_client(), -1) == 401  # one failure: the next attempt waits 1 s
    time.sleep(1.1)
    answers = race(apps, guess, count=racers)
    assert sorted(answers) == [401] + [429] * (racers - 1)  # one guess checked, the others told to wait
