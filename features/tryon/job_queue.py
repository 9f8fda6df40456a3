"""The embedded job queue: jobs persist in `tryon_jobs`, a pool of threads in this process runs them.

A dispatcher thread claims queued jobs (oldest first) while a worker slot is free and hands them
to the pool; model calls are I/O-bound, so TRYON_WORKERS threads run that many jobs at once.
Nothing lives only in memory: a restart finds every accepted job in the database (see
`model.recover_interrupted`). The same dispatcher fails jobs that overrun JOB_TIMEOUT_SECONDS and
purges the stored inputs of finished jobs after JOB_INPUT_RETENTION_HOURS.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from features.tryon import model
from features.tryon.pipeline import run_job
from shared.logger import get_logger

log = get_logger("tryon.queue")

MAX_ATTEMPTS = 2  # the first run plus one retry after a restart
_MAINTENANCE_INTERVAL = 1.0
_RETENTION_INTERVAL = 600.0


class ThreadJobQueue:
    def __init__(self, deps, *, workers, timeout_seconds, retention_hours):
        self.deps = deps
        self.workers = workers
        self.timeout_seconds = timeout_seconds
        self.retention_hours = retention_hours
        self._slots = threading.BoundedSemaphore(workers)
        self._wake = threading.Condition()
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tryon-worker")
        self._dispatcher = threading.Thread(target=self._dispatch_forever, name="tryon-dispatcher", daemon=True)
        self._last_retention = 0.0

    def start(self):
        requeued, failed = model.recover_interrupted(self.deps.db, MAX_ATTEMPTS)
        if requeued or failed:
            log.warning("recovered interrupted jobs", extra={"requeued": requeued, "failed": failed})
        self._dispatcher.start()

    def notify(self):
        """A job was queued: wake the dispatcher now rather than at its next poll."""
        with self._wake:
            self._wake.notify()

    def stop(self, wait=True):
        """Stop claiming jobs; with wait, let running jobs finish (unfinished ones are recovered at start-up)."""
        self._stopping.set()
        self.notify()
        if self._dispatcher.is_alive():
            self._dispatcher.join(timeout=10)
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _dispatch_forever(self):
        try:
            self._dispatch_until_stopped()
        finally:
            self.deps.db.close_thread_connection()

    def _dispatch_until_stopped(self):
        last_maintenance = 0.0
        while not self._stopping.is_set():
            try:
                claimed = self._claim_available()
                if time.monotonic() - last_maintenance >= _MAINTENANCE_INTERVAL:
                    self._maintain()
                    last_maintenance = time.monotonic()
            except Exception:
                log.exception("dispatcher iteration failed")
                claimed = 0
            if not claimed:
                with self._wake:
                    self._wake.wait(timeout=0.25)

    def _claim_available(self):
        claimed = 0
        while not self._stopping.is_set() and self._slots.acquire(blocking=False):
            job = None
            for job_id in model.oldest_queued_ids(self.deps.db, 5):
                job = model.claim(self.deps.db, job_id)
                if job:
                    break
            if job is None:
                self._slots.release()
                break
            self._pool.submit(self._run, job)
            claimed += 1
        return claimed

    def _run(self, job):
        try:
            run_job(self.deps, job)
        finally:
            self._slots.release()
            self.notify()

    def _maintain(self):
        overdue = model.fail_overdue(self.deps.db, self.timeout_seconds)
        if overdue:
            log.warning("jobs timed out", extra={"job_ids": overdue})
        if time.monotonic() - self._last_retention >= _RETENTION_INTERVAL:
            self._last_retention = time.monotonic()
            purge_old_inputs(self.deps, self.retention_hours)


def purge_old_inputs(deps, retention_hours):
    """Delete the stored selfies/garments of jobs that finished more than retention_hours ago."""
    cutoff = model.now_iso(-retention_hours * 3600)
    for row in model.finished_with_inputs_before(deps.db, cutoff):
        deps.storage.delete_prefix(input_prefix(row["user_id"], row["job_id"]))
        model.forget_inputs(deps.db, row["job_id"])


def input_prefix(user_id, job_id):
    return f"tryon-inputs/{user_id}/{job_id}/"
