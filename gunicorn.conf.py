"""gunicorn settings, read from the working directory: `gunicorn 'app:create_app()'`.

    gunicorn -w 4 'app:create_app()'          # 4 processes x 8 threads on HOST:PORT (.env / environment)

Each process builds its own app (database pool, storage client, queue side) from the same
environment. More than one process needs JOB_QUEUE=rq: with JOB_QUEUE=thread every process runs
its own in-process queue, and a process that starts (or restarts) takes the jobs the others are
running for interrupted ones and runs them again. That combination gets a warning at start-up
rather than a refusal, so benchmarks of read endpoints can still run several processes without Redis.
"""

from config import Settings

_settings = Settings.from_env()

bind = f"{_settings.HOST}:{_settings.PORT}"
worker_class = "gthread"
threads = 8  # requests wait on the database, storage and product pages far more than on the CPU
timeout = 60  # a request may fetch a product page (SCRAPER_*_TIMEOUT) and process its image
graceful_timeout = 30
accesslog = None  # the app logs every request itself (JSON, with request ids)


def on_starting(server):
    if server.cfg.workers > 1 and _settings.JOB_QUEUE == "thread":
        server.log.warning(
            "%d processes with JOB_QUEUE=thread: each runs its own try-on queue and a restarting process takes "
            "over jobs the others are running. Use JOB_QUEUE=rq (REDIS_URL and scripts/worker.py processes) "
            "with several processes, or -w 1.",
            server.cfg.workers,
        )
