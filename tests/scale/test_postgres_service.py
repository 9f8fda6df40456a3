"""PostgreSQL as a service: migrations started by several processes at once, outages, an exhausted pool."""

import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.foundation.test_migrations import ALL_REVISIONS
from tests.helpers import sign_up
from tests.scale.api_process import ROOT

# Builds the database from the environment, says "ready", and migrates once the start file exists.
_MIGRATE_ON_SIGNAL = """
import pathlib, sys, time
from config import Settings
from migrations import run_migrations
from shared.database import create_database
database = create_database(Settings.from_env())
print("ready", flush=True)
while not pathlib.Path(sys.argv[1]).exists():
    time.sleep(0.005)
print(",".join(run_migrations(database)), flush=True)
database.close_all()
"""


def _wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_starting_together_apply_each_migration_exactly_once(backend, request, tmp_path, make_app):
    database_url = request.getfixturevalue("postgres_url") if backend == "postgresql" else ""
    env = {
        "DATABASE_URL": database_url,
        "DATABASE_PATH": str(tmp_path / "shared.db"),
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "PATH": "/usr/bin:/bin",
    }
    start_file = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE_ON_SIGNAL, str(start_file)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
    start_file.touch()
    applied = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        applied.append([revision for revision in out.strip().split(",") if revision])
    assert sorted(applied) == [
        [],
        [],
        ALL_REVISIONS,
    ]  # every revision once, by whichever process got there first
    app = make_app(DATABASE_URL=database_url, DATABASE_PATH=str(tmp_path / "shared.db"))
    rows = app.extensions["db"].execute_query("SELECT version_num FROM alembic_version", fetch_all=True)
    assert rows == [{"version_num": ALL_REVISIONS[-1]}]


def _through(proxy, url):
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}"))


def test_database_outage_answers_503_and_the_service_recovers(postgres_url, make_app, proxy_to):
    server = urlsplit(postgres_url)
    proxy = proxy_to((server.hostname, server.port))
    app = make_app(DATABASE_URL=_through(proxy, postgres_url), DATABASE_POOL_TIMEOUT_SECONDS=1)
    client = app.test_client()
    account = sign_up(client)
    assert client.get("/health").get_json()["data"]["database"] == "connected"

    proxy.cut()
    health = client.get("/health")
    assert health.status_code == 503
    assert health.get_json()["data"]["status"] == "unhealthy"
    assert health.get_json()["data"]["database"] == "unavailable"
    profile = client.get("/api/users/profile", headers=account["headers"])
    assert profile.status_code == 503
    assert profile.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE" and profile.headers["Retry-After"]

    proxy.restore()
    assert _wait_for(lambda: client.get("/health").status_code == 200)
    profile = client.get("/api/users/profile", headers=account["headers"])
    assert profile.status_code == 200 and profile.get_json()["data"]["email"] == account["email"]


def test_exhausted_pool_answers_503_and_not_500(postgres_url, make_app):
    app = make_app(DATABASE_URL=postgres_url, DATABASE_POOL_SIZE=1, DATABASE_POOL_TIMEOUT_SECONDS=0.5)
    client = app.test_client()
    account = sign_up(client)
    holding, release = threading.Event(), threading.Event()

    def hold_the_only_connection():
        with app.extensions["db"].transaction():
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_only_connection)
    holder.start()
    assert holding.wait(10)
    busy = client.get("/api/users/profile", headers=account["headers"])
    release.set()
    holder.join(10)
    assert busy.status_code == 503 and busy.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert client.get("/api/users/profile", headers=account["headers"]).status_code == 200
