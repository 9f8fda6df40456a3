"""Try-on worker processes for JOB_QUEUE=rq: `python scripts/worker.py [--processes N]`.

Uses the same environment (.env) as the API. Each process loads its models, then runs one job at a time (RQ
SimpleWorker: no fork per job, so the models stay loaded); N processes run N jobs at once.
"""

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redis import Redis  # noqa: E402
from rq.worker_pool import WorkerPool  # noqa: E402

from config import Settings  # noqa: E402
from features.tryon.job_queue import RQ_QUEUE_NAME  # noqa: E402
from features.tryon.tasks import TryOnWorker  # noqa: E402


def main():
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=settings.WORKER_PROCESSES)
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("REDIS_URL must be set to run try-on workers (JOB_QUEUE=rq)")
    logging.basicConfig(level=logging.INFO)
    connection = Redis.from_url(settings.REDIS_URL)
    if args.processes == 1:
        TryOnWorker([RQ_QUEUE_NAME], connection=connection).work()
    else:
        WorkerPool(
            [RQ_QUEUE_NAME], connection=connection, num_workers=args.processes, worker_class=TryOnWorker
        ).start()


if __name__ == "__main__":
    main()
