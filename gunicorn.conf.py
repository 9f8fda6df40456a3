"""gunicorn settings, read from the working directory: `gunicorn 'app:create_app()'`.

    gunicorn -w 4 'app:create_app()'          # 4 processes x 8 threads on HOST:PORT (.env / environment)

Each process builds its own app (database pool, storage client, queue side) from the same
environment. More than one process needs JOB_QUEUE=rq: with JOB_QUEUE=thread every process would
run its own in-process queue and, starting up, take the jobs the others are running for
interrupted ones, so that combination is refused here.
"""
from config import ConfigurationError, Settings

_settings = Settings.from_env()

bind = f"{_settings.HOST}:{_settings.PORT}"
worker_class = "gthread"
threads = 8  # requests wait on the database, storage and product pages far more than on the CPU
timeout = 60  # a request may fetch a product page (SCRAPER_*_TIMEOUT) and process its image
graceful_timeout = 30
accesslog = None  # the app logs every request itself (JSON, with request ids)


def on_starting(server):
    if server.cfg.workers > 1 and _settings.JOB_QUEUE == "thread":
        raise ConfigurationError(
            f"{server.cfg.workers} gunicorn processes need JOB_QUEUE=rq (with REDIS_URL and scripts/worker.py "
            "processes): each process would otherwise run its own try-on queue and take over the jobs of the "
            "others. Use -w 1 for the in-process queue.")


def worker_exit(server, worker):
    """Stop the app's queue threads and close its database connections when a process stops."""
    from app import shutdown_app

    if getattr(worker, "wsgi", None) is not None:
        shutdown_app(worker.wsgi)
