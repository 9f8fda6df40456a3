"""Scale-out benchmark on PostgreSQL + Redis: try-on throughput on 1 vs 2 worker processes, and API
requests/s on 1 vs 2 gunicorn processes.

    eval "$(bash scripts/services.sh)"        # PostgreSQL and Redis on loopback
    .venv/bin/python bench/bench_scale.py [--jobs 200] [--delay 0.5] [--processes 4] [--seconds 5] [--rounds 3]

Throughput: the fake Gemini server answers every call after a fixed delay D. One gunicorn API process
(JOB_QUEUE=rq) takes JOBS try-ons from 8 concurrent clients; 1, then 2, `scripts/worker.py --processes
N` run them (N jobs at once per worker process). The clock runs from the first POST to the moment
the database shows the last job finished; the ideal is ceil(JOBS / (workers x N)) x D.

API: gunicorn with 1, then 2, processes of 8 threads, loaded by wrk (bench/bench_api.py's helpers)
with authenticated reads; medians of the rounds.

Each measurement gets a fresh PostgreSQL schema and an emptied Redis database (number 13 of the
server), so nothing of a developer's data is read or removed. Images stay on one local folder
shared by the processes (S3 would measure the store, not this service).
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import psycopg
import redis
import requests
from rq import Worker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_api  # noqa: E402
from bench.bench_api import Gunicorn, ensure_wrk, machine, seed, wrk  # noqa: E402
from tests.fakes.gemini_server import FakeGemini  # noqa: E402
from tests.photos import astronaut_png, t_shirt  # noqa: E402
from tests.scale.backends import emptied_redis, fresh_postgres_schema  # noqa: E402
from tests.scale.worker_process import WorkerProcess  # noqa: E402

BENCH_REDIS_DB = 13
CLIENTS = 8
API_THREADS = 8


def service_urls():
    """PostgreSQL and Redis URLs from the environment, else from scripts/services.sh."""
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    found = subprocess.run(["bash", "scripts/services.sh", "urls"], cwd=ROOT, capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit('PostgreSQL and Redis are not running: eval "$(bash scripts/services.sh)"')
    urls = dict(line.removeprefix("export ").split("=", 1) for line in found.stdout.splitlines())
    return urls["DATABASE_URL"], urls["REDIS_URL"]


def app_env(database_url, redis_url, scratch, gemini):
    """bench_api.py's production environment on PostgreSQL, Redis and RQ workers, Gemini at the fake."""
    return {
        **bench_api.app_env(scratch),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "JOB_QUEUE": "rq",
        "STORAGE_BACKEND": "local",
        "LOG_LEVEL": "WARNING",
        "AI_PROVIDER": "gemini",
        "GEMINI_API_KEY": "bench-key",
        "GEMINI_BASE_URL": gemini.base_url,
        "MAX_JOBS_PER_USER": "100000",
        "MAX_QUEUE_SIZE": "100000",
    }


def wait_for_rq_workers(redis_url, count, timeout=120):
    connection = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while len(Worker.all(connection=connection)) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} RQ workers did not register within {timeout}s")
        time.sleep(0.2)
    connection.close()


def finished_jobs(database_url):
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT COUNT(*) FILTER (WHERE status = 'done'), "
            "COUNT(*) FILTER (WHERE status = 'failed') FROM tryon_jobs"
        ).fetchone()
    return {"done": row[0], "failed": row[1]}


def submit_all(api_url, jobs):
    account = requests.post(
        api_url + "/api/create-account",
        timeout=30,
        json={"email": f"bench{time.time_ns()}@example.com", "password": "correct horse 1"},
    ).json()["data"]
    headers = {"Authorization": f"Bearer {account['token']}"}
    files = {
        "selfie": ("me.png", astronaut_png(), "image/png"),
        "garment_image": ("shirt.png", t_shirt(), "image/png"),
    }

    def submit(_):
        response = requests.post(api_url + "/api/tryon", headers=headers, files=files, timeout=60)
        response.raise_for_status()

    with ThreadPoolExecutor(CLIENTS) as clients:
        list(clients.map(submit, range(jobs)))


def throughput(admin_url, redis_url, *, workers, processes, jobs, gemini, scratch):
    """Seconds from the first POST until all jobs finished, with `workers` x `processes` running them."""
    gemini.peak_concurrency = 0
    with fresh_postgres_schema(admin_url) as database_url:
        env = app_env(database_url, emptied_redis(redis_url), scratch, gemini)
        with (
            Gunicorn(
                "app:create_app()", workers=1, threads=API_THREADS, env=env, log_path=scratch / "api.log"
            ) as api,
            ExitStack() as running,
        ):
            for number in range(workers):
                running.enter_context(
                    WorkerProcess(env, scratch / f"worker-{number}.log", processes=processes)
                )
            wait_for_rq_workers(redis_url, workers * processes)
            started = time.perf_counter()
            submit_all(api.url, jobs)
            while sum((counts := finished_jobs(database_url)).values()) < jobs:
                time.sleep(0.1)
            elapsed = time.perf_counter() - started
    return {"seconds": elapsed, **counts, "peak": gemini.peak_concurrency}


def api_rates(admin_url, redis_url, *, processes, rounds, seconds, gemini, scratch):
    """Median requests/s, p50 and p99 ms of authenticated reads on `processes` gunicorn processes."""
    with fresh_postgres_schema(admin_url) as database_url:
        env = app_env(database_url, emptied_redis(redis_url), scratch, gemini)
        with Gunicorn(
            "app:create_app()",
            workers=processes,
            threads=API_THREADS,
            env=env,
            log_path=scratch / f"api-{processes}.log",
        ) as api:
            headers = seed(api.url)
            cases = {
                "GET /api/users/profile": "/api/users/profile",
                "GET /api/wardrobe/items (20 items)": "/api/wardrobe/items",
            }
            samples = {
                label: [
                    wrk(api.url + path, headers=headers, seconds=seconds, connections=16, scratch=scratch)
                    for _ in range(rounds)
                ]
                for label, path in cases.items()
            }
    return {label: [statistics.median(values) for values in zip(*runs)] for label, runs in samples.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.5, help="fake Gemini answer delay, seconds")
    parser.add_argument(
        "--processes", type=int, default=4, help="jobs at once per worker process (--processes)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    options = parser.parse_args()
    ensure_wrk()
    admin_url, services_redis = service_urls()
    redis_url = services_redis.rsplit("/", 1)[0] + f"/{BENCH_REDIS_DB}"

    with tempfile.TemporaryDirectory() as folder, FakeGemini() as gemini:
        scratch = Path(folder)
        gemini.delay = options.delay
        runs = {
            workers: throughput(
                admin_url,
                redis_url,
                workers=workers,
                processes=options.processes,
                jobs=options.jobs,
                gemini=gemini,
                scratch=scratch,
            )
            for workers in (1, 2)
        }
        rates = {
            processes: api_rates(
                admin_url,
                redis_url,
                processes=processes,
                rounds=options.rounds,
                seconds=options.seconds,
                gemini=gemini,
                scratch=scratch,
            )
            for processes in (1, 2)
        }

    print(f"Date: {date.today().isoformat()}. Machine: {machine()}.\n")
    print(
        f"Try-on throughput: {options.jobs} jobs, fake Gemini delay {options.delay} s, one gunicorn API process, "
        f"{CLIENTS} clients submitting; worker processes started with --processes {options.processes}.\n"
    )
    print(
        "| worker processes | jobs at once | seconds | jobs/s | ideal seconds | peak model calls | failed |"
    )
    print("|---|---|---|---|---|---|---|")
    for workers, run in runs.items():
        ideal = math.ceil(options.jobs / (workers * options.processes)) * options.delay
        print(
            f"| {workers} | {workers * options.processes} | {run['seconds']:.1f} | "
            f"{options.jobs / run['seconds']:.1f} | {ideal:.1f} | {run['peak']} | {run['failed']} |"
        )
    print(
        f"\nAPI: gunicorn gthread, {API_THREADS} threads per process; wrk 1 thread, 16 connections, "
        f"{options.rounds} rounds of {options.seconds} s, medians.\n"
    )
    print("| endpoint | 1 process req/s | 2 processes req/s | ratio | p99 ms (1 / 2) |")
    print("|---|---|---|---|---|")
    for label in rates[1]:
        one, two = rates[1][label], rates[2][label]
        print(
            f"| {label} | {one[0]:,.0f} | {two[0]:,.0f} | {two[0] / one[0]:.2f} | {one[2]:.1f} / {two[2]:.1f} |"
        )


if __name__ == "__main__":
    main()
